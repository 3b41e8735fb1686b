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
check "explain retired" 0 "$bin" explain W1141 && expect "explain retired" "$tmp/out" "W1141: retired; an EBS volume on Bottlerocket instances is an error, E1142"
check "explain retired W1147" 0 "$bin" explain W1147 && expect "explain retired W1147" "$tmp/out" "W1147: retired; ELB takes up to five values in one listener rule condition"
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

# The command line on getopt_long: arguments after = or a space, short
# options glued or not, prefixes of long options, operands anywhere
check "--format json" 1 "$bin" lint --format json "$tmp/bad.ecs" && expect "--format json" "$tmp/out" '"version": 1'
check "-f json" 1 "$bin" lint -f json "$tmp/bad.ecs" && expect "-f json" "$tmp/out" '"version": 1'
check "-fjson" 1 "$bin" lint -fjson "$tmp/bad.ecs" && expect "-fjson" "$tmp/out" '"version": 1'
check "--form=json (a prefix)" 1 "$bin" lint --form=json "$tmp/bad.ecs" && expect "--form=json" "$tmp/out" '"version": 1'
check "options after operands" 1 "$bin" lint "$tmp/bad.ecs" --format=json && expect "options after operands" "$tmp/out" '"version": 1'
check "-- ends the options" 2 "$bin" lint -- --strict && expect "-- ends the options" "$tmp/err" "cannot read file"
check "--out DIR" 0 "$bin" build "$demo" --out "$tmp/o1" && check "--out DIR wrote" 0 test -f "$tmp/o1/.ecsc-manifest"
check "-oDIR" 0 "$bin" build "$demo" -o"$tmp/o2" && check "-oDIR wrote" 0 test -f "$tmp/o2/.ecsc-manifest"
check "--out=DIR" 0 "$bin" build --out="$tmp/o3" "$demo" && check "--out=DIR wrote" 0 test -f "$tmp/o3/.ecsc-manifest"
check "-o without DIR" 2 "$bin" build "$demo" -o && expect "-o without DIR" "$tmp/err" "-o needs a value: -o DIR"
check "--format without a value" 2 "$bin" lint "$demo" --format && expect "--format needs" "$tmp/err" "--format needs a value: --format=FORMAT"
check "bad --format" 2 "$bin" lint --format=xml "$demo" && expect "bad --format" "$tmp/err" "--format takes text, json, sarif or github"
check "a flag given a value" 2 "$bin" lint --strict=yes "$demo" && expect "a flag given a value" "$tmp/err" "--strict takes no argument"
check "ambiguous prefix" 2 "$bin" build --c "$demo" -o "$tmp/o1" && expect "ambiguous prefix" "$tmp/err" "--c is ambiguous: it could be --check, --changed, --color"
check "options before the command" 2 "$bin" --strict lint "$demo" && expect "options before the command" "$tmp/err" "options go after the command"
check "--help" 0 "$bin" --help && expect "--help" "$tmp/out" "commands:"

# did you mean, for commands and options
check "misspelt command" 2 "$bin" lnit "$demo" && expect "misspelt command" "$tmp/err" 'help: did you mean "lint"?'
check "misspelt option" 2 "$bin" lint --strcit "$demo" && expect "misspelt option" "$tmp/err" 'help: did you mean "--strict"?'
expect "misspelt option names it" "$tmp/err" "lint does not take --strcit"
check "another command's option" 2 "$bin" lint --out x "$demo" && expect "another command's option" "$tmp/err" "help: --out goes with build"
check "unknown short option" 2 "$bin" lint -x "$demo" && expect "unknown short option" "$tmp/err" "lint does not take -x"
check "unknown short option after a long one" 2 "$bin" lint --strict -qx "$demo" && expect "after a long one" "$tmp/err" "lint does not take -q"
check "--help=x" 2 "$bin" lint --help=x && expect "--help=x" "$tmp/err" "--help takes no argument"
check "misspelt help topic" 2 "$bin" help biuld && expect "misspelt help topic" "$tmp/err" 'help: did you mean "build"?'

# Every option a command takes is in its help, and accepted
check "help build" 0 "$bin" help build
cp "$tmp/out" "$tmp/help-build"
for opt in -o --out --check -f --format --color --strict --disable --values -I --help; do
  expect "help build lists $opt" "$tmp/help-build" -- "$opt"
done
check "build takes --disable" 0 "$bin" build --disable W0572 --strict --color=never -I "$root/stdlib" "$demo" -o "$tmp/o1"
check "build takes --values" 2 "$bin" build --values "$tmp/none.yaml" "$demo" -o "$tmp/o1"
expect "build --values reads the file" "$tmp/err" "none.yaml: error[E0001]: cannot read file"
check "help lint" 0 "$bin" help lint
cp "$tmp/out" "$tmp/help-lint"
for opt in -f --format --color --strict --disable --values --iam -I --help; do
  expect "help lint lists $opt" "$tmp/help-lint" -- "$opt"
done

# --disable: warnings only, every code checked
printf 'service "x" {\n  cluster = cluster.a\n  image   = "x"\n  memory  = 256 MiB\n}\n' >"$tmp/untagged.ecs"
check "--disable an error" 2 "$bin" lint --disable=E0301 "$demo" && expect "--disable an error" "$tmp/err" "E0301 is an error, and errors cannot be disabled"
check "--disable unknown" 2 "$bin" lint --disable=W0752 "$demo" && expect "--disable unknown" "$tmp/err" 'did you mean "W0572"?'
check "--disable a list" 0 "$bin" lint --strict --disable=w0001,W0572 "$tmp/empty.ecs" && expect "--disable counts" "$tmp/err" "ecsc: 1 suppressed"
check "--disable repeated" 0 "$bin" lint --strict --disable=W0572 --disable W0001 "$tmp/empty.ecs"

# build: an output directory that cannot be written exits 2, as documented
echo x >"$tmp/afile"
check "build into a file's child exits 2" 2 "$bin" build "$demo" -o "$tmp/afile/out" && expect "build I/O" "$tmp/err" "error[E0008]"
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
  check "build into a read-only directory exits 2" 2 "$bin" build "$demo" -o "$tmp/ro/out"
fi

# The man page, the README's table and the completions come from one table
check "help --man" 0 "$bin" help --man && expect "man page has build" "$tmp/out" ".SS build"
cp "$tmp/out" "$tmp/ecsc.1"
check "the committed man page is generated" 0 cmp "$tmp/ecsc.1" compiler/ecsc.1
for opt in '\-o' '\-\-out' '\-\-values' '\-\-iam' '\-\-disable' '\-\-format' '\-\-check' '\-\-version'; do
  expect "man page has $opt" "$tmp/ecsc.1" "$opt"
done
check "man page renders without warnings" 0 bash -c "groff -man -Tutf8 -ww -z '$tmp/ecsc.1' 2>&1 | { ! grep .; }"
check "completion bash" 0 "$bin" completion bash && cp "$tmp/out" "$tmp/ecsc.bash"
check "completion bash parses" 0 bash -n "$tmp/ecsc.bash"
# complete WORDS...: what the bash completion offers for the last word.
complete_bash() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ecsc 2>/dev/null; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$tmp/ecsc.bash" "$@"
}
check "bash: commands" 0 test "$(complete_bash ecsc li)" = "lint "
check "bash: options" 0 test "$(complete_bash ecsc lint --fo)" = "--format "
check "bash: --format values" 0 test "$(complete_bash ecsc build --format '')" = "github json sarif text "
check "bash: --format=" 0 test "$(complete_bash ecsc lint --format = s)" = "sarif "
check "bash: codes for --disable" 0 test "$(complete_bash ecsc lint --disable W057)" = "$("$bin" explain --table | sed -n 's/^| \(W057[0-9]\) .*/\1/p' | sort | tr '\n' ' ')"
complete_bash ecsc lint --disable E >"$tmp/disable-e"
check "bash: only warnings for --disable" 1 grep -q E0 "$tmp/disable-e"
check "bash: shells" 0 test "$(complete_bash ecsc completion z)" = "zsh "
check "bash: .ecs files" 0 test "$(cd examples/demo && complete_bash ecsc lint e)" = "env.ecs "
check "completion zsh" 0 "$bin" completion zsh && cp "$tmp/out" "$tmp/_ecsc"
check "completion zsh parses" 0 zsh -n "$tmp/_ecsc"
expect "zsh: --format values" "$tmp/_ecsc" "(text json sarif github)"
check "completion fish" 0 "$bin" completion fish && cp "$tmp/out" "$tmp/ecsc.fish"
check "completion fish parses" 0 fish -n "$tmp/ecsc.fish"
complete_fish() { fish -c 'source $argv[1]; complete -C $argv[2]' "$tmp/ecsc.fish" "$1" | cut -f1 | sort | tr '\n' ' '; }
check "fish: commands" 0 test "$(complete_fish 'ecsc bu')" = "build "
check "fish: options" 0 test "$(complete_fish 'ecsc lint --st')" = "--strict "
check "fish: --format values" 0 test "$(complete_fish 'ecsc lint --format ')" = "github json sarif text "
check "fish: .ecs files" 0 test "$(cd examples/demo && complete_fish 'ecsc lint e')" = "env.ecs "
check "completion of no shell" 2 "$bin" completion tcsh

