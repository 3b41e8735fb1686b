// diag.c: collecting diagnostics and printing them the one way ecsc prints
// them: "file:line:col: error[E0301]: message", the source line, a caret under
// the whole span, then note: and help: lines. Errors are collected, never
// fatal: a stage reports and carries on, and the driver decides what runs next.
#include "base.h"

#include <stdio.h>
#include <string.h>
#include <uniwidth.h>

#define DIAG_CODE(code, sev, title, text) {#code, sev, title, text},
static const DiagInfo catalog[] = {
#include "diag_codes.h"
};
#undef DIAG_CODE

// strerror's text in the house style: "no such file or directory".
Str diag_errno(Arena *a, int err) {
  char *s = str_cstr(a, str_c(strerror(err)));
  if (s[0] >= 'A' && s[0] <= 'Z')
    s[0] = (char)(s[0] + 'a' - 'A');
  return str_c(s);
}

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

// Codes ecsc reported once and no longer does, with what says their case
// now: a suppression comment or `ecsc explain` naming one is told so,
// rather than "unknown code" and a guess at a neighbour.
static const struct {
  const char *name, *now;
} retired[] = {
    {"E0701", "a service state reads only outputs its VPC state writes: one model makes both"},
    {"E0922", "an EFS transit encryption port without transit encryption is a warning, W1120"},
    {"E0981", "managed scaling's min_step above its max_step is a warning, W0981"},
    {"E1028", "Service Connect clients in a namespace no service serves is a warning, W1121"},
    {"E1170", "blue-green deployments behind the load balancer are supported (E1172-E1180)"},
    {"E1171", "traffic-shifting deployments with Service Connect are supported (E1172-E1180)"},
    {"W1141", "an EBS volume on Bottlerocket instances is an error, E1142"},
    {"W1147", "ELB takes up to five values in one listener rule condition, as in the whole "
              "rule: past five in the rule is an error, E0542"},
    {"W1160", "Service Connect above 1,000 tasks is an error, E1181"},
    {"W1172", "a listener rule's new priority is set in place (SetRulePriorities): its "
              "forward weights, ECS's, stay as they are"},
};

const char *diag_retired(Str name) {
  for (int i = 0; i < countof(retired); i++)
    if (str_eq_c(name, retired[i].name))
      return retired[i].now;
  return NULL;
}

// A diagnostic quotes the user's text, which may be megabytes (a value
// pasted from a file, a generated name, a path): every string argument of a
// message, note or help is a value and shows at most VALUE_MAX bytes, quoted
// ("\"%.*s\"", as messages quote values and names) or not (an image or a
// name in a help's command). A text of ecsc's own that may be longer (a
// schema doc, AWS's ARN patterns, a help composed by diag_fmt) is bounded by
// its format instead, "%.1024s": a C string, at most that many bytes. A cut
// keeps both ends and says so, after the quote:
//   agent setting ECS_X = "aaaa...aa" (6291456 bytes, cut) is not true or false
// Two findings at one place whose texts differed only inside a cut would read
// alike, and add() would keep the first only: the kept ends make that rare.
enum { VALUE_MAX = 128 };

// Puts s, or its head and tail around "..." in max bytes at most, each
// ending or starting on a UTF-8 character's start: names differ at their ends
// ("...-exec", "...-task"), and so should their cut quotes. Whether it cut.
static bool put_cut(Buf *b, Str s, ptrdiff_t max) {
  if (s.len <= max) {
    buf_put(b, s);
    return false;
  }
  ptrdiff_t head = max * 2 / 3, tail = s.len - (max - head - 3);
  for (int back = 0; back < 3 && head > 0 && (s.ptr[head] & 0xC0) == 0x80; back++)
    head--;
  for (int on = 0; on < 3 && tail < s.len && (s.ptr[tail] & 0xC0) == 0x80; on++)
    tail++;
  buf_put(b, (Str){s.ptr, head});
  buf_puts(b, "...");
  buf_put(b, (Str){s.ptr + tail, s.len - tail});
  return true;
}

