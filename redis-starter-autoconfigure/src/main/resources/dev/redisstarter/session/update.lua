-- Changes a live session's attributes: merges them (named ones set, others kept) or replaces them all.
--
-- KEYS[1]: the session (hash)
-- ARGV[1]: 'merge' or 'replace'
-- ARGV[2..]: attribute name, JSON value, name, value, ... (a JSON null removes the attribute when merging)
-- Returns: 1 when changed; 0 when there is no such session
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if ARGV[1] == 'replace' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 2) == 'a:' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == 'null' then
    redis.call('HDEL', KEYS[1], 'a:' .. ARGV[i])
  else
    redis.call('HSET', KEYS[1], 'a:' .. ARGV[i], ARGV[i + 1])
  end
end
return 1
