-- Removes a consumer from a group only when nothing is pending for it: XGROUP DELCONSUMER on a consumer with
-- pending entries would drop them silently (redis#11567). Its entries are reclaimed first, then it goes.
--
-- KEYS[1]: the stream
-- ARGV[1]: the group
-- ARGV[2]: the consumer
-- Returns: 1 when removed, 0 when it still had pending entries
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if pending[1] then
  return 0
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
