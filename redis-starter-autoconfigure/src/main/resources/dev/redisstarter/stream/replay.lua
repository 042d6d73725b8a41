-- Puts a dead letter back into its source stream as a new entry (its own fields, without what the dead-letter
-- stream added) and removes it from the dead-letter stream, atomically. The new entry names the id the entry first
-- had ('x-replay-of': kept through replays of replays), so that handlers keyed on it stay idempotent, and, unless it is
-- for every group, the group that gave it up ('x-replay-group'): the other groups' consumers acknowledge and skip it.
--
-- KEYS[1]: the dead-letter stream
-- KEYS[2]: the source stream (same hash tag)
-- ARGV[1]: the dead letter's id
-- ARGV[2]: the source stream's approximate maximum length ('0': no bound)
-- ARGV[3]: '1' to address the replay to the group that gave it up only, '0' for every group
-- Returns: the new entry's id in the source stream, or false when there is no such dead letter
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if not found[1] then
  return false
end
local fields = {}
local raw = found[1][2]
local deadId, deadGroup, replayOf
for i = 1, #raw, 2 do
  local name = raw[i]
  if name == 'x-dead-id' then
    deadId = raw[i + 1]
  elseif name == 'x-dead-group' then
    deadGroup = raw[i + 1]
  elseif name == 'x-replay-of' then
    replayOf = raw[i + 1]
  elseif name ~= 'x-replay-group' and string.sub(name, 1, 7) ~= 'x-dead-' then
    fields[#fields + 1] = name
    fields[#fields + 1] = raw[i + 1]
  end
end
local original = replayOf or deadId
if original and original ~= '' then
  fields[#fields + 1] = 'x-replay-of'
  fields[#fields + 1] = original
end
if ARGV[3] == '1' and deadGroup and deadGroup ~= '' then
  fields[#fields + 1] = 'x-replay-group'
  fields[#fields + 1] = deadGroup
end
local id
if ARGV[2] ~= '0' then
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
else
  id = redis.call('XADD', KEYS[2], '*', unpack(fields))
end
redis.call('XDEL', KEYS[1], ARGV[1])
return id
