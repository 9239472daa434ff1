-- wrk script for Scripts/bench.sh: every request posts a ¥10.00 counter cash payment to a demo
-- account (round robin over PAYGRID_CUSTOMERS) under an Idempotency-Key of its own.
local token = os.getenv("PAYGRID_TOKEN")
local customers = tonumber(os.getenv("PAYGRID_CUSTOMERS") or "10000")
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("thread_number", threads)
end

local sent = 0

function request()
    sent = sent + 1
    local n = thread_number * 1000000000 + sent
    local account = string.format("31%08d", n % customers + 1)
    local body = '{"account_no":"' .. account .. '","channel":"counter","tenders":[{"method":"cash","amount":"10.00"}]}'
    return wrk.format("POST", "/api/v1/payments", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = "wrk-" .. n,
    }, body)
end
