// suppress.c: the diagnostics a user chose not to see. A comment on its own
// line,
//
//     # ecsc:ignore W0572 the tag is set by the deploy job
//
// suppresses warning W0572 on the next line that is not itself such a comment
// (several stack onto one line; a list W0572,W0573 names several codes), and
// --disable=CODE suppresses a code everywhere. The reason is required: a
// suppression is a decision a reviewer should be able to read. Only warnings
// and notes can be suppressed: an error is output AWS would reject or ecsc
// cannot write, and no comment makes that true (E0013). A comment that
// suppresses nothing is itself a warning (W0002), so suppressions do not
// outlive what they were for. Suppressed diagnostics are counted, once each.
//
// Comments are read from the source text: a string never spans lines in the
// language, so a line whose first non-blank characters are # or // is a
// comment, and the lexer (whose comments fmt keeps) need not know.
//
// The suppressions are a filter the driver installs in the compilation
// (suppress_install); diag.c asks it about each warning and note and knows
// nothing else of them.
#include "base.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  Source *src;
  int32_t line;    // the line it applies to
  Span at;         // the code in the comment: where W0002 points
  DiagCode code;
  bool used;
} Ignore;

typedef struct {
  const bool *disabled;  // --disable: by DiagCode, NULL for none
  struct {
    Ignore *items;   // in the order of the sources and lines
    ptrdiff_t len, cap;
  } ignores;
  Map *seen;         // hashes of suppressed diagnostics: each is counted once
  int32_t scanned; // sources [0, scanned) have been read
} Suppressions;

static DiagFilterFn match;

// The suppressions installed in c, or NULL when the driver installed none.
static Suppressions *state(Compilation *c) {
  return c->filter.fn == match ? c->filter.ctx : NULL;
}

void suppress_install(Compilation *c, const bool *disabled) {
  Suppressions *s = new(&c->arena, Suppressions, 1);
  s->disabled = disabled;
  c->filter = (DiagFilter){match, s};
}

static bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r';
}

// The text after "# ecsc:ignore" when line is such a comment (at *col, its
// offset in the line), else an empty Str.
static Str directive(Str line, ptrdiff_t *col) {
  ptrdiff_t i = 0;
  while (i < line.len && is_space(line.ptr[i]))
    i++;
  if (i < line.len && line.ptr[i] == '#')
    i++;
  else if (i + 1 < line.len && line.ptr[i] == '/' && line.ptr[i + 1] == '/')
    i += 2;
  else
    return (Str){0};
  while (i < line.len && is_space(line.ptr[i]))
    i++;
  Str rest = {line.ptr + i, line.len - i};
  if (!str_starts_with(rest, STR("ecsc:ignore")))
    return (Str){0};
  i += 11;
  if (i < line.len && !is_space(line.ptr[i]))
    return (Str){0};  // "ecsc:ignored", some other word
  *col = i;
  return (Str){line.ptr + i, line.len - i};
}

static void add_ignore(Compilation *c, Suppressions *s, Ignore ig) {
  *list_push(&c->arena, &s->ignores) = ig;
}

static void did_you_mean_code(Compilation *c, Diag *d, Str wrong) {
  Str names[DIAG_CODE_COUNT];
  for (int i = 0; i < DIAG_CODE_COUNT; i++)
    names[i] = str_c(diag_info((DiagCode)i)->name);
  diag_did_you_mean(c, d, wrong, names, DIAG_CODE_COUNT);
}

// Reads one "ecsc:ignore CODE[,CODE...] REASON", the codes at offset `at` of
// src, for the line `target`.
static void parse_directive(Compilation *c, Suppressions *s, Source *src, int32_t at, Str text,
                            int32_t target) {
  ptrdiff_t i = 0;
  while (i < text.len && is_space(text.ptr[i]))
    i++;
  ptrdiff_t codes_beg = i;
  while (i < text.len && !is_space(text.ptr[i]))
    i++;
  Str codes = {text.ptr + codes_beg, i - codes_beg};
  while (i < text.len && is_space(text.ptr[i]))
    i++;
  bool has_reason = i < text.len;
  Span all = {src, at - 11, at + (int32_t)text.len};
  if (!codes.len) {
    Diag *d = diag_at(c, E0012, all, "suppression comment names no code");
    diag_help(c, d, "write the code and why: # ecsc:ignore W0572 the tag is set by the deploy job");
    return;
  }
  if (!has_reason) {
    Diag *d = diag_at(c, E0012, all, "suppression comment gives no reason");
    diag_help(c, d, "say why after the code, so that a reviewer can judge it: "
                    "# ecsc:ignore %.*s REASON", S(codes));
    return;
  }
  for (ptrdiff_t k = 0; k < codes.len;) {
    ptrdiff_t e = k;
    while (e < codes.len && codes.ptr[e] != ',')
      e++;
    Str name = {codes.ptr + k, e - k};
    Span span = {src, at + (int32_t)(codes_beg + k), at + (int32_t)(codes_beg + e)};
    DiagCode code;
    const DiagInfo *info = name.len ? diag_lookup(name, &code) : NULL;
    const char *now = info ? NULL : diag_retired(name);
    if (now) {
      Diag *d = diag_at(c, E0012, span, "diagnostic code %.*s in a suppression comment is "
                        "retired: %s", S(name), now);
      diag_help(c, d, "remove %.*s from the comment", S(name));
    } else if (!info) {
      Diag *d = diag_at(c, E0012, span.start < span.end ? span : all,
                        "unknown diagnostic code \"%.*s\" in a suppression comment", S(name));
      did_you_mean_code(c, d, name);
    } else if (info->severity == SEV_ERROR) {
      Diag *d = diag_at(c, E0013, span, "error %.*s cannot be suppressed", S(name));
      diag_help(c, d, "fix what it reports; only warnings and notes can be suppressed");
    } else {
      add_ignore(c, s, (Ignore){src, target, span, code, false});
    }
    k = e + 1;
  }
}

