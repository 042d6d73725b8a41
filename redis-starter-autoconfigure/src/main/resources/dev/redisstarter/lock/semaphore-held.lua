-- Tells whether a holder still holds all its permits, by the server's time.
--
-- KEYS[1]: the permits in use (sorted set: permit id -> end of its lease, server ms)
-- ARGV[1]: the holder's id; its permits are '<id>#1' to '<id>#<count>'
-- ARGV[2]: how many permits it holds
-- Returns: 1 when all are held; 0 otherwise
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 1, tonumber(ARGV[2]) do
  local ends = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1] .. '#' .. i))
  if not ends or ends <= now then
    return 0
  end
end
return 1
