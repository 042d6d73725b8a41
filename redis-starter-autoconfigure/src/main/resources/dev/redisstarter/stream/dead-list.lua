-- Lists the oldest dead letters of a stream with every long field value cut here, before it travels, so that a list
-- of large entries stays small. Read only.
--
-- KEYS[1]: the dead-letter stream, <prefix>stream:{<name>}:dead
-- ARGV[1]: how many to list
-- ARGV[2]: how many bytes of a long value to keep
-- Returns: {{id, {field, value, ...}}, ...}, oldest first
local keep = tonumber(ARGV[2])
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for i = 2, #fields, 2 do
    if #fields[i] > keep then
      fields[i] = string.sub(fields[i], 1, keep)
    end
  end
end
return entries
