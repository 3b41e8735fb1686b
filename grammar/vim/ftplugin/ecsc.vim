" ftplugin/ecsc.vim: editing ecsc sources: comments with #, the two-space
" indent `ecsc fmt` writes, gq through `ecsc fmt -`, and :make through
" `ecsc lint` into the quickfix list (compiler/ecsc.vim).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#,://
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal iskeyword=@,48-57,_,-
setlocal formatprg=ecsc\ fmt\ -
compiler ecsc

let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop<'
      \ . ' iskeyword< formatprg< makeprg< errorformat<'
