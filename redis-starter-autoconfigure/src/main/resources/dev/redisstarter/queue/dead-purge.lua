-- Deletes dead letters and their records.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the most to delete in this call
-- ARGV[2..]: job ids, or none for the oldest dead letters
-- Returns: {how many were deleted, how many ids were looked at}
local base = KEYS[1]
local ids = {}
if #ARGV > 1 then
  for i = 2, #ARGV do
    ids[#ids + 1] = ARGV[i]
  end
else
  ids = redis.call('ZRANGE', base .. ':dead', 0, tonumber(ARGV[1]) - 1)
end
local purged = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', base .. ':dead', id) == 1 then
    redis.call('DEL', base .. ':job:' .. id)
    purged = purged + 1
  end
end
return {purged, #ids}
