-- Returns a tag's current version, creating one if the tag has none (first use, or invalidated, or evicted),
-- and keeps the tag at least as long as the entry being written with it.
-- Versions are the server's time in microseconds when created: a tag deleted and created again never
-- gets back an old version, so an entry written before an invalidation can never match again.
--
-- KEYS[1]: the tag's version (string)
-- ARGV[1]: the lifetime of the entry being written, in milliseconds
-- Returns: the version
local version = redis.call('GET', KEYS[1])
if not version then
  local time = redis.call('TIME')
  version = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], version, 'PX', ARGV[1])
  return version
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return version
