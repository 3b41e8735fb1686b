#!/usr/bin/env bash
# tests/editors.sh: the editor support in grammar/ against every .ecs source
# of the repository (examples, stdlib, tests/parse, and
# tests/editors/every-token.ecs, which has every kind of token) and a file of
# broken tokens made here (an unterminated string, bad escapes).
# tests/editors/tokens.py is the oracle: it splits each file into tokens as
# grammar/ecsc.ebnf says and names each token's kind.
#   Vim (grammar/vim): a headless vim -es with the syntax file, ftdetect and
#     ftplugin; at each token's first and last character, the syntax item of
#     its kind, linked to a highlight group; :compiler ecsc reads ecsc's
#     diagnostics into the quickfix list.
#   TextMate (grammar/ecsc.tmLanguage.json): VS Code's tokenizer
#     (vscode-textmate and vscode-oniguruma, from npm at the versions of
#     tests/editors/package-lock.json): each token's scope, no region open at
#     a line's end.
# Ends with "editors: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
root=$PWD
export NO_COLOR=1 ECSC_STDLIB="$root/stdlib"
bin=${1:-./ecsc}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 20 | sed 's/^/    /'
}

for tool in python3 vim node npm; do
  command -v "$tool" >/dev/null 2>&1 || not_ok "$tool is not installed (make test installs it)"
done

printf '# broken tokens\nx = "bad \\q escape \\u12 and \\\ny = "never closed\nz = 3 # after\n' >"$tmp/broken.ecs"
files=$(ls examples/*/*.ecs tests/parse/*.ecs tests/editors/every-token.ecs; find stdlib -name '*.ecs' | sort)
files="$files $tmp/broken.ecs"

# shellcheck disable=SC2086
python3 tests/editors/tokens.py $files >"$tmp/tokens" || not_ok "tokens.py"
kinds=$(python3 -c 'import json, sys; print(" ".join(sorted({json.loads(l)["kind"] for l in open(sys.argv[1])})))' "$tmp/tokens")
want="attribute badescape block boolean cidr comment delimiter duration escape import int operator percent reference size string"
if [ "$kinds" = "$want" ]; then ok; else not_ok "the sources hold every kind of token" "want: $want"$'\n'"have: $kinds"; fi

# Vim
vim_problems=""
for f in $files; do
  grep -F "\"file\": \"$f\"" "$tmp/tokens" >"$tmp/file.tokens"
  python3 -c '
import json, sys
for l in open(sys.argv[1]):
    t = json.loads(l)
    print(t["line"], t["col"]); print(t["line"], t["last"])' "$tmp/file.tokens" >"$tmp/positions"
  ECS_POSITIONS=$tmp/positions ECS_NAMES=$tmp/names vim -N -u NONE -i NONE -n -es \
    --cmd "set rtp^=$root/grammar/vim" --cmd 'filetype plugin on' --cmd 'syntax enable' \
    -c "source $root/tests/editors/synids.vim" -c 'qa!' "$f" </dev/null >/dev/null 2>&1
  if ! python3 tests/editors/compare_vim.py "$tmp/file.tokens" "$tmp/names" >"$tmp/vim.log" 2>&1; then
    vim_problems="$vim_problems$(cat "$tmp/vim.log")"$'\n'
  fi
done
n=$(wc -l <"$tmp/tokens")
if [ -z "$vim_problems" ]; then ok; else not_ok "vim: each of $n tokens in the syntax item of its kind" "$vim_problems"; fi

# :compiler ecsc: ecsc's diagnostics into the quickfix list.
printf 'service "x" {\n  count = "2"\n}\n' >"$tmp/bad.ecs"
: >"$tmp/empty.ecs"
(cd "$tmp" && "$root/$bin" lint bad.ecs empty.ecs missing.ecs >/dev/null 2>"$tmp/lint.out")
vim -N -u NONE -i NONE -n -es --cmd "set rtp^=$root/grammar/vim" --cmd 'filetype plugin on' \
  -c 'compiler ecsc' -c "cd $tmp" -c "cgetfile $tmp/lint.out" \
  -c "call writefile([&makeprg] + map(getqflist(), 'bufname(v:val.bufnr) . \":\" . v:val.lnum . \":\" . v:val.col . \":\" . v:val.type . v:val.nr . \": \" . v:val.text'), '$tmp/qf')" \
  -c 'qa!' </dev/null >/dev/null 2>&1
cat >"$tmp/qf.want" <<'WANT'
ecsc lint --color=never %:S
bad.ecs:2:11:e303: expected an integer for "count", found a string
empty.ecs:0:0:w1: file declares nothing
missing.ecs:0:0:e1: cannot read file: no such file or directory
WANT
if diff "$tmp/qf.want" "$tmp/qf" >"$tmp/qf.diff" 2>&1; then ok; else not_ok ":compiler ecsc reads ecsc lint's diagnostics" "$(cat "$tmp/lint.out" "$tmp/qf.diff")"; fi

# TextMate, with VS Code's tokenizer: installed once, at the locked versions.
if [ ! -d tests/editors/node_modules/vscode-textmate ] || [ tests/editors/package-lock.json -nt tests/editors/node_modules/.package-lock.json ]; then
  (cd tests/editors && npm ci --no-audit --no-fund --loglevel=error) >"$tmp/npm.log" 2>&1 ||
    not_ok "npm ci in tests/editors (vscode-textmate, vscode-oniguruma)" "$(cat "$tmp/npm.log")"
fi
# shellcheck disable=SC2086
if node tests/editors/check_textmate.js "$tmp/tokens" $files >"$tmp/tm.log" 2>&1; then ok; else not_ok "textmate: each token's scope" "$(cat "$tmp/tm.log")"; fi
if python3 -c "import json, sys; json.load(open(sys.argv[1]))" grammar/ecsc.tmLanguage.json >"$tmp/log" 2>&1; then ok; else not_ok "grammar/ecsc.tmLanguage.json is JSON" "$(cat "$tmp/log")"; fi

echo "editors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
