#!/usr/bin/env bash
# tests/ci.sh BIN: what ecsc ships for CI and hooks. examples/ci/*.yml parse
# as YAML and pass the structure checks of tests/ci/check_workflow.py (which
# must also catch a workflow broken on purpose), and each run: script
# passes shellcheck; .pre-commit-hooks.yaml parses and each hook, run as pre-commit
# runs it (ENTRY FILE...), does what it says: ecsc-fmt rewrites,
# ecsc-fmt-check only fails, ecsc-lint checks. Ends with "ci: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
export NO_COLOR=1 ECSC_STDLIB="$PWD/stdlib"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 20 | sed 's/^/    /'
}
check() {
  local name=$1
  shift
  if "$@" >"$tmp/log" 2>&1; then ok; else not_ok "$name" "$(cat "$tmp/log")"; fi
}

for tool in python3 shellcheck; do
  command -v "$tool" >/dev/null 2>&1 || not_ok "$tool is not installed (make test installs it)"
done
python3 -c 'import yaml' 2>/dev/null || not_ok "python3's yaml module is not installed (make test installs python3-yaml)"

# The workflows, and a --changed=json document of the ecsc under test for the
# keys the plan jobs read.
mkdir -p "$tmp/scripts"
"$bin" build --changed=json examples/demo/env.ecs -o "$tmp/changed-out" >"$tmp/changed.json" 2>"$tmp/log" ||
  not_ok "ecsc build --changed=json examples/demo/env.ecs" "$(cat "$tmp/log")"
# A rebuild's keys too: a changed capacity provider strategy's row has
# force_new_deployment (tests/output/changed/capacity-changed), which a first
# build's never has. Its states join the document's.
mkdir -p "$tmp/capacity"
cp tests/output/changed/before.ecs "$tmp/capacity/env.ecs"
"$bin" build "$tmp/capacity/env.ecs" -o "$tmp/capacity/out" >/dev/null 2>"$tmp/log" &&
  cp tests/output/changed/capacity-changed/after.ecs "$tmp/capacity/env.ecs" &&
  "$bin" build --changed=json "$tmp/capacity/env.ecs" -o "$tmp/capacity/out" >"$tmp/capacity.json" \
    2>"$tmp/log" &&
  python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
a["states"] += b["states"]
json.dump(a, open(sys.argv[1], "w"))' "$tmp/changed.json" "$tmp/capacity.json" ||
  not_ok "ecsc build --changed=json over a capacity change" "$(cat "$tmp/log")"
check "examples/ci: workflows parse and hold together" python3 tests/ci/check_workflow.py "$tmp/scripts" "$tmp/changed.json" examples/ci/*.yml
for f in "$tmp"/scripts/*.sh; do
  [ -e "$f" ] || continue
  check "examples/ci: shellcheck of run: $(basename "$f" .sh)" shellcheck -s bash "$f"
done

# Every job that builds ecsc installs the Makefile's build dependencies
# (DEBS), so the list a user copies is not stale and make's own apt-get
# (tests/install-deps.sh) has nothing left to do.
check "examples/ci: each apt-get install is the Makefile's DEBS" python3 -c '
import re, sys, yaml
debs = re.search(r"^DEBS *:= *(.*)$", open("Makefile").read(), re.M).group(1).split()
n = 0
for path in sys.argv[1:]:
    for name, job in (yaml.safe_load(open(path)).get("jobs") or {}).items():
        for step in job.get("steps") or []:
            for line in step.get("run", "").replace("\\\n", " ").splitlines():
                words = line.split()
                if "apt-get" in words and "install" in words:
                    n += 1
                    got = [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
                    assert got == debs, f"{path}: job {name}: installs {got}, the Makefile {debs}"
assert n > 0, "no job installs the build dependencies"
' examples/ci/*.yml

# The checker catches what it is for: each broken copy must fail, naming why.
broken() {  # broken NAME WANT SED-SCRIPT
  mkdir -p "$tmp/broken/$1"
  sed "$3" examples/ci/ecsc.yml >"$tmp/broken/$1/ecsc.yml"
  if python3 tests/ci/check_workflow.py "$tmp/scripts" "$tmp/changed.json" "$tmp/broken/$1/ecsc.yml" >"$tmp/log" 2>&1; then
    not_ok "check_workflow.py misses: $1"
  elif grep -q -- "$2" "$tmp/log"; then
    ok
  else
    not_ok "check_workflow.py on $1: no \"$2\"" "$(cat "$tmp/log")"
  fi
}
broken "services before VPC states" "VPC states must come first" 's/needs: \[changes, plan-vpc\]/needs: [changes]/'
broken "a missing job" "which is no job" 's/needs: \[lint, build\]/needs: [lint, biuld]/'
broken "no SARIF permission" "security-events: write" '/security-events: write/d'
broken "an unknown output" "has no output" 's/outputs.service != /outputs.services != /'
broken "a key --changed=json lacks" "reads matrix.state.dir" 's/matrix\.state\.path/matrix.state.dir/'
broken "not YAML" "not YAML" 's/^jobs:/jobs: [/'
broken "service plans blind to the VPC change" "must read matrix.state.after_vpc" 's/AFTER_VPC: .*/AFTER_VPC: "false"/'
broken "after_vpc not written" "reads matrix.state.after_vpc, which" 's/after_vpc: (/vpc_after: (/'

