-- Reads jobs' records.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1..]: job ids
-- Returns: for each id, its fields {field, value, ...} (empty when the job is gone)
local base = KEYS[1]
local result = {}
for i = 1, #ARGV do
  result[i] = redis.call('HGETALL', base .. ':job:' .. ARGV[i])
end
return result
