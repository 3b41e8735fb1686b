// check_spot.c: a cluster's Spot and mixed instances (spot { }): one
// architecture for every type the group may launch, Spot draining on, and
// a policy that launches Spot at all; the same architecture in each of a
// cluster's groups; Bottlerocket's draining setting. What the instances
// hold, for every type, is check_capacity.c's; a cluster's architecture
// setting against its instance types. Reports E0970, E1243, W0970, W0971
// and W1143.
#include "model.h"

static const char *arch_name(Arch a) {
  return a == ARCH_ARM64 ? "arm64" : "x86_64";
}

// The group launches every type with the one launch template, and so the
// one AMI, which is built for one architecture: ecsc resolves the AMI of
// instance_type's (the family's SSM parameter per architecture). An
// override of another architecture launches an instance that cannot boot
// it (Amazon EC2 Auto Scaling User Guide, "Use multiple launch templates":
// the AMIs of c5 and c5a instances "cannot run on C6g instances", Graviton's
// arm64, which need a launch template of their own).
static void one_arch(Compilation *c, const Cluster *k) {
  const InstanceType *first = k->ntypes ? k->types[0] : NULL;
  for (int i = 1; i < k->ntypes && first; i++) {
    const InstanceType *t = k->types[i];
    if (!t || t->arch == first->arch)
      continue;
    Diag *d = diag_at(c, E0970, k->type_at[i],
                      "instance type \"%.*s\" is %s, but %s runs %s instances",
                      S(t->name), arch_name(t->arch), model_instances_name(&c->arena, k).ptr,
                      arch_name(first->arch));
    diag_note(c, d, k->type_at[0], "instance_type %.*s is %s, and so is the launch template's AMI",
              S(first->name), arch_name(first->arch));
    diag_help(c, d, "list %s types only, or give the %s types a cluster of their own",
              arch_name(first->arch), arch_name(t->arch));
  }
}

// A group has a launch template, and so an AMI, of its own; but a service's
// task definition names one architecture (emit_taskdef.c: runtimePlatform,
// from the cluster's first instances) and its images are built for one,
// and its strategy may spread its tasks over every group. Whether ECS keeps
// a task off instances of another cpuArchitecture is not documented (the
// ECS API Reference, RuntimePlatform, says only that ARM64 "is available
// for tasks that run on Linux Amazon EC2 instance"; rebuild_costs.c, W1233):
// if it does, the other group never runs the service's tasks; if not,
// they start there and fail ("exec format error"). Either way: one
// cluster, one architecture.
static void groups_arch(Compilation *c, const Cluster *first, const Cluster *g) {
  const InstanceType *a = first->ntypes ? first->types[0] : NULL;
  const InstanceType *t = g->ntypes ? g->types[0] : NULL;
  if (!a || !t || a->arch == t->arch)
    return;
  Diag *d = diag_at(c, E0970, g->type_at[0], "instance type \"%.*s\" is %s, but %s runs %s "
                    "instances", S(t->name), arch_name(t->arch),
                    model_instances_name(&c->arena, first).ptr, arch_name(a->arch));
  diag_note(c, d, first->type_at[0], "instance_type %.*s is %s, and so are the cluster's task "
            "definitions", S(a->name), arch_name(a->arch));
  diag_help(c, d, "use %s types in every group, or give the %s types a cluster of their own",
            arch_name(a->arch), arch_name(t->arch));
}

// ECS Developer Guide, "Configuring Amazon ECS Linux container instances to
// receive Spot Instance notices": with draining on, ECS sets an instance
// DRAINING on its two-minute interruption notice and starts the service's
// replacement tasks elsewhere; without it the tasks die with the instance.
static void draining(Compilation *c, const Cluster *k) {
  if (k->spot_draining)
    return;
  const KeyValue *kv =
      model_kv_find(k->agent, k->nagent, STR("ECS_ENABLE_SPOT_INSTANCE_DRAINING"));
  Diag *d = diag_at(c, W0970, kv ? kv->at : k->spot->span,
                    "%s runs Spot instances with Spot draining off",
                    model_instances_name(&c->arena, k).ptr);
  diag_help(c, d, "remove ECS_ENABLE_SPOT_INSTANCE_DRAINING: ecsc turns it on for a Spot "
                  "cluster, so that ECS moves the tasks on an interruption notice");
}

