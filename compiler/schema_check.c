// schema_check.c: holds every block of a parsed file against the schema
// (schema.c): unknown and misplaced names, blocks written as attributes and
// the reverse, labels, duplicates, missing required settings, value types,
// ranges, forms and choices. Reports E03xx. References are only checked for
// their kind here; whether they name something is resolve.c's question.
#include "syntax.h"

#include <string.h>

typedef struct {
  Compilation *c;
  bool partial;  // inside a template, an override or a block with extends:
                 // required settings may come from elsewhere
} Checker;

// Returns the node already in set under key, or adds n: duplicates among
// thousands (the top level of a large platform, a map of many keys).
static Node *seen_before(Checker *k, Map **set, Str key, Node *n) {
  void **slot = map_slot(set, key, &k->c->arena);
  if (*slot)
    return *slot;
  *slot = n;
  return NULL;
}

// "in service "web"", "in block "health"", "at the top level"
static const char *owner_phrase(Checker *k, Node *owner) {
  if (!owner)
    return "at the top level";
  if (str_eq_c(owner->name, "in") && owner->labels)
    return diag_fmt(&k->c->arena, "in the \"%.*s\" override", S(owner->labels->str));
  if (owner->labels)
    return diag_fmt(&k->c->arena, "in %.*s \"%.*s\"", S(owner->name), S(owner->labels->str));
  return diag_fmt(&k->c->arena, "in block \"%.*s\"", S(owner->name));
}

//
// Names: unknown, misplaced, suggested
//

// Every name valid in schema block b, for "did you mean".
static ptrdiff_t valid_names(Checker *k, const SchemaBlock *b, Str **out) {
  ptrdiff_t n = 0;
  for (const SchemaAttr *a = b->attrs; a && a->name; a++)
    n++;
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++)
    n++;
  Str *names = new(&k->c->arena, Str, n);
  n = 0;
  for (const SchemaAttr *a = b->attrs; a && a->name; a++)
    names[n++] = str_c(a->name);
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++)
    names[n++] = str_c((*s)->name);
  *out = names;
  return n;
}

// Collects the names of the schema blocks where `name` is valid, walking the
// schema once (templates share the service's blocks: `seen` stops repeats).
static void homes(const SchemaBlock *b, Str name, Buf *out, const SchemaBlock **seen,
                  int *nseen) {
  for (int i = 0; i < *nseen; i++)
    if (seen[i] == b)
      return;
  if (*nseen == 64)
    return;
  seen[(*nseen)++] = b;
  if (b != &schema_file && (schema_attr(b, name) || schema_block(b, name))) {
    Str entry = str_fmt(out->arena, "\"%s\"", b->name);
    Str have = {out->ptr, out->len};
    if (!have.len || !memmem(have.ptr, (size_t)have.len, entry.ptr, (size_t)entry.len)) {
      if (out->len)
        buf_puts(out, " or ");
      buf_put(out, entry);
    }
  }
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++)
    homes(*s, name, out, seen, nseen);
}

// Reports a name the block does not know. Returns the name it suggests
// instead, so that "missing required memory" does not follow "memroy".
static Str unknown_name(Checker *k, Node *n, Node *owner, const SchemaBlock *b) {
  const char *what = n->kind == N_BLOCK ? "block" : "attribute";
  if (k->c->nerrors + k->c->nwarnings >= MAX_ERRORS) {
    // Past the cap nothing is shown: a file of a million unknown names must
    // cost a counter each, not a search of the schema and a suggestion.
    diag_at(k->c, E0301, n->name_span, "unknown %s", what);
    return (Str){0};
  }
  Buf elsewhere = {.arena = &k->c->arena};
  const SchemaBlock *seen[64];
  int nseen = 0;
  homes(&schema_file, n->name, &elsewhere, seen, &nseen);
  if (elsewhere.len) {
    Diag *d = diag_at(k->c, E0302, n->name_span, "%s \"%.*s\" is not allowed %.1024s", what,
                      S(n->name), owner_phrase(k, owner));
    Str homes_list = buf_str(&elsewhere);
    diag_help(k->c, d, "\"%.*s\" belongs in %s %.1024s block", S(n->name),
              strchr("aeiou", homes_list.ptr[1]) ? "an" : "a", homes_list.ptr);
    return (Str){0};
  }
  Diag *d = diag_at(k->c, E0301, n->name_span, "unknown %s \"%.*s\" %.1024s", what, S(n->name),
                    owner_phrase(k, owner));
  Str *names;
  ptrdiff_t count = valid_names(k, b, &names);
  Str best = diag_closest(n->name, names, count);
  if (best.len)
    diag_help(k->c, d, "did you mean \"%.*s\"?", S(best));
  return best;
}

