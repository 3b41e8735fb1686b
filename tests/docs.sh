#!/usr/bin/env bash
# tests/docs.sh --check | --update: grammar/README.md embeds the attribute
# reference that `ecsc schema` prints from compiler/schema.c, between two
# marker lines. --update rewrites that part; --check fails if it has drifted.
set -eu
cd "$(dirname "$0")/.."
doc=grammar/README.md
begin='<!-- BEGIN ATTRIBUTE REFERENCE -->'
end='<!-- END ATTRIBUTE REFERENCE -->'
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.new"' EXIT
./ecsc schema >"$tmp"
awk -v b="$begin" -v e="$end" -v ref="$tmp" '
  $0 == b { print; while ((getline line < ref) > 0) print line; skipping = 1; next }
  $0 == e { skipping = 0 }
  !skipping { print }
' "$doc" >"$tmp.new"
grep -qxF "$begin" "$doc" || { echo "$doc: no line '$begin'"; exit 1; }
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
