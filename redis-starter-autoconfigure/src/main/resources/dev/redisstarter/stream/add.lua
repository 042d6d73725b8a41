-- Adds an entry to a stream and trims it in the same step, so the stream never outgrows its bound.
--
-- KEYS[1]: the stream
-- ARGV[1]: the approximate maximum length ('0': no length bound); trimmed with MAXLEN ~
-- ARGV[2]: the maximum age in milliseconds ('0': no age bound); entries whose id (the server's time when they
--          were added) is older are trimmed with MINID ~
-- ARGV[3..]: field, value pairs
-- Returns: the new entry's id
local fields = {}
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
local id
if ARGV[1] ~= '0' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
else
  id = redis.call('XADD', KEYS[1], '*', unpack(fields))
end
if ARGV[2] ~= '0' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', now - tonumber(ARGV[2])))
end
return id
