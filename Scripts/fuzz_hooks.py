"""Schemathesis hooks for Scripts/fuzz-api.sh (loaded through SCHEMATHESIS_HOOKS).

- Requests to the bank interface (/bank/v1) are signed as the demo bank (FUZZ_BANK_CODE and
  FUZZ_BANK_SECRET, 64 hex digits, from the demo's start-up text), as Scripts/bank-request.sh does,
  so they reach the interface's own logic rather than stop at the signature.
- Every request that carries an Idempotency-Key gets a fresh one, as a real client's new request
  does: a generated key repeats across examples, and the server rightly answers a repeated key with
  another body 422 idempotency_key_reused.
- `schema_valid_input_accepted`: positive_data_acceptance lets a schema-valid request be refused
  422, because some refusals are business rules no schema can state (an unknown holder, a
  remittance that does not match the day). This check fails when a schema-valid request is refused
  for its shape, with a code that says the input itself is malformed: then the schema is looser
  than the server and must be tightened. Operations whose body is a file (CSV, a bank statement)
  are left out: the schema says only "a string", the file's own format is checked by the server.
"""
import hashlib
import hmac
import json
import os
import time
import urllib.parse
import uuid

import schemathesis

# Codes (docs/errors.md) that refuse a request for its form, never for the state of the data.
INPUT_SHAPE_CODES = {
    "invalid_field", "malformed_json", "content_type_unsupported", "body_too_large",
    "idempotency_key_missing", "idempotency_key_malformed",
    # amount_above_maximum is not here: each amount's bound is in the schema, the payment's total
    # (a sum of tenders) is a rule across fields that no schema states.
    "amount_malformed", "amount_not_positive", "amount_too_precise",
    "account_malformed", "search_text_invalid", "channel_not_supported", "tenders_missing",
    "tender_method_unknown", "card_number_not_masked", "remittance_details_missing",
    "collection_account_invalid", "cash_count_invalid", "signature_headers_missing",
}



@schemathesis.hook
def before_call(context, case, kwargs):
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    if case.path.startswith("/bank/v1/") and os.environ.get("FUZZ_BANK_SECRET"):
        sign_as_bank(case)


def sign_as_bank(case):
    """hex HMAC-SHA256(secret, METHOD\\nTARGET\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))), the body as sent."""
    try:
        body = b"" if case.body is None or case.method == "GET" else json.dumps(case.body).encode()
    except (TypeError, ValueError):
        return  # not a JSON body (a negative case's raw bytes): sent unsigned, refused 401
    target = case.formatted_path
    if case.query:
        target += "?" + urllib.parse.urlencode(case.query, doseq=True)
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
    text = "\n".join([case.method, target, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    key = bytes.fromhex(os.environ["FUZZ_BANK_SECRET"])
    case.headers = dict(case.headers or {})
    case.headers.update({
        "X-Bank-Code": os.environ.get("FUZZ_BANK_CODE", "DEMOBANK"), "X-Timestamp": timestamp, "X-Nonce": nonce,
        "X-Signature": hmac.new(key, text.encode(), hashlib.sha256).hexdigest(),
    })


@schemathesis.check
def schema_valid_input_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    body = case.operation.definition.raw.get("requestBody", {}).get("content", {})
    if body and "application/json" not in body:
        return None
    try:
        error = response.json()["error"]
        code, message = error["code"], error["message"]
    except Exception:
        return None
    if code in INPUT_SHAPE_CODES:
        raise AssertionError(
            f"a schema-valid request was refused {response.status_code} {code}: the schema is looser than the server"
        )
    return None