# The pre-commit hooks, run as pre-commit runs them: ENTRY then the files.
check ".pre-commit-hooks.yaml: hooks parse" python3 -c '
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
assert isinstance(hooks, list) and hooks, "a list of hooks"
ids = [h["id"] for h in hooks]
assert len(ids) == len(set(ids)), "ids unique"
for h in hooks:
    for k in ("id", "name", "entry", "language"):
        assert k in h, (h.get("id"), k)
    assert h["language"] == "system", h
    assert h["entry"].split()[0] == "ecsc", h
    re.compile(h["files"])
    assert re.search(h["files"], "deploy/env.ecs") and not re.search(h["files"], "env.ecs.bak"), h
assert {"ecsc-lint", "ecsc-fmt", "ecsc-fmt-check"} <= set(ids), ids
' .pre-commit-hooks.yaml
entry() {  # the entry of hook $1, with ecsc replaced by BIN
  python3 -c 'import sys, yaml; print(next(h["entry"] for h in yaml.safe_load(open(".pre-commit-hooks.yaml")) if h["id"] == sys.argv[1]))' "$1" |
    sed "s|^ecsc|$bin|"
}
printf 'service "x" {\ncount=2\n    image = "a"\n}\n' >"$tmp/ugly.ecs"
cp "$tmp/ugly.ecs" "$tmp/ugly2.ecs"
read -ra cmd <<<"$(entry ecsc-fmt-check)"
"${cmd[@]}" "$tmp/ugly.ecs" >"$tmp/log" 2>&1
check "ecsc-fmt-check fails on a file out of layout" test $? = 1
check "ecsc-fmt-check leaves it as it was" cmp "$tmp/ugly.ecs" "$tmp/ugly2.ecs"
read -ra cmd <<<"$(entry ecsc-fmt)"
check "ecsc-fmt runs" "${cmd[@]}" "$tmp/ugly.ecs"
check "ecsc-fmt rewrites it (pre-commit then fails the commit)" test "$(cat "$tmp/ugly.ecs")" = "$("$bin" fmt - <"$tmp/ugly2.ecs")"
read -ra cmd <<<"$(entry ecsc-fmt-check)"
check "ecsc-fmt-check passes after ecsc-fmt" "${cmd[@]}" "$tmp/ugly.ecs"
read -ra cmd <<<"$(entry ecsc-lint)"
check "ecsc-lint passes a clean file" "${cmd[@]}" examples/demo/env.ecs
printf 'service "x" {\n  count = "2"\n}\n' >"$tmp/bad.ecs"
"${cmd[@]}" "$tmp/bad.ecs" >"$tmp/log" 2>&1
check "ecsc-lint fails on an error" test $? = 1

echo "ci: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
