#!/usr/bin/env bash
# PayGrid's benchmarks side by side in one run on this machine, with SQLite's own reference:
#   Benchmarks/bench.sh            # 100,000 customers
#   CUSTOMERS=1000000 SCALES="10000 1000000 10000000" Benchmarks/bench.sh
# Installs what it needs when missing (gcc, libsqlite3-dev, wrk; PostgreSQL through
# Scripts/postgres-test-cluster.sh) and builds PayGrid in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null || ! command -v gcc >/dev/null || [ ! -e /usr/include/sqlite3.h ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk gcc libsqlite3-dev >/dev/null
fi
customers=${CUSTOMERS:-100000}
scales=${SCALES:-"10000 1000000"}
seconds=${WRK_SECONDS:-20}
pg_customers=${PG_CUSTOMERS:-10000}
scratch=$(mktemp -d /tmp/paygrid-bench-XXXXXX)
servers=()
cleanup() {
    [ ${#servers[@]} -eq 0 ] || kill "${servers[@]}" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

swift build -c release --product paygrid >/dev/null
bin=.build/release/paygrid
# The benchmarks drive one server hard from one address, as one cashier or bank.
export PAYGRID_RATELIMIT_ADDRESS=off PAYGRID_RATELIMIT_OPERATOR=off PAYGRID_RATELIMIT_PARTNER=off
echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(date -u +%F)"

echo "== SQLite reference (Benchmarks/tpcb-sqlite.c)"
gcc -O2 -o "$scratch/tpcb" Benchmarks/tpcb-sqlite.c -lsqlite3
"$scratch/tpcb" "$scratch/tpcb.sqlite" 300000
echo "== SQLite floor of a PayGrid payment (Benchmarks/payment-floor-sqlite.c): its rows, C API, nothing else"
gcc -O2 -o "$scratch/floor" Benchmarks/payment-floor-sqlite.c -lsqlite3
"$scratch/floor" "$scratch/floor.sqlite" 200000
rm -f "$scratch"/*.sqlite*

echo "== in process, $customers customers: the write journal, then a commit per batch"
"$bin" bench --parts a,c --customers "$customers" --write-path journal | grep -E '^\((a|c)\)'
"$bin" bench --parts a --customers "$customers" --write-path transaction | grep -E '^\(a\)'

echo "== cost per payment by utility size (in process, the write journal)"
for n in $scales; do
    printf '%9s customers: ' "$n"
    "$bin" bench --parts a --customers "$n" --payments 100000 | grep -E '^\(a\)' |
        sed 's/^(a) in-process group commit: //'
done

# Starts `paygrid serve` with the given options on a free port in the background, waits until it
# answers, and sets $port and $pid.
serve() {
    port=$((20000 + RANDOM % 20000))
    "$bin" serve --port "$port" --log-level error "$@" >>"$scratch/serve.log" 2>&1 &
    pid=$!
    servers+=("$pid")
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
        kill -0 "$pid" 2>/dev/null || { cat "$scratch/serve.log"; exit 1; }
        sleep 0.5
    done
}
stop_servers() {
    kill "${servers[@]}" 2>/dev/null || true
    wait "${servers[@]}" 2>/dev/null || true
    servers=()
}
# A bearer token of the demo's cashier1 from the server on $1.
token() {
    curl -sf "http://127.0.0.1:$1/api/v1/sessions" -H 'Content-Type: application/json' \
        -d '{"operator":"cashier1","password":"paygrid-demo"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# CPU time (clock ticks) the processes called $1 have used so far.
ticks() {
    local total=0 p
    for p in $(pgrep -x "$1"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

echo "== over HTTP: paygrid serve, wrk with 64 connections for ${seconds} s, $customers customers"
# Seeded by a first start, measured on the second: the RSS is the server's under load, not the seeding's.
serve --demo --demo-customers "$customers" --data-dir "$scratch/http"
stop_servers
serve --data-dir "$scratch/http"
( while kill -0 "$pid" 2>/dev/null; do
      awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true
      sleep 0.5
  done ) >"$scratch/rss.log" &
TOKEN=$(token "$port") CUSTOMERS=$customers wrk -t2 -c64 -d"${seconds}s" --latency \
    -s Benchmarks/wrk-payments.lua "http://127.0.0.1:$port" | grep -E 'Requests/sec|50%|99%|Non-2xx|requests in'
echo "server peak RSS under load: $(( $(sort -n "$scratch/rss.log" | tail -1) / 1024 )) MiB"
stop_servers
"$bin" ledger verify --data-dir "$scratch/http" | tail -1

echo "== PostgreSQL (fsync on): 1, 2 and 4 instances on one database, $pg_customers customers, 64 connections in all"
PAYGRID_PG_FSYNC=on source Scripts/postgres-test-cluster.sh
trap 'cleanup; paygrid_pg_stop' EXIT
export PAYGRID_SECRETS_KEY PAYGRID_VOUCHER_KEY
PAYGRID_SECRETS_KEY=$(printf '11%.0s' {1..32}) PAYGRID_VOUCHER_KEY=$(printf '22%.0s' {1..32})
database=$PAYGRID_TEST_POSTGRES_URL
serve --demo --demo-customers "$pg_customers" --database "$database" --data-dir "$scratch/pg-demo"
stop_servers
for n in 1 2 4; do
    ports=()
    for i in $(seq "$n"); do serve --database "$database" --data-dir "$scratch/pg-$i"; ports+=("$port"); done
    token=$(token "${ports[0]}")
    before=("$(ticks postgres)" "$(ticks paygrid)" "$(ticks wrk)")
    loads=()
    for i in $(seq "$n"); do
        PREFIX="i$n.$i" TOKEN=$token CUSTOMERS=$pg_customers wrk -t1 -c$((64 / n)) -d"${seconds}s" --latency \
            -s Benchmarks/wrk-payments.lua "http://127.0.0.1:${ports[$((i - 1))]}" >"$scratch/wrk-$i.log" 2>&1 &
        loads+=($!)
    done
    wait "${loads[@]}" || { cat "$scratch"/wrk-*.log; exit 1; }
    after=("$(ticks postgres)" "$(ticks paygrid)" "$(ticks wrk)")
    cores=$(( $(nproc) * seconds * $(getconf CLK_TCK) ))
    refusals=$(grep -c 'could not serialize\|deadlock detected' "$PAYGRID_PG_DIR/server.log" || true)
    cat "$scratch"/wrk-*.log | awk -v n="$n" -v pg=$((after[0] - before[0])) -v app=$((after[1] - before[1])) \
        -v load=$((after[2] - before[2])) -v cores="$cores" -v seconds="$seconds" -v refusals="$refusals" '
        / requests in / { sent += $1 }
        / 99%/ { v = $2 + 0; if ($2 ~ /us$/) v /= 1000; else if ($2 ~ /[^m]s$/) v *= 1000; if (v > p99) p99 = v }
        /Non-2xx/ { refused += $NF }
        END { printf "%d instance(s): %.0f payments/s posted, worst p99 %.1f ms, %d answered 503 try_again; " \
                     "%d transactions PostgreSQL rolled back for conflicts so far; CPU of the machine: " \
                     "postgres %.0f%%, paygrid %.0f%%, wrk %.0f%%\n", n, (sent - refused) / seconds, p99, refused,
                     refusals, 100 * pg / cores, 100 * app / cores, 100 * load / cores }'
    rm -f "$scratch"/wrk-*.log
    stop_servers
done
"$bin" ledger verify --database "$database" | tail -1

echo "== reconciliation of 1,000,000 statement lines"
"$bin" bench --parts r | grep -E '^\(r\)|peak'
