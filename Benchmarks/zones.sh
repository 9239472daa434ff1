#!/usr/bin/env bash
# Bank payments through the zones, side by side: both zones in one process (the default, the
# in-process link) against two processes joined by the link over TCP on loopback.
#   Benchmarks/zones.sh                         # 10,000 customers, 20,000 payments, 32 connections
#   PAYMENTS=50000 CONNECTIONS=64 Benchmarks/zones.sh
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${CUSTOMERS:-10000}
payments=${PAYMENTS:-20000}
connections=${CONNECTIONS:-32}
scratch=$(mktemp -d /tmp/paygrid-zones-XXXXXX)
pids=()
cleanup() {
    [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
swift build -c release --product paygrid >/dev/null
bin=.build/release/paygrid
# The benchmarks drive one server hard from one address, as one cashier or bank.
export PAYGRID_RATELIMIT_ADDRESS=off PAYGRID_RATELIMIT_OPERATOR=off PAYGRID_RATELIMIT_PARTNER=off
export PAYGRID_LINK_KEY=$(openssl rand -hex 32)

# Starts `paygrid serve ARGS…` on a free HTTP port, logging to $scratch/NAME.log; sets $port.
serve() {
    local name=$1
    shift
    port=$((20000 + RANDOM % 20000))
    "$bin" serve --port "$port" --log-level error "$@" >"$scratch/$name.log" 2>&1 &
    pids+=($!)
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
        kill -0 "${pids[-1]}" 2>/dev/null || { cat "$scratch/$name.log"; exit 1; }
        sleep 0.5
    done
}
secret() { grep -oE 'bank-request.sh DEMOBANK [0-9a-f]{64}' "$scratch/$1.log" | awk '{print $3}'; }
load() {
    "$bin" bank-load --url "http://127.0.0.1:$1" --secret "$2" --payments "$payments" \
        --connections "$connections" --customers "$customers" --serial-prefix "$3"
}

echo "== $(nproc) cores, $(date -u +%F), $customers customers, $payments payments, $connections connections"
printf 'one process (in-process link):   '
serve one --demo --demo-customers "$customers" --data-dir "$scratch/one"
load "$port" "$(secret one)" A
kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=()

printf 'two processes (link over TCP):   '
link=$((40000 + RANDOM % 20000))
serve internal --zone internal --demo --demo-customers "$customers" --data-dir "$scratch/internal" \
    --link "127.0.0.1:$link"
bank_secret=$(secret internal)
serve external --zone external --data-dir "$scratch/external" --link "127.0.0.1:$link"
load "$port" "$bank_secret" B
