#!/usr/bin/env python3
"""Validate a Popolo export against its JSON Schema, and its references.

Usage: check_popolo.py FILE SCHEMA

Checks that SCHEMA is a valid JSON Schema (draft 2020-12), that FILE
follows it, that organization ids are unique and that every parent_id names
an organization of the file. Prints "ok: N organizations" or every problem
found, then exits with 1.
"""

import json
import sys

from jsonschema import Draft202012Validator


def problems(doc, schema):
    validator = Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        yield f"{where}: {error.message}"
    organizations = doc.get("organizations", []) if isinstance(doc, dict) else []
    ids = [o.get("id") for o in organizations if isinstance(o, dict)]
    seen = set()
    for i in ids:
        if i in seen:
            yield f"organization id {i!r} is not unique"
        seen.add(i)
    for o in organizations:
        parent = o.get("parent_id") if isinstance(o, dict) else None
        if parent is not None and parent not in seen:
            yield f"{o.get('id')!r}: parent_id {parent!r} names no organization"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    found = list(problems(doc, schema))
    if found:
        sys.exit("\n".join(found))
    print(f"ok: {len(doc['organizations'])} organizations")


if __name__ == "__main__":
    main()
