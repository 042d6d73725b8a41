-- Claims entries that have been pending longer than the claim idle time (their consumer stopped, crashed or
-- froze) for a live consumer, with their delivery counts (XAUTOCLAIM increments them).
--
-- KEYS[1]: the stream
-- ARGV[1]: the group
-- ARGV[2]: the consumer that takes them
-- ARGV[3]: the minimum idle time in milliseconds
-- ARGV[4]: the id to scan from ('0-0' for the start)
-- ARGV[5]: at most this many entries
-- Returns: {the id to scan from next ('0-0' when the scan is complete), {{id, {field, value, ...}, deliveries}, ...},
--          how many pending entries were found trimmed and acknowledged (never handled)}
-- Entries deleted from the stream while pending (trimmed) can never be handled: they are acknowledged and left
-- out. Redis 7 drops them itself; Redis 6.2 answers a null element without an id, so the ids are taken from
-- XPENDING first, and each one not claimed with fields is acknowledged once XRANGE confirms it is gone.
local listed = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], ARGV[4], '+', ARGV[5])
local reply = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local claimed = {}
local seen = {}
for _, entry in ipairs(reply[2]) do
  if type(entry) == 'table' and type(entry[2]) == 'table' then
    seen[entry[1]] = true
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
    local deliveries = 1
    if pending[1] then
      deliveries = pending[1][4]
    end
    claimed[#claimed + 1] = {entry[1], entry[2], deliveries}
  end
end
-- Redis 7 lists the ids it dropped as the reply's third element.
local trimmed = 0
if type(reply[3]) == 'table' then
  trimmed = #reply[3]
end
for _, pending in ipairs(listed) do
  local id = pending[1]
  if not seen[id] and #redis.call('XRANGE', KEYS[1], id, id) == 0 then
    trimmed = trimmed + redis.call('XACK', KEYS[1], ARGV[1], id)
  end
end
return {reply[1], claimed, trimmed}
