-- wrk script: every request carries another token from TOKENS_FILE (one per line), so the server verifies a new
-- token each time. Thread k of n takes the lines k, k+n, k+2n, ...: no two threads send the same token, and a
-- token comes back only after every other token of its thread, longer ago than the verified-token cache remembers
-- (its 10 000 entries are cleared when full) when the file holds 20 000 or more.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  local k = 0
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    if k % tonumber(os.getenv("WRK_THREADS")) == id then
      tokens[#tokens + 1] = line
    end
    k = k + 1
  end
  i = 0
end

function request()
  i = i + 1
  if i > #tokens then
    i = 1
  end
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[i] })
end
