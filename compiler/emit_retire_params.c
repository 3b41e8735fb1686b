// emit_retire_params.c: a plain parameter the previous build's VPC state
// made (aws_ssm_parameter, emit_tf.c tf_parameters) that this build deletes,
// its path changed or its block removed, while services of this build read
// it in their previous revisions (E1235). Reads DIR, writes nothing.
//
// The parameter's SSM name is "name", ForceNew in the AWS provider
// (internal/service/ssm/parameter.go, resourceParameter: "name" ForceNew),
// so a new path deletes the old parameter and creates another; Terraform
// destroys first, as the resource is not create_before_destroy. The VPC
// state is applied before the service states (README, "What it writes";
// build --changed=json), so from its apply until a service's state is
// applied and its deployment done, the service's running revision names a
// parameter that is gone. ECS reads a secret when it starts a container
// (ECS Developer Guide, "Pass Systems Manager parameters through Amazon ECS
// environment variables": the value is injected "when the container is
// initially started"), so every task it starts of that revision in the
// window (a scale-out, an unhealthy task replaced) fails to start, and so
// does the deployment circuit breaker's rollback to that revision: the
// service is left with no task of either revision (review6 finding A10; the
// exact ECS error text is not documented there).
//
// Keeping the old parameter for one build in the VPC state, from what DIR
// holds, would make the bytes written depend on DIR, which they never do
// (emit_retire.c; README: same input, same bytes; build --check): so the
// build is refused, and its help gives the two builds that keep both
// parameters while the services move (as E0880 does for a capacity
// provider). A service removed from the source is not counted: its state is
// destroyed, its revision is not rolled back to.
//
// Not judged here: a parameter kept under the same SSM name, a plain one
// made secure or external (the value leaves Terraform: deleting it is what
// the new source asks), or one renamed with the same path (the new
// Terraform name creates what the old one deletes, in no order).
#include "emit.h"

#include <string.h>

// A parameter of the previous VPC state that this build does not make.
typedef struct {
  Str tf;    // T of aws_ssm_parameter.T
  Str name;  // its SSM name
  Str from;  // where the previous build made it from ("//"), or {0}
} OldParameter;

// Whether a parameter of this build, of any kind, has SSM name `name`.
static bool name_kept(const Model *m, const Environment *e, Str name) {
  for (int i = 0; i < m->nparams; i++)
    if (str_eq(e->ssm_names[m->params[i]->index], name))
      return true;
  return false;
}

// This build's parameter of Terraform name tf (the same block, maybe at a
// new path), NULL when its block is gone.
static const Parameter *parameter_by_tf(const Model *m, Str tf) {
  for (int i = 0; i < m->nparams; i++)
    if (model_parameter_valued(m->params[i]) && str_eq(m->params[i]->tf_name, tf))
      return m->params[i];
  return NULL;
}

// Whether a container of the previous task definition reads parameter name:
// a secret's valueFrom is the parameter's ARN, or its name (emit_taskdef.c,
// value_from; ECS API Reference, Secret: "the full ARN of the parameter in
// the SSM Parameter Store", or "the name" in the task's Region).
static bool reads(json_t *taskdef, Str name, Arena *a) {
  Str arn_tail = str_fmt(a, ":parameter%.*s", S(name));
  size_t i, j;
  json_t *k, *secret;
  json_array_foreach(previous_member(taskdef, "containerDefinitions"), i, k) {
    json_array_foreach(previous_member(k, "secrets"), j, secret) {
      Str from = previous_text(previous_member(secret, "valueFrom"));
      if (str_eq(from, name) ||
          (from.len > arn_tail.len &&
           memcmp(from.ptr + from.len - arn_tail.len, arn_tail.ptr, (size_t)arn_tail.len) == 0))
        return true;
    }
  }
  return false;
}

static void report_parameter(Compilation *c, const Model *m, const Environment *e,
                             const OldParameter *p, const Service **readers, int n) {
  const Parameter *now = parameter_by_tf(m, p->tf);
  Span at = now ? span_or(now->at.path, now->span) : readers[0]->span;
  const char *why = now ? "its path changed" : "its block removed";
  Diag *d = n == 1
      ? diag_at(c, E1235, at, "parameter \"%.*s\" would be deleted (%s) while service \"%.*s\" "
                "still reads it: the VPC state, applied first, deletes it, and no task of the "
                "service's running revision could start again (a scale-out, a replacement, a "
                "rollback)", S(p->name), why, S(readers[0]->name))
      : diag_at(c, E1235, at, "parameter \"%.*s\" would be deleted (%s) while %d services "
                "still read it: the VPC state, applied first, deletes it, and no task of their "
                "running revisions could start again (a scale-out, a replacement, a rollback)",
                S(p->name), why, n);
  for (int i = now ? 0 : 1; i < n; i++)
    diag_note(c, d, readers[i]->span, "service \"%.*s\" reads it until its state is applied",
              S(readers[i]->name));
  if (now)
    diag_help(c, d, "in two builds: keep parameter \"%.*s\" at its old path in this one, "
              "declare the new path as another parameter and point the services at it; build "
              "and apply (%.*s/vpc, then the services' states); then remove \"%.*s\" and build "
              "again", S(now->name), S(e->name), S(now->name));
  else
    diag_help(c, d, "in two builds: keep %s%.*s%s in this one while the services stop reading "
              "it, build and apply (%.*s/vpc, then the services' states); then remove it and "
              "build again", p->from.len ? "what made it (" : "the parameter", S(p->from),
              p->from.len ? ")" : "", S(e->name));
}

static OldParameter *gone_parameters(Arena *a, const Model *m, const Environment *e,
                                     json_t *vpc, int *n) {
  json_t *params = previous_at(vpc, "resource", "aws_ssm_parameter", NULL);
  OldParameter *gone = new(a, OldParameter, (ptrdiff_t)json_object_size(params) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(params, key, r) {
    Str name = previous_text(previous_member(r, "name"));
    if (name.len && !name_kept(m, e, name))
      gone[(*n)++] = (OldParameter){str_c(key), name, previous_made_from(r)};
  }
  return gone;
}

void emit_retire_params(Compilation *c, Arena *a, const Model *m, const Environment *e,
                        const char *dir, json_t *vpc) {
  int n;
  OldParameter *gone = gone_parameters(a, m, e, vpc, &n);
  if (!n)
    return;
  json_t **taskdefs = new(a, json_t *, e->nservices + 1);
  for (int i = 0; i < e->nservices; i++)
    taskdefs[i] = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/task-definition.json",
                                                 S(e->name), S(e->services[i]->name)));
  const Service **readers = new(a, const Service *, e->nservices + 1);
  for (int k = 0; k < n; k++) {
    int nreaders = 0;
    for (int i = 0; i < e->nservices; i++)
      if (reads(taskdefs[i], gone[k].name, a))
        readers[nreaders++] = e->services[i];
    if (nreaders)
      report_parameter(c, m, e, &gone[k], readers, nreaders);
  }
  for (int i = 0; i < e->nservices; i++)
    json_decref(taskdefs[i]);
}
