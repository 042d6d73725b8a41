-- Puts dead letters back to waiting with their attempts reset (their error history is kept). An index entry whose
-- record is not dead (expired, or its id enqueued again since: waiting, running...) only leaves the index.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the most to retry in this call
-- ARGV[2..]: job ids, or none for the oldest dead letters
-- Returns: {how many went back to waiting, how many ids were looked at} (an id whose record is not dead is only dropped)
local base = KEYS[1]
local ids = {}
if #ARGV > 1 then
  for i = 2, #ARGV do
    ids[#ids + 1] = ARGV[i]
  end
else
  ids = redis.call('ZRANGE', base .. ':dead', 0, tonumber(ARGV[1]) - 1)
end
local retried = 0
for _, id in ipairs(ids) do
  local job = base .. ':job:' .. id
  if redis.call('ZREM', base .. ':dead', id) == 1 then
    local fields = redis.call('HMGET', job, 'state', 'score')
    local score = fields[2]
    if fields[1] == 'dead' and score then
      redis.call('PERSIST', job)
      redis.call('HSET', job, 'state', 'waiting', 'attempts', 0, 'stalled', 0)
      -- A late retry of the failure that dead-lettered it (its reply lost) must not take this for its own retry.
      redis.call('HDEL', job, 'finished', 'failedBy')
      redis.call('ZADD', base .. ':ready', score, id)
      retried = retried + 1
    end
  end
end
if retried > 0 and redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return {retried, #ids}
