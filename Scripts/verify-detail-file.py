#!/usr/bin/env python3
"""Checks a field collector's detail file (交易明细文件) independently of PayGrid: every line
carries the SHA-256 of the line before it (`prev=`, 64 zeros before the first) and an Ed25519
signature (`|sig=`, 128 hex digits) of everything before `|sig=`, made by the terminal's device key.

    python3 Scripts/verify-detail-file.py PUBLIC_KEY_HEX FILE [FIRST_PREV_HASH]

Prints `ok <lines> lines`, or the first bad line's number and why, and exits 1. Uses the PyPI
package `cryptography` (installed by .ci/run).
"""
import hashlib
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def main():
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(sys.argv[1]))
    lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
    previous = sys.argv[3] if len(sys.argv) > 3 else "0" * 64
    expected = None
    for text in lines:
        body, _, signature = text.rpartition("|sig=")
        fields = dict(part.split("=", 1) for part in body.split("|"))
        number = int(fields["seq"])
        if expected is not None and number != expected:
            return fail(number, f"follows line {expected - 1}")
        if fields["prev"] != previous:
            return fail(number, "does not name the previous line's hash")
        try:
            key.verify(bytes.fromhex(signature), body.encode("utf-8"))
        except (InvalidSignature, ValueError):
            return fail(number, "is not signed by this key")
        previous = hashlib.sha256(text.encode("utf-8")).hexdigest()
        expected = number + 1
    print(f"ok {len(lines)} lines")
    return 0


def fail(number, why):
    print(f"line {number} {why}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
