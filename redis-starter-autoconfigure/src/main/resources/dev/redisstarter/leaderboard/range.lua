-- Reads consecutive entries of a board in rank order, with the rank of the first one; the caller
-- derives the others (equal stored scores share a rank).
--
-- KEYS[1]: the board (sorted set)
-- KEYS[2]: distinct scores of a dense board (sorted set)
-- ARGV[1]: tie rule: 'competition', 'dense' or 'first-reached'
-- ARGV[2]: 1 when the highest score ranks first, -1 when the lowest does
-- ARGV[3]: 'position' (ARGV[4] is the 0-based first position, ARGV[5] how many)
--          or 'around' (ARGV[4] is a member, ARGV[5] how many neighbours on each side)
-- Returns: {position of the first entry (0-based), its rank, member, stored score, member, stored score, ...},
--          or {} when the member is not on the board or the range is past the end
local board, distinct, tie, direction = KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2])

local function position(member)
  if direction > 0 then
    return redis.call('ZREVRANK', board, member)
  end
  return redis.call('ZRANK', board, member)
end

local start, stop
if ARGV[3] == 'around' then
  local at = position(ARGV[4])
  if not at then
    return {}
  end
  start = math.max(0, at - tonumber(ARGV[5]))
  stop = at + tonumber(ARGV[5])
else
  start = tonumber(ARGV[4])
  stop = start + tonumber(ARGV[5]) - 1
end

local entries
if direction > 0 then
  entries = redis.call('ZREVRANGE', board, start, stop, 'WITHSCORES')
else
  entries = redis.call('ZRANGE', board, start, stop, 'WITHSCORES')
end
if #entries == 0 then
  return {}
end

local stored = entries[2]
local better
if tie == 'first-reached' then
  better = start
else
  local set = (tie == 'dense') and distinct or board
  if direction > 0 then
    better = redis.call('ZCOUNT', set, '(' .. stored, '+inf')
  else
    better = redis.call('ZCOUNT', set, '-inf', '(' .. stored)
  end
end
local result = {start, better + 1}
for i = 1, #entries do
  result[#result + 1] = entries[i]
end
return result
