-- Completes jobs that are still held by their worker's attempt, then bounds the completed jobs kept: by count
-- (the oldest go first) and by age (each job's record expires after its retention).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many completed jobs to keep
-- ARGV[2]: how long to keep a completed job, in ms, when the job sets no retention of its own
-- ARGV[3..]: pairs of job id and owner ('<token>:<take number>')
-- Returns: {how many jobs were completed (a job whose lease was lost to another worker is not), how many had been
--   completed already by the same attempt (an earlier call whose reply was lost: the writer tried again)}
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local keepCount = tonumber(ARGV[1])
local keepAge = tonumber(ARGV[2])
local done = 0
local again = 0
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  local job = base .. ':job:' .. id
  local fields = redis.call('HMGET', job, 'owner', 'keep', 'running', 'runs', 'completedBy')
  if not fields[1] and fields[5] == ARGV[i + 1] then
    -- This attempt's completion was applied by an earlier call whose reply was lost: done, counted once by the caller.
    again = again + 1
  elseif fields[1] == ARGV[i + 1] then
    -- The attempt ran: counted in runs here unless start.lua already did (its mark is skipped for jobs that end
    -- before it is sent).
    local runs = tonumber(fields[4]) or 0
    if fields[3] ~= fields[1] then
      runs = runs + 1
    end
    redis.call('ZREM', base .. ':active', id)
    local keep = tonumber(fields[2]) or 0
    if keep <= 0 then
      keep = keepAge
    end
    if keepCount > 0 then
      redis.call('HSET', job, 'state', 'completed', 'finished', now, 'runs', runs, 'completedBy', fields[1])
      redis.call('HDEL', job, 'owner')
      redis.call('PEXPIRE', job, keep)
      redis.call('ZADD', base .. ':completed', now, id)
    else
      redis.call('DEL', job)
    end
    done = done + 1
  end
end
local completed = base .. ':completed'
local excess = redis.call('ZCARD', completed) - keepCount
if excess > 0 then
  local old = redis.call('ZRANGE', completed, 0, excess - 1)
  for _, id in ipairs(old) do
    -- Only a record that is this completed job: the id may have been enqueued again since (then only the index
    -- entry goes).
    local job = base .. ':job:' .. id
    if redis.call('HGET', job, 'state') == 'completed' then
      redis.call('DEL', job)
    end
  end
  redis.call('ZREMRANGEBYRANK', completed, 0, excess - 1)
end
-- Index entries whose record expired (the longest a job keeps is bounded by the queue's maximum retention).
redis.call('ZREMRANGEBYSCORE', completed, '-inf', now - keepAge)
if keepCount > 0 then
  redis.call('PEXPIRE', completed, keepAge)
end
return {done, again}
