#!/usr/bin/env bash
# tests/import.sh BIN: `ecsc import compose`.
#   tests/import/NAME/docker-compose.yml   imports to exactly NAME/env.ecs, with
#                                          exactly NAME/stderr (or nothing) on
#                                          stderr, and the result lints, builds
#                                          and passes the shared validators
#   tests/import/errors/NAME.yml + .err    prints exactly NAME.err on stderr;
#                                          exit 1 if it holds an error, else 0
# Then -o, usage errors and files that cannot be read. Ends with
# "import: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
root=$PWD
export NO_COLOR=1 ECSC_STDLIB="$root/stdlib"
shared=$(cd .. && pwd)/shared
pass=0 fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp"; rm -rf "$tmp"' EXIT

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

for compose in tests/import/*/docker-compose.yml; do
  dir=$(dirname "$compose")
  name=$(basename "$dir")
  [ "$name" = errors ] && continue
  "$bin" import compose "$compose" >"$tmp/$name.ecs" 2>"$tmp/$name.err"
  check "$name: import exits 0" test $? = 0
  check "$name: gives $dir/env.ecs" diff "$dir/env.ecs" "$tmp/$name.ecs"
  if [ -f "$dir/stderr" ]; then
    check "$name: says $dir/stderr" diff "$dir/stderr" "$tmp/$name.err"
  else
    check "$name: says nothing" test ! -s "$tmp/$name.err"
  fi
  check "$name: the result lints" "$bin" lint "$tmp/$name.ecs"
  check "$name: and builds" "$bin" build "$tmp/$name.ecs" -o "$tmp/$name.out"
  if [ -x "$shared/tools/tfjson-check" ]; then
    check "$name: tfjson-check" "$shared/tools/tfjson-check" "$tmp/$name.out"
    find "$tmp/$name.out" -name task-definition.json | sort >"$tmp/taskdefs"
    while IFS= read -r f; do
      check "$name: taskdef-check ${f#"$tmp/$name.out"/}" "$shared/tools/taskdef-check" "$f"
    done <"$tmp/taskdefs"
  else
    echo "SKIP validators for import $name: $shared is absent"
  fi
done

for f in tests/import/errors/*.yml; do
  name=$(basename "$f" .yml)
  want="tests/import/errors/$name.err"
  if [ ! -f "$want" ]; then not_ok "$f" "missing $want"; continue; fi
  (cd tests/import/errors && "$bin" import compose "$name.yml" >"$tmp/out" 2>"$tmp/err")
  code=$?
  expected=0
  grep -q 'error\[' "$want" && expected=1
  if [ "$code" = "$expected" ] && cmp -s "$tmp/err" "$want"; then
    ok
  else
    not_ok "import compose $f (exit $code, want $expected)" "$(diff "$want" "$tmp/err")"
  fi
  if [ "$expected" = 1 ]; then
    check "$f: nothing on stdout after an error" test ! -s "$tmp/out"
  else
    check "$f: the result lints" "$bin" lint "$tmp/out"
  fi
done

# -o writes the file, and only it.
compose=tests/import/shop/docker-compose.yml
check "-o FILE" "$bin" import compose "$compose" -o "$tmp/written.ecs"
check "-o FILE writes the same" diff tests/import/shop/env.ecs "$tmp/written.ecs"
"$bin" import compose "$compose" -o "$tmp/written.ecs" >"$tmp/out" 2>/dev/null
check "-o FILE prints nothing" test ! -s "$tmp/out"
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
  "$bin" import compose "$compose" -o "$tmp/ro/env.ecs" >/dev/null 2>"$tmp/err"
  check "an unwritable -o exits 2" test $? = 2
fi
"$bin" import compose "$compose" -o "$tmp/nodir/env.ecs" >/dev/null 2>"$tmp/err"
check "-o in a missing directory exits 2" test $? = 2
check "and says why" grep -q "cannot write file: no such file or directory" "$tmp/err"

if [ -w /dev/full ]; then
  "$bin" import compose "$compose" >/dev/full 2>"$tmp/err"
  check "a full standard output exits 2" test $? = 2
  check "and says so" grep -q "<stdout>: error\[E0001\]: cannot write file: no space left on device" "$tmp/err"
fi

# Usage and I/O.
"$bin" import >/dev/null 2>&1
check "import without arguments exits 2" test $? = 2
"$bin" import swarm "$compose" >/dev/null 2>&1
check "import of another kind exits 2" test $? = 2
"$bin" import compose "$tmp/missing.yml" >/dev/null 2>"$tmp/err"
check "a missing file exits 2" test $? = 2
check "and says so" grep -q "missing.yml: error\[E0001\]: cannot read file" "$tmp/err"
"$bin" import compose - <"$compose" >"$tmp/stdin.ecs" 2>/dev/null
check "- reads standard input" test -s "$tmp/stdin.ecs"

echo "import: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
