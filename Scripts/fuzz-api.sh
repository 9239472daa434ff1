#!/usr/bin/env bash
# Fuzzes a freshly seeded demo server against Sources/PayGridHTTP/openapi.json with schemathesis:
# no 5xx, no status the document does not list, responses that match their schemas, 405 with Allow
# for a method a path does not take, and no schema-valid request refused for its form. Run by
# .ci/run after `swift test`; fails when any check fails.
#   Scripts/fuzz-api.sh                 # builds paygrid if needed, 20 examples per operation and role
#   FUZZ_MAX_EXAMPLES=50 FUZZ_SEED=1 PAYGRID_BIN=.build/debug/paygrid Scripts/fuzz-api.sh
# FUZZ_SCHEMA names another copy of the document (default: the one the server serves).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

examples=${FUZZ_MAX_EXAMPLES:-20}
bin=${PAYGRID_BIN:-}
if [ -z "$bin" ]; then
    swift build --product paygrid >/dev/null
    bin=$(swift build --show-bin-path)/paygrid
fi

work=$(mktemp -d)
"$bin" serve --demo --demo-customers 200 --host 127.0.0.1 --port 0 --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# The server prints its address once it listens (port 0: the system picked a free one).
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's|^PayGrid listening on \(http://[^ ]*\).*|\1|p' "$work/serve.log")
    [ -n "$url" ] && break
    if ! kill -0 "$server" 2>/dev/null; then cat "$work/serve.log" >&2; exit 1; fi
    sleep 0.5
done
[ -n "$url" ] || { echo "the demo server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

# Operators sign in as the README tour does. Each role is refused what it may not do (403), so the
# counter, finance and agent roles together reach every operation's own logic.
login() {
    curl -s --fail-with-body -X POST "$url/api/v1/sessions" -H 'Content-Type: application/json' \
        -d "{\"operator\":\"$1\",\"password\":\"paygrid-demo\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}
tokens=()
for operator in supervisor1 finance1 admin1 agent1; do tokens+=("$operator:$(login "$operator")"); done

# The demo prints its bank's secret once, at seeding: the hooks sign /bank/v1 requests with it.
bank=$(sed -n 's|.*bank-request\.sh \([A-Z0-9]*\) \([0-9a-f]\{64\}\) .*|\1 \2|p' "$work/serve.log" | head -1)
export FUZZ_BANK_CODE=${bank% *} FUZZ_BANK_SECRET=${bank#* }

checks=not_a_server_error,status_code_conformance,response_schema_conformance,positive_data_acceptance
checks+=,unsupported_method,allow_header_conformance,schema_valid_input_accepted
schema=${FUZZ_SCHEMA:-$url/api/v1/openapi.json}
status=0
for entry in "${tokens[@]}"; do
    operator=${entry%%:*} token=${entry#*:}
    echo "== schemathesis as $operator: $examples examples per operation"
    # Run from the temporary directory: schemathesis keeps a crash cache in its working directory.
    (cd "$work" && SCHEMATHESIS_HOOKS="$root/Scripts/fuzz_hooks.py" python3 -m schemathesis.cli \
        --config-file "$root/Scripts/schemathesis.toml" --no-color run "$schema" --url "$url" \
        -H "Authorization: Bearer $token" --checks "$checks" \
        --phases examples,coverage,fuzzing --max-examples "$examples" --workers 1 --generation-database none \
        ${FUZZ_SEED:+--seed "$FUZZ_SEED"}) \
        || status=1
done
exit $status
