// emit_retire.c: what this build deletes that AWS refuses to delete while
// the previous build's services still use it, as the previous build in DIR
// made them: its capacity providers (E0880, E0881), its Service Connect
// namespace, removed (E1051) or replaced by a new name (E1052), and a
// discovery name its services held (E1160), and its clusters (E1162); and
// what it changes in a service's state that the apply cannot carry out as
// written (emit_retire_service: E1190, E1180, W1190-W1192, W1170-W1172), or
// replaces (W1161). Writes nothing.
//
// A capacity provider goes when its group is removed or renamed, or its
// cluster or environment is renamed (its name, and its autoscaling group's,
// whose ARN forces a new provider: "auto_scaling_group_arn" is ForceNew in
// the AWS provider). The VPC state is applied before the service states
// (README.md), so a service that ran on the provider still does while the
// VPC state lets it go, and ECS refuses:
//
//   - PutClusterCapacityProviders: "You can only disassociate an existing
//     capacity provider from a cluster if it's not being used by any
//     existing tasks" (ECS API Reference); the AWS provider retries its
//     ResourceInUseException ("The specified capacity provider is in use and
//     cannot be removed") and then fails the apply. Nothing is deleted: the
//     old autoscaling group, its instances and their tasks run on; the new
//     group and provider exist, but outside the cluster.
//   - the service states then cannot move: "A capacity provider must be
//     associated with the cluster to be used in a capacity provider
//     strategy" (UpdateService), and the new one never was. Only a source
//     that keeps the old group undoes it.
//   - DeleteCapacityProvider: "Prior to a capacity provider being deleted,
//     the capacity provider must be removed from the capacity provider
//     strategy from all services ... Only capacity providers that aren't
//     associated with a cluster can be deleted".
//
// So a provider is retired in two builds: one that keeps it beside what
// replaces it while the services move (applied VPC, then services, with
// force_new_deployment), and one that removes it (E0880). And Terraform
// must let the cluster go of it before deleting it, which it does for a
// create_before_destroy resource only (emit_tf.c, capacity_provider), a
// setting it reads from the state for a resource gone from the
// configuration: a provider made by a build without it must be applied once
// by one with it (E0881).
//
// Only what build is given tells what was applied: DIR, committed and
// applied in order (README.md). Without a previous build (a new DIR, a new
// environment, an unreadable or foreign file) there is nothing to compare
// and nothing is reported; the bytes written never depend on DIR. The
// service states are read only in an environment that deletes a provider.
#include "emit.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

// A capacity provider of the previous VPC state.
typedef struct {
  Str tf;          // T of aws_ecs_capacity_provider.T
  Str name;        // its AWS name
  Str asg_tf;      // its autoscaling group, aws_autoscaling_group.A
  Str asg_name;
  Str from;        // where in the source it came from (its "//"), or {0}
  Str output;      // the VPC state's output the service states read it by, or {0}
  Str cluster_tf;  // C of the aws_ecs_cluster_capacity_providers.C that held it
  bool cbd;        // lifecycle { create_before_destroy = true }
  const Service **ran;  // the services of this build that ran on it
  int nran;
} OldProvider;

static json_t *member(json_t *o, const char *key) {
  return json_is_object(o) ? json_object_get(o, key) : NULL;
}

static Str text_of(json_t *v) {
  return json_is_string(v) ? (Str){json_string_value(v), (ptrdiff_t)json_string_length(v)}
                           : (Str){0};
}

// NAME of a Terraform reference "${TYPE.NAME.ATTR}" (pre is "${TYPE.",
// post ".ATTR}"), or {0} if s is not one.
static Str referenced(Str s, const char *pre, const char *post) {
  Str p = str_c(pre), q = str_c(post);
  if (s.len <= p.len + q.len || !str_starts_with(s, p) ||
      memcmp(s.ptr + s.len - q.len, q.ptr, (size_t)q.len) != 0)
    return (Str){0};
  return (Str){s.ptr + p.len, s.len - p.len - q.len};
}

// A state file of the previous build, parsed; NULL when there is none or it
// is not JSON (not ecsc's to judge here: output.c reports what it cannot
// read or replace).
static json_t *previous_state(Arena *a, const char *dir, Str rel) {
  Str bytes;
  Str path = str_fmt(a, "%s/%.*s", dir, S(rel));
  if (fileio_read(a, AT_FDCWD, path.ptr, &bytes) != 0)
    return NULL;
  return json_loadb(bytes.ptr, (size_t)bytes.len, 0, NULL);
}

// What the "//" of a resource says after "from ": environment "E" › ...
static Str made_from(json_t *resource) {
  Str note = text_of(member(resource, "//"));
  for (ptrdiff_t i = note.len - 5; i >= 0; i--)
    if (memcmp(note.ptr + i, "from ", 5) == 0 && (i == 0 || note.ptr[i - 1] == ' '))
      return (Str){note.ptr + i + 5, note.len - i - 5};
  return (Str){0};
}

// Whether this build makes the same provider: the same Terraform name, AWS
// name and autoscaling group, so that Terraform neither deletes nor
// replaces it.
static bool still_made(const Environment *e, const OldProvider *p, Arena *a) {
  for (int i = 0; i < e->nclusters; i++) {
    int n;
    const Cluster **sets = model_instance_sets(a, e->clusters[i], &n);
    for (int j = 0; j < n; j++)
      if (str_eq(sets[j]->tf_name, p->tf) && str_eq(sets[j]->capacity_provider, p->name) &&
          str_eq(sets[j]->tf_name, p->asg_tf) && str_eq(sets[j]->asg_name, p->asg_name))
        return true;
  }
  return false;
}

