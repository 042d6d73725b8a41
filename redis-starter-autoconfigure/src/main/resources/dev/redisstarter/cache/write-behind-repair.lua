-- Deletes, one page at a time, the entries of a write-behind stream that its group has acknowledged but that are still
-- in the stream: writes settled or dead-lettered by a version that deleted them in a separate call after the
-- acknowledgement (before d60db52), where a crash or a failed call in between left them counted in backlog() and
-- against max-backlog for good (nothing else ever deletes an entry that is no longer pending). An entry up to the
-- group's last delivered id that is not pending is done with; entries past it were never read and stay.
--
-- KEYS[1]: the partition's write-behind stream
-- ARGV[1]: the group
-- ARGV[2]: where to start: '-' or an exclusive '(<id>' from the previous page
-- ARGV[3]: how many entries to look at
-- Returns: {how many were deleted, the start of the next page, or false when done}
local last
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, delivered
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then delivered = group[i + 1] end
  end
  if name == ARGV[1] then last = delivered end
end
if not last or last == '0-0' then
  return {0, false}
end
local entries = redis.call('XRANGE', KEYS[1], ARGV[2], last, 'COUNT', tonumber(ARGV[3]))
local deleted = 0
for _, entry in ipairs(entries) do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
  if not pending[1] then
    deleted = deleted + redis.call('XDEL', KEYS[1], entry[1])
  end
end
if #entries < tonumber(ARGV[3]) then
  return {deleted, false}
end
return {deleted, '(' .. entries[#entries][1]}
