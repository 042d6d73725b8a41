-- Ends a read lease; only the reader's own entry is removed.
--
-- KEYS[1]: the readers (sorted set: reader id -> end of its lease, server ms)
-- ARGV[1]: the reader's id
-- Returns: 1 when the lease was still held; 0 when it had already ended (expired or purged)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ends = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if not ends then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
if ends <= now then
  return 0
end
return 1
