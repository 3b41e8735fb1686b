// tests/fuzz/fuzz.c: the harnesses' shared half: the standard library read
// from the repository once, the pipeline main.c runs (lint, then the files
// build would write, made in memory and never written), and the properties
// every input must keep. A property that fails aborts, so libFuzzer keeps
// the input; crashes, leaks and undefined behaviour are ASan's and UBSan's.
#include "fuzz.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: property failed: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

//
// Files of the repository, read once
//

// The repository's root: $ECSC_ROOT, else two directories above the harness
// (tests/fuzz/fuzz_lint).
static const char *repo_root(void) {
  static char root[PATH_MAX];
  if (root[0])
    return root;
  const char *env = getenv("ECSC_ROOT");
  if (env && *env) {
    snprintf(root, sizeof root, "%s", env);
    return root;
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    fuzz_fail("cannot find the repository: set ECSC_ROOT");
  exe[n] = 0;
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(exe, '/');
    if (slash)
      *slash = 0;
  }
  snprintf(root, sizeof root, "%s", exe);
  return root;
}

typedef struct {
  char name[128];
  Str text;
} Cached;

Str fuzz_repo_file(const char *path) {
  static Cached cache[32];
  static int n;
  for (int i = 0; i < n; i++)
    if (!strcmp(cache[i].name, path))
      return cache[i].text;
  char full[PATH_MAX + 128];
  snprintf(full, sizeof full, "%s/%s", repo_root(), path);
  FILE *f = fopen(full, "rb");
  if (!f)
    return (Str){0};
  if (n == countof(cache))
    fuzz_fail("more than %d repository files", (int)countof(cache));
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)size + 1);  // kept for the life of the process
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size)
    fuzz_fail("cannot read %s", full);
  fclose(f);
  text[size] = 0;
  snprintf(cache[n].name, sizeof cache[n].name, "%s", path);
  cache[n].text = (Str){text, size};
  return cache[n++].text;
}

// Imports: the standard library, from the repository's stdlib/; any other
// file does not exist (its import is reported, as a missing file is).
static bool read_import(Compilation *c, Str from, Str name, LoadedFile *out, Str *why) {
  (void)from;
  if (!str_starts_with(name, STR("std/")) || name.len > 100) {
    *why = STR("no such file or directory");
    return false;
  }
  bool ext = name.len > 4 && !memcmp(name.ptr + name.len - 4, ".ecs", 4);
  Str path = str_fmt(&c->arena, "stdlib/%.*s%s", (int)name.len - 4, name.ptr + 4, ext ? "" : ".ecs");
  Str text = fuzz_repo_file(path.ptr);
  if (!text.ptr) {
    *why = STR("not in the standard library");
    return false;
  }
  out->path = str_fmt(&c->arena, "%.*s%s", S(name), ext ? "" : ".ecs");
  out->key = out->path;
  out->text = text;
  return true;
}

Source *fuzz_open(Compilation *c, Str text) {
  comp_init(c);
  c->read_import = read_import;
  c->root_key = STR(FUZZ_SOURCE);
  return comp_add_source(c, STR(FUZZ_SOURCE), text);
}

//
// The pipeline main.c runs (pipeline.c), the values from memory
//

static Values *fuzz_values(Compilation *c, const void *ctx) {
  const Str *values = ctx;
  Source *src = comp_add_source(c, STR("fuzz.yaml"), *values);
  return src ? values_load(c, src) : NULL;
}

Model *fuzz_check(Compilation *c, Source *root, const Str *values) {
  return pipeline_run(c, root, values ? fuzz_values : NULL, values);
}

//
// Properties of what is made
//

// A path output.c can write under DIR: relative, no "." or ".." segment,
// no empty one, no NUL.
static void check_path(Str path) {
  if (!path.len || path.ptr[0] == '/' || memchr(path.ptr, 0, (size_t)path.len))
    fuzz_fail("output path \"%.*s\" is empty or absolute", S(path));
  for (ptrdiff_t i = 0; i <= path.len;) {
    ptrdiff_t j = i;
    while (j < path.len && path.ptr[j] != '/')
      j++;
    Str seg = {path.ptr + i, j - i};
    if (!seg.len || str_eq_c(seg, ".") || str_eq_c(seg, ".."))
      fuzz_fail("output path \"%.*s\" has a segment \"%.*s\"", S(path), S(seg));
    i = j + 1;
  }
}

static bool ends_with(Str s, const char *suffix) {
  Str x = str_c(suffix);
  return s.len >= x.len && !memcmp(s.ptr + s.len - x.len, x.ptr, (size_t)x.len);
}

// The bytes with "fuzz.ecs:LINE" made "fuzz.ecs:N".
static void put_normalized(Buf *out, Str data) {
  Str name = STR(FUZZ_SOURCE ":");
  for (ptrdiff_t i = 0; i < data.len;) {
    if (data.len - i >= name.len && !memcmp(data.ptr + i, name.ptr, (size_t)name.len)) {
      buf_put(out, name);
      i += name.len;
      if (i < data.len && data.ptr[i] >= '0' && data.ptr[i] <= '9')
        buf_putc(out, 'N');
      while (i < data.len && data.ptr[i] >= '0' && data.ptr[i] <= '9')
        i++;
    } else {
      buf_putc(out, data.ptr[i++]);
    }
  }
}

