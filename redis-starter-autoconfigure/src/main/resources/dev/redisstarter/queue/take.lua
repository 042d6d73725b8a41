-- Takes up to COUNT jobs for a worker: first makes due delayed jobs waiting, then moves the highest-priority
-- waiting jobs (FIFO within a priority) to active, leased until now + LEASE by the server's clock.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its :ready, :delayed, :active, :completed,
--   :dead, :signal, :id and :paused keys (declared so that a migrating Cluster slot refuses the script rather than
--   running it on half the queue)
-- ARGV[1]: how many jobs to take
-- ARGV[2]: the lease in ms
-- ARGV[3]: this take's request id, '<worker token>:<take number>': the owner of the jobs it takes. The ids taken are
--   listed in <base>:take:<request id> (expiring with the lease) so that a worker whose reply was lost can release
--   them (cancel-take.lua); a take cancelled before it ran takes nothing
-- ARGV[4]: the most payload bytes to return (at least one job is taken)
-- ARGV[5]: the queue's rate limit, how many jobs may start per window across all workers (0: none); each take counts
--   the jobs it actually took in <base>:rate:<window start>, so that permits are spent only on jobs that start
-- ARGV[6]: the rate limit's window in ms (fixed windows of the server's clock)
-- Returns: {wait, now, paused, job...} where wait is -1 when jobs remain waiting, the ms until the queue's
-- back-off ends (paused is then 1 and no job is taken), the ms until the rate limit's window ends when its starts
-- are spent and jobs remain (paused is then 2), the ms until the next delayed job is due, or 0 when nothing is
-- waiting or delayed; now is the server's time in ms; each job is
-- {id, payload, attempt, attempts, backoff, timeout, created, runAt, trace, reclaimed} (reclaimed: how many times
-- its lease expired before its start was marked, see stalled.lua)
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local owner = ARGV[3]
local request = base .. ':take:' .. owner
if redis.call('EXISTS', request) == 1 then
  return {0, now, 0}
end
local paused = redis.call('PTTL', base .. ':paused')
if paused > 0 then
  return {paused, now, 1}
end
local count = tonumber(ARGV[1])
local limit = tonumber(ARGV[5]) or 0
local rate, windowEnd, used
if limit > 0 then
  local window = tonumber(ARGV[6])
  local windowStart = now - (now % window)
  windowEnd = windowStart + window
  rate = base .. ':rate:' .. windowStart
  used = tonumber(redis.call('GET', rate)) or 0
  if used >= limit then
    return {windowEnd - now, now, 2}
  end
  count = math.min(count, limit - used)
end
local due = redis.call('ZRANGEBYSCORE', base .. ':delayed', '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(due) do
  local job = base .. ':job:' .. id
  local fields = redis.call('HMGET', job, 'state', 'score')
  local score = fields[2]
  redis.call('ZREM', base .. ':delayed', id)
  -- Only a record that is this delayed job (a stale entry of a re-used id only leaves the index).
  if fields[1] == 'delayed' and score then
    redis.call('ZADD', base .. ':ready', score, id)
    redis.call('HSET', job, 'state', 'waiting')
  end
end
local result = {0, now, 0}
local popped = redis.call('ZPOPMIN', base .. ':ready', count)
local deadline = now + tonumber(ARGV[2])
local budget = tonumber(ARGV[4])
local bytes = 0
local taken = {}
for i = 1, #popped, 2 do
  local id = popped[i]
  if #taken > 0 and bytes >= budget then
    -- Over the reply's byte budget: the rest stays waiting, in its place.
    redis.call('ZADD', base .. ':ready', popped[i + 1], id)
  else
    local job = base .. ':job:' .. id
    local fields = redis.call('HMGET', job, 'payload', 'attempts', 'max', 'backoff', 'timeout', 'created', 'runAt', 'trace',
      'state', 'reclaimed')
    -- A job without a payload has no record left (purged, or written by something else), and one that is not waiting
    -- is a stale entry (its id re-used since): dropped from the queue.
    if fields[1] and fields[9] == 'waiting' then
      local attempt = (tonumber(fields[2]) or 0) + 1
      redis.call('HSET', job, 'state', 'active', 'attempts', attempt, 'owner', owner, 'started', now)
      redis.call('ZADD', base .. ':active', deadline, id)
      result[#result + 1] = {id, fields[1], attempt, fields[3] or '1', fields[4] or '', fields[5] or '0',
        fields[6] or '0', fields[7] or '0', fields[8] or '', fields[10] or '0'}
      taken[#taken + 1] = id
      bytes = bytes + #fields[1]
    end
  end
end
for from = 1, #taken, 1000 do
  redis.call('RPUSH', request, unpack(taken, from, math.min(#taken, from + 999)))
end
if #taken > 0 then
  redis.call('PEXPIRE', request, ARGV[2])
  if limit > 0 then
    redis.call('INCRBY', rate, #taken)
    redis.call('PEXPIRE', rate, windowEnd - now + 1000)
  end
end
if limit > 0 and used + #taken >= limit and redis.call('ZCARD', base .. ':ready') > 0 then
  -- This window's starts are spent: the worker sleeps until it ends (waking others would not help).
  result[1] = windowEnd - now
  result[3] = 2
elseif redis.call('ZCARD', base .. ':ready') > 0 then
  result[1] = -1
  -- Jobs remain: wake another worker (idle ones wait on the signal list).
  if redis.call('LLEN', base .. ':signal') == 0 then
    redis.call('RPUSH', base .. ':signal', 1)
  end
else
  local next = redis.call('ZRANGE', base .. ':delayed', 0, 0, 'WITHSCORES')[2]
  if next then
    result[1] = math.max(1, tonumber(next) - now)
  end
end
return result
