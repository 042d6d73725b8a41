-- Takes a read lease of a read/write lock: granted when no writer holds the lock and no writer waits for it (writer
-- preference: a waiting writer stops new readers, so that a stream of readers cannot starve writers). Readers whose
-- lease ended and writers whose wait ended are purged first, so a crashed holder or waiter never blocks for longer
-- than its lease or wait. Time is the server's.
--
-- KEYS[1]: the write lease (string: the writer's id), expiring with its lease
-- KEYS[2]: the readers (sorted set: reader id -> end of its lease, server ms), expiring with the longest lease
-- KEYS[3]: the waiting writers (sorted set: writer id -> until when it counts as waiting, server ms), expiring with the
--   longest entry
-- KEYS[4]: the last fencing token of a writer (string)
-- ARGV[1]: the reader's id
-- ARGV[2]: the lease in milliseconds
-- Returns: {1, the last writer's fencing token or 0} when granted; {0, milliseconds until the write lease ends} while a
--   writer holds the lock, {0, -1} while writers wait
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local writer = redis.call('PTTL', KEYS[1])
if writer ~= -2 then
  return {0, writer}
end
if redis.call('ZCARD', KEYS[3]) > 0 then
  return {0, -1}
end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], string.format('%.0f', now + lease), ARGV[1])
-- Only ever lengthened: the set lives as long as its longest lease.
if redis.call('PTTL', KEYS[2]) < lease then
  redis.call('PEXPIRE', KEYS[2], lease)
end
return {1, tonumber(redis.call('GET', KEYS[4])) or 0}
