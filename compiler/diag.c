// diag.c: collecting diagnostics and printing them the one way ecsc prints
// them: "file:line:col: error[E0301]: message", the source line, a caret under
// the whole span, then note: and help: lines. Errors are collected, never
// fatal: a stage reports and carries on, and the driver decides what runs next.
#include "base.h"

#include <stdio.h>
#include <string.h>

#define DIAG_CODE(code, sev, title, text) {#code, sev, title, text},
static const DiagInfo catalog[] = {
#include "diag_codes.h"
};
#undef DIAG_CODE

const DiagInfo *diag_info(DiagCode code) {
  return &catalog[code];
}

const DiagInfo *diag_lookup(Str name, DiagCode *code) {
  for (int i = 0; i < DIAG_CODE_COUNT; i++) {
    if (str_eq_c(name, catalog[i].name)) {
      *code = (DiagCode)i;
      return &catalog[i];
    }
  }
  return NULL;
}

// Past MAX_ERRORS, diagnostics are counted but not kept: callers still get a
// Diag to hang notes on, it just is not linked in.
__attribute__((format(printf, 5, 0))) static Diag *add(Compilation *c, DiagCode code, Span span,
                                                      Str path, const char *fmt, va_list ap) {
  Diag *d = new(&c->arena, Diag, 1);
  d->code = code;
  d->severity = catalog[code].severity;
  d->span = span;
  d->path = span.src ? span.src->path : path;
  d->message = str_vfmt(&c->arena, fmt, ap);
  if (d->severity == SEV_ERROR)
    c->nerrors++;
  else if (d->severity == SEV_WARNING)
    c->nwarnings++;
  if (c->nerrors + c->nwarnings > MAX_ERRORS) {
    c->nsuppressed++;
    return d;
  }
  *c->diags_tail = d;
  c->diags_tail = &d->next;
  return d;
}

Diag *diag_at(Compilation *c, DiagCode code, Span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Diag *d = add(c, code, span, (Str){0}, fmt, ap);
  va_end(ap);
  return d;
}

Diag *diag_file(Compilation *c, DiagCode code, Str path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Diag *d = add(c, code, (Span){0}, path, fmt, ap);
  va_end(ap);
  return d;
}

static void append(DiagNote **list, DiagNote *n) {
  while (*list)
    list = &(*list)->next;
  *list = n;
}

void diag_note(Compilation *c, Diag *d, Span span, const char *fmt, ...) {
  DiagNote *n = new(&c->arena, DiagNote, 1);
  n->span = span;
  va_list ap;
  va_start(ap, fmt);
  n->text = str_vfmt(&c->arena, fmt, ap);
  va_end(ap);
  append(&d->notes, n);
}

void diag_help(Compilation *c, Diag *d, const char *fmt, ...) {
  DiagNote *n = new(&c->arena, DiagNote, 1);
  va_list ap;
  va_start(ap, fmt);
  n->text = str_vfmt(&c->arena, fmt, ap);
  va_end(ap);
  append(&d->help, n);
}

