" ftdetect/ecsc.vim: .ecs files are ecsc sources.
autocmd BufRead,BufNewFile *.ecs setfiletype ecsc
