// check_fargate.c: a task's own size and what running on Fargate asks of a
// service, before ECS refuses it at registration or at deployment: awsvpc,
// a task size among the combinations Fargate offers (fargate_sizes.h,
// generated from the ECS API model), a platform version Fargate still runs,
// Fargate capacity in the cluster, containers within the task's size, and
// Fargate's options kept off EC2 services, and an environment's Fargate vCPUs
// against the default quota, Fargate's stop timeout, and ARM64 tasks off
// Fargate Spot; and, on the cluster's instances, each container's hard
// memory limit within the task's. Reports E0960-E0966, E1120, E1220, E1242,
// E1246 (of a service), W1148 (of a cluster's default strategy) and W1020.
#include "model.h"

#include <stdlib.h>

#define MIB (1LL << 20)
#define GIB (1LL << 30)

// The generated table's third column, the least Linux platform version of
// a size, is 1.4.0 or none, and 1.4.0 is the only version Fargate still
// runs (linux_platforms below): every version E0963 and E1220 let through
// runs every size, so the column is not read.
static const struct {
  int cpu, memory;  // CPU units, MiB
} sizes[] = {
#define FARGATE_SIZE(cpu, memory, platform) {cpu, memory},
#include "fargate_sizes.h"
#undef FARGATE_SIZE
};

static const char *capacity_name(RunsOn r) {
  return r == RUN_FARGATE_SPOT ? "fargate_spot" : r == RUN_FARGATE ? "fargate" : "ec2";
}

static Span value_at(Span value, const Service *s) {
  return span_or(value, span_or(s->at.capacity, s->span));
}

// ECS API Reference, RegisterTaskDefinition: memory "If using the Fargate
// launch type, this field is required", cpu "This field is required for
// Fargate", and the memory member lists the combinations; networkMode "For
// Amazon ECS tasks on Fargate, the awsvpc network mode is required".
static void awsvpc(Compilation *c, const Service *s) {
  if (s->network == NET_AWSVPC)
    return;
  Diag *d = diag_at(c, E0960, value_at(s->at.network_mode, s),
                    "service \"%.*s\" runs on %s with %s networking: Fargate takes awsvpc only",
                    S(s->name), capacity_name(s->runs_on),
                    s->network == NET_HOST ? "host" : "bridge");
  diag_note(c, d, value_at((Span){0}, s), "the service runs on %s here", capacity_name(s->runs_on));
  diag_help(c, d, "remove network_mode (awsvpc is then the default on Fargate)");
}

// "1024, 2048, 3072 or 4096 MiB": the memory values Fargate offers with cpu.
static Str memories(Compilation *c, int cpu) {
  Buf b = {.arena = &c->arena};
  int n = 0, last = 0;
  for (int i = 0; i < countof(sizes); i++)
    n += sizes[i].cpu == cpu;
  for (int i = 0, k = 0; i < countof(sizes); i++) {
    if (sizes[i].cpu != cpu)
      continue;
    k++;
    if (n > 8 && k > 2 && k < n) {  // a long run: its ends and its step
      if (k == 3)
        buf_printf(&b, ", ... every %d MiB ...", sizes[i].memory - last);
    } else {
      buf_printf(&b, "%s%d", k == 1 ? "" : k == n ? " or " : ", ", sizes[i].memory);
    }
    last = sizes[i].memory;
  }
  buf_puts(&b, " MiB");
  return buf_str(&b);
}

static Str cpus(Compilation *c) {
  Buf b = {.arena = &c->arena};
  for (int i = 0; i < countof(sizes); i++)
    if (!i || sizes[i].cpu != sizes[i - 1].cpu)
      buf_printf(&b, "%s%d", i ? ", " : "", sizes[i].cpu);
  return buf_str(&b);
}

static int size_index(int cpu, int64_t memory) {
  for (int i = 0; i < countof(sizes); i++)
    if (sizes[i].cpu == cpu && (int64_t)sizes[i].memory * MIB == memory)
      return i;
  return -1;
}

