-- Ends a write lease only for its owner; never touches another writer's lease.
--
-- KEYS[1]: the write lease (string: the writer's id)
-- ARGV[1]: the writer's id
-- Returns: 1 when released; 0 when the lease was no longer this writer's (expired, or taken by another)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
