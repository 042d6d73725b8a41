-- Deletes the oldest dead letters of a write-behind partition, and with each the latest-write record of its key when
-- that record is still the dead letter's write (nothing newer was written since): a purged write is given up, and
-- its record would otherwise stay in the hash for good.
--
-- KEYS[1]: the partition's dead letters
-- KEYS[2]: the partition's latest-write hash (same hash tag)
-- ARGV[1]: how many dead letters to delete at most (the caller calls again until none is left)
-- Returns: how many were deleted
local letters = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))
for _, letter in ipairs(letters) do
  local raw = letter[2]
  local key, id
  for i = 1, #raw, 2 do
    if raw[i] == 'key' then
      key = raw[i + 1]
    elseif raw[i] == 'x-dead-id' then
      id = raw[i + 1]
    end
  end
  if key and id and redis.call('HGET', KEYS[2], key) == id then
    redis.call('HDEL', KEYS[2], key)
  end
  redis.call('XDEL', KEYS[1], letter[1])
end
return #letters
