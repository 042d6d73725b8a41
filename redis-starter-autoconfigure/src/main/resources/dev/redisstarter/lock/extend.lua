-- Extends a lock's lease only for its owner; never revives an expired lock or touches another owner's.
--
-- KEYS[1]: the lock (string: the owner's id)
-- ARGV[1]: the owner's id
-- ARGV[2]: the new lease in milliseconds, from now
-- Returns: 1 when extended; 0 when the lock is no longer held by this owner
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
