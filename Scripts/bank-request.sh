#!/usr/bin/env bash
# Sends one signed request to PayGrid's bank interface, as a bank's host would.
#   Scripts/bank-request.sh BANK_CODE SECRET_HEX METHOD PATH [JSON_BODY]
# e.g. Scripts/bank-request.sh DEMOBANK "$SECRET" POST /bank/v1/query '{"account_no":"3100000001"}'
# The signature is hex HMAC-SHA256(secret, METHOD\nPATH\nTIMESTAMP\nNONCE\nhex(SHA-256(body))).
set -euo pipefail
code=$1 secret=$2 method=$3 path=$4 body=${5:-}
base=${PAYGRID_URL:-http://127.0.0.1:8080}
timestamp=$(date +%s)
nonce=$(openssl rand -hex 16)
body_hash=$(printf '%s' "$body" | openssl dgst -sha256 | awk '{print $NF}')
signature=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "${path%%\?*}" "$timestamp" "$nonce" "$body_hash" \
    | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$secret" | awk '{print $NF}')
curl -s -X "$method" "$base$path" -H "X-Bank-Code: $code" -H "X-Timestamp: $timestamp" -H "X-Nonce: $nonce" \
    -H "X-Signature: $signature" -H 'Content-Type: application/json' ${body:+--data-binary "$body"}
echo
