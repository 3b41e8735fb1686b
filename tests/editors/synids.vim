" tests/editors/synids.vim: run by tests/editors.sh in a headless Vim on one
" .ecs file: for each "LINE COL" of $ECS_POSITIONS, writes to $ECS_NAMES the
" syntax item there and the highlight group it links to ("ecsString String");
" the first line is the file type and comment string the ftplugin set.
let s:out = [&filetype . ' ' . &commentstring]
for s:pos in readfile($ECS_POSITIONS)
  let [s:line, s:col] = map(split(s:pos), 'str2nr(v:val)')
  let s:id = synID(s:line, s:col, 0)
  call add(s:out, synIDattr(s:id, 'name') . ' ' . synIDattr(synIDtrans(s:id), 'name'))
endfor
call writefile(s:out, $ECS_NAMES)
