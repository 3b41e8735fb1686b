#!/usr/bin/env python3
"""tests/readme.py BIN: README.md as a new user would follow it, ecsc meaning
BIN, in one scratch directory (with examples/ linked into it), block by block
in the README's order:

- Each ```hcl block is ecsc source. The first is the README's example, a
  whole configuration: it is written there as env.ecs, and must lint clean
  (--strict, not a word said), be in fmt's layout and build (and pass the
  shared validators, when ../shared is there). A later block
  that declares a project is checked the same way on its own; one that does
  not is a piece of the example: its top-level blocks replace the example's
  of the same kind and label, or are added, and the result must lint clean
  (--strict; only a count of suppressed warnings may be said). A file of
  services alone is a module, whose references are checked where it is
  imported, so a piece is never linted alone.
- Each untagged block that starts with "$ " is a transcript: each "$ COMMAND"
  line runs through sh there, and what follows it, up to the next "$ " line
  or the block's end, must be its output (stdout, then stderr), exactly.
  `cat docker-compose.yml` writes the file instead.
- The json, github and sarif blocks of "Diagnostics for CI" must be what
  `ecsc lint --format=...` prints of typo.ecs, which the opening transcript
  made ("For `typo.ecs` above").

In an expected output, a line of "..." stands for any lines. Prints one line
per difference; exits 1 if any."""
import difflib
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no tests/__pycache__ left in the clone
from ecs_source import top_blocks, validator_runs

binary = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
env = dict(os.environ, PATH=f"{tempfile.mkdtemp()}:{os.environ['PATH']}", NO_COLOR="1")
os.symlink(binary, os.path.join(env["PATH"].split(":")[0], "ecsc"))
# Transcripts of a configuration the README does not hold, each with where
# it is tested instead.
NOT_HERE = {
    "error[E0880]": "a build over the previous build of another configuration: "
                    "tests/build/retire, built in turn by tests/build.sh",
}
bad = 0


def problem(what, want=None, got=None):
    global bad
    bad += 1
    print(f"README: {what}")
    if want is not None:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "README", "ecsc", lineterm="")
        for line in list(diff)[:20]:
            print("    " + line)


def matches(want, got):
    """got is want, where a line of "..." in want stands for any lines."""
    parts = re.split(r"^[ \t]*\.\.\.\n", want, flags=re.M)
    if len(parts) == 1:
        return want == got
    if not got.startswith(parts[0]) or not got.endswith(parts[-1]):
        return False
    at, end = len(parts[0]), len(got) - len(parts[-1])
    for part in parts[1:-1]:
        at = got.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return at <= end


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def clean_lint(name, path, cwd, piece):
    r = run(["ecsc", "lint", "--strict", path], cwd)
    said = r.stdout + r.stderr
    if r.returncode or (said and not (piece and re.fullmatch(r"ecsc: \d+ suppressed\n", said))):
        problem(f"{name} does not lint clean (exit {r.returncode})", "", said)
        return False
    return True


def fmt_layout(name, path, cwd):
    r = run(["ecsc", "fmt", "--check", path], cwd)
    if r.returncode:
        problem(f"{name} is not in fmt's layout", "", r.stdout + r.stderr)


def whole_file(name, source, cwd, path="env.ecs"):
    with open(os.path.join(cwd, path), "w", encoding="utf-8") as f:
        f.write(source)
    if not clean_lint(name, path, cwd, False):
        return
    fmt_layout(name, path, cwd)
    with tempfile.TemporaryDirectory() as out:
        out = os.path.join(out, "out")
        r = run(["ecsc", "build", path, "-o", out], cwd)
        if r.returncode:
            problem(f"{name} does not build (exit {r.returncode})", "", r.stdout + r.stderr)
            return
        validate(name, out)


# The shared validators judge what it builds (ecs_source.validator_runs).
def validate(name, out):
    for tool, argv in validator_runs(root, out):
        r = run(argv, out)
        if r.returncode:
            problem(f"{name}: {tool} finds problems in what it builds", "", r.stdout + r.stderr)


def piece_of(name, source, example, cwd):
    """The example with the piece's blocks in place of its own, linted."""
    if example is None:
        problem(f"{name}: a piece of the example before the example")
        return
    mine, theirs = top_blocks(source), top_blocks(example)
    if not mine:
        problem(f"{name}: no whole block (KIND \"LABEL\" {{ ... }}) in it")
        return
    whole = example
    for key, (start, end) in mine.items():
        text = source[start:end]
        if key in theirs:
            at, to = top_blocks(whole)[key]
            whole = whole[:at] + text + whole[to:]
        else:
            whole += "\n" + text
    with tempfile.TemporaryDirectory() as scratch:
        with open(os.path.join(scratch, "env.ecs"), "w", encoding="utf-8") as f:
            f.write(whole)
        clean_lint(f"{name}, in the example", "env.ecs", scratch, True)
        with open(os.path.join(scratch, "piece.ecs"), "w", encoding="utf-8") as f:
            f.write(source)
        fmt_layout(name, "piece.ecs", scratch)


def transcript(line, block, cwd):
    for key, why in NOT_HERE.items():
        if key in block:
            return
    for step in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, _, want = step.partition("\n")
        if command == "cat docker-compose.yml":
            with open(os.path.join(cwd, "docker-compose.yml"), "w", encoding="utf-8") as f:
                f.write(want)
            continue
        if "| jq" in command and run(["sh", "-c", "command -v jq"], cwd).returncode:
            # a tool make test installs (TEST_TOOLS): missing, the step cannot run
            problem(f"line {line}: $ {command}: jq is not installed (make test installs it)")
            continue
        r = run(["sh", "-c", command], cwd)
        got = r.stdout + r.stderr
        if not matches(want, got):
            problem(f"line {line}: $ {command}: the output differs", want, got)


def ci_format(line, fmt, want, cwd):
    r = run(["ecsc", "lint", f"--format={fmt}", "typo.ecs"], cwd)
    if not matches(want, r.stdout):
        problem(f"line {line}: ecsc lint --format={fmt} typo.ecs: the output differs", want, r.stdout)


fence = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
counts = {"hcl": 0, "transcript": 0, "format": 0}
with tempfile.TemporaryDirectory() as work:
    os.symlink(os.path.join(root, "examples"), os.path.join(work, "examples"))
    example = None
    for m in fence.finditer(readme):
        info, body = m.group(1), m.group(2)
        line = readme.count("\n", 0, m.start()) + 1
        before = readme[: m.start()].rstrip("\n")
        paragraph = before[before.rfind("\n\n") + 2:]
        name = f"the ecsc source at line {line}"
        if info == "hcl":
            counts["hcl"] += 1
            if example is None or re.search(r'^project "', body, re.M):
                if example is None and not re.search(r'^project "', body, re.M):
                    problem(f"{name}: the first ecsc source is no whole configuration (no project)")
                whole_file(name, body, work, "env.ecs" if example is None else "other.ecs")
                example = body if example is None else example
            else:
                piece_of(name, body, example, work)
        elif info == "" and body.startswith("$ "):
            counts["transcript"] += 1
            transcript(line, body, work)
        else:
            f = re.match(r"`--format=(json|github|sarif)`", paragraph)
            if f:
                counts["format"] += 1
                ci_format(line, f.group(1), body, work)
    if counts["hcl"] < 2 or counts["transcript"] < 5 or counts["format"] != 3:
        problem(f"found {counts['hcl']} ecsc sources, {counts['transcript']} transcripts and "
                f"{counts['format']} --format examples: want 2 or more, 5 or more, and 3")
sys.exit(1 if bad else 0)
