// rebuild_retire.c: what this build deletes that AWS refuses to delete while
// the previous build's services still use it, as the previous build in DIR
// made them: its capacity providers (E0880, E0881; FARGATE and
// FARGATE_SPOT, E1230), its Service Connect namespace, removed (E1051) or
// replaced by a new name (E1052), and its clusters (E1162). The network
// under the services is rebuild_retire_network.c's (E1231, E1232, W1231), the
// parameters they read rebuild_retire_params.c's (E1235, W1235-W1237); a
// listener rule priority its services held, rebuild_priorities.c's (E1233,
// W1230), and a discovery name, rebuild_discovery.c's (E1160); what a build
// changes within a service's state is rebuild_update.c's, what it loses or
// replaces without failing rebuild_costs.c's. Writes nothing.
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
// create_before_destroy resource only (emit_tf_cluster.c, capacity_provider), a
// setting it reads from the state for a resource gone from the
// configuration: a provider made by a build without it must be applied once
// by one with it (E0881).
//
// Only what build is given tells what was applied: DIR, committed and
// applied in order (README.md). Without a previous build (a new DIR, a new
// environment, an unreadable or foreign file) there is nothing to compare
// and nothing is reported; the bytes written never depend on DIR. The
// service states are read only in an environment that deletes a provider.
#include "rebuild.h"

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
  PreviousService *ran;  // the service states of the previous build that ran on it
  int nran;
} OldProvider;

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
  json_t *resources = previous_member(vpc, "resource");
  json_t *providers = previous_member(resources, "aws_ecs_capacity_provider");
  json_t *groups = previous_member(resources, "aws_autoscaling_group");
  OldProvider *gone = new(a, OldProvider, (ptrdiff_t)json_object_size(providers) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(providers, key, r) {
    Str arn = previous_text(
        previous_at(r, "auto_scaling_group_provider", "auto_scaling_group_arn", NULL));
    json_t *lifecycle = previous_member(r, "lifecycle");
    OldProvider p = {
        .tf = str_c(key),
        .name = previous_text(previous_member(r, "name")),
        .asg_tf = previous_ref(arn, "${aws_autoscaling_group.", ".arn}"),
        .from = previous_made_from(r),
        .cbd = json_is_true(previous_member(lifecycle, "create_before_destroy")),
    };
    p.asg_name = previous_text(previous_at(groups, str_cstr(a, p.asg_tf), "name", NULL));
    if (!still_made(e, &p, a))
      gone[(*n)++] = p;
  }
  return gone;
}

// The output each gone provider is read by, and the cluster that held it.
static void provider_links(Arena *a, json_t *vpc, OldProvider *gone, int n) {
  const char *key;
  json_t *v;
  json_object_foreach(previous_member(vpc, "output"), key, v) {
    Str value = previous_text(previous_member(v, "value"));
    Str tf = previous_ref(value, "${aws_ecs_capacity_provider.", ".name}");
    for (int i = 0; i < n; i++)
      if (tf.len && str_eq(tf, gone[i].tf))
        gone[i].output = str_dup(a, str_c(key));
  }
  json_t *links = previous_at(vpc, "resource", "aws_ecs_cluster_capacity_providers", NULL);
  json_object_foreach(links, key, v) {
    size_t j;
    json_t *item;
    json_array_foreach(previous_member(v, "capacity_providers"), j, item) {
      Str tf = previous_ref(previous_text(item), "${aws_ecs_capacity_provider.", ".name}");
      for (int i = 0; i < n; i++)
        if (tf.len && str_eq(tf, gone[i].tf))
          gone[i].cluster_tf = str_dup(a, str_c(key));
    }
  }
}

