-- Settles entries of a write-behind stream once the writer has persisted them, or once a later write of their key
-- superseded them: acknowledges and deletes them, so that the stream holds only writes not persisted yet, and
-- forgets each persisted key's latest write unless the key was written again since.
--
-- KEYS[1]: the stream
-- KEYS[2]: the latest-write hash (same hash tag)
-- ARGV[1]: the group
-- ARGV[2]: n, how many keys were persisted
-- ARGV[3 .. 2 + 2n]: key, id pairs: a key persisted and the id of the write persisted (its first id when replayed)
-- ARGV[3 + 2n ..]: the ids of the entries to settle
-- Returns: how many entries were acknowledged
local n = tonumber(ARGV[2])
for i = 3, 2 + 2 * n, 2 do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
local acknowledged = 0
local ids = {}
-- In slices: unpack is bounded by Lua's stack.
for i = 3 + 2 * n, #ARGV do
  ids[#ids + 1] = ARGV[i]
  if #ids == 500 or i == #ARGV then
    acknowledged = acknowledged + redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
    redis.call('XDEL', KEYS[1], unpack(ids))
    ids = {}
  end
end
return acknowledged
