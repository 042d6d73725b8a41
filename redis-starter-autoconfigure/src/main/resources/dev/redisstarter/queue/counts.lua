-- Counts a queue's jobs by state.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- Returns: {waiting, delayed, active, completed, dead, ms left of a back-off pause (0: none), dead letters trimmed
-- (<base>:trimmed: kept until dead.max-age passes without a trim)}
local base = KEYS[1]
return {redis.call('ZCARD', base .. ':ready'), redis.call('ZCARD', base .. ':delayed'),
  redis.call('ZCARD', base .. ':active'), redis.call('ZCARD', base .. ':completed'),
  redis.call('ZCARD', base .. ':dead'), math.max(0, redis.call('PTTL', base .. ':paused')),
  tonumber(redis.call('GET', base .. ':trimmed')) or 0}
