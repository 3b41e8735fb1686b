// emit.h: the output: a tree of files in memory, the emitters that fill it
// from the model, and output.c, which writes it to disk all or nothing.
//
//   DIR/ENV/vpc/main.tf.json           the environment's state
//   DIR/ENV/vpc/user_data_CLUSTER.sh   a cluster's container instances' boot script
//   DIR/ENV/services/S/main.tf.json    one state per service
//   DIR/ENV/services/S/task-definition.json
//   DIR/.ecsc-manifest                 the files ecsc wrote, for the next build
#ifndef ECSC_EMIT_H
#define ECSC_EMIT_H

#include "model.h"

#include <jansson.h>

// jsonout.c
Str jsonout_dump(Arena *a, json_t *root);  // two-space JSON, trailing newline
// Between begin and end, Jansson allocates from the arena and frees nothing:
// an emitter's objects go when the arena rewinds (they are many and short-lived).
void jsonout_arena_begin(Arena *a);
void jsonout_arena_end(void);


// Versions the generated roots require (README.md says why these).
#define TERRAFORM_REQUIRED_LOCKFILE ">= 1.10.0"  // S3 native state locking (use_lockfile)
#define AWS_PROVIDER_REQUIRED "~> 6.11"  // sigint_rollback of aws_ecs_service (6.11.0)

// A file of the tree. Its bytes are made when output.c asks for them
// (out_data), one file at a time in a scratch part of the arena, so a build
// of ten thousand states holds one of them in memory, not all.
typedef enum { OUT_BYTES, OUT_VPC, OUT_USERDATA, OUT_SERVICE, OUT_TASKDEF } OutKind;

typedef struct {
  Str path;   // relative to the output directory: "staging/vpc/main.tf.json"
  OutKind kind;
  void *of;   // the Environment, Cluster or Service it is made from
  Str data;   // OUT_BYTES: the bytes themselves
} OutFile;

typedef struct {
  OutFile *files;
  int n, cap;
  Model *m;
  Str source;  // the root file, as named on the command line
} OutTree;

// emit.c: every file of the tree, and each one's bytes on demand.
OutTree *emit(Compilation *c, Model *m, Str source);
void out_add(Compilation *c, OutTree *t, Str path, Str data);
// The file's bytes, made now in c's arena: callers take an arena_mark
// before and rewind after using them. Makes no diagnostics; what could go
// wrong (ecsc's own bug) is left in c->bad_read, which out_failed reports.
Str out_data(Compilation *c, OutTree *t, const OutFile *f);
bool out_failed(Compilation *c);

// The files' bytes in the given order, made on other threads ahead of the
// caller; each Str stays valid until the next call. End the stream before
// reading c->bad_read (out_failed).
typedef struct OutStream OutStream;
OutStream *out_stream(Compilation *c, OutTree *t, const OutFile *const *order, ptrdiff_t n);
Str out_stream_next(OutStream *s);
void out_stream_end(OutStream *s);

// Each file's bytes handed to use(ctx, file, bytes) on the makers' threads,
// side by side, in no order; use must be thread-safe, and its returning
// false stops them all. False when one did.
typedef bool OutUse(void *ctx, const OutFile *f, Str data);
bool out_each(Compilation *c, OutTree *t, const OutFile *const *files, ptrdiff_t n, OutUse *use,
              void *ctx);

// emit_tf.c: the Terraform JSON of the two kinds of state.
Str emit_tf_vpc(Compilation *c, Model *m, Environment *e, Str source);
Str emit_tf_service(Compilation *c, Model *m, Service *s, Str source);

// emit_taskdef.c: a RegisterTaskDefinition input, also what the service
// state reads its container definitions from.
Str emit_taskdef(Compilation *c, Model *m, Service *s);

// emit_userdata.c: the boot script of a cluster's instances, and its file's
// name: user_data_CLUSTER.sh; .toml for Bottlerocket, whose user data is
// settings.
Str emit_userdata(Compilation *c, Cluster *k);
Str emit_userdata_name(Arena *a, Cluster *k);
bool emit_userdata_bottlerocket_key(Str agent_key);  // has a settings.ecs equivalent

// graph.c: `ecsc graph`: the deployment's dependency graph and the apply
// order of its states, as Graphviz DOT or (json) one JSON document.
void graph_write(Compilation *c, Model *m, Str source, bool json, Buf *out);

// import_compose.c: `ecsc import compose`: a Docker Compose file as the
// text of an env.ecs ({0} after reporting why not).
Str import_compose(Compilation *c, Source *src);

// output.c: the only writer of the output directory.
typedef enum { OUT_OK, OUT_DIFFERS, OUT_FAILED } OutResult;
OutResult output_write(Compilation *c, OutTree *t, const char *dir);
OutResult output_check(Compilation *c, OutTree *t, const char *dir, Buf *report);
// Only what output_write does first: finishes, or throws away, what a build
// killed halfway left in DIR (tests look at DIR in between).
OutResult output_recover(Compilation *c, const char *dir);

#endif