// Every provider the previous VPC state made that this build does not.
static OldProvider *gone_providers(Arena *a, const Environment *e, json_t *vpc, int *n) {
  json_t *resources = member(vpc, "resource");
  json_t *providers = member(resources, "aws_ecs_capacity_provider");
  json_t *groups = member(resources, "aws_autoscaling_group");
  OldProvider *gone = new(a, OldProvider, (ptrdiff_t)json_object_size(providers) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(providers, key, r) {
    Str arn = text_of(member(member(r, "auto_scaling_group_provider"), "auto_scaling_group_arn"));
    json_t *lifecycle = member(r, "lifecycle");
    OldProvider p = {
        .tf = str_c(key),
        .name = text_of(member(r, "name")),
        .asg_tf = referenced(arn, "${aws_autoscaling_group.", ".arn}"),
        .from = made_from(r),
        .cbd = json_is_true(member(lifecycle, "create_before_destroy")),
    };
    p.asg_name = text_of(member(member(groups, str_cstr(a, p.asg_tf)), "name"));
    if (!still_made(e, &p, a))
      gone[(*n)++] = p;
  }
  return gone;
}

// The output each gone provider is read by, and the cluster that held it.
static void provider_links(Arena *a, json_t *vpc, OldProvider *gone, int n) {
  const char *key;
  json_t *v;
  json_object_foreach(member(vpc, "output"), key, v) {
    Str tf = referenced(text_of(member(v, "value")), "${aws_ecs_capacity_provider.", ".name}");
    for (int i = 0; i < n; i++)
      if (tf.len && str_eq(tf, gone[i].tf))
        gone[i].output = str_dup(a, str_c(key));
  }
  json_object_foreach(member(member(vpc, "resource"), "aws_ecs_cluster_capacity_providers"), key, v) {
    size_t j;
    json_t *item;
    json_array_foreach(member(v, "capacity_providers"), j, item) {
      Str tf = referenced(text_of(item), "${aws_ecs_capacity_provider.", ".name}");
      for (int i = 0; i < n; i++)
        if (tf.len && str_eq(tf, gone[i].tf))
          gone[i].cluster_tf = str_dup(a, str_c(key));
    }
  }
}

// Which gone providers service s ran on in the previous build: its state's
// strategy reads each by the VPC state's output (emit_tf.c, ecs_service).
static void service_ran(Arena *a, const char *dir, const Service *s, OldProvider *gone, int n) {
  Str rel = str_fmt(a, "%.*s/services/%.*s/main.tf.json", S(s->env->name), S(s->name));
  json_t *state = previous_state(a, dir, rel);
  json_t *service = member(member(member(state, "resource"), "aws_ecs_service"), "main");
  size_t j;
  json_t *item;
  json_array_foreach(member(service, "capacity_provider_strategy"), j, item) {
    Str read = referenced(text_of(member(item, "capacity_provider")),
                          "${data.terraform_remote_state.vpc.outputs.", "}");
    for (int i = 0; i < n; i++)
      if (read.len && gone[i].output.len && str_eq(read, gone[i].output) &&
          (gone[i].nran == 0 || gone[i].ran[gone[i].nran - 1] != s)) {
        if (!gone[i].ran)
          gone[i].ran = new(a, const Service *, s->env->nservices);
        gone[i].ran[gone[i].nran++] = s;
      }
  }
  json_decref(state);
}

static const Cluster *cluster_by_tf(const Environment *e, Str tf) {
  for (int i = 0; i < e->nclusters; i++)
    if (tf.len && str_eq(e->clusters[i]->tf_name, tf))
      return e->clusters[i];
  return NULL;
}

// The help that names what made the provider (a group, or a cluster's
// instances), in the previous build's words.
static void keep_it(Compilation *c, Diag *d, const OldProvider *p, const char *beside) {
  if (p->from.len)
    diag_help(c, d, "the previous build made it from %.*s: keep that in this build%s", S(p->from),
              beside);
  else
    diag_help(c, d, "keep what made it in this build%s", beside);
}

// E0880: deleted while services that ran on it move off it in this build.
static void report_ran(Compilation *c, const Environment *e, const OldProvider *p) {
  const Cluster *k = cluster_by_tf(e, p->cluster_tf);
  Span at = k ? k->span : p->ran[0]->span;
  Diag *d = p->nran == 1
                ? diag_at(c, E0880, at, "capacity provider \"%.*s\" would be deleted while service "
                                        "\"%.*s\" still runs on it", S(p->name), S(p->ran[0]->name))
                : diag_at(c, E0880, at, "capacity provider \"%.*s\" would be deleted while %d "
                                        "services still run on it", S(p->name), p->nran);
  for (int i = k ? 0 : 1; i < p->nran; i++)
    diag_note(c, d, p->ran[i]->span, "service \"%.*s\" ran on it in the previous build "
              "(%.*s/services/%.*s) and moves off it in this one", S(p->ran[i]->name), S(e->name),
              S(p->ran[i]->name));
  keep_it(c, d, p, ", beside what replaces it");
  diag_help(c, d, "build, apply %.*s/vpc, then the services' states with -var "
                  "force_new_deployment=true, which moves their tasks; then remove it, build and "
                  "apply %.*s/vpc again", S(e->name), S(e->name));
}

// E0881: deleted from a cluster that stays, by a state that would delete it
// first (made without create_before_destroy).
static void report_order(Compilation *c, const Environment *e, const OldProvider *p,
                         const Cluster *k) {
  Diag *d = diag_at(c, E0881, k->span, "capacity provider \"%.*s\" would be deleted before "
                    "cluster \"%.*s\" lets it go: the previous build made it without "
                    "create_before_destroy", S(p->name), S(k->name));
  keep_it(c, d, p, "");
  diag_help(c, d, "build and apply %.*s/vpc once, which records create_before_destroy in "
                  "Terraform's state; then remove it", S(e->name));
}

static void environment_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                                json_t *vpc) {
  int n;
  OldProvider *gone = gone_providers(a, e, vpc, &n);
  if (n) {
    provider_links(a, vpc, gone, n);
    for (int i = 0; i < e->nservices; i++)
      service_ran(a, dir, e->services[i], gone, n);
  }
  for (int i = 0; i < n; i++) {
    const Cluster *k = cluster_by_tf(e, gone[i].cluster_tf);
    if (gone[i].nran)
      report_ran(c, e, &gone[i]);
    else if (k && !gone[i].cbd)
      report_order(c, e, &gone[i], k);
  }
}

// The VPC state is applied before the service states (README, "What it
// writes"). A build whose VPC state no longer makes the namespace, while
// service states of the previous build in DIR still join it, would have
// Terraform delete it first: AWS Cloud Map API Reference, DeleteNamespace:
// "If the namespace still contains one or more services, the request fails"
// (ResourceInUse, "Namespace has associated services; delete the services
// before deleting the namespace", as terraform-provider-aws reports it in
// anomalyco/sst issue 5931); the Cloud Map services are ECS's, made for the
// served endpoints ("Service Connect creates AWS Cloud Map services in your
// account", ECS Developer Guide, "Amazon ECS Service Connect
// configuration"), and leave only when the services' states, applied after,
// turn Service Connect off (the provider turns it off when the block goes:
// terraform-provider-aws pull request 28338). So the removal takes two
// builds: connect_namespace keeps the namespace while the services leave it.
//
// A service state of the previous build in DIR that joins the namespace:
// of a service of this build (svc), or of one gone from the source (svc
// NULL, name from its directory). A removed service counts too: its
// state's directory is gone, destroyed from the previous commit's copy, and
// build --changed=json lists it after the VPC states, as
// examples/ci/ecsc.yml plans it (plan -destroy among the service states,
// after every VPC state); so its tasks, and ECS's Cloud Map service of its
// endpoint, are still in the namespace when the VPC state deletes it.
typedef struct {
  const Service *svc;
  Str name;
} NamespaceUser;

static void report_namespace(Compilation *c, const Environment *e, const NamespaceUser *users,
                             int n) {
  if (!n)
    return;
  Diag *d = diag_at(c, E1051, e->span, "environment \"%.*s\" no longer uses Service Connect, "
                    "but %d service state%s of the previous build still join%s its namespace: "
                    "the VPC state, applied first, would fail to delete it", S(e->name), n,
                    n == 1 ? "" : "s", n == 1 ? "s" : "");
  bool removed = false;
  for (int i = 0; i < n; i++) {
    if (users[i].svc) {
      diag_note(c, d, users[i].svc->span, "service \"%.*s\" is in the namespace until its "
                "state is applied", S(users[i].name));
      continue;
    }
    removed = true;
    diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, is in the "
              "namespace until its state (%.*s/services/%.*s in the previous build) is "
              "destroyed", S(users[i].name), S(e->name), S(users[i].name));
  }
  diag_help(c, d, "remove Service Connect in two builds: add connect_namespace = true to "
            "environment \"%.*s\" and apply this build's states%s; then remove it and build "
            "again", S(e->name), removed ? " (destroying the removed services')" : "");
}

