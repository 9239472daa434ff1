#!/usr/bin/env bash
# PayGrid's benchmarks side by side in one run on this machine, with SQLite's own reference:
#   Benchmarks/bench.sh            # 100,000 customers
#   CUSTOMERS=1000000 SCALES="10000 1000000 10000000" Benchmarks/bench.sh
# Needs a C compiler, libsqlite3-dev and wrk (apt-get install wrk); builds PayGrid in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${CUSTOMERS:-100000}
scales=${SCALES:-"10000 1000000"}
seconds=${WRK_SECONDS:-20}
scratch=$(mktemp -d /tmp/paygrid-bench-XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT

swift build -c release --product paygrid >/dev/null
bin=.build/release/paygrid
echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(date -u +%F)"

echo "== SQLite reference (Benchmarks/tpcb-sqlite.c)"
gcc -O2 -o "$scratch/tpcb" Benchmarks/tpcb-sqlite.c -lsqlite3
"$scratch/tpcb" "$scratch/tpcb.sqlite" 300000

echo "== in process, $customers customers: the write journal, then a commit per batch"
"$bin" bench --parts a,c --customers "$customers" --write-path journal | grep -E '^\((a|c)\)'
"$bin" bench --parts a --customers "$customers" --write-path transaction | grep -E '^\(a\)'

echo "== cost per payment by utility size (in process, the write journal)"
for n in $scales; do
    printf '%9s customers: ' "$n"
    "$bin" bench --parts a --customers "$n" --payments 100000 | grep -E '^\(a\)' |
        sed 's/^(a) in-process group commit: //'
done

echo "== over HTTP: paygrid serve, wrk with 64 connections for ${seconds} s, $customers customers"
port=$((20000 + RANDOM % 20000))
"$bin" serve --demo --demo-customers "$customers" --data-dir "$scratch/http" --port "$port" --log-level error \
    >"$scratch/serve.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 1; done
token=$(curl -sf "http://127.0.0.1:$port/api/v1/sessions" -H 'Content-Type: application/json' \
    -d '{"operator":"cashier1","password":"paygrid-demo"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
peak=0
( while kill -0 "$server" 2>/dev/null; do
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
      echo "$rss"; sleep 0.5
  done ) >"$scratch/rss.log" &
TOKEN=$token CUSTOMERS=$customers wrk -t2 -c64 -d"${seconds}s" --latency \
    -s Benchmarks/wrk-payments.lua "http://127.0.0.1:$port" | grep -E 'Requests/sec|50%|99%|Non-2xx|requests in'
peak=$(sort -n "$scratch/rss.log" | tail -1)
echo "server peak RSS under load: $((peak / 1024)) MiB"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
"$bin" ledger verify --data-dir "$scratch/http" | tail -1

echo "== reconciliation of 1,000,000 statement lines"
"$bin" bench --parts r | grep -E '^\(r\)|peak'
