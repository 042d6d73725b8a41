-- Extends a read lease only while its reader still holds it; never revives a lease that ended.
--
-- KEYS[1]: the readers (sorted set: reader id -> end of its lease, server ms)
-- ARGV[1]: the reader's id
-- ARGV[2]: the new lease in milliseconds, from now
-- Returns: 1 when extended; 0 when the reader no longer holds a lease
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ends = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if not ends or ends <= now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now + lease), ARGV[1])
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return 1
