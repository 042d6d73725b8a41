-- Changes a live session's attributes: merges them (named ones set, others kept) or replaces them all, unless the
-- session's attributes would then take more than the size bound.
--
-- KEYS[1]: the session (hash)
-- ARGV[1]: 'merge' or 'replace'
-- ARGV[2]: the most bytes the attributes may take, names and JSON values counted
-- ARGV[3..]: attribute name, JSON value, name, value, ... (a JSON null removes the attribute when merging)
-- Returns: 1 when changed; 0 when there is no such session; minus the size in bytes the attributes would have
-- taken when that is over the bound (nothing is changed then)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local size = 0
local named = {}
for i = 3, #ARGV, 2 do
  named['a:' .. ARGV[i]] = true
  if ARGV[i + 1] ~= 'null' then
    size = size + #ARGV[i] + #ARGV[i + 1]
  end
end
local fields = redis.call('HKEYS', KEYS[1])
if ARGV[1] == 'merge' then
  -- Attributes kept as they are still count.
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 2) == 'a:' and not named[field] then
      size = size + #field - 2 + redis.call('HSTRLEN', KEYS[1], field)
    end
  end
end
if size > tonumber(ARGV[2]) then
  return -size
end
if ARGV[1] == 'replace' then
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 2) == 'a:' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
end
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == 'null' then
    redis.call('HDEL', KEYS[1], 'a:' .. ARGV[i])
  else
    redis.call('HSET', KEYS[1], 'a:' .. ARGV[i], ARGV[i + 1])
  end
end
return 1
