// report.c: the diagnostics in the forms CI reads, each one document on
// standard output: --format=json (ecsc's own, versioned), --format=sarif
// (SARIF 2.1.0, for GitHub code scanning and other SARIF viewers) and
// --format=github (workflow commands that GitHub Actions turns into
// annotations on the lines). The text form is diag.c's. Like the emitters,
// it builds JSON with Jansson and dumps it through jsonout.c.
#include "emit.h"

#include <jansson.h>
#include <string.h>

static const char *const severity_name[] = {"error", "warning", "note"};

// Jansson takes only UTF-8, and a file's name need not be: bytes that are
// not become U+FFFD rather than a silently missing field.
static json_t *text(Str s) {
  Arena scratch = {0};
  Str clean = source_utf8_clean(&scratch, s);
  json_t *j = json_stringn_nocheck(clean.ptr, (size_t)clean.len);
  arena_free(&scratch);
  return j;
}

typedef struct {
  int line, col, end_line, end_col;  // end_col just past the span; 0: no place
} Place;

static Place place_of(Compilation *c, Span span) {
  if (!span.src)
    return (Place){0};
  LineCol beg = source_linecol(&c->arena, span.src, span.start);
  LineCol end = source_linecol(&c->arena, span.src, span.end);
  return (Place){beg.line, beg.col, end.line, end.col};
}

// A place in a command-line argument (--set): no file a CI annotation or a
// SARIF viewer could open, so those formats name the argument in the text.
static bool in_argument(Span s) {
  return s.src && s.src->option.len;
}

// "--set image=x: " before a message about that argument.
static void argument_prefix(Arena *a, Buf *b, Span s) {
  if (in_argument(s))
    buf_printf(b, "%.*s %.*s: ", S(s.src->option), S(diag_escape(a, s.src->text)));
}

typedef struct {
  int errors, warnings, suppressed, unshown;
} Totals;

static Totals totals(Compilation *cs, ptrdiff_t n) {
  Totals t = {0};
  for (ptrdiff_t i = 0; i < n; i++) {
    t.errors += cs[i].nerrors;
    t.warnings += cs[i].nwarnings;
    t.suppressed += cs[i].nsuppressed;
    t.unshown += cs[i].nunshown;
  }
  return t;
}

//
// --format=json
//

static json_t *json_place(Compilation *c, Span span, Str path, json_t *obj) {
  Place p = place_of(c, span);
  json_object_set_new(obj, "file", text(path));
  json_object_set_new(obj, "line", p.line ? json_integer(p.line) : json_null());
  json_object_set_new(obj, "column", p.line ? json_integer(p.col) : json_null());
  json_object_set_new(obj, "end_line", p.line ? json_integer(p.end_line) : json_null());
  json_object_set_new(obj, "end_column", p.line ? json_integer(p.end_col) : json_null());
  return obj;
}

static json_t *json_diagnostic(Compilation *c, Diag *d) {
  const DiagInfo *info = diag_info(d->code);
  json_t *obj = json_place(c, d->span, d->path, json_object());
  json_object_set_new(obj, "severity", json_string(severity_name[d->severity]));
  json_object_set_new(obj, "code", json_string(info->name));
  json_object_set_new(obj, "message", text(d->message));
  json_t *notes = json_array();
  for (DiagNote *n = d->notes; n; n = n->next) {
    Str file = n->span.src ? n->span.src->path : d->path;
    json_t *note = json_place(c, n->span, file, json_object());
    json_object_set_new(note, "message", text(n->text));
    json_array_append_new(notes, note);
  }
  json_object_set_new(obj, "notes", notes);
  json_t *help = json_array();
  for (DiagNote *n = d->help; n; n = n->next)
    json_array_append_new(help, text(n->text));
  json_object_set_new(obj, "help", help);
  // Where the code is documented: the command that prints its explanation.
  json_object_set_new(obj, "documentation", json_sprintf("ecsc explain %s", info->name));
  return obj;
}

