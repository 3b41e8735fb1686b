#!/usr/bin/env bash
# tests/cli.sh BIN: the command line as users meet it: exit codes, files that
# cannot be read, standard input, options, fmt rewriting in place, and inputs
# too hostile to keep as files (a 1 MB line, 100,000 nested brackets, 65 MiB).
# Prints PASS/FAIL lines and ends with "cli: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
root=$PWD
export NO_COLOR=1 ECSC_STDLIB="$root/stdlib"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp"; rm -rf "$tmp"' EXIT

# check NAME WANT_EXIT CMD...: runs CMD, keeps its stdout and stderr in
# $tmp/out and $tmp/err, and passes when it exits WANT_EXIT.
check() {
  local name=$1 want=$2 code
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ "$code" = "$want" ]; then
    pass=$((pass + 1))
    return 0
  fi
  fail=$((fail + 1))
  echo "FAIL $name: exit $code, want $want"
  head -n 10 "$tmp/err" | sed 's/^/    /'
  return 1
}

# expect NAME FILE TEXT: FILE ($tmp/out or $tmp/err) contains TEXT.
expect() {
  if grep -qF -- "$3" "$2"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: no \"$3\" in $(basename "$2")"
    head -n 10 "$2" | sed 's/^/    /'
  fi
}

demo=examples/demo/env.ecs

# Commands and usage
check "version" 0 "$bin" --version && expect "version" "$tmp/out" "ecsc 0."
check "no command" 2 "$bin"
check "unknown command" 2 "$bin" frobnicate && expect "unknown command" "$tmp/err" 'unknown command "frobnicate"'
check "unknown option" 2 "$bin" lint --frob "$demo"
check "lint without files" 2 "$bin" lint
check "bad --color" 2 "$bin" lint --color=sometimes "$demo"
check "--check outside fmt" 2 "$bin" lint --check "$demo"
check "help" 0 "$bin" help && expect "help" "$tmp/out" "lint FILE"
check "help lint" 0 "$bin" help lint && expect "help lint" "$tmp/out" "--strict"
check "lint --help" 0 "$bin" lint --help && expect "lint --help" "$tmp/out" "--strict"
check "help fmt" 0 "$bin" help fmt && expect "help fmt" "$tmp/out" "--check"
check "help unknown" 2 "$bin" help frobnicate
check "explain" 0 "$bin" explain E0301 && expect "explain" "$tmp/out" "E0301 (error): unknown attribute or block"
check "explain lowercase" 0 "$bin" explain e0104 && expect "explain lowercase" "$tmp/out" "invalid CIDR block"
check "explain unknown" 2 "$bin" explain E0399 && expect "explain unknown" "$tmp/err" 'did you mean'
check "explain every code" 0 bash -c "for c in \$(sed -n 's/^DIAG_CODE(\([EW][0-9]*\),.*/\1/p' compiler/diag_codes.h); do '$bin' explain \$c >/dev/null || exit 1; done"
check "schema" 0 "$bin" schema && expect "schema" "$tmp/out" '### `service`'

# Files that cannot be read are diagnostics, and an I/O failure exits 2
check "missing file" 2 "$bin" lint "$tmp/nope.ecs"
expect "missing file" "$tmp/err" "nope.ecs: error[E0001]: cannot read file: no such file or directory"
expect "missing file summary" "$tmp/err" "ecsc: 1 error"
check "directory" 2 "$bin" lint "$tmp" && expect "directory" "$tmp/err" "error[E0001]: cannot read file: is a directory"
if [ "$(id -u)" != 0 ]; then
  echo 'service "x" {}' >"$tmp/locked.ecs"
  chmod 000 "$tmp/locked.ecs"
  check "unreadable" 2 "$bin" lint "$tmp/locked.ecs" && expect "unreadable" "$tmp/err" "permission denied"
fi
check "one bad file of two" 2 "$bin" lint "$demo" "$tmp/nope.ecs"

# Standard input
check "lint stdin" 0 "$bin" lint - <"$demo"
printf 'template "x" {\n  count = "2"\n}\n' >"$tmp/bad.ecs"
check "lint stdin error" 1 "$bin" lint - <"$tmp/bad.ecs" && expect "lint stdin error" "$tmp/err" "<stdin>:2:11: error[E0303]"

# Warnings: exit 0, or 1 under --strict
: >"$tmp/empty.ecs"
check "warning exits 0" 0 "$bin" lint "$tmp/empty.ecs" && expect "warning" "$tmp/err" "ecsc: 1 warning"
check "--strict" 1 "$bin" lint --strict "$tmp/empty.ecs" && expect "--strict" "$tmp/err" "warnings are errors"

# Several files: every one is checked, one summary
check "two files" 1 "$bin" lint "$tmp/bad.ecs" "$tmp/empty.ecs"
expect "two files summary" "$tmp/err" "ecsc: 1 error, 1 warning"

# JSON diagnostics, for editors and CI
check "json" 1 "$bin" lint --format=json "$tmp/bad.ecs"
cp "$tmp/out" "$tmp/json"
check "json parses" 0 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == 1, d
e = d[0]
for k in ("file", "line", "column", "end_line", "end_column", "severity", "code", "message", "notes", "help"):
    assert k in e, k