// One conversion of a format, with its stars taken from the arguments and
// written out as numbers, so that spec formats alone.
typedef struct {
  char spec[48];
  int precision;   // -1 when none
  bool bound;      // the precision was given in digits: "%.1024s", the format's own bound
  bool width;      // a width was given
  char length[3];  // "", "h", "hh", "l", "ll", "z", "t", "j" or "L"
  char conv;       // 's', 'd', ...
} Conversion;

// Reads the conversion at p ('%'), taking any star's int from ap; returns
// what follows it.
static const char *conversion(const char *p, va_list *ap, Conversion *cv) {
  int n = 0;
  cv->spec[n++] = *p++;
  cv->precision = -1;
  cv->bound = false;
  while (*p && strchr("-+ #0", *p) && n < 6)
    cv->spec[n++] = *p++;
  cv->width = *p == '*' || (*p >= '1' && *p <= '9');
  if (*p == '*') {
    n += snprintf(cv->spec + n, 12, "%d", va_arg(*ap, int));
    p++;
  }
  while (*p >= '0' && *p <= '9' && n < 24)
    cv->spec[n++] = *p++;
  if (*p == '.') {
    cv->spec[n++] = *p++;
    cv->precision = 0;
    cv->bound = *p != '*';
    if (*p == '*') {
      cv->precision = va_arg(*ap, int);
      p++;
    }
    if (cv->precision < 0)  // as printf takes a negative precision: none
      cv->precision = -1;
    while (*p >= '0' && *p <= '9' && cv->precision < 100000)
      cv->precision = cv->precision * 10 + (*p++ - '0');
    n += snprintf(cv->spec + n, 12, "%d", cv->precision);
  }
  int l = 0;
  while (*p && strchr("hlztjL", *p) && l < 2)
    cv->length[l++] = cv->spec[n++] = *p++;
  cv->length[l] = 0;
  cv->conv = cv->spec[n++] = *p ? *p++ : '%';
  cv->spec[n] = 0;
  return p;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
// A conversion other than a string's, as printf formats it: the argument's
// type is the one its length and conversion name.
static void put_other(Buf *b, const Conversion *cv, va_list *ap) {
#define PUT(type) buf_printf(b, cv->spec, va_arg(*ap, type))
  const char *l = cv->length;
  bool ll = !strcmp(l, "ll"), lo = !strcmp(l, "l"), zt = *l == 'z' || *l == 't', j = *l == 'j';
  switch (cv->conv) {
  case 'd':
  case 'i':
    ll ? PUT(long long) : lo ? PUT(long) : zt ? PUT(ptrdiff_t) : j ? PUT(intmax_t) : PUT(int);
    return;
  case 'u':
  case 'o':
  case 'x':
  case 'X':
    ll ? PUT(unsigned long long) : lo ? PUT(unsigned long) : zt ? PUT(size_t) : j ? PUT(uintmax_t)
                                                                           : PUT(unsigned);
    return;
  case 'c':
    PUT(int);
    return;
  case 'p':
    PUT(void *);
    return;
  case 'e':
  case 'E':
  case 'f':
  case 'F':
  case 'g':
  case 'G':
  case 'a':
  case 'A':
    *l == 'L' ? PUT(long double) : PUT(double);
    return;
  default:
    buf_putc(b, '%');  // "%%"
  }
#undef PUT
}

// A string argument, cut at its bound: VALUE_MAX, or the format's own
// ("%.1024s"). One with a width ("%-20s") or a bound below VALUE_MAX ("%.3s"),
// which no message uses, is formatted as printf would. Returns what follows
// it in fmt.
static const char *put_string(Buf *b, const char *after, const Conversion *cv, va_list *ap) {
  const char *s = va_arg(*ap, const char *);
  if (!s)
    s = cv->precision < 0 || cv->precision >= 6 ? "(null)" : "";
  if (cv->width || (cv->bound && cv->precision < VALUE_MAX)) {
    buf_printf(b, cv->spec, s);
    return after;
  }
  Str v = {s, cv->precision >= 0 && !cv->bound ? (ptrdiff_t)strnlen(s, (size_t)cv->precision)
                                               : (ptrdiff_t)strlen(s)};
  // Quoted ("\"%.*s\"", "\":%.*s\""): the cut is said after the closing quote.
  bool quoted = *after == '"';
  if (!put_cut(b, v, cv->bound ? cv->precision : VALUE_MAX))
    return after;
  if (quoted)
    buf_putc(b, *after++);
  buf_printf(b, " (%td bytes, cut)", v.len);
  return after;
}
#pragma GCC diagnostic pop

// vsnprintf, with string arguments bounded as above. A message short enough
// to hold no cut is formatted by vsnprintf itself. NUL-terminated.
__attribute__((format(printf, 2, 0))) static Str bounded_vfmt(Arena *a, const char *fmt,
                                                               va_list ap) {
  va_list args;
  va_copy(args, ap);
  int n = vsnprintf(NULL, 0, fmt, args);
  va_end(args);
  if (n <= VALUE_MAX)
    return str_vfmt(a, fmt, ap);
  Buf b = {.arena = a};
  va_copy(args, ap);
  for (const char *p = fmt; *p;) {
    const char *at = strchr(p, '%');
    if (!at) {
      buf_puts(&b, p);
      break;
    }
    buf_put(&b, (Str){p, at - p});
    Conversion cv;
    p = conversion(at, &args, &cv);
    if (cv.conv == 's')
      p = put_string(&b, p, &cv, &args);
    else
      put_other(&b, &cv, &args);
  }
  va_end(args);
  return buf_str(&b);
}

const char *diag_vfmt(Arena *a, const char *fmt, va_list ap) {
  return bounded_vfmt(a, fmt, ap).ptr;
}

const char *diag_fmt(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *s = diag_vfmt(a, fmt, ap);
  va_end(ap);
  return s;
}

// Whether the driver's filter drops the diagnostic: it is then counted by
// the filter, never formatted or kept. An error is never the filter's to drop.
__attribute__((format(printf, 4, 0))) static bool filtered(Compilation *c, DiagCode code, Span span,
                                                          const char *fmt, va_list ap) {
  if (!c->filter.fn || catalog[code].severity == SEV_ERROR)
    return false;
  va_list copy;
  va_copy(copy, ap);
  bool drop = c->filter.fn(c, c->filter.ctx, code, span, fmt, copy);
  va_end(copy);
  return drop;
}

// Past MAX_ERRORS, diagnostics are counted but not kept: callers still get a
// Diag to hang notes on, it just is not linked in. So does a filtered one.
__attribute__((format(printf, 5, 0))) static Diag *add(Compilation *c, DiagCode code, Span span,
                                                      Str path, const char *fmt, va_list ap) {
  c->nreported++;
  if (filtered(c, code, span, fmt, ap))
    return &c->sink;
  // Past the cap, count and format nothing: a hostile file of a million
  // errors must cost a counter, not a million messages.
  if (c->nerrors + c->nwarnings >= MAX_ERRORS) {
    Severity sev = catalog[code].severity;
    c->nerrors += sev == SEV_ERROR;
    c->nwarnings += sev == SEV_WARNING;
    c->nunshown++;
    c->sink = (Diag){.code = code, .severity = sev};
    return &c->sink;
  }
  Diag *d = new(&c->arena, Diag, 1);
  d->code = code;
  d->severity = catalog[code].severity;
  d->span = span;
  d->path = span.src ? span.src->path : path;
  d->message = bounded_vfmt(&c->arena, fmt, ap);
  // The same finding twice (a rule checked once per environment, a template
  // cycle met from every service on it) is said once, its first notes and
  // helps kept: so a check whose notes or helps differ per environment (a
  // state to apply, a cluster's name) names the environment in its message
  // too, and each environment's is said (review10 B1: W1192, W1170).
  for (Diag *o = c->diags; o; o = o->next)
    if (o->code == code && o->span.src == span.src && o->span.start == span.start &&
        o->span.end == span.end && str_eq(o->message, d->message))
      return d;
  if (d->severity == SEV_ERROR)
    c->nerrors++;
  else if (d->severity == SEV_WARNING)
    c->nwarnings++;
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

DiagMark diag_mark(Compilation *c) {
  return (DiagMark){arena_mark(&c->arena), c->nreported, c->diags_tail, c->nerrors, c->nwarnings,
                    c->nunshown};
}

void diag_rewind_if_quiet(Compilation *c, DiagMark m) {
  if (c->nreported == m.nreported)
    arena_rewind(&c->arena, m.arena);
}

void diag_rewind(Compilation *c, DiagMark m) {
  *m.tail = NULL;
  c->diags_tail = m.tail;
  c->nerrors = m.nerrors;
  c->nwarnings = m.nwarnings;
  c->nunshown = m.nunshown;
  c->nreported = m.nreported;
  arena_rewind(&c->arena, m.arena);
}

static void append(DiagNote **list, DiagNote *n) {
  while (*list)
    list = &(*list)->next;
  *list = n;
}

void diag_note(Compilation *c, Diag *d, Span span, const char *fmt, ...) {
  if (d == &c->sink)
    return;
  DiagNote *n = new(&c->arena, DiagNote, 1);
  n->span = span;
  va_list ap;
  va_start(ap, fmt);
  n->text = bounded_vfmt(&c->arena, fmt, ap);
  va_end(ap);
  append(&d->notes, n);
}

void diag_help(Compilation *c, Diag *d, const char *fmt, ...) {
  if (d == &c->sink)
    return;
  DiagNote *n = new(&c->arena, DiagNote, 1);
  va_list ap;
  va_start(ap, fmt);
  n->text = bounded_vfmt(&c->arena, fmt, ap);
  va_end(ap);
  append(&d->help, n);
}

// Optimal string alignment distance (Levenshtein plus transpositions), as git
// uses for its "did you mean". Names are short, so a stack matrix suffices.
static int edit_distance(Str a, Str b) {
  enum { MAX = 64 };
  if (a.len >= MAX || b.len >= MAX)
    return INT32_MAX / 2;  // no name is that long: never close
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
  if (d == &c->sink)
    return;
  Str best = diag_closest(wrong, names, n);
  if (best.len)
    diag_help(c, d, "did you mean \"%.*s\"?", S(best));
}

// The characters a terminal must never get raw from user text: C0 and C1
// controls (a name can hold them through \u escapes; ESC starts terminal
// commands), DEL, and the bidirectional formatting characters of Unicode
// UAX #9 (the marks U+061C, U+200E, U+200F; the embeddings and overrides
// U+202A-U+202E; the isolates U+2066-U+2069), which reorder what follows
// them on the line, so that "Trojan Source" text reads as something else.
static bool hazardous(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
         cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Messages, notes, help and paths go through this where they are printed:
// what ecsc writes itself never holds such a character, so escaping the
// whole text escapes exactly the user's part of it.
Str diag_escape(Arena *a, Str s) {
  const unsigned char *p = (const unsigned char *)s.ptr;
  ptrdiff_t i = 0;
  int n;
  while (i < s.len && (n = source_utf8_length(p + i, s.len - i)) && !hazardous(source_utf8_decode(p + i, n)))
    i += n;
  if (i == s.len)
    return s;
  Buf b = {.arena = a};
  buf_put(&b, (Str){s.ptr, i});
  while (i < s.len) {
    n = source_utf8_length(p + i, s.len - i);
    if (!n)
      buf_printf(&b, "\\x%02x", p[i]);
    else if (hazardous(source_utf8_decode(p + i, n)))
      buf_printf(&b, "\\u%04x", source_utf8_decode(p + i, n));
    else
      buf_put(&b, (Str){s.ptr + i, n});
    i += n ? n : 1;
  }
  return buf_str(&b);
}

typedef struct {
  const char *bold, *error, *warning, *note, *help, *caret, *reset;
} Palette;

static const Palette plain = {"", "", "", "", "", "", ""};
static const Palette ansi = {"\033[1m",    "\033[1;31m", "\033[1;35m", "\033[1;36m",
                             "\033[1;32m", "\033[1;32m", "\033[0m"};

static void location(Compilation *c, Buf *out, Span span, Str path) {
  if (!span.src) {
    buf_printf(out, "%.*s: ", S(diag_escape(&c->arena, path)));
    return;
  }
  LineCol lc = source_linecol(&c->arena, span.src, span.start);
  buf_printf(out, "%.*s:%d:%d: ", S(diag_escape(&c->arena, span.src->path)), lc.line, lc.col);
}

// A line is shown in "units": a UTF-8 character, a tab, or a byte that is
// not text (a control character, or no UTF-8), shown as U+FFFD so that what
// the terminal prints and where the carets go agree.
static int unit_length(Str line, ptrdiff_t i) {
  int n = source_utf8_length((const unsigned char *)line.ptr + i, line.len - i);
  return n ? n : 1;
}

static bool printable(Str line, ptrdiff_t i, int n) {
  unsigned char ch = (unsigned char)line.ptr[i];
  if (n == 1)
    return ch == '\t' || (ch >= 0x20 && ch < 0x7F);
  const unsigned char *p = (const unsigned char *)line.ptr + i;
  return source_utf8_length(p, line.len - i) == n && !hazardous(source_utf8_decode(p, n));
}

static void show(Buf *out, Str line, ptrdiff_t from, ptrdiff_t to) {
  for (ptrdiff_t i = from; i < to;) {
    int n = unit_length(line, i);
    if (printable(line, i, n))
      buf_put(out, (Str){line.ptr + i, n});
    else
      buf_puts(out, "\xEF\xBF\xBD");
    i += n;
  }
}

// How many columns a terminal gives the character at line[i], as
// libunistring's u8_width says from Unicode's data (East Asian Width, and
// zero for combining marks and other non-spacing characters): two for CJK
// and most emoji, none for a combining accent. A byte that is not text is
// shown as U+FFFD, one column.
static int columns(Str line, ptrdiff_t i) {
  int n = unit_length(line, i);
  if (line.ptr[i] == '\t' || !printable(line, i, n))
    return 1;
  int w = u8_width((const uint8_t *)line.ptr + i, (size_t)n, "UTF-8");
  return w < 0 ? 1 : w;
}

// Blanks (tabs kept) to stand under line[from, to), then the columns of [to, end).
static int pad_then_count(Buf *out, Str line, ptrdiff_t from, ptrdiff_t to, ptrdiff_t end) {
  for (ptrdiff_t i = from; i < to; i += unit_length(line, i))
    buf_pad(out, line.ptr[i] == '\t' ? '\t' : ' ', line.ptr[i] == '\t' ? 1 : columns(line, i));
  int width = 0;
  for (ptrdiff_t i = to; i < end && i < line.len; i += unit_length(line, i))
    width += columns(line, i);
  return width;
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
  if (from < 0)
    from = 0;
  if (from > line.len)
    from = line.len;
  if (to > line.len)
    to = line.len;
  ptrdiff_t win_beg = 0, win_end = line.len;
  if (line.len > WIDTH + BEFORE) {
    win_beg = char_start(line, from > BEFORE ? from - BEFORE : 0);
    win_end = char_start(line, win_beg + WIDTH < line.len ? win_beg + WIDTH : line.len);
    if (to > win_end)
      to = win_end;
  }
  const char *pre = win_beg > 0 ? "..." : "";
  buf_printf(out, "    %s", pre);
  show(out, line, win_beg, win_end);
  buf_printf(out, "%s\n    %s", win_end < line.len ? "..." : "", pre);
  int width = pad_then_count(out, line, win_beg, from, to);
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
             catalog[d->code].name, p->reset, p->bold, S(diag_escape(&c->arena, d->message)),
             p->reset);
  if (d->span.src)
    snippet(c, out, d->span, p);
  for (DiagNote *n = d->notes; n; n = n->next) {
    if (n->span.src) {
      buf_puts(out, p->bold);
      location(c, out, n->span, (Str){0});
      buf_puts(out, p->reset);
    }
    buf_printf(out, "%snote%s: %.*s\n", p->note, p->reset, S(diag_escape(&c->arena, n->text)));
  }
  for (DiagNote *n = d->help; n; n = n->next)
    buf_printf(out, "%shelp%s: %.*s\n", p->help, p->reset, S(diag_escape(&c->arena, n->text)));
}

static int32_t file_index(Diag *d) {
  Source *src = d->span.src ? d->span.src : d->file;
  return src ? src->index : -1;
}

static bool before(Diag *a, Diag *b) {
  int32_t fa = file_index(a), fb = file_index(b);
  if (fa != fb)
    return fa < fb;
  return a->span.start < b->span.start;
}

// A stable merge sort of the list: diagnostics at one place keep the order
// in which the stages reported them.
static Diag *merge_sort(Diag *list, int n) {
  if (n < 2)
    return list;
  Diag *right = list, *left = list;
  for (int i = 1; i < n / 2; i++)
    right = right->next;
  Diag *mid = right->next;
  right->next = NULL;
  left = merge_sort(left, n / 2);
  right = merge_sort(mid, n - n / 2);
  Diag *head = NULL, **tail = &head;
  while (left && right) {
    Diag **take = before(right, left) ? &right : &left;
    *tail = *take;
    tail = &(*take)->next;
    *take = (*take)->next;
  }
  *tail = left ? left : right;
  return head;
}

void diag_sort(Compilation *c) {
  int n = 0;
  for (Diag *d = c->diags; d; d = d->next)
    n++;
  c->diags = merge_sort(c->diags, n);
  c->diags_tail = &c->diags;
  while (*c->diags_tail)
    c->diags_tail = &(*c->diags_tail)->next;
}

void diag_render(Compilation *c, Buf *out, DiagStyle style) {
  const Palette *p = style.color ? &ansi : &plain;
  for (Diag *d = c->diags; d; d = d->next)
    render_one(c, out, d, p);
}

static void count(Buf *out, int n, const char *what) {
  buf_printf(out, "%d %s%s", n, what, n == 1 ? "" : "s");
}

// "ecsc: 2 errors, 1 warning, 3 suppressed", or nothing when there is
// nothing to say.
void diag_summary(Compilation *c, Buf *out) {
  if (c->nerrors == 0 && c->nwarnings == 0 && c->nsuppressed == 0)
    return;
  buf_puts(out, "ecsc: ");
  if (c->nerrors)
    count(out, c->nerrors, "error");
  if (c->nerrors && c->nwarnings)
    buf_puts(out, ", ");
  if (c->nwarnings)
    count(out, c->nwarnings, "warning");
  if (c->nunshown)
    buf_printf(out, " (%d not shown)", c->nunshown);
  if (c->nsuppressed)
    buf_printf(out, "%s%d suppressed", c->nerrors || c->nwarnings ? ", " : "", c->nsuppressed);
  if (c->strict && c->nwarnings)
    buf_puts(out, " (warnings are errors under --strict)");
  buf_putc(out, '\n');
}