// Reads the suppression comments of every source loaded since the last call.
void suppress_scan(Compilation *c) {
  Suppressions *s = state(c);
  for (; s && s->scanned < c->sources.len; s->scanned++) {
    Source *src = c->sources.items[s->scanned];
    if (!src->text.ptr || !memmem(src->text.ptr, (size_t)src->text.len, "ecsc:ignore", 11))
      continue;
    source_linecol(&c->arena, src, 0);  // builds the line index
    for (int32_t line = 1; line <= src->nlines; line++) {
      ptrdiff_t col;
      Str text = directive(source_line(&c->arena, src, line), &col);
      if (!text.ptr)
        continue;
      // The line it applies to: the next one that is not a suppression too.
      int32_t target = line + 1;
      ptrdiff_t ignored;
      while (target <= src->nlines && directive(source_line(&c->arena, src, target), &ignored).ptr)
        target++;
      int32_t at = (int32_t)(text.ptr - src->text.ptr);
      parse_directive(c, s, src, at, text, target);
    }
  }
}

// FNV-1a over what makes two diagnostics the same one.
static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001b3u;
  return h;
}

// True the first time a diagnostic with this hash is suppressed.
static bool first_time(Compilation *c, Suppressions *s, uint64_t h) {
  Str key = {(const char *)&h, sizeof h};
  if (map_get(s->seen, key))
    return false;
  *map_slot(&s->seen, str_dup(&c->arena, key), &c->arena) = s;  // any non-NULL value
  return true;
}

static bool by_comment(Compilation *c, Suppressions *s, DiagCode code, Span span) {
  if (!s->ignores.len || !span.src)
    return false;
  int32_t line = 0;
  bool found = false;
  for (ptrdiff_t i = 0; i < s->ignores.len; i++) {
    Ignore *ig = &s->ignores.items[i];
    if (ig->src != span.src || ig->code != code)
      continue;
    if (!line)
      line = source_linecol(&c->arena, span.src, span.start).line;
    if (ig->line == line) {
      ig->used = true;
      found = true;
    }
  }
  return found;
}

// The filter: whether the diagnostic (code, span, message) is suppressed;
// counts it in c->nsuppressed the first time. diag.c asks for every warning
// and note (errors never reach it: E0013 and --disable refuse to name them).
__attribute__((format(printf, 5, 0))) static bool match(Compilation *c, void *ctx, DiagCode code,
                                                        Span span, const char *fmt, va_list ap) {
  Suppressions *s = ctx;
  bool hit = by_comment(c, s, code, span);
  if (!hit && !(s->disabled && s->disabled[code]))
    return false;
  char message[512];
  vsnprintf(message, sizeof message, fmt, ap);
  uint64_t h = 0xcbf29ce484222325u;
  int32_t where[3] = {span.src ? span.src->index : -1, span.start, span.end};
  h = mix(h, &code, sizeof code);
  h = mix(h, where, sizeof where);
  h = mix(h, message, strlen(message));
  if (first_time(c, s, h))
    c->nsuppressed++;
  return true;
}

// W0002 for each suppression that suppressed nothing. Called once every
// stage that reports warnings has run: before that, "unused" is not known.
// A warning of build's comparison with the previous build in DIR
// (rebuild_update.c, rebuild_retire.c, rebuild_retire_network.c,
// rebuild_retire_params.c, rebuild_nat.c, rebuild_costs.c) comes after every
// stage, and only where DIR says so: its suppression is not judged, as lint
// never reads DIR.
static bool judged_against_dir(DiagCode code) {
  switch (code) {
  case W1161:
  case W1170:
  case W1171:
  case W1190:
  case W1191:
  case W1192:
  case W1211:
  case W1212:
  case W1230:
  case W1231:
  case W1232:
  case W1233:
  case W1234:
  case W1235:
  case W1236:
  case W1237:
  case W1240:
  case W1241:
    return true;
  default:
    return false;
  }
}

void suppress_report_unused(Compilation *c) {
  Suppressions *s = state(c);
  for (ptrdiff_t i = 0; s && i < s->ignores.len; i++) {
    Ignore *ig = &s->ignores.items[i];
    if (ig->used || judged_against_dir(ig->code))
      continue;
    const char *name = diag_info(ig->code)->name;
    Diag *d = diag_at(c, W0002, ig->at, "nothing to suppress: no %s on line %d", name,
                      (int)ig->line);
    diag_help(c, d, "remove the comment, or move it to the line before the %s", name);
  }
}