//
// Values
//

static const char *article(const char *noun) {
  return strchr("aeiou", noun[0]) ? "an" : "a";
}

static bool is_var(Node *v) {
  return v->kind == N_REF && v->nparts == 2 && str_eq_c(v->parts[0], "var");
}

// "serve --port 8080" as ["serve", "--port", "8080"]: a command's words.
static Str split_words(Checker *k, Str s) {
  Buf b = {.arena = &k->c->arena};
  buf_putc(&b, '[');
  for (ptrdiff_t i = 0; i < s.len;) {
    while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
      i++;
    ptrdiff_t j = i;
    while (j < s.len && s.ptr[j] != ' ' && s.ptr[j] != '\t')
      j++;
    if (j > i)
      buf_printf(&b, "%s\"%.*s\"", b.len > 1 ? ", " : "", (int)(j - i), s.ptr + i);
    i = j;
  }
  buf_putc(&b, ']');
  return buf_str(&b);
}

// A string written in quotes: any in a source, but a values file's plain
// scalars are strings without them.
static bool is_quoted(Node *v) {
  return v->kind == N_STRING && v->text.len && (v->text.ptr[0] == '"' || v->text.ptr[0] == '\'');
}

// The help for a --set value (values.c) of the wrong type, where quotes and
// lists, the help's usual fixes, are not to be had; false for the usual help.
static bool argument_help(Compilation *c, Diag *d, ValueType want, Node *v) {
  Source *src = v->span.src;
  if (!src || !src->option.len)
    return false;
  Str key = {src->text.ptr, v->span.start - 1};  // NAME or ENV.NAME, before "="
  if (want == T_LIST || (want == T_COMMAND && v->kind != N_STRING)) {
    diag_help(c, d, "a list cannot be given with %.*s: set it in a values file (--values FILE)",
              S(src->option));
    return true;
  }
  if ((want == T_STRING || want == T_ENUM || want == T_COMMAND) && v->kind != N_STRING) {
    diag_help(c, d, "write --set-string %.*s=%.*s to pass it as a string", S(key), S(v->text));
    return true;
  }
  return false;
}

// The help line for a value of the wrong type: usually, how to write it.
// Whether a quoted string's text, unquoted, is a valid literal of the kind:
// only then is "remove the quotes" the fix.
static bool unquoted_is(Str text, LitKind kind) {
  Literal lit = literal_scan(text);
  return lit.kind == kind && lit.error == LIT_OK && lit.len == text.len;
}