static bool known_cpu(int cpu) {
  for (int i = 0; i < countof(sizes); i++)
    if (sizes[i].cpu == cpu)
      return true;
  return false;
}

// Fargate's Linux platform versions, and the day AWS stopped each one it
// no longer runs, in AWS's own word for it. ECS Developer Guide, "AWS
// Fargate Linux platform version deprecation" (docs.aws.amazon.com/
// AmazonECS/latest/developerguide/platform-versions-retired.html): 1.0.0,
// 1.1.0 and 1.2.0 reached their "Deprecation date", December 14, 2020 ("Once
// a platform version reaches the deprecation date, the platform version will
// no longer be available for new tasks or services. Any standalone tasks or
// services which explicitly use a deprecated platform version will continue
// using that platform version until the tasks are stopped": the page's 2023
// copy, awsdocs/amazon-ecs-developer-guide); and of 1.3.0, the page's
// "Important" note: "On March 2, 2026, AWS will start force-updating all the
// Amazon ECS services running Fargate platform version 1.3.0 that are not
// migrated to the platform version 1.4.0 [...] Starting March 16, 2026, we
// will make the platform version 1.3.0 as Retired. At that time, you will
// not be able to launch new tasks or create new services configured with
// platform version 1.3.0, but your existing tasks will continue running. On
// March 31, 2026, we will terminate all the remaining running tasks
// configured with platform version 1.3.0" (the China regions' copy,
// docs.amazonaws.cn: retired "Starting June 15, 2026", the tasks
// terminated "On June 30, 2026"). Either word, the same effect: no new task
// or service; and no task of 1.3.0 runs any more. "Fargate
// Linux platform versions": "The LATEST Linux platform version is 1.4.0",
// the only one listed as current. Windows has its own numbers (1.0.0,
// "Fargate Windows platform versions"), but ecsc builds Linux tasks only
// (emit_taskdef.c, runtime_platform: operatingSystemFamily LINUX), so a
// version is read as Linux's. Checked 2026-12-07: whatever a task needs
// (a large size, ephemeral storage, EFS or EBS volumes, Service Connect,
// restart policies, ECS Exec, a secret's JSON key) needs 1.4.0 at most,
// which is every version these checks let through.
static const struct {
  const char *version;
  const char *retired;  // NULL: Fargate runs it
  const char *word;     // AWS's: "deprecated" (1.0.0 to 1.2.0) or "retired"
} linux_platforms[] = {
    {"1.0.0", "December 14, 2020", "deprecated"},
    {"1.1.0", "December 14, 2020", "deprecated"},
    {"1.2.0", "December 14, 2020", "deprecated"},
    {"1.3.0", "March 16, 2026 (June 15, 2026 in the China regions)", "retired"},
    {"1.4.0", NULL, NULL},
};

// E0963 for a version AWS deprecated or retired, E1220 for one Fargate
// never had: either way CreateService and UpdateService get a version ECS
// launches no new task on, and the service state's apply fails after its
// task definition. Which error ECS answers is not documented: the API
// model lists PlatformUnknownException ("The specified platform version
// doesn't exist") and PlatformTaskDefinitionIncompatibilityException for
// CreateService, RunTask and UpdateService, and names neither for a
// deprecated version, so the message quotes no AWS error text.
static void platform_version(Compilation *c, const Service *s) {
  Str v = s->platform_version;
  if (str_eq_c(v, "LATEST"))
    return;
  Span at = value_at(s->at.platform_version, s);
  for (int i = 0; i < countof(linux_platforms); i++) {
    if (!str_eq_c(v, linux_platforms[i].version))
      continue;
    if (!linux_platforms[i].retired)
      return;
    Diag *d = diag_at(c, E0963, at, "service \"%.*s\" pins Fargate platform %.*s, which AWS "
                      "%s on %s: ECS starts no new task on it", S(s->name), S(v),
                      linux_platforms[i].word, linux_platforms[i].retired);
    diag_help(c, d, "set platform_version = \"1.4.0\", or remove it: LATEST, the default, is "
                    "1.4.0");
    return;
  }
  Diag *d = diag_at(c, E1220, at, "service \"%.*s\" pins Fargate platform %.*s, a Linux "
                    "platform version Fargate does not have", S(s->name), S(v));
  diag_help(c, d, "the Linux platform versions Fargate runs are \"1.4.0\" and \"LATEST\" "
                  "(1.4.0): set platform_version = \"1.4.0\", or remove it");
}

