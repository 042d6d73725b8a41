-- Lists a user's live sessions, pruning the index of those that have expired.
--
-- KEYS[1]: the user's index
-- ARGV[1]: the key of a session is ARGV[1] .. id
-- Returns: for each live session, its id, when it expires (server time, epoch ms), its field count, then its fields
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local reply = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local data = redis.call('HGETALL', ARGV[1] .. id)
  if #data == 0 then
    redis.call('ZREM', KEYS[1], id)
  else
    reply[#reply + 1] = id
    reply[#reply + 1] = now + redis.call('PTTL', ARGV[1] .. id)
    reply[#reply + 1] = #data
    for i = 1, #data do
      reply[#reply + 1] = data[i]
    end
  end
end
return reply
