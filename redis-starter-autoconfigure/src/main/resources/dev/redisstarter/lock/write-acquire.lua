-- Takes the write lease of a read/write lock when no writer holds it and no reader's lease is running, and issues a
-- fencing token. A writer that may wait and is refused is recorded among the waiting writers until its wait ends,
-- which stops new readers (writer preference); it leaves them when it acquires or gives up. Readers whose lease ended
-- and writers whose wait ended are purged first. Time is the server's.
--
-- KEYS[1]: the write lease (string: the writer's id), expiring with its lease
-- KEYS[2]: the readers (sorted set: reader id -> end of its lease, server ms)
-- KEYS[3]: the waiting writers (sorted set: writer id -> until when it counts as waiting, server ms), expiring with the
--   longest entry
-- KEYS[4]: the last fencing token (string), kept ARGV[3] ms after the last acquisition
-- ARGV[1]: the writer's id
-- ARGV[2]: the lease in milliseconds
-- ARGV[3]: how long to keep the last token, in milliseconds
-- ARGV[4]: when refused, how long from now the writer is to count as waiting, in milliseconds ('0': not at all)
-- Returns: {1, fencing token} when acquired (the larger of the last token + 1 and the server's time in µs);
--   {0, milliseconds until the holder that blocks it ends its lease at the latest} otherwise
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local writer = redis.call('PTTL', KEYS[1])
local blocked = -1
if writer ~= -2 then
  blocked = writer
else
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  if last[2] then
    blocked = tonumber(last[2]) - now
  end
end
if blocked ~= -1 then
  local wait = tonumber(ARGV[4])
  if wait > 0 then
    redis.call('ZADD', KEYS[3], string.format('%.0f', now + wait), ARGV[1])
    if redis.call('PTTL', KEYS[3]) < wait then
      redis.call('PEXPIRE', KEYS[3], wait)
    end
  end
  return {0, blocked}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
local micros = tonumber(time[1]) * 1000000 + tonumber(time[2])
local token = math.max((tonumber(redis.call('GET', KEYS[4])) or 0) + 1, micros)
redis.call('SET', KEYS[4], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
