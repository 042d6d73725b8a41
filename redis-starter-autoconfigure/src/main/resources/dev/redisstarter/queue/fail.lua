-- Records a failed attempt of a job still held by the worker's attempt: back to delayed (or waiting) for a
-- retry after its backoff, or to the dead letters with its error and history.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the job id
-- ARGV[2]: the owner ('<token>:<take number>')
-- ARGV[3]: the retry delay in ms, or -1 to dead-letter the job
-- ARGV[4]: the error: class
-- ARGV[5]: the error: message
-- ARGV[6]: the error: trimmed stack trace
-- ARGV[7]: how many dead letters to keep
-- ARGV[8]: how long to keep a dead letter, in ms
-- ARGV[9]: '1' when the worker's open circuit holds the job (the failure may be an outage's, not the job's): the
--   attempt is not counted, and the retry waits behind every waiting job whatever its priority (the next probe must be
--   another job, or a poison job would be the probe every time and keep the circuit open); '0' for a failure that
--   counts, the job keeping its place
-- Returns: {1 when scheduled for a retry, 2 when dead-lettered, 0 when the job is no longer this attempt's; how many
-- dead letters were trimmed to keep the bounds (over the count, or past the age), also added to <base>:trimmed}. A
-- call for an attempt whose failure an earlier call recorded (its reply was lost: the writer tries again) answers
-- what that call did, with 0 trimmed.
local base = KEYS[1]
local id = ARGV[1]
local job = base .. ':job:' .. id
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = redis.call('HMGET', job, 'owner', 'attempts', 'history', 'score', 'running', 'runs', 'failedBy', 'state')
if fields[1] ~= ARGV[2] then
  if not fields[1] and fields[7] == ARGV[2] then
    if fields[8] == 'dead' then
      return {2, 0}
    elseif fields[8] == 'delayed' or fields[8] == 'waiting' then
      return {1, 0}
    end
  end
  return {0, 0}
end
-- The attempt ran: counted in runs here unless start.lua already did.
local runs = tonumber(fields[6]) or 0
if fields[5] ~= fields[1] then
  runs = runs + 1
end
local history = {}
if fields[3] then
  -- A history that does not parse (written by something else) starts again rather than failing the outcome.
  local ok, decoded = pcall(cjson.decode, fields[3])
  if ok and type(decoded) == 'table' then
    history = decoded
  end
end
history[#history + 1] = {attempt = tonumber(fields[2]) or 0, at = now, error = ARGV[4], message = ARGV[5]}
-- Bounded: the first attempts and the latest ones tell the story.
if #history > 20 then
  table.remove(history, 2)
end
redis.call('ZREM', base .. ':active', id)
redis.call('HDEL', job, 'owner')
redis.call('HSET', job, 'error', ARGV[4], 'message', ARGV[5], 'stack', ARGV[6], 'history', cjson.encode(history),
  'failed', now, 'runs', runs, 'failedBy', ARGV[2])
local delay = tonumber(ARGV[3])
if delay >= 0 then
  if ARGV[9] == '1' then
    redis.call('HINCRBY', job, 'attempts', -1)
    -- Behind the lowest priority (1000 - -1000), in the order such jobs failed.
    fields[4] = string.format('%.0f', 2000 * 1099511627776 + (redis.call('INCR', base .. ':id') % 1099511627776))
    redis.call('HSET', job, 'score', fields[4])
  end
  if delay > 0 then
    redis.call('HSET', job, 'state', 'delayed', 'runAt', now + delay)
    local first = redis.call('ZRANGE', base .. ':delayed', 0, 0, 'WITHSCORES')[2]
    redis.call('ZADD', base .. ':delayed', now + delay, id)
    if (not first or now + delay < tonumber(first)) and redis.call('LLEN', base .. ':signal') == 0 then
      redis.call('RPUSH', base .. ':signal', 1)
    end
  else
    redis.call('HSET', job, 'state', 'waiting')
    redis.call('ZADD', base .. ':ready', fields[4] or '1099511627776000', id)
    if redis.call('LLEN', base .. ':signal') == 0 then
      redis.call('RPUSH', base .. ':signal', 1)
    end
  end
  return {1, 0}
end
local dead = base .. ':dead'
local keepAge = tonumber(ARGV[8])
redis.call('HSET', job, 'state', 'dead', 'finished', now)
redis.call('PEXPIRE', job, keepAge)
redis.call('ZADD', dead, now, id)
local trimmed = 0
local excess = redis.call('ZCARD', dead) - tonumber(ARGV[7])
if excess > 0 then
  for _, old in ipairs(redis.call('ZRANGE', dead, 0, excess - 1)) do
    -- Only a record that is this dead letter (the id may have been enqueued again since).
    local record = base .. ':job:' .. old
    if redis.call('HGET', record, 'state') == 'dead' then
      redis.call('DEL', record)
      trimmed = trimmed + 1
    end
  end
  redis.call('ZREMRANGEBYRANK', dead, 0, excess - 1)
end
-- Past the age: their records expired with it.
trimmed = trimmed + redis.call('ZREMRANGEBYSCORE', dead, '-inf', now - keepAge)
-- The index outlives its newest entry's age by as much again: the stalled check (every stalled-interval) counts
-- each entry that reaches its age before the index expires, even when no later dead letter arrives.
redis.call('PEXPIRE', dead, keepAge * 2)
if trimmed > 0 then
  -- Counted where every instance reads it (counts.lua), for as long as dead letters are kept.
  redis.call('INCRBY', base .. ':trimmed', trimmed)
  redis.call('PEXPIRE', base .. ':trimmed', keepAge)
end
return {2, trimmed}
