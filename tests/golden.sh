#!/usr/bin/env bash
# tests/golden.sh (make golden): writes the expected trees of tests/build.sh
# and the graphs of tests/run.sh from the current ecsc. Review the diff
# before committing it.
set -eu
cd "$(dirname "$0")/.."
export ECSC_STDLIB="$PWD/stdlib"
for f in examples/*/env.ecs tests/build/*/env.ecs; do
  [ -f "$f" ] || continue
  name=$(basename "$(dirname "$f")")
  mkdir -p "tests/build/$name"
  rm -rf "tests/build/$name/expected"
  ./ecsc build "$f" -o "tests/build/$name/expected"
  echo "tests/build/$name/expected"
done
# ecsc graph's goldens (tests/run.sh's graph_tests), in both formats.
for want in tests/graph/*.dot tests/graph/*.json; do
  [ -e "$want" ] || continue
  name=$(basename "${want%.*}")
  input="tests/graph/$name.ecs"
  [ -f "$input" ] || input="examples/$name/env.ecs"
  ./ecsc graph --format="${want##*.}" "$input" >"$want"
  echo "$want"
done
