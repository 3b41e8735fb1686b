#!/usr/bin/env bash
# tests/output/run.sh: the output writer on a real file system, under ASan
# and UBSan.
#   1. output_test.c's cases (write, rewrite, state directories replaced
#      whole with the user's files carried over, a kill at every step of an
#      update, damaged and foreign journals, failures, refused paths, check,
#      leftovers);
#   2. kill -9 at random moments of updates of a platform of state
#      directories: before anything recovers, every state directory must be
#      entirely old or entirely new, the user's files in it included; once
#      what the next build does first (recovery) has run, DIR must list
#      exactly as the old tree or the new one, and a finished build leaves
#      nothing beside DIR or in it;
#   3. build --changed=json: golden documents (tests/output/changed/);
#   4. mount points in state directories (root, in a mount namespace).
# Prints PASS/FAIL lines and ends with "output: N passed, N failed".
# OUTPUT_KILL_STATES (default 400 service states, about 1,300 files) and
# OUTPUT_KILLS (default 8, and as many again while the journal is applied)
# size part 2.
set -u
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ECSC_STDLIB="$PWD/stdlib" NO_COLOR=1 LC_ALL=C.UTF-8
states=${OUTPUT_KILL_STATES:-400}
kills=${OUTPUT_KILLS:-8}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "PASS $1"; }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 30 | sed 's/^/    /'
}

flags="-std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Wno-unused-parameter -Werror -O1 -g -fsanitize=address,undefined
       -fno-omit-frame-pointer -fno-sanitize-recover=all -Icompiler
       $(pkg-config --cflags yaml-0.1 jansson libpcre2-8 2>/dev/null)"
libs="$(pkg-config --libs yaml-0.1 jansson libpcre2-8 2>/dev/null || echo -lyaml -ljansson -lpcre2-8) -lunistring"
# output.c makes files' bytes through emit.c's stream: the whole compiler but main.c.
srcs="tests/output/output_test.c $(ls compiler/*.c | grep -v '/main\.c$')"
# shellcheck disable=SC2086
if ! ${CC:-cc} $flags -o "$tmp/output_test" $srcs $libs 2>"$tmp/cc.err"; then
  not_ok "compile output_test" "$(cat "$tmp/cc.err")"
  echo "output: $pass passed, $fail failed"
  exit 1
fi

# LeakSanitizer needs ptrace, which some containers forbid.
"$tmp/output_test" >/dev/null 2>&1  # usage: exits 2 when the sanitizers run
if [ $? -ne 2 ]; then
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
  echo "SKIP leak checks: LeakSanitizer cannot run here"
fi

# Part 1: the driver's own PASS/FAIL lines, counted here.
unit() {  # unit BINARY PREFIX
  mkdir "$tmp/unit-$1"
  "$tmp/$1" unit "$tmp/unit-$1" >"$tmp/unit-$1.out" 2>&1
  local status=$?
  while IFS= read -r line; do
    case $line in
      PASS\ *) pass=$((pass + 1)); echo "PASS $2${line#PASS }" ;;
      FAIL\ *) fail=$((fail + 1)); echo "FAIL $2${line#FAIL }" ;;
      *) echo "$line" ;;
    esac
  done <"$tmp/unit-$1.out"
  if [ $status -ne 0 ] && ! grep -q '^FAIL' "$tmp/unit-$1.out"; then
    not_ok "${2}output_test exited with $status"
  fi
}
unit output_test ""

# Part 2: kill -9.
# Everything under a directory: types, paths, modes, then every file's bytes.
listing() {
  (cd "$1" && find . -printf '%y %p %m\n' | LC_ALL=C sort &&
    find . -type f -exec md5sum {} + | LC_ALL=C sort) | md5sum | cut -d' ' -f1
}

now_ms() { date +%s%3N; }

