#!/usr/bin/env python3
"""tests/readme.py BIN: the README's transcripts of `ecsc graph` and `ecsc
import compose` are what ecsc prints today. Each "$ COMMAND" line of those
code blocks is run in a scratch directory (with the README's docker-compose.yml
written there) through sh, ecsc meaning BIN; what follows it, up to the next
"$ " line or the block's end, must be its output (stdout, then stderr),
exactly. Prints one line per difference; exits 1 if any."""
import difflib
import os
import re
import subprocess
import sys
import tempfile

binary = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
blocks = re.findall(r"```\n(\$ .*?)```", readme, re.S)
wanted = [b for b in blocks if re.match(r"\$ (ecsc graph|cat docker-compose\.yml)", b)]
bad = 0
if len(wanted) != 3:
    print(f"README: want 3 transcripts of ecsc graph and import compose, found {len(wanted)}")
    bad += 1
env = dict(os.environ, PATH=f"{tempfile.mkdtemp()}:{os.environ['PATH']}", NO_COLOR="1")
os.symlink(binary, os.path.join(env["PATH"].split(":")[0], "ecsc"))
with tempfile.TemporaryDirectory() as work:
    os.symlink(os.path.join(root, "examples"), os.path.join(work, "examples"))
    for block in wanted:
        steps = re.split(r"^\$ ", block, flags=re.M)[1:]
        for step in steps:
            command, _, want = step.partition("\n")
            if command == "cat docker-compose.yml":
                with open(os.path.join(work, "docker-compose.yml"), "w", encoding="utf-8") as f:
                    f.write(want)
                continue
            if "| jq" in command and subprocess.run(["sh", "-c", "command -v jq"], capture_output=True).returncode:
                bad += 1  # a tool make test installs (TEST_TOOLS): missing, the step cannot run
                print(f"README: $ {command}: jq is not installed (make test installs it)")
                continue
            r = subprocess.run(["sh", "-c", command], cwd=work, env=env, capture_output=True, text=True)
            got = r.stdout + r.stderr
            if got != want:
                bad += 1
                print(f"README: $ {command}: the output differs")
                for line in list(difflib.unified_diff(want.splitlines(), got.splitlines(), "README", "ecsc", lineterm=""))[:20]:
                    print("    " + line)
sys.exit(1 if bad else 0)
