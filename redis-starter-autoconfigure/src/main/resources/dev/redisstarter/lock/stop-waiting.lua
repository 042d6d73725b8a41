-- Stops counting an owner among a lock's waiters (it gave up waiting).
--
-- KEYS[1]: how many owners wait for the lock (string counter)
-- Returns: the number of waiters left
local left = redis.call('DECR', KEYS[1])
if left <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
return left
