" syntax/ecsc.vim: highlighting of ecsc sources (.ecs), token by token as
" compiler/lexer.c reads them (grammar/ecsc.ebnf): comments, strings and
" their escapes, the typed literals (CIDR blocks, sizes, durations,
" percentages, integers), booleans, import, block names, attribute and map
" keys, and references (cluster.a, parameter.BAR). tests/editors.sh checks
" every token of the examples against the grammar.
if exists('b:current_syntax')
  finish
endif

" Names are [A-Za-z_][A-Za-z0-9_-]*: - is part of a word.
syntax iskeyword @,48-57,_,-
syntax case match

" Numbers: the more specific forms are defined later, so that at one place
" they win over a bare integer (512 of 512 MiB, 10 of 10.0.0.0/16).
syntax match ecsInt      "-\?\<\d\+\>"
syntax match ecsPercent  "-\?\<\d\+\%(\.\d\)\?%"
syntax match ecsDuration "\<\d\+\%(ms\|s\|m\|h\|d\)\>"
syntax match ecsSize     "\<\d\+[ \t]*\%(KiB\|MiB\|GiB\|TiB\)\>"
syntax match ecsCidr     "\<\d\+\.\d\+\.\d\+\.\d\+/\d\+\>"

syntax keyword ecsBoolean true false

" A name followed by = is an attribute (or a map's key); followed by its
" labels and { a block; with .NAME after it a reference.
syntax match ecsAttribute "\<\h[A-Za-z0-9_-]*\ze\s*="
syntax match ecsBlock     "\<\h[A-Za-z0-9_-]*\ze\s*\%(\"\%([^"\\]\|\\.\)*\"\s*\)*{"
syntax match ecsReference "\<\h[A-Za-z0-9_-]*\%(\s*\.\s*\h[A-Za-z0-9_-]*\)\+"
syntax match ecsImport    "^\s*\zsimport\ze\s*\""

" Strings are on one line (E0102 otherwise): the region ends at the line's
" end, so an unterminated string never runs on.
syntax region ecsString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=ecsEscape,ecsBadEscape
syntax match ecsEscape    contained +\\\%(["\\nrt]\|u\x\{4}\)+
syntax match ecsBadEscape contained +\\\%(["\\nrt]\|u\x\{4}\)\@!.\=+

syntax match ecsComment "\%(#\|//\).*$" contains=ecsTodo,@Spell
syntax keyword ecsTodo contained TODO FIXME XXX NOTE

syntax match ecsOperator  "="
syntax match ecsDelimiter "[{}\[\],.]"

highlight default link ecsComment   Comment
highlight default link ecsTodo      Todo
highlight default link ecsString    String
highlight default link ecsEscape    SpecialChar
highlight default link ecsBadEscape Error
highlight default link ecsInt       Number
highlight default link ecsPercent   Number
highlight default link ecsDuration  Number
highlight default link ecsSize      Number
highlight default link ecsCidr      Constant
highlight default link ecsBoolean   Boolean
highlight default link ecsImport    Include
highlight default link ecsBlock     Structure
highlight default link ecsAttribute Identifier
highlight default link ecsReference Type
highlight default link ecsOperator  Operator
highlight default link ecsDelimiter Delimiter

let b:current_syntax = 'ecsc'