// ECS API Reference, RegisterTaskDefinition (botocore 1.43.11's ECS model,
// as fargate_sizes.h): cpu, "This field is required for Fargate"; memory,
// "If using the Fargate launch type, this field is required and you must
// use one of the following values" (the combinations of fargate_sizes.h).
static void fargate_task_size(Compilation *c, const Service *s) {
  Span block = value_at(s->at.task, s);
  if (!s->task_cpu || !s->task_memory) {
    Diag *d = diag_at(c, E0961, block, "service \"%.*s\" runs on Fargate without task %s",
                      S(s->name), !s->task_cpu && !s->task_memory ? "cpu and memory"
                                  : !s->task_cpu              ? "cpu"
                                                              : "memory");
    diag_help(c, d, "add task { cpu = 256  memory = 512 MiB }: Fargate bills and sizes the task "
                    "by them; see ecsc explain E0962 for the combinations");
    return;
  }
  if (size_index(s->task_cpu, s->task_memory) < 0) {
    bool cpu_ok = known_cpu(s->task_cpu);
    Diag *d = diag_at(c, E0962, cpu_ok ? value_at(s->at.task_memory, s) : value_at(s->at.task_cpu, s),
                      "Fargate offers no task of %d CPU units and %lld MiB", s->task_cpu,
                      (long long)(s->task_memory / MIB));
    if (cpu_ok)
      diag_help(c, d, "with %d CPU units Fargate offers %.*s", s->task_cpu,
                S(memories(c, s->task_cpu)));
    else
      diag_help(c, d, "Fargate's task CPU is one of %.*s units", S(cpus(c)));
  }
}

// Who a note names: the service, for its main container, or the container.
static Str container_who(Compilation *c, const Service *s, const Container *k) {
  return k->main ? str_fmt(&c->arena, "service \"%.*s\"", S(s->name))
                 : str_fmt(&c->arena, "container \"%.*s\"", S(k->name));
}

// With one container the caret is on its value; with several, no one of
// them is the culprit: the caret is on the task's value and a note names
// each container's share.
static void shares(Compilation *c, Diag *d, const Service *s, bool memory) {
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    int64_t v = memory ? (k->memory_reservation ? k->memory_reservation : k->memory) : k->cpu;
    if (!v)
      continue;
    Span at = memory ? (k->memory_reservation ? k->at.memory_reservation : k->at.memory)
                     : k->at.cpu;
    if (memory)
      diag_note(c, d, span_or(at, k->span), "%.*s reserves %lld MiB%s",
                S(container_who(c, s, k)), (long long)(v / MIB),
                k->memory_reservation ? " (memory_reservation)" : "");
    else
      diag_note(c, d, span_or(at, k->span), "%.*s reserves %lld CPU units",
                S(container_who(c, s, k)), (long long)v);
  }
}

