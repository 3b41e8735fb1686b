#!/usr/bin/env bash
# tests/docs.sh --check | --update: grammar/README.md embeds the attribute
# reference that `ecsc schema` prints from compiler/schema.c and the table of
# diagnostic codes that `ecsc explain --table` prints from diag_codes.h;
# README.md embeds the table of commands that `ecsc help --markdown` prints
# from compiler/cli.c, each between two marker lines; compiler/ecsc.1 is what
# `ecsc help --man` prints. --update rewrites them; --check fails on drift.
# Both fail on a link to a section no heading makes.
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

# generated DOC: $tmp.new holds what DOC should be; updates or compares it.
status=0
generated() {
  case "$mode" in
    --update) cmp -s "$1" "$tmp.new" || { cp "$tmp.new" "$1"; echo "updated $1"; } ;;
    --check)
      if ! cmp -s "$1" "$tmp.new"; then
        diff "$1" "$tmp.new" | head -n 20
        echo "$1 is out of date: run make docs"
        status=1
      fi ;;
  esac
}

mode=${1:-}
case "$mode" in
  --update | --check) ;;
  *) echo "usage: tests/docs.sh --check | --update"; exit 2 ;;
esac

cp "$doc" "$tmp.new"
./ecsc schema >"$tmp"
fill "ATTRIBUTE REFERENCE" "$tmp"
./ecsc explain --table >"$tmp"
fill "DIAGNOSTIC CODES" "$tmp"
generated "$doc"

doc=README.md
cp "$doc" "$tmp.new"
./ecsc help --markdown >"$tmp"
fill "COMMANDS" "$tmp"
generated "$doc"

./ecsc help --man >"$tmp.new"
generated compiler/ecsc.1

# Every link to a section names a heading that exists (tests/doc_links.py),
# in each Markdown file of the project (git's list; outside a clone, every
# one but a dependency's).
mds=$(git ls-files '*.md' 2>/dev/null) ||
  mds=$(find . -name '*.md' -not -path './.git/*' -not -path '*/node_modules/*')
# shellcheck disable=SC2086 # one path a line, none with a space
PYTHONDONTWRITEBYTECODE=1 python3 tests/doc_links.py $mds || status=1
exit "$status"
