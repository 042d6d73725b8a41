-- Returns a tag's current version for an entry about to be written with it, creating one if the tag has none
-- (first use, or its record expired or was evicted), and keeps the record at least as long as the entry.
-- Versions are the server's time in microseconds, so a version never comes back once replaced; a version
-- written by an invalidation starts with 'i'.
--
-- KEYS[1]: the tag's version (string)
-- ARGV[1]: the lifetime of the entry being written, in milliseconds
-- ARGV[2]: when the entry's load started (server microseconds, less a margin for clock differences between
--          Cluster nodes), or 0 when the value did not come from a load
-- ARGV[3]: the load timeout in microseconds: a load older than this is stale too, since the record of an
--          invalidation made during it may have expired already (0 for no limit)
-- Returns: {version, stale}: stale is 1 when the tag was invalidated after the load started, or the load is older
--          than the load timeout, so the loaded value may predate the change and must not be cached
local started = tonumber(ARGV[2])
-- Checked first: an invalidation made during a load that old may have left a record that expired since, so even a
-- tag without a version proves nothing.
local tooOld = 0
local maxAge = tonumber(ARGV[3] or '0')
if started > 0 and maxAge > 0 then
  local time = redis.call('TIME')
  if tonumber(time[1]) * 1000000 + tonumber(time[2]) - started >= maxAge then
    tooOld = 1
  end
end
local version = redis.call('GET', KEYS[1])
if not version then
  local time = redis.call('TIME')
  version = time[1] .. string.format('%06d', tonumber(time[2]))
  redis.call('SET', KEYS[1], version, 'PX', ARGV[1])
  return {version, tooOld}
end
local stale = tooOld
if started > 0 and string.sub(version, 1, 1) == 'i' and tonumber(string.sub(version, 2)) >= started then
  stale = 1
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {version, stale}
