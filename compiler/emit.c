// emit.c: the output tree: every file a build writes, from the model, in a
// fixed order, so the same input gives the same bytes everywhere.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

void out_add(Compilation *c, OutTree *t, Str path, Str data) {
  if (t->n == t->cap) {
    int cap = t->cap ? 2 * t->cap : 64;
    OutFile *grown = new(&c->arena, OutFile, cap);
    if (t->n)
      memcpy(grown, t->files, sizeof(OutFile) * (size_t)t->n);
    t->files = grown;
    t->cap = cap;
  }
  t->files[t->n++] = (OutFile){path, data};
}

static int by_path(const void *a, const void *b) {
  return str_cmp(((const OutFile *)a)->path, ((const OutFile *)b)->path);
}

OutTree *emit(Compilation *c, Model *m, Str source) {
  OutTree *t = new(&c->arena, OutTree, 1);
  Arena *a = &c->arena;
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    out_add(c, t, str_fmt(a, "%.*s/vpc/main.tf.json", S(e->name)), emit_tf_vpc(c, m, e, source));
    for (int k = 0; k < e->nclusters; k++)
      out_add(c, t, str_fmt(a, "%.*s/vpc/%.*s", S(e->name), S(emit_userdata_name(a, e->clusters[k]))),
              emit_userdata(c, e->clusters[k]));
    for (int k = 0; k < e->nservices; k++) {
      Service *s = e->services[k];
      Str dir = str_fmt(a, "%.*s/services/%.*s", S(e->name), S(s->name));
      out_add(c, t, str_fmt(a, "%.*s/main.tf.json", S(dir)), emit_tf_service(c, m, s, source));
      out_add(c, t, str_fmt(a, "%.*s/task-definition.json", S(dir)), emit_taskdef(c, m, s));
    }
  }
  qsort(t->files, (size_t)t->n, sizeof *t->files, by_path);
  return t;
}
