// source.c: what a loaded file's text says, and nothing else: whether its
// bytes are UTF-8, and which line and column a byte offset is on, computed
// when a diagnostic is printed (never before: jq's locfile does the same).
// It reports nothing: loading a file, and refusing one, is compilation.c's.
#include "base.h"

#include <string.h>

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

// The code point of the sequence of `width` bytes at p, which
// source_utf8_length has validated.
uint32_t source_utf8_decode(const unsigned char *p, int width) {
  if (width == 1)
    return p[0];
  uint32_t cp = p[0] & (0x7F >> width);
  for (int i = 1; i < width; i++)
    cp = cp << 6 | (p[i] & 0x3F);
  return cp;
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

// Where part, a slice of value, was written, at being the string value was
// read from: inside it when value is written there as it is (in double or
// single quotes, or YAML's plain scalar; no escapes, not a variable), else
// the whole value. So a diagnostic points at the region inside an ARN, or at
// the registry inside an image.
Span span_literal_part(Span at, Str value, Str part) {
  if (!at.src)
    return at;
  Str src = at.src->text;
  char quote = at.start < src.len ? src.ptr[at.start] : 0;
  int32_t open = quote == '"' || quote == '\'';
  if (at.end - at.start != value.len + 2 * open ||
      memcmp(src.ptr + at.start + open, value.ptr, (size_t)value.len))
    return at;
  int32_t i = (int32_t)(part.ptr - value.ptr);
  return (Span){at.src, at.start + open + i, at.start + open + i + (int32_t)part.len};
}
