-- Takes the lock that lets one instance load a missing key, and tells when the load starts.
--
-- KEYS[1]: the lock (string: the owner's id)
-- ARGV[1]: the owner's id
-- ARGV[2]: the longest the load may run, in milliseconds (the lock then expires)
-- Returns: {1 if taken else 0, the server time in microseconds}
local taken = 0
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  taken = 1
end
local time = redis.call('TIME')
return {taken, time[1] .. string.format('%06d', tonumber(time[2]))}