# JSON diagnostics, for editors and CI: one versioned document
check "json" 1 "$bin" lint --format=json "$tmp/bad.ecs"
cp "$tmp/out" "$tmp/json"
check "json parses" 0 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1 and d["errors"] == 1 and d["warnings"] == 0, d
e = d["diagnostics"][0]
for k in ("file", "line", "column", "end_line", "end_column", "severity", "code", "message", "notes", "help", "documentation"):
    assert k in e, k
assert (e["line"], e["column"], e["end_column"], e["code"]) == (2, 11, 14, "E0303"), e
' "$tmp/json"
cp "$tmp/err" "$tmp/json.err"
check "json silent on stderr" 0 test ! -s "$tmp/json.err"
check "json clean" 0 "$bin" lint --format=json "$demo" && expect "json clean" "$tmp/out" '"diagnostics": []'
# JSON, SARIF (against the official schema) and GitHub workflow commands
check "formats" 0 python3 tests/formats.py "$bin" || grep '^FAIL' "$tmp/out" | head -n 20

# Colour only when asked or on a terminal; NO_COLOR changes the default and
# --color=always|never overrides it, as https://no-color.org asks of flags
check "color always" 1 "$bin" lint --color=always "$tmp/bad.ecs" && expect "color always" "$tmp/err" $'\033['
check "color always beats NO_COLOR" 1 env NO_COLOR=1 "$bin" lint --color=always "$tmp/bad.ecs" && expect "color always beats NO_COLOR" "$tmp/err" $'\033['
check "color never" 1 env NO_COLOR= "$bin" lint --color never "$tmp/bad.ecs"
cp "$tmp/err" "$tmp/never.err"
check "no escapes with never" 1 grep -q $'\033' "$tmp/never.err"
check "color auto, not a tty" 1 env -u NO_COLOR "$bin" lint "$tmp/bad.ecs"
cp "$tmp/err" "$tmp/plain.err"
check "no escapes off a tty" 1 grep -q $'\033' "$tmp/plain.err"
check "but a diagnostic" 0 grep -q 'error\[E0303\]' "$tmp/plain.err"
if command -v script >/dev/null 2>&1; then
  # On a terminal: colour, unless NO_COLOR is set and not empty.
  check "color auto on a tty" 1 env -u NO_COLOR TERM=xterm script -qec "'$bin' lint '$tmp/bad.ecs'" /dev/null
  expect "color auto on a tty" "$tmp/out" $'\033['
  check "NO_COLOR on a tty" 1 env NO_COLOR=1 TERM=xterm script -qec "'$bin' lint '$tmp/bad.ecs'" /dev/null
  cp "$tmp/out" "$tmp/tty.out"
  check "NO_COLOR: no escapes" 1 grep -q $'\033' "$tmp/tty.out"
  expect "NO_COLOR: the diagnostic" "$tmp/tty.out" "error[E0303]"
  check "empty NO_COLOR on a tty" 1 env NO_COLOR= TERM=xterm script -qec "'$bin' lint '$tmp/bad.ecs'" /dev/null
  expect "empty NO_COLOR is unset" "$tmp/out" $'\033['
else
  fail=$((fail + 1))
  echo "FAIL color on a tty: script(1) is not installed (make test installs it: Debian's bsdutils)"
fi

# fmt: rewrites in place, idempotent, never touches a file it cannot parse
printf 'service "x" {\ncount=2\n    image = "a"   # the image\n}\n' >"$tmp/ugly.ecs"
check "fmt --check ugly" 1 "$bin" fmt --check "$tmp/ugly.ecs" && expect "fmt --check names it" "$tmp/err" "would reformat $tmp/ugly.ecs"
check "fmt rewrites" 0 "$bin" fmt "$tmp/ugly.ecs"
printf 'service "x" {\n  count = 2\n  image = "a" # the image\n}\n' >"$tmp/pretty.ecs"
check "fmt result" 0 diff "$tmp/pretty.ecs" "$tmp/ugly.ecs"
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
printf 'template "x" {\ncount=2\n}\n' >"$tmp/real.ecs"
ln -s real.ecs "$tmp/link.ecs"
check "fmt through a symlink" 0 "$bin" fmt "$tmp/link.ecs"
check "the link stays a link" 0 test -L "$tmp/link.ecs"
check "its target is formatted" 0 "$bin" fmt --check "$tmp/real.ecs"
check "help after files" 0 "$bin" lint "$demo" -h && expect "help after files" "$tmp/out" "usage: ecsc lint"

# Imports: relative to the importing file, std/ through ECSC_STDLIB or -I
mkdir -p "$tmp/proj/lib" "$tmp/std"
printf 'import "lib/common"\n' >"$tmp/proj/env.ecs"
printf 'import "std/presets"\n\nservice "x" {\n  extends = template.web\n  cluster = cluster.a\n  image   = "x:1"\n  memory  = 256 MiB\n}\n' >"$tmp/proj/lib/common.ecs"
check "import relative + std" 0 "$bin" lint "$tmp/proj/env.ecs"
pushd "$tmp/proj" >/dev/null && check "import from stdin" 0 "$bin" lint - <"$tmp/proj/env.ecs"
popd >/dev/null
printf 'template "web" {\n  count = "oops"\n}\n' >"$tmp/std/presets.ecs"
check "-I wins over ECSC_STDLIB" 1 "$bin" lint -I "$tmp/std" "$tmp/proj/env.ecs"
expect "-I file shown as imported" "$tmp/err" "std/presets.ecs:2:11: error[E0303]"

