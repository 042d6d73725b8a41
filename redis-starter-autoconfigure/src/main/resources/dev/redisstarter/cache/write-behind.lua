-- Writes one entry of a write-behind cache and appends the write to the cache's stream in the same step: a write is
-- acknowledged once both hold it, and no crash can leave one without the other.
--
-- KEYS[1]: the cache entry
-- KEYS[2]: the partition's write-behind stream (same hash tag)
-- KEYS[3]: the partition's latest-write hash: cache key to the id of its latest write not yet persisted (same hash tag)
-- ARGV[1]: the cache key, as the application gave it
-- ARGV[2]: 'set' or 'del'
-- ARGV[3]: the value's JSON ('' for 'del')
-- ARGV[4]: the cache entry to store (the value, or the cache's "absent" for 'del', so that a reader does not load the
--          old value from the store before the delete is persisted)
-- ARGV[5]: the entry's time to live in milliseconds
-- ARGV[6]: the most entries the stream may hold ('0': no bound); at the bound the write is refused, never trimmed
-- Returns: the write's entry id, or false when the stream is full (the writer is behind)
if ARGV[6] ~= '0' and redis.call('XLEN', KEYS[2]) >= tonumber(ARGV[6]) then
  return false
end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
local id = redis.call('XADD', KEYS[2], '*', 'key', ARGV[1], 'op', ARGV[2], 'payload', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], id)
return id
