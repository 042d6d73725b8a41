-- Creates a session and enters it in its user's index, in one step; prunes the index of sessions that have
-- expired, then applies the per-user limit by evicting the oldest sessions or refusing.
-- The user's sessions and index share a hash tag (the session id carries it), so every key below is in one
-- Cluster slot; the session keys of other index members are built from ARGV[1], inside that same tag.
--
-- KEYS[1]: the new session (hash: user, created, accessed, absolute, and a:<name> per attribute as JSON)
-- KEYS[2]: the user's index (sorted set: session id -> creation time in ms, microseconds as a fraction)
-- ARGV[1]: the key of a session is ARGV[1] .. id
-- ARGV[2]: the new session's id
-- ARGV[3]: the user id
-- ARGV[4]: idle time to live in ms
-- ARGV[5]: absolute lifetime in ms
-- ARGV[6]: most sessions per user; 0 for no limit
-- ARGV[7]: 'evict-oldest' or 'refuse'
-- ARGV[8..]: attribute name, JSON value, name, value, ...
-- Returns: {1, created ms, expires ms, absolute ms, evicted id, ...} or {0} when refused by the limit
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local index, prefix = KEYS[2], ARGV[1]

for _, id in ipairs(redis.call('ZRANGE', index, 0, -1)) do
  if redis.call('EXISTS', prefix .. id) == 0 then
    redis.call('ZREM', index, id)
  end
end

local evicted = {}
local limit = tonumber(ARGV[6])
if limit > 0 then
  local count = redis.call('ZCARD', index)
  if count >= limit then
    if ARGV[7] == 'refuse' then
      return {0}
    end
    for _, id in ipairs(redis.call('ZRANGE', index, 0, count - limit)) do
      redis.call('DEL', prefix .. id)
      redis.call('ZREM', index, id)
      evicted[#evicted + 1] = id
    end
  end
end

local absolute = now + tonumber(ARGV[5])
local expires = math.min(now + tonumber(ARGV[4]), absolute)
local fields = {'user', ARGV[3], 'created', now, 'accessed', now, 'absolute', absolute}
for i = 8, #ARGV, 2 do
  fields[#fields + 1] = 'a:' .. ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIREAT', KEYS[1], expires)
-- The microseconds as a fraction keep sessions created within one millisecond in order (the oldest is evicted).
redis.call('ZADD', index, now + (tonumber(time[2]) % 1000) / 1000, ARGV[2])
-- The index lives as long as its longest-lived session can.
if redis.call('PTTL', index) < tonumber(ARGV[5]) then
  redis.call('PEXPIREAT', index, absolute)
end
local reply = {1, now, expires, absolute}
for _, id in ipairs(evicted) do
  reply[#reply + 1] = id
end
return reply
