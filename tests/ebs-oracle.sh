#!/usr/bin/env bash
# tests/ebs-oracle.sh: the EBS request oracle (tests/ebs-oracle.js) on its
# fixtures (tests/ebs-oracle/gen.py writes them): every good/NAME passes,
# every bad/NAME fails with each line of bad/NAME/expect in its output, so a
# grant beyond what ECS and EC2 call, or short of it, is caught. The oracle
# runs on every build's output in tests/build.sh. Needs node (make test
# installs it) and ../shared (the vendored IAM engine): skipped without it.
# Ends with "ebs-oracle: N passed, N failed".
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
  echo "SKIP ebs oracle fixtures: $vendor is absent"
elif ! command -v node >/dev/null 2>&1; then
  not_ok "ebs oracle: node is not installed (make test installs it: Debian's nodejs)"
else
  for d in tests/ebs-oracle/good/*/; do
    if out=$(node tests/ebs-oracle.js --vendor "$vendor" "$d" 2>&1); then ok; else not_ok "ebs oracle passes $d" "$out"; fi
  done
  for d in tests/ebs-oracle/bad/*/; do
    out=$(node tests/ebs-oracle.js --vendor "$vendor" "$d" 2>&1)
    code=$?
    if [ "$code" != 1 ]; then
      not_ok "ebs oracle fails $d (exit 1, got $code)" "$out"
      continue
    fi
    missing=$(while IFS= read -r line; do
      grep -qF -- "$line" <<<"$out" || printf '%s\n' "$line"
    done <"$d/expect")
    if [ -z "$missing" ]; then ok; else not_ok "ebs oracle names the defect of $d" "missing: $missing
got: $out"; fi
  done
fi
echo "ebs-oracle: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
