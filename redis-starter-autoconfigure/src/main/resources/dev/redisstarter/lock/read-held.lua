-- Tells whether a reader still holds its read lease, by the server's time.
--
-- KEYS[1]: the readers (sorted set: reader id -> end of its lease, server ms)
-- ARGV[1]: the reader's id
-- Returns: 1 when held; 0 when the lease ended or was never taken
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ends = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if ends and ends > now then
  return 1
end
return 0
