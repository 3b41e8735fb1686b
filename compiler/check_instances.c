// check_instances.c: a cluster's kinds of capacity: instances of its own
// (instance_type), further autoscaling groups (group "NAME"), Fargate's
// (fargate = true). A cluster has one kind at least; a setting of instances
// only where there are instances; a service of the instances only where
// the cluster has them; every group taking tasks. Reports E0994-E0997 and
// W0991.
#include "model.h"

// ECS API Reference, CreateCluster: a cluster without capacity providers is
// legal, but a task placed by a capacity provider strategy needs one
// (CapacityProviderStrategyItem), and ecsc's services always give a
// strategy: a cluster with neither instances nor Fargate runs nothing.
static bool some_capacity(Compilation *c, const Cluster *k) {
  if (model_has_instances(k) || k->ngroups || k->fargate)
    return true;
  Diag *d = diag_at(c, E0994, k->span, "cluster \"%.*s\" has no capacity: no instance_type, no "
                    "group and no fargate", S(k->name));
  diag_help(c, d, "add instance_type and size (EC2 instances), group \"NAME\" { instance_type = "
                  "... size = ... } blocks, or fargate = true");
  return false;
}

// One setting of instances written where there are none: what it is and
// where it was written ({0}: not written).
typedef struct {
  const char *name;
  Span at;
} Setting;

static void refuse_setting(Compilation *c, const Cluster *k, Setting set, bool fargate_only) {
  if (!set.at.src)
    return;
  Diag *d;
  if (fargate_only) {
    d = diag_at(c, E0995, set.at, "cluster \"%.*s\" runs on Fargate only, but sets %s",
                S(k->name), set.name);
    diag_help(c, d, "remove %s: Fargate runs containers on no instance of yours; or add "
                    "instance_type and size", set.name);
    return;
  }
  d = diag_at(c, E0995, set.at, "cluster \"%.*s\" sets %s, but has no instance_type: no "
              "instances of its own", S(k->name), set.name);
  diag_help(c, d, "move %s into a group block, or add instance_type to the cluster for "
                  "instances of its own", set.name);
}

// Without instance_type a cluster has no autoscaling group of its own (its
// groups have theirs), and the group's settings mean nothing; without any
// instances at all (Fargate only), nor do the launch template's and the
// agent's: Fargate runs containers "without having to manage servers or
// clusters of Amazon EC2 instances" (ECS Developer Guide, "Architect for AWS
// Fargate for Amazon ECS"), and ecsc then emits no launch template, group,
// instance role or user data.
static void instance_settings(Compilation *c, const Cluster *k) {
  if (model_has_instances(k))
    return;
  const Setting own[] = {
      {"size", k->at.size},
      {"min_size", k->at.min_size},
      {"max_size", k->at.max_size},
      {"termination_protection", k->at.termination_protection},
      {"a spot block", k->spot ? k->spot->span : (Span){0}},
      {"a managed_scaling block", k->scaling.given ? k->scaling.span : (Span){0}},
  };
  bool fargate_only = !k->ngroups;
  for (ptrdiff_t i = 0; i < countof(own); i++)
    refuse_setting(c, k, own[i], fargate_only);
  if (!fargate_only)
    return;
  const Setting launch[] = {
      {"ami", k->at.ami},
      {"ami_id", k->at.ami_id},
      {"key_name", k->at.key_name},
      {"root_volume", k->at.root_volume},
      {"detailed_monitoring", k->at.detailed_monitoring},
      {"agent", k->at.agent},
  };
  for (ptrdiff_t i = 0; i < countof(launch); i++)
    refuse_setting(c, k, launch[i], true);
}

// A group is named by strategies as "ec2", "fargate" and "fargate_spot"
// are (check_provider.c): a group of one of those names would be two
// providers of one name.
static void reserved_group_names(Compilation *c, const Cluster *k) {
  static const char *const reserved[] = {"ec2", "fargate", "fargate_spot"};
  for (int i = 0; i < k->ngroups; i++)
    for (ptrdiff_t j = 0; j < countof(reserved); j++) {
      if (!str_eq_c(k->groups[i]->group, reserved[j]))
        continue;
      Diag *d = diag_at(c, E0996, k->groups[i]->group_at, "group \"%s\" of cluster \"%.*s\" "
                        "takes the name of a capacity provider strategies name", reserved[j],
                        S(k->name));
      diag_help(c, d, "rename the group (\"on_demand\", \"spot\", ...): \"ec2\" is the "
                      "cluster's own instances, \"fargate\" and \"fargate_spot\" are Fargate's");
    }
}

// A service of the instances without a strategy of its own is placed on
// the cluster's own capacity provider ("ec2", emit_tf_cluster.c): a cluster without
// instance_type has none.
static void service_placed(Compilation *c, const Cluster *k, const Service *s) {
  if (s->runs_on != RUN_EC2 || s->strategy.n || model_has_instances(k))
    return;
  Span at = span_or(s->at.capacity, s->span);
  if (!k->ngroups) {
    Diag *d = diag_at(c, E0997, at, "service \"%.*s\" runs on EC2 instances, but cluster "
                      "\"%.*s\" runs on Fargate only", S(s->name), S(k->name));
    diag_note(c, d, k->span, "cluster \"%.*s\" has no instance_type and no group", S(k->name));
    diag_help(c, d, "set capacity = \"fargate\"%s with a task { cpu, memory } block, or give "
              "the cluster instances", model_cluster_arch(k) == ARCH_ARM64 ? ""
                                       : " (or \"fargate_spot\")");  // E1242: not for ARM64
    return;
  }
  Diag *d = diag_at(c, E0997, at, "service \"%.*s\" runs on EC2 instances, but cluster \"%.*s\" "
                    "has them in groups only, and the service names none", S(s->name),
                    S(k->name));
  diag_note(c, d, k->groups[0]->group_at, "group \"%.*s\" is declared here",
            S(k->groups[0]->group));
  diag_help(c, d, "give the service a strategy over the groups: strategy \"%.*s\" { weight = 1 "
                  "}", S(k->groups[0]->group));
}

static bool names_group(const Strategy *st, const Cluster *g) {
  for (int i = 0; i < st->n; i++)
    if (st->items[i].group == g)
      return true;
  return false;
}

// A group no strategy names takes no task (ECS API Reference,
// CapacityProviderStrategyItem: tasks go only to the providers of their
// strategy): its instances, min_size of them, run for nothing.
static void group_used(Compilation *c, const Cluster *k, const Cluster *g) {
  if (names_group(&k->strategy, g))
    return;
  for (int i = 0; i < k->nservices; i++)
    if (names_group(&k->services[i]->strategy, g))
      return;
  Diag *d = diag_at(c, W0991, g->group_at, "group \"%.*s\" of cluster \"%.*s\" takes no task: "
                    "no strategy names it", S(g->group), S(k->name));
  diag_help(c, d, "name it in a service's strategy (strategy \"%.*s\" { weight = 1 }) or in the "
                  "cluster's, or remove it", S(g->group));
}

void check_instances(Compilation *c, const Cluster *k) {
  if (!some_capacity(c, k))
    return;
  instance_settings(c, k);
  reserved_group_names(c, k);
  for (int i = 0; i < k->nservices; i++)
    service_placed(c, k, k->services[i]);
  for (int i = 0; i < k->ngroups; i++)
    group_used(c, k, k->groups[i]);
}