void fuzz_emit(Compilation *c, Model *m, Buf *out) {
  OutTree *t = emit(c, m, STR(FUZZ_SOURCE));
  if (comp_failed(c))
    return;
  for (ptrdiff_t i = 0; i < t->len; i++) {
    const OutFile *f = &t->items[i];
    check_path(f->path);
    if (i > 0 && str_cmp(t->items[i - 1].path, f->path) >= 0)
      fuzz_fail("output paths out of order or twice: \"%.*s\"", S(f->path));
    ArenaMark mark = arena_mark(&c->arena);
    Emitter em = {&c->arena, m, t->source};
    Str data = emit_bytes(&em, f);
    if (ends_with(f->path, ".json")) {
      json_error_t err;
      json_t *doc = json_loadb(data.ptr, (size_t)data.len, JSON_REJECT_DUPLICATES, &err);
      if (!doc)
        fuzz_fail("%.*s is not JSON: %s (line %d)", S(f->path), err.text, err.line);
      json_decref(doc);
      if (!data.len || data.ptr[data.len - 1] != '\n')
        fuzz_fail("%.*s lacks its trailing newline", S(f->path));
    }
    if (out) {
      buf_put(out, f->path);
      buf_putc(out, '\n');
      put_normalized(out, data);
    }
    arena_rewind(&c->arena, mark);
  }
}

// The code point of the UTF-8 sequence at p, or -1 when there is none.
static int32_t code_point(const unsigned char *p, ptrdiff_t n, int *width) {
  int w = source_utf8_length(p, n);
  *width = w ? w : 1;
  return w ? (int32_t)source_utf8_decode(p, w) : -1;
}

// Bytes a terminal must never get raw from user text: C0 and C1 controls but
// newline and tab, DEL, and Unicode's bidirectional formatting characters
// (Unicode UAX #9: the embeddings, overrides and isolates, and the marks).
static bool hazardous(int32_t cp) {
  return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) ||
         cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

static void check_terminal_text(Str s) {
  for (ptrdiff_t i = 0; i < s.len;) {
    int w;
    int32_t cp = code_point((const unsigned char *)s.ptr + i, s.len - i, &w);
    if (cp < 0)
      fuzz_fail("diagnostics print a byte 0x%02X that is not UTF-8", (unsigned char)s.ptr[i]);
    if (hazardous(cp))
      fuzz_fail("diagnostics print U+%04X raw at byte %td:\n%.*s", cp, i, S(s));
    i += w;
  }
}

static void put_line(Buf *out, Str s) {
  for (ptrdiff_t i = 0; i < s.len; i++)
    buf_putc(out, s.ptr[i] == '\n' ? ' ' : s.ptr[i]);
}

void fuzz_render(Compilation *c, Buf *out) {
  diag_sort(c);
  Arena scratch = {0};
  Buf text = {.arena = &scratch};
  diag_render(c, &text, (DiagStyle){false});
  diag_summary(c, &text);
  check_terminal_text(buf_str(&text));
  // --format=json and sarif parse; github's workflow commands go to a CI
  // log, as to a terminal.
  Buf json = {.arena = &scratch}, sarif = {.arena = &scratch}, github = {.arena = &scratch};
  report_json(c, 1, &json);
  report_sarif(c, 1, STR("/fuzz"), &sarif);
  report_github(c, 1, &github);
  json_error_t err;
  json_t *doc = json_loadb(json.ptr, (size_t)json.len, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    fuzz_fail("--format=json is not JSON: %s", err.text);
  json_decref(doc);
  doc = json_loadb(sarif.ptr, (size_t)sarif.len, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    fuzz_fail("--format=sarif is not JSON: %s", err.text);
  json_decref(doc);
  check_terminal_text(buf_str(&github));
  arena_free(&scratch);
  for (Diag *d = out ? c->diags : NULL; d; d = d->next) {
    buf_printf(out, "%s ", diag_info(d->code)->name);
    put_line(out, d->message);
    for (DiagNote *n = d->notes; n; n = n->next)
      buf_puts(out, " | note: "), put_line(out, n->text);
    for (DiagNote *n = d->help; n; n = n->next)
      buf_puts(out, " | help: "), put_line(out, n->text);
    buf_putc(out, '\n');
  }
  if (out)
    buf_printf(out, "%d errors, %d warnings, %d not shown\n", c->nerrors, c->nwarnings,
               c->nsuppressed);
}

void fuzz_lint_and_build(Str text, const Str *values, Buf *digest) {
  Compilation c;
  Source *root = fuzz_open(&c, text);
  Model *m = root ? fuzz_check(&c, root, values) : NULL;
  if (m && !comp_failed(&c)) {
    // lint --iam, both ways: the text names lines and must be terminal-safe.
    Arena scratch = {0};
    Buf iam = {.arena = &scratch};
    explain_iam(&c, m, &iam, false);
    check_terminal_text(buf_str(&iam));
    Buf json = {.arena = &scratch};
    explain_iam(&c, m, &json, true);
    json_t *doc = json_loadb(json.ptr, (size_t)json.len, JSON_REJECT_DUPLICATES, NULL);
    if (!doc)
      fuzz_fail("lint --iam --format=json is not JSON");
    json_decref(doc);
    arena_free(&scratch);
    // build: a project is needed (main.c says so, E0406).
    if (m->project)
      fuzz_emit(&c, m, digest);
  }
  fuzz_render(&c, digest);
  comp_free(&c);
}
