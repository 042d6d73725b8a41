-- Removes members from a board: one named member, or every member ranked below the top N.
--
-- KEYS[1]: the board (sorted set)
-- KEYS[2]: distinct scores of a dense board (sorted set)
-- KEYS[3]: members per distinct score of a dense board (hash)
-- ARGV[1]: 'member' or 'below-top'
-- ARGV[2]: the member, or N (how many of the best to keep)
-- ARGV[3]: tie rule: 'competition', 'dense' or 'first-reached'
-- ARGV[4]: 1 when the highest score ranks first, -1 when the lowest does
-- ARGV[5]: below-top only: the most members this call removes, so that one call holds Redis briefly (the caller
--          calls again while a call removes that many)
-- Returns: how many members were removed
local board, distinct, counts = KEYS[1], KEYS[2], KEYS[3]
local what, tie, direction = ARGV[1], ARGV[3], tonumber(ARGV[4])

local removed = {}
if what == 'member' then
  local stored = redis.call('ZSCORE', board, ARGV[2])
  if stored then
    removed = {ARGV[2], stored}
  end
else
  local keep = tonumber(ARGV[2])
  local excess = redis.call('ZCARD', board) - keep
  if excess <= 0 then
    return 0
  end
  local n = math.min(excess, tonumber(ARGV[5]))
  if direction > 0 then
    -- The best are the highest: the lowest ranks sit at the start.
    removed = redis.call('ZRANGE', board, 0, n - 1, 'WITHSCORES')
  else
    removed = redis.call('ZRANGE', board, -n, -1, 'WITHSCORES')
  end
end

local count = 0
for i = 1, #removed, 2 do
  redis.call('ZREM', board, removed[i])
  count = count + 1
  if tie == 'dense' then
    local stored = removed[i + 1]
    if redis.call('HINCRBY', counts, stored, -1) <= 0 then
      redis.call('HDEL', counts, stored)
      redis.call('ZREM', distinct, stored)
    end
  end
end
return count
