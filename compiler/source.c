// source.c: the compilation and the files it has loaded: the Compilation's
// life (init, free), checking that a file is text ecsc can read, and turning
// byte offsets into lines and columns when a diagnostic is printed (never
// before: jq's locfile does the same).
#include "base.h"

#include <stdlib.h>
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

// Length of the UTF-8 sequence starting at p (at most n bytes available), or 0
// when it is not valid UTF-8: no overlongs, no surrogates, nothing past U+10FFFF.
int source_utf8_length(const unsigned char *p, ptrdiff_t n) {
  unsigned char c = p[0];
  if (c < 0x80)
    return 1;
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || n < len)
    return 0;
  for (int i = 1; i < len; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if (c == 0xE0 && p[1] < 0xA0)  // overlong 3-byte form
    return 0;
  if (c == 0xED && p[1] >= 0xA0)  // UTF-16 surrogates
    return 0;
  if (c == 0xF0 && p[1] < 0x90)  // overlong 4-byte form
    return 0;
  if (c == 0xF4 && p[1] >= 0x90)  // beyond U+10FFFF
    return 0;
  return len;
}

// s itself when it is UTF-8 without NULs, else a copy with each offending
// byte replaced by U+FFFD: file names come from the command line, and JSON
// takes only UTF-8.
Str source_utf8_clean(Arena *a, Str s) {
  ptrdiff_t i = 0;
  int n;
  while (i < s.len && s.ptr[i] && (n = source_utf8_length((const unsigned char *)s.ptr + i, s.len - i)))
    i += n;
  if (i == s.len)
    return s;
  Buf b = {.arena = a};
  buf_put(&b, (Str){s.ptr, i});
  while (i < s.len) {
    n = source_utf8_length((const unsigned char *)s.ptr + i, s.len - i);
    if (n && s.ptr[i])
      buf_put(&b, (Str){s.ptr + i, n});
    else
      buf_puts(&b, "\xEF\xBF\xBD");
    i += n ? n : 1;
  }
  return buf_str(&b);
}

// Reports the first NUL byte or invalid UTF-8 sequence; a file with either is
// not parsed at all, since every later message would be about garbage.
static bool check_text(Compilation *c, Source *src) {
  const unsigned char *p = (const unsigned char *)src->text.ptr;
  ptrdiff_t n = src->text.len;
  for (ptrdiff_t i = 0; i < n;) {
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
  Source *src = new(&c->arena, Source, 1);
  src->path = str_dup(&c->arena, path);
  if (c->nsources == c->cap_sources) {
    ptrdiff_t cap = c->cap_sources ? 2 * c->cap_sources : 16;
    Source **grown = new(&c->arena, Source *, cap);
    if (c->nsources)
      memcpy(grown, c->sources, sizeof(*grown) * (size_t)c->nsources);
    c->sources = grown;
    c->cap_sources = cap;
  }
  c->sources[c->nsources++] = src;
  if (text.len > MAX_FILE_SIZE) {
    diag_file(c, E0004, path, "file is too large (more than %d MiB)", (int)(MAX_FILE_SIZE >> 20));
    return NULL;
  }
  src->text = str_dup(&c->arena, text);
  src->index = (int32_t)c->nsources - 1;
  return check_text(c, src) ? src : NULL;
}

// The byte-order mark some editors write is no character: columns skip it.
static int32_t bom(Source *src) {
  return src->text.len >= 3 && memcmp(src->text.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static void index_lines(Arena *a, Source *src) {
  int32_t count = 1;
  for (ptrdiff_t i = 0; i < src->text.len; i++)
    count += src->text.ptr[i] == '\n';
  src->lines = new(a, int32_t, count);
  src->lines[0] = 0;
  int32_t n = 1;
  for (ptrdiff_t i = 0; i < src->text.len; i++)
    if (src->text.ptr[i] == '\n')
      src->lines[n++] = (int32_t)i + 1;
  src->nlines = n;
}

LineCol source_linecol(Arena *a, Source *src, int32_t offset) {
  if (!src->lines)
    index_lines(a, src);
  int32_t lo = 0, hi = src->nlines - 1;  // the last line starting at or before offset
  while (lo < hi) {
    int32_t mid = lo + (hi - lo + 1) / 2;
    if (src->lines[mid] <= offset)
      lo = mid;
    else
      hi = mid - 1;
  }
  int32_t col = 1;
  int32_t from = src->lines[lo] + (lo == 0 ? bom(src) : 0);
  for (int32_t i = from; i < offset && i < src->text.len; i++)
    col += (src->text.ptr[i] & 0xC0) != 0x80;
  return (LineCol){lo + 1, col};
}

Str source_line(Arena *a, Source *src, int32_t line) {
  if (!src->lines)
    index_lines(a, src);
  if (line < 1 || line > src->nlines)
    return (Str){"", 0};
  int32_t beg = src->lines[line - 1] + (line == 1 ? bom(src) : 0);
  int32_t end = line < src->nlines ? src->lines[line] - 1 : (int32_t)src->text.len;
  if (end > beg && src->text.ptr[end - 1] == '\r')
    end--;
  return (Str){src->text.ptr + beg, end - beg};
}

Span span_join(Span a, Span b) {
  return (Span){a.src, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end};
}