// Which gone providers service state u ran on in the previous build: its
// strategy reads each by the VPC state's output (emit_tf_service.c, ecs_service).
// A service removed from the source counts too: its state is destroyed
// after the VPC state (build --changed=json), so its tasks still run on the
// provider when the cluster lets it go.
static void service_ran(Arena *a, const char *dir, const Environment *e, PreviousService u,
                        int cap, OldProvider *gone, int n) {
  json_t *state = previous_service_state(a, dir, e->name, u.name);
  json_t *service = previous_at(state, "resource", "aws_ecs_service", "main", NULL);
  size_t j;
  json_t *item;
  json_array_foreach(previous_member(service, "capacity_provider_strategy"), j, item) {
    Str read = previous_ref(previous_text(previous_member(item, "capacity_provider")),
                          "${data.terraform_remote_state.vpc.outputs.", "}");
    for (int i = 0; i < n; i++)
      if (read.len && gone[i].output.len && str_eq(read, gone[i].output) &&
          (gone[i].nran == 0 || !str_eq(gone[i].ran[gone[i].nran - 1].name, u.name))) {
        if (!gone[i].ran)
          gone[i].ran = new(a, PreviousService, cap);
        gone[i].ran[gone[i].nran++] = u;
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

// E0880: deleted while services that ran on it move off it, or go, in this
// build.
static void report_ran(Compilation *c, const Environment *e, const OldProvider *p) {
  const Cluster *k = cluster_by_tf(e, p->cluster_tf);
  const Service *first = p->ran[0].svc;  // the place when the cluster is gone
  Span at = k ? k->span : first ? first->span : e->span;
  Diag *d = p->nran == 1
                ? diag_at(c, E0880, at, "capacity provider \"%.*s\" would be deleted while service "
                                        "\"%.*s\" still runs on it", S(p->name), S(p->ran[0].name))
                : diag_at(c, E0880, at, "capacity provider \"%.*s\" would be deleted while %d "
                                        "services still run on it", S(p->name), p->nran);
  int removed = 0;
  for (int i = k || !first ? 0 : 1; i < p->nran; i++) {
    const PreviousService *u = &p->ran[i];
    if (u->svc)
      diag_note(c, d, u->svc->span, "service \"%.*s\" ran on it in the previous build "
                "(%.*s/services/%.*s) and moves off it in this one", S(u->name), S(e->name),
                S(u->name));
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, runs on it until "
                "its state (%.*s/services/%.*s in the previous build) is destroyed", S(u->name),
                S(e->name), S(u->name));
    removed += !u->svc;
  }
  if (removed == p->nran) {  // nothing moves: the services go
    keep_it(c, d, p, "");
    diag_help(c, d, "build, apply %.*s/vpc, then destroy the removed services' states; then "
              "remove it, build and apply %.*s/vpc again", S(e->name), S(e->name));
    return;
  }
  keep_it(c, d, p, ", beside what replaces it");
  diag_help(c, d, "build, apply %.*s/vpc, then the services' states with -var "
                  "force_new_deployment=true, which moves their tasks%s; then remove it, build "
                  "and apply %.*s/vpc again", S(e->name),
            removed ? " (and destroy the removed services')" : "", S(e->name));
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
                                json_t *vpc, const PreviousServices *all) {
  int n;
  OldProvider *gone = gone_providers(a, e, vpc, &n);
  if (n) {
    provider_links(a, vpc, gone, n);
    for (int i = 0; i < all->n; i++)
      service_ran(a, dir, e, all->items[i], all->n, gone, n);
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
typedef PreviousService NamespaceUser;

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
// state) or joins it (a service state), as emit_tf_vpc.c and emit_tf_service.c write them.
static json_t *connect_namespace_of(json_t *vpc) {
  return previous_at(vpc, "resource", "aws_service_discovery_http_namespace", "connect", NULL);
}

static bool joins_connect(json_t *state) {
  return previous_at(state, "resource", "aws_ecs_service", "main", "service_connect_configuration",
                     NULL);
}

static bool previous_joins(Arena *a, const char *dir, Str env, Str service) {
  json_t *state = previous_service_state(a, dir, env, service);
  bool joins = joins_connect(state);
  json_decref(state);
  return joins;
}

// Every service state of the previous build in DIR that joins e's
// namespace: this build's services first, in their order, then the
// removed ones by name (all's order).
static NamespaceUser *namespace_users(Arena *a, const Environment *e, const char *dir,
                                      const PreviousServices *all, int *n) {
  NamespaceUser *users = new(a, NamespaceUser, all->n + 1);
  *n = 0;
  for (int k = 0; k < all->n; k++)
    if (previous_joins(a, dir, e->name, all->items[k].name))
      users[(*n)++] = all->items[k];
  return users;
}

// The namespace goes with the last connect block, while the previous
// build's service states, applied after the VPC state, still join it
// (report_namespace says why AWS refuses). The services' states are
// read only when the previous VPC state made a namespace this one does not.
static void namespace_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                              json_t *vpc, const PreviousServices *all) {
  if (model_connect_namespace(e) || !connect_namespace_of(vpc))
    return;
  int n;
  NamespaceUser *users = namespace_users(a, e, dir, all, &n);
  report_namespace(c, e, users, n);
}

// The namespace is named after the environment's prefix (emit_tf_vpc.c,
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
                               const char *dir, json_t *vpc, const PreviousServices *all) {
  if (!model_connect_namespace(e))
    return;  // removed, not replaced: namespace_retires
  json_t *ns = connect_namespace_of(vpc);
  Str old_name = previous_text(previous_member(ns, "name"));
  Str old_description = previous_text(previous_member(ns, "description"));
  bool replaced = ns && (!str_eq(old_name, e->prefix) ||
                         !str_eq_c(old_description, EMIT_TF_CONNECT_DESCRIPTION));
  if (!replaced)
    return;
  int n;
  NamespaceUser *users = namespace_users(a, e, dir, all, &n);
  if (n)
    report_replaced(c, a, m, e, old_name, users, n);
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
  json_t *clusters = previous_at(vpc, "resource", "aws_ecs_cluster", NULL);
  OldCluster *gone = new(a, OldCluster, (ptrdiff_t)json_object_size(clusters) + 1);
  *n = 0;
  const char *key;
  json_t *r;
  json_object_foreach(clusters, key, r) {
    Str tf = str_c(key), name = previous_text(previous_member(r, "name"));
    if (name.len && !cluster_kept(e, tf, name))
      gone[(*n)++] = (OldCluster){.tf = str_dup(a, tf), .name = str_dup(a, name)};
  }
  json_object_foreach(previous_member(vpc, "output"), key, r) {
    Str tf = previous_ref(previous_text(previous_member(r, "value")), "${aws_ecs_cluster.",
                          ".arn}");
    for (int i = 0; i < *n; i++)
      if (tf.len && str_eq(tf, gone[i].tf))
        gone[i].output = str_dup(a, str_c(key));
  }
  return gone;
}

// Which gone cluster the previous state of service NAME ran in.
static void cluster_user(Arena *a, const char *dir, const Environment *e, NamespaceUser u,
                         OldCluster *gone, int n, int cap) {
  json_t *state = previous_service_state(a, dir, e->name, u.name);
  json_t *cluster = previous_at(state, "resource", "aws_ecs_service", "main", "cluster", NULL);
  Str read = previous_ref(previous_text(cluster), "${data.terraform_remote_state.vpc.outputs.",
                          "}");
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
                            json_t *vpc, const PreviousServices *all) {
  int n;
  OldCluster *gone = gone_clusters(a, e, vpc, &n);
  if (!n)
    return;
  for (int i = 0; i < all->n; i++)
    cluster_user(a, dir, e, all->items[i], gone, n, all->n);
  for (int i = 0; i < n; i++)
    if (gone[i].nusers)
      report_cluster(c, a, e, &gone[i]);
}

// E1230: FARGATE and FARGATE_SPOT let go of by a cluster that stays (its
// fargate = true removed) while service states of the previous build still
// run on them: E0880's case, on the two providers AWS makes. Both are in
// the cluster's aws_ecs_cluster_capacity_providers list beside the
// cluster's own (emit_tf_cluster.c), which the VPC state, applied first, updates
// with PutClusterCapacityProviders, and "You can only disassociate an
// existing capacity provider from a cluster if it's not being used by any
// existing tasks" (ECS API Reference, PutClusterCapacityProviders; the AWS
// provider retries the ResourceInUseException and then fails the apply, as
// for E0880). A service's tasks leave Fargate only when its state is
// applied, after, with -var force_new_deployment=true (README, "Deploying a
// new image"), and a removed service's only when its state is destroyed,
// after too (build --changed=json). A cluster removed or renamed is E1162's.
static const char *const fargate_providers[] = {"FARGATE", "FARGATE_SPOT"};

// Which of FARGATE (1) and FARGATE_SPOT (2) a previous state's strategy,
// or a cluster's list of providers, names.
static int fargate_named(json_t *list, const char *member) {
  int named = 0;
  size_t i;
  json_t *item;
  json_array_foreach(list, i, item) {
    Str p = previous_text(member ? previous_member(item, member) : item);
    for (int k = 0; k < 2; k++)
      named |= str_eq_c(p, fargate_providers[k]) << k;
  }
  return named;
}

// The output the service states read cluster tf's ARN by.
static Str cluster_arn_output(json_t *vpc, Str tf) {
  const char *key;
  json_t *v;
  json_object_foreach(previous_member(vpc, "output"), key, v) {
    Str ref = previous_ref(previous_text(previous_member(v, "value")), "${aws_ecs_cluster.",
                           ".arn}");
    if (ref.len && str_eq(ref, tf))
      return str_c(key);
  }
  return (Str){0};
}

static void report_fargate(Compilation *c, const Cluster *k, int dropped,
                           const PreviousService *users, int n) {
  const Environment *e = k->env;
  Str which = dropped == 3 ? STR("FARGATE and FARGATE_SPOT")
                           : str_c(fargate_providers[dropped == 2]);
  Diag *d = diag_at(c, E1230, k->span, "cluster \"%.*s\" would let go of %.*s while %d service "
                    "state%s of the previous build still run%s on %s: the VPC state, applied "
                    "first, would fail (ECS keeps a capacity provider that tasks use)",
                    S(k->name), S(which), n, n == 1 ? "" : "s", n == 1 ? "s" : "",
                    dropped == 3 ? "them" : "it");
  for (int i = 0; i < n; i++) {
    if (users[i].svc)
      diag_note(c, d, users[i].svc->span, "service \"%.*s\" runs on Fargate until its state is "
                "applied", S(users[i].name));
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, runs on Fargate "
                "until its state (%.*s/services/%.*s in the previous build) is destroyed",
                S(users[i].name), S(e->name), S(users[i].name));
  }
  diag_help(c, d, "in two builds: keep fargate = true in cluster \"%.*s\" while its services "
            "move off Fargate, build and apply (%.*s/vpc, then the services' states with -var "
            "force_new_deployment=true, which moves their tasks); then remove it and build "
            "again", S(k->name), S(e->name));
}

static void fargate_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                            json_t *vpc, const PreviousServices *all) {
  const char *key;
  json_t *r;
  json_t *links = previous_at(vpc, "resource", "aws_ecs_cluster_capacity_providers", NULL);
  json_object_foreach(links, key, r) {
    const Cluster *k = cluster_by_tf(e, str_c(key));
    int dropped = fargate_named(previous_member(r, "capacity_providers"), NULL);
    Str output = cluster_arn_output(vpc, str_c(key));
    Str name = previous_text(previous_at(vpc, "resource", "aws_ecs_cluster", key, "name", NULL));
    if (!k || k->fargate || !dropped || !output.len || !str_eq(name, k->aws_name))
      continue;
    int nusers = 0, used = 0;
    PreviousService *users = new(a, PreviousService, all->n + 1);
    for (int i = 0; i < all->n; i++) {
      json_t *state = previous_service_state(a, dir, e->name, all->items[i].name);
      json_t *service = previous_at(state, "resource", "aws_ecs_service", "main", NULL);
      Str in = previous_ref(previous_text(previous_member(service, "cluster")),
                            "${data.terraform_remote_state.vpc.outputs.", "}");
      int on = fargate_named(previous_member(service, "capacity_provider_strategy"),
                             "capacity_provider") & dropped;
      if (in.len && str_eq(in, output) && on) {
        users[nusers++] = all->items[i];
        used |= on;
      }
      json_decref(state);
    }
    if (nusers)
      report_fargate(c, k, used, users, nusers);
  }
}

void rebuild_retire_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                        const char *dir, json_t *vpc, const PreviousServices *all) {
  environment_retires(c, a, e, dir, vpc, all);
  clusters_retire(c, a, e, dir, vpc, all);
  fargate_retires(c, a, e, dir, vpc, all);
  rebuild_retire_network(c, a, e, dir, vpc, all);
  rebuild_retire_params(c, a, m, e, dir, vpc);
  rebuild_retire_network_protected_lb(c, m, e, e->name, vpc);
  namespace_retires(c, a, e, dir, vpc, all);
  namespace_replaced(c, a, m, e, dir, vpc, all);
}

void rebuild_retire_gone_env(Compilation *c, const Model *m, Str name, json_t *vpc) {
  rebuild_retire_network_protected_lb(c, m, NULL, name, vpc);
}
