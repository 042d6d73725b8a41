-- Decides one request against one or more limits on the same key: all or nothing. A rejection by any
-- limit consumes from none; a blocked limit rejects before anything is counted. Time is the Redis
-- server's (TIME), in microseconds, so every application instance agrees whatever its own clock says.
-- Written without per-call closures or nested tables: this runs on every request, on Redis's one thread.
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
local call, tonumber = redis.call, tonumber
local floor, ceil, max, min = math.floor, math.ceil, math.max, math.min
local permits = tonumber(ARGV[1])
local count = (#ARGV - 1) / 6
local time = call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

-- Per limit: the reply (status, remaining, reset, retry) and what to write if every limit allows.
local reply = {}
local commitA, commitB, commitC = {}, {}, {}
local anyBlocked, anyRejected = false, false

for i = 1, count do
  local a = 2 + (i - 1) * 6
  local algorithm, limit, window = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local key = KEYS[2 * i - 1]
  local allowed, remaining, reset, retry

  if algorithm == 'tb' then
    local rate = tonumber(ARGV[a + 3])
    local data = call('HMGET', key, 't', 'ts')
    local tokens = tonumber(data[1]) or limit
    local stamp = tonumber(data[2]) or now
    tokens = min(limit, tokens + max(0, now - stamp) * rate)
    allowed = tokens >= permits
    local left = allowed and (tokens - permits) or tokens
    remaining, reset = floor(left), (limit - left) / rate
    retry = allowed and 0 or max(1, (permits - tokens) / rate)
    commitA[i], commitB[i] = left, reset
  elseif algorithm == 'fw' then
    local w = floor(now / window)
    local data = call('HMGET', key, 'w', 'c')
    local used = (tonumber(data[1]) == w) and tonumber(data[2]) or 0
    reset = (w + 1) * window - now
    allowed = used + permits <= limit
    remaining = limit - used - (allowed and permits or 0)
    retry = allowed and 0 or reset
    commitA[i], commitB[i] = w, used + permits
  elseif algorithm == 'sw' then
    local w = floor(now / window)
    local data = call('HMGET', key, 'w', 'c', 'p')
    local stored = tonumber(data[1])
    local current, previous = 0, 0
    if stored == w then
      current, previous = tonumber(data[2]), tonumber(data[3])
    elseif stored == w - 1 then
      previous = tonumber(data[2])
    end
    local elapsed = now - w * window
    local estimate = previous * (1 - elapsed / window) + current
    allowed = estimate + permits <= limit
    remaining = max(0, floor(limit - estimate - (allowed and permits or 0)))
    reset = window - elapsed
    retry = 0
    if not allowed then
      if current + permits <= limit and previous > 0 then
        -- The previous window's weight decays until the estimate leaves room.
        retry = window * (1 - (limit - current - permits) / previous) - elapsed
      else
        -- Only the next window, where this window's count decays in turn, leaves room.
        retry = reset + window * (1 - (limit - permits) / current)
      end
      retry = max(1, retry)
    end
    commitA[i], commitB[i], commitC[i] = w, current + permits, previous
  elseif algorithm == 'sl' then
    call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local used = call('ZCARD', key)
    allowed = used + permits <= limit
    remaining = limit - used - (allowed and permits or 0)
    retry = 0
    if not allowed then
      -- The request fits once enough of the oldest entries have left the window.
      local at = used + permits - limit - 1
      local leaving = call('ZRANGE', key, at, at, 'WITHSCORES')
      retry = max(1, tonumber(leaving[2]) + window - now)
    end
    if allowed then
      reset = window
    else
      local newest = call('ZRANGE', key, -1, -1, 'WITHSCORES')
      reset = newest[2] and (tonumber(newest[2]) + window - now) or 0
    end
    commitA[i] = used
  else -- gcra
    local interval = window / limit
    local tolerance = interval * tonumber(ARGV[a + 4])
    local tat = max(tonumber(call('GET', key)) or now, now)
    local newTat = tat + interval * permits
    local allowAt = newTat - tolerance
    allowed = now >= allowAt
    local after = allowed and newTat or tat
    remaining = max(0, floor((tolerance - (after - now)) / interval))
    reset = after - now
    retry = allowed and 0 or max(1, allowAt - now)
    commitA[i] = newTat
  end

  local status = allowed and 1 or 0
  if tonumber(ARGV[a + 5]) > 0 then
    local blockedFor = call('PTTL', KEYS[2 * i])
    if blockedFor > 0 then
      anyBlocked = true
      status, remaining, reset, retry = 2, 0, max(reset, blockedFor * 1000), blockedFor * 1000
    end
  end
  anyRejected = anyRejected or status == 0
  local r = 4 * (i - 1)
  reply[r + 1], reply[r + 2], reply[r + 3], reply[r + 4] = status, max(0, remaining), max(0, ceil(reset)), ceil(retry)
end

if anyBlocked then
  return reply
end

for i = 1, count do
  local a = 2 + (i - 1) * 6
  local algorithm, window, key = ARGV[a], tonumber(ARGV[a + 2]), KEYS[2 * i - 1]
  if anyRejected then
    -- Nothing is consumed; limits that rejected and block start their block.
    local block = tonumber(ARGV[a + 5])
    if reply[4 * (i - 1) + 1] == 0 and block > 0 then
      call('SET', KEYS[2 * i], '1', 'PX', max(1, ceil(block / 1000)))
      reply[4 * i] = max(reply[4 * i], block)
    end
  elseif algorithm == 'tb' then
    call('HSET', key, 't', commitA[i], 'ts', now)
    call('PEXPIRE', key, max(1, ceil(commitB[i] / 1000)) + 1)
  elseif algorithm == 'fw' then
    call('HSET', key, 'w', commitA[i], 'c', commitB[i])
    call('PEXPIRE', key, max(1, ceil(((commitA[i] + 1) * window - now) / 1000)))
  elseif algorithm == 'sw' then
    call('HSET', key, 'w', commitA[i], 'c', commitB[i], 'p', commitC[i])
    call('PEXPIRE', key, max(1, ceil(((commitA[i] + 2) * window - now) / 1000)))
  elseif algorithm == 'sl' then
    -- Members must be unique: the time (as exact digits) and the entry's position in the log.
    local stamp = string.format('%.0f', now)
    for j = 1, permits do
      call('ZADD', key, now, stamp .. ':' .. (commitA[i] + j))
    end
    call('PEXPIRE', key, max(1, ceil(window / 1000)))
  else
    call('SET', key, string.format('%.17g', commitA[i]), 'PX', max(1, ceil((commitA[i] - now) / 1000)))
  end
end
return reply
