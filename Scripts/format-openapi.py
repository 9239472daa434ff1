#!/usr/bin/env python3
"""Rewrites Sources/PayGridHTTP/openapi.json in its house layout: a JSON value stays on one line when
it fits in 120 columns at its indent, otherwise its members go one per line. Key order is kept.

    python3 Scripts/format-openapi.py            # rewrite in place
    python3 Scripts/format-openapi.py --check    # exit 1 when the file is not in this layout
"""
import json
import pathlib
import sys

PATH = pathlib.Path(__file__).resolve().parent.parent / "Sources/PayGridHTTP/openapi.json"
WIDTH = 120


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def layout(value, indent, prefix):
    """`prefix` is what precedes the value on its first line (a key, or nothing)."""
    flat = compact(value)
    if len(" " * indent + prefix + flat) + 1 <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        members = []
        for key, member in value.items():
            key_text = json.dumps(key, ensure_ascii=False) + ": "
            members.append(inner + key_text + layout(member, indent + 2, key_text))
        return "{\n" + ",\n".join(members) + "\n" + " " * indent + "}"
    items = [inner + layout(item, indent + 2, "") for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def render(document):
    return layout(document, 0, "") + "\n"


def main():
    text = PATH.read_text(encoding="utf-8")
    formatted = render(json.loads(text))
    if "--check" in sys.argv[1:]:
        sys.exit(0 if formatted == text else 1)
    PATH.write_text(formatted, encoding="utf-8")


if __name__ == "__main__":
    main()
