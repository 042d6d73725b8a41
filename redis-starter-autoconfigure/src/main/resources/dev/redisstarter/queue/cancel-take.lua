-- Cancels takes whose replies a worker never got (Redis froze or the connection dropped while they were on
-- their way): the jobs they took, still owned by them, go back to waiting without counting an attempt, and a take
-- that has not run yet takes nothing when it does.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the lease in ms (how long a cancellation marker is kept)
-- ARGV[2..]: the request ids of the takes (each the owner of what it took)
-- Returns: how many jobs went back to waiting
local base = KEYS[1]
local released = 0
for i = 2, #ARGV do
  local request = base .. ':take:' .. ARGV[i]
  if redis.call('TYPE', request)['ok'] == 'list' then
    for _, id in ipairs(redis.call('LRANGE', request, 0, -1)) do
      local job = base .. ':job:' .. id
      local fields = redis.call('HMGET', job, 'owner', 'score')
      if fields[1] == ARGV[i] then
        redis.call('ZREM', base .. ':active', id)
        redis.call('HDEL', job, 'owner')
        redis.call('HINCRBY', job, 'attempts', -1)
        redis.call('HSET', job, 'state', 'waiting')
        redis.call('ZADD', base .. ':ready', fields[2] or '1099511627776000', id)
        released = released + 1
      end
    end
  end
  redis.call('SET', request, 'cancelled', 'PX', ARGV[1])
end
if released > 0 and redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return released
