#!/usr/bin/env bash
# tests/run.sh: every test of ecsc. As in cproc's runtests, the files beside an
# input decide what is checked:
#   tests/parse/NAME.ecs [+ NAME.fmt]  lints clean; fmt gives NAME.fmt (or the
#                                      file itself) and is idempotent
#   tests/errors/NAME.ecs + NAME.err   `ecsc lint NAME.ecs` prints exactly NAME.err
#                                      on stderr; exit 1 if it holds an error, else 0
#                                      (with NAME.before/, `ecsc build NAME.ecs -o`
#                                      a copy of it: the previous build's DIR)
#   tests/values/NAME.err              `ecsc lint --values NAME.yaml ARGS NAME.ecs`
#                                      prints exactly NAME.err on stderr, exit 1;
#                                      --values only if NAME.yaml exists, ARGS
#                                      the lines of NAME.args (--set ...) if any
#   tests/iam/NAME.json [+ NAME.txt]   `ecsc lint --iam --format=json` of
#                                      tests/iam/NAME.ecs, or else of
#                                      examples/NAME/env.ecs, prints exactly
#                                      NAME.json (and --iam alone NAME.txt)
#   tests/iam/NAME.json|txt            `ecsc lint --iam` of NAME.ecs (or examples/NAME)
#   tests/cli.sh                       exit codes, files, standard input, options
#   tests/build.sh                     build: golden trees (tests/build/NAME/expected),
#                                      the shared validators, determinism, --check
#   tests/firelens.sh                  the FireLens request oracle
#                                      (tests/firelens-oracle.js) on its fixtures
#                                      (tests/firelens/gen.py writes them)
#   tests/ebs-oracle.sh                the EBS volumes' request oracle
#                                      (tests/ebs-oracle.js) on its fixtures
#                                      (tests/ebs-oracle/gen.py writes them)
#   tests/deploy-oracle.sh             the load balancer role's request oracle
#                                      (tests/deploy-oracle.js) on its fixtures
#                                      (tests/deploy-oracle/gen.py writes them)
#   tests/exec-oracle.sh               the ECS Exec session's request oracle
#                                      (tests/exec-oracle.js) on its fixtures
#                                      (tests/exec-oracle/gen.py writes them)
#   tests/output/run.sh                all-or-nothing writing, with kill tests
#   tests/graph/NAME.dot|json          `ecsc graph` of NAME.ecs (or examples/NAME)
#   tests/ci.sh                        examples/ci workflows, .pre-commit-hooks.yaml
#   tests/editors.sh                   Vim and TextMate grammars, token by token
#   tests/readme.py, tests/reference.py  README.md's and grammar/README.md's
#                                      examples lint clean (README's run, the
#                                      reference's build and pass the validators)
#   tests/import.sh                    import compose: tests/import/NAME/ goldens
#                                      that lint and build, errors/*.yml + .err
#   tests/unit/                        table tests of the pure code (sanitized)
#   tests/docs.sh --check              the docs' generated parts are current;
#                                      tests/doc_links.py: every link to a
#                                      section names a heading
#   tests/limits.sh                    the limits that bound memory, on inputs
#                                      generated there
#   tests/fuzz/run.sh replay           the fuzz harnesses: corpora replayed,
#                                      then a fixed number of runs
#   tests/layers.sh                    the files' calls: no circle, no stage
#                                      calling a later one
# The suite runs with ./ecsc and again with ./ecsc-san (ASan + UBSan). The last
# line is "N passed, N failed", after "N skipped (...)" when tests were skipped.
set -u
cd "$(dirname "$0")/.."
root=$PWD
export NO_COLOR=1 LC_ALL=C.UTF-8 ECSC_STDLIB="$PWD/stdlib"
# The tests import their shared Python (tests/ecs_source.py): no __pycache__
# is left in the clone (make fresh-test checks that git status stays clean).
export PYTHONDONTWRITEBYTECODE=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A UTF-8 byte order mark, which error_tests compares inputs' heads with.
printf '\357\273\277' >"$tmp/bom"

# LeakSanitizer needs ptrace, which some containers forbid: then the suite
# runs without it rather than failing every sanitized test.
if [ -x ./ecsc-san ] && ! ./ecsc-san --version >/dev/null 2>&1; then
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
  echo "SKIP leak checks: LeakSanitizer cannot run here"
  skip=$((skip + 1))
fi

ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 30 | sed 's/^/    /'
}
skipped() { skip=$((skip + 1)); echo "SKIP $1: $2"; }

