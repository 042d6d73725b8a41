-- Takes, keeps or gives up the lease on one write-behind partition: the one instance that persists its stream at a
-- time, so that the writes of a key reach the writer in the order they were made.
--
-- KEYS[1]: the lease
-- ARGV[1]: the holder
-- ARGV[2]: the lease's length in milliseconds; '0' to give it up
-- Returns: 1 when the holder has the lease (or gave it up), 0 when another holds it
local holder = redis.call('GET', KEYS[1])
if ARGV[2] == '0' then
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
  end
  return 1
end
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