// ECS API Reference, ContainerDefinition: "the total amount of memory
// reserved for all containers within a task must be lower than the task
// memory value, if one is specified", and "the total amount of CPU reserved
// for all containers within a task be lower than the task-level cpu value".
// Every container's reservation counts (derive.c sums them). Equal is let
// through: the refusal ECS returns is for more ("The 'memory' setting for
// container 'X' is greater than for the task", RegisterTaskDefinition's
// ClientException, pulumi/pulumi-awsx#188; with reservations, "The sum of
// all container 'memoryReservation' values cannot be greater than the value
// of the task 'memory'", cloudnativedaysjp/dreamkast-infra#4766), and a task
// of one container as large as the task is the common Fargate case.
// A container's hard memory above the task's, its reservation within: no
// AWS document says RegisterTaskDefinition refuses it (checked 2026-12-07
// and 2026-12-08: the Developer Guide's "Task size" and container memory
// parameters, the API Reference, awsdocs' copy of the guide; the 'memory'
// ClientException's words come only from third-party reports:
// pulumi/pulumi-awsx#188, whose container sets memory alone, and #1220,
// which shows no reservation). On the cluster's instances the agent stops
// such a task (hard_limit_within_task below); on Fargate what happens is
// unproven, and ecsc lets it through.
static void within_task(Compilation *c, const Service *s) {
  int64_t reserved = s->reserved_memory;
  bool several = s->ncontainers > 1;
  const char *its = several ? "its containers" : "its container";
  if (s->task_memory && reserved > s->task_memory) {
    Span own = span_or(s->memory_reservation ? s->at.memory_reservation : s->at.memory, s->span);
    Diag *d = diag_at(c, E0966, several ? value_at(s->at.task_memory, s) : own,
                      "service \"%.*s\" reserves %lld MiB for %s, more than its "
                      "task's %lld MiB", S(s->name), (long long)(reserved / MIB), its,
                      (long long)(s->task_memory / MIB));
    if (several)
      shares(c, d, s, true);
    else
      diag_note(c, d, value_at(s->at.task_memory, s), "the task's memory is set here");
    diag_help(c, d, several ? "raise the task's memory to %lld MiB or more, or lower what the "
                              "containers reserve"
                            : "raise the task's memory to %lld MiB or more, or lower the "
                              "container's",
              (long long)(reserved / MIB));
  }
  if (s->task_cpu && s->reserved_cpu > s->task_cpu) {
    Diag *d = diag_at(c, E0966, several ? value_at(s->at.task_cpu, s) : span_or(s->at.cpu, s->span),
                      "service \"%.*s\" reserves %d CPU units for %s, more than its "
                      "task's %d", S(s->name), s->reserved_cpu, its, s->task_cpu);
    if (several)
      shares(c, d, s, false);
    else
      diag_note(c, d, value_at(s->at.task_cpu, s), "the task's cpu is set here");
    diag_help(c, d, several ? "raise the task's cpu to %d or more, or lower what the containers "
                              "reserve"
                            : "raise the task's cpu to %d or more, or lower the container's",
              s->reserved_cpu);
  }
}

// On a Linux container instance the agent puts a task with a task-level
// memory in a cgroup of that size, and first checks "that no container of
// this task has a greater request": a container whose memory (its hard
// limit) is above the task's fails with "task memory spec builder:
// container memory limit(%d) greater than task memory limit(%d)", and the
// agent marks the task STOPPED before any container starts
// (aws/amazon-ecs-agent 8dfceca6cf38, agent/api/task/task_linux.go,
// buildLinuxMemorySpec; agent/engine/docker_task_engine.go, AddTask). It
// does so when ECS_ENABLE_TASK_CPU_MEM_LIMIT is true, its default
// (agent/config/config.go: parseBooleanDefaultTrueConfig), so a service
// whose cluster does not turn it off never runs a task there. Both sides
// are MiB as the task definition writes them (emit_taskdef.c rounds down),
// as the agent compares them. A container that reserves its memory alone
// is E0966's already (its reservation is then its hard limit).
static void hard_limit_within_task(Compilation *c, const Service *s) {
  if (!s->task_memory || !s->cluster || !model_on_instances(s) ||
      s->reserved_memory > s->task_memory)
    return;
  const KeyValue *kv = model_kv_find(s->cluster->agent, s->cluster->nagent,
                                     str_c("ECS_ENABLE_TASK_CPU_MEM_LIMIT"));
  if (kv && agent_bool(kv->value) == 0)
    return;
  int64_t task = s->task_memory / MIB;
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (k->memory / MIB <= task)
      continue;
    Diag *d = diag_at(c, E1246, span_or(k->at.memory, k->span),
                      "%.*s has a memory limit of %lld MiB, above its task's %lld MiB: the ECS "
                      "agent stops the task before it starts", S(container_who(c, s, k)),
                      (long long)(k->memory / MIB), (long long)task);
    diag_note(c, d, value_at(s->at.task_memory, s), "the task's memory is set here");
    diag_help(c, d, "lower the container's memory to %lld MiB or less, or raise the task's "
              "memory to %lld MiB", (long long)task, (long long)(k->memory / MIB));
  }
}