# Adds the counts from a sub-suite's closing "N passed, N failed" line.
tally() {
  local name=$1 log=$2 line
  line=$(grep -E '^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    not_ok "$name" "$(tail -n 20 "$log")"
    return
  fi
  line=${line#*: }
  pass=$((pass + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
  fail=$((fail + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
  grep -E '^(FAIL|not ok|SKIP)' "$log" | while IFS= read -r l; do printf '%s: %s\n' "$name" "$l"; done
  skip=$((skip + $(grep -c '^SKIP' "$log")))
}

parse_tests() {
  local bin=$1 f want got
  for f in tests/parse/*.ecs; do
    [ -e "$f" ] || continue
    if "$bin" lint "$f" >"$tmp/out" 2>&1; then ok; else not_ok "$bin lint $f" "$(cat "$tmp/out")"; fi
    want="${f%.ecs}.fmt"
    [ -f "$want" ] || want=$f
    "$bin" fmt - <"$f" >"$tmp/fmt1" 2>"$tmp/err"
    if cmp -s "$tmp/fmt1" "$want"; then ok; else not_ok "$bin fmt $f" "$(diff "$want" "$tmp/fmt1")"; fi
    "$bin" fmt - <"$tmp/fmt1" >"$tmp/fmt2" 2>&1
    if cmp -s "$tmp/fmt1" "$tmp/fmt2"; then ok; else not_ok "$bin fmt idempotent $f" "$(diff "$tmp/fmt1" "$tmp/fmt2")"; fi
  done
}

example_tests() {
  local bin=$1 f
  for f in examples/*/env.ecs; do
    if "$bin" lint "$f" >"$tmp/out" 2>&1; then ok; else not_ok "$bin lint $f" "$(cat "$tmp/out")"; fi
  done
  # Every source in the repository is in the canonical layout; error inputs
  # that parse must be too (those that do not parse cannot be formatted).
  local files
  # (tests/parse inputs with a .fmt golden are deliberately not canonical).
  files=$(git ls-files --cached --others --exclude-standard '*.ecs' 2>/dev/null | grep -v '^tests/errors/' ||
          find . -name '*.ecs' -not -path './tests/errors/*')
  files=$(for f in $files; do [ -f "${f%.ecs}.fmt" ] || echo "$f"; done)
  # shellcheck disable=SC2086
  if "$bin" fmt --check $files >"$tmp/out" 2>&1; then ok; else not_ok "$bin fmt --check (repository)" "$(cat "$tmp/out")"; fi
}

error_tests() {
  local bin=$1 f name want code expected_code
  for f in tests/errors/*.ecs; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .ecs)
    want="tests/errors/$name.err"
    if [ ! -f "$want" ]; then not_ok "$f" "missing $want"; continue; fi
    if [ -d "tests/errors/$name.before" ]; then
      # A diagnostic of build's, which compares the source with the previous
      # build in DIR (E0880, E0881): NAME.before/ is that DIR, as ecsc wrote it.
      rm -rf "$tmp/before" && cp -R "tests/errors/$name.before" "$tmp/before"
      (cd tests/errors && "$root/$bin" build "$name.ecs" -o "$tmp/before" >/dev/null 2>"$tmp/err"); code=$?
    else
      (cd tests/errors && "$root/$bin" lint "$name.ecs" >/dev/null 2>"$tmp/err"); code=$?
    fi
    expected_code=0
    grep -q 'error\[' "$want" && expected_code=1
    if [ "$code" = "$expected_code" ] && cmp -s "$tmp/err" "$want"; then
      ok
    else
      not_ok "$bin lint $f (exit $code, want $expected_code)" "$(diff "$want" "$tmp/err")"
    fi
    # fmt writes LF without a BOM: inputs that test CRLF or a BOM are exempt.
    # Exit 1 with errors is an input fmt cannot parse; anything else fails.
    grep -q $'\r' "$f" || cmp -s -n 3 "$f" "$tmp/bom" && { ok; continue; }
    (cd tests/errors && "$root/$bin" fmt --check "$name.ecs" >/dev/null 2>"$tmp/fmt"); code=$?
    if [ "$code" = 0 ] || { [ "$code" = 1 ] && ! grep -q '^would reformat' "$tmp/fmt"; }; then
      ok
    else
      not_ok "$f: ecsc fmt --check exits $code (not canonical, or a crash)" "$(cat "$tmp/fmt")"
    fi
  done
}

# Values files and --set with exact diagnostics: tests/values/NAME.err is the
# stderr of `ecsc lint --values NAME.yaml ARGS NAME.ecs`, where ARGS are the
# lines of NAME.args, one argument a line (the other values tests are cli.sh's).
values_tests() {
  local bin=$1 want name code args
  for want in tests/values/*.err; do
    [ -e "$want" ] || continue
    name=$(basename "$want" .err)
    args=()
    [ -e "tests/values/$name.yaml" ] && args+=(--values "$name.yaml")
    [ -e "tests/values/$name.args" ] && mapfile -t -O "${#args[@]}" args <"tests/values/$name.args"
    (cd tests/values && "$root/$bin" lint "${args[@]}" "$name.ecs" >/dev/null 2>"$tmp/err"); code=$?
    if [ "$code" = 1 ] && cmp -s "$tmp/err" "$want"; then
      ok
    else
      not_ok "$bin lint ${args[*]} tests/values/$name.ecs (exit $code, want 1)" "$(diff "$want" "$tmp/err")"
    fi
  done
}

# The derived policies, byte for byte: a reviewer reads the golden files as
# the policies AWS will get.
iam_tests() {
  local bin=$1 want name input format out
  for want in tests/iam/*.json tests/iam/*.txt; do
    [ -e "$want" ] || continue
    name=$(basename "${want%.*}")
    input="tests/iam/$name.ecs"
    [ -f "$input" ] || input="examples/$name/env.ecs"
    format=text
    [ "${want##*.}" = json ] && format=json
    if "$bin" lint --iam --format="$format" "$input" >"$tmp/iam" 2>"$tmp/err" && cmp -s "$tmp/iam" "$want"; then
      ok
    else
      out=$(diff "$want" "$tmp/iam"; cat "$tmp/err")
      not_ok "$bin lint --iam --format=$format $input" "$out"
    fi
  done
}

# ecsc graph: tests/graph/NAME.dot and NAME.json are the graph of
# tests/graph/NAME.ecs, or else of examples/NAME/env.ecs, byte for byte.
graph_tests() {
  local bin=$1 want name input format
  for want in tests/graph/*.dot tests/graph/*.json; do
    [ -e "$want" ] || continue
    name=$(basename "${want%.*}")
    input="tests/graph/$name.ecs"
    [ -f "$input" ] || input="examples/$name/env.ecs"
    format=${want##*.}
    if "$bin" graph --format="$format" "$input" >"$tmp/graph" 2>"$tmp/err" && cmp -s "$tmp/graph" "$want"; then
      ok
    else
      not_ok "$bin graph --format=$format $input" "$(diff "$want" "$tmp/graph"; cat "$tmp/err")"
    fi
  done
  # A file with errors: its diagnostics on stderr, no graph, exit 1.
  "$bin" graph --format=json tests/errors/E0303-list-for-string.ecs >"$tmp/graph" 2>"$tmp/err"
  if [ $? = 1 ] && [ ! -s "$tmp/graph" ] && grep -q 'error\[E0303\]' "$tmp/err"; then ok; else not_ok "$bin graph of a file with errors" "$(cat "$tmp/graph" "$tmp/err")"; fi
  "$bin" graph >/dev/null 2>&1
  if [ $? = 2 ]; then ok; else not_ok "$bin graph without a file exits 2"; fi
}

# The other compiler's sanitized build joins the runs when it builds.
other=clang
case "$(${CC:-cc} --version 2>/dev/null)" in *clang*) other=gcc ;; esac
bins="./ecsc ./ecsc-san"
if command -v "$other" >/dev/null 2>&1; then
  if make -s --no-print-directory CC="$other" ecsc-other >"$tmp/cc" 2>&1; then
    ok
    bins="$bins ./ecsc-other"
  else
    not_ok "build with $other" "$(cat "$tmp/cc")"
  fi
else
  not_ok "build with $other: $other is not installed (make test installs it)"
fi

for bin in $bins; do
  if [ ! -x "$bin" ]; then not_ok "$bin" "not built"; continue; fi
  parse_tests "$bin"
  example_tests "$bin"
  error_tests "$bin"
  values_tests "$bin"
  iam_tests "$bin"
  graph_tests "$bin"
  tests/cli.sh "$bin" >"$tmp/cli" 2>&1
  tally "cli ($bin)" "$tmp/cli"
  tests/build.sh "$bin" >"$tmp/build" 2>&1
  tally "build ($bin)" "$tmp/build"
  tests/import.sh "$bin" >"$tmp/import" 2>&1
  tally "import ($bin)" "$tmp/import"
  tests/limits.sh "$bin" >"$tmp/limits" 2>&1
  tally "limits ($bin)" "$tmp/limits"
done

# The FireLens request oracle on its fixtures (good ones pass, bad ones fail).
tests/firelens.sh >"$tmp/firelens" 2>&1
tally firelens "$tmp/firelens"

# The EBS request oracle on its fixtures: good ones pass; bad ones, a grant
# beyond or short of what ECS and EC2 call, fail.
tests/ebs-oracle.sh >"$tmp/ebs-oracle" 2>&1
tally ebs-oracle "$tmp/ebs-oracle"

# The load balancer role's request oracle on its fixtures: good ones pass;
# bad ones, a grant beyond or short of what ECS calls, fail.
tests/deploy-oracle.sh >"$tmp/deploy-oracle" 2>&1
tally deploy-oracle "$tmp/deploy-oracle"

# The ECS Exec session's request oracle on its fixtures: good ones pass; bad
# ones, a grant beyond or short of what a session calls, fail.
tests/exec-oracle.sh >"$tmp/exec-oracle" 2>&1
tally exec-oracle "$tmp/exec-oracle"

# The all-or-nothing writer, with its kill tests (its own sanitized drivers).
tests/output/run.sh >"$tmp/output" 2>&1
tally output "$tmp/output"

if [ -x tests/unit/run-unit ]; then
  tests/unit/run-unit >"$tmp/unit" 2>&1
  tally unit "$tmp/unit"
else
  not_ok "unit tests" "tests/unit/run-unit is not built"
fi

# The example CI workflow and the pre-commit hooks.
tests/ci.sh ./ecsc >"$tmp/ci" 2>&1
tally ci "$tmp/ci"

# The editors' grammars (grammar/vim, grammar/ecsc.tmLanguage.json).
tests/editors.sh ./ecsc >"$tmp/editors" 2>&1
tally editors "$tmp/editors"

# README.md followed as a new user would: its ecsc sources lint clean, its
# transcripts and --format examples are what ecsc prints.
if python3 tests/readme.py ./ecsc >"$tmp/readme" 2>&1; then ok; else not_ok "README examples" "$(cat "$tmp/readme")"; fi

# grammar/README.md's ecsc sources, each in fmt's layout and, whole or in
# the reference's base configuration, lint clean and build, and what they
# build passes the shared validators.
if python3 tests/reference.py ./ecsc >"$tmp/reference" 2>&1; then ok; else not_ok "grammar/README.md examples" "$(cat "$tmp/reference")"; fi

# Graphviz reads the graphs' DOT (make test installs it).
for f in tests/graph/*.dot; do
  [ -e "$f" ] || continue
  if dot -Tcanon "$f" >/dev/null 2>"$tmp/dot"; then ok; else not_ok "dot reads $f" "$(cat "$tmp/dot")"; fi
done

# The suite's scripts use no process substitution (write to a file): bash 5.2
# can lose a substitution's process record when the process ends at the wrong
# moment (subst.c, between restore_pipeline and procsub_add). The record stays
# "running" with that PID; once the PIDs wrap (pid_max is 32768 in small
# containers, a busy machine wraps within a run), the shell's next child given
# the same PID has its status handed to the stale record, and bash, waiting
# for a child it no longer has, makes the status up: 0. A failing ecsc was
# seen to pass that way, and any check of the same shell could have.
procsubs=$(grep -nE '[<>]\(' tests/*.sh tests/*/*.sh)
if [ -z "$procsubs" ]; then ok; else not_ok "process substitution in the test scripts" "$procsubs"; fi

# The shape of the compiler: no circle among the files' calls, no stage
# calling a later one, no check calling an emitter nor the reverse.
tests/layers.sh >"$tmp/layers" 2>&1
tally layers "$tmp/layers"

# The libFuzzer harnesses: each replays its corpus and runs briefly, under
# ASan and UBSan (they need clang and libFuzzer's runtime: tests/fuzz/run.sh
# fails saying which is missing).
tests/fuzz/run.sh replay >"$tmp/fuzz" 2>&1
tally fuzz "$tmp/fuzz"

if tests/docs.sh --check >"$tmp/docs" 2>&1; then ok; else not_ok "docs: a generated part out of date (make docs), or a link to no heading" "$(cat "$tmp/docs")"; fi

if [ -f basic-app/Makefile ]; then
  make -s --no-print-directory -C basic-app test >"$tmp/app" 2>&1
  tally basic-app "$tmp/app"
fi

# The last line is the count and nothing else (what CI and the README read);
# the skips, each named above with its reason, are counted on the line before.
[ "$skip" -gt 0 ] && echo "$skip skipped (each SKIP line above says why)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
