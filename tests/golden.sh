#!/usr/bin/env bash
# tests/golden.sh (make golden): writes the expected trees of tests/build.sh
# and the graphs and lint --iam outputs of tests/run.sh from the current
# ecsc. Review the diff before committing it.
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
# lint --iam's goldens (tests/run.sh's iam_tests), as their extension says.
for want in tests/iam/*.json tests/iam/*.txt; do
  [ -e "$want" ] || continue
  name=$(basename "${want%.*}")
  input="tests/iam/$name.ecs"
  [ -f "$input" ] || input="examples/$name/env.ecs"
  format=text
  [ "${want##*.}" = json ] && format=json
  ./ecsc lint --iam --format="$format" "$input" >"$want"
  echo "$want"
done