// ECS API Reference, CreateService: "A platform version is specified only
// for tasks using the Fargate launch type"; EphemeralStorage: "for tasks
// hosted on Fargate".
static void fargate_only(Compilation *c, const Service *s) {
  Span at = s->at.platform_version.src ? s->at.platform_version : s->at.ephemeral_storage;
  if (!at.src)
    return;
  const char *what = s->at.platform_version.src ? "platform_version" : "ephemeral_storage";
  Diag *d = diag_at(c, E0964, at, "%s for service \"%.*s\", which runs on its cluster's "
                    "instances", what, S(s->name));
  diag_help(c, d, "%s is Fargate's: remove it, or set capacity = \"fargate\"", what);
}

// aws_ecs_cluster_capacity_providers names FARGATE and FARGATE_SPOT only
// for a cluster with fargate = true (emit_tf_cluster.c), and "Only capacity
// providers that are already associated with a cluster [...] can be used in
// a capacity provider strategy"; the Fargate ones "only need to be
// associated with a cluster to be used" (ECS API Reference,
// CapacityProviderStrategyItem).
static void cluster_has_fargate(Compilation *c, const Service *s) {
  const Cluster *k = s->cluster;
  if (!k || k->fargate)
    return;
  Diag *d = diag_at(c, E0965, value_at((Span){0}, s),
                    "service \"%.*s\" runs on %s, but cluster \"%.*s\" in environment \"%.*s\" "
                    "has no Fargate capacity", S(s->name), capacity_name(s->runs_on),
                    S(k->name), S(k->env->name));
  diag_note(c, d, k->span, "the cluster is declared here");
  diag_help(c, d, "add fargate = true to the cluster");
}

// A strategy's fargate_spot item when it places tasks (a weight, or a
// base); NULL otherwise.
static const StrategyItem *strategy_spot_item(const Strategy *st) {
  for (int i = 0; i < st->n; i++)
    if (st->items[i].provider == PROVIDER_FARGATE_SPOT &&
        (st->items[i].weight || st->items[i].base))
      return &st->items[i];
  return NULL;
}

// The item a service's tasks on Fargate Spot come from: its strategy's
// fargate_spot item when that places tasks; NULL when there is none, and
// *on_spot then says whether its capacity is fargate_spot (a strategy
// replaces the capacity's one item, emit_tf_cluster.c).
static const StrategyItem *spot_item(const Service *s, bool *on_spot) {
  const StrategyItem *it = strategy_spot_item(&s->strategy);
  *on_spot = it || (!s->strategy.n && s->runs_on == RUN_FARGATE_SPOT);
  return it;
}

