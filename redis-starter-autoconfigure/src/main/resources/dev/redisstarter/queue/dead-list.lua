-- Lists dead letters, the most recent first, with their records.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many to skip
-- ARGV[2]: how many to list
-- Returns: {id, {field, value, ...}} per dead letter whose record is still there and dead
local base = KEYS[1]
local first = tonumber(ARGV[1])
local ids = redis.call('ZREVRANGE', base .. ':dead', first, first + tonumber(ARGV[2]) - 1)
local result = {}
for _, id in ipairs(ids) do
  local job = base .. ':job:' .. id
  -- An entry whose record is not dead (expired, or its id enqueued again since) is dropped, not listed.
  local fields = {}
  if redis.call('HGET', job, 'state') == 'dead' then
    fields = redis.call('HGETALL', job)
  end
  if #fields > 0 then
    result[#result + 1] = {id, fields}
  else
    redis.call('ZREM', base .. ':dead', id)
  end
end
return result