static void type_help(Checker *k, Diag *d, const SchemaAttr *a, ValueType want, Node *v) {
  Compilation *c = k->c;
  if (argument_help(c, d, want, v))
    return;
  switch (want) {
  case T_SIZE:
    if (v->kind == N_INT && v->v.i >= 0 && v->v.i <= 1024 * 1024)
      diag_help(c, d, "add a unit: %lld MiB", (long long)v->v.i);
    else
      diag_help(c, d, "write a size such as 512 MiB or 2 GiB");
    break;
  case T_DURATION:
    if (v->kind == N_INT && v->v.i >= 0)
      diag_help(c, d, "add a unit: %llds", (long long)v->v.i);
    else
      diag_help(c, d, "write a duration such as 30s or 5m");
    break;
  case T_PERCENT:
    if (v->kind == N_INT)
      diag_help(c, d, "write %lld%%", (long long)v->v.i);
    break;
  case T_BOOL:
    if (is_quoted(v) && (str_eq_c(v->str, "true") || str_eq_c(v->str, "false")))
      diag_help(c, d, "remove the quotes: %.*s", S(v->str));
    else
      diag_help(c, d, "write true or false");
    break;
  case T_CIDR:
  case T_INT:
    if (is_quoted(v) && unquoted_is(v->str, want == T_INT ? LK_INT : LK_CIDR))
      diag_help(c, d, "remove the quotes: %.*s", S(v->str));
    else if (is_quoted(v))
      diag_help(c, d, "write %s", want == T_INT ? "a whole number, such as 3"
                                                : "a CIDR block, such as 10.0.0.0/16");
    else if (v->kind == N_STRING)  // a values file's plain scalar: no quotes to remove
      diag_help(c, d, "write %s", want == T_INT ? "a whole number, such as 3"
                                                : "a CIDR block, such as 10.0.0.0/16");
    break;
  case T_STRING:
  case T_ENUM:
    if (v->kind == N_REF || v->kind == N_INT || v->kind == N_BOOL)
      diag_help(c, d, "put it in quotes: \"%.*s\"", S(v->text));
    break;
  case T_REF:
    if (v->kind == N_STRING && v->str.len)
      diag_help(c, d, "write the reference without quotes: %s.%.*s", a->t.choices[0], S(v->str));
    break;
  case T_LIST:
    if (v->kind == N_STRING)
      diag_help(c, d, "write a list of strings: %.*s", S(split_words(k, v->str)));
    else
      diag_help(c, d, "write a list: [%.*s]", S(v->text));
    break;
  default:
    break;
  }
}

static bool has_type(ValueType want, Node *v) {
  switch (want) {
  case T_ANY: return true;
  case T_STRING: case T_ENUM: return v->kind == N_STRING;
  case T_INT: return v->kind == N_INT;
  case T_BOOL: return v->kind == N_BOOL;
  case T_SIZE: return v->kind == N_SIZE;
  case T_DURATION: return v->kind == N_DURATION;
  case T_PERCENT: return v->kind == N_PERCENT;
  case T_CIDR: return v->kind == N_CIDR;
  case T_REF: return v->kind == N_REF;
  case T_LIST: return v->kind == N_LIST;
  case T_MAP: return v->kind == N_MAP;
  case T_COMMAND: return v->kind == N_STRING || v->kind == N_LIST;
  }
  return false;
}

static void check_value(Checker *k, const SchemaAttr *a, ValueType want, Node *v);

static void out_of_bounds(Checker *k, const SchemaAttr *a, ValueType t, Node *v, int64_t got,
                          int64_t min, int64_t max) {
  Arena *ar = &k->c->arena;
  DiagCode code = a->range_code != E0001 ? a->range_code : E0306;
  Diag *d = diag_at(k->c, code, v->span, "\"%s\" must be from %.*s to %.*s, found %.*s", a->name,
                    S(schema_attr_quantity(ar, a, t, min)),
                    S(schema_attr_quantity(ar, a, t, max)),
                    S(schema_attr_quantity(ar, a, t, got)));
  int64_t nearest = got < min ? min : max;
  diag_help(k->c, d, "the nearest allowed value is %.*s",
            S(schema_attr_quantity(ar, a, t, nearest)));
}

static void out_of_range(Checker *k, const SchemaAttr *a, ValueType t, Node *v, int64_t got) {
  out_of_bounds(k, a, t, v, got, a->min, a->max);
}

// 2.5% where ecsc takes a whole percentage: only a `tenths` attribute takes
// one (schema.c), where AWS takes a Double in steps of 0.1. The others stay
// whole, as they were: most are Integers to AWS (DeploymentConfiguration's
// minimumHealthyPercent and maximumPercent), and none is known to take
// tenths.
static bool whole_percent(Checker *k, const SchemaAttr *a, ValueType t, Node *v) {
  if (t != T_PERCENT || !v->tenths || a->tenths)
    return true;
  Diag *d = diag_at(k->c, E0107, v->span, "invalid number \"%.*s\": \"%s\" takes a whole "
                    "percentage", S(v->text), a->name);
  int64_t down = v->v.i / 10;
  diag_help(k->c, d, "round it to %lld%% or %lld%%", (long long)down,
            (long long)(v->v.i < 0 ? down - 1 : down + 1));
  return false;
}

