-- Pauses the queue for every worker of every instance (an upstream said 429) and gives the job back without
-- counting its attempt. A longer pause already in place is kept.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the pause in ms
-- ARGV[2]: the job id ('' for none)
-- ARGV[3]: its owner ('<token>:<take number>')
-- Returns: the pause in force, in ms
local base = KEYS[1]
local pause = tonumber(ARGV[1])
local current = redis.call('PTTL', base .. ':paused')
if current < pause then
  redis.call('SET', base .. ':paused', 1, 'PX', pause)
  current = pause
end
if ARGV[2] ~= '' then
  local job = base .. ':job:' .. ARGV[2]
  local fields = redis.call('HMGET', job, 'owner', 'score')
  if fields[1] == ARGV[3] then
    redis.call('ZREM', base .. ':active', ARGV[2])
    redis.call('HDEL', job, 'owner')
    redis.call('HINCRBY', job, 'attempts', -1)
    redis.call('HSET', job, 'state', 'waiting')
    redis.call('ZADD', base .. ':ready', fields[2] or '1099511627776000', ARGV[2])
    -- Wake a worker: it sees the pause, sleeps until it ends, then takes the job (idle workers would only look
    -- again after their idle wait).
    if redis.call('LLEN', base .. ':signal') == 0 then
      redis.call('RPUSH', base .. ':signal', 1)
    end
  end
end
return current