// Spot draining on Bottlerocket: emit_userdata.c writes the API setting
// settings.ecs.enable-spot-instance-draining, the ECS settings model's key
// (bottlerocket-os/bottlerocket pull request 1100; ECSSettingsV1's
// enable_spot_instance_draining in the settings models). The agent's drop-in
// template (bottlerocket-os/bottlerocket-core-kit, packages/ecs-agent/
// ecs-base-conf, from 2b4d77ae of 2024-03 to a10182f of 2024-10, the newest
// copy readable here) renders ECS_ENABLE_SPOT_INSTANCE_DRAINING from
// settings.enable-spot-instance-draining, outside the ecs extension, so the
// agent starts with it "false"; the core kit's CHANGELOG.md, to v16.1.0
// (2026-09-03), lists no fix. Not proven for today's release either way: a
// warning that says how to look.
static void bottlerocket_draining(Compilation *c, const Cluster *k) {
  if (!k->spot_draining || !model_bottlerocket(k))
    return;
  Diag *d = diag_at(c, W1143, k->spot->span, "%s runs Spot instances on Bottlerocket, whose ECS "
                    "agent may start with Spot draining off",
                    model_instances_name(&c->arena, k).ptr);
  diag_note(c, d, span_or(k->at.ami, k->span), "the AMI family is chosen here");
  diag_help(c, d, "use ami = \"al2023\" for Spot instances, or check that an instance's agent "
                  "runs with ECS_ENABLE_SPOT_INSTANCE_DRAINING=true (ecsc explain W1143)");
}

// InstancesDistribution: OnDemandBaseCapacity instances come first, then
// OnDemandPercentageAboveBaseCapacity of the rest; at 100 % above a base,
// or with a base of max_size, the group never launches a Spot instance.
static void some_spot(Compilation *c, const Cluster *k) {
  const Spot *p = k->spot;
  if (p->on_demand_percent < 100 && p->on_demand_base < k->max_size)
    return;
  bool by_percent = p->on_demand_percent >= 100;
  Diag *d = diag_at(c, W0971, span_or(by_percent ? p->at.on_demand_percent : (Span){0}, p->span),
                    by_percent ? "%s launches every instance on demand: "
                                 "on_demand_percent is 100%%"
                               : "%s launches every instance on demand: its "
                                 "on_demand_base covers max_size",
                    model_instances_name(&c->arena, k).ptr);
  diag_help(c, d, "lower on_demand_percent (or on_demand_base) so that the group launches Spot "
                  "instances, or remove the spot block");
}

static void instances_spot(Compilation *c, const Cluster *k) {
  one_arch(c, k);
  if (!k->spot || !k->ntypes)  // a spot block without instances: E0995
    return;
  draining(c, k);
  bottlerocket_draining(c, k);
  some_spot(c, k);
}

// architecture = "..." says what a cluster's task definitions name
// (runtimePlatform.cpuArchitecture, derive.c), which a cluster of Fargate
// alone has no instance type to say. With instances it must be theirs: the
// AMI of each launch template is built for its types' architecture
// (emit_tf_cluster.c, ami_parameter), and an image of one architecture does not run
// on the other. (Whether ECS keeps an EC2 task off instances of another
// cpuArchitecture is not documented: rebuild_costs.c, W1233.) Only the first
// instances are compared: E0970 keeps the others to theirs.
static void stated_arch(Compilation *c, const Cluster *k, const Cluster *first) {
  const InstanceType *t = first->ntypes ? first->types[0] : NULL;
  if (!k->at.architecture.src || !t || t->arch == k->arch)
    return;
  Diag *d = diag_at(c, E1243, k->at.architecture, "cluster \"%.*s\" sets architecture = "
                    "\"%s\", but its instance type \"%.*s\" is %s", S(k->name),
                    arch_name(k->arch), S(t->name), arch_name(t->arch));
  diag_note(c, d, first->type_at[0], "%s launches %.*s instances here",
            model_instances_name(&c->arena, first).ptr, S(t->name));
  diag_help(c, d, "remove architecture (the instance types say it), or give the %s services "
            "a cluster of their own", arch_name(k->arch));
}

void check_spot(Compilation *c, const Cluster *k) {
  int n;
  const Cluster **sets = model_instance_sets(&c->arena, k, &n);
  for (int i = 0; i < n; i++) {
    instances_spot(c, sets[i]);
    if (i)
      groups_arch(c, sets[0], sets[i]);
  }
  if (n)
    stated_arch(c, k, sets[0]);
}