// Whether a previous state makes the Service Connect namespace (the VPC
// state) or joins it (a service state), as emit_tf.c writes them.
static json_t *connect_namespace_of(json_t *vpc) {
  return member(member(member(vpc, "resource"), "aws_service_discovery_http_namespace"),
                "connect");
}

static bool joins_connect(json_t *state) {
  return member(member(member(member(state, "resource"), "aws_ecs_service"), "main"),
                "service_connect_configuration");
}

static bool previous_joins(Arena *a, const char *dir, Str env, Str service) {
  json_t *state = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/main.tf.json", S(env),
                                                 S(service)));
  bool joins = joins_connect(state);
  json_decref(state);
  return joins;
}

static const Service *service_named(const Environment *e, Str name) {
  for (int i = 0; i < e->nservices; i++)
    if (str_eq(e->services[i]->name, name))
      return e->services[i];
  return NULL;
}

// The names of the service states of e in DIR that this build no longer
// makes (ENV/services/NAME, emit.h's layout), sorted: the order of
// readdir is the file system's.
static Str *removed_services(Arena *a, const Environment *e, const char *dir, int *n) {
  *n = 0;
  Str path = str_fmt(a, "%s/%.*s/services", dir, S(e->name));
  DIR *d = opendir(path.ptr);
  if (!d)
    return NULL;
  struct {
    Str *items;
    ptrdiff_t len, cap;
  } names = {0};
  for (struct dirent *ent; (ent = readdir(d));) {
    Str name = str_c(ent->d_name);
    if (name.ptr[0] == '.' || service_named(e, name))
      continue;
    *list_push(a, &names) = str_dup(a, name);
  }
  closedir(d);
  if (names.len)
    qsort(names.items, (size_t)names.len, sizeof *names.items, str_cmp_qsort);
  *n = (int)names.len;
  return names.items;
}

// Every service state of the previous build in DIR that joins e's
// namespace: this build's services first, in their order, then the
// removed ones by name.
static NamespaceUser *namespace_users(Arena *a, const Environment *e, const char *dir, int *n) {
  int nremoved;
  Str *removed = removed_services(a, e, dir, &nremoved);
  NamespaceUser *users = new(a, NamespaceUser, e->nservices + nremoved + 1);
  *n = 0;
  for (int k = 0; k < e->nservices; k++)
    if (previous_joins(a, dir, e->name, e->services[k]->name))
      users[(*n)++] = (NamespaceUser){e->services[k], e->services[k]->name};
  for (int k = 0; k < nremoved; k++)
    if (previous_joins(a, dir, e->name, removed[k]))
      users[(*n)++] = (NamespaceUser){NULL, removed[k]};
  return users;
}

// The namespace goes with the last connect block, while the previous
// build's service states, applied after the VPC state, still join it
// (report_namespace says why AWS refuses). The services' states are
// read only when the previous VPC state made a namespace this one does not.
static void namespace_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                              json_t *vpc) {
  if (model_connect_namespace(e) || !connect_namespace_of(vpc))
    return;
  int n;
  NamespaceUser *users = namespace_users(a, e, dir, &n);
  report_namespace(c, e, users, n);
}

// The namespace is named after the environment's prefix (emit_tf.c,
// connect_namespace), which is the project's name and the environment's
// unless the environment sets prefix. Its name and description are ForceNew
// (terraform-provider-aws, internal/service/servicediscovery/
// http_namespace.go), so a new prefix makes the VPC state replace the
// namespace, destroying the old one first (Terraform's order for a
// replacement without create_before_destroy): DeleteNamespace fails while
// it holds services ("If the namespace still contains one or more
// services, the request fails", AWS Cloud Map API Reference; the provider
// retries ResourceInUse for two minutes, resourceHTTPNamespaceDelete, then
// fails the apply). With create_before_destroy the delete would come at the
// end of the same apply and fail the same way, as the services leave the
// old namespace only when their states are applied, after the VPC state.
// So a replacement is refused while the previous build's service states
// join the namespace; an empty one is replaced without harm.
static void report_replaced(Compilation *c, Arena *a, const Model *m, const Environment *e,
                            Str old_name, const NamespaceUser *users, int n) {
  Span at = span_or(e->at.prefix, e->span);
  Str why = str_eq(old_name, e->prefix)
                ? STR("its description changes")
                : str_fmt(a, "\"%.*s\" becomes \"%.*s\"", S(old_name), S(e->prefix));
  Diag *d = diag_at(c, E1052, at, "the Service Connect namespace of environment \"%.*s\" would "
                    "be replaced (%.*s) while %d service state%s of the previous build still "
                    "join%s it: the VPC state, applied first, would fail to delete it",
                    S(e->name), S(why), n, n == 1 ? "" : "s", n == 1 ? "s" : "");
  if (!e->at.prefix.src && m->project)
    diag_note(c, d, m->project->span, "the namespace is named after the environment's prefix, "
              "by default the project's name and the environment's");
  for (int i = 0; i < n; i++) {
    if (users[i].svc)
      diag_note(c, d, users[i].svc->span, "service \"%.*s\" is in namespace \"%.*s\" until its "
                "state is applied", S(users[i].name), S(old_name));
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, is in namespace "
                "\"%.*s\" until its state (%.*s/services/%.*s in the previous build) is "
                "destroyed", S(users[i].name), S(old_name), S(e->name), S(users[i].name));
  }
  diag_help(c, d, "keep the name: set prefix = \"%.*s\" in environment \"%.*s\"", S(old_name),
            S(e->name));
  diag_help(c, d, "or move in steps: remove Service Connect from the environment (two builds, "
            "see E1051), then change the prefix, then add Service Connect again");
}

static void namespace_replaced(Compilation *c, Arena *a, const Model *m, const Environment *e,
                               const char *dir, json_t *vpc) {
  if (!model_connect_namespace(e))
    return;  // removed, not replaced: namespace_retires
  json_t *ns = connect_namespace_of(vpc);
  Str old_name = text_of(member(ns, "name"));
  Str old_description = text_of(member(ns, "description"));
  bool replaced = ns && (!str_eq(old_name, e->prefix) ||
                         !str_eq_c(old_description, EMIT_TF_CONNECT_DESCRIPTION));
  if (!replaced)
    return;
  int n;
  NamespaceUser *users = namespace_users(a, e, dir, &n);
  if (n)
    report_replaced(c, a, m, e, old_name, users, n);
}

// A discovery name that moves from one service to another in one build
// (E1160). ECS makes a Cloud Map service of each served discovery name
// (ECS Developer Guide, "Service Connect concepts", discovery name: "This
// name is used to create a AWS Cloud Map service") and takes no second ECS
// service of the name while the first holds it: ServiceConnectService,
// discoveryName, "must be unique within the Cloud Map namespace", refused
// at CreateService as "SC service is already used by arn:...:namespace/..."
// (InvalidParameterException, aws/copilot-cli issues 4313, 4337 and 5431,
// where AWS's maintainers trace it to an update that replaces the ECS
// service, the new one made while the old one still holds the name).
//
// What happens to that Cloud Map service when its ECS service is deleted
// AWS does not document: the Developer Guide says only that "Service
// Connect doesn't delete namespaces when clusters are deleted". The name is
// free again once the service is gone: AWS's notice quoted in
// aws/copilot-cli issue 4339 calls a service that "cannot be recreated
// after deletion" an issue (of Service Connect with the deployment circuit
// breaker, since fixed). So a name given up by one build can be taken by the
// next; within one build it cannot, reliably: build --changed=json orders
// the service states by path (emit_changes.c), so the one that takes the
// name may be applied before the one that gives it up, and a deleted
// service drains before it is gone (DeleteService: "the service status
// moves from ACTIVE to DRAINING").
typedef struct {
  Str service;  // the previous build's service state (ENV/services/NAME)
  Str name;     // the discovery name it served, {0}: none
} OldEndpoint;