// {"version": 1, "diagnostics": [...], "errors": N, "warnings": N, ...}.
// The version changes only when a key's meaning does; keys may be added.
void report_json(Compilation *cs, ptrdiff_t n, Buf *out) {
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_t *all = json_array();
  for (ptrdiff_t i = 0; i < n; i++)
    for (Diag *d = cs[i].diags; d; d = d->next)
      json_array_append_new(all, json_diagnostic(&cs[i], d));
  json_object_set_new(root, "diagnostics", all);
  Totals t = totals(cs, n);
  json_object_set_new(root, "errors", json_integer(t.errors));
  json_object_set_new(root, "warnings", json_integer(t.warnings));
  json_object_set_new(root, "suppressed", json_integer(t.suppressed));
  json_object_set_new(root, "not_shown", json_integer(t.unshown));
  buf_put(out, jsonout_dump(out->arena, root));
}

//
// --format=sarif
//
// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as
// GitHub code scanning takes it (docs.github.com, "SARIF support for code
// scanning"): each rule with shortDescription, fullDescription and help.text;
// each result with a ruleId, message.text and a location whose artifact is a
// relative URI or a file: URI, with at least region.startLine (the GH rules
// of Microsoft's SARIF validator, sarif-sdk's GH1001-GH1005 and GH2012).
// tests/sarif.sh validates the output against the official schema.

// RFC 3986: a path as a URI reference, every byte outside the unreserved
// set and the separators percent-encoded (":" too, which would otherwise
// read as a scheme in "a:b.ecs").
static void uri_path(Buf *b, Str path) {
  static const char hex[] = "0123456789ABCDEF";
  for (ptrdiff_t i = 0; i < path.len; i++) {
    unsigned char ch = (unsigned char)path.ptr[i];
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        strchr("-._~/!$&'()*+,;=@", ch) != NULL) {
      if (ch)
        buf_putc(b, (char)ch);
      else
        buf_puts(b, "%00");
    } else {
      buf_putc(b, '%');
      buf_putc(b, hex[ch >> 4]);
      buf_putc(b, hex[ch & 15]);
    }
  }
}

// The file relative to the working directory where it lies below it,
// otherwise a file: URI of its absolute path.
static json_t *artifact_uri(Arena *a, Str path, Str cwd) {
  Buf b = {.arena = a};
  if (path.len && path.ptr[0] == '/') {
    if (cwd.len && str_starts_with(path, cwd) && path.len > cwd.len &&
        (path.ptr[cwd.len] == '/' || str_eq_c(cwd, "/"))) {
      ptrdiff_t skip = cwd.len + (str_eq_c(cwd, "/") ? 0 : 1);
      uri_path(&b, (Str){path.ptr + skip, path.len - skip});
    } else {
      buf_puts(&b, "file://");
      uri_path(&b, path);
    }
  } else {
    while (str_starts_with(path, STR("./")))
      path = (Str){path.ptr + 2, path.len - 2};
    uri_path(&b, path);
  }
  Str s = buf_str(&b);
  return json_stringn(s.ptr, (size_t)s.len);
}

static json_t *sarif_text(const char *s) {
  json_t *obj = json_object();
  json_object_set_new(obj, "text", json_string(s));
  return obj;
}

static json_t *sarif_location(Compilation *c, Span span, Str path, Str cwd) {
  Place p = place_of(c, span);
  json_t *artifact = json_object();
  json_object_set_new(artifact, "uri", artifact_uri(&c->arena, path, cwd));
  json_t *region = json_object();
  // A problem with a whole file is put on its first line: GitHub shows a
  // result only with a line.
  json_object_set_new(region, "startLine", json_integer(p.line ? p.line : 1));
  if (p.line) {
    json_object_set_new(region, "startColumn", json_integer(p.col));
    json_object_set_new(region, "endLine", json_integer(p.end_line));
    json_object_set_new(region, "endColumn", json_integer(p.end_col));
  }
  json_t *physical = json_object();
  json_object_set_new(physical, "artifactLocation", artifact);
  json_object_set_new(physical, "region", region);
  json_t *loc = json_object();
  json_object_set_new(loc, "physicalLocation", physical);
  return loc;
}

