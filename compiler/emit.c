// emit.c: the output tree: every file a build writes, from the model, in a
// fixed order, so the same input gives the same bytes everywhere; and each
// file's bytes on demand, from the emitter of its kind (makers.c calls it on
// every core).
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static void add_output(Compilation *c, OutTree *t, Str path, OutKind kind, void *of, Str data) {
  *list_push(&c->arena, t) = (OutFile){path, kind, of, data};
}

Str emit_bytes(const Emitter *em, const OutFile *f) {
  jsonout_arena_begin(em->arena);
  Str data;
  switch (f->kind) {
  case OUT_VPC: data = emit_tf_vpc(em, f->of); break;
  case OUT_USERDATA: data = emit_userdata(em, f->of); break;
  case OUT_SERVICE: data = emit_tf_service(em, f->of); break;
  case OUT_TASKDEF: data = emit_taskdef(em, f->of); break;
  default: data = f->data; break;
  }
  jsonout_arena_end();
  return data;
}

static int by_path(const void *a, const void *b) {
  return str_cmp(((const OutFile *)a)->path, ((const OutFile *)b)->path);
}

// The paths of the tree and what each is made from; the bytes come later,
// file by file (emit_bytes).
OutTree *emit(Compilation *c, Model *m, Str source) {
  OutTree *t = new(&c->arena, OutTree, 1);
  t->m = m;
  t->source = source;
  Arena *a = &c->arena;
  // Without an environment a build would write nothing but its manifest,
  // and exit 0 as if it had done its job (lint only warns: W0510).
  if (!m->nenvs) {
    Diag *d = m->project ? diag_at(c, E0519, m->project->span, "nothing to build: project \"%.*s\" "
                                   "declares no environment", S(m->project->name))
                         : diag_file(c, E0519, source, "nothing to build: no environment");
    diag_help(c, d, "declare one: environment \"staging\" { vpc { ... } cluster \"a\" { ... } }");
    return t;
  }
  // Line indexes are built on first use: build them now, in the arena that
  // lasts, not in a file's scratch that is rewound.
  for (ptrdiff_t i = 0; i < c->sources.len; i++)
    source_linecol(a, c->sources.items[i], 0);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    add_output(c, t, str_fmt(a, "%.*s/vpc/main.tf.json", S(e->name)), OUT_VPC, e, (Str){0});
    for (int k = 0; k < e->nclusters; k++) {
      // A file for the cluster's instances, which its groups share, and one
      // for each group whose user data differs; none for Fargate alone.
      Cluster *cl = e->clusters[k];
      bool shared = model_has_instances(cl);
      for (int j = 0; j < cl->ngroups; j++) {
        if (!emit_userdata_own(cl->groups[j])) {
          shared = true;
          continue;
        }
        add_output(c, t, str_fmt(a, "%.*s/vpc/%.*s", S(e->name), S(emit_userdata_name(a, cl->groups[j]))),
            OUT_USERDATA, cl->groups[j], (Str){0});
      }
      if (shared)
        add_output(c, t, str_fmt(a, "%.*s/vpc/%.*s", S(e->name), S(emit_userdata_name(a, e->clusters[k]))),
            OUT_USERDATA, e->clusters[k], (Str){0});
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *s = e->services[k];
      Str dir = str_fmt(a, "%.*s/services/%.*s", S(e->name), S(s->name));
      add_output(c, t, str_fmt(a, "%.*s/main.tf.json", S(dir)), OUT_SERVICE, s, (Str){0});
      add_output(c, t, str_fmt(a, "%.*s/task-definition.json", S(dir)), OUT_TASKDEF, s, (Str){0});
    }
  }
  if (t->len > 1)  // qsort of no files is undefined: items is NULL then
    qsort(t->items, (size_t)t->len, sizeof *t->items, by_path);
  return t;
}
