-- Hands a lock from its owner straight to the next waiter of the same instance, in one step: the release and that
-- waiter's acquisition together, with a new fencing token, as acquire.lua would issue it. Only while no waiter of
-- another instance waits (an instance counts at most one waiter per lock: the next waiter itself, or none when it has
-- not been counted yet); otherwise it releases as release.lua does, and every instance's waiter races for the lock on
-- the notice.
--
-- KEYS[1]: the lock (string: the owner's id)
-- KEYS[2]: the lock's last fencing token (string), kept ARGV[4] ms after the last acquisition
-- KEYS[3]: how many owners wait for the lock (string counter)
-- ARGV[1]: the current owner's id
-- ARGV[2]: the waiter's owner id
-- ARGV[3]: the waiter's lease in milliseconds
-- ARGV[4]: how long to keep the last token, in milliseconds
-- ARGV[5]: the channel waiters listen on
-- ARGV[6]: the lock's name, published on the channel
-- ARGV[7]: '1' when the waiter is counted in KEYS[3] (and stops being counted when it takes over), '0' when not
-- Returns: {0} when the lock was not held by the current owner (nothing changed); {1, fencing token} when handed
--   over (the waiter holds the lock and is no longer counted among the waiters); {4} when released to every
--   instance instead (the notice went out), {3} when so released and Redis refused the notice
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0}
end
local counted = ARGV[7] == '1'
local waiters = tonumber(redis.call('GET', KEYS[3])) or 0
local others = waiters
if counted then
  others = waiters - 1
end
if others > 0 then
  redis.call('DEL', KEYS[1])
  -- pcall: the DEL has taken effect (a script is not rolled back), so a refused notice must not fail the release.
  local sent = redis.pcall('PUBLISH', ARGV[5], ARGV[6])
  if type(sent) == 'table' and sent.err then
    return {3}
  end
  return {4}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if counted and waiters > 0 and redis.call('DECR', KEYS[3]) <= 0 then
  redis.call('DEL', KEYS[3])
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local token = math.max((tonumber(redis.call('GET', KEYS[2])) or 0) + 1, now)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[4])
return {1, token}
