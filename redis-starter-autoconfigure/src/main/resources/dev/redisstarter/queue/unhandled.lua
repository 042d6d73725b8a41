-- Tells a producer whether a queue's jobs have a worker: how many jobs are due (waiting, or delayed and due; a
-- delayed job becomes waiting only when a worker takes), and how long ago a worker last checked the queue
-- (stalled.lua writes <base>:seen at every check of every worker).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- Returns: {jobs due, ms since a worker last checked the queue or -1 when no worker did within <base>:seen's TTL}
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZCARD', base .. ':ready') + redis.call('ZCOUNT', base .. ':delayed', '-inf', now)
local seen = tonumber(redis.call('GET', base .. ':seen'))
if seen then
  return {due, math.max(0, now - seen)}
end
return {due, -1}
