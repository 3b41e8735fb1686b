#!/usr/bin/env bash
# tests/oracle-fixtures.sh: a request oracle (tests/NAME-oracle.js, which
# simulates with iam-check's IAM engine the requests AWS makes with a role)
# on its fixtures: every good/CASE passes, every bad/CASE fails with each
# line of bad/CASE/expect in its output, so a grant beyond what AWS calls,
# or short of it, is caught. tests/firelens.sh and tests/ebs-oracle.sh run
# it on theirs. Needs node (make test installs it) and ../shared (the
# vendored IAM engine): skipped without it. Ends with "LABEL: N passed, N
# failed".
#
#   tests/oracle-fixtures.sh LABEL ORACLE.js FIXTURES_DIR
set -u
label=$1 oracle=$2 fixtures=$3
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
  echo "SKIP $label oracle fixtures: $vendor is absent"
elif ! command -v node >/dev/null 2>&1; then
  not_ok "$label oracle: node is not installed (make test installs it: Debian's nodejs)"
else
  for d in "$fixtures"/good/*/; do
    if out=$(node "$oracle" --vendor "$vendor" "$d" 2>&1); then ok; else not_ok "$label oracle passes $d" "$out"; fi
  done
  for d in "$fixtures"/bad/*/; do
    out=$(node "$oracle" --vendor "$vendor" "$d" 2>&1)
    code=$?
    if [ "$code" != 1 ]; then
      not_ok "$label oracle fails $d (exit 1, got $code)" "$out"
      continue
    fi
    missing=$(while IFS= read -r line; do
      grep -qF -- "$line" <<<"$out" || printf '%s\n' "$line"
    done <"$d/expect")
    if [ -z "$missing" ]; then ok; else not_ok "$label oracle names the defect of $d" "missing: $missing
got: $out"; fi
  done
fi
echo "$label: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