static void check_range(Checker *k, const SchemaAttr *a, ValueType t, Node *v) {
  if (!whole_percent(k, a, t, v) || !a->ranged)
    return;
  if (t == T_PERCENT && a->tenths) {  // in tenths, whole or not
    int64_t got = schema_percent_tenths(v);
    if (got < a->min || got > a->max)
      out_of_range(k, a, t, v, got);
    return;
  }
  if (t == T_LIST) {
    int64_t len = 0;
    for (Node *e = v->body; e; e = e->next)
      len++;
    if (len < a->min || len > a->max)
      diag_at(k->c, E0306, v->span, "\"%s\" takes %lld to %lld items, found %lld", a->name,
              (long long)a->min, (long long)a->max, (long long)len);
    return;
  }
  if ((t == T_INT || t == T_SIZE || t == T_DURATION || t == T_PERCENT) &&
      (v->v.i < a->min || v->v.i > a->max)) {
    out_of_range(k, a, t, v, v->v.i);
    return;
  }
  // AWS takes these durations in whole seconds (days for log retention);
  // 1500ms would be cut to 1s without a word.
  int64_t unit = a->min % 86400000 == 0 && a->min ? 86400000 : 1000;
  // Sizes likewise: ECS counts memory in MiB, EBS volumes in GiB.
  if (t == T_SIZE) {
    int64_t step = a->min % (1LL << 30) == 0 && a->min ? 1LL << 30 : 1LL << 20;
    if (v->v.i % step != 0) {
      DiagCode code = a->range_code != E0001 ? a->range_code : E0306;
      Diag *d = diag_at(k->c, code, v->span, "\"%s\" takes whole %s, found %.*s", a->name,
                        step == 1LL << 30 ? "GiB" : "MiB", S(v->text));
      diag_help(k->c, d, "round it to whole %s", step == 1LL << 30 ? "GiB" : "MiB");
    }
  }
  if (t == T_DURATION && v->v.i % unit != 0) {
    DiagCode code = a->range_code != E0001 ? a->range_code : E0306;
    Diag *d = diag_at(k->c, code, v->span, "\"%s\" takes whole %s, found %.*s", a->name,
                      unit == 1000 ? "seconds" : "days", S(v->text));
    diag_help(k->c, d, "round it to whole %s", unit == 1000 ? "seconds" : "days");
  }
  if (t == T_CIDR && (v->v.cidr.prefix < a->min || v->v.cidr.prefix > a->max))
    diag_at(k->c, E0306, v->span, "\"%s\" must have a prefix length from /%lld to /%lld, found /%d",
            a->name, (long long)a->min, (long long)a->max, v->v.cidr.prefix);
}

static void check_choice(Checker *k, const SchemaAttr *a, Node *v) {
  int n = 0;
  for (const char *const *c = a->t.choices; *c; c++)
    n++;
  Str *names = new(&k->c->arena, Str, n);
  n = 0;
  for (const char *const *c = a->t.choices; *c; c++) {
    if (str_eq_c(v->str, *c))
      return;
    names[n++] = str_c(*c);
  }
  Diag *d = diag_at(k->c, E0309, v->span, "invalid value \"%.*s\" for \"%s\"", S(v->str), a->name);
  diag_did_you_mean(k->c, d, v->str, names, n);
  Buf list = {.arena = &k->c->arena};
  for (int i = 0; i < n; i++)
    buf_printf(&list, "%s\"%.*s\"", i ? ", " : "", S(names[i]));
  diag_help(k->c, d, "\"%s\" is one of %.*s", a->name, S(buf_str(&list)));
}

