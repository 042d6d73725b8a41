-- Gives a live session a new id: the old key becomes the new one (same slot: both carry the user's tag),
-- and the user's index follows. The old id no longer works.
--
-- KEYS[1]: the session under its old id
-- KEYS[2]: the session under its new id
-- ARGV[1]: the old id
-- ARGV[2]: the new id
-- ARGV[3]: the key of a user's index is ARGV[3] .. user id (same tag as the session)
-- Returns: 1 when rotated; 0 when there is no such session
local user = redis.call('HGET', KEYS[1], 'user')
if not user then
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[2])
-- An anonymous session (a Spring Session bridge one, user '') is in no index: none is created for it.
if user ~= '' then
  local index = ARGV[3] .. user
  -- The session keeps its place in the index (when it entered it), whatever its id.
  local score = redis.call('ZSCORE', index, ARGV[1]) or redis.call('HGET', KEYS[2], 'created')
  redis.call('ZREM', index, ARGV[1])
  redis.call('ZADD', index, score, ARGV[2])
end
return 1