# Values files
v=tests/values
values() { check "values $1" "$2" "$bin" lint --values "$v/$1.yaml" "$v/$1.ecs"; }
values good 0
values override 1 && expect "values override: every value has the declared type" "$tmp/err" 'override.yaml:5:10: error[E0303]: expected an integer for "var.desired", found a string'
values syntax 1 && expect "values syntax" "$tmp/err" "syntax.yaml:3:7: error[E0411]: invalid YAML: did not find expected ',' or ']'"
expect "values syntax context" "$tmp/err" "syntax.yaml:2:10: note: while parsing a flow sequence"
values unknown-var 1 && expect "values unknown variable" "$tmp/err" 'unknown-var.yaml:2:1: error[E0413]: unknown variable "imgae"'
expect "values did you mean" "$tmp/err" 'help: did you mean "image"?'
expect "values unknown variable per environment" "$tmp/err" 'unknown-var.yaml:5:5: error[E0413]: unknown variable "desird"'
values unknown-env 1 && expect "values unknown environment" "$tmp/err" 'unknown-env.yaml:3:3: error[E0413]: unknown environment "prodution"'
expect "values environment did you mean" "$tmp/err" 'help: did you mean "production"?'
values wrong-type 1 && expect "values wrong type" "$tmp/err" 'wrong-type.yaml:2:10: error[E0303]: expected an integer for "var.desired", found a string'
expect "values wrong type help" "$tmp/err" "help: remove the quotes: 3"
expect "values wrong type per environment" "$tmp/err" 'wrong-type.yaml:6:13: error[E0303]: expected a size for "var.memory", found a string'
values mapping 1 && expect "values mapping" "$tmp/err" 'mapping.yaml:3:3: error[E0414]: expected a value for variable "memory", found a mapping'
values duplicate 1 && expect "values duplicate" "$tmp/err" 'duplicate.yaml:3:1: error[E0416]: duplicate variable "desired"'
expect "values duplicate note" "$tmp/err" "duplicate.yaml:2:1: note: first set here"
expect "values duplicate environment" "$tmp/err" 'duplicate.yaml:7:3: error[E0416]: duplicate environment "production"'
values no-value 1 && expect "values no value" "$tmp/err" 'error[E0403]: variable "image" has no value in environment "staging"'
values null 1 && expect "values null" "$tmp/err" 'null.yaml:2:9: error[E0415]: variable "desired" has no value'
values alias 1 && expect "values anchor" "$tmp/err" "alias.yaml:1:8: error[E0412]: anchors are not supported in values files"
expect "values alias" "$tmp/err" "alias.yaml:4:12: error[E0412]: aliases are not supported in values files"
# Generated: the YAML beside tests/values/app.ecs
vals() { printf '%b' "$2" >"$tmp/$1.yaml"; check "values $1" "$3" "$bin" lint --values "$tmp/$1.yaml" "$v/app.ecs"; }
vals empty '' 1 && expect "values empty" "$tmp/err" 'variable "image" has no value'
vals comments '# nothing yet\n' 1
vals two-docs 'image: nginx:1\n---\ndesired: 2\n' 1 && expect "values two documents" "$tmp/err" "two-docs.yaml:2:1: error[E0412]: a values file holds one YAML document"
vals tag 'image: !!str nginx:1\n' 1 && expect "values tag" "$tmp/err" "tag.yaml:1:8: error[E0412]: YAML tags are not supported"
vals list-root '- image\n' 1 && expect "values list root" "$tmp/err" "error[E0414]: expected a mapping of variable names to values, found a list"
vals empty-item 'image: nginx:1\ningress: [10.0.0.0/8, ~]\n' 1 && expect "values empty item" "$tmp/err" 'empty-item.yaml:2:23: error[E0415]: empty item in the list of variable "ingress"'
vals block-list 'image: nginx:1\nmemory: 512 MiB\ningress:\n  - 10.0.0.0/8\n  - 192.168.0.0/16\n' 0
vals utf8 '\xef\xbb\xbf# caf\xc3\xa9 \xe2\x82\xac\nimage: "caf\xc3\xa9:1"\nd\xc3\xa9sired: 3\n' 1 && expect "values UTF-8 column" "$tmp/err" 'utf8.yaml:3:1: error[E0413]: unknown variable "d'
vals column 'image: "\xe2\x82\xac:1"\nmemory: "512 MiB"\n' 1 && expect "values column after UTF-8" "$tmp/err" 'column.yaml:2:9: error[E0303]'
{ printf 'image: nginx:1\ningress: '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } >"$tmp/deep.yaml"
check "values 100,000 nested lists" 1 "$bin" lint --values "$tmp/deep.yaml" "$v/app.ecs" && expect "values nesting" "$tmp/err" "error[E0204]: nesting too deep"
check "values nesting said once" 0 test "$(grep -c '' "$tmp/err")" = 5
# Passing over a value of the wrong shape (a mapping) or a key that is no
# scalar stops at the limit too: libyaml's time per token grows with the
# flow depth, so the rest of such a node is not read (values.c, too_deep).
{ printf 'image: nginx:1\ningress: '; head -c 100000 /dev/zero | tr '\0' '{'; head -c 100000 /dev/zero | tr '\0' '}'; echo; } >"$tmp/deep.yaml"
check "values 100,000 nested mappings" 1 "$bin" lint --values "$tmp/deep.yaml" "$v/app.ecs" && expect "values mapping nesting" "$tmp/err" "deep.yaml:2:73: error[E0204]: nesting too deep (more than 64 levels): the rest of the file is not read"
check "values mapping nesting: E0414, then E0204 once" 0 test "$(grep -c 'error\[' "$tmp/err")" = 2
{ printf 'image: nginx:1\n? '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '\n: 1\n'; } >"$tmp/deep.yaml"
check "values 100,000 nested lists as a key" 1 "$bin" lint --values "$tmp/deep.yaml" "$v/app.ecs" && expect "values key nesting" "$tmp/err" "deep.yaml:2:66: error[E0204]: nesting too deep"
check "values key nesting: E0414, then E0204 once" 0 test "$(grep -c 'error\[' "$tmp/err")" = 2
{ echo 'image: nginx:1'; seq 200000 | sed 's/.*/k&: &/'; } >"$tmp/keys.yaml"
check "values 200,000 keys" 1 "$bin" lint --values "$tmp/keys.yaml" "$v/app.ecs" && expect "values keys capped" "$tmp/err" "ecsc: 200000 errors"
# --set and --set-string (exact diagnostics: tests/values/set-*.err). built
# ENV FILE KEY: the value of "KEY" in $tmp/set/ENV/FILE, as the build wrote it.
built() { grep -h -m1 "\"$3\":" "$tmp/set/$1/$2" | sed 's/^ *"[^"]*": *//; s/,$//'; }
web=services/web/main.tf.json task=services/web/task-definition.json
setb() { rm -rf "$tmp/set"; check "set $1" 0 "$bin" build "${@:2}" -o "$tmp/set"; }
setb "none: the file's values" --values "$v/good.yaml" "$v/good.ecs"
check "set none: staging" 0 test "$(built staging $web desired_count)" = 2
check "set none: production, the file's environments.production" 0 test "$(built production $web desired_count)" = 3
setb "for all over the file's environment" --values "$v/good.yaml" --set desired=4 "$v/good.ecs"
check "set for all: staging" 0 test "$(built staging $web desired_count)" = 4
check "set for all wins over environments.production" 0 test "$(built production $web desired_count)" = 4
setb "per environment over for all" --set production.desired=5 --values "$v/good.yaml" --set desired=4 "$v/good.ecs"
check "set per environment: the other environment" 0 test "$(built staging $web desired_count)" = 4
check "set per environment wins, whatever the order" 0 test "$(built production $web desired_count)" = 5
setb "twice: the later wins" --values "$v/good.yaml" --set desired=4 --set desired=6 --set production.desired=7 --set production.desired=1 "$v/good.ecs"
check "set twice: for all" 0 test "$(built staging $web desired_count)" = 6
check "set twice: per environment" 0 test "$(built production $web desired_count)" = 1
setb "literals" --values "$v/good.yaml" --set 'memory=768 MiB' --set idle=90s --set production.breaker=false "$v/good.ecs"
check "set a size over the file's environment" 0 test "$(built production $task memory)" = 768
check "set a size" 0 test "$(built staging $task memory)" = 768
check "set a duration" 0 test "$(built staging vpc/main.tf.json idle_timeout)" = 90
check "set a boolean" 0 test "$(built production $web enable)" = false
check "set a boolean: the other environment" 0 test "$(built staging $web enable)" = true
setb "a string of digits" --values "$v/good.yaml" --set-string image=20240611 "$v/good.ecs"
# An image without a tag is registered with Docker's default, ":latest".
check "set-string keeps digits a string" 0 test "$(built staging $task image)" = '"20240611:latest"'
check "set digits where a string goes" 1 "$bin" lint --values "$v/good.yaml" --set image=20240611 "$v/good.ecs"
expect "set digits: the help" "$tmp/err" "help: write --set-string image=20240611 to pass it as a string"
check "set without a values file" 0 "$bin" lint --set image=nginx:1 "$v/app.ecs"
check "set on graph" 0 "$bin" graph --set image=nginx:1 --set-string production.image=nginx:2 "$v/app.ecs"
check "set an empty string" 1 "$bin" lint --set image= "$v/app.ecs" && expect "set an empty string" "$tmp/err" '--set #1:1:7: error[E0307]: invalid value "" for "image"'
check "set overrides a bad file value" 0 "$bin" lint --values "$v/override.yaml" --set desired=2 "$v/override.ecs"
check "set does not hide a bad file" 1 "$bin" lint --values "$v/mapping.yaml" --set image=nginx:1 "$v/mapping.ecs"
check "set without its argument" 2 "$bin" lint "$v/app.ecs" --set && expect "set without its argument" "$tmp/err" "--set needs a value: --set=NAME=VALUE"
check "set on fmt" 2 "$bin" fmt --set image=x "$v/app.ecs" && expect "set on fmt" "$tmp/err" "fmt does not take --set"
check "set, key split at the last dot" 1 "$bin" lint --set a.b.desired=1 --set image=x "$v/app.ecs" && expect "set key split" "$tmp/err" '--set #1:1:1: error[E0413]: unknown environment "a.b"'
check "set not UTF-8" 1 "$bin" lint --set "$(printf 'image=\xff')" "$v/app.ecs" && expect "set not UTF-8" "$tmp/err" "--set #1:1:7: error[E0002]: invalid UTF-8 byte 0xFF"
check "set column after UTF-8" 1 "$bin" lint --set "$(printf 'image=caf\xc3\xa9:1')" --set "$(printf 'production.d\xc3\xa9sired=1')" "$v/app.ecs"
expect "set column after UTF-8" "$tmp/err" '--set #2:1:12: error[E0413]: unknown variable "d'
check "set as JSON" 1 "$bin" lint --format=json --set imgae=x "$v/app.ecs" && expect "set as JSON" "$tmp/out" '"file": "--set #1"'
# An argument is no file to annotate: GitHub gets a run annotation naming it,
# SARIF (whose uploads refuse a result without a file) the root file's line 1.
check "set as GitHub" 1 "$bin" lint --format=github --set imgae=x "$v/app.ecs" && expect "set as GitHub" "$tmp/out" '::error title=E0413::--set imgae=x: unknown variable "imgae"%0Ahelp: did you mean "image"?'
check "set as SARIF" 1 "$bin" lint --format=sarif --set imgae=x "$v/app.ecs"
expect "set as SARIF: the argument in the text" "$tmp/out" '"text": "--set imgae=x: unknown variable \"imgae\"'
expect "set as SARIF: on the root file" "$tmp/out" '"uri": "tests/values/app.ecs"'
check "help lint lists --set" 0 "$bin" help lint && expect "help lint lists --set" "$tmp/out" "--set=NAME=VALUE" && expect "help lint lists --set-string" "$tmp/out" "--set-string=NAME=VALUE"
# end values

