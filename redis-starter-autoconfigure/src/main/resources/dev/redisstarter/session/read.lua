-- Reads a session and, when asked, slides its expiry: one round trip.
-- The expiry moves to now + idle time to live, but never past the session's absolute deadline. A session with its
-- own idle time (field 'idle', set through the Spring Session bridge) slides by that instead of ARGV[2].
--
-- KEYS[1]: the session (hash)
-- ARGV[1]: '1' to slide the expiry, '0' to only read
-- ARGV[2]: idle time to live in ms, for sessions without their own
-- Returns: {'ok', now ms, expires ms, field, value, ...}; {'expired'} when the absolute deadline has passed
--          (the session is deleted); {} when there is no such session
local data = redis.call('HGETALL', KEYS[1])
if #data == 0 then
  return {}
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local absolute
local ttl = tonumber(ARGV[2])
for i = 1, #data, 2 do
  if data[i] == 'absolute' then
    absolute = tonumber(data[i + 1])
  elseif data[i] == 'idle' then
    -- One that is no number (corrupt) is read as none, by the caller as here: no arithmetic on nil below.
    ttl = tonumber(data[i + 1]) or ttl
  end
end
if absolute and absolute <= now then
  redis.call('DEL', KEYS[1])
  return {'expired'}
end
local expires = now + redis.call('PTTL', KEYS[1])
if ARGV[1] == '1' then
  expires = math.min(now + ttl, absolute or (now + ttl))
  redis.call('HSET', KEYS[1], 'accessed', now)
  redis.call('PEXPIREAT', KEYS[1], expires)
  for i = 1, #data, 2 do
    if data[i] == 'accessed' then
      data[i + 1] = tostring(now)
    end
  end
end
local reply = {'ok', now, expires}
for i = 1, #data do
  reply[#reply + 1] = data[i]
end
return reply
