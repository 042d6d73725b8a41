-- Makes a delayed job waiting now, in its priority's place (an operator's "run it now"), and wakes a worker.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the job id
-- Returns: 1 when the job was delayed and is now waiting; 0 when it is not a delayed job (run, gone, or a stale
--          index entry of a re-used id, which only leaves the index)
local base = KEYS[1]
local id = ARGV[1]
if not redis.call('ZSCORE', base .. ':delayed', id) then
  return 0
end
redis.call('ZREM', base .. ':delayed', id)
local job = base .. ':job:' .. id
local fields = redis.call('HMGET', job, 'state', 'score')
if fields[1] ~= 'delayed' or not fields[2] then
  return 0
end
redis.call('ZADD', base .. ':ready', fields[2], id)
redis.call('HSET', job, 'state', 'waiting')
if redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return 1
