-- Writes a stock level only if the writer's fencing token is not older than the last writer's, so a lock
-- holder whose lease ended (and whose lock another owner took) cannot overwrite newer data.
--
-- KEYS[1]: the item (hash: stock, token)
-- ARGV[1]: the new stock level
-- ARGV[2]: the writer's fencing token
-- Returns: 1 when written; 0 when refused as stale
local last = tonumber(redis.call('HGET', KEYS[1], 'token')) or 0
if tonumber(ARGV[2]) < last then
  return 0
end
redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'token', ARGV[2])
return 1
