#!/usr/bin/env bash
# tests/layers.sh [CC]: the shape of the compiler, as its object files link.
# Each compiler/*.c is compiled alone; an edge A -> B is a symbol A uses that
# B defines. The graph must have no circle (tsort finds one), no check
# (check*.c, lint.c) may use an emitter (emit*.c, makers.c, output.c,
# jsonout.c) nor an emitter a check, and no stage may use a later one: the
# pipeline reads resolve -> derive -> check -> emit -> rebuild (rebuild*.c
# and previous.c, which reads DIR: this build held against the previous one
# there). And no two files'
# static functions share a name unless they do the same job (same_job
# below), so that a name read in one file means what it means in the others.
# Ends with
# "layers: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
cc=${1:-${CC:-cc}}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 20 | sed 's/^/    /'
}

flags="-g -std=c11 -D_GNU_SOURCE $(pkg-config --cflags yaml-0.1 jansson libpcre2-8 2>/dev/null)"
built=1
for f in compiler/*.c; do
  # shellcheck disable=SC2086
  $cc $flags -c -o "$tmp/$(basename "$f" .c).o" "$f" 2>"$tmp/cc.log" || { built=0; not_ok "compile $f" "$(cat "$tmp/cc.log")"; }
done
[ "$built" = 1 ] || { echo "layers: $pass passed, $fail failed"; exit 1; }

# Who defines each global symbol, then who uses it.
for o in "$tmp"/*.o; do
  nm -g --defined-only "$o" | awk -v f="$(basename "$o" .o)" '$2 ~ /^[TDBRC]$/ {print $3, f}'
done >"$tmp/defs"
for o in "$tmp"/*.o; do
  nm -u "$o" | awk -v f="$(basename "$o" .o)" '{print f, $2}'
done >"$tmp/uses"
awk 'NR == FNR {def[$1] = $2; next} ($2 in def) && def[$2] != $1 {print $1, def[$2]}' \
  "$tmp/defs" "$tmp/uses" | sort -u >"$tmp/edges"

if tsort "$tmp/edges" >/dev/null 2>"$tmp/loops"; then
  ok
else
  not_ok "the files' calls form a circle" "$(grep -v 'input contains a loop' "$tmp/loops" | sed 's/^tsort: //')"
fi

# The stage of each file: a file may use its own stage's and earlier ones'.
stage() {
  case $1 in
    main | cli | report | pipeline) echo 9 ;;  # the driver: the stages in order, the commands, the reports
    # A rebuild's checks come after emit: they hold what emit makes of the
    # model (emit_tf_default_tags) against what the previous build wrote,
    # read through fileio.c; nothing before them calls them (output.c only
    # through OutOptions' pointers, which main.c sets).
    rebuild* | previous) echo 6 ;;
    emit* | makers | output | journal | fileio | jsonout | explain_iam | graph | import_compose) echo 5 ;;
    check* | lint) echo 4 ;;
    derive*) echo 3 ;;
    resolve | values) echo 2 ;;
    *) echo 1 ;;  # the front end and what every stage shares
  esac
}
bad=$(while read -r from to; do
  a=$(stage "$from") b=$(stage "$to")
  [ "$a" -ge "$b" ] || echo "$from.c uses $to.c, a later stage"
done <"$tmp/edges")
if [ -z "$bad" ]; then ok; else not_ok "a stage uses a later one" "$bad"; fi
bad=$(grep -E '^(check[a-z_]*|lint) (emit[a-z_]*|makers|output|jsonout)$|^(emit[a-z_]*|makers|output) (check[a-z_]*|lint)$' "$tmp/edges")
if [ -z "$bad" ]; then ok; else not_ok "checks and emitters use each other" "$bad"; fi

# Static functions defined in a .c file (not inlines from a header), as
# "name file"; then each name several files define, with those files.
same_job='
is_null import_compose values
offset import_compose values
peek lexer parser
rewind_cursor import_compose values
shape import_compose values
'
# Those five: the compose importer (libyaml's document API) and the values
# loader (its event API) each keep a cursor over a YAML file and ask it the
# same questions; the lexer and the parser each look ahead in their stream.
for o in "$tmp"/*.o; do
  nm -l --defined-only "$o" | awk -v f="$(basename "$o" .o)" '$2 == "t" && $4 ~ /\.c:[0-9]+$/ {print $3, f}'
done | sort -u >"$tmp/statics"
shared=$(awk '{files[$1] = files[$1] " " $2; n[$1]++} END {for (s in n) if (n[s] > 1) print s files[s]}' \
  "$tmp/statics" | sort)
bad=$(printf '%s\n' "$shared" | grep -vxF -e "$same_job" | grep .)
if [ -z "$bad" ]; then ok; else not_ok "files' statics share a name (rename, or list a same job in tests/layers.sh)" "$bad"; fi

echo "layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
