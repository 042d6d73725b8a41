-- Writes a member's score: set it, add to it, or keep the better of the old and the new.
-- One script for the three because they must keep the same bookkeeping in step: the encoding of
-- first-reached ties, the distinct-score index of dense boards, and the expiry of periodic boards.
--
-- KEYS[1]: the board (sorted set: member -> stored score)
-- KEYS[2]: distinct scores of a dense board (sorted set: stored score -> same)
-- KEYS[3]: members per distinct score of a dense board (hash: stored score -> count)
-- ARGV[1]: member
-- ARGV[2]: the score (set, best) or the amount to add (incr)
-- ARGV[3]: 'set', 'incr' or 'best'
-- ARGV[4]: tie rule: 'competition', 'dense' or 'first-reached'
-- ARGV[5]: 1 when the highest score ranks first, -1 when the lowest does
-- ARGV[6]: first-reached only: bits of the stored score that hold the time (2^bits ticks of one second)
-- ARGV[7]: first-reached only: epoch second from which ticks count
-- ARGV[8]: epoch milliseconds at which the board's keys expire; 0 keeps them
-- ARGV[9]: first-reached only: the largest magnitude of score the encoding keeps exact
-- Returns: {the member's score afterwards (decoded, as '%.17g' text), 1 when it changed or 0}, or
--          {the score it would have been, -1} when that is out of the encoding's range (nothing is written)
local board, distinct, counts = KEYS[1], KEYS[2], KEYS[3]
local member, value, mode, tie = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local direction, bits, base, expireAt = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local firstReached = tie == 'first-reached'
local scale = 2 ^ bits

local function decode(stored)
  if firstReached then
    return math.floor(stored / scale)
  end
  return stored
end

local function expire()
  if expireAt > 0 then
    redis.call('PEXPIREAT', board, expireAt)
    if tie == 'dense' then
      redis.call('PEXPIREAT', distinct, expireAt)
      redis.call('PEXPIREAT', counts, expireAt)
    end
  end
end

local oldStored = redis.call('ZSCORE', board, member)
local old = oldStored and decode(tonumber(oldStored))
local new
if mode == 'incr' then
  new = (old or 0) + value
elseif mode == 'best' and old and ((direction > 0 and value <= old) or (direction < 0 and value >= old)) then
  new = old
else
  new = value
end

-- An unchanged score keeps its time, so whoever reached it first stays ahead.
if old ~= nil and new == old then
  expire()
  return {string.format('%.17g', old), 0}
end

local stored = new
if firstReached and math.abs(new) > tonumber(ARGV[9]) then
  return {string.format('%.17g', new), -1}
end
if firstReached then
  local now = redis.call('TIME')
  local tick = math.max(0, math.min(scale - 1, tonumber(now[1]) - base))
  if direction > 0 then
    tick = scale - 1 - tick
  end
  stored = new * scale + tick
end
redis.call('ZADD', board, stored, member)

if tie == 'dense' then
  if oldStored then
    if redis.call('HINCRBY', counts, oldStored, -1) <= 0 then
      redis.call('HDEL', counts, oldStored)
      redis.call('ZREM', distinct, oldStored)
    end
  end
  local newStored = redis.call('ZSCORE', board, member)
  if redis.call('HINCRBY', counts, newStored, 1) == 1 then
    redis.call('ZADD', distinct, newStored, newStored)
  end
end
expire()
return {string.format('%.17g', new), 1}
