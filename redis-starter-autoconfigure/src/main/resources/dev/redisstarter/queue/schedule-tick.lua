-- Handles one tick of a job schedule. Every instance calls it for every tick; the first call records the tick
-- and, when the tick is on time or the policy runs missed ticks once, enqueues its job in the same script, so a
-- tick enqueues exactly once and no tick is recorded without its job. A tick recorded without a job (missed, or
-- before the schedule's first run) still gets its job from a later call that is on time for it.
-- The job record is the one enqueue.lua writes for a job with an id, no delay and priority 0.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}
-- KEYS[2]: the schedule's state, <prefix>queue:{<queue>}:schedule:<name>, a hash: last (the latest tick recorded,
--   epoch ms), job (1 when that tick got its job, 0 when not)
-- KEYS[3..10]: the queue's fixed keys (see take.lua)
-- ARGV[1]: the tick, epoch ms
-- ARGV[2]: 'on-time' when the caller was running at the tick (or started within the grace after it), 'late'
--   when the tick passed before the caller started
-- ARGV[3]: the missed-tick policy, 'skip' or 'run-once'
-- ARGV[4]: the state's time to live, in ms (refreshed at each recorded tick)
-- ARGV[5]: the job's id
-- ARGV[6]: the payload (JSON)
-- ARGV[7]: attempts
-- ARGV[8]: backoff (text the worker reads)
-- ARGV[9]: attempt timeout in ms (0: none)
-- Returns: {outcome, last}: outcome 0 when the tick was handled before (last: the latest tick recorded), 1 when
-- this call enqueued the tick's job, 2 when it recorded the tick without a job; for 1 and 2, last is the tick
-- recorded before this one, -1 when none
local base = KEYS[1]
local state = KEYS[2]
local tick = tonumber(ARGV[1])
local onTime = ARGV[2] == 'on-time'
local fields = redis.call('HMGET', state, 'last', 'job')
local last = tonumber(fields[1])
if last and (last > tick or (last == tick and (fields[2] ~= '0' or not onTime))) then
  return {0, last}
end
local enqueue = onTime or (last ~= nil and last < tick and ARGV[3] == 'run-once')
if enqueue then
  local id = ARGV[5]
  local job = base .. ':job:' .. id
  if redis.call('EXISTS', job) == 0 then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local seq = redis.call('INCR', base .. ':id')
    local score = string.format('%.0f', 1000 * 1099511627776 + (seq % 1099511627776))
    -- As enqueue.lua writes it: fields at their default left out.
    redis.call('HSET', job, 'payload', ARGV[6], 'state', 'waiting', 'max', ARGV[7], 'backoff', ARGV[8], 'score', score,
      'created', now)
    if ARGV[9] ~= '0' then
      redis.call('HSET', job, 'timeout', ARGV[9])
    end
    redis.call('ZADD', base .. ':ready', score, id)
    if redis.call('LLEN', base .. ':signal') == 0 then
      redis.call('RPUSH', base .. ':signal', 1)
    end
  end
end
redis.call('HSET', state, 'last', ARGV[1], 'job', enqueue and 1 or 0)
redis.call('PEXPIRE', state, ARGV[4])
if enqueue then
  return {1, last or -1}
end
return {2, last or -1}
