-- Releases a lock only for its owner, and tells waiters it is free (only when some wait).
--
-- KEYS[1]: the lock (string: the owner's id)
-- KEYS[2]: how many owners wait for the lock (string counter)
-- ARGV[1]: the owner's id
-- ARGV[2]: the channel waiters listen on
-- ARGV[3]: the lock's name, published on the channel
-- Returns: 0 when the lock was not held by this owner (expired, or taken by another); when released: 1 if nobody
--   waited, 2 if the notice went out to one waiter, 4 if it went out to more than one (an instance has at most one
--   waiter in Redis per lock, so 4 means other instances wait), 3 if Redis refused the notice (the user's channel
--   rules: the lock is free all the same, and waiters find it when they next poll)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
local waiters = tonumber(redis.call('GET', KEYS[2])) or 0
if waiters > 0 then
  -- pcall: the DEL has taken effect (a script is not rolled back), so a refused notice must not fail the release.
  local sent = redis.pcall('PUBLISH', ARGV[2], ARGV[3])
  if type(sent) == 'table' and sent.err then
    return 3
  end
  if waiters > 1 then
    return 4
  end
  return 2
end
return 1
