-- Decides one request against one or more limits on the same key: all or nothing. A rejection by any
-- limit consumes from none; a blocked limit rejects before anything is counted. Time is the Redis
-- server's (TIME), in microseconds, so every application instance agrees whatever its own clock says.
--
-- KEYS[2i-1]: state of limit i: a hash (fixed window, sliding window, token bucket), a sorted set of
--             request times (sliding log) or a string holding the theoretical arrival time (GCRA)
-- KEYS[2i]:   block marker of limit i: a string that exists while the key is blocked
-- ARGV[1]:    permits: the request's cost
-- ARGV[2..]:  6 values per limit i, starting at ARGV[2 + 6(i-1)]:
--             algorithm: 'fw' fixed window, 'sl' sliding log, 'sw' sliding window (two weighted windows),
--                        'tb' token bucket, 'gcra' generic cell rate algorithm
--             limit:     requests per window ('tb': the bucket's capacity)
--             window:    microseconds ('tb': unused)
--             rate:      'tb' only: tokens added per microsecond
--             burst:     'gcra' only: requests allowed at once
--             block:     microseconds the key stays blocked after a rejection by this limit; 0 for none
-- Returns:    4 integers per limit: status (1 allowed, 0 rejected, 2 blocked), remaining,
--             reset after (microseconds until the limit is fully available again), retry after
--             (microseconds until this request could pass; 0 when allowed)
local permits = tonumber(ARGV[1])
local count = (#ARGV - 1) / 6
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local function ms(us)
  return math.max(1, math.ceil(us / 1000))
end

-- Each algorithm: check(key, limit) returns allowed, remaining, reset, retry, and a commit function.
local algorithms = {}

algorithms.fw = function(key, l)
  local w = math.floor(now / l.window)
  local data = redis.call('HMGET', key, 'w', 'c')
  local used = (tonumber(data[1]) == w) and tonumber(data[2]) or 0
  local reset = (w + 1) * l.window - now
  local allowed = used + permits <= l.limit
  local remaining = l.limit - used - (allowed and permits or 0)
  return allowed, remaining, reset, (allowed and 0 or reset), function()
    redis.call('HSET', key, 'w', w, 'c', used + permits)
    redis.call('PEXPIRE', key, ms(reset))
  end
end

algorithms.sl = function(key, l)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - l.window)
  local used = redis.call('ZCARD', key)
  local allowed = used + permits <= l.limit
  local remaining = l.limit - used - (allowed and permits or 0)
  local retry = 0
  if not allowed then
    -- The request fits once enough of the oldest entries have left the window.
    local leaving = redis.call('ZRANGE', key, used + permits - l.limit - 1, used + permits - l.limit - 1, 'WITHSCORES')
    retry = math.max(1, tonumber(leaving[2]) + l.window - now)
  end
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  local reset = allowed and l.window or ((newest[2] and tonumber(newest[2]) + l.window - now) or 0)
  return allowed, remaining, reset, retry, function()
    -- Members must be unique: the time (as exact digits) and the entry's position in the log.
    local stamp = string.format('%.0f', now)
    for j = 1, permits do
      redis.call('ZADD', key, now, stamp .. ':' .. (used + j))
    end
    redis.call('PEXPIRE', key, ms(l.window))
  end
end

algorithms.sw = function(key, l)
  local w = math.floor(now / l.window)
  local data = redis.call('HMGET', key, 'w', 'c', 'p')
  local stored = tonumber(data[1])
  local current, previous = 0, 0
  if stored == w then
    current, previous = tonumber(data[2]), tonumber(data[3])
  elseif stored == w - 1 then
    previous = tonumber(data[2])
  end
  local elapsed = now - w * l.window
  local estimate = previous * (1 - elapsed / l.window) + current
  local allowed = estimate + permits <= l.limit
  local remaining = math.max(0, math.floor(l.limit - estimate - (allowed and permits or 0)))
  local untilNext = l.window - elapsed
  local retry = 0
  if not allowed then
    if current + permits <= l.limit and previous > 0 then
      -- The previous window's weight decays until the estimate leaves room.
      retry = l.window * (1 - (l.limit - current - permits) / previous) - elapsed
    else
      -- Only the next window, where this window's count decays in turn, leaves room.
      retry = untilNext + l.window * (1 - (l.limit - permits) / current)
    end
    retry = math.max(1, retry)
  end
  return allowed, remaining, untilNext, retry, function()
    redis.call('HSET', key, 'w', w, 'c', current + permits, 'p', previous)
    redis.call('PEXPIRE', key, ms(untilNext + l.window))
  end
end

algorithms.tb = function(key, l)
  local data = redis.call('HMGET', key, 't', 'ts')
  local tokens = tonumber(data[1]) or l.limit
  local stamp = tonumber(data[2]) or now
  tokens = math.min(l.limit, tokens + math.max(0, now - stamp) * l.rate)
  local allowed = tokens >= permits
  local left = allowed and (tokens - permits) or tokens
  local reset = (l.limit - left) / l.rate
  local retry = allowed and 0 or math.max(1, (permits - tokens) / l.rate)
  return allowed, math.floor(left), reset, retry, function()
    redis.call('HSET', key, 't', left, 'ts', now)
    redis.call('PEXPIRE', key, ms(reset) + 1)
  end
end

algorithms.gcra = function(key, l)
  local interval = l.window / l.limit
  local tolerance = interval * l.burst
  local tat = math.max(tonumber(redis.call('GET', key)) or now, now)
  local newTat = tat + interval * permits
  local allowAt = newTat - tolerance
  local allowed = now >= allowAt
  local after = allowed and newTat or tat
  local remaining = math.max(0, math.floor((tolerance - (after - now)) / interval))
  return allowed, remaining, after - now, (allowed and 0 or math.max(1, allowAt - now)), function()
    redis.call('SET', key, string.format('%.17g', newTat), 'PX', ms(newTat - now))
  end
end

local limits, results, commits = {}, {}, {}
local anyBlocked, anyRejected = false, false
for i = 1, count do
  local a = 2 + (i - 1) * 6
  limits[i] = { algorithm = ARGV[a], limit = tonumber(ARGV[a + 1]), window = tonumber(ARGV[a + 2]),
    rate = tonumber(ARGV[a + 3]), burst = tonumber(ARGV[a + 4]), block = tonumber(ARGV[a + 5]) }
  local blockedFor = 0
  if limits[i].block > 0 then
    blockedFor = redis.call('PTTL', KEYS[2 * i])
  end
  local allowed, remaining, reset, retry, commit = algorithms[limits[i].algorithm](KEYS[2 * i - 1], limits[i])
  if blockedFor > 0 then
    anyBlocked = true
    results[i] = { 2, 0, math.max(reset, blockedFor * 1000), blockedFor * 1000 }
  else
    anyRejected = anyRejected or not allowed
    results[i] = { allowed and 1 or 0, remaining, reset, retry }
  end
  commits[i] = commit
end

if not anyBlocked and not anyRejected then
  for i = 1, count do
    commits[i]()
  end
elseif not anyBlocked then
  for i = 1, count do
    if results[i][1] == 0 and limits[i].block > 0 then
      redis.call('SET', KEYS[2 * i], '1', 'PX', ms(limits[i].block))
      results[i][4] = math.max(results[i][4], limits[i].block)
    end
  end
end

local reply = {}
for i = 1, count do
  local r = results[i]
  reply[#reply + 1] = r[1]
  reply[#reply + 1] = math.max(0, r[2])
  reply[#reply + 1] = math.max(0, math.ceil(r[3]))
  reply[#reply + 1] = math.ceil(r[4])
end
return reply
