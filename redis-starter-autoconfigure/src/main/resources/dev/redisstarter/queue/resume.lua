-- Ends a pause of the queue at once (an operator's resume): every worker of every instance takes again.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- Returns: the milliseconds of pause that were left, 0 when the queue was not paused
local base = KEYS[1]
local left = redis.call('PTTL', base .. ':paused')
if left < 0 then
  return 0
end
redis.call('DEL', base .. ':paused')
if redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return left
