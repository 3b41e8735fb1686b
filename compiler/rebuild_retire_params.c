// rebuild_retire_params.c: what this build does to the SSM parameters the
// previous build's VPC state made (aws_ssm_parameter, emit_tf_vpc.c
// tf_parameters) or its services read, against DIR: a plain parameter it
// deletes, its path changed or its block removed, while services of this
// build read it in their previous revisions (E1235); one at a kept name that
// is secure, external or value-less now, which the apply deletes (W1235); one it makes
// at a name the previous build read and did not make, which the apply
// cannot create (W1236); and one whose block is renamed at a kept name,
// made and deleted in no order (W1237). Reads DIR, writes nothing.
//
// What the AWS provider does with a parameter (terraform-provider-aws,
// internal/service/ssm/parameter.go, resourceParameter): "name" is
// ForceNew, "type" is not: a new type is an update, resourceParameterUpdate's
// PutParameter of the name with the new Type and Overwrite true (unless the
// configuration sets overwrite); the create sends Overwrite false unless
// the configuration sets overwrite (shouldUpdateParameter: "if it is not a
// new resource, otherwise overwrite should be set to false"), and
// PutParameter then fails on a name that exists: ParameterAlreadyExists,
// "The parameter already exists. You can't create duplicate parameters"
// (Systems Manager API Reference, PutParameter; Overwrite: "Overwrite an
// existing parameter. The default value is false"); the delete is
// DeleteParameter of the name, whatever the parameter holds. And
// PutParameter refuses that update in a hierarchy: its
// HierarchyTypeMismatchException is "Parameter Store doesn't support
// changing a parameter type in a hierarchy. For example, you can't change a
// parameter from a String type to a SecureString type. You must create a
// new, unique parameter" (Systems Manager API Reference, PutParameter;
// botocore data/ssm/2014-11-06/service-2.json). Every name ecsc makes is in
// one (/PREFIX/path). Outside a hierarchy the same update goes through: the
// provider's TestAccSSMParameter_updateType changes a SecureString to a
// String in place at a name with no "/" (internal/service/ssm/
// parameter_test.go; hashicorp/terraform-provider-aws#10819). So a parameter
// of ecsc's that changes between plain and secure is deleted and made
// again, with a gap, unless its readers move to another name first
// (E1235's two builds). What the refusal's message says AWS does not
// publish beyond the exception's name and text above.
//
// E1235. A new path is a new name, ForceNew, so the old parameter is
// deleted and another created; Terraform destroys first, as the resource
// is not create_before_destroy. The VPC
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
// (rebuild_retire.c; README: same input, same bytes; build --check): so the
// build is refused, and its help gives the two builds that keep both
// parameters while the services move (as E0880 does for a capacity
// provider). A service removed from the source is not counted: its state is
// destroyed, its revision is not rolled back to.
//
// A parameter kept under the same SSM name is not E1235's: made secure or
// external, W1235; renamed, W1237.
#include "rebuild.h"

#include <string.h>

// A parameter of the previous VPC state.
typedef struct {
  Str tf;    // T of aws_ssm_parameter.T
  Str name;  // its SSM name
  Str from;  // where the previous build made it from ("//"), or {0}
} OldParameter;

// What the checks of one environment share: the previous build's
// parameters, and its task definitions, read once when a check needs them.
typedef struct {
  Compilation *c;
  Arena *a;
  const Model *m;
  const Environment *e;
  const char *dir;
  OldParameter *old;  // the previous VPC state's parameters
  int nold;
  json_t **taskdefs;  // by e->services' index; NULL until read
  const Service **readers;  // of the last readers_of
} ParamsCheck;

