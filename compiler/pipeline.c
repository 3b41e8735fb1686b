// pipeline.c: the stages in their order, from a root file to a checked
// model, for every command that needs one (lint, build, graph, ...) and for
// the fuzz harnesses, so that what is fuzzed is what runs. Values come
// through the caller, who alone reads files (main.c; the harness from
// memory), and only once every file has passed the schema.
#include "model.h"

// The whole pipeline in memory: every file parsed, then held against the
// schema, resolved into the model, checked, and its IAM derived. A stage runs
// only when those before it were clean, so a syntax error never cascades into
// errors about what it broke. Suppression comments are read once every file
// is parsed, and judged unused only when every stage has run.
Model *pipeline_run(Compilation *c, Source *root, PipelineValues load, const void *ctx) {
  ptrdiff_t n;
  File **files = imports_load(c, root, &n);
  if (c->nerrors)
    return NULL;
  suppress_scan(c);
  int base = c->nerrors;  // a bad suppression comment stops no stage
  for (ptrdiff_t i = 0; i < n; i++) {
    if (!files[i]->items)
      diag_file(c, W0001, files[i]->src->path, "file declares nothing")->file = files[i]->src;
    schema_check(c, files[i]);
  }
  if (c->nerrors > base)
    return NULL;
  Values *values = load ? load(c, ctx) : NULL;
  if (c->nerrors > base)
    return NULL;
  Model *m = resolve(c, files, n, values);
  if (c->nerrors > base)
    return NULL;
  derive(&c->arena, m);
  check(c, m);
  check_iam(c, m);
  suppress_report_unused(c);
  return m;
}
