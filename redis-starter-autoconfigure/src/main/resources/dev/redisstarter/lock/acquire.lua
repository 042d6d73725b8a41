-- Takes a lock for an owner if nobody holds it, and issues a fencing token.
-- The token strictly increases with every acquisition of this lock, also after the lock or its counter
-- expired: it is the larger of the last token + 1 and the server's time in microseconds.
-- Waiters are counted, so that a release publishes a notice only when somebody waits for it.
--
-- KEYS[1]: the lock (string: the owner's id), expiring after the lease
-- KEYS[2]: the lock's last fencing token (string), kept ARGV[3] ms after the last acquisition
-- KEYS[3]: how many owners wait for the lock (string counter), expiring ARGV[5] ms after the last change
-- ARGV[1]: the owner's id
-- ARGV[2]: the lease in milliseconds
-- ARGV[3]: how long to keep the last token, in milliseconds
-- ARGV[4]: '1' when the owner is counted among the waiters (and stops being one if it acquires; counted again on a
--          failed try that finds no count), else '0'
-- ARGV[5]: on a failed try, '0' to stay as it is, or the milliseconds to be counted among the waiters (the
--          counter's time to live only grows)
-- Returns: {1, fencing token} when acquired; {2, its fencing token} when the owner already holds it (a release
--   handed it over before this try ran, or an earlier run of this same try took it and its reply was lost: the
--   client sent it again after a reconnect); nothing changed; {0, milliseconds until the current holder's lease
--   ends}
local waiting = ARGV[4] == '1'
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    -- The last token issued is this owner's: every acquisition (here or in handoff.lua) sets both keys.
    return {2, tonumber(redis.call('GET', KEYS[2])) or 0}
  end
  local register = tonumber(ARGV[5])
  if register > 0 then
    -- A counted owner finding no count at all was lost from it (a restart, an eviction, a failover): counted
    -- again, or releases would no longer notify it and its instance's hand-offs would pass it by.
    if not waiting or redis.call('EXISTS', KEYS[3]) == 0 then
      redis.call('INCR', KEYS[3])
    end
    -- Only ever lengthened: a short waiter must not cut the count short under a long one.
    if redis.call('PTTL', KEYS[3]) < register then
      redis.call('PEXPIRE', KEYS[3], register)
    end
  end
  return {0, redis.call('PTTL', KEYS[1])}
end
if waiting and redis.call('DECR', KEYS[3]) <= 0 then
  redis.call('DEL', KEYS[3])
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local token = math.max((tonumber(redis.call('GET', KEYS[2])) or 0) + 1, now)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
