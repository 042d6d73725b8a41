-- Takes a lock for an owner if nobody holds it, and issues a fencing token.
-- The token strictly increases with every acquisition of this lock, also after the lock or its counter
-- expired: it is the larger of the last token + 1 and the server's time in microseconds.
--
-- KEYS[1]: the lock (string: the owner's id), expiring after the lease
-- KEYS[2]: the lock's last fencing token (string), kept ARGV[3] ms after the last acquisition
-- ARGV[1]: the owner's id
-- ARGV[2]: the lease in milliseconds
-- ARGV[3]: how long to keep the last token, in milliseconds
-- Returns: {1, fencing token} when acquired; {0, milliseconds until the current holder's lease ends}
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('PTTL', KEYS[1])}
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local token = math.max((tonumber(redis.call('GET', KEYS[2])) or 0) + 1, now)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
