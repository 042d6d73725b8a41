-- Lists the first jobs of one state with their records cut for a list: a long payload, error message or progress
-- is cut to ARGV[4] bytes here, and the stack trace and history are left out, so that a list of large jobs does not
-- carry them whole. Read only: an id whose record is gone is skipped (the queue's own checks clean its index).
--
-- KEYS[1]: the queue's base key, <prefix>queue:{<queue>}; KEYS[2..9]: its fixed keys (see take.lua)
-- ARGV[1]: the state's sorted set: 'ready', 'delayed', 'active', 'completed' or 'dead'
-- ARGV[2]: '1' for the highest scores first (completed and dead: the most recent first), else '0'
-- ARGV[3]: how many to list
-- ARGV[4]: how many bytes of a long value to keep
-- Returns: {jobs in the state, {id, {field, value, ...}}, ...}
local base = KEYS[1]
local set = base .. ':' .. ARGV[1]
local last = tonumber(ARGV[3]) - 1
local ids
if ARGV[2] == '1' then
  ids = redis.call('ZREVRANGE', set, 0, last)
else
  ids = redis.call('ZRANGE', set, 0, last)
end
local keep = tonumber(ARGV[4])
local cut = {payload = true, message = true, progress = true}
local omitted = {stack = true, history = true}
local result = {redis.call('ZCARD', set)}
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', base .. ':job:' .. id)
  if #fields > 0 then
    local shown = {}
    for i = 1, #fields, 2 do
      local name = fields[i]
      if not omitted[name] then
        local value = fields[i + 1]
        if cut[name] and #value > keep then
          value = string.sub(value, 1, keep)
        end
        shown[#shown + 1] = name
        shown[#shown + 1] = value
      end
    end
    result[#result + 1] = {id, shown}
  end
end
return result
