-- Releases a lock only for its owner, and tells waiters it is free (only when some wait).
--
-- KEYS[1]: the lock (string: the owner's id)
-- KEYS[2]: how many owners wait for the lock (string counter)
-- ARGV[1]: the owner's id
-- ARGV[2]: the channel waiters listen on
-- ARGV[3]: the lock's name, published on the channel
-- Returns: 1 when released; 0 when the lock was not held by this owner (expired, or taken by another)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
if (tonumber(redis.call('GET', KEYS[2])) or 0) > 0 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return 1