static json_t *sarif_rules(void) {
  json_t *rules = json_array();
  for (int i = 0; i < DIAG_CODE_COUNT; i++) {
    const DiagInfo *info = diag_info((DiagCode)i);
    json_t *rule = json_object();
    json_object_set_new(rule, "id", json_string(info->name));
    json_object_set_new(rule, "shortDescription", sarif_text(info->title));
    json_object_set_new(rule, "fullDescription", sarif_text(info->text));
    json_t *help = json_object();
    json_object_set_new(help, "text", json_sprintf("%s\n\n`ecsc explain %s` prints this.",
                                                   info->text, info->name));
    json_object_set_new(rule, "help", help);
    json_t *config = json_object();
    json_object_set_new(config, "level", json_string(severity_name[info->severity]));
    json_object_set_new(rule, "defaultConfiguration", config);
    json_array_append_new(rules, rule);
  }
  return rules;
}

// The message with the help lines, and the notes that have no place: SARIF
// viewers show message.text alone.
static json_t *sarif_message(Compilation *c, Diag *d) {
  Buf b = {.arena = &c->arena};
  argument_prefix(&c->arena, &b, d->span);
  buf_put(&b, d->message);
  for (DiagNote *n = d->notes; n; n = n->next)
    if (!n->span.src || in_argument(n->span)) {
      buf_puts(&b, "\nnote: ");
      argument_prefix(&c->arena, &b, n->span);
      buf_put(&b, n->text);
    }
  for (DiagNote *n = d->help; n; n = n->next)
    buf_printf(&b, "\nhelp: %.*s", S(n->text));
  json_t *msg = json_object();
  json_object_set_new(msg, "text", text(buf_str(&b)));
  return msg;
}

static json_t *sarif_result(Compilation *c, Diag *d, Str cwd) {
  json_t *r = json_object();
  json_object_set_new(r, "ruleId", json_string(diag_info(d->code)->name));
  json_object_set_new(r, "ruleIndex", json_integer(d->code));
  json_object_set_new(r, "level", json_string(severity_name[d->severity]));
  json_object_set_new(r, "message", sarif_message(c, d));
  json_t *locs = json_array();
  // GitHub code scanning refuses a result without a file: one about an
  // argument goes on the first line of the root file it was given with.
  if (in_argument(d->span))
    json_array_append_new(locs, sarif_location(c, (Span){0}, c->sources.items[0]->path, cwd));  // root first
  else
    json_array_append_new(locs, sarif_location(c, d->span, d->path, cwd));
  json_object_set_new(r, "locations", locs);
  json_t *related = json_array();
  int id = 1;
  for (DiagNote *n = d->notes; n; n = n->next) {
    if (!n->span.src || in_argument(n->span))
      continue;
    json_t *loc = sarif_location(c, n->span, n->span.src->path, cwd);
    json_object_set_new(loc, "id", json_integer(id++));
    json_t *msg = json_object();
    json_object_set_new(msg, "text", text(n->text));
    json_object_set_new(loc, "message", msg);
    json_array_append_new(related, loc);
  }
  if (json_array_size(related))
    json_object_set_new(r, "relatedLocations", related);
  else
    json_decref(related);
  return r;
}

