-- Saves a session for the Spring Session bridge in one step: creates it, or applies what changed since it was read
-- (attributes set or removed, a new id, a new principal whose sessions share the tag, a new idle interval); slides
-- its expiry when asked, never past its absolute deadline; and keeps the principal's index: pruned of ended
-- sessions, the per-user limit applied, the session entered. Keys built from ARGV share the hash tag of KEYS[1]
-- (every id carries it), so all are in one Cluster slot.
--
-- KEYS[1]: the session under its stored id ('create': under its id)
-- KEYS[2]: the session under its id after this save (KEYS[1] unless the id changes)
-- The index is a sorted set of the principal's session ids by the time each entered it (ms, with microseconds as a
-- fraction): creation for a session created with its principal, login for one that was anonymous before.
-- ARGV[1]: 'create' or 'update'
-- ARGV[2]: the stored id ('create': the id)
-- ARGV[3]: the id after this save
-- ARGV[4]: the principal after this save; '' for none
-- ARGV[5]: the key of a session is ARGV[5] .. id
-- ARGV[6]: the key of a principal's index is ARGV[6] .. principal
-- ARGV[7]: idle time to live in ms; '' keeps the stored one
-- ARGV[8]: 'create': absolute lifetime in ms
-- ARGV[9]: 'create': creation time in ms to keep (a session moved to another slot keeps it); '' for now
-- ARGV[10]: 'create': absolute deadline in ms to keep; '' for creation time + lifetime
-- ARGV[11]: most sessions per principal; 0 for no limit
-- ARGV[12]: 'evict-oldest' or 'refuse'
-- ARGV[13]: the most bytes the attributes may take, names and values counted
-- ARGV[14]: '1' to slide the expiry (always on 'create' and when the idle time changes)
-- ARGV[15..]: attribute name, encoded value ('' removes it), name, value, ...
-- Returns: {1, created, accessed, expires, absolute, idle, evicted id, ...} (times in ms, server clock);
--          {0} when there is no such session (ended, or its id changed meanwhile) or the new id is taken;
--          {-1} when the per-user limit refuses; {-2, size} when the attributes would be over the bound;
--          {-3} when the session is past its absolute deadline (it is deleted). Nothing is changed but on {1}
--          and {-3}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- Index scores carry the microseconds too, so that sessions created within one millisecond keep their order
-- (the oldest is the one evicted).
local precise = now + (tonumber(time[2]) % 1000) / 1000
local create = ARGV[1] == 'create'
local user, prefix, indexPrefix = ARGV[4], ARGV[5], ARGV[6]
local old, created, absolute, idle, accessed = '', nil, nil, nil, nil

if create then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return {0}
  end
  created = (ARGV[9] ~= '') and tonumber(ARGV[9]) or now
  absolute = (ARGV[10] ~= '') and tonumber(ARGV[10]) or (created + tonumber(ARGV[8]))
else
  local stored = redis.call('HMGET', KEYS[1], 'user', 'created', 'absolute', 'idle', 'accessed')
  if not stored[1] then
    return {0}
  end
  old, created, absolute = stored[1], tonumber(stored[2]), tonumber(stored[3])
  idle, accessed = tonumber(stored[4]), tonumber(stored[5])
  if absolute <= now then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', indexPrefix .. old, ARGV[2])
    return {-3}
  end
  if KEYS[2] ~= KEYS[1] and redis.call('EXISTS', KEYS[2]) == 1 then
    return {0}
  end
end
if ARGV[7] ~= '' then
  idle = tonumber(ARGV[7])
end

local size = 0
local named = {}
for i = 15, #ARGV, 2 do
  named['a:' .. ARGV[i]] = true
  if ARGV[i + 1] ~= '' then
    size = size + #ARGV[i] + #ARGV[i + 1]
  end
end
if not create then
  -- Attributes kept as they are still count.
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 2) == 'a:' and not named[field] then
      size = size + #field - 2 + redis.call('HSTRLEN', KEYS[1], field)
    end
  end
end
if size > tonumber(ARGV[13]) then
  return {-2, size}
end

local index = indexPrefix .. user
local evicted = {}
if user ~= '' and (create or old ~= user) then
  for _, id in ipairs(redis.call('ZRANGE', index, 0, -1)) do
    if redis.call('EXISTS', prefix .. id) == 0 then
      redis.call('ZREM', index, id)
    end
  end
  local limit = tonumber(ARGV[11])
  local count = redis.call('ZCARD', index)
  if limit > 0 and count >= limit then
    if ARGV[12] == 'refuse' then
      return {-1}
    end
    for _, id in ipairs(redis.call('ZRANGE', index, 0, count - limit)) do
      redis.call('DEL', prefix .. id)
      redis.call('ZREM', index, id)
      evicted[#evicted + 1] = id
    end
  end
end

-- A session enters its principal's index at the time it does (its login, not its creation, which may be long
-- before while it was anonymous), so that the oldest login is the one evicted; one that stays keeps its place.
local score = precise
if not create and old == user and user ~= '' then
  score = tonumber(redis.call('ZSCORE', index, ARGV[2]) or created)
end
if not create then
  if KEYS[2] ~= KEYS[1] then
    redis.call('RENAME', KEYS[1], KEYS[2])
  end
  if old ~= '' and (old ~= user or KEYS[2] ~= KEYS[1]) then
    redis.call('ZREM', indexPrefix .. old, ARGV[2])
  end
end
local fields = {'user', user, 'created', created, 'absolute', absolute, 'idle', idle}
local slide = create or ARGV[14] == '1'
if slide then
  accessed = now
  fields[#fields + 1] = 'accessed'
  fields[#fields + 1] = now
end
for i = 15, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[2], 'a:' .. ARGV[i])
  else
    fields[#fields + 1] = 'a:' .. ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
  end
end
redis.call('HSET', KEYS[2], unpack(fields))
local expires
if slide then
  expires = math.min(now + idle, absolute)
  redis.call('PEXPIREAT', KEYS[2], expires)
else
  expires = now + redis.call('PTTL', KEYS[2])
end
if user ~= '' then
  redis.call('ZADD', index, score, ARGV[3])
  -- The index lives as long as its longest-lived session can.
  if redis.call('PTTL', index) < absolute - now then
    redis.call('PEXPIREAT', index, absolute)
  end
end
local reply = {1, created, accessed or 0, expires, absolute, idle}
for _, id in ipairs(evicted) do
  reply[#reply + 1] = id
end
return reply
