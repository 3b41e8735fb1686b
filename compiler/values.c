// values.c: reads a values file (--values FILE.yaml) and the --set arguments,
// the values of declared variables, for every environment and per environment:
//
//   image_tag: "1.4.2"         # a quoted scalar is a string
//   memory: 512 MiB            # a plain one is the ecsc literal it spells
//   cidrs: [10.0.0.0/16]       # a sequence is a list
//   environments:              # reserved: values per environment, which win
//     production:
//       desired: 6
//
// libyaml parses; this file walks its event stream (not its document API,
// which resolves aliases out of sight) and builds Nodes whose spans point into
// the YAML, so a value of the wrong type is reported by resolve.c at the YAML
// line that set it. Which names exist is known only to resolve.c, which calls
// values_check once it has collected the declarations.
//
// --set NAME=VALUE and --set ENV.NAME=VALUE (values_set) win over the whole
// file; VALUE is read as the file's plain scalars are, --set-string's is a
// string. Each argument is a Source of its own, so its errors point into it.
#include "model.h"

#include <string.h>
#include <yaml.h>

// Names to entries in a map, so a hostile file of a million keys costs no
// quadratic search, plus a list in file order for diagnostics.
typedef struct Entry Entry;
typedef struct {
  Map *by_name;
  Entry *head, **tail;
} Table;

struct Entry {
  Entry *next;  // in file order
  Str name;     // the decoded key
  Span span;    // the key, for "unknown" and "first set here"
  Node *value;  // a variable's; NULL for an environment
  Table vars;   // an environment's variables
};

struct Values {
  Table vars;  // the top level: values for every environment
  Table envs;  // under `environments`
  Span envs_key;  // the `environments` key; src NULL until seen
  Table set_vars;  // --set NAME=VALUE, over the file
  Table set_envs;  // --set ENV.NAME=VALUE, over everything
};

typedef struct {
  Compilation *c;
  Source *src;
  yaml_parser_t yaml;
  yaml_event_t ev;      // the current event, owned while `held`
  bool held;
  int32_t chr, byte;    // a code point index and its byte offset: see offset()
  Values *v;
  int depth;            // mappings and lists open, the current event's included
  bool stop;            // past MAX_NODES or MAX_NESTING: reported, no more is read
} Loader;

static Entry *find(Table *t, Str name) {
  return map_get(t->by_name, name);
}

//
// Positions
//

