#!/usr/bin/env python3
"""Validates XML files against an XML Schema with lxml: validate-xml.py SCHEMA.xsd FILE.xml...

Prints each file's errors (line: message) and exits 1 if any file is invalid. The tests use it as
an independent check that PayGrid's camt files are what the ISO 20022 schema says.
"""
import sys

from lxml import etree

schema = etree.XMLSchema(etree.parse(sys.argv[1]))
failed = False
for path in sys.argv[2:]:
    if not schema.validate(etree.parse(path)):
        failed = True
        for error in schema.error_log:
            print(f"{path}:{error.line}: {error.message}")
sys.exit(1 if failed else 0)