void report_sarif(Compilation *cs, ptrdiff_t n, Str cwd, Buf *out) {
  json_t *driver = json_object();
  json_object_set_new(driver, "name", json_string("ecsc"));
  json_object_set_new(driver, "version", json_string(ECSC_VERSION));
  json_object_set_new(driver, "semanticVersion", json_string(ECSC_VERSION));
  json_object_set_new(driver, "rules", sarif_rules());
  json_t *tool = json_object();
  json_object_set_new(tool, "driver", driver);
  json_t *results = json_array();
  for (ptrdiff_t i = 0; i < n; i++)
    for (Diag *d = cs[i].diags; d; d = d->next)
      json_array_append_new(results, sarif_result(&cs[i], d, cwd));
  json_t *run = json_object();
  json_object_set_new(run, "tool", tool);
  json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
  json_object_set_new(run, "results", results);
  json_t *runs = json_array();
  json_array_append_new(runs, run);
  json_t *root = json_object();
  json_object_set_new(root, "$schema",
                      json_string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                                  "schemas/sarif-schema-2.1.0.json"));
  json_object_set_new(root, "version", json_string("2.1.0"));
  json_object_set_new(root, "runs", runs);
  buf_put(out, jsonout_dump(out->arena, root));
}

//
// --format=github
//
// "::error file=F,line=L,endLine=L,col=C,endColumn=E,title=CODE::MESSAGE", one
// line each: GitHub's workflow commands (docs.github.com, "Workflow commands
// for GitHub Actions"). Escaped as actions/toolkit's packages/core/src/
// command.ts does and the runner's src/Runner.Common/ActionCommand.cs undoes:
// in the message % \r \n, in a property those and : and , too. The runner
// (src/Runner.Worker/ActionCommandManager.cs, ValidateLinesAndColumns) drops
// col and endColumn unless line and endLine are equal, and an endColumn
// before col: so the columns go only on one-line spans, endColumn the last
// column of the span.

static void escape(Buf *b, Str s, bool property) {
  for (ptrdiff_t i = 0; i < s.len; i++) {
    char ch = s.ptr[i];
    if (ch == '%')
      buf_puts(b, "%25");
    else if (ch == '\r')
      buf_puts(b, "%0D");
    else if (ch == '\n')
      buf_puts(b, "%0A");
    else if (property && ch == ':')
      buf_puts(b, "%3A");
    else if (property && ch == ',')
      buf_puts(b, "%2C");
    else
      buf_putc(b, ch);
  }
}

static void github_one(Compilation *c, Diag *d, Buf *out) {
  static const char *const command[] = {"error", "warning", "notice"};
  Place p = place_of(c, d->span);
  buf_printf(out, "::%s ", command[d->severity]);
  if (!in_argument(d->span)) {  // an argument's has no file: an annotation of the run
    buf_puts(out, "file=");
    escape(out, diag_escape(&c->arena, d->path), true);
    if (p.line) {
      buf_printf(out, ",line=%d,endLine=%d", p.line, p.end_line);
      if (p.line == p.end_line)
        buf_printf(out, ",col=%d,endColumn=%d", p.col, p.end_col > p.col ? p.end_col - 1 : p.col);
    }
    buf_putc(out, ',');
  }
  buf_printf(out, "title=%s::", diag_info(d->code)->name);
  // User text goes to a CI log as to a terminal: diag_escape, as diag.c.
  Arena *a = &c->arena;
  Buf msg = {.arena = a};
  argument_prefix(a, &msg, d->span);
  buf_put(&msg, diag_escape(a, d->message));
  for (DiagNote *n = d->notes; n; n = n->next) {
    buf_puts(&msg, "\nnote: ");
    if (in_argument(n->span)) {
      argument_prefix(a, &msg, n->span);
    } else if (n->span.src) {
      Place q = place_of(c, n->span);
      buf_printf(&msg, "%.*s:%d:%d: ", S(diag_escape(a, n->span.src->path)), q.line, q.col);
    }
    buf_put(&msg, diag_escape(a, n->text));
  }
  for (DiagNote *n = d->help; n; n = n->next)
    buf_printf(&msg, "\nhelp: %.*s", S(diag_escape(a, n->text)));
  escape(out, buf_str(&msg), false);
  buf_putc(out, '\n');
}

void report_github(Compilation *cs, ptrdiff_t n, Buf *out) {
  for (ptrdiff_t i = 0; i < n; i++)
    for (Diag *d = cs[i].diags; d; d = d->next)
      github_one(&cs[i], d, out);
}
