-- Releases a loader's lock only for its owner.
--
-- KEYS[1]: the lock (string: the owner's id)
-- ARGV[1]: the owner's id
-- Returns: {1 when released, 0 when the lock was not this owner's (expired or taken over)}
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return {redis.call('DEL', KEYS[1])}
end
return {0}
