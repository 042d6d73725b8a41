-- Removes a worker's check-in when it stops, so that it leaves the list of workers at once rather than when its
-- check-in ends (see stalled.lua).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the worker's id, <instance>/<handler>
-- Returns: 1 when it had a check-in, else 0
local base = KEYS[1]
redis.call('HDEL', base .. ':workers:info', ARGV[1])
return redis.call('ZREM', base .. ':workers', ARGV[1])
