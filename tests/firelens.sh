#!/usr/bin/env bash
# tests/firelens.sh: the FireLens request oracle (tests/firelens-oracle.js)
# on its fixtures (tests/firelens/gen.py writes them): every good/NAME passes,
# every bad/NAME fails with each line of bad/NAME/expect in its output. The
# oracle runs on every build's output in tests/build.sh. Needs node (make
# test installs it) and ../shared (the vendored IAM engine): skipped without
# it. Ends with "firelens: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
vendor=$(cd .. && pwd)/shared/tools/vendor/iam
pass=0 fail=0
ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 20 | sed 's/^/    /'
}

if [ ! -d "$vendor" ]; then
  echo "SKIP firelens oracle fixtures: $vendor is absent"
elif ! command -v node >/dev/null 2>&1; then
  not_ok "firelens oracle: node is not installed (make test installs it: Debian's nodejs)"
else
  for d in tests/firelens/good/*/; do
    if out=$(node tests/firelens-oracle.js --vendor "$vendor" "$d" 2>&1); then ok; else not_ok "firelens oracle passes $d" "$out"; fi
  done
  for d in tests/firelens/bad/*/; do
    out=$(node tests/firelens-oracle.js --vendor "$vendor" "$d" 2>&1)
    code=$?
    if [ "$code" != 1 ]; then
      not_ok "firelens oracle fails $d (exit 1, got $code)" "$out"
      continue
    fi
    missing=$(while IFS= read -r line; do
      grep -qF -- "$line" <<<"$out" || printf '%s\n' "$line"
    done <"$d/expect")
    if [ -z "$missing" ]; then ok; else not_ok "firelens oracle names the defect of $d" "missing: $missing
got: $out"; fi
  done
fi
echo "firelens: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