# Hostile inputs, generated: none may crash, hang or flood the terminal
{ printf 'service "x" {\n  image = "'; head -c 1000000 /dev/zero | tr '\0' a; printf '" count = @\n}\n'; } >"$tmp/long.ecs"
check "1 MB line" 1 "$bin" lint "$tmp/long.ecs"
expect "1 MB line position" "$tmp/err" "long.ecs:2:1000022: error[E0101]"
check "1 MB line shows a window" 0 test "$(wc -c <"$tmp/err")" -lt 1000
# A message quotes at most 128 bytes of a value, and says it cut it (diag.c).
{ sed -n '1,23p' tests/errors/E0565-agent-enum.ecs; printf '      ECS_IMAGE_PULL_BEHAVIOR = "'; head -c 6291456 /dev/zero | tr '\0' a; printf '"\n'; sed -n '25,$p' tests/errors/E0565-agent-enum.ecs; } >"$tmp/agent.ecs"
check "6 MB agent setting" 1 "$bin" lint "$tmp/agent.ecs"
a85=$(head -c 85 /dev/zero | tr '\0' a) a40=$(head -c 40 /dev/zero | tr '\0' a)
expect "6 MB agent setting: cut" "$tmp/err" "ECS_IMAGE_PULL_BEHAVIOR = \"$a85...$a40\" (6291456 bytes, cut) is not one of default, always, once, prefer-cached"
check "6 MB agent setting: short" 0 test "$(wc -c <"$tmp/err")" -lt 1000
{ printf 'x = '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } >"$tmp/deep.ecs"
check "100,000 nested lists" 1 "$bin" lint "$tmp/deep.ecs" && expect "nesting limit" "$tmp/err" "error[E0204]: nesting too deep"
yes 'a {' | head -n 5000 >"$tmp/deepblocks.ecs"
check "5,000 unclosed blocks" 1 "$bin" lint "$tmp/deepblocks.ecs" && expect "unclosed" "$tmp/err" "E0204"
head -c $((65 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$tmp/huge.ecs"
check "65 MiB file" 1 "$bin" lint "$tmp/huge.ecs" && expect "too large" "$tmp/err" "error[E0004]: file is too large"
for i in $(seq 200); do printf 'template "s%d" {\n  count = "x"\n}\n\n' "$i"; done >"$tmp/many.ecs"
check "error cap" 1 "$bin" lint "$tmp/many.ecs" && expect "error cap" "$tmp/err" "ecsc: 200 errors (150 not shown)"

# Service Connect: a server's new alias changes the task definition of
# every service of the namespace (the digest of the endpoints, a Docker
# label), the other server's too, as it may call it; build --changed names
# the client after the servers, with the servers' among what it depends on.
mkdir "$tmp/sc"
cp tests/build/connect/env.ecs "$tmp/sc/env.ecs"
check "connect: first build" 0 "$bin" build "$tmp/sc/env.ecs" -o "$tmp/sc/out"
cp -r "$tmp/sc/out" "$tmp/sc/first"
sed 's/port     = 80$/port     = 8080/' tests/build/connect/env.ecs >"$tmp/sc/env.ecs"
check "connect: a server's alias changes" 0 "$bin" build --changed=json "$tmp/sc/env.ecs" -o "$tmp/sc/out"
cp "$tmp/out" "$tmp/sc/changed.json"
for s in orders stock web; do
  check "connect: a new alias, a new revision of $s" 1 \
    cmp -s "$tmp/sc/first/staging/services/$s/task-definition.json" "$tmp/sc/out/staging/services/$s/task-definition.json"
done
# A count change is an update of the service alone: no new revision, and no
# state of the namespace sets force_new_deployment, which the provider would
# send with the new count and so replace every task.
awk '{ print } /^service "web" \{$/ { print "  count = 3" }' tests/build/connect/env.ecs >"$tmp/sc/env.ecs"
check "connect: a count change" 0 "$bin" build --changed=json "$tmp/sc/env.ecs" -o "$tmp/sc/first"
check "connect: a count change, one state" 0 test "$(grep '"path"' "$tmp/out" | tr -d ' ,')" = '"path":"staging/services/web"'
check "connect: a count change, the same task definition" 0 \
  cmp -s "$tmp/sc/first/staging/services/web/task-definition.json" tests/build/connect/expected/staging/services/web/task-definition.json
check "connect: no force_new_deployment, the endpoints in the task definition" 0 python3 -c '
import glob, json, os, sys
seen = 0
for tf in glob.glob(sys.argv[1] + "/*/expected/*/services/*/main.tf.json"):
    state = json.load(open(tf))
    service = state["resource"]["aws_ecs_service"]["main"]
    assert state["variable"]["force_new_deployment"]["default"] is False, tf
    assert "triggers" not in service, tf
    if "service_connect_configuration" not in service:
        continue
    seen += 1
    task = json.load(open(os.path.join(os.path.dirname(tf), "task-definition.json")))
    labels = [c.get("dockerLabels", {}) for c in task["containerDefinitions"]]
    assert sum("ecsc.service-connect.endpoints" in l for l in labels) == 1, tf
assert seen >= 3, seen' tests/build
expect "connect: the client waits for the servers" "$tmp/sc/changed.json" '"staging/services/stock"'
check "connect: the servers, then their client" 0 test "$(grep '"path"' "$tmp/sc/changed.json" | tr -d ' ,')" = \
  "$(printf '"path":"staging/services/orders"\n"path":"staging/services/stock"\n"path":"staging/services/web"')"
# A server's app_protocol is part of its endpoint (the clients' proxies
# handle http, http2 and grpc apart): every service of the namespace takes
# a new revision. (Over the first build, ECS would refuse the change on the
# existing service, and build does: E1190; so into a new DIR.)
cp tests/build/connect/env.ecs "$tmp/sc/env.ecs"
check "connect: app_protocol, first build" 0 "$bin" build "$tmp/sc/env.ecs" -o "$tmp/sc/proto-first"
sed 's/app_protocol = "http"$/app_protocol = "http2"/' tests/build/connect/env.ecs >"$tmp/sc/env.ecs"
check "connect: app_protocol changes, over the first build: E1190" 1 "$bin" build "$tmp/sc/env.ecs" -o "$tmp/sc/proto-first"
check "connect: app_protocol changes" 0 "$bin" build "$tmp/sc/env.ecs" -o "$tmp/sc/proto"
for s in orders stock web; do
  check "connect: a new app_protocol, a new revision of $s" 1 \
    cmp -s "$tmp/sc/proto-first/staging/services/$s/task-definition.json" "$tmp/sc/proto/staging/services/$s/task-definition.json"
done

# A managed parameter's new value: ECS gives a container its secrets when it
# starts, so the services that read it must deploy new tasks. The digest of
# the values a container reads, a Docker label, changes their task
# definitions, and build --changed lists them after the VPC state that
# writes the value; a build of the same source writes the same digest.
mkdir "$tmp/pv"
cp examples/shop/*.ecs "$tmp/pv/"
check "parameter value: first build" 0 "$bin" build "$tmp/pv/env.ecs" -o "$tmp/pv/out"
cp -r "$tmp/pv/out" "$tmp/pv/first"
check "parameter value: the same source" 0 "$bin" build --changed=json "$tmp/pv/env.ecs" -o "$tmp/pv/out"
check "parameter value: the same source, nothing changed" 0 test -z "$(grep '"path"' "$tmp/out")"
check "parameter value: the label" 0 grep -q '"ecsc.parameter-values": "[0-9a-f]\{16\}"' \
  "$tmp/pv/out/staging/services/api/task-definition.json"
sed -i 's/value = "checkout-v2,express-shipping"/value = "checkout-v3"/' "$tmp/pv/parameters.ecs"
check "parameter value: a new value" 0 "$bin" build --changed=json "$tmp/pv/env.ecs" -o "$tmp/pv/out"
check "parameter value: the VPC states, then the readers" 0 \
  test "$(grep '"path"' "$tmp/out" | tr -d ' ,')" = \
  "$(printf '"path":"production/vpc"\n"path":"staging/vpc"\n"path":"production/services/api"\n"path":"staging/services/api"')"
check "parameter value: a new revision of the reader" 1 \
  cmp -s "$tmp/pv/first/staging/services/api/task-definition.json" "$tmp/pv/out/staging/services/api/task-definition.json"
check "parameter value: the reader's containers that read none keep theirs" 0 python3 -c '
import json, sys
before, after = (json.load(open(f))["containerDefinitions"] for f in sys.argv[1:3])
for b, a in zip(before, after):
    if "ecsc.parameter-values" not in b.get("dockerLabels", {}):
        assert a == b, a["name"]' \
  "$tmp/pv/first/staging/services/api/task-definition.json" "$tmp/pv/out/staging/services/api/task-definition.json"

# A server added to the namespace: the server that stays is deployed again
# (the digest of the endpoints in its task definition changes) after the new
# one, and the client after both.
mkdir "$tmp/sc2"
awk '/^service "stock"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' \
  tests/build/connect/env.ecs >"$tmp/sc2/env.ecs"
check "connect: without stock" 0 "$bin" build "$tmp/sc2/env.ecs" -o "$tmp/sc2/out"
cp tests/build/connect/env.ecs "$tmp/sc2/env.ecs"
check "connect: stock added" 0 "$bin" build --changed=json "$tmp/sc2/env.ecs" -o "$tmp/sc2/out"
cp "$tmp/out" "$tmp/sc2/changed.json"
check "connect: the new server, the server that stays, the client" 0 \
  test "$(grep '"path"' "$tmp/sc2/changed.json" | tr -d ' ,')" = \
  "$(printf '"path":"staging/services/stock"\n"path":"staging/services/orders"\n"path":"staging/services/web"')"
check "connect: orders depends on stock" 0 python3 -c '
import json, sys
states = {s["path"]: s for s in json.load(open(sys.argv[1]))["states"]}
assert states["staging/services/orders"]["depends_on"] == ["staging/vpc", "staging/services/stock"]
assert states["staging/services/stock"]["depends_on"] == ["staging/vpc"]
assert states["staging/services/web"]["depends_on"] == \
    ["staging/vpc", "staging/services/orders", "staging/services/stock"]' "$tmp/sc2/changed.json"

# Service Connect removed: in one build the VPC state, applied first, would
# delete the namespace the services are still in (E1051), and nothing is
# written; in two, connect_namespace keeps it while the services leave it.
mkdir "$tmp/sc3"
cp tests/build/connect/env.ecs "$tmp/sc3/env.ecs"
check "connect removed: first build" 0 "$bin" build "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
cp -r "$tmp/sc3/out" "$tmp/sc3/before"
grep -v -e 'assign_public_ip' tests/build/connect/env.ecs |
  awk '/^  connect \{\}$/ { next } /^  connect \{$/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' \
    >"$tmp/sc3/env.ecs"
check "connect removed: no connect block left" 1 grep -q connect "$tmp/sc3/env.ecs"
check "connect removed in one build" 1 "$bin" build "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
expect "connect removed in one build: E1051" "$tmp/err" 'error[E1051]: environment "staging" no longer uses Service Connect, but 3 service states of the previous build still join its namespace'
expect "connect removed in one build: the services" "$tmp/err" 'note: service "web" is in the namespace until its state is applied'
check "connect removed in one build: nothing written" 0 diff -r "$tmp/sc3/before" "$tmp/sc3/out"
check "connect removed in one build: --check says so too" 1 "$bin" build --check "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
expect "connect removed in one build: --check" "$tmp/err" 'error[E1051]'
# Services deleted from the source count too: their states are destroyed
# after the VPC state.
awk '/^service "(stock|web)"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' \
  "$tmp/sc3/env.ecs" >"$tmp/sc3/deleted.ecs"
cp "$tmp/sc3/env.ecs" "$tmp/sc3/without.ecs"
cp "$tmp/sc3/deleted.ecs" "$tmp/sc3/env.ecs"
check "connect removed with its services" 1 "$bin" build "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
expect "connect removed with its services: E1051 counts them" "$tmp/err" 'error[E1051]: environment "staging" no longer uses Service Connect, but 3 service states of the previous build still join its namespace'
expect "connect removed with its services: the removed ones" "$tmp/err" 'note: service "web", removed from the source, is in the namespace until its state (staging/services/web in the previous build) is destroyed'
check "connect removed with its services: nothing written" 0 diff -r "$tmp/sc3/before" "$tmp/sc3/out"
sed 's/^environment "staging" {$/environment "staging" {\n  connect_namespace = true\n/' "$tmp/sc3/without.ecs" >"$tmp/sc3/env.ecs"
check "connect removed, first of two builds" 0 "$bin" build --changed=json "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
expect "connect removed, first of two builds: W1050" "$tmp/err" 'warning[W1050]: environment "staging" keeps a Service Connect namespace that no service joins'
check "connect removed, first of two builds: the namespace stays" 0 \
  grep -q '"aws_service_discovery_http_namespace"' "$tmp/sc3/out/staging/vpc/main.tf.json"
check "connect removed, first of two builds: the services leave it" 1 \
  grep -q service_connect_configuration "$tmp/sc3/out/staging/services/web/main.tf.json"
cp "$tmp/sc3/without.ecs" "$tmp/sc3/env.ecs"
check "connect removed, second build" 0 "$bin" build --changed=json "$tmp/sc3/env.ecs" -o "$tmp/sc3/out"
check "connect removed, second build: the VPC state alone" 0 test "$(grep '"path"' "$tmp/out" | tr -d ' ,')" = '"path":"staging/vpc"'
check "connect removed, second build: the namespace goes" 1 \
  grep -q '"aws_service_discovery_http_namespace"' "$tmp/sc3/out/staging/vpc/main.tf.json"

# A service renamed that keeps its discovery name: in one build the new
# service would take the name while the old one's state may still hold it
# (E1160), and nothing is written; in two, the first gives the new service
# a name of its own and destroys the old state, the second moves the name.
mkdir "$tmp/sc-moved"
cp tests/build/connect/env.ecs "$tmp/sc-moved/env.ecs"
check "discovery name moved: first build" 0 "$bin" build "$tmp/sc-moved/env.ecs" -o "$tmp/sc-moved/out"
cp -r "$tmp/sc-moved/out" "$tmp/sc-moved/before"
sed -e 's/^service "orders" {$/service "checkout" {/' \
  -e 's/^    port_name    = "http"$/    port_name      = "http"\n    discovery_name = "orders"/' \
  tests/build/connect/env.ecs >"$tmp/sc-moved/env.ecs"
check "discovery name moved in one build" 1 "$bin" build "$tmp/sc-moved/env.ecs" -o "$tmp/sc-moved/out"
expect "discovery name moved in one build: E1160" "$tmp/err" 'error[E1160]: discovery name "orders" of service "checkout" in environment "staging" was service "orders"'"'"'s in the previous build'
check "discovery name moved in one build: nothing written" 0 diff -r "$tmp/sc-moved/before" "$tmp/sc-moved/out"
sed -i 's/^    discovery_name = "orders"$/    discovery_name = "checkout"/' "$tmp/sc-moved/env.ecs"
check "discovery name moved, first of two builds" 0 "$bin" build "$tmp/sc-moved/env.ecs" -o "$tmp/sc-moved/out"
sed -i 's/^    discovery_name = "checkout"$/    discovery_name = "orders"/' "$tmp/sc-moved/env.ecs"
check "discovery name moved, second build" 0 "$bin" build "$tmp/sc-moved/env.ecs" -o "$tmp/sc-moved/out"
check "discovery name moved, second build: checkout serves it" 0 \
  grep -q '"discovery_name": "orders"' "$tmp/sc-moved/out/staging/services/checkout/main.tf.json"

# A new prefix renames the namespace, which the VPC state would replace
# under the services still in it (E1052): renaming the project does it. An
# empty namespace, kept by connect_namespace, is replaced without harm.
mkdir "$tmp/sc4"
cp tests/build/connect/env.ecs "$tmp/sc4/env.ecs"
check "connect: a new prefix, first build" 0 "$bin" build "$tmp/sc4/env.ecs" -o "$tmp/sc4/out"
cp -r "$tmp/sc4/out" "$tmp/sc4/before"
sed 's/^project "shop" {$/project "store" {/' tests/build/connect/env.ecs >"$tmp/sc4/env.ecs"
check "connect: the project renamed" 1 "$bin" build "$tmp/sc4/env.ecs" -o "$tmp/sc4/out"
expect "connect: the project renamed: E1052" "$tmp/err" 'error[E1052]: the Service Connect namespace of environment "staging" would be replaced ("shop-staging" becomes "store-staging") while 3 service states of the previous build still join it'
check "connect: the project renamed: nothing written" 0 diff -r "$tmp/sc4/before" "$tmp/sc4/out"
# (No service in the first build: a new prefix renames the clusters too,
# which E1162 refuses while services run in them, and the instances'
# capacity provider, which E0880 refuses while services run on it.)
rm -rf "$tmp/sc4/out" && mkdir "$tmp/sc4/out"
awk '/^service "(stock|web|orders)"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' \
  "$tmp/sc3/without.ecs" | sed 's/^environment "staging" {$/environment "staging" {\n  connect_namespace = true\n/' >"$tmp/sc4/env.ecs"
check "connect: an empty namespace kept" 0 "$bin" build "$tmp/sc4/env.ecs" -o "$tmp/sc4/out"
awk '/^service "(stock|web)"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' \
  tests/build/connect/env.ecs | sed 's/^environment "staging" {$/environment "staging" {\n  prefix = "shop-stg"\n/' >"$tmp/sc4/env.ecs"
check "connect: the empty namespace replaced, a service joins the new one" 0 "$bin" build "$tmp/sc4/env.ecs" -o "$tmp/sc4/out"
expect "connect: the new namespace" "$tmp/sc4/out/staging/vpc/main.tf.json" '"name": "shop-stg"'

# What a service's previous state in DIR says of this build's change to it
# (rebuild_update.c, rebuild_update_service, for each state the build changes,
# through output.c, with or without --check): a Service Connect endpoint's app
# protocol cannot change (E1190, refused, nothing written); removing the
# EBS volume (W1190) or the deployment alarms (W1191), or replacing the
# target group (W1192), is written with a warning that says what to do, and
# the next build, over the one written, says nothing more. A change that
# keeps each as it was, or a new DIR, passes in silence.
mkdir "$tmp/rb"
cat >"$tmp/rb/before.ecs" <<'ECS'
project "shop" {
  region = "us-east-1"

  state {
    bucket = "shop-terraform-state"
  }
}

environment "staging" {
  vpc {
    cidr            = 10.0.0.0/16
    azs             = ["us-east-1a", "us-east-1b"]
    public_subnets  = [10.0.0.0/24, 10.0.1.0/24]
    private_subnets = [10.0.10.0/24, 10.0.11.0/24]
  }

  alb {}

  cluster "main" {
    instance_type = "t3.small"
    size          = 1
    fargate       = true
  }
}

service "api" {
  cluster  = cluster.main
  image    = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0.0"
  memory   = 960 MiB
  port     = 8080
  capacity = "fargate"

  task {
    cpu    = 512
    memory = 1 GiB
  }

  health {
    command = ["/api", "--check"]
  }

  deployment {
    alarms = ["api-errors", "api-latency"]
  }

  route {
    paths = ["/api/*"]
  }

  connect {
    port_name    = "http"
    app_protocol = "http"
  }

  volume "data" {
    ebs {
      size = 20 GiB
    }
  }

  mount "data" {
    path = "/data"
  }
}
ECS
# rebuild NAME WANT_EXIT: builds $tmp/rb/NAME.ecs over a copy of the first
# build; its standard error stays in $tmp/rb/NAME.err.
rebuild() {
  rm -rf "$tmp/rb/$1" && cp -R "$tmp/rb/out" "$tmp/rb/$1"
  check "rebuild: $1 exits $2" "$2" "$bin" build "$tmp/rb/$1.ecs" -o "$tmp/rb/$1"
  cp "$tmp/err" "$tmp/rb/$1.err"
}
quiet() {  # NAME WHAT: the last command said none of these codes
  if ! grep -qE 'E1190|W119[0-2]|W1161|E1162' "$tmp/err"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: $2"; sed 's/^/    /' "$tmp/err"; fi
}
rb=$tmp/rb/before.ecs
check "rebuild: first build" 0 "$bin" build "$rb" -o "$tmp/rb/out"
sed 's/app_protocol = "http"/app_protocol = "http2"/' "$rb" >"$tmp/rb/proto.ecs"
rebuild proto 1
expect "rebuild: app protocol changed: E1190" "$tmp/rb/proto.err" 'error[E1190]: the app protocol of service "api"'"'"'s Service Connect endpoint "api" would change from "http" to "http2"'
check "rebuild: app protocol changed: nothing written" 0 diff -r "$tmp/rb/out" "$tmp/rb/proto"
check "rebuild: app protocol changed, --check: E1190" 1 "$bin" build --check "$tmp/rb/proto.ecs" -o "$tmp/rb/out"
expect "rebuild: app protocol changed, --check: E1190 said" "$tmp/err" 'error[E1190]: the app protocol'
check "rebuild: app protocol changed, into a new directory" 0 "$bin" build "$tmp/rb/proto.ecs" -o "$tmp/rb/fresh"
quiet "rebuild: a new directory" "nothing to compare with"
sed -e 's/= 20 GiB/= 40 GiB/' -e 's/"api-errors", //' -e 's|"/api/\*"|"/api/*", "/v1/*"|' \
  -e 's/image    = "\(.*\):1.0.0"/image    = "\1:1.1.0"/' "$rb" >"$tmp/rb/kept.ecs"
rebuild kept 0
quiet "rebuild: kept" "a bigger volume, one alarm of two, a new path: nothing to say"
awk '/^  volume "data" \{/ || /^  mount "data" \{/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' \
  "$rb" >"$tmp/rb/noebs.ecs"
rebuild noebs 0
expect "rebuild: EBS volume removed: W1190" "$tmp/rb/noebs.err" 'warning[W1190]: service "api" in environment "staging" no longer has its EBS volume "data"'
expect "rebuild: EBS volume removed: the steps" "$tmp/rb/noebs.err" "--task-definition shop-staging-api --volume-configurations '[]'"
check "rebuild: EBS volume removed, built again" 0 "$bin" build "$tmp/rb/noebs.ecs" -o "$tmp/rb/noebs"
quiet "rebuild: EBS volume removed, built again" "the previous build has no volume left"
awk '/^  deployment \{/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' "$rb" >"$tmp/rb/noalarms.ecs"
rebuild noalarms 0
expect "rebuild: alarms removed: W1191" "$tmp/rb/noalarms.err" 'warning[W1191]: service "api" in environment "staging" no longer lists deployment alarms, but ECS would go on watching the 2 of the previous build'
check "rebuild: alarms removed: the state has no alarms block" 1 grep -q '"alarms"' "$tmp/rb/noalarms/staging/services/api/main.tf.json"
check "rebuild: alarms removed, built again" 0 "$bin" build "$tmp/rb/noalarms.ecs" -o "$tmp/rb/noalarms"
quiet "rebuild: alarms removed, built again" "the previous build has no alarms left"
sed 's/port     = 8080/port     = 9090/' "$rb" >"$tmp/rb/port.ecs"
rebuild port 0
expect "rebuild: port changed: W1192" "$tmp/rb/port.err" 'warning[W1192]: the target group of service "api" in environment "staging" is replaced (port 8080 becomes 9090)'
expect "rebuild: port changed: how long" "$tmp/rb/port.err" 'note: a new task is healthy after 3 checks 30 s apart: at least 90 s after it starts'
check "rebuild: port changed, built again" 0 "$bin" build "$tmp/rb/port.ecs" -o "$tmp/rb/port"
quiet "rebuild: port changed, built again" "the target group is the new one"

# A service whose ECS service is replaced (W1161): moved to another cluster;
# written, and said once. A cluster the VPC state would delete while the
# previous build's services run in it (E1162): renamed, or renamed with the
# environment's prefix; refused, nothing written.
sed -e 's/^environment "staging" {$/environment "staging" {\n  cluster "blue" {\n    fargate = true\n  }\n/' \
  -e 's/cluster  = cluster.main/cluster  = cluster.blue/' "$rb" >"$tmp/rb/move.ecs"
rebuild move 0
expect "rebuild: moved to another cluster: W1161" "$tmp/rb/move.err" 'warning[W1161]: service "api"'"'"'s ECS service is replaced (its cluster "shop-staging-cluster-main" becomes "shop-staging-cluster-blue"): Terraform deletes it before it makes the new one, and the service has no task in between'
expect "rebuild: moved: the route" "$tmp/rb/move.err" 'note: its route answers 503 from the deletion until a new task is healthy: 3 checks 30 s apart after it starts'
expect "rebuild: moved: the endpoint" "$tmp/rb/move.err" 'note: its Service Connect endpoint "api" has no task either: the new service takes the discovery name once the old one is gone'
expect "rebuild: moved: the help" "$tmp/rb/move.err" 'help: keep cluster = cluster.main, or apply staging/services/api when the service may be down that long'
check "rebuild: moved, built again" 0 "$bin" build "$tmp/rb/move.ecs" -o "$tmp/rb/move"
quiet "rebuild: moved, built again" "the service is in its new cluster"
sed -e 's/cluster "main" {/cluster "blue" {/' -e 's/cluster  = cluster.main/cluster  = cluster.blue/' \
  "$rb" >"$tmp/rb/rename.ecs"
rebuild rename 1
expect "rebuild: cluster renamed: E1162" "$tmp/rb/rename.err" 'error[E1162]: cluster "shop-staging-cluster-main" would be deleted while 1 service state of the previous build still runs in it: the VPC state, applied first, would fail to delete it'
expect "rebuild: cluster renamed: the help" "$tmp/rb/rename.err" 'help: in two builds: keep cluster "main" in this one while its services move out of it (each is replaced, W1161) or go, build and apply (staging/vpc, then the services'"'"' states); then remove it and build again'
check "rebuild: cluster renamed: nothing written" 0 diff -r "$tmp/rb/out" "$tmp/rb/rename"
awk '/^service "api"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' "$tmp/rb/rename.ecs" >"$tmp/rb/gone.ecs"
rebuild gone 1
expect "rebuild: cluster and service removed: E1162" "$tmp/rb/gone.err" 'error[E1162]: cluster "shop-staging-cluster-main" would be deleted while 1 service state of the previous build still runs in it'
expect "rebuild: cluster and service removed: the service" "$tmp/rb/gone.err" 'note: service "api", removed from the source, runs in it until its state (staging/services/api in the previous build) is destroyed'
sed 's/^environment "staging" {$/environment "staging" {\n  prefix = "shop-stg"\n/' "$rb" \
  | awk '/^  connect \{/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' >"$tmp/rb/prefix.ecs"
awk '/^  connect \{/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' "$rb" >"$tmp/rb/nosc.ecs"
check "rebuild: without Service Connect, first build" 0 "$bin" build "$tmp/rb/nosc.ecs" -o "$tmp/rb/prefix"
check "rebuild: a new prefix exits 1" 1 "$bin" build "$tmp/rb/prefix.ecs" -o "$tmp/rb/prefix"
expect "rebuild: a new prefix: E1162" "$tmp/err" 'error[E1162]: cluster "shop-staging-cluster-main" would be deleted while 1 service state'
expect "rebuild: a new prefix: where" "$tmp/err" 'prefix = "shop-stg"'
expect "rebuild: a new prefix: the service" "$tmp/err" 'note: service "api" runs in it until its state is applied'
expect "rebuild: a new prefix: keep it" "$tmp/err" 'help: keep the name: set prefix = "shop-staging" in environment "staging"'

# nat = "single" <-> "per_az" (review6 A4): the first zone's gateway and
# Elastic IP have one address in both modes, and its route table and NAT
# route are the other mode's, kept by moved blocks (FROM an address of the
# previous state, TO one of the new); every private subnet moves only to a
# table whose NAT route is made (depends_on), and what routes it out is
# create_before_destroy (a dropped zone's goes after its subnet moved).
mkdir "$tmp/nat"
cp "$demo" "$tmp/nat/env.ecs"
check "nat: single, first build" 0 "$bin" build "$tmp/nat/env.ecs" -o "$tmp/nat/single"
sed -i '/^environment "staging"/,/^}/s/nat              = "single"/nat              = "per_az"/' "$tmp/nat/env.ecs"
cp -R "$tmp/nat/single" "$tmp/nat/per_az"
check "nat: single to per_az" 0 "$bin" build --changed=json "$tmp/nat/env.ecs" -o "$tmp/nat/per_az"
cp "$tmp/err" "$tmp/nat/split.err"
check "nat: single to per_az, the VPC state alone" 0 test "$(grep '"path"' "$tmp/out" | tr -d ' ,')" = '"path":"staging/vpc"'
check "nat: single to per_az, no gap to warn of (W1240, W1241)" 1 grep -q 'W124' "$tmp/nat/split.err"
check "nat: moved blocks and route order, both ways" 0 python3 -c '
import json, sys
def state(d):
    return json.load(open(d + "/staging/vpc/main.tf.json"))
def addresses(st):
    return {t + "." + n for t, byname in st["resource"].items() for n in byname}
single, per_az = state(sys.argv[1]), state(sys.argv[2])
for old, new in ((single, per_az), (per_az, single)):
    res = new["resource"]
    assert "aws_eip.nat_us_east_1a" in addresses(old) & addresses(new), "the first zone address"
    moves = {m["from"]: m["to"] for m in new["moved"]}
    tables = {f: t for f, t in moves.items() if f.startswith(("aws_route_table.", "aws_route."))}
    assert len(tables) == 2, moves
    for f, t in moves.items():
        assert f not in addresses(new), f + " is declared"
        assert t in addresses(new), t + " is not declared"
    for f in tables:
        assert f in addresses(old), f + " is not in the previous state"
    for kind in ("aws_eip", "aws_nat_gateway", "aws_route_table", "aws_route"):
        for name, r in res[kind].items():
            if kind == "aws_nat_gateway" or name.startswith(("nat_", "private")):
                assert r["lifecycle"] == {"create_before_destroy": True}, (kind, name)
    for name, a in res["aws_route_table_association"].items():
        if not name.startswith("private_"):
            continue
        table = a["route_table_id"][len("${aws_route_table."):-len(".id}")]
        assert a["depends_on"] == ["aws_route.%s_nat" % table], (name, a)
        assert table + "_nat" in res["aws_route"], table
' "$tmp/nat/single" "$tmp/nat/per_az"

# The last Service Connect service on a cluster's instances moves to Fargate
# (review6 A1): the instance role keeps ServiceConnectPoll while the
# environment has a namespace, so the VPC states, applied first, do not
# change; only the service states do.
mkdir "$tmp/scfg"
cp examples/platform/env.ecs "$tmp/scfg/env.ecs"
check "connect to Fargate: first build" 0 "$bin" build "$tmp/scfg/env.ecs" -o "$tmp/scfg/out"
sed -i -e '/^service "storefront"/,/^}/{' \
  -e 's/^  network_mode = "awsvpc"$/  network_mode = "awsvpc"\n  capacity     = "fargate"/' \
  -e 's/^    memory = 576 MiB$/    cpu    = 512\n    memory = 1 GiB/' -e '}' "$tmp/scfg/env.ecs"
check "connect to Fargate: storefront moves" 0 "$bin" build --changed=json "$tmp/scfg/env.ecs" -o "$tmp/scfg/out"
check "connect to Fargate: the VPC states keep the instances' Poll" 0 \
  test "$(grep '"path"' "$tmp/out" | tr -d ' ,' | tr '\n' ' ')" = \
  '"path":"production/services/storefront" "path":"staging/services/storefront" '
check "connect to Fargate: ServiceConnectPoll stays" 0 grep -q '"ServiceConnectPoll"' "$tmp/scfg/out/staging/vpc/main.tf.json"

# A new port served with Service Connect (review6 A3): a new rule, named by
# its port, create_before_destroy, which the ECS service depends on; the old
# port's rule is what the configuration no longer has, so Terraform deletes
# it after the service's update (docs/destroying.md: the destroy of a
# create_before_destroy object waits for its dependents' updates).
mkdir "$tmp/scport"
cp tests/build/connect/env.ecs "$tmp/scport/env.ecs"
check "connect port: first build" 0 "$bin" build "$tmp/scport/env.ecs" -o "$tmp/scport/out"
sed -i '/^service "orders"/,/^}/s/port             = 8080/port             = 9090/' "$tmp/scport/env.ecs"
check "connect port: 8080 becomes 9090" 0 "$bin" build --changed=json "$tmp/scport/env.ecs" -o "$tmp/scport/out"
check "connect port: the old rule goes after the service, the new one comes before" 0 python3 -c '
import json, sys
tf = json.load(open(sys.argv[1] + "/staging/services/orders/main.tf.json"))
rules = tf["resource"]["aws_vpc_security_group_ingress_rule"]
assert list(rules) == ["task_from_connect_9090"], list(rules)
assert rules["task_from_connect_9090"]["from_port"] == 9090
assert rules["task_from_connect_9090"]["lifecycle"] == {"create_before_destroy": True}
service = tf["resource"]["aws_ecs_service"]["main"]
assert "aws_vpc_security_group_ingress_rule.task_from_connect_9090" in service["depends_on"]
' "$tmp/scport/out"

# What the VPC state, applied first, would delete under the previous build's
# services, or a new rule would take from them: FARGATE (E1230), the load
# balancer's group (E1231), the VPC or a subnet (E1232), a listener rule
# priority (E1233). Each is refused in one build (tests/errors/E123*); in
# the two builds its help gives, each over the one before, both pass and
# say none of these codes. A renamed service's removed state is destroyed
# after the new one's: --changed=json lists it last and makes it wait.
mkdir "$tmp/net"
cat >"$tmp/net/base.ecs" <<'ECS'
project "shop" {
  region = "us-east-1"

  state {
    bucket = "shop-terraform-state"
  }
}

environment "staging" {
  account = "123456789012"

  vpc {
    cidr            = 10.0.0.0/16
    azs             = ["us-east-1a", "us-east-1b"]
    public_subnets  = [10.0.0.0/24, 10.0.1.0/24]
    private_subnets = [10.0.10.0/24, 10.0.11.0/24]
  }

  alb {}

  cluster "main" {
    instance_type = "t3.small"
    size          = 2
    fargate       = true
  }
}

service "api" {
  cluster  = cluster.main
  image    = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0.0"
  memory   = 960 MiB
  port     = 8080
  capacity = "fargate"

  task {
    cpu    = 512
    memory = 1 GiB
  }

  health {
    command = ["/api", "--check"]
  }

  route {
    paths    = ["/api/*"]
    priority = 10
  }
}
ECS
check "net: first build" 0 "$bin" build "$tmp/net/base.ecs" -o "$tmp/net/out"
check "net: the first build is the fixtures' previous one" 0 \
  diff tests/errors/E1230-fargate-removed.before/staging/vpc/main.tf.json \
  "$tmp/net/out/staging/vpc/main.tf.json"
# net_step PATH NAME: builds $tmp/net/PATH-NAME.ecs over $tmp/net/PATH (a copy
# of the first build to begin with), which must pass without E1230-E1233
# or W1230 (a renamed route's new rule after the old one says nothing).
net_step() {
  [ -d "$tmp/net/$1" ] || cp -R "$tmp/net/out" "$tmp/net/$1"
  check "net: $1, $2" 0 "$bin" build --changed=json "$tmp/net/$1-$2.ecs" -o "$tmp/net/$1"
  if ! grep -qE 'E123[0-3]|W1230' "$tmp/err"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL net: $1, $2 said E1230-E1233 or W1230"; sed 's/^/    /' "$tmp/err"; fi
}
b=$tmp/net/base.ecs
sed '/^  capacity = "fargate"$/d' "$b" >"$tmp/net/fargate-1.ecs"
net_step fargate 1
sed '/^    fargate       = true$/d' "$tmp/net/fargate-1.ecs" >"$tmp/net/fargate-2.ecs"
net_step fargate 2
expect "net: fargate 2: only the VPC state changes" "$tmp/out" '"path": "staging/vpc"'
awk '/^  route \{/ { skip = 1 } !skip { print } skip && /^  \}$/ { skip = 0 }' "$b" \
  >"$tmp/net/alb-1.ecs"
net_step alb 1
sed '/^  alb {}$/d' "$tmp/net/alb-1.ecs" >"$tmp/net/alb-2.ecs"
net_step alb 2
check "net: alb 2: no load balancer left" 1 \
  grep -q '"aws_lb"' "$tmp/net/alb/staging/vpc/main.tf.json"
awk '/^service "api"/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' "$b" \
  >"$tmp/net/cidr-1.ecs"
net_step cidr 1
sed 's/10\.0\./10.1./g' "$tmp/net/cidr-1.ecs" >"$tmp/net/cidr-2.ecs"
net_step cidr 2
expect "net: cidr 2: the new block" "$tmp/net/cidr/staging/vpc/main.tf.json" \
  '"cidr_block": "10.1.0.0/16"'
sed 's/10\.0\./10.1./g' "$b" >"$tmp/net/fresh.ecs"
check "net: a new cidr into a new directory" 0 "$bin" build "$tmp/net/fresh.ecs" -o "$tmp/net/fresh"
sed -e 's/^service "api" {/service "backend" {/' -e 's/priority = 10/priority = 11/' "$b" \
  >"$tmp/net/rename-1.ecs"
net_step rename 1
python3 - "$tmp/out" >"$tmp/net/order" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["states"]:
    print(" ".join([s["path"], s["change"]] + s["depends_on"]))
PY
check "net: rename 1: the removed state last, after the added one" 0 diff - "$tmp/net/order" <<'TXT'
staging/vpc changed
staging/services/backend added staging/vpc
staging/services/api removed staging/vpc staging/services/backend
TXT
sed 's/priority = 11/priority = 10/' "$tmp/net/rename-1.ecs" >"$tmp/net/rename-2.ecs"
net_step rename 2

# build --check judges a priority moved between the states it would change
# as build does (E1233: tests/errors/E1233-priority-moved), and neither
# writes anything.
cp -R tests/errors/E1233-priority-moved.before "$tmp/moved"
cp -R "$tmp/moved" "$tmp/moved.orig"
check "net: build --check refuses a moved priority" 1 \
  env -C tests/errors "$bin" build --check E1233-priority-moved.ecs -o "$tmp/moved"
cp "$tmp/err" "$tmp/moved.err"
check "net: with build's diagnostic" 0 cmp "$tmp/moved.err" tests/errors/E1233-priority-moved.err
check "net: and leaves DIR as it was" 0 diff -r "$tmp/moved.orig" "$tmp/moved"
check "net: build refuses it" 1 \
  env -C tests/errors "$bin" build E1233-priority-moved.ecs -o "$tmp/moved"
check "net: and writes nothing" 0 diff -r "$tmp/moved.orig" "$tmp/moved"

# The output is the same bytes however the root file's path is spelled: the
# root is named as its imports are (main.c, root_name), so the directory
# stripped from the comments naming an imported file (shop's
# parameters.ecs) is a prefix of it. Before, "shop//env.ecs" wrote "from
# shop/parameters.ecs" where "shop/env.ecs" wrote "from parameters.ecs",
# and build --check failed on every VPC state (review10 B5).
check "spelling: the plain path builds" 0 "$bin" build examples/shop/env.ecs -o "$tmp/sp/plain"
n=0
for spelled in examples/shop//env.ecs ./examples/shop/./env.ecs examples/../examples/shop/env.ecs \
  "$root/examples//shop/env.ecs"; do
  n=$((n + 1))
  check "spelling: $spelled builds" 0 "$bin" build "$spelled" -o "$tmp/sp/$n"
  check "spelling: $spelled writes the same bytes" 0 diff -r "$tmp/sp/plain" "$tmp/sp/$n"
  check "spelling: build --check $spelled passes over the plain one's tree" 0 \
    "$bin" build --check "$spelled" -o "$tmp/sp/plain"
  rm -rf "$tmp/sp/rebuilt" && cp -R "$tmp/sp/plain" "$tmp/sp/rebuilt"
  check "spelling: build --changed=json $spelled lists no state" 0 \
    "$bin" build --changed=json "$spelled" -o "$tmp/sp/rebuilt" &&
    expect "spelling: no state listed for $spelled" "$tmp/out" '"states": []'
done
check "spelling: ./shop/env.ecs, from examples/, builds" 0 \
  env -C examples "$bin" build ./shop/env.ecs -o "$tmp/sp/from-examples"
check "spelling: ./shop/env.ecs, from examples/, writes the same bytes" 0 \
  diff -r "$tmp/sp/plain" "$tmp/sp/from-examples"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
