// tests/unit/test_schema.c: every typed default in the schema table is a
// value its own attribute accepts (type, range, form, choices), so a default
// can never be what a user could not write. Walks every block of the language.
#include "model.h"

#include <stdio.h>

typedef struct {
  int *passed, *failed;
  const SchemaBlock *seen[256];  // blocks are shared (service and its `in`)
  int nseen;
} Walk;

static bool seen(Walk *w, const SchemaBlock *b) {
  for (int i = 0; i < w->nseen; i++)
    if (w->seen[i] == b)
      return true;
  if (w->nseen < 256)
    w->seen[w->nseen++] = b;
  return false;
}

static void defaults_of(Walk *w, const SchemaBlock *b) {
  if (seen(w, b))
    return;
  for (const SchemaAttr *a = b->attrs; a && a->name; a++) {
    if (a->def.type == T_ANY)
      continue;
    Compilation c;
    comp_init(&c);
    Node *v = schema_default(&c, a);
    schema_check_value(&c, a, v);
    bool ok = v && c.nerrors == 0 && c.nwarnings == 0;
    *(ok ? w->passed : w->failed) += 1;
    if (!ok)
      printf("FAIL the default of %s.%s is a value it accepts\n", b->name, a->name);
    comp_free(&c);
  }
  for (const SchemaBlock *const *k = b->blocks; k && *k; k++)
    defaults_of(w, *k);
}

void test_schema(int *passed, int *failed);

void test_schema(int *passed, int *failed) {
  Walk w = {passed, failed, {0}, 0};
  defaults_of(&w, &schema_file);
}
