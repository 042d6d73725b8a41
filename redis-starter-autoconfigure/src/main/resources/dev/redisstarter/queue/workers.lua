-- Reads the workers that serve a queue, on every instance: the check-ins stalled.lua records, those not ended.
-- Read only (stalled.lua removes ended check-ins).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: how many workers at most
-- Returns: {server time in ms, {id, server time the check-in ends, JSON}, ...}, the check-ins ending latest last
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', base .. ':workers', '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0,
  tonumber(ARGV[1]))
local result = {now}
for i = 1, #live, 2 do
  local info = redis.call('HGET', base .. ':workers:info', live[i])
  if info then
    result[#result + 1] = {live[i], live[i + 1], info}
  end
end
return result
