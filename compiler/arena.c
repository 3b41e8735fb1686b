// arena.c: the compilation's memory: a chain of large blocks handed out by
// bumping a pointer, and the strings and buffers built inside it.
// Nothing is freed before arena_free, so no stage needs a cleanup path.
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaBlock {
  ArenaBlock *prev;
  ptrdiff_t size;
  char data[];
};

enum { BLOCK_SIZE = 1 << 20, HUGE_PAGE = 2 << 20, MAX_BLOCK = 32 << 20 };

// Out of memory is the one error a stage cannot report, so it ends the process
// here, in one place, as skeeto's arenas do.
static void out_of_memory(void) {
  fputs("ecsc: out of memory\n", stderr);
  exit(2);
}

// Blocks double as the arena grows: a large compilation takes its memory in
// a few large blocks, which the kernel backs with huge pages (MADV_HUGEPAGE):
// a 10 x 1000 lint faulted in 34,000 pages one at a time, a third of its time.
static void grow(Arena *a, ptrdiff_t need) {
  ptrdiff_t size = a->head && a->head->size < MAX_BLOCK ? 2 * a->head->size : BLOCK_SIZE;
  if (size > MAX_BLOCK)
    size = MAX_BLOCK;
  if (need + 64 > size)
    size = need + 64;
  ArenaBlock *b = a->spare;
  if (b && b->size >= size) {
    a->spare = NULL;
    size = b->size;
  } else if (size + (ptrdiff_t)sizeof(ArenaBlock) >= HUGE_PAGE) {
    size_t bytes = ((size_t)size + sizeof(ArenaBlock) + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    b = aligned_alloc(HUGE_PAGE, bytes);
    if (!b)
      out_of_memory();
    madvise(b, bytes, MADV_HUGEPAGE);  // a hint: where refused, small pages
    b->size = (ptrdiff_t)(bytes - sizeof(ArenaBlock));
    size = b->size;
  } else {
    b = malloc(sizeof(ArenaBlock) + (size_t)size);
    if (!b)
      out_of_memory();
    b->size = size;
  }
  b->prev = a->head;
  a->head = b;
  a->beg = b->data;
  a->end = b->data + size;
}

void *arena_alloc_uninit(Arena *a, ptrdiff_t size, ptrdiff_t align) {
  if (size < 0 || size > PTRDIFF_MAX / 2)
    out_of_memory();
  ptrdiff_t pad = a->beg ? -(uintptr_t)a->beg & (uintptr_t)(align - 1) : 0;
  if (!a->beg || size > a->end - a->beg - pad) {
    grow(a, size + align);
    pad = -(uintptr_t)a->beg & (uintptr_t)(align - 1);
  }
  char *p = a->beg + pad;
  a->beg = p + size;
  return p;
}

void *arena_alloc(Arena *a, ptrdiff_t size, ptrdiff_t align, ptrdiff_t count) {
  if (count < 0 || (count > 0 && size > (PTRDIFF_MAX / 2) / count))
    out_of_memory();
  ptrdiff_t total = size * count;
  char *p = arena_alloc_uninit(a, total, align);
  return total ? memset(p, 0, (size_t)total) : p;
}

ArenaMark arena_mark(Arena *a) {
  return (ArenaMark){a->head, a->beg, a->end};
}

// Frees what was allocated since the mark: the blocks added since, and the
// space used in the block that was newest then. One block is kept for the
// next grow: the emitters rewind after every file, and a block malloc'd and
// freed per file is a fresh mmap whose pages the kernel zeroes each time.
void arena_rewind(Arena *a, ArenaMark m) {
  while (a->head != m.head) {
    ArenaBlock *prev = a->head->prev;
    if (!a->spare || a->spare->size < a->head->size) {
      free(a->spare);
      a->spare = a->head;
    } else {
      free(a->head);
    }
    a->head = prev;
  }
  a->beg = m.beg;
  a->end = m.end;
}

void arena_free(Arena *a) {
  for (ArenaBlock *b = a->head; b;) {
    ArenaBlock *prev = b->prev;
    free(b);
    b = prev;
  }
  free(a->spare);
  *a = (Arena){0};
}

Str str_c(const char *cstr) {
  return (Str){cstr, (ptrdiff_t)strlen(cstr)};
}

bool str_eq(Str a, Str b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, (size_t)a.len) == 0);
}

// Without strlen: the schema and settings lookups compare a name with dozens
// of others, which nearly all differ in their first bytes.
bool str_eq_c(Str a, const char *cstr) {
  for (ptrdiff_t i = 0; i < a.len; i++)
    if (!cstr[i] || cstr[i] != a.ptr[i])
      return false;
  return !cstr[a.len];
}

bool str_starts_with(Str s, Str prefix) {
  return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, (size_t)prefix.len) == 0);
}

int str_cmp(Str a, Str b) {
  ptrdiff_t n = a.len < b.len ? a.len : b.len;
  int r = n ? memcmp(a.ptr, b.ptr, (size_t)n) : 0;
  if (r)
    return r;
  return (a.len > b.len) - (a.len < b.len);
}

