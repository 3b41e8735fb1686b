#!/usr/bin/env python3
"""tests/editors/compare_vim.py TOKENS NAMES: TOKENS is tokens.py's output for
one file; NAMES what synids.vim wrote for the token's first and last
characters, in that order, after a first line with the file type and comment
string. Each token must be in the syntax item of its kind, and that item must
be highlighted (linked to a highlight group). Prints one line per problem."""
import json
import sys

GROUP = {
    "comment": "ecsComment", "string": "ecsString", "escape": "ecsEscape",
    "badescape": "ecsBadEscape", "int": "ecsInt", "percent": "ecsPercent",
    "duration": "ecsDuration", "size": "ecsSize", "cidr": "ecsCidr", "boolean": "ecsBoolean",
    "import": "ecsImport", "block": "ecsBlock", "attribute": "ecsAttribute",
    "reference": "ecsReference", "operator": "ecsOperator", "delimiter": "ecsDelimiter",
}

tokens = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
names = open(sys.argv[2], encoding="utf-8").read().split("\n")
bad = 0
if names[0] != "ecsc # %s":
    print(f"filetype and commentstring: want 'ecsc # %s', got {names[0]!r}")
    bad += 1
for i, t in enumerate(tokens):
    for k, col in enumerate((t["col"], t["last"])):
        got = (names[1 + 2 * i + k].split() + ["", ""])[:2]
        if got[0] != GROUP[t["kind"]] or not got[1]:
            print(f"{t['file']}:{t['line']}:{col}: {t['kind']} {t['text']!r}: want {GROUP[t['kind']]}, got {' '.join(got).strip() or 'nothing'}")
            bad += 1
sys.exit(1 if bad else 0)
