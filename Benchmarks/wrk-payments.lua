-- wrk script for PayGrid's end-to-end payment benchmark (README, "Performance").
-- Every request is a new cash payment with its own Idempotency-Key, spread over the demo
-- utility's accounts. Set TOKEN (a bearer token) and CUSTOMERS in the environment, and PREFIX
-- to tell apart the keys of several wrk processes run at once.
local threads = {}
local token = os.getenv("TOKEN")
local customers = tonumber(os.getenv("CUSTOMERS") or "10000")
local prefix = os.getenv("PREFIX") or ""

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local account = string.format("31%08d", (counter * 7919 + id * 104729) % customers + 1)
  local body = '{"account_no":"' .. account .. '","channel":"counter","tenders":[{"method":"cash","amount":"10.00"}]}'
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "wrk" .. prefix .. "-" .. id .. "-" .. counter .. "-" .. tostring(os.time()),
  }
  return wrk.format("POST", "/api/v1/payments", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