static void check_ref(Checker *k, const SchemaAttr *a, Node *v) {
  for (const char *const *c = a->t.choices; *c; c++)
    if (v->nparts == 2 && str_eq_c(v->parts[0], *c))
      return;
  const char *kind = a->t.choices[0];
  Diag *d = diag_at(k->c, E0311, v->span, "\"%s\" refers to a %s, found %.*s", a->name, kind,
                    S(v->str));
  diag_help(k->c, d, "write %s.NAME", kind);
}

static void check_map(Checker *k, const SchemaAttr *a, Node *v) {
  Map *keys = NULL;
  for (Node *e = v->body; e; e = e->next) {
    Node *prev = seen_before(k, &keys, e->name, e);
    if (prev) {
      Diag *d = diag_at(k->c, E0305, e->name_span, "duplicate key \"%.*s\" in \"%s\"", S(e->name),
                        a->name);
      diag_note(k->c, d, prev->name_span, "first defined here");
    }
    if (a->key_pattern && !regex_match(k->c, a->key_pattern, e->name)) {
      Diag *d = diag_at(k->c, E0307, e->name_span, "invalid key \"%.*s\" in \"%s\"", S(e->name),
                        a->name);
      diag_help(k->c, d, "expected %.1024s", a->key_doc);
      continue;
    }
    if (a->keys) {
      bool known = false;
      ptrdiff_t n = 0;
      for (const char *const *key = a->keys; *key; key++, n++)
        known |= str_eq_c(e->name, *key);
      if (!known) {
        Diag *d = diag_at(k->c, E0301, e->name_span, "unknown key \"%.*s\" in \"%s\"", S(e->name),
                          a->name);
        Str *names = new(&k->c->arena, Str, n);
        for (ptrdiff_t i = 0; i < n; i++)
          names[i] = str_c(a->keys[i]);
        diag_did_you_mean(k->c, d, e->name, names, n);
        continue;
      }
    }
    check_value(k, a, a->t.elem, e->value);
  }
}

static void check_string(Checker *k, const SchemaAttr *a, Node *v) {
  if (!a->pattern || regex_match(k->c, a->pattern, v->str))
    return;
  Diag *d = diag_at(k->c, E0307, v->span, "invalid value \"%.*s\" for \"%s\"", S(v->str), a->name);
  diag_help(k->c, d, "expected %.1024s", a->pattern_doc);
}

static void check_value(Checker *k, const SchemaAttr *a, ValueType want, Node *v) {
  if (is_var(v))
    return;  // typed against the variable's declaration by resolve.c
  if (!has_type(want, v)) {
    const char *noun = want == T_REF ? str_fmt(&k->c->arena, "reference to a %s",
                                               a->t.choices[0]).ptr
                                     : schema_type_name((TypeSpec){want, 0, NULL});
    Diag *d = diag_at(k->c, E0303, v->span, "expected %s %s for \"%s\", found %s %s",
                      article(noun), noun, a->name, article(node_kind_name(v->kind)), node_kind_name(v->kind));
    type_help(k, d, a, want, v);
    return;
  }
  switch (want) {
  case T_STRING: check_string(k, a, v); break;
  case T_ENUM: check_choice(k, a, v); break;
  case T_REF: check_ref(k, a, v); break;
  case T_MAP: check_map(k, a, v); break;
  case T_LIST:
    check_range(k, a, T_LIST, v);
    for (Node *e = v->body; e; e = e->next) {
      check_value(k, a, a->t.elem, e);
      if (a->each_ranged && e->kind == N_INT && (e->v.i < a->each_min || e->v.i > a->each_max))
        out_of_bounds(k, a, T_INT, e, e->v.i, a->each_min, a->each_max);
    }
    return;
  case T_COMMAND:
    if (v->kind == N_LIST) {
      if (!v->body)
        diag_at(k->c, E0306, v->span, "\"%s\" needs at least the program to run", a->name);
      for (Node *e = v->body; e; e = e->next)
        check_value(k, a, T_STRING, e);
    }
    return;
  default:
    break;
  }
  if (want == a->t.type)  // a list's range is its length, checked above
    check_range(k, a, want, v);
}

//
// Blocks
//

static void check_body(Checker *k, const SchemaBlock *b, Node *owner, Node *items);

