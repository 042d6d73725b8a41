-- Reads one member's rank and stored score.
--
-- KEYS[1]: the board (sorted set)
-- KEYS[2]: distinct scores of a dense board (sorted set)
-- ARGV[1]: member
-- ARGV[2]: tie rule: 'competition' (1224), 'dense' (1223) or 'first-reached' (no ties)
-- ARGV[3]: 1 when the highest score ranks first, -1 when the lowest does
-- Returns: {rank (1-based), stored score}, or {} when the member is not on the board
local board, distinct, member, tie, direction = KEYS[1], KEYS[2], ARGV[1], ARGV[2], tonumber(ARGV[3])

local stored = redis.call('ZSCORE', board, member)
if not stored then
  return {}
end
local better
if tie == 'first-reached' then
  if direction > 0 then
    better = redis.call('ZREVRANK', board, member)
  else
    better = redis.call('ZRANK', board, member)
  end
else
  local set = (tie == 'dense') and distinct or board
  if direction > 0 then
    better = redis.call('ZCOUNT', set, '(' .. stored, '+inf')
  else
    better = redis.call('ZCOUNT', set, '-inf', '(' .. stored)
  end
end
return {better + 1, stored}