// Whether ref, a parameter's name or ARN (an external one's as written, a
// valueFrom), names the parameter of SSM name `name` in e's account and
// Region: an ARN ends in ":parameter" and the name, with one slash between
// (derive.c, ssm_names), and names another parameter when its Region, or
// its account where both are known, is another (a parameter of another
// account or Region is another parameter: SSM names are per account and
// Region).
static bool names_parameter(Arena *a, const Environment *e, Str ref, Str name) {
  if (str_eq(ref, name))
    return true;
  if (!str_starts_with(ref, STR("arn:")))
    return false;
  Str region = model_arn_part(ref, 2), account = model_arn_part(ref, 3);
  if (!str_eq(region, e->region) || (e->account.len && !str_eq(account, e->account)))
    return false;
  Str tail = str_fmt(a, ":parameter%s%.*s", str_starts_with(name, STR("/")) ? "" : "/", S(name));
  return ref.len > tail.len &&
         memcmp(ref.ptr + ref.len - tail.len, tail.ptr, (size_t)tail.len) == 0;
}

// This build's parameter of SSM name `name`, of any kind, or NULL.
static const Parameter *parameter_named(const ParamsCheck *k, Str name) {
  for (int i = 0; i < k->m->nparams; i++)
    if (names_parameter(k->a, k->e, k->e->ssm_names[k->m->params[i]->index], name))
      return k->m->params[i];
  return NULL;
}

// The previous VPC state's parameter of SSM name `name`, or NULL.
static const OldParameter *old_named(const ParamsCheck *k, Str name) {
  for (int i = 0; i < k->nold; i++)
    if (str_eq(k->old[i].name, name))
      return &k->old[i];
  return NULL;
}

// Whether the previous VPC state's aws_ssm_parameter.TF made name too.
static bool held_as(const ParamsCheck *k, Str tf, Str name) {
  for (int i = 0; i < k->nold; i++)
    if (str_eq(k->old[i].tf, tf) && str_eq(k->old[i].name, name))
      return true;
  return false;
}

// Whether a container of the previous task definition reads parameter name:
// a secret's valueFrom is the parameter's ARN, or its name (emit_taskdef.c,
// value_from; ECS API Reference, Secret: "the full ARN of the parameter in
// the SSM Parameter Store", or "the name" in the task's Region).
static bool reads(const Environment *e, json_t *taskdef, Str name, Arena *a) {
  size_t i, j;
  json_t *k, *secret;
  json_array_foreach(previous_member(taskdef, "containerDefinitions"), i, k) {
    json_array_foreach(previous_member(k, "secrets"), j, secret) {
      if (names_parameter(a, e, previous_text(previous_member(secret, "valueFrom")), name))
        return true;
    }
  }
  return false;
}

// The services of this build whose previous task definitions read
// parameter name, in k->readers; how many.
static int readers_of(ParamsCheck *k, Str name) {
  const Environment *e = k->e;
  if (!k->taskdefs) {
    k->taskdefs = new(k->a, json_t *, e->nservices + 1);
    k->readers = new(k->a, const Service *, e->nservices + 1);
    for (int i = 0; i < e->nservices; i++)
      k->taskdefs[i] = previous_state(k->a, k->dir,
                                      str_fmt(k->a, "%.*s/services/%.*s/task-definition.json",
                                              S(e->name), S(e->services[i]->name)));
  }
  int n = 0;
  for (int i = 0; i < e->nservices; i++)
    if (reads(k->e, k->taskdefs[i], name, k->a))
      k->readers[n++] = e->services[i];
  return n;
}

// This build's parameter block of Terraform name tf, of any kind, or NULL.
static const Parameter *block_by_tf(const Model *m, Str tf) {
  for (int i = 0; i < m->nparams; i++)
    if (str_eq(m->params[i]->tf_name, tf))
      return m->params[i];
  return NULL;
}