static void check_labels(Checker *k, const SchemaBlock *b, Node *n) {
  int count = 0;
  for (Node *l = n->labels; l; l = l->next)
    count++;
  if (count == b->labels)
    return;
  if (b->labels == 0) {
    Diag *d = diag_at(k->c, E0308, n->labels->span, "block \"%s\" takes no label", b->name);
    diag_help(k->c, d, "write %s { ... }", b->name);
  } else if (count == 0) {
    Diag *d = diag_at(k->c, E0308, n->name_span, "block \"%s\" needs a name", b->name);
    diag_help(k->c, d, "write %s \"NAME\" { ... } (%.1024s)", b->name, b->label_doc);
  } else {
    Diag *d = diag_at(k->c, E0308, n->labels->next->span, "block \"%s\" takes one label, found %d",
                      b->name, count);
    diag_help(k->c, d, "write %s \"%.*s\" { ... }", b->name, S(n->labels->str));
  }
}

static bool has_extends(Node *n) {
  for (Node *i = n->body; i; i = i->next)
    if (i->kind == N_ATTR && str_eq_c(i->name, "extends"))
      return true;
  return false;
}

static void check_block(Checker *k, const SchemaBlock *b, Node *n) {
  check_labels(k, b, n);
  bool was = k->partial;
  k->partial |= b->partial || b->merged || has_extends(n);
  check_body(k, b, n, n->body);
  k->partial = was;
}

// Whether a form's attribute belongs to the block as written (SchemaAttr's
// unless and only_with): by its key attribute's presence.
static bool applies(const SchemaBlock *b, const SchemaAttr *a, Node **first_attr) {
  const char *key = a->unless ? a->unless : a->only_with;
  if (!key)
    return true;
  const SchemaAttr *k = schema_attr(b, str_c(key));
  bool present = k && first_attr[k - b->attrs];
  return a->unless ? !present : present;
}

static void missing(Checker *k, const SchemaBlock *b, Node *owner, Node **first_attr,
                    Node **first_block) {
  if (k->partial || !owner)
    return;
  int i = 0;
  for (const SchemaAttr *a = b->attrs; a && a->name; a++, i++) {
    if (a->required && !first_attr[i] && applies(b, a, first_attr)) {
      Diag *d = diag_at(k->c, E0304, owner->name_span, "missing required attribute \"%s\" %.1024s",
                        a->name, owner_phrase(k, owner));
      diag_help(k->c, d, "add %s = ... (%.1024s)", a->name, a->doc);
    }
  }
  i = 0;
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++, i++) {
    if ((*s)->required && !first_block[i]) {
      Diag *d = diag_at(k->c, E0304, owner->name_span, "missing required block \"%s\" %.1024s",
                        (*s)->name, owner_phrase(k, owner));
      diag_help(k->c, d, "add %s { ... } (%.1024s)", (*s)->name, (*s)->doc);
    }
  }
}

// s: the block written twice, NULL for an attribute.
static void duplicate(Checker *k, const SchemaBlock *s, Node *n, Node *first, Node *owner) {
  DiagCode code = s && s->twice_code != E0001 ? s->twice_code : E0305;
  Diag *d = diag_at(k->c, code, n->name_span, "duplicate %s \"%.*s\" %.1024s",
                    n->kind == N_BLOCK ? "block" : "attribute", S(n->name), owner_phrase(k, owner));
  diag_note(k->c, d, first->name_span, "first defined here");
  if (code != E0305)
    diag_help(k->c, d, "%s", s->twice_help);
}

// A required name the user evidently meant (misspelt, or written as the
// wrong kind of item) is not reported missing as well.
static void claim(const SchemaBlock *b, Str name, Node *n, Node **first_attr, Node **first_block) {
  const SchemaAttr *a = schema_attr(b, name);
  const SchemaBlock *s = schema_block(b, name);
  if (a && !first_attr[a - b->attrs])
    first_attr[a - b->attrs] = n;
  for (ptrdiff_t i = 0; s && b->blocks[i]; i++)
    if (b->blocks[i] == s && !first_block[i])
      first_block[i] = n;
}

