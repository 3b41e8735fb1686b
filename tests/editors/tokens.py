#!/usr/bin/env python3
"""tests/editors/tokens.py FILE...: the test oracle of tests/editors.sh: every
token of each ecsc source, classified as grammar/ecsc.ebnf defines the
lexical grammar (and as an editor should colour it), one JSON object a line:
{"file", "line", "col" (1-based byte column, Vim's), "utf16" (0-based UTF-16
index, vscode-textmate's), "last" and "last16" (the token's last character),
"kind", "text"}.

Kinds: comment string escape badescape int percent duration size cidr boolean import
block attribute reference operator delimiter. A name is an attribute (or map
key) before "=", a block before its labels and "{", import before a string,
a reference otherwise (cluster.a: the whole chain)."""
import json
import re
import sys

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
GOOD_ESCAPE = re.compile(r'\\(?:["\\nrt]|u[0-9A-Fa-f]{4})')
SIZE_UNITS = ("KiB", "MiB", "GiB", "TiB")
DURATION_UNITS = ("ms", "s", "m", "h", "d")


def positions(line):
    """Byte column (1-based) and UTF-16 index (0-based) of each character."""
    cols, c16, b = [], 0, 1
    for ch in line:
        cols.append((b, c16))
        b += len(ch.encode("utf-8"))
        c16 += 2 if ord(ch) > 0xFFFF else 1
    return cols


def tokens(path):
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    out = []
    for ln, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        pos = positions(line)
        i = 0

        def emit(kind, beg, end):
            out.append({"file": path, "line": ln, "col": pos[beg][0], "utf16": pos[beg][1],
                        "last": pos[end - 1][0], "last16": pos[end - 1][1], "kind": kind,
                        "text": line[beg:end]})

        def after_blanks(k):
            while k < len(line) and line[k] in " \t":
                k += 1
            return k

        while i < len(line):
            ch = line[i]
            if ch in " \t":
                i += 1
            elif ch == "#" or line.startswith("//", i):
                emit("comment", i, len(line))
                i = len(line)
            elif ch == '"':
                beg, i = i, i + 1
                escapes = []
                while i < len(line) and line[i] != '"':
                    if line[i] == "\\":
                        good = GOOD_ESCAPE.match(line, i)
                        n = good.end() - i if good else min(2, len(line) - i)
                        escapes.append(("escape" if good else "badescape", i, i + n))
                        i += n
                    else:
                        i += 1
                i = min(i + 1, len(line))
                # Its last character of its own: not one of an escape.
                last = i
                while any(b < last <= e for _, b, e in escapes):
                    last -= 1
                emit("string", beg, max(last, beg + 1))
                for kind, b, e in escapes:
                    emit(kind, b, e)
            elif ch.isdigit() or (ch == "-" and i + 1 < len(line) and line[i + 1].isdigit()):
                beg = i
                i += 1
                while i < len(line) and line[i].isdigit():
                    i += 1
                tenths = line[i:i + 1] == "." and line[i + 1:i + 2].isdigit()
                if tenths and line[i + 2:i + 3] == "%":
                    emit("percent", beg, i + 3)  # tenths: 2.5%
                    i += 3
                elif i + 1 < len(line) and line[i] == "." and line[i + 1].isdigit():
                    while i < len(line) and (line[i].isdigit() or line[i] in "./"):
                        i += 1
                    emit("cidr", beg, i)
                elif i < len(line) and line[i] == "%":
                    emit("percent", beg, i + 1)
                    i += 1
                elif i < len(line) and (line[i].isalpha() or line[i] == "_"):
                    m = NAME.match(line, i)
                    kind = "duration" if m.group() in DURATION_UNITS else "size"
                    i = m.end()
                    emit(kind, beg, i)
                else:
                    k = after_blanks(i)
                    m = NAME.match(line, k)
                    if k > i and m and m.group() in SIZE_UNITS:
                        i = m.end()
                        emit("size", beg, i)
                    else:
                        emit("int", beg, i)
            elif NAME.match(line, i):
                m = NAME.match(line, i)
                beg, i = i, m.end()
                k = after_blanks(i)
                nxt = line[k] if k < len(line) else ""
                if m.group() in ("true", "false"):
                    emit("boolean", beg, i)
                elif nxt == "=":
                    emit("attribute", beg, i)
                elif m.group() == "import" and nxt == '"':
                    emit("import", beg, i)
                elif nxt in ('"', "{"):
                    emit("block", beg, i)
                else:
                    while k < len(line) and line[k] == "." and NAME.match(line, after_blanks(k + 1)):
                        i = NAME.match(line, after_blanks(k + 1)).end()
                        k = after_blanks(i)
                    emit("reference", beg, i)
            elif ch == "=":
                emit("operator", i, i + 1)
                i += 1
            else:
                emit("delimiter", i, i + 1)
                i += 1
    return out


for p in sys.argv[1:]:
    for t in tokens(p):
        print(json.dumps(t, ensure_ascii=False))
