#!/usr/bin/env python3
"""Parse a Turtle file with rdflib and print its triples as JSON.

Usage: check_turtle.py FILE

Prints a sorted JSON array of [subject, predicate, object] strings: IRIs as
<iri>, literals as "lexical form" followed by ^^<datatype> or @lang when
they have one (the lexical form is not escaped: it is compared, not parsed).
Exits with 1 if the file does not parse, or if rdflib warns about any term
(for instance an IRI holding a character IRIs cannot hold).
"""

import json
import logging
import sys

import rdflib


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def term(t):
    if isinstance(t, rdflib.URIRef):
        return f"<{t}>"
    if isinstance(t, rdflib.Literal):
        suffix = f"^^<{t.datatype}>" if t.datatype else (f"@{t.language}" if t.language else "")
        return f'"{t}"{suffix}'
    return t.n3()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    warnings = Collect()
    logging.getLogger("rdflib").addHandler(warnings)
    graph = rdflib.Graph()
    try:
        graph.parse(sys.argv[1], format="turtle")
    except Exception as e:  # rdflib raises several kinds of syntax errors
        sys.exit(f"{sys.argv[1]}: not valid Turtle: {e}")
    if warnings.messages:
        sys.exit("rdflib warned:\n" + "\n".join(warnings.messages))
    triples = sorted([term(s), term(p), term(o)] for s, p, o in graph)
    json.dump(triples, sys.stdout, ensure_ascii=False, indent=0)
    print()


if __name__ == "__main__":
    main()