// ECS Developer Guide, "AWS Fargate capacity providers", considerations
// (docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html):
// "Linux tasks with the ARM64 architecture don't support the Fargate Spot
// capacity provider. Fargate Spot only supports Linux tasks with the X86_64
// architecture." A service's architecture is its cluster's (derive.c,
// service_arch): the architecture setting, else the first instances' type.
//
// The page on ARM64 tasks lists Fargate's other conditions (ECS Developer
// Guide, "Amazon ECS task definitions for 64-bit ARM workloads",
// considerations): "The applications can only use the Linux operating
// system" (ecsc's task definitions are Linux's: emit_taskdef.c,
// runtime_platform) and "For the Fargate type, the applications must use
// Fargate platform version 1.4.0 or later" (every version E0963 and E1220
// let through is 1.4.0 or LATEST, which is 1.4.0). Its Availability Zone
// exception in us-east-1 is not checked: its copies name it differently
// (use1-az3, an AZ ID, and us-east-1c, a name each account maps to its own
// zone: AWS Regions and Availability Zones, "AZ IDs", for us-east-1 and
// accounts created before November 2025), and ecsc sees zone names only.
// grammar/README.md says how to find the zone's name in an account.
static void arm64_spot(Compilation *c, const Service *s) {
  bool on_spot;
  const StrategyItem *it = spot_item(s, &on_spot);
  if (!s->arm64 || !on_spot || !s->cluster)
    return;
  Diag *d = diag_at(c, E1242, it ? it->span : value_at((Span){0}, s),
                    "service \"%.*s\" runs ARM64 tasks on fargate_spot, which runs X86_64 "
                    "tasks only", S(s->name));
  Str why;
  Span at = model_arch_origin(&c->arena, s->cluster, &why);
  diag_note(c, d, at, "%.*s", S(why));
  diag_help(c, d, "%s (Fargate On-Demand runs ARM64), or give the service an x86_64 cluster",
            it ? "remove the strategy's fargate_spot item" : "set capacity = \"fargate\"");
}

// The same for a cluster's default strategy, a warning (W1148): ECS takes
// it (PutClusterCapacityProviders knows no architectures) and ecsc's
// services give their own, but a task started without one (aws ecs
// run-task of a service's task definition, a one-off job) is placed by it,
// and the cluster's task definitions are its architecture's.
void check_fargate_cluster(Compilation *c, const Cluster *k) {
  const StrategyItem *it = strategy_spot_item(&k->strategy);
  if (model_cluster_arch(k) != ARCH_ARM64 || !it)
    return;
  Diag *d = diag_at(c, W1148, it->span, "the default strategy of cluster \"%.*s\" places "
                    "tasks on fargate_spot, which runs X86_64 tasks only, and the cluster's "
                    "task definitions are ARM64: a task started without a strategy of its own "
                    "(aws ecs run-task) may never run", S(k->name));
  Str why;
  Span at = model_arch_origin(&c->arena, k, &why);
  diag_note(c, d, at, "%.*s", S(why));
  diag_help(c, d, "remove the strategy's fargate_spot item, or give such tasks a strategy "
                  "(aws ecs run-task --capacity-provider-strategy)");
}

// ECS API Reference, ContainerDefinition, stopTimeout: "For tasks that use
// the Fargate launch type, the max stop timeout value is 120 seconds and if
// the parameter is not specified, the default value of 30 seconds is used"
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
// On EC2 the same page names no maximum: "the value set for the Amazon ECS
// container agent configuration variable ECS_CONTAINER_STOP_TIMEOUT is used"
// only when stopTimeout is not given. So the cap is Fargate's alone.
enum { FARGATE_STOP_TIMEOUT_MAX_MS = 120 * 1000 };

static void stop_timeouts(Compilation *c, const Service *s) {
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (k->stop_timeout_ms <= FARGATE_STOP_TIMEOUT_MAX_MS)
      continue;
    Str who = k->main ? str_fmt(&c->arena, "service \"%.*s\"", S(s->name))
                      : str_fmt(&c->arena, "container \"%.*s\" of service \"%.*s\"", S(k->name),
                                S(s->name));
    Diag *d = diag_at(c, E1120, span_or(k->at.stop_timeout, k->span),
                      "%.*s has a stop_timeout of %llds, but Fargate stops a container after at "
                      "most 120s", S(who), (long long)(k->stop_timeout_ms / 1000));
    diag_note(c, d, value_at((Span){0}, s), "the service runs on %s here",
              capacity_name(s->runs_on));
    diag_help(c, d, "lower stop_timeout to 120s, or run the service on its cluster's instances");
  }
}