static char fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

// Whether pattern, with * for any run of characters and ? for one, matches
// all of s: the wildcards of ALB conditions (case-sensitive) and of IAM
// actions (not). Linear backtracking to the last *, so never exponential.
bool str_glob(Str pattern, Str s, bool ignore_case) {
  ptrdiff_t p = 0, i = 0, star = -1, mark = 0;
  while (i < s.len) {
    if (p < pattern.len && pattern.ptr[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.len && (pattern.ptr[p] == '?' ||
                                   fold(pattern.ptr[p], ignore_case) == fold(s.ptr[i], ignore_case))) {
      p++, i++;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.len && pattern.ptr[p] == '*')
    p++;
  return p == pattern.len;
}

// FNV-1a: for the hash tables that keep every lookup linear.
int str_cmp_qsort(const void *a, const void *b) {
  return str_cmp(*(const Str *)a, *(const Str *)b);
}

uint64_t str_hash(Str s) {
  uint64_t h = 0xcbf29ce484222325u;
  for (ptrdiff_t i = 0; i < s.len; i++)
    h = (h ^ (unsigned char)s.ptr[i]) * 0x100000001b3u;
  return h;
}

// The list's struct begins {T *items; ptrdiff_t len, cap;} for some T: those
// three are read and written through this replica of the same layout.
typedef struct {
  void *items;
  ptrdiff_t len, cap;
} AnyList;

void arena_grow(Arena *a, void *list, ptrdiff_t size) {
  AnyList l;
  memcpy(&l, list, sizeof l);
  ptrdiff_t cap = l.cap ? 2 * l.cap : 8;
  void *items = arena_alloc(a, size, _Alignof(max_align_t), cap);
  if (l.len)
    memcpy(items, l.items, (size_t)(size * l.len));
  l.items = items;
  l.cap = cap;
  memcpy(list, &l, sizeof l);
}

void **map_slot(Map **m, Str key, Arena *a) {
  for (uint64_t h = str_hash(key); *m; h <<= 2) {
    if (str_eq((*m)->key, key))
      return &(*m)->value;
    m = &(*m)->child[h >> 62];
  }
  if (!a)
    return NULL;
  *m = new(a, Map, 1);
  (*m)->key = key;
  return &(*m)->value;
}

Str str_dup(Arena *a, Str s) {
  char *p = new(a, char, s.len + 1);
  if (s.len)
    memcpy(p, s.ptr, (size_t)s.len);
  return (Str){p, s.len};
}

Str str_lower(Arena *a, Str s) {
  char *p = new(a, char, s.len + 1);
  for (ptrdiff_t i = 0; i < s.len; i++)
    p[i] = ascii_lower(s.ptr[i]);
  return (Str){p, s.len};
}

char *str_cstr(Arena *a, Str s) {
  char *p = new(a, char, s.len + 1);
  if (s.len)
    memcpy(p, s.ptr, (size_t)s.len);
  return p;
}

// Formats straight into the arena's free space, once; only a string that does
// not fit is formatted again, into a block of its size. (Counting first with
// vsnprintf(NULL, 0) costs a second full pass on every call.)
Str str_vfmt(Arena *a, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  ptrdiff_t room = a->beg ? a->end - a->beg : 0;
  int n = room > 0 ? vsnprintf(a->beg, (size_t)room, fmt, copy) : -1;
  va_end(copy);
  if (n >= 0 && n < room) {
    Str s = {a->beg, n};
    a->beg += n + 1;
    return s;
  }
  if (n < 0) {
    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
  }
  char *p = new(a, char, n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return (Str){p, n};
}

Str str_fmt(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str s = str_vfmt(a, fmt, ap);
  va_end(ap);
  return s;
}

static void reserve(Buf *b, ptrdiff_t extra) {
  if (b->len + extra <= b->cap)
    return;
  ptrdiff_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1)
    cap *= 2;
  char *p = new(b->arena, char, cap);
  if (b->len)
    memcpy(p, b->ptr, (size_t)b->len);
  b->ptr = p;
  b->cap = cap - 1;  // keep a byte for a terminating NUL
}

void buf_put(Buf *b, Str s) {
  reserve(b, s.len);
  if (s.len)
    memcpy(b->ptr + b->len, s.ptr, (size_t)s.len);
  b->len += s.len;
}

void buf_putc(Buf *b, char c) {
  reserve(b, 1);
  b->ptr[b->len++] = c;
}

void buf_puts(Buf *b, const char *cstr) {
  buf_put(b, str_c(cstr));
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str s = str_vfmt(b->arena, fmt, ap);
  va_end(ap);
  buf_put(b, s);
}

void buf_pad(Buf *b, char c, ptrdiff_t n) {
  reserve(b, n > 0 ? n : 0);
  for (ptrdiff_t i = 0; i < n; i++)
    b->ptr[b->len++] = c;
}

Str buf_str(Buf *b) {
  reserve(b, 0);
  if (b->ptr)
    b->ptr[b->len] = 0;
  return (Str){b->ptr ? b->ptr : "", b->len};
}
