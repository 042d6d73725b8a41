-- Finds active jobs whose lease expired (their worker crashed, was killed, froze or lost Redis): each goes back
-- to waiting, its attempt not counted. A job whose handler had started in that attempt (start.lua or renew.lua
-- marked it) is counted as stalled, and one stalled more than MAX times is dead-lettered instead (it may be what
-- kills its workers); a job only taken ahead and never started goes back without a stall, counted in its record's
-- 'reclaimed' (take.lua hands that count to the next worker, which then writes the start mark before the handler
-- runs: a handler that kills its worker at once cannot beat its mark a second time).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many times a job may stall
-- ARGV[2]: how many dead letters to keep
-- ARGV[3]: how long to keep a dead letter, in ms (dead letters past it leave the index at every check, counted as
--   trimmed: one that reaches its age is counted even when no later dead letter trims the index)
-- ARGV[4]: the most jobs to look at
-- ARGV[5]: how long to keep <base>:seen, in ms: the server's time of this check, which tells producers that a worker
--   serves the queue (unhandled.lua)
-- ARGV[6]: the checking worker's id, <instance>/<handler>; ARGV[7]: what it says of itself (JSON); ARGV[8]: how long
--   that check-in is kept, in ms (all three absent: no check-in). Check-ins live in <base>:workers (id -> server
--   time the check-in ends) and <base>:workers:info (id -> JSON); ended ones are removed here (at most 100 per
--   check), and both keys outlive the latest check-in only, so a crashed instance's workers leave within ARGV[8]
--   (workers.lua reads them, leave.lua removes a stopping worker's)
-- Returns: {how many stalled and went back to waiting, how many stalled and were dead-lettered, how many had not
-- started and went back to waiting, how many dead letters were trimmed to keep the bounds (also added to
-- <base>:trimmed)}
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', base .. ':seen', now, 'PX', ARGV[5])
if ARGV[6] then
  local keepCheckIn = tonumber(ARGV[8])
  redis.call('ZADD', base .. ':workers', now + keepCheckIn, ARGV[6])
  redis.call('HSET', base .. ':workers:info', ARGV[6], ARGV[7])
  local ended = redis.call('ZRANGEBYSCORE', base .. ':workers', '-inf', now, 'LIMIT', 0, 100)
  if #ended > 0 then
    redis.call('ZREM', base .. ':workers', unpack(ended))
    redis.call('HDEL', base .. ':workers:info', unpack(ended))
  end
  -- Each key on its own: the hash may have been written again (evicted, deleted) while the sorted set kept a longer
  -- time to live, and must not be left without one.
  if redis.call('PTTL', base .. ':workers') < keepCheckIn then
    redis.call('PEXPIRE', base .. ':workers', keepCheckIn)
  end
  if redis.call('PTTL', base .. ':workers:info') < keepCheckIn then
    redis.call('PEXPIRE', base .. ':workers:info', keepCheckIn)
  end
end
local expired = redis.call('ZRANGEBYSCORE', base .. ':active', '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
local back, dead, unstarted, trimmed = 0, 0, 0, 0
local keepAge = tonumber(ARGV[3])
for _, id in ipairs(expired) do
  local job = base .. ':job:' .. id
  redis.call('ZREM', base .. ':active', id)
  -- Only a record that is this active job: a stale entry (the id re-used since) only leaves the index.
  local fields = redis.call('HMGET', job, 'state', 'owner', 'running', 'runs')
  if fields[1] == 'active' then
    redis.call('HDEL', job, 'owner')
    redis.call('HINCRBY', job, 'attempts', -1)
    -- 'running' names the attempt whose handler started; any other value is an earlier attempt's.
    local ran = fields[2] and fields[2] == fields[3]
    local stalled = 0
    if ran then
      stalled = redis.call('HINCRBY', job, 'stalled', 1)
    end
    if not ran then
      redis.call('HINCRBY', job, 'reclaimed', 1)
      redis.call('HSET', job, 'state', 'waiting')
      redis.call('ZADD', base .. ':ready', redis.call('HGET', job, 'score') or '1099511627776000', id)
      unstarted = unstarted + 1
    elseif stalled > tonumber(ARGV[1]) then
      redis.call('HSET', job, 'state', 'dead', 'finished', now, 'error', 'dev.redisstarter.messaging.queue.JobStalledException',
        'message', 'the job stalled ' .. stalled .. ' times while running (its handler started ' .. (fields[4] or '0')
          .. ' times; its worker stopped renewing its lease)', 'stack', '')
      redis.call('PEXPIRE', job, keepAge)
      redis.call('ZADD', base .. ':dead', now, id)
      dead = dead + 1
    else
      redis.call('HSET', job, 'state', 'waiting')
      redis.call('ZADD', base .. ':ready', redis.call('HGET', job, 'score') or '1099511627776000', id)
      back = back + 1
    end
  end
end
if dead > 0 then
  local excess = redis.call('ZCARD', base .. ':dead') - tonumber(ARGV[2])
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', base .. ':dead', 0, excess - 1)) do
      -- Only a record that is this dead letter (the id may have been enqueued again since).
      local record = base .. ':job:' .. old
      if redis.call('HGET', record, 'state') == 'dead' then
        redis.call('DEL', record)
        trimmed = trimmed + 1
      end
    end
    redis.call('ZREMRANGEBYRANK', base .. ':dead', 0, excess - 1)
  end
  -- The index outlives its newest entry's age by as much again, so that a check counts that entry before the
  -- index expires (see fail.lua).
  redis.call('PEXPIRE', base .. ':dead', keepAge * 2)
end
-- Past the age: their records expired with it.
trimmed = trimmed + redis.call('ZREMRANGEBYSCORE', base .. ':dead', '-inf', now - keepAge)
if trimmed > 0 then
  redis.call('INCRBY', base .. ':trimmed', trimmed)
  redis.call('PEXPIRE', base .. ':trimmed', keepAge)
end
if back + unstarted > 0 and redis.call('LLEN', base .. ':signal') == 0 then
  redis.call('RPUSH', base .. ':signal', 1)
end
return {back, dead, unstarted, trimmed}