// A nested block as Terraform's JSON syntax takes it: an object, or a list
// of them (emit_tf.c writes service_connect_configuration as the one and
// its service as the other); the first.
static json_t *first_block(json_t *v) {
  return json_is_array(v) ? json_array_get(v, 0) : v;
}

static Str previous_discovery_name(Arena *a, const char *dir, Str env, Str service) {
  json_t *state = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/main.tf.json", S(env),
                                                 S(service)));
  json_t *sc = first_block(member(member(member(member(state, "resource"), "aws_ecs_service"),
                                         "main"), "service_connect_configuration"));
  Str name = str_dup(a, text_of(member(first_block(member(sc, "service")), "discovery_name")));
  json_decref(state);
  return name;
}

static void report_moved(Compilation *c, const Environment *e, const Service *to,
                         const OldEndpoint *from) {
  const Connect *cn = to->connect;
  const Service *still = service_named(e, from->service);
  Diag *d = diag_at(c, E1160, span_or(cn->at.discovery_name, cn->span), "discovery name "
                    "\"%.*s\" of service \"%.*s\" was service \"%.*s\"'s in the previous "
                    "build: ECS takes no second service of the name while the first holds it, and "
                    "this build's states may be applied in either order", S(cn->discovery_name),
                    S(to->name), S(from->service));
  if (still)
    diag_note(c, d, span_or(still->connect ? still->connect->span : (Span){0}, still->span),
              "service \"%.*s\" holds \"%.*s\" until its state is applied and its tasks "
              "replaced", S(still->name), S(from->name));
  else
    diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, holds \"%.*s\" "
              "until its state (%.*s/services/%.*s in the previous build) is destroyed",
              S(from->service), S(from->name), S(e->name), S(from->service));
  diag_help(c, d, "move the name in two builds: first give \"%.*s\" another discovery_name, "
            "build and apply (the state of \"%.*s\" %s); then give \"%.*s\" to \"%.*s\"",
            S(to->name), S(from->service), still ? "gives the name up" : "is destroyed",
            S(from->name), S(to->name));
}

// The previous build's discovery names of the services that no longer
// serve them: removed from the source, or serving another name now.
// Read only when a service takes a name it did not serve before.
static OldEndpoint *given_up(Arena *a, const Environment *e, const char *dir, int *n) {
  int nremoved;
  Str *removed = removed_services(a, e, dir, &nremoved);
  OldEndpoint *old = new(a, OldEndpoint, e->nservices + nremoved + 1);
  *n = 0;
  for (int k = 0; k < e->nservices + nremoved; k++) {
    const Service *s = k < e->nservices ? e->services[k] : NULL;
    Str service = s ? s->name : removed[k - e->nservices];
    Str name = previous_discovery_name(a, dir, e->name, service);
    bool kept = s && model_connect_serves(s) && str_eq(s->connect->discovery_name, name);
    if (name.len && !kept)
      old[(*n)++] = (OldEndpoint){service, name};
  }
  return old;
}

static void discovery_names_moved(Compilation *c, Arena *a, const Environment *e,
                                  const char *dir) {
  if (!model_connect_namespace(e))
    return;
  OldEndpoint *old = NULL;
  int nold = 0;
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (!model_connect_serves(s) ||
        str_eq(previous_discovery_name(a, dir, e->name, s->name), s->connect->discovery_name))
      continue;
    if (!old)
      old = given_up(a, e, dir, &nold);
    for (int k = 0; k < nold; k++)
      if (!str_eq(old[k].service, s->name) && str_eq(old[k].name, s->connect->discovery_name))
        report_moved(c, e, s, &old[k]);
  }
}

//
// A service state of the previous build that this build changes in a way
// the apply cannot carry out, or carries out with harm. Each is judged from
// what the previous build in DIR wrote for the same ECS service (its state
// ENV/services/NAME/main.tf.json names it, aws_ecs_service.main.name): a new
// service, or one renamed, has nothing to compare with.
//

// The previous build's state of service s and the ECS service it made, or
// NULL when there is none. *same says whether that ECS service is this
// one's (the same family); another is replaced (service_replaced), and the
// comparisons of what it had apply to neither.
static json_t *previous_service(Arena *a, const char *dir, const Service *s, json_t **service,
                                bool *same) {
  json_t *state = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/main.tf.json",
                                                 S(s->env->name), S(s->name)));
  *service = member(member(member(state, "resource"), "aws_ecs_service"), "main");
  *same = *service && str_eq(text_of(member(*service, "name")), s->family);
  if (*service)
    return state;
  json_decref(state);
  return NULL;
}

// W1190: the service's EBS volume (volume "NAME" { ebs { } }) removed. The
// AWS provider sends no volumeConfigurations when the block goes:
// resourceServiceUpdate passes the emptied volume_configuration to
// expandServiceVolumeConfigurations, which returns nil for an empty list,
// and ECS keeps a configuration it is not sent, so the new revision, which
// has no volume configured at launch, is refused: "InvalidParameterException:
// Volume configuration provided but no matching configuredAtLaunch volume
// found in task definition" (hashicorp/terraform-provider-aws pull request
// 49185, open, which quotes AWS's way: an empty volumeConfigurations with a
// task definition whose volume is not configuredAtLaunch, ECS Developer
// Guide, "Specify Amazon EBS volume configuration at Amazon ECS
// deployment"; an empty array "clears all volume configurations",
// aws-actions/amazon-ecs-deploy-task-definition pull request 863). No
// source of this build can send it, and the previous build in DIR keeps
// the volume until a build without it is written: a warning, with the
// steps around the apply, not a refusal that would never lift. UpdateService
// takes a family alone for its latest ACTIVE revision (ECS API Reference,
// UpdateService, taskDefinition). The wait lets the old tasks, and their
// volumes, go before the apply deletes the infrastructure role's policy:
// deleting it "before stopping tasks with attached Amazon EBS volumes will
// result in the tasks getting stuck in DEPROVISIONING" (ECS Developer
// Guide, "Amazon ECS infrastructure IAM role").
static void ebs_removed(Compilation *c, const Service *s, json_t *service) {
  json_t *old = member(service, "volume_configuration");
  if (!old || s->ebs || !s->cluster)
    return;
  Str name = text_of(member(old, "name"));
  Diag *d = diag_at(c, W1190, s->span, "service \"%.*s\" no longer has its EBS volume \"%.*s\", "
                    "but its state's apply would fail: the AWS provider does not tell ECS to "
                    "drop the volume, and ECS refuses the new task definition", S(s->name),
                    S(name));
  diag_help(c, d, "in %.*s/services/%.*s, apply the task definition alone (terraform apply "
            "-target=aws_ecs_task_definition.main); then aws ecs update-service --cluster %.*s "
            "--service %.*s --task-definition %.*s --volume-configurations '[]', and aws ecs "
            "wait services-stable --cluster %.*s --services %.*s; then apply the state",
            S(s->env->name), S(s->name), S(s->cluster->aws_name), S(s->family), S(s->family),
            S(s->cluster->aws_name), S(s->family));
}