static void report_parameter(ParamsCheck *k, const OldParameter *p, int n) {
  Compilation *c = k->c;
  const Service **readers = k->readers;
  // The block that made it: at a new path (now), made secure or external
  // at another name (a block ecsc makes nothing of), or gone.
  const Parameter *block = block_by_tf(k->m, p->tf);
  const Parameter *now = block && model_parameter_valued(block) ? block : NULL;
  const char *kind = block && block->external.len ? "external"
                     : block && block->secure       ? "secure"
                                                    : "value-less";
  Span at = !block ? readers[0]->span
            : now  ? span_or(now->at.path, now->span)
                   : span_or(block->external.len ? block->at.external : block->at.path,
                             block->span);
  const char *why = now ? "its path changed" : !block ? "its block removed"
                    : block->external.len ? "its block made external"
                    : block->secure       ? "its block made secure"
                                          : "its value removed";
  Diag *d = n == 1
      ? diag_at(c, E1235, at, "parameter \"%.*s\" would be deleted (%s) while service \"%.*s\" "
                "still reads it: the VPC state, applied first, deletes it, and no task of the "
                "service's running revision could start again (a scale-out, a replacement, a "
                "rollback)", S(p->name), why, S(readers[0]->name))
      : diag_at(c, E1235, at, "parameter \"%.*s\" would be deleted (%s) while %d services "
                "still read it: the VPC state, applied first, deletes it, and no task of their "
                "running revisions could start again (a scale-out, a replacement, a rollback)",
                S(p->name), why, n);
  for (int i = block ? 0 : 1; i < n; i++)
    diag_note(c, d, readers[i]->span, "service \"%.*s\" reads it until its state is applied",
              S(readers[i]->name));
  if (now)
    diag_help(c, d, "in two builds: keep parameter \"%.*s\" at its old path in this one, "
              "declare the new path as another parameter and point the services at it; build "
              "and apply (%.*s/vpc, then the services' states); then remove \"%.*s\" and build "
              "again", S(now->name), S(k->e->name), S(now->name));
  else if (block)
    diag_help(c, d, "in two builds: keep parameter \"%.*s\" plain at its old path in this one, "
              "declare the %s one as another parameter and point the services at it; build and "
              "apply (%.*s/vpc, then the services' states); then remove the plain one and build "
              "again", S(block->name), kind, S(k->e->name));
  else
    diag_help(c, d, "in two builds: keep %s%.*s%s in this one while the services stop reading "
              "it, build and apply (%.*s/vpc, then the services' states); then remove it and "
              "build again", p->from.len ? "what made it (" : "the parameter", S(p->from),
              p->from.len ? ")" : "", S(k->e->name));
}

// The notes of W1235-W1237: the services whose running revisions read the
// parameter, which no task of theirs starts without.
static void note_readers(ParamsCheck *k, Diag *d, Str name, const char *until) {
  int n = readers_of(k, name);
  for (int i = 0; i < n; i++)
    diag_note(k->c, d, k->readers[i]->span, "service \"%.*s\" reads it: no task of it starts "
              "%s", S(k->readers[i]->name), until);
}

