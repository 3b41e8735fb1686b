// base.h: what every stage shares: the arena, sized strings, source files and
// spans, diagnostics, and the Compilation that carries them from stage to stage.
#ifndef ECSC_BASE_H
#define ECSC_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ECSC_VERSION "0.1.0"

#define countof(a) ((ptrdiff_t)(sizeof(a) / sizeof(*(a))))

//
// arena.c
//

// One arena per compilation: every allocation lives until the compilation ends
// and is released at once, so no stage frees anything (skeeto's arena).
typedef struct ArenaBlock ArenaBlock;
typedef struct {
  ArenaBlock *head;   // newest block; older ones chain behind it
  char *beg, *end;    // free space in the newest block
  ArenaBlock *spare;  // one block a rewind gave back, for the next grow
} Arena;

void *arena_alloc(Arena *a, ptrdiff_t size, ptrdiff_t align, ptrdiff_t count);
void *arena_alloc_uninit(Arena *a, ptrdiff_t size, ptrdiff_t align);  // not zeroed
void arena_free(Arena *a);

// A point to come back to: everything allocated after it is freed at once
// (the emitters' per-file scratch, so a large build holds one file at a time).
typedef struct {
  ArenaBlock *head;
  char *beg, *end;
} ArenaMark;
ArenaMark arena_mark(Arena *a);
void arena_rewind(Arena *a, ArenaMark m);

// new(&arena, T, n): n zeroed objects of type T.
#define new(a, T, n) ((T *)arena_alloc((a), sizeof(T), _Alignof(T), (n)))

// A string slice: usually a window into a source buffer, never owned.
typedef struct {
  const char *ptr;
  ptrdiff_t len;
} Str;

#define STR(lit) ((Str){(lit), (ptrdiff_t)sizeof(lit) - 1})
#define STR_INIT(lit) {(lit), (ptrdiff_t)sizeof(lit) - 1}  // in static tables
#define S(s) (int)(s).len, (s).ptr  // for printf's "%.*s"

