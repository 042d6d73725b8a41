-- Renews the leases of jobs a worker holds, for those still held by the same attempt.
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the lease in ms from now, by the server's clock
-- ARGV[2..]: pairs of job id and owner ('<token>:<take number>')
-- Returns: the ids of jobs no longer held (their lease expired and another worker may have them)
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = now + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', base .. ':job:' .. id, 'owner') == ARGV[i + 1] and redis.call('ZSCORE', base .. ':active', id) then
    redis.call('ZADD', base .. ':active', 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
