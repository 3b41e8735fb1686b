" compiler/ecsc.vim: `:compiler ecsc`, then `:make` lints the current file
" and fills the quickfix list from ecsc's diagnostics:
"   env.ecs:4:24: error[E0303]: expected a size for "memory", found an integer
"   env.ecs:3:9: note: clusters of environment "prod" are declared here
"   env.ecs: error[E0001]: cannot read file: no such file or directory
" The source line, the caret and help: lines are left out; `ecsc explain
" CODE` says more.
if exists('current_compiler')
  finish
endif
let current_compiler = 'ecsc'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

CompilerSet makeprg=ecsc\ lint\ --color=never\ %:S
CompilerSet errorformat=%f:%l:%c:\ %trror[E%n]:\ %m,
      \%f:%l:%c:\ %tarning[W%n]:\ %m,
      \%f:%l:%c:\ %tote:\ %m,
      \%f:\ %trror[E%n]:\ %m,
      \%f:\ %tarning[W%n]:\ %m,
      \%-G%.%#