Str str_c(const char *cstr);
bool str_eq(Str a, Str b);
bool str_eq_c(Str a, const char *cstr);
bool str_starts_with(Str s, Str prefix);
int str_cmp(Str a, Str b);
int str_cmp_qsort(const void *a, const void *b);  // str_cmp for qsort over Str
uint64_t str_hash(Str s);
bool str_glob(Str pattern, Str s, bool ignore_case);  // * and ? wildcards
Str str_dup(Arena *a, Str s);
Str str_lower(Arena *a, Str s);   // a copy, ASCII letters lowercase
char *str_cstr(Arena *a, Str s);  // NUL-terminated copy, for library calls
// ASCII only: IAM action names and service prefixes ignore case in ASCII.
static inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}
Str str_fmt(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
Str str_vfmt(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

// A growable array in the arena: any struct that begins
// {T *items; ptrdiff_t len, cap;}.
// list_push(&arena, &list) appends a zeroed element and returns it. Growing
// copies into a block twice the size and leaves the old one behind: the arena
// frees both at once, and a list built in one go costs at most twice its size.
#define list_push(a, s)                                                   \
  ((s)->len == (s)->cap                                                   \
       ? arena_grow((a), (s), (ptrdiff_t)sizeof(*(s)->items))             \
       : (void)0,                                                         \
   (s)->items + (s)->len++)
void arena_grow(Arena *a, void *list, ptrdiff_t size);

// A map from strings to pointers in the arena: a hash trie (skeeto's), so it
// needs no resizing, keeps every lookup logarithmic in the worst case, and is
// freed with the arena. A NULL Map * is the empty map. It has no order: who
// needs one keeps a list beside it.
typedef struct Map Map;
struct Map {
  Map *child[4];
  Str key;
  void *value;
};
// The value slot of key, added (holding NULL) when arena is given; without
// an arena, NULL when key is absent. The key is not copied.
void **map_slot(Map **m, Str key, Arena *a);
static inline void *map_get(Map *m, Str key) {
  void **v = map_slot(&m, key, NULL);
  return v ? *v : NULL;
}

// An append-only byte buffer in the arena (grows by doubling).
typedef struct {
  char *ptr;
  ptrdiff_t len, cap;
  Arena *arena;
} Buf;

void buf_put(Buf *b, Str s);
void buf_putc(Buf *b, char c);
void buf_puts(Buf *b, const char *cstr);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_pad(Buf *b, char c, ptrdiff_t n);
Str buf_str(Buf *b);

//
// source.c
//

// A loaded file. Line starts are computed only when a diagnostic needs them.
typedef struct {
  Str path;          // as the user named it, or as resolved for imports
  Str text;          // contents; always followed by a NUL in memory
  int32_t *lines;    // byte offset of each line start, lazily built
  int32_t nlines;
  int32_t index;     // in load order: diagnostics sort by it
  Str option;        // a command-line argument's option ("--set"); empty for a file
} Source;

// A half-open byte range [start, end) in one source.
typedef struct {
  Source *src;
  int32_t start, end;
} Span;

typedef struct {
  int32_t line, col;  // 1-based; col counts Unicode code points
} LineCol;

LineCol source_linecol(Arena *a, Source *src, int32_t offset);
Str source_line(Arena *a, Source *src, int32_t line);  // without its newline
Span span_join(Span a, Span b);
Span span_literal_part(Span at, Str value, Str part);  // part of a value, where written
// a where it is a place, else b (a value's place, or its owner's when the
// value was not written).
static inline Span span_or(Span a, Span b) {
  return a.src ? a : b;
}
int source_utf8_length(const unsigned char *p, ptrdiff_t n);  // 0: not UTF-8
uint32_t source_utf8_decode(const unsigned char *p, int width);  // a valid sequence's code point
Str source_utf8_clean(Arena *a, Str s);  // invalid bytes and NULs as U+FFFD

//
// diag.c
//

typedef enum { SEV_ERROR, SEV_WARNING, SEV_NOTE } Severity;

#define DIAG_CODE(code, sev, title, text) code,
typedef enum {
#include "diag_codes.h"
  DIAG_CODE_COUNT
} DiagCode;
#undef DIAG_CODE

typedef struct DiagNote DiagNote;
struct DiagNote {
  DiagNote *next;
  Span span;  // span.src is NULL for a note without a place
  Str text;
};

typedef struct Diag Diag;
struct Diag {
  Diag *next;
  DiagCode code;
  Severity severity;
  Span span;       // span.src is NULL for a diagnostic about no place (a path)
  Str path;        // the file, when span.src is NULL
  Source *file;    // a loaded file the whole diagnostic is about, for sorting
  Str message;
  DiagNote *notes; // "note:" lines, in order
  DiagNote *help;  // "help:" lines, in order
};

typedef struct Compilation Compilation;

typedef struct {
  const char *name;   // "E0301"
  Severity severity;
  const char *title;
  const char *text;   // the paragraph `ecsc explain` prints
} DiagInfo;

const DiagInfo *diag_info(DiagCode code);
const DiagInfo *diag_lookup(Str name, DiagCode *code);
const char *diag_retired(Str name);  // what reports a retired code's case now, or NULL

Diag *diag_at(Compilation *c, DiagCode code, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
Diag *diag_file(Compilation *c, DiagCode code, Str path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_note(Compilation *c, Diag *d, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_help(Compilation *c, Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_did_you_mean(Compilation *c, Diag *d, Str wrong, const Str *names, ptrdiff_t n);
Str diag_closest(Str wrong, const Str *names, ptrdiff_t n);
Str diag_errno(Arena *a, int err);  // strerror, lowercased as messages are
// User text made safe for a terminal: control and bidirectional formatting
// characters as \u202e, bytes that are not UTF-8 as \xff. s itself when clean.
Str diag_escape(Arena *a, Str s);
// A phrase or help composed in pieces for a diagnostic ("in service "web"",
// the ARN patterns an action acts on), its string arguments bounded as
// diag_at bounds them: each a value of at most 128 bytes (diag.c). A
// diagnostic takes it whole as "%.1024s", the bound of a text of ecsc's own.
const char *diag_fmt(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *diag_vfmt(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

// A check that reports nothing may give back what it allocated (check_iam.c
// does, per grant, so thousands of services keep only their findings):
// diag_mark before it, diag_rewind_if_quiet after. The arena is rewound only
// when nothing at all was reported in between, kept or not: a diagnostic, a
// duplicate, and the filter's own state all live in the same arena.
//
// A stage that must try and discard (fmt counts a file's comments by lexing
// it once before the pass that keeps them) calls diag_rewind: every diagnostic
// since the mark is forgotten, counts and arena with it. Only for a trial
// that reports errors, which no filter sees, since the filter's state lives
// in the arena too.
typedef struct {
  ArenaMark arena;
  int64_t nreported;
  Diag **tail;
  int nerrors, nwarnings, nunshown;
} DiagMark;

DiagMark diag_mark(Compilation *c);
void diag_rewind_if_quiet(Compilation *c, DiagMark m);
void diag_rewind(Compilation *c, DiagMark m);

typedef struct {
  bool color;
} DiagStyle;

void diag_sort(Compilation *c);  // by file, then position: the order of reading
void diag_render(Compilation *c, Buf *out, DiagStyle style);
void diag_summary(Compilation *c, Buf *out);

// A filter the driver may install in a Compilation: diag.c asks it about
// every warning and note (never an error: no filter hides one) before
// keeping it, and forgets the diagnostic when it answers true; the filter
// counts what it drops in nsuppressed. diag.c knows nothing of suppressions:
// main.c installs suppress.c's (suppress_install).
typedef bool DiagFilterFn(Compilation *c, void *ctx, DiagCode code, Span span, const char *fmt,
                          va_list ap) __attribute__((format(printf, 5, 0)));
typedef struct {
  DiagFilterFn *fn;  // NULL: every diagnostic is kept
  void *ctx;         // the filter's own state
} DiagFilter;

//
// suppress.c
//

// Installs the suppressions as c's diagnostic filter: `# ecsc:ignore`
// comments (read by suppress_scan) and --disable (by DiagCode, NULL for none).
void suppress_install(Compilation *c, const bool *disabled);
void suppress_scan(Compilation *c);  // reads the `# ecsc:ignore` comments of new sources
void suppress_report_unused(Compilation *c);  // W0002, once every stage has run

//
// report.c: the diagnostics of n compilations as one document, for CI
//

void report_json(Compilation *cs, ptrdiff_t n, Buf *out);    // --format=json
// SARIF names files by URIs relative to cwd, the working directory.
void report_sarif(Compilation *cs, ptrdiff_t n, Str cwd, Buf *out);  // --format=sarif
void report_github(Compilation *cs, ptrdiff_t n, Buf *out);  // --format=github


//
// regex.c
//

// Matches a PCRE2 pattern against the whole of s. Each pattern is compiled once
// per compilation and cached; a pattern that fails to compile is a bug in ecsc.
struct RegexCache;
bool regex_match(Compilation *c, const char *pattern, Str s);
// The first match of pattern in s at or after byte from (a UTF-8 boundary).
bool regex_find(Compilation *c, const char *pattern, Str s, ptrdiff_t from, Str *found);
// The whole of s, and its first n capture groups ({0}: the group took no part).
bool regex_groups(Compilation *c, const char *pattern, Str s, Str *groups, int n);
void regex_cache_free(struct RegexCache *cache);
// regex_match without a compilation's cache: compiled, matched and freed, for
// the rare match outside a compilation (model.c's partition of a region that
// AWS's table does not list).
bool regex_match_once(const char *pattern, Str s);

//
// main.c provides these to the stages: the only file access they get.
//

// Reads an import. `from` is the importing file's path; returns false (and
// sets *why) when the file cannot be found or read.
typedef struct {
  Str path;  // as diagnostics show it: relative to the importing file's
  Str key;   // canonical, so one file imported twice is loaded once
  Str text;
} LoadedFile;

typedef bool (*ImportReader)(Compilation *c, Str from, Str import, LoadedFile *out,
                             Str *why);

// Limits that keep hostile input from costing more than it should: memory
// stays a small multiple of the input and under 1 GiB, time linear in it
// (bench/RESULTS.md, "Hostile inputs", has the figures).
enum {
  MAX_ERRORS = 50,           // diagnostics after this are counted, not shown
  MAX_NESTING = 64,          // blocks, lists and maps inside one another
  MAX_FILE_SIZE = 64 << 20,  // bytes
  // Syntax nodes (values, attributes, blocks) of all the files of a
  // compilation. A node is some 200 bytes and can take 2 bytes of input
  // ("1,"), so the file size alone would allow 6 GiB of them; a platform of
  // 10 environments and 1,000 services has 100,000.
  MAX_NODES = 1 << 20,
  // Elements of one list, entries of one map, items of one block's body (the
  // top level aside): the checks walk such a collection once per service
  // and environment, so its size must not grow with the file. The largest in
  // the standard library is 258 (EC2's IAM actions).
  MAX_ITEMS = 4096,
};

//
// compilation.c
//

// One compilation: one root file, what it imports, everything said about
// them, and the arena every stage allocates from.
struct Compilation {
  Arena arena;
  Diag *diags, **diags_tail;
  int nerrors, nwarnings;
  int nunshown;              // counted past MAX_ERRORS, not kept
  int nsuppressed;           // dropped by the filter (suppress.c counts them)
  int64_t nreported;         // every diag_at and diag_file, kept or not (DiagMark)
  Diag sink;                 // what diag_at returns past MAX_ERRORS: kept nowhere
  bool strict;               // warnings count as errors
  DiagFilter filter;         // installed by the driver; none by comp_init

  ImportReader read_import;  // NULL: imports are an error (fmt never follows them)
  void *host;                // main.c's context for read_import
  Str root_key;              // the root file's canonical path

  struct {
    Source **items;          // every file loaded, root first
    ptrdiff_t len, cap;
  } sources;

  ptrdiff_t nodes;           // syntax nodes made (parser.c, values.c): MAX_NODES
  struct RegexCache *regexes;  // compiled PCRE2 patterns, freed with the compilation
  Map *defaults;             // schema.c's defaults as nodes, by attribute
};

void comp_init(Compilation *c);
void comp_free(Compilation *c);  // the arena and the compiled patterns, at once
// Loads a file's text into c: NULL, after E0002, E0003 or E0004, when it is
// not UTF-8 text ecsc can read.
Source *comp_add_source(Compilation *c, Str path, Str text);
Source *comp_add_argument(Compilation *c, Str option, Str path, Str text);
bool comp_failed(Compilation *c);  // errors, or warnings under --strict

#endif
