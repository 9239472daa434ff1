#!/usr/bin/env bash
# Sends one signed request to PayGrid's partner interface, as a bank's host, an agent point's till
# (/agent/v1/...) or the 95598 telephony gateway (/ivr/v1/...) would.
#   Scripts/bank-request.sh PARTNER_CODE SECRET METHOD TARGET [JSON_BODY]
# e.g. Scripts/bank-request.sh DEMOBANK "$SECRET" POST /bank/v1/query '{"account_no":"3100000001"}'
# SECRET is the partner's key as its registration returns it (base64) or as 64 hex digits.
# The header naming the partner follows the target: X-Agent-Code, X-Gateway-Code, else X-Bank-Code.
# TARGET is the path with its query string, if any: the signature covers both.
# The signature is hex HMAC-SHA256(secret, METHOD\nTARGET\nTIMESTAMP\nNONCE\nhex(SHA-256(body))).
set -euo pipefail
code=$1 secret=$2 method=$3 target=$4 body=${5:-}
if [[ $secret =~ ^[0-9a-fA-F]{64}$ ]]; then
    key_hex=$secret
else
    key_hex=$(printf '%s' "$secret" | base64 -d | od -An -v -tx1 | tr -d ' \n')
fi
case $target in
    /agent/*) code_header=X-Agent-Code ;;
    /ivr/*) code_header=X-Gateway-Code ;;
    *) code_header=X-Bank-Code ;;
esac
base=${PAYGRID_URL:-http://127.0.0.1:8080}
timestamp=$(date +%s)
nonce=$(openssl rand -hex 16)
body_hash=$(printf '%s' "$body" | openssl dgst -sha256 | awk '{print $NF}')
signature=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$target" "$timestamp" "$nonce" "$body_hash" \
    | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" | awk '{print $NF}')
curl -s -X "$method" "$base$target" -H "$code_header: $code" -H "X-Timestamp: $timestamp" -H "X-Nonce: $nonce" \
    -H "X-Signature: $signature" -H 'Content-Type: application/json' ${body:+--data-binary "$body"}
echo
