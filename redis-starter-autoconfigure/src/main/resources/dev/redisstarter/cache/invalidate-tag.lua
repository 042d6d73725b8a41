-- Invalidates a tag: gives it a new version, so that every entry written with an earlier one reads as a miss,
-- and tells every instance (they drop the version they keep locally). The new version starts with 'i' and
-- records when: a load that started before it does not cache its value (see tag-version.lua). The record
-- lives as long as the entries that carried the old version, and at least as long as a load may run.
--
-- KEYS[1]: the tag's version (string)
-- ARGV[1]: the longest a load may run, in milliseconds
-- ARGV[2]: the channel invalidation notices go to
-- ARGV[3]: the tag, as published
-- Returns: {1 if the tag had a version (entries may have carried it) else 0}, followed by Redis's error when it
--   refused the notice (the user's channel rules): the new version is written all the same, and instances whose
--   subscription is down (refused too) check versions against Redis instead of their local copy
local ttl = redis.call('PTTL', KEYS[1])
local existed = 1
if ttl == -2 then
  existed = 0
end
if ttl < tonumber(ARGV[1]) then
  ttl = tonumber(ARGV[1])
end
local time = redis.call('TIME')
redis.call('SET', KEYS[1], 'i' .. time[1] .. string.format('%06d', tonumber(time[2])), 'PX', ttl)
-- pcall: the SET has taken effect (a script is not rolled back), so a refused notice must not fail the invalidation.
local sent = redis.pcall('PUBLISH', ARGV[2], ARGV[3])
if type(sent) == 'table' and sent.err then
  return {existed, sent.err}
end
return {existed}
