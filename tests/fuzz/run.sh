#!/usr/bin/env bash
# tests/fuzz/run.sh: builds and runs the libFuzzer harnesses (README.md).
#
#   tests/fuzz/run.sh replay         make test: each harness replays its
#                                    committed corpus, then runs RUNS more
#                                    inputs (fixed seed) under ASan and UBSan
#   tests/fuzz/run.sh fuzz SECONDS   make fuzz: each harness for SECONDS, from
#                                    the corpus and tests/fuzz/work/NAME (kept
#                                    between runs, not committed); crashes are
#                                    saved in tests/fuzz/work/
#
# Needs clang and libFuzzer's runtime; without them it fails and says which
# is missing. The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
mode=${1:-replay}
seconds=${2:-60}
RUNS=${RUNS:-2000}
fuzzers=${FUZZERS:-lint values fmt compose}  # make fuzz FUZZERS=values runs one
export ECSC_ROOT=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

finish() {
  echo "fuzz: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}

# clang, and a libFuzzer runtime it can link: each missing piece named.
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "FAIL fuzz: $cc is not installed; the fuzz harnesses need clang with libFuzzer (Debian: apt-get install clang)"
  fail=1
  finish
fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$tmp/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$tmp/probe.c" -o "$tmp/probe" 2>"$tmp/probe.err"; then
  major=$("$cc" --version | sed -nE 's/.*clang version ([0-9]+).*/\1/p' | head -n 1)
  echo "FAIL fuzz: $cc cannot link -fsanitize=fuzzer: libFuzzer's runtime (libclang_rt.fuzzer) is missing (Debian: apt-get install libclang-rt-${major:-NN}-dev)"
  sed 's/^/    /' "$tmp/probe.err" | head -n 5
  fail=1
  finish
fi
# LeakSanitizer needs ptrace, which some containers forbid (tests/run.sh).
if ! "$tmp/probe" -runs=1 >/dev/null 2>&1; then
  export ASAN_OPTIONS=detect_leaks=0
fi

targets=$(for f in $fuzzers; do printf 'tests/fuzz/fuzz_%s ' "$f"; done)
# shellcheck disable=SC2086
if ! make -s --no-print-directory -j2 $targets >"$tmp/build" 2>&1; then
  echo "FAIL fuzz: the harnesses do not build"
  sed 's/^/    /' "$tmp/build" | head -n 30
  fail=1
  finish
fi

# Common flags: the dictionary of the language's words, a time and memory
# limit per input far above any real one (a hang or a blow-up is a finding).
# A harness's own dictionary when it has one (compose.dict), else ecs.dict.
flags=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

for f in $fuzzers; do
  bin=tests/fuzz/fuzz_$f corpus=tests/fuzz/corpus/$f
  # fmt reads the language too: lint's corpus seeds it, beside its own.
  seeds=("$corpus")
  [ "$f" = fmt ] && seeds+=(tests/fuzz/corpus/lint)
  dict=tests/fuzz/$f.dict
  [ -f "$dict" ] || dict=tests/fuzz/ecs.dict
  flags=("${flags[@]:0:3}" -dict="$dict")
  if [ "$mode" = replay ]; then
    # New inputs go to a scratch directory, never into the committed corpus.
    mkdir -p "$tmp/new-$f"
    if "$bin" "${flags[@]}" -seed=1 -runs="$RUNS" "$tmp/new-$f" "${seeds[@]}" >"$tmp/$f.log" 2>&1; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL fuzz_$f (replay of $corpus and $RUNS runs, seed 1)"
      grep -E 'ERROR|property failed|runtime error|SUMMARY|Test unit written' -A 12 "$tmp/$f.log" | head -n 40 | sed 's/^/    /'
    fi
  else
    work=tests/fuzz/work/$f
    mkdir -p "$work" tests/fuzz/work/crashes
    echo "fuzz_$f: $seconds s from $corpus and $work"
    # Fork mode goes on after a finding, so a long run spends all its time;
    # each finding is saved and reported at the end.
    nice "$bin" "${flags[@]}" -max_total_time="$seconds" -fork=1 -ignore_crashes=1 \
      -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix=tests/fuzz/work/crashes/"$f"- \
      "$work" "${seeds[@]}" >"$tmp/$f.log" 2>&1
    cp "$tmp/$f.log" "tests/fuzz/work/$f.log"
    # The last progress line: "#RUNS: cov: N ft: N corp: N exec/s N oom/timeout/crash: a/b/c time: Ns"
    last=$(grep -E '^#[0-9]+: cov:' "$tmp/$f.log" | tail -n 1)
    echo "    ${last:-no progress line; see tests/fuzz/work/$f.log}"
    if grep -qE 'ERROR: libFuzzer|property failed|runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer' "$tmp/$f.log"; then
      fail=$((fail + 1))
      echo "FAIL fuzz_$f: findings in tests/fuzz/work/crashes/ (log: tests/fuzz/work/$f.log)"
      grep -E 'property failed|runtime error|SUMMARY' -A 3 "$tmp/$f.log" | head -n 40 | sed 's/^/    /'
    else
      pass=$((pass + 1))
    fi
  fi
done
finish
