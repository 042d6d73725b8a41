-- Extends a holder's permits only while it still holds all of them; never revives a permit whose lease ended.
--
-- KEYS[1]: the permits in use (sorted set: permit id -> end of its lease, server ms)
-- ARGV[1]: the holder's id; its permits are '<id>#1' to '<id>#<count>'
-- ARGV[2]: how many permits it holds
-- ARGV[3]: the new lease in milliseconds, from now
-- Returns: 1 when extended; 0 when a permit of the holder had ended (its remaining permits are given back)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local count = tonumber(ARGV[2])
for i = 1, count do
  local ends = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1] .. '#' .. i))
  if not ends or ends <= now then
    for j = 1, count do
      redis.call('ZREM', KEYS[1], ARGV[1] .. '#' .. j)
    end
    return 0
  end
end
local lease = tonumber(ARGV[3])
local ends = string.format('%.0f', now + lease)
for i = 1, count do
  redis.call('ZADD', KEYS[1], 'XX', ends, ARGV[1] .. '#' .. i)
end
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return 1
