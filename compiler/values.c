// values.c: placeholder until the values file lands: no values.
#include "model.h"

Values *values_load(Compilation *c, Source *src) {
  (void)c;
  (void)src;
  return NULL;
}

Node *values_lookup(Values *v, Str name, Str env) {
  (void)v;
  (void)name;
  (void)env;
  return NULL;
}

void values_check(Compilation *c, Values *v, const Str *vars, int nvars, const Str *envs,
                  int nenvs) {
  (void)c, (void)v, (void)vars, (void)nvars, (void)envs, (void)nenvs;
}