# whole OLD NEW GOT: every state of GOT (output_test states) is as in OLD or
# as in NEW; prints the first that is neither.
whole() {
  paste -d' ' "$1" "$2" "$3" | awk '$2 != $6 && $4 != $6 { print $1 ": " $6 " is neither " $2 " nor " $4; exit 1 }'
}

killing() {  # killing BINARY PREFIX
  local bin=$tmp/$1 name=$2 w=$tmp/kill-$1 out
  mkdir "$w"
  out=$w/out
  if ! "$bin" big "$out" A "$states" 2>"$w/err"; then
    not_ok "${name}kill -9: first build" "$(cat "$w/err")"
    return
  fi
  "$bin" userfiles "$out" "$states"
  echo mine >"$out/README.md"
  local la lb start ms
  la=$(listing "$out")
  "$bin" states "$out" "$states" >"$w/sa"
  start=$(now_ms)
  "$bin" big "$out" B "$states" 2>"$w/err" || not_ok "${name}kill -9: second build" "$(cat "$w/err")"
  ms=$(($(now_ms) - start))
  lb=$(listing "$out")
  "$bin" states "$out" "$states" >"$w/sb"
  [ "$la" != "$lb" ] || not_ok "${name}kill -9: the variants differ"

  # Half the kills at any moment of a build, half while its journal is
  # applied (after the commit: when state directories are swapped).
  local state=B target bad="" seen="" i delay pid got applying
  for ((i = 0; i < 2 * kills; i++)); do
    if [ $state = A ]; then target=B; else target=A; fi
    applying=$((i >= kills))
    "$bin" big "$out" $target "$states" 2>/dev/null &
    pid=$!
    if [ $applying = 1 ]; then
      while [ ! -e "$out/.ecsc-update/journal" ] && kill -0 $pid 2>/dev/null; do sleep 0.002; done
      delay=$((RANDOM % (ms / 4 + 1)))
    else
      delay=$((RANDOM % (ms + ms / 5 + 1)))
    fi
    sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    # Before anything recovers: each state is entirely old or entirely new.
    "$bin" states "$out" "$states" >"$w/got"
    if ! got=$(whole "$w/sa" "$w/sb" "$w/got"); then
      bad="$bad kill $i after ${delay}ms$([ $applying = 1 ] && echo ' of applying'): a state directory is neither old nor new: $got;"
      break
    fi
    if [ -d "$out/.ecsc-update" ]; then
      seen="$seen ${delay}ms:recovered-to-"
      "$bin" recover "$out" 2>"$w/err" || { bad="$bad kill $i: recovery failed: $(cat "$w/err");"; break; }
    else
      seen="$seen ${delay}ms:"
    fi
    got=$(listing "$out")
    if [ "$got" = "$la" ]; then
      state=A
    elif [ "$got" = "$lb" ]; then
      state=B
    else
      bad="$bad kill $i after ${delay}ms: once recovered, DIR is neither tree;"
      break
    fi
    seen="$seen$state"
  done
  if [ -z "$bad" ]; then
    ok "${name}kill -9 at $((2 * kills)) random moments of updating $states states ($ms ms), half while the journal is applied: every state directory entirely old or entirely new before recovery, DIR the old or the new tree after ($seen)"
  else
    not_ok "${name}kill -9 leaves a state directory or DIR partial" "$bad"
    return
  fi

  # The next build finishes the job: the tree, the user's files, nothing beside.
  if [ $state = A ]; then target=B; else target=A; fi
  "$bin" big "$out" $target "$states" 2>"$w/err" || not_ok "${name}kill -9: build after" "$(cat "$w/err")"
  got=$(listing "$out")
  if { [ $target = A ] && [ "$got" = "$la" ]; } || { [ $target = B ] && [ "$got" = "$lb" ]; }; then
    ok "${name}a build after the kills writes the whole tree and keeps the user's files"
  else
    not_ok "${name}a build after the kills writes the whole tree and keeps the user's files"
  fi
  local left
  left=$(find "$w" -mindepth 1 -maxdepth 1 ! -name out ! -name err ! -name 's[ab]' ! -name got)
  left="$left$(find "$out" -maxdepth 1 -name '.ecsc-*' ! -name .ecsc-manifest)"
  if [ -z "$left" ]; then
    ok "${name}a build after the kills removes the leftovers"
  else
    not_ok "${name}a build after the kills removes the leftovers" "$left"
  fi
}
killing output_test ""

