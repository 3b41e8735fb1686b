#!/usr/bin/env python3
# tests/formats.py BIN: the diagnostics as CI reads them. --format=json is one
# versioned document; --format=sarif validates against the official SARIF
# 2.1.0 schema (tests/sarif/) and has what GitHub code scanning requires;
# --format=github lines are workflow commands that the GitHub Actions runner
# parses back into the same file, place, code and message. Prints PASS/FAIL
# lines and ends with "formats: N passed, N failed".
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

BIN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def run(*args, cwd=None, stdin=None):
    env = dict(os.environ, NO_COLOR="1", ECSC_STDLIB=os.path.join(ROOT, "stdlib"))
    p = subprocess.run([BIN, *args], cwd=cwd, input=stdin, capture_output=True, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


tmp = tempfile.mkdtemp()
inputs = {
    # An error with a help line, and a duplicate with a note at its first place.
    "bad.ecs": 'template "x" {\n  count = "2"\n}\n\nparameter "A" {\n  path   = "/app/A"\n  secure = true\n  secure = false\n}\n',
    # A warning about the whole file (no line), in a name GitHub must escape.
    "a,b:c%d.ecs": "",
    "clean.ecs": 'template "x" {\n  count = 2\n}\n',
}
for name, text in inputs.items():
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)
files = list(inputs)

# --format=json: one document, versioned, with a reference per code.
code, out, err = run("lint", "--format=json", *files, cwd=tmp)
check("json exits 1 on errors", code == 1, code)
check("json: nothing on standard error", err == "", err)
doc = json.loads(out)
check("json: the keys", list(doc) == ["version", "diagnostics", "errors", "warnings", "suppressed", "not_shown"], list(doc))
check("json: version 1", doc["version"] == 1)
diags = doc["diagnostics"]
check("json: errors counted", doc["errors"] == sum(d["severity"] == "error" for d in diags) == 2, doc)
check("json: warnings counted", doc["warnings"] == sum(d["severity"] == "warning" for d in diags) == 1, doc)
keys = ["file", "line", "column", "end_line", "end_column", "severity", "code", "message", "notes", "help", "documentation"]
for d in diags:
    check(f"json: keys of {d['code']}", list(d) == keys, list(d))
    check(f"json: documentation of {d['code']}", d["documentation"] == f"ecsc explain {d['code']}", d)
    check(f"json: ecsc explain {d['code']} works", run("explain", d["code"])[0] == 0)
first = diags[0]
check("json: place", (first["file"], first["line"], first["column"], first["end_line"], first["end_column"]) == ("bad.ecs", 2, 11, 2, 14), first)
whole = [d for d in diags if d["code"] == "W0001"][0]
check("json: a whole file has no line", whole["line"] is None and whole["file"] == "a,b:c%d.ecs", whole)
code, out, _ = run("lint", "--format", "json", "clean.ecs", cwd=tmp)
check("json clean", code == 0 and json.loads(out) == {"version": 1, "diagnostics": [], "errors": 0, "warnings": 0, "suppressed": 0, "not_shown": 0}, out)

# --format=sarif: the schema, and GitHub code scanning's requirements (the
# GH rules of Microsoft's SARIF validator: a location with a relative or file:
# URI and a startLine; rules with shortDescription, fullDescription, help).
with open(os.path.join(ROOT, "tests/sarif/sarif-schema-2.1.0.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft4Validator(schema)
absolute = os.path.join(tmp, "bad.ecs")
sarif_runs = [
    ("sarif", ["lint", "--format=sarif", *files], tmp),
    ("sarif, a file outside the working directory", ["lint", "-f", "sarif", absolute], ROOT),
    ("sarif, clean", ["lint", "-fsarif", "clean.ecs"], tmp),
]
codes = [line.split(" | ")[0].lstrip("| ") for line in run("explain", "--table")[1].splitlines()[2:]]
for name, args, cwd in sarif_runs:
    code, out, err = run(*args, cwd=cwd)
    check(f"{name}: nothing on standard error", err == "", err)
    log = json.loads(out)
    problems = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    check(f"{name}: valid SARIF 2.1.0", not problems, "; ".join(f"{list(e.path)}: {e.message}" for e in problems[:5]))
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    check(f"{name}: a rule per code of the catalog", [r["id"] for r in rules] == codes, len(rules))
    for r in rules:
        ok = all(r.get(k, {}).get("text", "").strip() for k in ("shortDescription", "fullDescription", "help"))
        check(f"{name}: rule {r['id']} has its texts", ok, r)
    for res in run0["results"]:
        check(f"{name}: ruleIndex of {res['ruleId']}", rules[res["ruleIndex"]]["id"] == res["ruleId"])
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        check(f"{name}: {uri} is relative or file:", uri.startswith("file:///") or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri), uri)
        check(f"{name}: {uri} has a startLine", loc["region"]["startLine"] >= 1, loc)
        check(f"{name}: message", res["message"]["text"].strip() != "", res)
    if name == "sarif":
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run0["results"]]
        check("sarif: relative URIs, percent-encoded", uris == ["bad.ecs", "bad.ecs", "a,b%3Ac%25d.ecs"], uris)
        dup = run0["results"][1]
        related = dup.get("relatedLocations", [])
        check("sarif: a note's place is a related location", len(related) == 1 and related[0]["physicalLocation"]["region"]["startLine"] == 7, dup)
    if name.startswith("sarif, a file outside"):
        uri = run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        check("sarif: a file outside the working directory is a file: URI", uri == "file://" + absolute, uri)

