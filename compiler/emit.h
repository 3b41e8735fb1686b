// emit.h: the output: a tree of files in memory, the emitters that fill it
// from the model, and output.c, which writes it to disk all or nothing.
//
//   DIR/ENV/vpc/main.tf.json           the environment's state
//   DIR/ENV/vpc/user_data.sh           its container instances' boot script
//   DIR/ENV/services/S/main.tf.json    one state per service
//   DIR/ENV/services/S/task-definition.json
//   DIR/.ecsc-manifest                 the files ecsc wrote, for the next build
#ifndef ECSC_EMIT_H
#define ECSC_EMIT_H

#include "model.h"

#include <jansson.h>

// jsonout.c
Str jsonout_dump(Arena *a, json_t *root);  // two-space JSON, trailing newline

// The ECS agent's dynamic host ports: the instances' security group opens
// exactly this range to the load balancer, and user data gives the agent the
// same (ECS Developer Guide, "Amazon ECS container agent configuration":
// ECS_DYNAMIC_HOST_PORT_RANGE; the seed's 32768-61000 is Docker's default).
enum { DYNAMIC_PORT_FIRST = 32768, DYNAMIC_PORT_LAST = 61000 };

// Versions the generated roots require (README.md says why these).
#define TERRAFORM_REQUIRED ">= 1.5.0"
#define TERRAFORM_REQUIRED_LOCKFILE ">= 1.10.0"  // S3 native state locking (use_lockfile)
#define AWS_PROVIDER_REQUIRED "~> 6.0"

typedef struct {
  Str path;   // relative to the output directory: "staging/vpc/main.tf.json"
  Str data;   // the bytes to write
} OutFile;

typedef struct {
  OutFile *files;  // sorted by path before writing
  int n, cap;
} OutTree;

// emit.c: every file of the tree, in a fixed order.
OutTree *emit(Compilation *c, Model *m, Str source);
void out_add(Compilation *c, OutTree *t, Str path, Str data);

// emit_tf.c: the Terraform JSON of the two kinds of state.
Str emit_tf_vpc(Compilation *c, Model *m, Environment *e, Str source);
Str emit_tf_service(Compilation *c, Model *m, Service *s, Str source);

// emit_taskdef.c: a RegisterTaskDefinition input, also what the service
// state reads its container definitions from.
Str emit_taskdef(Compilation *c, Model *m, Service *s);

// emit_userdata.c: the boot script of a cluster's instances, and its file's
// name: user_data.sh for the only cluster of an environment, else
// user_data_CLUSTER.sh; .toml for Bottlerocket, whose user data is settings.
Str emit_userdata(Compilation *c, Cluster *k);
Str emit_userdata_name(Arena *a, Cluster *k);
bool emit_userdata_bottlerocket_key(Str agent_key);  // has a settings.ecs equivalent

// output.c: the only writer of the output directory.
typedef enum { OUT_OK, OUT_DIFFERS, OUT_FAILED } OutResult;
OutResult output_write(Compilation *c, OutTree *t, const char *dir);
OutResult output_check(Compilation *c, OutTree *t, const char *dir, Buf *report);

#endif
