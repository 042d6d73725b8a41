-- Lists dead letters, the most recent first, with their records.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many to skip
-- ARGV[2]: how many to list
-- Returns: {id, {field, value, ...}} per dead letter whose record is still there
local base = KEYS[1]
local first = tonumber(ARGV[1])
local ids = redis.call('ZREVRANGE', base .. ':dead', first, first + tonumber(ARGV[2]) - 1)
local result = {}
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', base .. ':job:' .. id)
  if #fields > 0 then
    result[#result + 1] = {id, fields}
  else
    redis.call('ZREM', base .. ':dead', id)
  end
end
return result
