-- Takes an entry back for another attempt by the consumer that failed it, after its backoff: claims it (which
-- counts a delivery, unless told not to) only while it is still pending for this consumer.
--
-- KEYS[1]: the stream
-- ARGV[1]: the group
-- ARGV[2]: the consumer
-- ARGV[3]: the entry id
-- ARGV[4]: '0' not to count a delivery (the failure was the outage's, while the consumer's circuit was open), else '1'
-- Returns: {{field, value, ...}, deliveries}, or false when the entry is no longer this consumer's (reclaimed by
-- another, acknowledged) or no longer exists (trimmed; it is then acknowledged)
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if not pending[1] or pending[1][2] ~= ARGV[2] then
  return false
end
local claimed
local deliveries = pending[1][4] + 1
if ARGV[4] == '0' then
  deliveries = pending[1][4]
  claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'RETRYCOUNT', deliveries)
else
  claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])
end
if not claimed[1] or type(claimed[1]) ~= 'table' or type(claimed[1][2]) ~= 'table' then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
  return false
end
return {claimed[1][2], deliveries}
