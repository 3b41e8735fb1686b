// tests/unit/test_schema.c: every typed default in the schema table is a
// value its own attribute accepts (type, range, form, choices), so a default
// can never be what a user could not write. Walks every block of the language.
#include "model.h"
#include "emit.h"

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

// Tenths of a percent (deployment canary_percent, linear_step): printed as
// written in the reference and in messages, and written into the Terraform
// JSON as the number itself, 0.1 and not 0.10000000000000001, 5 and not 5.0.
static void tenths(int *passed, int *failed) {
  const SchemaAttr *canary = schema_attr(schema_path("service.deployment"), STR("canary_percent"));
  Arena a = {0};
  static const struct { int64_t v; const char *text, *json; } cases[] = {
      {1, "0.1%", "[\n  0.1\n]\n"},   {25, "2.5%", "[\n  2.5\n]\n"},
      {50, "5%", "[\n  5\n]\n"},      {1000, "100%", "[\n  100\n]\n"},
      {-5, "-0.5%", "[\n  -0.5\n]\n"}, {999, "99.9%", "[\n  99.9\n]\n"},
  };
  for (int i = 0; i < countof(cases); i++) {
    bool ok = canary && canary->tenths &&
              str_eq_c(schema_attr_quantity(&a, canary, T_PERCENT, cases[i].v), cases[i].text) &&
              str_eq_c(jsonout_dump(&a, jsonout_arr(jsonout_tenths(cases[i].v))), cases[i].json);
    *(ok ? passed : failed) += 1;
    if (!ok)
      printf("FAIL tenths of a percent: %s\n", cases[i].text);
  }
  arena_free(&a);
}

// A list's EACH range (ports): every element judged, with the attribute's
// range code, and the list's length left alone.
static void each_element(int *passed, int *failed) {
  const SchemaAttr *ports = schema_attr(schema_path("service"), STR("ports"));
  static const struct { int64_t a, b; int errors; } cases[] = {
      {1, 65535, 0}, {0, 9090, 1}, {9090, 65536, 1}, {0, 70000, 2},
  };
  for (int i = 0; i < countof(cases); i++) {
    Compilation c;
    comp_init(&c);
    Node e[2] = {{.kind = N_INT, .v.i = cases[i].a}, {.kind = N_INT, .v.i = cases[i].b}};
    e[0].next = &e[1];
    Node list = {.kind = N_LIST, .body = &e[0]};
    schema_check_value(&c, ports, &list);
    bool ok = ports && ports->each_ranged && c.nerrors == cases[i].errors;
    for (Diag *d = c.diags; d; d = d->next)
      ok = ok && d->code == E0520;
    *(ok ? passed : failed) += 1;
    if (!ok)
      printf("FAIL ports [%lld, %lld]: %d errors, E0520 each\n", (long long)cases[i].a,
             (long long)cases[i].b, cases[i].errors);
    comp_free(&c);
  }
}

void test_schema(int *passed, int *failed);

void test_schema(int *passed, int *failed) {
  Walk w = {passed, failed, {0}, 0};
  defaults_of(&w, &schema_file);
  tenths(passed, failed);
  each_element(passed, failed);
}
