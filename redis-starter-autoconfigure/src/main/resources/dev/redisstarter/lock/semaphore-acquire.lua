-- Takes permits of a semaphore when enough are free. Each permit is a lease: an entry that ends at its lease's end,
-- so the permits of a holder that died come back when its lease ends; ended entries are purged first. Time is the
-- server's.
--
-- KEYS[1]: the permits in use (sorted set: permit id -> end of its lease, server ms), expiring with the longest lease
-- ARGV[1]: the holder's id; its permits are '<id>#1' to '<id>#<count>'
-- ARGV[2]: the lease in milliseconds
-- ARGV[3]: how many permits the semaphore has
-- ARGV[4]: how many to take; '0' only counts the free permits
-- Returns: {1, permits still free} when taken; {0, milliseconds until the next lease in use ends (-1: none would
--   make room)} otherwise
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(ARGV[3])
local count = tonumber(ARGV[4])
local used = redis.call('ZCARD', KEYS[1])
if count == 0 then
  return {1, math.max(0, limit - used)}
end
if used + count > limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if first[2] then
    return {0, tonumber(first[2]) - now}
  end
  return {0, -1}
end
local lease = tonumber(ARGV[2])
local ends = string.format('%.0f', now + lease)
for i = 1, count do
  redis.call('ZADD', KEYS[1], ends, ARGV[1] .. '#' .. i)
end
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return {1, limit - used - count}
