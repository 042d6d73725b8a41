-- Deletes dead letters and their records. An index entry whose record is not dead (expired, or its id enqueued
-- again since) only leaves the index: a live job is never deleted here.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the most to delete in this call
-- ARGV[2..]: job ids, or none for the oldest dead letters
-- Returns: {how many dead letters were deleted, how many ids were looked at}
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
    local job = base .. ':job:' .. id
    if redis.call('HGET', job, 'state') == 'dead' then
      redis.call('DEL', job)
      purged = purged + 1
    end
  end
end
return {purged, #ids}
