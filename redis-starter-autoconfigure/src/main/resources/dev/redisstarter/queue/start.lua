-- Marks jobs whose handler started, while the attempt that started them still holds them: the stalled check counts a
-- stall (and may dead-letter the job) only for a job whose attempt started, never for one only taken ahead. Each
-- attempt counts once in the job's runs.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1..]: pairs of job id and owner ('<token>:<take number>')
-- Returns: how many jobs were marked (a job already marked, or no longer held by that attempt, is not)
local base = KEYS[1]
local marked = 0
for i = 1, #ARGV, 2 do
  local job = base .. ':job:' .. ARGV[i]
  local fields = redis.call('HMGET', job, 'owner', 'running')
  if fields[1] == ARGV[i + 1] and fields[2] ~= ARGV[i + 1] then
    -- 'running' holds the owner of the attempt that started: a later take of the same job is a new owner.
    redis.call('HSET', job, 'running', ARGV[i + 1])
    redis.call('HINCRBY', job, 'runs', 1)
    marked = marked + 1
  end
end
return marked
