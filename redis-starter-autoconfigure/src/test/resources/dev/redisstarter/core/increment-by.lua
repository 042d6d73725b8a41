-- Test script: adds to a counter and gives it a TTL.
-- KEYS[1]: the counter
-- ARGV[1]: the amount to add
-- ARGV[2]: time to live in milliseconds
-- Returns: the counter's new value
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return value
