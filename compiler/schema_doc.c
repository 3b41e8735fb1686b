// schema_doc.c: prints the schema (schema.c) as the Markdown attribute
// reference that `ecsc schema` shows and grammar/README.md embeds, so the
// documentation is generated from the very table the checker enforces.
#include "syntax.h"

#include <string.h>

typedef struct {
  Arena *arena;
  Buf *out;
  const SchemaBlock *seen[64];  // blocks shared by several parents print once
  int nseen;
} Doc;

static const char *type_text(Doc *d, const SchemaAttr *a) {
  TypeSpec t = a->t;
  switch (t.type) {
  case T_LIST:
    return str_fmt(d->arena, "list of %s", schema_type_name((TypeSpec){t.elem, 0, NULL})).ptr;
  case T_MAP:
    if (t.elem == T_REF)
      return str_fmt(d->arena, "map of %s.NAME", t.choices[0]).ptr;
    return str_fmt(d->arena, "map of %s", schema_type_name((TypeSpec){t.elem, 0, NULL})).ptr;
  case T_REF:
    return str_fmt(d->arena, "%s.NAME", t.choices[0]).ptr;
  case T_COMMAND:
    return "string or list of strings";
  default:
    return schema_type_name(t);
  }
}

static void allowed(Doc *d, const SchemaAttr *a) {
  Buf *out = d->out;
  bool any = false;
  if (a->ranged && a->t.type == T_CIDR) {
    buf_printf(out, "prefix /%lld to /%lld", (long long)a->min, (long long)a->max);
    any = true;
  } else if (a->ranged) {
    ValueType t = a->t.type == T_LIST ? T_INT : a->t.type;
    buf_printf(out, "%.*s to %.*s%s", S(schema_attr_quantity(d->arena, a, t, a->min)),
               S(schema_attr_quantity(d->arena, a, t, a->max)),
               a->t.type == T_LIST ? " items" : "");
    any = true;
  }
  if (a->each_ranged) {
    buf_printf(out, "%seach %lld to %lld", any ? "; " : "", (long long)a->each_min,
               (long long)a->each_max);
    any = true;
  }
  if (a->pattern_doc) {
    buf_printf(out, "%s%s", any ? "; " : "", a->pattern_doc);
    any = true;
  }
  if (a->t.type == T_ENUM) {
    buf_puts(out, any ? "; " : "");
    for (const char *const *c = a->t.choices; *c; c++)
      buf_printf(out, "%s`\"%s\"`", c == a->t.choices ? "" : ", ", *c);
    any = true;
  }
  if (a->key_doc) {
    buf_printf(out, "%skeys: %s", any ? "; " : "", a->key_doc);
    any = true;
  }
  if (a->keys) {
    buf_puts(out, any ? "; keys: " : "keys: ");
    for (const char *const *k = a->keys; *k; k++)
      buf_printf(out, "%s`%s`", k == a->keys ? "" : ", ", *k);
  }
}

static bool seen(Doc *d, const SchemaBlock *b) {
  for (int i = 0; i < d->nseen; i++)
    if (d->seen[i] == b)
      return true;
  d->seen[d->nseen++] = b;
  return false;
}

static void doc_block(Doc *d, const SchemaBlock *b, const char *path);

// "yes", "no", or for one form of a block written two ways (SchemaAttr's
// unless and only_with), when it is required and when refused.
static const char *required_text(Doc *d, const SchemaAttr *a) {
  if (a->unless)
    return str_fmt(d->arena, "%s without `%s`; refused with it", a->required ? "yes" : "no",
                   a->unless).ptr;
  if (a->only_with)
    return str_fmt(d->arena, "%s with `%s`; refused without it", a->required ? "yes" : "no",
                   a->only_with).ptr;
  return a->required ? "yes" : "no";
}

static void attributes(Doc *d, const SchemaBlock *b) {
  if (!b->attrs || !b->attrs->name)
    return;
  Buf *out = d->out;
  buf_puts(out, "| attribute | type | required | default | allowed | description |\n");
  buf_puts(out, "| --- | --- | --- | --- | --- | --- |\n");
  for (const SchemaAttr *a = b->attrs; a->name; a++) {
    buf_printf(out, "| `%s` | %s | %s | ", a->name, type_text(d, a), required_text(d, a));
    Str def = schema_default_text(d->arena, a);
    if (def.len)
      buf_printf(out, a->def.type == T_ANY ? "%.*s" : "`%.*s`", (int)def.len, def.ptr);
    buf_puts(out, " | ");
    allowed(d, a);
    buf_printf(out, " | %s |\n", a->doc);
  }
  buf_putc(out, '\n');
}

static void doc_block(Doc *d, const SchemaBlock *b, const char *path) {
  Buf *out = d->out;
  const char *here = path ? str_fmt(d->arena, "%s › %s", path, b->name).ptr : b->name;
  if (seen(d, b)) {
    return;
  }
  buf_printf(out, "### `%s`\n\n", here);
  if (b->labels)
    buf_printf(out, "`%s \"NAME\" { ... }`: the name is %s. ", b->name, b->label_doc);
  else
    buf_printf(out, "`%s { ... }`. ", b->name);
  buf_printf(out, "%c%s.", b->doc[0] - ('a' <= b->doc[0] && b->doc[0] <= 'z' ? 32 : 0), b->doc + 1);
  if (b->required)
    buf_puts(out, " Required.");
  else if (b->repeatable)
    buf_puts(out, " May be repeated.");
  else if (path)
    buf_puts(out, " Optional, at most once.");
  if (b->partial)
    buf_puts(out, " Nothing in it is required: the settings are merged with others.");
  buf_puts(out, "\n\n");
  if (b->shares) {
    buf_printf(out, "It takes %s.\n\n", b->shares);
    return;
  }
  attributes(d, b);
  if (b->blocks && *b->blocks) {
    buf_puts(out, "Blocks:");
    for (const SchemaBlock *const *s = b->blocks; *s; s++)
      buf_printf(out, " `%s`%s", (*s)->name, s[1] ? "," : ".");
    buf_puts(out, "\n\n");
  }
  for (const SchemaBlock *const *s = b->blocks; s && *s; s++)
    doc_block(d, *s, here);
}

void schema_markdown(Buf *out) {
  Doc d = {.arena = out->arena, .out = out};
  buf_puts(out, "<!-- generated by `ecsc schema` from compiler/schema.c: edit that, then run "
                "`make docs` -->\n\n");
  for (const SchemaBlock *const *s = schema_file.blocks; *s; s++)
    doc_block(&d, *s, NULL);
}
