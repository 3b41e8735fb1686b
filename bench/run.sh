#!/usr/bin/env bash
# bench/run.sh (make bench): times ecsc on generated platforms of E
# environments and S services and prints one table: per size and command, the
# median wall time of several runs, peak RSS, the output's bytes and files,
# `cp -r` of the same tree as the I/O floor, and the same tree written from
# memory and flushed (bench/floor.c): the floor under any build. Every timed
# run writes into a fresh directory and nothing is deleted while timing: on
# this file system, deleting a large tree makes the next writes of new files
# several times slower. Not a test: nothing here asserts a time.
#
#   bench/run.sh [E,S ...]     default: 1,1 3,100 5,400 10,1000
#
# Then the hostile shapes of bench/hostile, once each, with their peak RSS.
set -eu
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/ecsc
export ECSC_STDLIB="$root/stdlib" LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/ecsc-bench.XXXXXX")
sizes=${*:-1,1 3,100 5,400 10,1000}

# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run N CMD...: runs CMD N times; prints "median_seconds peak_rss_kib".
# Wall time from bash's microsecond clock (/usr/bin/time counts in 10 ms);
# peak RSS from /usr/bin/time. Each run's command may use $RUN, unique to it.
run() {
  local n=$1 i times="" rss=0 t0 t1 r
  shift
  for i in $(seq "$n"); do
    RUN="$i-$RANDOM"
    export RUN
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time" bash -c "$*" >/dev/null 2>"$work/err" ||
      { echo "bench: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
    t1=$EPOCHREALTIME
    read -r r <"$work/time"
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
    [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$(echo "$times" | tr ' ' '\n' | grep . | median) $rss"
}

row() {  # size command seconds rss bytes files floor floor+sync
  printf '| %s | %s | %s s | %s MiB | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(( ($4 + 1023) / 1024 ))" "$5" "$6" "$7" "$8"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "ecsc: $("$bin" --version)"
echo
# The pre-commit case, too quick for a shell loop to time: hyperfine.
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N -w 10 -r 100 --export-json "$work/demo.json" "$bin lint examples/demo/env.ecs" >/dev/null 2>&1
  echo "lint of examples/demo/env.ecs: median $(awk -F: '/"median"/ { printf "%.2f ms", $2 * 1000; exit }' "$work/demo.json") (hyperfine, 100 runs)"
fi
echo
cc -O2 -o "$work/floor" bench/floor.c
cc -O2 -pthread -o "$work/dumpfloor" bench/dumpfloor.c -ljansson
echo "| E x S | command | median wall | peak RSS | output bytes | files | cp -r floor | cp -r + sync |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
ratios=""
for size in $sizes; do
  E=${size%,*} S=${size#*,}
  src="$work/$E-$S/env.ecs"
  mkdir -p "$work/$E-$S"
  bench/gen "$E" "$S" >"$src"
  n=5
  [ "$S" -ge 400 ] && n=3
  out="$work/$E-$S/out"
  "$bin" build "$src" -o "$out.ref" >/dev/null 2>&1
  bytes=$(du -sb "$out.ref" | cut -f1)
  files=$(find "$out.ref" -type f | wc -l)
  # The commands that write a tree take turns, run by run, each after a
  # sync: the disk's speed drifts within minutes, and slows after every
  # large tree written, so all the runs of one command and then all of the
  # next compared the disk's moods, not the commands. build flushes what it
  # wrote (syncfs) before naming it DIR; cp does not, hence cp -r + sync.
  # The floor under any build: the same tree written from memory, then
  # flushed (bench/floor.c), timed by the program itself so that reading
  # the tree into memory is not counted.
  for f in cp cps floor build; do : >"$work/$f.txt"; done
  for i in $(seq "$n"); do
    sync
    run 1 "cp -r '$out.ref' '$out.cp-$i'" >>"$work/cp.txt"
    sync
    run 1 "cp -r '$out.ref' '$out.cps-$i' && sync" >>"$work/cps.txt"
    sync
    "$work/floor" "$out.ref" "$out.fl-$i" >>"$work/floor.txt"
    sync
    run 1 "'$bin' build '$src' -o '$out.new-$i'" >>"$work/build.txt"
  done
  floor=$(cut -d' ' -f1 "$work/cp.txt" | median)
  floor_sync=$(cut -d' ' -f1 "$work/cps.txt" | median)
  read -r t r < <(run "$n" "'$bin' lint '$src'")
  row "$E x $S" lint "$t" "$r" - - - -
  printf '| %s | %s | %s s | - | - | - | - | - |\n' "$E x $S" "write from memory + syncfs (bench/floor.c)" \
    "$(awk '{ print $1 + $2 }' "$work/floor.txt" | median)"
  t=$(cut -d' ' -f1 "$work/build.txt" | median)
  r=$(cut -d' ' -f2 "$work/build.txt" | sort -n | tail -n 1)
  row "$E x $S" "build (new directory)" "$t" "$r" "$bytes" "$files" "$floor s" "$floor_sync s"
  fl=$(awk '{ print $1 + $2 }' "$work/floor.txt" | median)
  # What Jansson's dump of the same JSON costs alone, on every core: the
  # part of a build no ecsc can shed while Jansson writes its JSON.
  for i in $(seq "$n"); do "$work/dumpfloor" "$out.ref"; done >"$work/dump.txt"
  dump=$(cut -d' ' -f1 "$work/dump.txt" | median)
  printf '| %s | %s | %s s | - | - | - | - | - |\n' "$E x $S" \
    "Jansson's dump of its JSON alone, $(cut -d' ' -f2 "$work/dump.txt" | head -n 1) threads (bench/dumpfloor.c)" "$dump"
  ratios+="$(awk -v s="$E x $S" -v b="$t" -v c="$floor" -v d="$floor_sync" -v f="$fl" -v j="$dump" 'BEGIN {
    printf "%s: build is %.2f x cp -r, %.2f x cp -r + sync, %.2f x the floor; Jansson'"'"'s dump alone is %.2f x cp -r",
      s, b / c, b / d, b / f, j / c }')"$'\n'
  read -r t r < <(run "$n" "'$bin' build --check '$src' -o '$out.ref'")
  row "$E x $S" "build --check (fresh tree)" "$t" "$r" - - - -
  # A rebuild after one service changed: each run on its own copy of the
  # tree, from a copy of the source under the same name (the name is in
  # every file's "//").
  mkdir -p "$work/$E-$S/changed"
  sed '0,/memory_reservation = 256 MiB/s//memory_reservation = 320 MiB/' "$src" \
    >"$work/$E-$S/changed/env.ecs"
  for i in $(seq "$n"); do cp -r "$out.ref" "$out.re-$i"; done
  read -r t r < <(run "$n" "i=\${RUN%%-*}; '$bin' build '$work/$E-$S/changed/env.ecs' -o '$out.re-'\$i")
  row "$E x $S" "rebuild, one service changed" "$t" "$r" - - - -
done
echo
printf '%s' "$ratios"

# Hostile inputs (bench/hostile): each shape at 60 MiB, just under the 64 MiB
# cap, and the multiplying ones where their limit bites; one run each (they
# are slow and deterministic). The bound: peak RSS a small multiple of the
# input and under 1 GiB, time linear (base.h, resolve.c).
echo
echo "| hostile shape | input | command | outcome | wall | CPU | peak RSS | RSS / input |"
echo "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: |"
printf 'variable "v" {\n  type = "list"\n}\n' >"$work/v.ecs"
hostile_row() {  # shape bytes command-words...
  local shape=$1 bytes=$2 in="$work/hostile-$1-$2" out
  shift 2
  bench/hostile "$shape" "$bytes" >"$in"
  local size
  size=$(wc -c <"$in")
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" "$@" "$in" >/dev/null 2>"$work/err" || true
  out=$(grep -o '^[^ ]*: error\[E[0-9]*\]' "$work/err" | sed 's/.*\[//; s/\]//' | sort -u | tr '\n' ' ')
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  printf '| %s | %s | %s | %s | %s s | %s s | %s MiB | %s |\n' "$shape" "$(numfmt --to=iec "$size")" \
    "${*//$work\//}" "${out:-no error}" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" \
    "$(( (rss + 1023) / 1024 ))" "$(awk -v r="$rss" -v b="$size" 'BEGIN { printf "%.1f", r * 1024 / b }')"
}
mib60=$((60 << 20))
hostile_row blank "$mib60" lint
hostile_row brackets "$mib60" lint
hostile_row flat-list "$mib60" lint
hostile_row attributes "$mib60" lint
hostile_row map "$mib60" lint
hostile_row services "$mib60" lint
hostile_row services 2000000 lint
hostile_row services $((3 << 20)) lint
hostile_row product $((300 << 10)) lint
hostile_row comments "$mib60" lint
hostile_row comments "$mib60" fmt --check
hostile_row values "$mib60" lint "$work/v.ecs" --values
hostile_row values-deep "$mib60" lint "$work/v.ecs" --values
hostile_row compose-deep "$mib60" import compose
echo
echo "(work files left in $work; delete them when done)"
