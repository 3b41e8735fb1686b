// compilation.c: the life of one compilation: its start (comp_init), what it
// has loaded (comp_add_source, which refuses a file ecsc cannot read as text:
// E0002, E0003, E0004; comp_add_argument, a --set argument, likewise),
// whether it failed, and its end (comp_free), when its one arena and its
// compiled patterns are released at once. What a loaded file's text says
// (lines, columns, UTF-8) is source.c's.
#include "base.h"

#include <string.h>

void comp_init(Compilation *c) {
  *c = (Compilation){0};
  c->diags_tail = &c->diags;
}

void comp_free(Compilation *c) {
  regex_cache_free(c->regexes);
  arena_free(&c->arena);
}

bool comp_failed(Compilation *c) {
  return c->nerrors > 0 || (c->strict && c->nwarnings > 0);
}

// Reports the first NUL byte or invalid UTF-8 sequence; a file with either is
// not parsed at all, since every later message would be about garbage.
static bool check_text(Compilation *c, Source *src) {
  const unsigned char *p = (const unsigned char *)src->text.ptr;
  ptrdiff_t n = src->text.len;
  for (ptrdiff_t i = 0; i < n;) {
    if (p[i] >= 0x01 && p[i] <= 0x7f) {  // ASCII, nearly every byte: no decoding
      i++;
      continue;
    }
    if (p[i] == 0) {
      Span at = {src, (int32_t)i, (int32_t)i + 1};
      Diag *d = diag_at(c, E0003, at, "file contains a NUL byte");
      diag_help(c, d, "is this a binary file? ecsc reads UTF-8 text");
      return false;
    }
    int len = source_utf8_length(p + i, n - i);
    if (len == 0) {
      Span at = {src, (int32_t)i, (int32_t)i + 1};
      Diag *d = diag_at(c, E0002, at, "invalid UTF-8 byte 0x%02X", p[i]);
      if (src->option.len)
        diag_help(c, d, "ecsc reads UTF-8: give %.*s its argument in UTF-8", S(src->option));
      else
        diag_help(c, d, "save the file as UTF-8");
      return false;
    }
    i += len;
  }
  return true;
}

// Registers a loaded file with the compilation. Returns NULL (after reporting)
// when the file is too large or is not UTF-8 text.
Source *comp_add_source(Compilation *c, Str path, Str text) {
  return comp_add_argument(c, (Str){0}, path, text);
}

// Registers a command-line argument of option (--set), named path in
// diagnostics, as a source whose text is the argument.
Source *comp_add_argument(Compilation *c, Str option, Str path, Str text) {
  Source *src = new(&c->arena, Source, 1);
  src->path = str_dup(&c->arena, path);
  src->option = option;
  *list_push(&c->arena, &c->sources) = src;
  if (text.len > MAX_FILE_SIZE) {
    diag_file(c, E0004, path, "file is too large (more than %d MiB)", (int)(MAX_FILE_SIZE >> 20));
    return NULL;
  }
  src->text = str_dup(&c->arena, text);
  src->index = (int32_t)c->sources.len - 1;
  return check_text(c, src) ? src : NULL;
}