// W1191: deployment alarms removed. The provider's alarms block ignores its
// own removal (internal/service/ecs/service.go, "alarms": DiffSuppressFunc
// verify.SuppressMissingOptionalConfigurationBlock, old "1" and new "0"), so
// the plan shows nothing and ECS goes on watching the alarms (the same
// finding: aws/copilot-cli pull request 4565; aws/aws-cdk pull request
// 25840, which CDK later withdrew, 30215). Writing the block disabled is no
// way out: alarms { alarm_names = [], enable = false } reaches ECS without
// AlarmNames (expandAlarms sets them only from a non-empty set) and the
// AWS SDK for Go refuses the request before sending it (aws-sdk-go-v2,
// service/ecs/validators.go, validateDeploymentAlarms: AlarmNames is
// required, as DeploymentAlarms has it in the ECS API Reference); and the
// names of the previous build's alarms would make the bytes written depend
// on DIR. So a warning, with the call that turns them off: the provider
// sends DeploymentConfiguration with alarms alone when only they change
// (resourceServiceUpdate), and so does this.
static void alarms_removed(Compilation *c, const Service *s, json_t *service) {
  json_t *old = member(service, "alarms");
  size_t n = json_array_size(member(old, "alarm_names"));
  if (!n || !json_is_true(member(old, "enable")) || s->nalarms || !s->cluster)
    return;
  Diag *d = diag_at(c, W1191, s->span, "service \"%.*s\" no longer lists deployment alarms, "
                    "but ECS would go on watching the %zu of the previous build: the AWS "
                    "provider ignores a removed alarms block", S(s->name), n);
  diag_help(c, d, "turn them off once: aws ecs update-service --cluster %.*s --service %.*s "
            "--deployment-configuration '{\"alarms\":{\"alarmNames\":[],\"enable\":false,"
            "\"rollback\":false}}'", S(s->cluster->aws_name), S(s->family));
}

// The app protocol of the port mapping named port in the previous build's
// task definition (emit_taskdef.c), {0} for none; *found says whether the
// mapping is there at all.
static Str previous_app_protocol(Arena *a, const char *dir, const Service *s, Str port,
                                 bool *found) {
  json_t *td = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/task-definition.json",
                                              S(s->env->name), S(s->name)));
  Str protocol = {0};
  *found = false;
  size_t i, j;
  json_t *container, *mapping;
  json_array_foreach(member(td, "containerDefinitions"), i, container) {
    json_array_foreach(member(container, "portMappings"), j, mapping) {
      if (!str_eq(text_of(member(mapping, "name")), port))
        continue;
      *found = true;
      protocol = str_dup(a, text_of(member(mapping, "appProtocol")));
    }
  }
  json_decref(td);
  return protocol;
}

static Str quoted_or_none(Arena *a, Str s) {
  return s.len ? str_fmt(a, "\"%.*s\"", S(s)) : STR("none");
}

// E1190: the app protocol of an endpoint the service already serves under
// the same discovery name, changed, added or removed. ECS refuses it on
// UpdateService: "The following config cannot be changed for a SC service.
// Previous config: ScServiceStableConfig(applicationProtocol=null,
// transportProtocol=tcp, ecsServiceArn=...)" (aws/containers-roadmap issue
// 2378, open: "this field is not editable after creation of the service").
// What is certain is that keeping the protocol works; nothing AWS has
// published says whether a new discovery name would, so the help says only
// the first. A new ECS service (a new family) is not compared.
static void app_protocol_changed(Compilation *c, Arena *a, const char *dir, const Service *s,
                                 json_t *service) {
  const Connect *cn = s->connect;
  json_t *connect = member(service, "service_connect_configuration");
  json_t *old = json_array_get(member(connect, "service"), 0);
  if (!cn || !cn->port_name.len || !old ||
      !str_eq(text_of(member(old, "discovery_name")), cn->discovery_name))
    return;
  bool found;
  Str was = previous_app_protocol(a, dir, s, text_of(member(old, "port_name")), &found);
  if (!found || str_eq(was, cn->app_protocol))
    return;
  Diag *d = diag_at(c, E1190, span_or(cn->at.app_protocol, cn->span), "the app protocol of "
                    "service \"%.*s\"'s Service Connect endpoint \"%.*s\" would change from "
                    "%.*s to %.*s: ECS refuses to change it on an existing service", S(s->name),
                    S(cn->discovery_name), S(quoted_or_none(a, was)),
                    S(quoted_or_none(a, cn->app_protocol)));
  if (was.len)
    diag_help(c, d, "keep app_protocol = \"%.*s\"", S(was));
  else
    diag_help(c, d, "remove app_protocol: the endpoint was made without one");
}

// Whether the previous state's listener rule left its action to ECS: a
// traffic-shifting deployment's (emit_tf.c, listener_rule).
static bool rule_shifted(json_t *state) {
  json_t *rule = member(member(member(state, "resource"), "aws_lb_listener_rule"), "main");
  json_t *ignored = member(member(rule, "lifecycle"), "ignore_changes");
  size_t i;
  json_t *v;
  json_array_foreach(ignored, i, v) {
    if (str_eq_c(text_of(v), "action"))
      return true;
  }
  return false;
}

// W1192: the route's target group replaced. Its name hashes its port and
// target type (derive.c, target_group_name), both ForceNew in the AWS
// provider, so a new container port or network mode makes a new group
// (create_before_destroy, emit_tf.c). Terraform then updates what reads its
// ARN in dependency order: the listener rule, then the service
// (service_depends_on), so the rule forwards to the new group before ECS
// has registered a task in it. An Application Load Balancer answers 503
// for a target group without registered targets (ELB User Guide,
// "Troubleshoot your Application Load Balancers"), and a registered target
// gets requests once it passes the health check, healthy_threshold checks
// at interval (ELB User Guide, "Health checks for Application Load Balancer
// target groups"): the route is down from the rule's update until the first
// new task starts and passes them. No order of this state's apply avoids
// it; a warning says so before, not a change of the naming, which would
// replace every existing group once.
static void target_group_replaced(Compilation *c, Arena *a, const Service *s, json_t *state) {
  json_t *old = member(member(member(state, "resource"), "aws_lb_target_group"), "main");
  const Route *r = s->route;
  if (!old || !r || str_eq(text_of(member(old, "name")), r->target_group) ||
      !json_is_integer(member(old, "port")) || !text_of(member(old, "target_type")).len)
    return;  // the same group, or not one ecsc wrote
  if (r->alternate_group.len && rule_shifted(state))
    return;  // the rule stays on the old groups: E1180's (shifted_groups_replaced)
  json_int_t port = json_integer_value(member(old, "port"));
  Str type = text_of(member(old, "target_type"));
  Str new_type = str_c(s->network == NET_AWSVPC ? "ip" : "instance");
  Str what;
  if (port != r->port && !str_eq(type, new_type))
    what = str_fmt(a, "port %lld becomes %d, target type \"%.*s\" becomes \"%.*s\"",
                   (long long)port, r->port, S(type), S(new_type));
  else if (port != r->port)
    what = str_fmt(a, "port %lld becomes %d", (long long)port, r->port);
  else if (!str_eq(type, new_type))
    what = str_fmt(a, "target type \"%.*s\" becomes \"%.*s\"", S(type), S(new_type));
  else
    return;  // replaced for another reason (a new prefix or VPC): not this warning's
  int64_t seen = r->health.healthy * (r->health.interval_ms / 1000);
  Diag *d = diag_at(c, W1192, span_or(s->at.port, span_or(r->at.block, s->span)), "service "
                    "\"%.*s\"'s target group is replaced (%.*s): its listener rule forwards to "
                    "the new, empty group before ECS registers a task in it, and the route "
                    "answers 503 until one is healthy", S(s->name), S(what));
  diag_note(c, d, span_or(r->at.health_check, span_or(r->at.block, s->span)), "a new task is "
            "healthy after %d checks %lld s apart: at least %lld s after it starts",
            r->health.healthy, (long long)(r->health.interval_ms / 1000), (long long)seen);
  diag_help(c, d, "apply %.*s/services/%.*s when the route may be down that long", S(s->env->name),
            S(s->name));
}