// W1235: a parameter the previous VPC state made, at an SSM name this
// build keeps for a parameter that is secure or external now. Its resource
// is gone from the VPC state, so the apply destroys it: DeleteParameter of
// the name, whatever it holds then (a SecureString put there before the
// apply goes too). Every reader, this build's revisions as well as the
// running ones, fails to start a task until it is put again. Without a
// gap, the readers move to a secure parameter of another path first
// (E1235's two builds). At the same path a gap stays, as the String cannot
// become a SecureString in place (above), but it can be the seconds between
// a delete and a put by hand rather than an apply's: Terraform forgets a
// resource without deleting it when it leaves the state first (terraform
// state rm removes each record "so that Terraform will no longer be
// tracking the corresponding remote objects"; Terraform CLI documentation,
// "terraform state rm command"). An external parameter's new owner takes
// it as it is, after the same state rm. ecsc writes no removed block for
// it, which would depend on DIR (E1235 says why that is never done).
// A plain parameter whose value is removed (neither secure nor external:
// set outside ecsc from now on, a String still) is the external case: no
// type changes, so the same state rm keeps it as it is, with no gap.
static void report_made_elsewhere(ParamsCheck *k, const OldParameter *p, const Parameter *now) {
  bool secure = now->secure && !now->external.len;
  Span at = now->external.len ? span_or(now->at.external, now->span) : now->span;
  const char *what = now->external.len ? "external (managed elsewhere)"
                     : secure          ? "secure (its value set outside ecsc)"
                                       : "set outside ecsc (its value removed)";
  Diag *d = diag_at(k->c, W1235, at, "parameter \"%.*s\" is now %s: applying %.*s/vpc deletes "
                    "SSM parameter \"%.*s\", which the previous build made, whatever it holds "
                    "then", S(now->name), what, S(k->e->name), S(p->name));
  note_readers(k, d, p->name, "from then until the parameter is put again");
  if (!secure) {
    diag_help(k->c, d, "keep it %s: before applying %.*s/vpc, run terraform state rm "
              "aws_ssm_parameter.%.*s there (Terraform forgets it, SSM keeps it)",
              now->external.len ? "for its new owner" : "as it is, to set by hand from now on",
              S(k->e->name), S(p->tf));
    return;
  }
  diag_help(k->c, d, "without a gap, in two builds: declare the secure parameter at another "
            "path and point the services at it, keeping \"%.*s\" plain in this one; build and "
            "apply (%.*s/vpc, then the services' states); then remove the plain one and build "
            "again", S(now->name), S(k->e->name));
  diag_help(k->c, d, "or keep the path, with a gap of seconds: before applying %.*s/vpc, run "
            "terraform state rm aws_ssm_parameter.%.*s there, then aws ssm delete-parameter "
            "and put-parameter --type SecureString at once (Parameter Store does not make a "
            "String in a hierarchy a SecureString)", S(k->e->name), S(p->tf));
}

// W1236: a plain parameter this build makes at an SSM name that the
// previous build's services read and its VPC state did not make: a secure
// or external parameter made plain. Its tasks ran, so the parameter exists,
// and the create fails (ParameterAlreadyExists, above): the VPC state's
// apply stops there, and every re-run too. Imported into the state (the
// provider's importer takes the name), it would be updated in place, type
// and all, which Parameter Store refuses in a hierarchy (above): so the
// parameter is deleted before the apply makes it, or the readers move to
// another name first.
static void report_exists(ParamsCheck *k, const Parameter *now, Str name) {
  if (!readers_of(k, name))
    return;
  Diag *d = diag_at(k->c, W1236, span_or(now->at.value, now->span), "parameter \"%.*s\" is "
                    "now plain, made by ecsc, but SSM parameter \"%.*s\" exists already (the "
                    "previous build's services read it and its VPC state did not make it): "
                    "applying %.*s/vpc fails to create it (ParameterAlreadyExists)", S(now->name),
                    S(name), S(k->e->name));
  note_readers(k, d, name, "from its delete until the apply makes it again");
  diag_help(k->c, d, "without a gap, in two builds: declare the plain parameter at another "
            "path and point the services at it, keeping \"%.*s\" as it was in this one; build "
            "and apply (%.*s/vpc, then the services' states); then remove \"%.*s\" (nothing of "
            "ecsc's reads the old name then: delete it if nothing else does)", S(now->name),
            S(k->e->name), S(now->name));
  // An existing String is taken over in place: the provider imports a
  // parameter by its name (resource identity on "name" since provider
  // 6.8.0, CHANGELOG: "resource/aws_ssm_parameter: Add resource identity
  // support"; importer.RegionalSingleParameterized) and updates an imported
  // one with Overwrite (it is not a new resource: shouldUpdateParameter); a
  // SecureString's type would change in that update, which PutParameter
  // refuses in a hierarchy (HierarchyTypeMismatchException, above).
  diag_help(k->c, d, "if it is a String, without a gap: terraform import "
            "aws_ssm_parameter.%.*s %.*s in %.*s/vpc before the apply, which then updates it",
            S(now->tf_name), S(name), S(k->e->name));
  diag_help(k->c, d, "if it is a SecureString, keep the path with a gap: run aws ssm "
            "delete-parameter --name %.*s just before applying %.*s/vpc, which then makes it",
            S(name), S(k->e->name));
}