assert (e["line"], e["column"], e["end_column"], e["code"]) == (2, 11, 14, "E0303"), e
' "$tmp/json"
cp "$tmp/err" "$tmp/json.err"
check "json silent on stderr" 0 test ! -s "$tmp/json.err"
check "json clean" 0 "$bin" lint --format=json "$demo" && expect "json clean" "$tmp/out" "[]"

# Colour only when asked or on a terminal
check "color always" 1 "$bin" lint --color=always "$tmp/bad.ecs" && expect "color always" "$tmp/err" $'\033['
check "color auto, not a tty" 1 "$bin" lint "$tmp/bad.ecs"
cp "$tmp/err" "$tmp/plain.err"
check "no escapes off a tty" 1 grep -q $'\033' "$tmp/plain.err"
check "but a diagnostic" 0 grep -q 'error\[E0303\]' "$tmp/plain.err"

# fmt: rewrites in place, idempotent, never touches a file it cannot parse
printf 'service "x" {\ncount=2\n    image = "a"   # the image\n}\n' >"$tmp/ugly.ecs"
check "fmt --check ugly" 1 "$bin" fmt --check "$tmp/ugly.ecs" && expect "fmt --check names it" "$tmp/err" "would reformat $tmp/ugly.ecs"
check "fmt rewrites" 0 "$bin" fmt "$tmp/ugly.ecs"
check "fmt result" 0 diff <(printf 'service "x" {\n  count = 2\n  image = "a" # the image\n}\n') "$tmp/ugly.ecs"
check "fmt --check after" 0 "$bin" fmt --check "$tmp/ugly.ecs"
cp "$tmp/ugly.ecs" "$tmp/before"
check "fmt again changes nothing" 0 "$bin" fmt "$tmp/ugly.ecs"
check "fmt idempotent" 0 cmp "$tmp/before" "$tmp/ugly.ecs"
printf 'service "x" {\n  count = \n' >"$tmp/broken.ecs"
cp "$tmp/broken.ecs" "$tmp/broken.before"
check "fmt syntax error" 1 "$bin" fmt "$tmp/broken.ecs"
check "fmt left it alone" 0 cmp "$tmp/broken.before" "$tmp/broken.ecs"
check "fmt stdin" 0 "$bin" fmt - <"$demo"
cp "$tmp/out" "$tmp/formatted"
check "fmt stdin output" 0 cmp "$tmp/formatted" "$demo"
check "fmt --check demo" 0 "$bin" fmt --check "$demo"
check "fmt leaves no temporary" 0 bash -c "! ls '$tmp' | grep -q ecsc-fmt"

# Imports: relative to the importing file, std/ through ECSC_STDLIB or -I
mkdir -p "$tmp/proj/lib" "$tmp/std"
printf 'import "lib/common"\n' >"$tmp/proj/env.ecs"
printf 'import "std/presets"\n\nservice "x" {\n  extends = template.web\n}\n' >"$tmp/proj/lib/common.ecs"
check "import relative + std" 0 "$bin" lint "$tmp/proj/env.ecs"
(cd "$tmp/proj" && check "import from stdin" 0 "$bin" lint - <"$tmp/proj/env.ecs")
printf 'template "web" {\n  count = "oops"\n}\n' >"$tmp/std/presets.ecs"
check "-I wins over ECSC_STDLIB" 1 "$bin" lint -I "$tmp/std" "$tmp/proj/env.ecs"
expect "-I file shown" "$tmp/err" "$tmp/std/presets.ecs:2:11: error[E0303]"

# Hostile inputs, generated: none may crash, hang or flood the terminal
python3 -c 'import sys; sys.stdout.write("service \"x\" {\n  image = \"" + "a" * 1000000 + "\" count = @\n}\n")' >"$tmp/long.ecs"
check "1 MB line" 1 "$bin" lint "$tmp/long.ecs"
expect "1 MB line position" "$tmp/err" "long.ecs:2:1000022: error[E0101]"
check "1 MB line shows a window" 0 test "$(wc -c <"$tmp/err")" -lt 1000
python3 -c 'import sys; sys.stdout.write("x = " + "[" * 100000 + "]" * 100000 + "\n")' >"$tmp/deep.ecs"
check "100,000 nested lists" 1 "$bin" lint "$tmp/deep.ecs" && expect "nesting limit" "$tmp/err" "error[E0204]: nesting too deep"
python3 -c 'import sys; sys.stdout.write("a {\n" * 5000)' >"$tmp/deepblocks.ecs"
check "5,000 unclosed blocks" 1 "$bin" lint "$tmp/deepblocks.ecs" && expect "unclosed" "$tmp/err" "E0204"
head -c $((65 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$tmp/huge.ecs"
check "65 MiB file" 1 "$bin" lint "$tmp/huge.ecs" && expect "too large" "$tmp/err" "error[E0004]: file is too large"
python3 -c 'import sys; sys.stdout.write("".join("template \"s%d\" {\n  count = \"x\"\n}\n\n" % i for i in range(200)))' >"$tmp/many.ecs"
check "error cap" 1 "$bin" lint "$tmp/many.ecs" && expect "error cap" "$tmp/err" "ecsc: 200 errors (150 not shown)"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