# Part 3: build --changed=json, golden. Each tests/output/changed/CASE/
# after.ecs is built over DIR as built from changed/before.ecs (both copied
# to env.ecs: every file names its source); standard output must be exactly
# CASE/expected.json, from build --check first (which writes nothing, and
# exits 1 when any state would change) and then from the build, after which
# a build changes nothing. changed/fresh.json: a build into a new DIR. A
# case may start from its own CASE/before.ecs, and may name text the build
# must write: each line of CASE/contains (and of CASE/lacks, must not) is a
# path in DIR, a space, and the text.
written() {  # written BINARY CASE FILE WANT: FILE's lines found (WANT 0) or not (1) in DIR
  local bin=$1 name=$2 path text found
  [ -f "tests/output/changed/$name/$3" ] || return 0
  while IFS=' ' read -r path text; do
    found=1
    grep -qF -- "$text" "$w/out/$path" && found=0
    if [ $found = "$4" ]; then
      ok "$bin build --changed=json, $name: $path $([ "$4" = 0 ] && echo has || echo lacks) $text"
    else
      not_ok "$bin build --changed=json, $name: $path $([ "$4" = 0 ] && echo has || echo lacks) $text"
    fi
  done <"tests/output/changed/$name/$3"
}
changed() {  # changed BINARY
  local bin=$1 w=$tmp/changed-${1##*/} case name want
  mkdir "$w"
  cp tests/output/changed/before.ecs "$w/env.ecs"
  "$bin" build --changed=json "$w/env.ecs" -o "$w/fresh" >"$w/got" 2>"$w/err"
  if cmp -s "$w/got" tests/output/changed/fresh.json; then
    ok "$bin build --changed=json into a new DIR: every state added"
  else
    not_ok "$bin build --changed=json into a new DIR: every state added" \
      "$(cat "$w/err"; diff tests/output/changed/fresh.json "$w/got")"
  fi
  for case in tests/output/changed/*/; do
    name=$(basename "$case")
    want=$case/expected.json
    rm -rf "$w/out"
    cp tests/output/changed/before.ecs "$w/env.ecs"
    [ -f "$case/before.ecs" ] && cp "$case/before.ecs" "$w/env.ecs"
    "$bin" build "$w/env.ecs" -o "$w/out" 2>"$w/err" || { not_ok "$bin changed $name: first build" "$(cat "$w/err")"; continue; }
    mkdir "$w/out/production/vpc/.terraform" && echo mine >"$w/out/production/vpc/.terraform/x"
    local before
    before=$(listing "$w/out")
    cp "$case/after.ecs" "$w/env.ecs"
    local status=0 expect_status=1
    "$bin" build --check --changed=json "$w/env.ecs" -o "$w/out" >"$w/got" 2>"$w/err" || status=$?
    grep -q '"states": \[\]' "$want" && expect_status=0
    if cmp -s "$w/got" "$want" && [ $status = $expect_status ] && [ "$before" = "$(listing "$w/out")" ]; then
      ok "$bin build --check --changed=json, $name: the states a build would change, nothing written, exit $status"
    else
      not_ok "$bin build --check --changed=json, $name (exit $status)" "$(cat "$w/err"; diff "$want" "$w/got")"
    fi
    status=0
    "$bin" build --changed=json "$w/env.ecs" -o "$w/out" >"$w/got" 2>"$w/err" || status=$?
    # (no diagnostic: a warning suppressed in after.ecs leaves its count)
    if cmp -s "$w/got" "$want" && [ $status = 0 ] && ! grep -qE '(error|warning)\[' "$w/err"; then
      ok "$bin build --changed=json, $name: exactly the states it changed"
    else
      not_ok "$bin build --changed=json, $name (exit $status)" "$(cat "$w/err"; diff "$want" "$w/got")"
    fi
    written "$bin" "$name" contains 0
    written "$bin" "$name" lacks 1
    "$bin" build --changed=json "$w/env.ecs" -o "$w/out" >"$w/got" 2>"$w/err"
    if grep -q '"states": \[\]' "$w/got" && [ "$(cat "$w/out/production/vpc/.terraform/x")" = mine ]; then
      ok "$bin build --changed=json, $name, again: no state, the user's files kept"
    else
      not_ok "$bin build --changed=json, $name, again: no state, the user's files kept" "$(cat "$w/got" "$w/err")"
    fi
  done
}
for bin in ./ecsc ./ecsc-san; do
  if [ -x "$bin" ]; then changed "$bin"; else echo "SKIP $bin: not built (make $bin)"; fi
done
usage() {  # usage NAME ARGS...: ./ecsc ARGS exits 2 with a message
  local name=$1 status=0
  shift
  ./ecsc "$@" >/dev/null 2>"$tmp/usage.err" || status=$?
  if [ $status = 2 ] && [ -s "$tmp/usage.err" ]; then
    ok "usage: $name"
  else
    not_ok "usage: $name (exit $status)" "$(cat "$tmp/usage.err")"
  fi
}
if [ -x ./ecsc ]; then
  usage "--changed takes json" build --changed=yaml tests/output/changed/before.ecs -o "$tmp/u"
  usage "--changed goes with build" lint --changed=json tests/output/changed/before.ecs
  usage "--discard-journal does not go with --check" build --check --discard-journal tests/output/changed/before.ecs -o "$tmp/u"
fi

# Part 4: mount points, in a mount namespace of this test's own (root, and
# unshare(1), or skipped): a mount point in a state directory, or one that
# is a state directory, is refused before anything is written.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  mkdir "$tmp/mnt"
  # shellcheck disable=SC2016
  unshare -m bash -c '
    set -u
    bin=$1 out=$2/out
    "$bin" platform "$out" 1 || exit 3
    mkdir "$out/prod/services/api/.terraform"
    mount -t tmpfs none "$out/prod/services/api/.terraform" || exit 4
    echo plugin >"$out/prod/services/api/.terraform/x"
    before=$(ls -laR "$out")
    "$bin" platform "$out" 2 2>"$2/err1" && exit 5
    [ "$before" = "$(ls -laR "$out")" ] || exit 6
    umount "$out/prod/services/api/.terraform"
    mount --bind "$out/prod/services/gone" "$out/prod/services/gone" || exit 4
    before=$(ls -laR "$out")
    "$bin" platform "$out" 2 2>"$2/err2" && exit 7
    [ "$before" = "$(ls -laR "$out")" ] || exit 8
    exit 0
  ' mnt "$tmp/output_test" "$tmp/mnt"
  status=$?
  if [ $status = 0 ] && grep -q "api/.terraform: error\[E0705\]: a mount point in a state directory" "$tmp/mnt/err1" &&
    grep -q "services/gone: error\[E0705\]: this state directory is a mount point" "$tmp/mnt/err2"; then
    ok "a mount point in a state directory, or as one, is refused and nothing is written (E0705)"
  else
    not_ok "a mount point in a state directory, or as one, is refused and nothing is written (step $status)" \
      "$(cat "$tmp/mnt/err1" "$tmp/mnt/err2" 2>/dev/null)"
  fi
else
  echo "SKIP mount points: needs root and unshare -m"
fi

echo "output: $pass passed, $fail failed"
[ $fail -eq 0 ]