// W1237: a parameter's block renamed, its SSM name kept: a new Terraform
// name makes the name while the old one's resource, gone from the
// configuration, deletes it. Neither refers to the other, so Terraform
// orders neither first: it runs what no edge of its graph orders
// concurrently (terraform apply -parallelism=n, "Limit the number of
// concurrent operation as Terraform walks the graph. Defaults to 10";
// Terraform CLI documentation, "Command: apply"). A create
// before the delete is done fails (ParameterAlreadyExists) and leaves the
// name deleted until the next apply; after it, the name is missing in
// between. The new value is never deleted: it is made only once the old one
// is gone. A moved block would keep it, but the old name is only in DIR
// (E1235 says why the bytes never depend on it); terraform state mv does the
// same by hand.
static void report_renamed(ParamsCheck *k, const OldParameter *p, const Parameter *now) {
  Str was = p->from.len ? p->from : str_fmt(k->a, "aws_ssm_parameter.%.*s", S(p->tf));
  Diag *d = diag_at(k->c, W1237, now->span, "parameter \"%.*s\" makes SSM parameter \"%.*s\", "
                    "which the previous build made from %.*s: applying %.*s/vpc creates the one "
                    "and deletes the other in no set order, and the name is missing in between "
                    "(the create fails while the old one exists)", S(now->name), S(p->name),
                    S(was), S(k->e->name));
  note_readers(k, d, p->name, "while it is missing");
  diag_help(k->c, d, "keep the block's name (its references are the source's only), or, "
            "before applying %.*s/vpc, run terraform state mv aws_ssm_parameter.%.*s "
            "aws_ssm_parameter.%.*s there: nothing is then deleted or created", S(k->e->name),
            S(p->tf), S(now->tf_name));
}

static OldParameter *old_parameters(Arena *a, json_t *vpc, int *n) {
  json_t *params = previous_at(vpc, "resource", "aws_ssm_parameter", NULL);
  OldParameter *old = new(a, OldParameter, (ptrdiff_t)json_object_size(params) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(params, key, r) {
    Str name = previous_text(previous_member(r, "name"));
    if (name.len)
      old[(*n)++] = (OldParameter){str_dup(a, str_c(key)), str_dup(a, name),
                                   str_dup(a, previous_made_from(r))};
  }
  return old;
}

void rebuild_retire_params(Compilation *c, Arena *a, const Model *m, const Environment *e,
                           const char *dir, json_t *vpc) {
  if (!vpc)
    return;  // no previous build of the environment
  ParamsCheck k = {.c = c, .a = a, .m = m, .e = e, .dir = dir};
  k.old = old_parameters(a, vpc, &k.nold);
  for (int i = 0; i < k.nold; i++) {
    const OldParameter *p = &k.old[i];
    const Parameter *now = parameter_named(&k, p->name);
    int n;
    if (!now && (n = readers_of(&k, p->name)))
      report_parameter(&k, p, n);
    else if (now && !model_parameter_valued(now))
      report_made_elsewhere(&k, p, now);
    else if (now && !str_eq(now->tf_name, p->tf) && !held_as(&k, now->tf_name, p->name))
      report_renamed(&k, p, now);
  }
  for (int i = 0; i < m->nparams; i++) {
    const Parameter *now = m->params[i];
    Str name = e->ssm_names[now->index];
    if (model_parameter_valued(now) && !old_named(&k, name))
      report_exists(&k, now, name);
  }
  for (int i = 0; i < e->nservices && k.taskdefs; i++)
    json_decref(k.taskdefs[i]);
}
