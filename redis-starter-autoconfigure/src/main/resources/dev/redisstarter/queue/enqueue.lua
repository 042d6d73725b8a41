-- Adds jobs to a queue: each waiting (ready now) or delayed, unless its job id exists or its deduplication key
-- is taken within its window, in which case the existing job's id is returned instead. A job id given by the caller
-- whose record is gone (it expired) may still be listed by an index (:completed and :dead outlive their records): it
-- leaves every index first, so that no trim, purge or retry of the old job touches the new one.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; every key below shares its hash tag (one Cluster slot);
--   KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many jobs follow; then 12 arguments per job:
--   id ('' for a new id), deduplication key (''), deduplication window in ms, payload (JSON), priority
--   (-1000..1000, higher first), delay in ms from the server's clock (-1: none), run-at in epoch ms (-1: none),
--   attempts, backoff (text the worker reads), attempt timeout in ms (0: none), completed retention in ms
--   (0: the queue's), trace context (JSON, '' when none)
-- Returns: for each job {id, 1 when added or 0 when an existing job was returned}
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = tonumber(ARGV[1])
local result = {}
local signal = false
local firstDelayed = nil
local delayedRead = false
for i = 0, count - 1 do
  local a = 1 + i * 12
  local id = ARGV[a + 1]
  local dedup = ARGV[a + 2]
  local existing = nil
  if id ~= '' and redis.call('EXISTS', base .. ':job:' .. id) == 1 then
    existing = id
  end
  if not existing and dedup ~= '' then
    -- Within its window the key answers with its job, even when that job finished and its record is gone.
    local held = redis.call('GET', base .. ':dedup:' .. dedup)
    if held then
      existing = held
    end
  end
  if existing then
    result[#result + 1] = {existing, 0}
  else
    local seq = redis.call('INCR', base .. ':id')
    if id == '' then
      id = tostring(seq)
    else
      for _, index in ipairs({':completed', ':dead', ':active', ':ready', ':delayed'}) do
        redis.call('ZREM', base .. index, id)
      end
    end
    if dedup ~= '' then
      redis.call('SET', base .. ':dedup:' .. dedup, id, 'PX', ARGV[a + 3])
    end
    local priority = tonumber(ARGV[a + 5])
    local score = string.format('%.0f', (1000 - priority) * 1099511627776 + (seq % 1099511627776))
    local runAt = now
    if tonumber(ARGV[a + 6]) > 0 then
      runAt = now + tonumber(ARGV[a + 6])
    elseif tonumber(ARGV[a + 7]) > 0 then
      runAt = tonumber(ARGV[a + 7])
    end
    local job = base .. ':job:' .. id
    local state = 'waiting'
    if runAt > now then
      state = 'delayed'
    end
    -- Fields at their default (no attempts yet, priority 0, no timeout or retention of its own, no trace, due at
    -- creation) are left out: every reader takes their absence for the default, and the record stays small.
    local fields = {'payload', ARGV[a + 4], 'state', state, 'max', ARGV[a + 8], 'backoff', ARGV[a + 9], 'score', score,
      'created', now}
    if priority ~= 0 then
      fields[#fields + 1] = 'priority'
      fields[#fields + 1] = priority
    end
    if ARGV[a + 10] ~= '0' then
      fields[#fields + 1] = 'timeout'
      fields[#fields + 1] = ARGV[a + 10]
    end
    if ARGV[a + 11] ~= '0' then
      fields[#fields + 1] = 'keep'
      fields[#fields + 1] = ARGV[a + 11]
    end
    if ARGV[a + 12] ~= '' then
      fields[#fields + 1] = 'trace'
      fields[#fields + 1] = ARGV[a + 12]
    end
    if state == 'delayed' then
      fields[#fields + 1] = 'runAt'
      fields[#fields + 1] = runAt
    end
    redis.call('HSET', job, unpack(fields))
    if state == 'delayed' then
      if not delayedRead then
        firstDelayed = redis.call('ZRANGE', base .. ':delayed', 0, 0, 'WITHSCORES')[2]
        delayedRead = true
      end
      redis.call('ZADD', base .. ':delayed', runAt, id)
      -- Wake a worker when this job is due before any other delayed job, so that it recomputes its wait.
      if not firstDelayed or runAt < tonumber(firstDelayed) then
        firstDelayed = runAt
        signal = true
      end
    else
      redis.call('ZADD', base .. ':ready', score, id)
      signal = true
    end
    result[#result + 1] = {id, 1}
  end
end
if signal and redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return result