// Optimal string alignment distance (Levenshtein plus transpositions), as git
// uses for its "did you mean". Names are short, so a stack matrix suffices.
static int edit_distance(Str a, Str b) {
  enum { MAX = 64 };
  if (a.len >= MAX || b.len >= MAX)
    return MAX;
  int d[MAX][MAX];
  for (int i = 0; i <= a.len; i++)
    d[i][0] = i;
  for (int j = 0; j <= b.len; j++)
    d[0][j] = j;
  for (int i = 1; i <= a.len; i++) {
    for (int j = 1; j <= b.len; j++) {
      int cost = a.ptr[i - 1] != b.ptr[j - 1];
      int best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < best)
        best = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a.ptr[i - 1] == b.ptr[j - 2] && a.ptr[i - 2] == b.ptr[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[a.len][b.len];
}

// The closest name within a third of the wrong name's length (at least one
// edit), ties broken alphabetically; an empty Str when nothing is close.
Str diag_closest(Str wrong, const Str *names, ptrdiff_t n) {
  int limit = (int)(wrong.len + 2) / 3;
  if (limit < 1)
    limit = 1;
  Str best = {0};
  int best_dist = limit + 1;
  for (ptrdiff_t i = 0; i < n; i++) {
    int dist = edit_distance(wrong, names[i]);
    if (dist < best_dist || (dist == best_dist && best.len && str_cmp(names[i], best) < 0)) {
      best = names[i];
      best_dist = dist;
    }
  }
  return best_dist <= limit ? best : (Str){0};
}

void diag_did_you_mean(Compilation *c, Diag *d, Str wrong, const Str *names, ptrdiff_t n) {
  Str best = diag_closest(wrong, names, n);
  if (best.len)
    diag_help(c, d, "did you mean \"%.*s\"?", S(best));
}

typedef struct {
  const char *bold, *error, *warning, *note, *help, *caret, *reset;
} Palette;

static const Palette plain = {"", "", "", "", "", "", ""};
static const Palette ansi = {"\033[1m",    "\033[1;31m", "\033[1;35m", "\033[1;36m",
                             "\033[1;32m", "\033[1;32m", "\033[0m"};

static void location(Compilation *c, Buf *out, Span span, Str path) {
  if (!span.src) {
    buf_printf(out, "%.*s: ", S(path));
    return;
  }
  LineCol lc = source_linecol(&c->arena, span.src, span.start);
  buf_printf(out, "%.*s:%d:%d: ", S(span.src->path), lc.line, lc.col);
}

static int codepoints(Str s) {
  int n = 0;
  for (ptrdiff_t i = 0; i < s.len; i++)
    n += (s.ptr[i] & 0xC0) != 0x80;
  return n;
}

// Step back to the start of a UTF-8 sequence, so a window never splits one.
static ptrdiff_t char_start(Str line, ptrdiff_t i) {
  while (i > 0 && i < line.len && (line.ptr[i] & 0xC0) == 0x80)
    i--;
  return i;
}

// Prints the source line and carets under the span's part on that line. Very
// long lines (a minified or generated file) are shown as a window around the
// span, so one diagnostic never prints a megabyte.
static void snippet(Compilation *c, Buf *out, Span span, const Palette *p) {
  enum { WIDTH = 120, BEFORE = 40 };
  LineCol lc = source_linecol(&c->arena, span.src, span.start);
  Str line = source_line(&c->arena, span.src, lc.line);
  ptrdiff_t line_beg = line.ptr - span.src->text.ptr;
  ptrdiff_t from = span.start - line_beg;
  ptrdiff_t to = (span.end > span.start ? span.end : span.start + 1) - line_beg;
  if (from > line.len)
    from = line.len;
  if (to > line.len)
    to = line.len > from ? line.len : from + 1;
  ptrdiff_t win_beg = 0, win_end = line.len;
  if (line.len > WIDTH + BEFORE) {
    win_beg = char_start(line, from > BEFORE ? from - BEFORE : 0);
    win_end = char_start(line, win_beg + WIDTH < line.len ? win_beg + WIDTH : line.len);
    if (win_end < line.len && to > win_end)
      to = win_end;
  }
  const char *pre = win_beg > 0 ? "..." : "";
  const char *post = win_end < line.len ? "..." : "";
  Str shown = {line.ptr + win_beg, win_end - win_beg};
  buf_printf(out, "    %s%.*s%s\n", pre, S(shown), post);
  buf_printf(out, "    %s", pre);
  for (ptrdiff_t i = win_beg; i < from; i++) {
    if (line.ptr[i] == '\t')
      buf_putc(out, '\t');
    else if ((line.ptr[i] & 0xC0) != 0x80)
      buf_putc(out, ' ');
  }
  int width = from < line.len ? codepoints((Str){line.ptr + from, to - from}) : 1;
  buf_puts(out, p->caret);
  buf_pad(out, '^', width > 0 ? width : 1);
  buf_printf(out, "%s\n", p->reset);
}

static void render_one(Compilation *c, Buf *out, Diag *d, const Palette *p) {
  static const char *const sev_name[] = {"error", "warning", "note"};
  const char *color = d->severity == SEV_ERROR ? p->error : p->warning;
  buf_puts(out, p->bold);
  location(c, out, d->span, d->path);
  buf_printf(out, "%s%s%s[%s]%s%s: %.*s%s\n", p->reset, color, sev_name[d->severity],
             catalog[d->code].name, p->reset, p->bold, S(d->message), p->reset);
  if (d->span.src)
    snippet(c, out, d->span, p);
  for (DiagNote *n = d->notes; n; n = n->next) {
    if (n->span.src) {
      buf_puts(out, p->bold);
      location(c, out, n->span, (Str){0});
      buf_puts(out, p->reset);
    }
    buf_printf(out, "%snote%s: %.*s\n", p->note, p->reset, S(n->text));
  }
  for (DiagNote *n = d->help; n; n = n->next)
    buf_printf(out, "%shelp%s: %.*s\n", p->help, p->reset, S(n->text));
}

void diag_render(Compilation *c, Buf *out, DiagStyle style) {
  const Palette *p = style.color ? &ansi : &plain;
  for (Diag *d = c->diags; d; d = d->next)
    render_one(c, out, d, p);
}

static void count(Buf *out, int n, const char *what) {
  buf_printf(out, "%d %s%s", n, what, n == 1 ? "" : "s");
}

// "ecsc: 2 errors, 1 warning", or nothing when there is nothing to say.
void diag_summary(Compilation *c, Buf *out) {
  if (c->nerrors == 0 && c->nwarnings == 0)
    return;
  buf_puts(out, "ecsc: ");
  if (c->nerrors)
    count(out, c->nerrors, "error");
  if (c->nerrors && c->nwarnings)
    buf_puts(out, ", ");
  if (c->nwarnings)
    count(out, c->nwarnings, "warning");
  if (c->nsuppressed)
    buf_printf(out, " (%d not shown)", c->nsuppressed);
  if (c->strict && c->nwarnings)
    buf_puts(out, " (warnings are errors under --strict)");
  buf_putc(out, '\n');
}
