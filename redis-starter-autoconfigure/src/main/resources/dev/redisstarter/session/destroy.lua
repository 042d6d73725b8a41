-- Ends sessions, session and index entry together: one session (ARGV[1] = 'one'), or all of a user's
-- (ARGV[1] = 'all'). Keys built from ARGV share the hash tag of KEYS[1], so all are in one Cluster slot.
--
-- KEYS[1]: 'one': the session; 'all': the user's index
-- ARGV[1]: 'one' or 'all'
-- ARGV[2]: 'one': the session id, 'all': the key of a session is ARGV[2] .. id
-- ARGV[3]: 'one': the key of a user's index is ARGV[3] .. user id
-- Returns: {user id or '', id, id, ...}: the user and the ids of the sessions that were live and are now ended
if ARGV[1] == 'one' then
  local user = redis.call('HGET', KEYS[1], 'user')
  if not user then
    -- No session, or a corrupt one without its user (no index entry to find): removed, not left to expire.
    redis.call('DEL', KEYS[1])
    return {''}
  end
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', ARGV[3] .. user, ARGV[2])
  return {user, ARGV[2]}
end
local ended = {''}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('DEL', ARGV[2] .. id) == 1 then
    ended[#ended + 1] = id
  end
end
redis.call('DEL', KEYS[1])
return ended