// Back to the first character, which follows a byte-order mark if any.
static void rewind_cursor(Loader *l) {
  Str t = l->src->text;
  l->chr = 0;
  l->byte = t.len >= 3 && memcmp(t.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

// libyaml's marks count code points (after a byte-order mark), not bytes, so
// they are walked into byte offsets. Events arrive in order, so a cursor that
// only moves forward makes the whole walk linear; it rewinds when asked for
// an earlier mark (the context of an error).
static int32_t offset(Loader *l, size_t index) {
  const char *text = l->src->text.ptr;
  int32_t len = (int32_t)l->src->text.len;
  if (index < (size_t)l->chr)
    rewind_cursor(l);
  while ((size_t)l->chr < index && l->byte < len) {
    l->byte++;
    while (l->byte < len && (text[l->byte] & 0xC0) == 0x80)  // continuation bytes
      l->byte++;
    l->chr++;
  }
  return l->byte;
}

static Span mark_span(Loader *l, yaml_mark_t start, yaml_mark_t end) {
  int32_t from = offset(l, start.index);
  return (Span){l->src, from, offset(l, end.index)};
}

static Span ev_span(Loader *l) {
  return mark_span(l, l->ev.start_mark, l->ev.end_mark);
}

static Str slice(Span s) {
  return (Str){s.src->text.ptr + s.start, s.end - s.start};
}

//
// Events
//

// libyaml's own message, at the place it gives, with its context as a note:
// "did not find expected key" while parsing a block mapping.
static void yaml_error(Loader *l) {
  yaml_parser_t *y = &l->yaml;
  if (y->error == YAML_MEMORY_ERROR) {
    diag_file(l->c, E0411, l->src->path, "invalid YAML: out of memory");
    return;
  }
  Span at = {l->src, 0, 0};
  if (y->error == YAML_READER_ERROR)
    at.start = at.end = (int32_t)y->problem_offset;  // a byte offset, unlike marks
  else
    at = mark_span(l, y->problem_mark, y->problem_mark);
  // libyaml says "found character that cannot start any token" of a tab; a
  // tab among the blanks that start a line is YAML's rule broken, and says so.
  const char *text = l->src->text.ptr;
  if (y->error == YAML_SCANNER_ERROR && at.start < l->src->text.len && text[at.start] == '\t') {
    int32_t i = at.start;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
      i--;
    bool indenting = i == 0 || text[i - 1] == '\n';
    Diag *d = diag_at(l->c, E0411, (Span){l->src, at.start, at.start + 1},
                      "invalid YAML: a tab %s", indenting ? "in the indentation" : "before a value");
    diag_help(l->c, d, "YAML indents with spaces only: replace the tab with spaces");
    return;
  }
  Diag *d = diag_at(l->c, E0411, at, "invalid YAML: %s", y->problem ? y->problem : "error");
  if (y->context && y->error != YAML_READER_ERROR)
    diag_note(l->c, d, mark_span(l, y->context_mark, y->context_mark), "%s", y->context);
}

static bool at_event(Loader *l, yaml_event_type_t type) {
  return l->ev.type == type;
}

// Counts the mappings and lists open at each event. One opened past
// MAX_NESTING is reported and ends the reading, as MAX_NODES does: passing over the rest of it would take time quadratic in its depth,
// since libyaml's scanner visits the potential simple key of every open flow
// level on each token it reads (libyaml 0.2.5, src/scanner.c:
// yaml_parser_fetch_more_tokens and yaml_parser_stale_simple_keys), and a
// file of "[" nested millions deep took hours. Real values nest a few levels.
static bool too_deep(Loader *l) {
  if (at_event(l, YAML_SEQUENCE_END_EVENT) || at_event(l, YAML_MAPPING_END_EVENT))
    l->depth--;
  if (!at_event(l, YAML_SEQUENCE_START_EVENT) && !at_event(l, YAML_MAPPING_START_EVENT))
    return false;
  if (++l->depth <= MAX_NESTING)
    return false;
  Diag *d = diag_at(l->c, E0204, ev_span(l), "nesting too deep (more than %d levels): the rest "
                    "of the file is not read", MAX_NESTING);
  diag_help(l->c, d, "flatten the structure: real configurations nest a few levels");
  return l->stop = true;
}

// Moves to the next event; false after a YAML error (reported): libyaml
// cannot go on after one, so neither can the loader. False too once a limit
// stopped the reading; l->held is false then.
static bool next_event(Loader *l) {
  if (l->held)
    yaml_event_delete(&l->ev);
  if (l->stop)
    return l->held = false;
  l->held = yaml_parser_parse(&l->yaml, &l->ev);
  if (!l->held) {
    yaml_error(l);
    return false;
  }
  if (too_deep(l)) {
    yaml_event_delete(&l->ev);
    return l->held = false;
  }
  return true;
}

// Passes over the node that starts at the current event, ending on its last:
// in one pass, as next_event stops at a node nested too deep.
static bool skip(Loader *l) {
  int depth = 0;
  do {
    if (at_event(l, YAML_SEQUENCE_START_EVENT) || at_event(l, YAML_MAPPING_START_EVENT))
      depth++;
    else if (at_event(l, YAML_SEQUENCE_END_EVENT) || at_event(l, YAML_MAPPING_END_EVENT))
      depth--;
  } while (depth > 0 && next_event(l));
  return depth == 0;
}

static const char *shape(Loader *l) {
  switch (l->ev.type) {
  case YAML_SEQUENCE_START_EVENT: return "a list";
  case YAML_MAPPING_START_EVENT: return "a mapping";
  case YAML_ALIAS_EVENT: return "an alias";
  default: return "a value";
  }
}

// YAML's words for null, unquoted (an empty plain scalar is null too).
static bool null_word(Str s) {
  return str_eq_c(s, "~") || str_eq_c(s, "null") || str_eq_c(s, "Null") || str_eq_c(s, "NULL");
}

// YAML null: an empty value, ~ or null, unquoted.
static bool is_null(Loader *l) {
  if (!at_event(l, YAML_SCALAR_EVENT) || l->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  Str s = {(const char *)l->ev.data.scalar.value, (ptrdiff_t)l->ev.data.scalar.length};
  return !s.len || null_word(s);
}

// Anchors and aliases would make one value appear in several places, each of
// which a diagnostic must be able to point at; tags would retype values
// behind the literal rules. All three are refused. Reports and returns false
// for an alias, which has no value of its own; an anchored or tagged node is
// reported and then read as if plain, so its errors are found too.
static bool plain_node(Loader *l) {
  yaml_event_t *e = &l->ev;
  if (at_event(l, YAML_ALIAS_EVENT)) {
    Diag *d = diag_at(l->c, E0412, ev_span(l), "aliases are not supported in values files");
    diag_help(l->c, d, "repeat the value itself");
    return false;
  }
  yaml_char_t *anchor = NULL, *tag = NULL;
  if (at_event(l, YAML_SCALAR_EVENT))
    anchor = e->data.scalar.anchor, tag = e->data.scalar.tag;
  else if (at_event(l, YAML_SEQUENCE_START_EVENT))
    anchor = e->data.sequence_start.anchor, tag = e->data.sequence_start.tag;
  else if (at_event(l, YAML_MAPPING_START_EVENT))
    anchor = e->data.mapping_start.anchor, tag = e->data.mapping_start.tag;
  Span s = mark_span(l, e->start_mark, e->start_mark);
  if (anchor) {
    Span a = {s.src, s.start, s.start + 1 + (int32_t)strlen((char *)anchor)};  // &NAME
    Diag *d = diag_at(l->c, E0412, a, "anchors are not supported in values files");
    diag_help(l->c, d, "remove \"&%s\" and repeat the value where it is used", (char *)anchor);
  }
  if (tag) {
    Diag *d = diag_at(l->c, E0412, s, "YAML tags are not supported in values files");
    diag_help(l->c, d, "quote a value to make it a string");
  }
  return true;
}

//
// Values
//

// A node of the values file: each counts toward MAX_NODES, like the
// source's (a flow list of a million integers would otherwise take 200 bytes
// a number); past it, the file is reported and no more of it read.
static Node *make(Loader *l, NodeKind kind) {
  if (++l->c->nodes == MAX_NODES + 1) {
    Diag *d = diag_at(l->c, E0206, ev_span(l), "more than %d values: the rest of the file is not "
                      "read", MAX_NODES);
    diag_help(l->c, d, "a values file sets a few variables; generate less");
    l->stop = true;
  }
  Node *n = new(&l->c->arena, Node, 1);
  n->kind = kind;
  n->span = ev_span(l);
  return n;
}

// A plain scalar that is no literal but was meant as one gets the lexer's own
// diagnostic, here: an integer beyond 64 bits, a CIDR block with host bits
// set or an octet over 255, a duration or size too large. Without it they
// were strings, and the message was "expected an integer, found a string;
// remove the quotes", of a value without quotes. Other strings that start
// with a digit (1.4.2, 1.5, 10.0.0.1) are strings, as YAML reads them.
static const char *const meant_literal =
    "-?[0-9]+|[0-9.]+/[0-9]+|[0-9]+(?:ms|s|m|h|d| (?:KiB|MiB|GiB|TiB))";

static void literal_error(Compilation *c, Node *n, Literal lit) {
  if (!lit.error || lit.len != n->str.len || !regex_match(c, meant_literal, n->str))
    return;
  // The value as written is the source's text when the scalar is on one
  // line; else the whole scalar is shown.
  Span at = n->span;
  if (str_eq(n->text, n->str))
    at = (Span){n->span.src, n->span.start, n->span.start + (int32_t)lit.len};
  lex_literal_error(c, at, n->str, lit);
}

// A plain scalar is read as the ecsc literal it spells when it spells exactly
// one (512 MiB, 30s, 50%, 10.0.0.0/16, 3, true), so typed variables need no
// quotes. literal_scan finds it, the lexer's own scanner, so a value means
// what it means in a .ecs file. Anything else (nginx, us-east-1, 1.4.2, 30 s,
// and YAML 1.1's yes, on and 1.5, which ecsc does not have) is a string, as
// YAML reads it; if a string is not what the variable's use takes, resolve.c
// says so at this place. n is a string whose str is the scalar's value; a
// --set VALUE is read by the same function.
static void plain(Compilation *c, Node *n) {
  static const NodeKind kinds[] = {  // 0 (N_BLOCK): not a literal
      [LK_INT] = N_INT,         [LK_SIZE] = N_SIZE, [LK_DURATION] = N_DURATION,
      [LK_PERCENT] = N_PERCENT, [LK_CIDR] = N_CIDR,
  };
  // true and false are names to the lexer; the parser, and so this, reads them.
  if (str_eq_c(n->str, "true") || str_eq_c(n->str, "false")) {
    n->kind = N_BOOL;
    n->v.b = str_eq_c(n->str, "true");
    return;
  }
  Literal lit = literal_scan(n->str);
  if (lit.kind == LK_NONE || lit.error || lit.len != n->str.len) {
    literal_error(c, n, lit);
    return;
  }
  n->kind = kinds[lit.kind];
  n->unit = lit.unit;  // points into n->str
  n->tenths = lit.tenths;
  if (lit.kind == LK_CIDR)
    n->v.cidr = lit.v.cidr;
  else
    n->v.i = lit.v.i;
}

// Quoted and block scalars are always strings; plain ones are read by plain().
static Node *scalar(Loader *l) {
  Node *n = make(l, N_STRING);
  n->text = slice(n->span);
  n->str = str_dup(&l->c->arena, (Str){(const char *)l->ev.data.scalar.value,
                                       (ptrdiff_t)l->ev.data.scalar.length});
  if (l->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    plain(l->c, n);
  return n;
}

static Node *yaml_value(Loader *l, Str var);

// A YAML sequence, flow ([a, b]) or block (- a), as a list. A block
// sequence ends where its last item does: its end event lies on a later line.
static Node *yaml_list(Loader *l, Str var) {
  Node *n = make(l, N_LIST);
  bool block = l->ev.data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE;
  Node **tail = &n->body;
  while (next_event(l) && !at_event(l, YAML_SEQUENCE_END_EVENT)) {
    if (is_null(l)) {
      Diag *d = diag_at(l->c, E0415, ev_span(l), "empty item in the list of variable \"%.*s\"",
                        S(var));
      diag_help(l->c, d, "write a value (\"\" for an empty string), or remove the item");
      continue;
    }
    Node *e = yaml_value(l, var);
    if (!l->held)
      return NULL;
    if (e) {
      *tail = e;
      tail = &e->next;
      if (block)
        n->span.end = e->span.end;
    }
  }
  if (!l->held)
    return NULL;
  if (!block)
    n->span.end = offset(l, l->ev.end_mark.index);
  n->text = slice(n->span);
  return n;
}

// value = scalar | sequence ; the value of variable `var`, or NULL after
// reporting why there is none. On return the current event is the value's
// last; l->held is false when the YAML broke.
static Node *yaml_value(Loader *l, Str var) {
  if (!plain_node(l))
    return NULL;
  if (is_null(l)) {
    // An error rather than "use the default": a key left empty by mistake
    // must not quietly mean something else.
    Diag *d = diag_at(l->c, E0415, ev_span(l), "variable \"%.*s\" has no value", S(var));
    diag_help(l->c, d, "write a value (\"\" for an empty string), or remove the key to use "
                       "the default");
    return NULL;
  }
  switch (l->ev.type) {
  case YAML_SCALAR_EVENT:
    return scalar(l);
  case YAML_SEQUENCE_START_EVENT:
    return yaml_list(l, var);
  default: {
    Diag *d = diag_at(l->c, E0414, ev_span(l), "expected a value for variable \"%.*s\", found %s",
                      S(var), shape(l));
    diag_help(l->c, d, "a variable holds a string, number, size, duration, percentage, CIDR "
                       "block, boolean or list; values per environment go under "
                       "environments: ENV: NAME: value");
    skip(l);
    return NULL;
  }
  }
}

//
// Mappings: the top level, `environments`, and each environment
//

// A mapping key: a scalar, taken by its value whatever its quoting.
static bool key(Loader *l, const char *what, Str *name, Span *at_key) {
  if (!plain_node(l))
    return false;
  if (!at_event(l, YAML_SCALAR_EVENT) || is_null(l)) {
    diag_at(l->c, E0414, ev_span(l), "expected %s, found %s", what,
            at_event(l, YAML_SCALAR_EVENT) ? "nothing" : shape(l));
    skip(l);
    return false;
  }
  *at_key = ev_span(l);
  *name = str_dup(&l->c->arena, (Str){(const char *)l->ev.data.scalar.value,
                                      (ptrdiff_t)l->ev.data.scalar.length});
  return true;
}

// The entry of name in t, added (last, with at_key) if it was not there.
static Entry *put(Arena *a, Table *t, Str name, Span at_key, bool *added) {
  void **slot = map_slot(&t->by_name, name, a);
  *added = !*slot;
  if (*slot)
    return *slot;
  Entry *e = new(a, Entry, 1);
  e->name = name;
  e->span = at_key;
  *slot = e;
  if (!t->tail)
    t->tail = &t->head;
  *t->tail = e;
  t->tail = &e->next;
  return e;
}

// Adds name to t; NULL, after reporting, when it is there already.
static Entry *add_entry(Loader *l, Table *t, Str name, Span at_key, const char *what, Str env) {
  bool added;
  Entry *e = put(&l->c->arena, t, name, at_key, &added);
  if (!added) {
    Diag *d = diag_at(l->c, E0416, at_key, "duplicate %s \"%.*s\"%s%.*s%s", what, S(name),
                      env.len ? " in environment \"" : "", S(env), env.len ? "\"" : "");
    diag_note(l->c, d, e->span, "first set here");
    return NULL;
  }
  return e;
}

// Walks a mapping whose MAPPING_START is the current event, calling `item`
// with each key (its value is then the current event). A null stands for an
// empty mapping (`production:` with nothing under it); anything else is
// reported with `want`. False when the YAML broke.
typedef void ItemFn(Loader *l, Str name, Span at_key, void *ctx);

static bool mapping(Loader *l, const char *want, const char *key_what, ItemFn *item, void *ctx) {
  if (!plain_node(l) || is_null(l))
    return true;
  if (!at_event(l, YAML_MAPPING_START_EVENT)) {
    diag_at(l->c, E0414, ev_span(l), "expected %s, found %s", want,
            at_event(l, YAML_SCALAR_EVENT) ? "a single value" : shape(l));
    return skip(l);
  }
  while (next_event(l) && !at_event(l, YAML_MAPPING_END_EVENT)) {
    Str name;
    Span at_key;
    bool ok = key(l, key_what, &name, &at_key);
    if (!l->held || !next_event(l))
      return false;
    if (ok)
      item(l, name, at_key, ctx);
    else
      skip(l);
    if (!l->held)
      return false;
  }
  return l->held;
}

// NAME: value, at the top level (ctx NULL) or in the environment ctx.
static void variable_entry(Loader *l, Str name, Span at_key, void *ctx) {
  Entry *env = ctx;
  Table *t = env ? &env->vars : &l->v->vars;
  Node *n = yaml_value(l, name);
  Entry *e = add_entry(l, t, name, at_key, "variable", env ? env->name : (Str){0});
  if (e)
    e->value = n;
}

// ENV: { NAME: value ... }
static void env_entries(Loader *l, Str name, Span at_key, void *ctx) {
  (void)ctx;
  Entry dup = {.name = name};  // a duplicate is still read, for its errors
  Entry *env = add_entry(l, &l->v->envs, name, at_key, "environment", (Str){0});
  if (!env)
    env = &dup;
  Str want = str_fmt(&l->c->arena, "a mapping of variable names to values for environment "
                                   "\"%.*s\"", S(name));
  mapping(l, want.ptr, "a variable name", variable_entry, env);
}

// The top level: NAME: value, and environments: { ENV: { NAME: value } }.
static void top_item(Loader *l, Str name, Span at_key, void *ctx) {
  (void)ctx;
  if (!str_eq_c(name, "environments")) {
    variable_entry(l, name, at_key, NULL);
    return;
  }
  if (l->v->envs_key.src) {
    Diag *d = diag_at(l->c, E0416, at_key, "duplicate key \"environments\"");
    diag_note(l->c, d, l->v->envs_key, "first set here");
  } else {
    l->v->envs_key = at_key;
  }
  mapping(l, "a mapping of environment names to their values", "an environment name",
          env_entries, NULL);
}

// stream = document? ; one document, whose root is a mapping (or empty).
static bool stream(Loader *l) {
  if (!next_event(l) || !next_event(l))  // STREAM-START, then a document or the end
    return false;
  if (at_event(l, YAML_STREAM_END_EVENT))
    return true;  // nothing but comments: no values
  if (!next_event(l) || !mapping(l, "a mapping of variable names to values", "a variable name",
                           top_item, NULL))
    return false;
  if (!next_event(l) || !next_event(l))  // DOCUMENT-END, then the end or another document
    return false;
  if (at_event(l, YAML_DOCUMENT_START_EVENT)) {
    Diag *d = diag_at(l->c, E0412, ev_span(l), "a values file holds one YAML document");
    diag_help(l->c, d, "remove the second \"---\" and merge the documents");
  }
  return true;
}

Values *values_load(Compilation *c, Source *src) {
  Loader l = {.c = c, .src = src};
  Values *v = NULL;
  int errors = c->nerrors;
  rewind_cursor(&l);
  if (!yaml_parser_initialize(&l.yaml)) {
    diag_file(c, E0411, src->path, "invalid YAML: out of memory");
    return NULL;
  }
  yaml_parser_set_input_string(&l.yaml, (const unsigned char *)src->text.ptr,
                               (size_t)src->text.len);
  l.v = new(&c->arena, Values, 1);
  if (!stream(&l) || c->nerrors > errors)
    goto out_delete_parser;
  v = l.v;
out_delete_parser:
  if (l.held)
    yaml_event_delete(&l.ev);
  yaml_parser_delete(&l.yaml);
  return v;
}

//
// --set NAME=VALUE, --set ENV.NAME=VALUE
//

static Span part(Source *src, ptrdiff_t from, ptrdiff_t to) {
  return (Span){src, (int32_t)from, (int32_t)to};
}

// A malformed argument: E0420 at `at`, with the shape it should have.
static void malformed(Compilation *c, Source *src, Span at, const char *what) {
  Diag *d = diag_at(c, E0420, at, "%s in %.*s argument", what, S(src->option));
  diag_help(c, d, "write %.*s NAME=VALUE, or %.*s ENV.NAME=VALUE for environment ENV alone",
            S(src->option), S(src->option));
}

// The value after "=": --set reads it as a values file's plain scalar, except
// that nothing (NAME=) is the empty string; --set-string takes it as it is.
// NULL after reporting a null word, as a values file refuses one.
static Node *set_value(Compilation *c, Source *src, ptrdiff_t from, Str name, bool string) {
  Str key = {src->text.ptr, from - 1};  // NAME or ENV.NAME
  Node *n = new(&c->arena, Node, 1);
  n->kind = N_STRING;
  n->span = part(src, from, src->text.len);
  n->text = n->str = slice(n->span);
  if (string || !n->str.len)
    return n;
  if (null_word(n->str)) {
    Diag *d = diag_at(c, E0415, n->span, "variable \"%.*s\" has no value", S(name));
    diag_help(c, d, "write --set-string %.*s=%.*s for the word, or remove the argument",
              S(key), S(n->str));
    return NULL;
  }
  plain(c, n);
  return n;
}

// The key is split at its last ".": variable names cannot hold one (var.NAME
// would not name them), environment names might.
void values_set(Compilation *c, Values **vp, Source *src, bool string) {
  Str t = src->text;
  const char *eq = memchr(t.ptr, '=', (size_t)t.len);
  if (!eq) {
    malformed(c, src, part(src, 0, t.len), "missing \"=\"");
    return;
  }
  ptrdiff_t key_end = eq - t.ptr, dot = -1;
  for (ptrdiff_t i = 0; i < key_end; i++)
    if (t.ptr[i] == '.')
      dot = i;
  Str env = {t.ptr, dot < 0 ? 0 : dot};
  Str name = {t.ptr + dot + 1, key_end - dot - 1};
  if (!name.len) {
    malformed(c, src, part(src, key_end, key_end + 1), "missing variable name before \"=\"");
    return;
  }
  if (dot == 0) {
    malformed(c, src, part(src, 0, 1), "missing environment name before \".\"");
    return;
  }
  Node *n = set_value(c, src, key_end + 1, name, string);
  if (!n)
    return;
  if (!*vp)
    *vp = new(&c->arena, Values, 1);
  Values *v = *vp;
  bool added;
  Table *vars = &v->set_vars;
  if (dot > 0)
    vars = &put(&c->arena, &v->set_envs, env, part(src, 0, dot), &added)->vars;
  // A name set twice takes its last value, as helm's --set does: a CI job
  // can then append a --set to a command that already has one.
  Entry *e = put(&c->arena, vars, name, part(src, dot + 1, key_end), &added);
  e->span = part(src, dot + 1, key_end);
  e->value = n;
}

// The value of NAME in ENV: --set for ENV, --set for all, the file's
// environments.ENV, the file's top level; NULL for none (the default then).
Node *values_lookup(Values *v, Str name, Str env) {
  if (!v)
    return NULL;
  Table *tables[] = {NULL, &v->set_vars, NULL, &v->vars};
  Entry *e = env.len ? find(&v->set_envs, env) : NULL;
  tables[0] = e ? &e->vars : NULL;
  e = env.len ? find(&v->envs, env) : NULL;
  tables[2] = e ? &e->vars : NULL;
  for (int i = 0; i < countof(tables); i++) {
    Entry *set = tables[i] ? find(tables[i], name) : NULL;
    if (set)
      return set->value;
  }
  return NULL;
}

//
// Checking the names against the declarations
//

static bool declared(Str name, const Str *names, int n) {
  for (int i = 0; i < n; i++)
    if (str_eq(names[i], name))
      return true;
  return false;
}

static void unknown_vars(Compilation *c, Table *t, const Str *vars, int nvars) {
  for (Entry *e = t->head; e; e = e->next) {
    if (declared(e->name, vars, nvars))
      continue;
    Diag *d = diag_at(c, E0413, e->span, "unknown variable \"%.*s\"", S(e->name));
    Str best = diag_closest(e->name, vars, nvars);
    if (best.len)
      diag_help(c, d, "did you mean \"%.*s\"?", S(best));
    else
      diag_help(c, d, "declare it: variable \"%.*s\" { type = \"string\" }, or remove it",
                S(e->name));
  }
}

static void environments_help(Compilation *c, Diag *d, Str name, const Str *envs, int nenvs) {
  Str best = diag_closest(name, envs, nenvs);
  if (best.len) {
    diag_help(c, d, "did you mean \"%.*s\"?", S(best));
    return;
  }
  if (!nenvs) {
    diag_help(c, d, "the configuration declares no environment");
    return;
  }
  Buf list = {.arena = &c->arena};
  for (int i = 0; i < nenvs; i++)
    buf_printf(&list, "%s\"%.*s\"", i ? ", " : "", S(envs[i]));
  diag_help(c, d, "the environments are %.*s", S(buf_str(&list)));
}

// The names of one source of values: a file's, or the --set arguments'.
static void check_tables(Compilation *c, Table *top, Table *per_env, const Str *vars, int nvars,
                         const Str *envs, int nenvs) {
  unknown_vars(c, top, vars, nvars);
  for (Entry *env = per_env->head; env; env = env->next) {
    if (!declared(env->name, envs, nenvs)) {
      Diag *d = diag_at(c, E0413, env->span, "unknown environment \"%.*s\"", S(env->name));
      environments_help(c, d, env->name, envs, nenvs);
    }
    unknown_vars(c, &env->vars, vars, nvars);
  }
}

void values_check(Compilation *c, Values *v, const Str *vars, int nvars, const Str *envs,
                  int nenvs) {
  if (!v)
    return;
  check_tables(c, &v->vars, &v->envs, vars, nvars, envs, nenvs);
  check_tables(c, &v->set_vars, &v->set_envs, vars, nvars, envs, nenvs);
}
