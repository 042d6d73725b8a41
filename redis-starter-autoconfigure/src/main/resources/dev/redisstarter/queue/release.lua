-- Gives jobs back that a worker took but did not finish (shutdown, read ahead), so that another worker takes
-- them at once; the released attempt does not count.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1..]: pairs of job id and owner ('<token>:<take number>')
-- Returns: how many jobs went back to waiting
local base = KEYS[1]
local released = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  local job = base .. ':job:' .. id
  local fields = redis.call('HMGET', job, 'owner', 'score')
  if fields[1] == ARGV[i + 1] then
    redis.call('ZREM', base .. ':active', id)
    redis.call('HDEL', job, 'owner')
    redis.call('HINCRBY', job, 'attempts', -1)
    redis.call('HSET', job, 'state', 'waiting')
    redis.call('ZADD', base .. ':ready', fields[2] or '1099511627776000', id)
    released = released + 1
  end
end
if released > 0 and redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return released
