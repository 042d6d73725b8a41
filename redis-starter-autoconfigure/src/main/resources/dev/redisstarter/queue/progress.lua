-- Records a job's progress, and renews its lease, while the attempt still holds it.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the job id
-- ARGV[2]: its owner ('<token>:<take number>')
-- ARGV[3]: the progress (JSON), or '' to renew only
-- ARGV[4]: the lease in ms from now
-- Returns: 1 when recorded, 0 when the attempt no longer holds the job
local base = KEYS[1]
local job = base .. ':job:' .. ARGV[1]
if redis.call('HGET', job, 'owner') ~= ARGV[2] or not redis.call('ZSCORE', base .. ':active', ARGV[1]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] ~= '' then
  redis.call('HSET', job, 'progress', ARGV[3])
end
redis.call('ZADD', base .. ':active', 'XX', now + tonumber(ARGV[4]), ARGV[1])
return 1
