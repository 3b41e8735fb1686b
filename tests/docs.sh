#!/usr/bin/env bash
# tests/docs.sh --check | --update: grammar/README.md embeds the attribute
# reference that `ecsc schema` prints from compiler/schema.c and the table of
# diagnostic codes that `ecsc explain --table` prints from diag_codes.h, each
# between two marker lines. --update rewrites them; --check fails on drift.
set -eu
cd "$(dirname "$0")/.."
doc=grammar/README.md
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.in" "$tmp.new"' EXIT

# fill NAME FILE: replaces what stands between the NAME markers with FILE.
fill() {
  local begin="<!-- BEGIN $1 -->" end="<!-- END $1 -->"
  grep -qxF "$begin" "$tmp.new" || { echo "$doc: no line '$begin'"; exit 1; }
  awk -v b="$begin" -v e="$end" -v ref="$2" '
    $0 == b { print; while ((getline line < ref) > 0) print line; skipping = 1; next }
    $0 == e { skipping = 0 }
    !skipping { print }
  ' "$tmp.new" >"$tmp.in"
  mv "$tmp.in" "$tmp.new"
}

cp "$doc" "$tmp.new"
./ecsc schema >"$tmp"
fill "ATTRIBUTE REFERENCE" "$tmp"
./ecsc explain --table >"$tmp"
fill "DIAGNOSTIC CODES" "$tmp"
case "${1:-}" in
  --update) cp "$tmp.new" "$doc"; echo "updated $doc" ;;
  --check)
    if ! cmp -s "$doc" "$tmp.new"; then
      diff "$doc" "$tmp.new" | head -n 20
      echo "$doc is out of date: run make docs"
      exit 1
    fi ;;
  *) echo "usage: tests/docs.sh --check | --update"; exit 2 ;;
esac