void check_fargate(Compilation *c, const Service *s) {
  if (s->runs_on == RUN_EC2) {
    fargate_only(c, s);
    within_task(c, s);
    hard_limit_within_task(c, s);
    return;
  }
  awsvpc(c, s);
  cluster_has_fargate(c, s);
  fargate_task_size(c, s);
  within_task(c, s);
  stop_timeouts(c, s);
  platform_version(c, s);
  arm64_spot(c, s);
}

// Fargate's On-Demand vCPU quota is the account's, per region: "The default
// for the Fargate On-Demand vCPU resource count quota is 6 vCPUs" (AWS
// Batch and EventBridge Pipes API Reference, ResourceRequirement and
// BatchResourceRequirement, pointing to the General Reference's "Fargate
// quotas"); "New AWS accounts might have initial lower quotas that can
// increase over time" (ECS Developer Guide, "Amazon ECS service quotas").
// So only a warning, when one environment alone may exceed the default:
// each service that may run on FARGATE (its capacity, or an item of its own
// strategy) at its most tasks (count, or the scaling's peak) during a
// deployment (model_surge_percent: max_percent of them, rounded down as
// ECS rounds, or twice them where traffic shifts).
enum { FARGATE_QUOTA_DEFAULT_VCPU = 6 };

static bool on_demand_fargate(const Service *s) {
  if (!s->strategy.n)
    return s->runs_on == RUN_FARGATE;
  for (int i = 0; i < s->strategy.n; i++)
    if (s->strategy.items[i].provider == PROVIDER_FARGATE)
      return true;
  return false;
}

static int quota_tasks(const Service *s) {
  int most = s->scaling ? s->scaling->peak : s->count;
  return (int)((int64_t)most * model_surge_percent(s) / 100);
}

// CPU units as vCPUs: "0.25", "2".
static Str vcpus(Compilation *c, int64_t units) {
  return str_fmt(&c->arena, "%g", (double)units / 1024);
}

void check_fargate_quota(Compilation *c, const Environment *e) {
  int64_t units = 0;
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (on_demand_fargate(s))
      units += (int64_t)quota_tasks(s) * s->task_cpu;
  }
  if (units <= FARGATE_QUOTA_DEFAULT_VCPU * 1024)
    return;
  Diag *d = diag_at(c, W1020, e->span, "the Fargate services of environment \"%.*s\" may run "
                    "%.*s vCPUs at once, above the %d vCPUs of Fargate's default On-Demand quota",
                    S(e->name), S(vcpus(c, units)), FARGATE_QUOTA_DEFAULT_VCPU);
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (!on_demand_fargate(s) || !quota_tasks(s))
      continue;
    int most = s->scaling ? s->scaling->peak : s->count;
    diag_note(c, d, s->scaling ? s->scaling->peak_at : span_or(s->at.count, s->span),
              "service \"%.*s\": %d tasks of %.*s vCPU during a deployment (%d%s, %s)",
              S(s->name), quota_tasks(s), S(vcpus(c, s->task_cpu)), most,
              s->scaling ? " at the scaling's peak" : (most == 1 ? " task" : " tasks"),
              model_shifts_traffic(s)
                  ? str_fmt(&c->arena, "%s: the whole new revision beside the old",
                            model_strategy_names[s->deploy_strategy]).ptr
                  : str_fmt(&c->arena, "max_percent %d%%", s->max_percent).ptr);
  }
  diag_help(c, d, "the quota is the account's in each region, other environments' tasks count "
                  "too: check \"Fargate On-Demand vCPU resource count\" in Service Quotas and "
                  "request more; then `# ecsc:ignore W1020 REASON` above the environment");
}
