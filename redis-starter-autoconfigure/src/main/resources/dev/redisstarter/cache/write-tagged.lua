-- Writes a tagged entry in one call where the entry and its tags' records share a server (a single server or
-- Sentinel; on a Cluster they sit in different slots, and tag-version.lua runs per tag instead). Each tag's
-- version is read, or created when the tag has none, and its record kept at least as long as the entry; the
-- entry is then written with those versions in its header, unless a tag was invalidated after the load began.
-- Versions are the server's time in microseconds (see tag-version.lua and invalidate-tag.lua).
--
-- KEYS[1..n]: the tags' versions (strings); KEYS[n+1]: the entry (string)
-- ARGV[1]: the entry's lifetime in milliseconds
-- ARGV[2]: when the entry's load started (server microseconds), or 0 when the value did not come from a load
-- ARGV[3]: the entry's header lines other than its tags ('' for none)
-- ARGV[4]: the value's JSON
-- ARGV[5..4+n]: the tags' names (percent-encoded as in the header), in the order of KEYS
-- ARGV[5+n]: the load timeout in microseconds: a load older than this is stale (the record of an invalidation
--            made during it may have expired already); 0 for no limit
-- Returns: {stale, version 1, ..., version n}: stale is 1 when a tag was invalidated after the load started, or
--          the load is older than the load timeout (then nothing is written)
local n = #KEYS - 1
local ttl = tonumber(ARGV[1])
local started = tonumber(ARGV[2])
local now = nil
local stale = 0
local reply = {0}
local maxAge = tonumber(ARGV[5 + n] or '0')
if started > 0 and maxAge > 0 then
  local time = redis.call('TIME')
  if tonumber(time[1]) * 1000000 + tonumber(time[2]) - started >= maxAge then
    stale = 1
  end
end
local pairs = {}
for i = 1, n do
  local version = redis.call('GET', KEYS[i])
  if not version then
    if not now then
      local time = redis.call('TIME')
      now = time[1] .. string.format('%06d', tonumber(time[2]))
    end
    version = now
    redis.call('SET', KEYS[i], version, 'PX', ttl)
  else
    if started > 0 and string.sub(version, 1, 1) == 'i' and tonumber(string.sub(version, 2)) >= started then
      stale = 1
    end
    if redis.call('PTTL', KEYS[i]) < ttl then
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
  end
  reply[i + 1] = version
  pairs[i] = ARGV[4 + i] .. '=' .. version
end
reply[1] = stale
if stale == 0 then
  redis.call('SET', KEYS[n + 1], ARGV[3] .. 'T:' .. table.concat(pairs, ',') .. '\n' .. ARGV[4], 'PX', ttl)
end
return reply
