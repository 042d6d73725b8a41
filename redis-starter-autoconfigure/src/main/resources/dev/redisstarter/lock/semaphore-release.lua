-- Gives back a holder's permits; only its own entries are removed, so a holder whose lease ended cannot free
-- permits that others took since.
--
-- KEYS[1]: the permits in use (sorted set: permit id -> end of its lease, server ms)
-- ARGV[1]: the holder's id; its permits are '<id>#1' to '<id>#<count>'
-- ARGV[2]: how many permits it holds
-- Returns: how many of its permits were still held (0 when its lease had ended)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local held = 0
for i = 1, tonumber(ARGV[2]) do
  local member = ARGV[1] .. '#' .. i
  local ends = tonumber(redis.call('ZSCORE', KEYS[1], member))
  if ends then
    redis.call('ZREM', KEYS[1], member)
    if ends > now then
      held = held + 1
    end
  end
end
return held
