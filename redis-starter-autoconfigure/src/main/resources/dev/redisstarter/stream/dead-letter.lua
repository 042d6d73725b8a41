-- Moves an entry that failed for good to the dead-letter stream and acknowledges it in the source, atomically,
-- but only while the entry is still pending for this consumer: a consumer that lost the entry to another
-- (reclaimed while it was slow) must not bury what the other one is handling.
--
-- KEYS[1]: the source stream
-- KEYS[2]: the dead-letter stream (same hash tag)
-- ARGV[1]: the group
-- ARGV[2]: the consumer
-- ARGV[3]: the entry id
-- ARGV[4]: the dead-letter stream's approximate maximum length ('0': no bound)
-- ARGV[5]: '1' to delete the entry from the source stream too (write-behind, whose stream holds only the writes
--          not settled yet: deleted in the same step, a crash cannot leave it counted there), '0' to keep it
--          (a stream's history)
-- ARGV[6..]: field, value pairs of the dead letter (the entry's own fields and what went wrong); the
--            field 'x-dead-at' is added with the server's time in milliseconds
-- Returns: {the dead letter's id, how many older dead letters the length bound trimmed (XLEN before and after)},
--          or false when the entry is not pending for this consumer
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if not pending[1] or pending[1][2] ~= ARGV[2] then
  return false
end
local time = redis.call('TIME')
local fields = {}
for i = 6, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
fields[#fields + 1] = 'x-dead-at'
fields[#fields + 1] = string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
local id
local trimmed = 0
if ARGV[4] ~= '0' then
  -- Trimming drops the oldest dead letters for good: counted, so that it is never silent.
  local before = redis.call('XLEN', KEYS[2])
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', unpack(fields))
  trimmed = before + 1 - redis.call('XLEN', KEYS[2])
else
  id = redis.call('XADD', KEYS[2], '*', unpack(fields))
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
if ARGV[5] == '1' then
  redis.call('XDEL', KEYS[1], ARGV[3])
end
return {id, trimmed}
