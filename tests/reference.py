#!/usr/bin/env python3
"""tests/reference.py BIN: every ```hcl block of grammar/README.md, the
language reference, as BIN (ecsc) reads it, so that no example there rots:

- Each block is in fmt's layout (`ecsc fmt --check`).
- A block that declares a project and an environment is a whole
  configuration: it must lint clean (not a diagnostic said, warnings
  included).
- A block of other top-level declarations (services, environments,
  parameters, a project alone, ...) is a piece: its blocks replace those of
  the same kind and label in BASE below (a project and environments
  "staging" and "production", each with clusters "a" and "main"; a project
  replaces BASE's), or are added, and the result must lint clean but for
  PIECE_WARNINGS, which say only that a piece is shown alone.
- A `cluster` block goes into each environment of BASE, beside its own
  clusters; with the top-level declarations beside it (a service on that
  cluster), it is judged as a piece.
- A block of a service's settings (`scaling { }`, `deployment { }`) is put
  into the service WRAPPER below, added to BASE, and judged as a piece.
- A block of imports alone is only formatted: the files it names are the
  reader's.
- What lints clean must build, and the shared validators (../shared/tools,
  when they are there) find no problem in what it builds, as tests/readme.py
  judges the README's example.

Every example of ecsc source is tagged hcl: an untagged block is a problem.
text, json and terraform blocks are not ecsc source.
Prints one line per problem; exits 1 if any."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no tests/__pycache__ left in the clone
from ecs_source import top_blocks, validator_runs

binary = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
doc_path = os.path.join(root, "grammar", "README.md")
doc = open(doc_path, encoding="utf-8").read()
env = dict(os.environ, NO_COLOR="1", ECSC_STDLIB=os.path.join(root, "stdlib"))

BASE_PROJECT = """\
project "example" {
  region = "us-east-1"

  state {
    bucket = "example-terraform-state"
  }
}
"""

# BASE's environments, one shape: NAME, ACCOUNT and the second octet NET.
ENVIRONMENT = """\
environment "NAME" {
  account = "ACCOUNT"

  vpc {
    cidr            = 10.NET.0.0/16
    azs             = ["us-east-1a", "us-east-1b"]
    public_subnets  = [10.NET.0.0/24, 10.NET.1.0/24]
    private_subnets = [10.NET.10.0/24, 10.NET.11.0/24]
  }

  alb {}

  cluster "a" {
    instance_type = "t3.small"
    size          = 2
  }

  cluster "main" {
    instance_type = "t3.medium"
    size          = 2
    fargate       = true
  }
}
"""
BASE = BASE_PROJECT + "".join(
    "\n" + ENVIRONMENT.replace("NAME", name).replace("ACCOUNT", account).replace("NET", net)
    for name, account, net in [("staging", "123456789012", "0"),
                               ("production", "210987654321", "1")])

# The service a block of service settings goes into: routed, with a health
# check, so that what the settings need of a service is there.
WRAPPER_HEAD = """\
service "example" {
  cluster = cluster.main
  image   = "123456789012.dkr.ecr.us-east-1.amazonaws.com/example:1.0.0"
  cpu     = 256
  memory  = 512 MiB
  port    = 8080
"""
WRAPPER_KEEP = {
    "health": '  health {\n    command = ["/example", "--check"]\n  }\n',
    "route": '  route {\n    paths = ["/*"]\n  }\n',
}

# Warnings a piece may draw for being shown alone: a parameter no service of
# BASE reads (W0561), a project without environments (W0510).
PIECE_WARNINGS = {"W0561", "W0510"}
TOP_LEVEL = {"project", "variable", "environment", "parameter", "secret", "service",
             "template", "instance_type", "region", "ami", "time_zone"}
bad = 0


def problem(what, said=""):
    global bad
    bad += 1
    print(f"grammar/README.md: {what}")
    for line in said.splitlines()[:20]:
        print("    " + line)


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def with_clusters(base, source):
    """base with the source's cluster blocks added to each of its environments."""
    clusters = "".join("\n" + "".join("  " + line if line.strip() else line
                                      for line in source[start:end].splitlines(True))
                       for key, (start, end) in top_blocks(source).items()
                       if key.startswith("cluster "))
    return re.sub(r'^(environment "[^"]*" \{\n.*?)^\}\n', lambda m: m.group(1) + clusters + "}\n",
                  base, flags=re.S | re.M)


def with_base(source):
    """BASE with the source's top-level blocks in place of its own, or added,
    and its clusters in each environment."""
    whole = with_clusters(BASE, source)
    for key, (start, end) in top_blocks(source).items():
        text = source[start:end]
        mine = top_blocks(whole)
        if key.startswith("cluster "):
            continue
        if key.startswith("project "):
            key = 'project "example"'
        if key in mine:
            at, to = mine[key]
            whole = whole[:at] + text + whole[to:]
        else:
            whole += "\n" + text
    return whole


def wrapped(source):
    """BASE and the WRAPPER service holding the source's settings."""
    body = "".join("  " + line if line.strip() else line for line in source.splitlines(True))
    kept = "".join(text for name, text in WRAPPER_KEEP.items()
                   if not re.search(rf"^{name} \{{", source, re.M))
    return BASE + "\n" + WRAPPER_HEAD + "\n" + body + kept + "}\n"


# The shared validators judge what it builds (ecs_source.validator_runs).
def validate(name, out):
    for tool, argv in validator_runs(root, out):
        r = run(argv, out)
        if r.returncode:
            problem(f"{name}: {tool} finds problems in what it builds", r.stdout + r.stderr)


def build(name, cwd):
    out = os.path.join(cwd, "out")
    r = run([binary, "build", "env.ecs", "-o", out], cwd)
    if r.returncode:
        problem(f"{name} does not build (exit {r.returncode})", r.stdout + r.stderr)
    else:
        validate(name, out)
    shutil.rmtree(out, ignore_errors=True)


def clean_lint(name, source, cwd, piece):
    with open(os.path.join(cwd, "env.ecs"), "w", encoding="utf-8") as f:
        f.write(source)
    r = run([binary, "lint", "--format=json", "env.ecs"], cwd)
    try:
        said = [d for d in json.loads(r.stdout)["diagnostics"]
                if not (piece and d["code"] in PIECE_WARNINGS)]
    except (ValueError, KeyError):
        said = None
    if r.returncode > 1 or said is None or said:
        r = run([binary, "lint", "env.ecs"], cwd)
        problem(f"{name} does not lint clean", r.stdout + r.stderr)
        return
    build(name, cwd)


def fmt_layout(name, source, cwd):
    with open(os.path.join(cwd, "block.ecs"), "w", encoding="utf-8") as f:
        f.write(source)
    r = run([binary, "fmt", "--check", "block.ecs"], cwd)
    if r.returncode:
        problem(f"{name} is not in fmt's layout", r.stdout + r.stderr)


def kinds(source):
    """The names of the source's top-level items: block and attribute names."""
    depth, names = 0, set()
    for line in source.splitlines():
        code = re.sub(r'"(?:\\.|[^"\\])*"', '""', line).split("#")[0].split("//")[0]
        if depth == 0:
            m = re.match(r"(\w+)", code)
            if m:
                names.add(m.group(1))
        depth += code.count("{") + code.count("[") - code.count("}") - code.count("]")
    return names


fence = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
count = 0
with tempfile.TemporaryDirectory() as work:
    for m in fence.finditer(doc):
        if m.group(1) == "":
            line = doc.count("\n", 0, m.start()) + 1
            problem(f"the block at line {line} has no language: tag ecsc source hcl, and "
                    "anything else text")
        if m.group(1) != "hcl":
            continue
        count += 1
        body = m.group(2)
        name = f"the ecsc source at line {doc.count(chr(10), 0, m.start()) + 1}"
        fmt_layout(name, body, work)
        top = kinds(body)
        if top == {"import"}:
            continue
        if {"project", "environment"} <= top:
            clean_lint(name, body, work, False)
        elif top <= TOP_LEVEL | {"import", "cluster"}:
            clean_lint(f"{name}, beside the reference's base", with_base(body), work, True)
        else:
            clean_lint(f"{name}, in a service", wrapped(body), work, True)
    if count < 10:
        problem(f"found {count} ecsc sources: want 10 or more")
sys.exit(1 if bad else 0)