// W1161: the service's aws_ecs_service replaced. Of the arguments ecsc
// writes, name and cluster are the ones that force a new resource in the
// AWS provider (internal/service/ecs/service.go, resourceService, as 6.33
// and later have it: "name" and "cluster" ForceNew; "launch_type",
// "iam_role" and "scheduling_strategy" too, which ecsc never writes). The
// rest is updated in place: a capacity provider strategy since pull
// request 43533 (merged July 2025, before 6.25:
// capacityProviderStrategyCustomizeDiff asks for force_new_deployment
// instead of forcing a new service), the load balancer, Service Connect
// and network configuration by UpdateService
// (resourceServiceUpdate). The name is the family, PREFIX-SERVICE
// (derive.c): a new service name is a new state, and a new prefix renames
// every cluster of the environment too, which the VPC state cannot delete
// while the services run in them (E1162). What remains is the cluster: a
// service moved to another cluster of the environment.
//
// Terraform replaces a resource without create_before_destroy by destroying
// it first. ecsc writes none on the service, as making the new one first
// would not work: within a cluster, "If you attempt to create a new service
// with the same name as an existing service in either ACTIVE or DRAINING
// status, you receive an error" (ECS API Reference, DeleteService), and in
// another, ECS takes no second service of a Service Connect discovery name,
// "SC service is already used by" (aws/copilot-cli issues 4313, 4337 and
// 5431, where AWS's maintainers trace it to a replacement made before the
// old service is gone). The provider's resourceServiceDelete sets the
// desired count to 0, deletes the service and waits for it to be INACTIVE
// (waitServiceInactive) before the create starts: the service has no task
// from the deletion until the new service's first task runs, and behind the
// load balancer the route answers 503 (a target group without healthy
// targets, ELB User Guide, "Troubleshoot your Application Load Balancers")
// until it is healthy. No order of the state's apply avoids it: a warning
// says so before.

// The AWS name of the cluster the previous build's service ran in, {0} when
// it is this build's or not known: the state reads the cluster's ARN from
// the VPC state's output cluster_T_arn (emit_tf.c, remote), which the
// previous VPC state makes of aws_ecs_cluster.T. The VPC state is read
// only when T changed.
static Str previous_cluster(Arena *a, const char *dir, const Service *s, json_t *service) {
  Str out = referenced(text_of(member(service, "cluster")),
                       "${data.terraform_remote_state.vpc.outputs.", "}");
  Str tf = referenced(out, "cluster_", "_arn");
  if (!tf.len || str_eq(tf, s->cluster->tf_name))
    return (Str){0};
  json_t *vpc = previous_state(a, dir, str_fmt(a, "%.*s/vpc/main.tf.json", S(s->env->name)));
  json_t *value = member(member(member(vpc, "output"), str_cstr(a, out)), "value");
  Str k = referenced(text_of(value), "${aws_ecs_cluster.", ".arn}");
  json_t *cluster = k.len ? member(member(member(vpc, "resource"), "aws_ecs_cluster"),
                                   str_cstr(a, k))
                          : NULL;
  Str name = str_dup(a, text_of(member(cluster, "name")));
  json_decref(vpc);
  return str_eq(name, s->cluster->aws_name) ? (Str){0} : name;
}

static void service_replaced(Compilation *c, Arena *a, const char *dir, const Service *s,
                             json_t *service) {
  if (!s->cluster)
    return;
  Str old_cluster = previous_cluster(a, dir, s, service);
  if (!old_cluster.len)
    return;
  Diag *d = diag_at(c, W1161, s->span, "service \"%.*s\"'s ECS service is replaced (its "
                    "cluster \"%.*s\" becomes \"%.*s\"): Terraform deletes it before it makes "
                    "the new one, and the service has no task in between", S(s->name),
                    S(old_cluster), S(s->cluster->aws_name));
  if (s->route) {
    const Route *r = s->route;
    diag_note(c, d, span_or(r->at.block, s->span), "its route answers 503 from the deletion "
              "until a new task is healthy: %d checks %lld s apart after it starts",
              r->health.healthy, (long long)(r->health.interval_ms / 1000));
  }
  if (model_connect_serves(s))
    diag_note(c, d, span_or(s->connect->at.discovery_name, s->connect->span), "its Service "
              "Connect endpoint \"%.*s\" has no task either: the new service takes the "
              "discovery name once the old one is gone", S(s->connect->discovery_name));
  const Cluster *k = NULL;
  for (int i = 0; i < s->env->nclusters; i++)
    if (str_eq(s->env->clusters[i]->aws_name, old_cluster))
      k = s->env->clusters[i];
  if (k)
    diag_help(c, d, "keep cluster = cluster.%.*s, or apply %.*s/services/%.*s when the service "
              "may be down that long", S(k->name), S(s->env->name), S(s->name));
  else
    diag_help(c, d, "apply %.*s/services/%.*s when the service may be down that long",
              S(s->env->name), S(s->name));
}

// Called by output.c for each file of a state directory this build
// changes, before anything is written (OutOptions.changing): a service state
// left as it is changes nothing on AWS, and reading every previous state took
// a rebuild at 10 x 1000 services longer than the rest of it. Diagnostics
// live in the compilation's arena, the previous state's bytes in a scratch.
// W1170: a routed service's rolling deployment becomes blue-green, canary
// or linear. ECS's own procedure gives the service the load balancer's
// advancedConfiguration in a rolling deployment first, and changes the
// strategy after it ("Update the deployment strategy from Amazon ECS rolling
// update to blue/green", Prerequisites: "If your service uses Elastic Load
// Balancing, update the service with the new advancedConfiguration and
// start a rolling deployment"; "Wait for all current deployments to
// complete"). This state's apply makes the second group, the weighted rule
// and the role, then sends both changes in one UpdateService (the provider's
// resourceServiceUpdate puts every changed argument in one request). AWS
// does not say that ECS refuses the one request, nor that it takes it: a
// warning, with AWS's two steps, in the terms of this state. A service
// that had advanced_configuration already (a traffic-shifting strategy
// changed for another), or that is new, is not compared.
static void shifting_adopted(Compilation *c, const Service *s, json_t *service) {
  if (!s->route || !s->route->alternate_group.len || !s->cluster)
    return;
  json_t *lb = json_array_get(member(service, "load_balancer"), 0);
  Str was = text_of(member(member(service, "deployment_configuration"), "strategy"));
  if (!lb || member(lb, "advanced_configuration") || (was.len && !str_eq_c(was, "ROLLING")))
    return;
  const char *to = s->deploy_strategy == DEPLOY_CANARY   ? "canary"
                   : s->deploy_strategy == DEPLOY_LINEAR ? "linear"
                                                         : "blue-green";
  Diag *d = diag_at(c, W1170, span_or(s->strategy_at, s->span), "service \"%.*s\"'s rolling "
                    "deployment becomes %s behind the load balancer in one apply; AWS's procedure "
                    "gives the service the second target group in a rolling deployment first, "
                    "and changes the strategy after it", S(s->name), to);
  diag_help(c, d, "if the apply of %.*s/services/%.*s fails on the service, apply it with "
            "-target=aws_lb_listener_rule.main -target=aws_iam_role_policy.deploy, give the "
            "service the advancedConfiguration with a rolling deployment (aws ecs update-service "
            "--cluster %.*s --service %.*s --load-balancers ...), wait for it (aws ecs wait "
            "services-stable), then apply the state", S(s->env->name), S(s->name),
            S(s->cluster->aws_name), S(s->family));
}