# --format=github: the runner's own parsing (actions/runner,
# src/Runner.Common/ActionCommand.cs, TryParseV2) gives back the file, the
# place, the code and the message.
code, out, err = run("lint", "--format=github", *files, cwd=tmp)
check("github exits 1", code == 1)
check("github: nothing on standard error", err == "", err)
line_re = re.compile(r"^::(error|warning|notice) [A-Za-z]+=[^,:\r\n]*(,[A-Za-z]+=[^,:\r\n]*)*::[^\r\n]*$")


def unescape(s, mapping):
    for token, replacement in mapping:
        s = s.replace(replacement, token)
    return s


PROPERTY = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
DATA = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
lines = out.splitlines()
check("github: a line per diagnostic", len(lines) == len(diags), out)
for line, d in zip(lines, diags):
    check(f"github: syntax of {line!r}", line_re.match(line), line)
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2:]
    command, _, props = head.partition(" ")
    props = dict(p.split("=", 1) for p in props.split(",") if p)
    props = {k: unescape(v, PROPERTY) for k, v in props.items()}
    want = {"error": "error", "warning": "warning", "note": "notice"}[d["severity"]]
    check(f"github: command of {d['code']}", command == want, command)
    check(f"github: file of {d['code']}", props.get("file") == d["file"], props)
    check(f"github: title of {d['code']}", props.get("title") == d["code"], props)
    if d["line"] is not None:
        check(f"github: line of {d['code']}", (props.get("line"), props.get("endLine")) == (str(d["line"]), str(d["end_line"])), props)
        if d["line"] == d["end_line"]:
            check(f"github: columns of {d['code']}", (props.get("col"), props.get("endColumn")) == (str(d["column"]), str(max(d["column"], d["end_column"] - 1))), props)
    message = unescape(data, DATA)
    check(f"github: message of {d['code']}", message.split("\n")[0] == d["message"], message)
    for h in d["help"]:
        check(f"github: help of {d['code']}", "\nhelp: " + h in message, message)

# build --check in a machine format: one document, each stale file a diagnostic.
demo = os.path.join(ROOT, "examples/demo/env.ecs")
out_dir = os.path.join(tmp, "out")
check("build", run("build", demo, "-o", out_dir)[0] == 0)
with open(os.path.join(out_dir, "staging/vpc/main.tf.json"), "a") as f:
    f.write(" ")
code, out, err = run("build", "--check", "--format=json", demo, "-o", out_dir)
check("build --check --format=json exits 1", code == 1, code)
try:
    doc = json.loads(out)
    stale = [d for d in doc["diagnostics"] if d["code"] == "E0014"]
    check("build --check --format=json: the stale file", len(stale) == 1 and stale[0]["file"] == out_dir + "/staging/vpc/main.tf.json", doc)
except json.JSONDecodeError as e:
    check("build --check --format=json is one JSON document", False, f"{e}: {out[:200]!r}")
code, out, err = run("build", "--check", "--format=sarif", demo, "-o", out_dir)
check("build --check --format=sarif: valid", code == 1 and not list(validator.iter_errors(json.loads(out))))

print(f"formats: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
