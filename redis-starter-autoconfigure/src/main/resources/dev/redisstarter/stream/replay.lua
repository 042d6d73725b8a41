-- Puts a dead letter back into its source stream as a new entry (its own fields, without what the dead-letter
-- stream added) and removes it from the dead-letter stream, atomically.
--
-- KEYS[1]: the dead-letter stream
-- KEYS[2]: the source stream (same hash tag)
-- ARGV[1]: the dead letter's id
-- ARGV[2]: the source stream's approximate maximum length ('0': no bound)
-- Returns: the new entry's id in the source stream, or false when there is no such dead letter
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if not found[1] then
  return false
end
local fields = {}
local raw = found[1][2]
for i = 1, #raw, 2 do
  if string.sub(raw[i], 1, 7) ~= 'x-dead-' then
    fields[#fields + 1] = raw[i]
    fields[#fields + 1] = raw[i + 1]
  end
end
local id
if ARGV[2] ~= '0' then
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
else
  id = redis.call('XADD', KEYS[2], '*', unpack(fields))
end
redis.call('XDEL', KEYS[1], ARGV[1])
return id