// E1180: the target groups replaced (a new port or target type renames
// them, W1192) while the deployment shifts traffic, before and after. The
// rule's action is ECS's (ignore_changes), so the apply leaves it
// forwarding to the old groups, and their destroy fails: "You can delete a
// target group if it is not referenced by any actions" (ELB API Reference,
// DeleteTargetGroup; ResourceInUse). A rolling deployment's rule is
// Terraform's again, which moves it to the new group in the same apply.
static void shifted_groups_replaced(Compilation *c, const Service *s, json_t *state) {
  json_t *old = member(member(member(state, "resource"), "aws_lb_target_group"), "main");
  if (!old || !s->route || !s->route->alternate_group.len || !rule_shifted(state) ||
      str_eq(text_of(member(old, "name")), s->route->target_group))
    return;
  Diag *d = diag_at(c, E1180, span_or(s->at.port, span_or(s->route->at.block, s->span)),
                    "service \"%.*s\"'s target groups would be replaced while its listener rule's "
                    "action is left to ECS: the rule keeps forwarding to the old groups, and "
                    "ELB refuses to delete them", S(s->name));
  if (s->strategy_at.src)
    diag_note(c, d, s->strategy_at, "the strategy is set here");
  diag_help(c, d, "make this change with strategy = \"rolling\" and apply it; then set the "
                  "strategy back in the next build");
}

// W1171: a routed service's blue-green, canary or linear deployment becomes
// rolling. The apply moves the rule's action back to the service's first
// group, and only then updates the service (it depends on the rule), and
// deletes the second group. After an odd number of deployments the
// production traffic is on the second group: ECS registers each
// deployment's tasks in the group without traffic and leaves the rule
// forwarding to it (go-to-k/cdk-real-drift issue 1730, "observed live:
// green=100/blue=0 after the initial deployment"), and on the way to
// rolling ECS finds the revision serving the traffic and keeps the load
// balancer configuration as it is (ECS Developer Guide, "Update the
// deployment strategy from Amazon ECS blue/green to rolling update", its
// closing note, as the Chinese edition in the index gives it). Which group serves is AWS's,
// not the state's: a warning, with the way to find out and to move it.
static void shifting_dropped(Compilation *c, const Service *s, json_t *state) {
  if (!s->route || s->route->alternate_group.len || !rule_shifted(state) || !s->cluster)
    return;
  json_t *alt = member(member(member(state, "resource"), "aws_lb_target_group"), "alternate");
  Str name = text_of(member(alt, "name"));
  Diag *d = diag_at(c, W1171, span_or(s->strategy_at, s->span), "service \"%.*s\"'s "
                    "deployment becomes rolling: the apply points its listener rule at the first "
                    "target group and deletes the second, which may be the one the production "
                    "traffic is on", S(s->name));
  diag_help(c, d, "before the apply, see which group has the tasks (aws elbv2 "
            "describe-target-health on %.*s); if it is that one, deploy once more (aws ecs "
            "update-service --cluster %.*s --service %.*s --force-new-deployment) and wait "
            "for it (aws ecs wait services-stable): ECS moves the traffic back",
            S(name.len ? name : STR("the second target group")), S(s->cluster->aws_name),
            S(s->family));
}

// W1172: the listener rule replaced while the deployment shifts traffic,
// before and after: its priority is ForceNew in the provider ("Changing
// priority of aws_lb_listener_rule forces replacement - dangerous when
// combined with blue/green CodeDeploy", hashicorp/terraform-provider-aws
// issue 24811, open), and a route's priority follows its paths and hosts
// (derive.c, auto_priority) unless declared. The new rule is made as
// written, weighted 100 to the first group, whichever group ECS left the
// traffic on (W1171's reason), and the service then names it as its
// production rule.
static void shifted_rule_replaced(Compilation *c, const Service *s, json_t *state) {
  json_t *rule = member(member(member(state, "resource"), "aws_lb_listener_rule"), "main");
  json_t *priority = member(rule, "priority");
  if (!s->route || !s->route->alternate_group.len || !rule_shifted(state) ||
      !json_is_integer(priority) || json_integer_value(priority) == s->route->priority ||
      !s->cluster)
    return;
  json_t *alt = member(member(member(state, "resource"), "aws_lb_target_group"), "alternate");
  Str name = text_of(member(alt, "name"));
  Diag *d = diag_at(c, W1172, span_or(s->route->at.priority, span_or(s->route->at.paths,
                                                                      s->route->at.block)),
                    "service \"%.*s\"'s listener rule is replaced (priority %lld becomes %d): "
                    "the new rule sends all the traffic to the first target group, which may not "
                    "be the one the tasks are in", S(s->name),
                    (long long)json_integer_value(priority), s->route->priority);
  diag_help(c, d, "before the apply, see which group has the tasks (aws elbv2 "
            "describe-target-health on %.*s); if it is that one, deploy once more (aws ecs "
            "update-service --cluster %.*s --service %.*s --force-new-deployment) and wait "
            "for it (aws ecs wait services-stable): ECS moves the traffic back; or declare "
            "priority = %lld in the route", S(name.len ? name : STR("the second target group")),
            S(s->cluster->aws_name), S(s->family), (long long)json_integer_value(priority));
}

void emit_retire_service(Compilation *c, Str dir, const OutFile *f) {
  if (f->kind != OUT_SERVICE)
    return;  // the state's main.tf.json: once per service state
  const Service *s = f->of;
  Arena scratch = {0};
  const char *d = str_cstr(&scratch, dir);
  json_t *service;
  bool same;
  json_t *state = previous_service(&scratch, d, s, &service, &same);
  if (state && same) {
    ebs_removed(c, s, service);
    alarms_removed(c, s, service);
    app_protocol_changed(c, &scratch, d, s, service);
    target_group_replaced(c, &scratch, s, state);
    shifting_adopted(c, s, service);
    shifted_groups_replaced(c, s, state);
    shifting_dropped(c, s, state);
    shifted_rule_replaced(c, s, state);
  }
  if (state)
    service_replaced(c, &scratch, d, s, service);
  json_decref(state);
  arena_free(&scratch);
}

