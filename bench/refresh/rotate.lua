-- wrk script: refresh grants, each connection presenting the successor it got last (one live token per connection).
-- Run with as many threads as connections (wrk -t32 -c32): wrk keeps Lua state per thread, so one connection per
-- thread gives each connection its own token. Thread k takes line k of TOKENS_FILE (at least as many lines as
-- threads). CLIENT is "id:secret" for client_secret_basic (default demo-client:demo-secret). A response without a
-- refresh token (an error) keeps the last token and is counted by wrk as a non-2xx answer.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local k = 0
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    if k == id then
      token = line
      break
    end
    k = k + 1
  end
  if token == nil then
    error("TOKENS_FILE has fewer lines than wrk has threads")
  end
  local client = os.getenv("CLIENT") or "demo-client:demo-secret"
  auth = "Basic " .. base64(client)
end

function request()
  return wrk.format("POST", nil, {
    ["Authorization"] = auth,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and next ~= nil then
    token = next
  end
end

local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(s)
  return ((s:gsub(".", function(c)
    local bits, b = "", c:byte()
    for i = 8, 1, -1 do
      bits = bits .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0")
    end
    return bits
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then
      return ""
    end
    local c = 0
    for i = 1, 6 do
      c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0)
    end
    return chars:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#s % 3 + 1])
end