static void check_attr_item(Checker *k, const SchemaBlock *b, Node *owner, Node *n,
                            Node **first_attr, Node **first_block) {
  const SchemaAttr *a = schema_attr(b, n->name);
  if (!a) {
    if (schema_block(b, n->name)) {
      Diag *d = diag_at(k->c, E0310, n->name_span, "\"%.*s\" is a block, not an attribute",
                        S(n->name));
      diag_help(k->c, d, "write %.*s { ... } without \"=\"", S(n->name));
      claim(b, n->name, n, first_attr, first_block);
    } else {
      claim(b, unknown_name(k, n, owner, b), n, first_attr, first_block);
    }
    return;
  }
  ptrdiff_t i = a - b->attrs;
  if (first_attr[i]) {
    duplicate(k, NULL, n, first_attr[i], owner);
    return;
  }
  first_attr[i] = n;
  check_value(k, a, a->t.type, n->value);
}

static void check_block_item(Checker *k, const SchemaBlock *b, Node *owner, Node *n,
                             Node **first_attr, Node **first_block, Map **labels) {
  const SchemaBlock *s = schema_block(b, n->name);
  if (!s) {
    const SchemaAttr *a = schema_attr(b, n->name);
    if (a) {
      Diag *d = diag_at(k->c, E0310, n->name_span, "\"%.*s\" is an attribute, not a block",
                        S(n->name));
      diag_help(k->c, d, "write %.*s = %s", S(n->name),
                a->t.type == T_MAP ? "{ KEY = value }" : "...");
      claim(b, n->name, n, first_attr, first_block);
    } else {
      claim(b, unknown_name(k, n, owner, b), n, first_attr, first_block);
    }
    return;
  }
  ptrdiff_t i = 0;
  while (b->blocks[i] != s)
    i++;
  if (!s->repeatable && first_block[i]) {
    duplicate(k, s, n, first_block[i], owner);
    return;
  }
  if (!first_block[i])
    first_block[i] = n;
  if (s->repeatable && s->labels == 1 && n->labels && !n->labels->next) {
    // Keyed by "kind label": a cluster and an in block may share a name.
    Node *prev = seen_before(k, labels, str_fmt(&k->c->arena, "%.*s %.*s", S(n->name),
                                             S(n->labels->str)), n);
    if (prev) {
      Diag *d = str_eq_c(n->name, "in")
                    ? diag_at(k->c, E0305, n->labels->span, "duplicate override in \"%.*s\" %.1024s",
                              S(n->labels->str), owner_phrase(k, owner))
                    : diag_at(k->c, E0305, n->labels->span, "duplicate %s \"%.*s\" %.1024s", s->name,
                              S(n->labels->str), owner_phrase(k, owner));
      diag_note(k->c, d, prev->labels->span, "first defined here");
      return;
    }
  }
  check_block(k, s, n);
}

static void check_body(Checker *k, const SchemaBlock *b, Node *owner, Node *items) {
  ptrdiff_t nattrs = 0, nblocks = 0;
  for (const SchemaAttr *a = b->attrs; a && a->name; a++)
    nattrs++;
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++)
    nblocks++;
  Node **first_attr = new(&k->c->arena, Node *, nattrs + 1);  // indexed like b's tables
  Node **first_block = new(&k->c->arena, Node *, nblocks + 1);
  Map *labels = NULL;
  for (Node *n = items; n; n = n->next) {
    if (n->kind == N_IMPORT)
      continue;
    if (n->kind == N_ATTR)
      check_attr_item(k, b, owner, n, first_attr, first_block);
    else
      check_block_item(k, b, owner, n, first_attr, first_block, &labels);
  }
  missing(k, b, owner, first_attr, first_block);
}

void schema_check_value(Compilation *c, const SchemaAttr *a, Node *value) {
  Checker k = {.c = c};
  check_value(&k, a, a->t.type, value);
}

void schema_check(Compilation *c, File *f) {
  Checker k = {.c = c};
  check_body(&k, &schema_file, NULL, f->items);
}
