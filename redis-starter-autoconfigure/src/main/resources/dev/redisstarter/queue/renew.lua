-- Renews the leases of jobs a worker holds, for those still held by the same attempt, and marks those whose handler
-- started as start.lua does (in case that mark was lost).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the lease in ms from now, by the server's clock
-- ARGV[2..]: triples of job id, owner ('<token>:<take number>') and '1' when its handler started ('0' when not)
-- Returns: the ids of jobs no longer held (their lease expired and another worker may have them)
local base = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = now + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  local job = base .. ':job:' .. id
  local fields = redis.call('HMGET', job, 'owner', 'running')
  if fields[1] == ARGV[i + 1] and redis.call('ZSCORE', base .. ':active', id) then
    redis.call('ZADD', base .. ':active', 'XX', deadline, id)
    if ARGV[i + 2] == '1' and fields[2] ~= ARGV[i + 1] then
      redis.call('HSET', job, 'running', ARGV[i + 1])
      redis.call('HINCRBY', job, 'runs', 1)
    end
  else
    lost[#lost + 1] = id
  end
end
return lost