// E1162: a cluster the VPC state deletes while service states of the
// previous build still run in it. A cluster is replaced when its name
// changes, PREFIX-cluster-NAME (derive.c): the cluster renamed, or the
// environment's prefix; and deleted when removed. "name" is ForceNew in the
// AWS provider (internal/service/ecs/cluster.go), and Terraform destroys
// first. The VPC state is applied before the service states (README, "What
// it writes"; build --changed=json lists a removed service's state among
// the service states, after it), so its services are still in the cluster,
// and ECS refuses: DeleteCluster, ClusterContainsServicesException, "You
// can't delete a cluster that contains services. First, update the service
// to reduce its desired task count to 0, and then delete the service" (ECS
// API Reference); the provider retries it (resourceClusterDelete,
// RetryWhenIsOneOf4 over ClusterContainsServicesException and
// ClusterContainsContainerInstancesException, for clusterDeleteTimeout) and
// then fails the apply, before the new cluster exists, so the service
// states cannot move either. Moving the services first, to a cluster that
// stays, works: each is replaced (W1161), and the cluster can go in the
// next build.
typedef struct {
  Str tf;         // T of aws_ecs_cluster.T in the previous VPC state
  Str name;       // its AWS name
  Str output;     // the output the service states read its ARN by
  NamespaceUser *users;  // the service states of the previous build in it
  int nusers;
} OldCluster;

// Whether this build makes the same cluster: the same Terraform and AWS name.
static bool cluster_kept(const Environment *e, Str tf, Str name) {
  for (int i = 0; i < e->nclusters; i++)
    if (str_eq(e->clusters[i]->tf_name, tf) && str_eq(e->clusters[i]->aws_name, name))
      return true;
  return false;
}

static OldCluster *gone_clusters(Arena *a, const Environment *e, json_t *vpc, int *n) {
  json_t *clusters = member(member(vpc, "resource"), "aws_ecs_cluster");
  OldCluster *gone = new(a, OldCluster, (ptrdiff_t)json_object_size(clusters) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(clusters, key, r) {
    Str tf = str_c(key), name = text_of(member(r, "name"));
    if (name.len && !cluster_kept(e, tf, name))
      gone[(*n)++] = (OldCluster){.tf = str_dup(a, tf), .name = str_dup(a, name)};
  }
  json_object_foreach(member(vpc, "output"), key, r) {
    Str tf = referenced(text_of(member(r, "value")), "${aws_ecs_cluster.", ".arn}");
    for (int i = 0; i < *n; i++)
      if (tf.len && str_eq(tf, gone[i].tf))
        gone[i].output = str_dup(a, str_c(key));
  }
  return gone;
}

// Which gone cluster the previous state of service NAME ran in.
static void cluster_user(Arena *a, const char *dir, const Environment *e, NamespaceUser u,
                         OldCluster *gone, int n, int cap) {
  json_t *state = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/main.tf.json",
                                                 S(e->name), S(u.name)));
  Str read = referenced(text_of(member(member(member(member(state, "resource"),
                                                     "aws_ecs_service"), "main"), "cluster")),
                        "${data.terraform_remote_state.vpc.outputs.", "}");
  for (int i = 0; i < n; i++)
    if (read.len && gone[i].output.len && str_eq(read, gone[i].output)) {
      if (!gone[i].users)
        gone[i].users = new(a, NamespaceUser, cap);
      gone[i].users[gone[i].nusers++] = u;
      break;
    }
  json_decref(state);
}

static void report_cluster(Compilation *c, Arena *a, const Environment *e, const OldCluster *k) {
  const Cluster *same = NULL;  // this build's cluster of the same Terraform name
  for (int i = 0; i < e->nclusters; i++)
    if (str_eq(e->clusters[i]->tf_name, k->tf))
      same = e->clusters[i];
  Str old_prefix = {0};
  Str suffix = same ? str_fmt(a, "-cluster-%.*s", S(same->name)) : (Str){0};
  if (same && k->name.len > suffix.len &&
      memcmp(k->name.ptr + k->name.len - suffix.len, suffix.ptr, (size_t)suffix.len) == 0 &&
      !str_eq((Str){k->name.ptr, k->name.len - suffix.len}, e->prefix))
    old_prefix = (Str){k->name.ptr, k->name.len - suffix.len};
  Span at = old_prefix.len ? span_or(e->at.prefix, e->span)
            : k->users[0].svc ? k->users[0].svc->span
                              : e->span;
  Diag *d = diag_at(c, E1162, at, "cluster \"%.*s\" would be deleted while %d service "
                    "state%s of the previous build still run%s in it: the VPC state, applied "
                    "first, would fail to delete it", S(k->name), k->nusers,
                    k->nusers == 1 ? "" : "s", k->nusers == 1 ? "s" : "");
  for (int i = !old_prefix.len && k->users[0].svc ? 1 : 0; i < k->nusers; i++) {
    const NamespaceUser *u = &k->users[i];
    if (u->svc)
      diag_note(c, d, u->svc->span, "service \"%.*s\" runs in it until its state is applied",
                S(u->name));
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, runs in it until "
                "its state (%.*s/services/%.*s in the previous build) is destroyed", S(u->name),
                S(e->name), S(u->name));
  }
  if (old_prefix.len) {
    diag_help(c, d, "keep the name: set prefix = \"%.*s\" in environment \"%.*s\"",
              S(old_prefix), S(e->name));
    return;
  }
  Str head = str_fmt(a, "%.*s-cluster-", S(e->prefix));
  Str was = str_starts_with(k->name, head) && k->name.len > head.len
                ? str_fmt(a, "cluster \"%.*s\"", (int)(k->name.len - head.len),
                          k->name.ptr + head.len)
                : STR("the cluster that made it");
  diag_help(c, d, "in two builds: keep %.*s in this one while its services move out of it "
            "(each is replaced, W1161) or go, build and apply (%.*s/vpc, then the services' "
            "states); then remove it and build again", S(was), S(e->name));
}

static void clusters_retire(Compilation *c, Arena *a, const Environment *e, const char *dir,
                            json_t *vpc) {
  int n;
  OldCluster *gone = gone_clusters(a, e, vpc, &n);
  if (!n)
    return;
  int nremoved;
  Str *removed = removed_services(a, e, dir, &nremoved);
  for (int i = 0; i < e->nservices; i++)
    cluster_user(a, dir, e, (NamespaceUser){e->services[i], e->services[i]->name}, gone, n,
                 e->nservices + nremoved);
  for (int i = 0; i < nremoved; i++)
    cluster_user(a, dir, e, (NamespaceUser){NULL, removed[i]}, gone, n, e->nservices + nremoved);
  for (int i = 0; i < n; i++)
    if (gone[i].nusers)
      report_cluster(c, a, e, &gone[i]);
}

void emit_retire_check(Compilation *c, const Model *m, const char *dir) {
  Arena scratch = {0};
  for (int i = 0; i < m->nenvs; i++) {
    const Environment *e = m->envs[i];
    json_t *vpc = previous_state(&scratch, dir, str_fmt(&scratch, "%.*s/vpc/main.tf.json",
                                                        S(e->name)));
    environment_retires(c, &scratch, e, dir, vpc);
    clusters_retire(c, &scratch, e, dir, vpc);
    namespace_retires(c, &scratch, e, dir, vpc);
    namespace_replaced(c, &scratch, m, e, dir, vpc);
    json_decref(vpc);
    discovery_names_moved(c, &scratch, e, dir);
  }
  arena_free(&scratch);
}
