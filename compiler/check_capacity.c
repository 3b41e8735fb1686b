// check_capacity.c: whether a cluster's instances can hold its services'
// tasks, as the ECS scheduler places them. An instance holds a task when it
// has the memory and CPU the task reserves, a network interface for an
// awsvpc task, and a fixed host port free; tasks per instance is the least
// of the four. Every cluster's capacity provider has managed scaling on
// (emit_tf_cluster.c), which launches instances up to max_size for tasks that wait
// (ECS Developer Guide, "Amazon ECS cluster auto scaling"), so a cluster of
// min_size 0 is legitimate and max_size is what decides. A service with
// scaling is judged at the most tasks its bounds allow, and its min against
// the instances the cluster always keeps. A cluster with a spot block may
// launch any of its instance types: each is judged, and for each figure the
// smallest decides, named in the message. A cluster's groups (group "NAME")
// are judged each on its own, for the share of each service's tasks its
// strategy places there. Every figure a task takes counts, its sidecars'
// fixed host ports too. Reports E0523, E0533, E0534, E0550, W0533, W0534
// and W0951.
#include "model.h"

#define MIB (1LL << 20)

// What one resource allows: tasks per instance, and the figures behind it.
typedef enum { BY_MEMORY, BY_CPU, BY_ENIS, BY_PORT } Limit;

typedef struct {
  int64_t per;       // tasks of the service an instance holds
  Limit by;          // the resource that decided
} Fit;

typedef struct {
  const Cluster *k;
  const InstanceType *t;
  Span at;             // where the type is named: instance_type, or the spot block's list
  int64_t registered;  // MiB of memory ECS can place tasks in, at most
  int64_t reserved;    // ECS_RESERVED_MEMORY, MiB
  int64_t cpu;         // CPU units
} Capacity;

static const char *plural(int64_t n) {
  return n == 1 ? "" : "s";
}

// "a t3.small", "an m6i.large": the letters read with a vowel sound.
static const char *type_article(Str name) {
  static const char vowel_sound[] = "aefhilmnorsx";
  for (const char *p = vowel_sound; name.len && *p; p++)
    if (name.ptr[0] == *p)
      return "an";
  return "a";
}

static int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// How a message names the instances: `cluster "a"`, `group "spot" of
// cluster "a"`.
static const char *who(Compilation *c, const Cluster *k) {
  return model_instances_name(&c->arena, k).ptr;
}

// Whose max_size and min_size a help names: "the cluster's", "the group's".
static const char *whose(const Cluster *k) {
  return k->outer ? "the group's" : "the cluster's";
}

// A group's services are its cluster's (model.h).
static const Cluster *cluster_of(const Cluster *k) {
  return k->outer ? k->outer : k;
}

// max_size defaults to size: the caret goes where the value came from.
static Span max_size_at(const Cluster *k) {
  return span_or(k->at.max_size, span_or(k->at.size, k->span));
}

// ECS Developer Guide, "Amazon ECS container agent configuration":
// ECS_RESERVED_MEMORY, MiB the agent leaves out of what it registers (a
// uint16 in the agent's config.go; check_agent.c reports other forms).
static int64_t reserved_memory(const Cluster *k) {
  for (int i = 0; i < k->nagent; i++) {
    Str v = k->agent[i].value;
    if (!str_eq_c(k->agent[i].name, "ECS_RESERVED_MEMORY") || !v.len || v.len > 5)
      continue;
    int64_t n = 0;
    for (ptrdiff_t j = 0; j < v.len; j++) {
      if (v.ptr[j] < '0' || v.ptr[j] > '9')
        return 0;
      n = n * 10 + (v.ptr[j] - '0');
    }
    return n <= 65535 ? n : 0;
  }
  return 0;
}

// The memory ECS registers for an instance is not what EC2 advertises: the
// agent registers the total memory the kernel reports (MemTotal, in whole
// MiB) less ECS_RESERVED_MEMORY (amazon-ecs-agent, ecs_client.go,
// getResources). The kernel keeps part of the memory for itself, so
// MemTotal is always below the advertised size: "an m4.large instance has 8
// GiB of installed memory [...] If you specify 8192 MiB for the task [...]
// the task cannot be placed" (ECS Developer Guide, "Container instance
// memory management"; its m4.large registers 7985 MiB). AWS publishes no
// table of MemTotal per type, so ecsc takes the one bound it can prove: at
// most the advertised size less one MiB. CPU is exact: the agent registers
// 1024 units per vCPU (getCpu).
static Capacity capacity_of(const Cluster *k, int type) {
  Capacity cap = {.k = k, .t = k->types[type], .at = k->type_at[type],
                  .reserved = reserved_memory(k)};
  cap.registered = (cap.t->memory - 1) / MIB - cap.reserved;
  cap.cpu = (int64_t)cap.t->vcpu * 1024;
  return cap;
}

// ECS API Reference, ContainerDefinition: the scheduler reserves
// memoryReservation when it is set, else memory, for each container of the
// task (derive.c sums them).
static int64_t task_memory(const Service *s) {
  if (s->task_memory)  // RegisterTaskDefinition: the task-level memory is what the task takes
    return s->task_memory / MIB;
  return s->reserved_memory / MIB;  // every container's (derive.c)
}

// CPU units a task reserves on its instance: the task's own, else its containers'.
static int task_cpu(const Service *s) {
  return s->task_cpu ? s->task_cpu : s->reserved_cpu;  // else every container's (derive.c)
}

// Where a container's fixed port is set: the network mode in host mode,
// else its host_port (the service's own for its main container).
static Span port_at(const Service *s, const Container *k) {
  if (s->network == NET_HOST)
    return span_or(s->at.network_mode, s->span);
  return span_or(k->main ? s->at.host_port : k->at.host_port, span_or(k->span, s->span));
}

// The first port a service's task takes on its instance, of any of its
// containers (0 when none: dynamic, awsvpc), and the line that makes it so.
// ECS Developer Guide, "Amazon ECS task networking": in host mode the
// container port is the host's; in bridge mode a fixed hostPort. "A port
// number on a host can't be used by multiple tasks": a sidecar's fixed port
// holds its task to one per instance as the main container's does.
// In host mode every port a container maps is the instance's, its ports
// too (model_fixed_port).
static int fixed_port(const Service *s, Span *at) {
  for (int i = 0; i < s->ncontainers; i++)
    if (model_fixed_port(s, s->containers[i], 0, NULL)) {
      *at = port_at(s, s->containers[i]);
      return model_fixed_port(s, s->containers[i], 0, NULL);
    }
  *at = span_or(s->network == NET_HOST ? s->at.network_mode : s->at.host_port, s->span);
  return 0;
}

// Whether some container of s takes host port `port`, and where.
static bool takes_port(const Service *s, int port, Span *at) {
  for (int i = 0; i < s->ncontainers; i++)
    for (int j = 0; port && model_fixed_port(s, s->containers[i], j, NULL); j++)
      if (model_fixed_port(s, s->containers[i], j, NULL) == port) {
        *at = port_at(s, s->containers[i]);
        return true;
      }
  return false;
}

// ECS Developer Guide, "Elastic network interface trunking": an awsvpc task
// takes a network interface of its own, and the instance's primary interface
// counts as one (awsvpc_tasks, from std/aws/instance_types). ecsc does not
// opt the account in to awsvpcTrunking, so the limit without trunking holds.
static Fit fit_with(Capacity *cap, const Service *s, int awsvpc_tasks) {
  Fit f = {.per = INT32_MAX, .by = BY_MEMORY};  // bounded, so that sums never overflow
  int64_t mem = task_memory(s);
  if (mem > 0)
    f.per = cap->registered > 0 ? cap->registered / mem : 0;
  if (task_cpu(s) > 0 && cap->cpu / task_cpu(s) < f.per)
    f = (Fit){cap->cpu / task_cpu(s), BY_CPU};
  if (s->network == NET_AWSVPC && awsvpc_tasks >= 0 && awsvpc_tasks < f.per)
    f = (Fit){awsvpc_tasks, BY_ENIS};
  Span at;
  if (fixed_port(s, &at) && 1 < f.per)
    f = (Fit){1, BY_PORT};
  return f;
}

static Fit fit(Capacity *cap, const Service *s) {
  return fit_with(cap, s, cap->t->awsvpc_tasks);
}

// "1 task fits on a t3.small by memory (1200 MiB each, at most 2047 MiB
// registered)": the numbers compared and the type that decided.
static void why_per(Buf *b, Capacity *cap, const Service *s, Fit f) {
  const InstanceType *t = cap->t;
  buf_puts(b, diag_fmt(b->arena, "%lld task%s of \"%.*s\" fit%s on %s %.*s ", (long long)f.per,
                       plural(f.per), S(s->name), f.per == 1 ? "s" : "", type_article(t->name),
                       S(t->name)));
  switch (f.by) {
  case BY_MEMORY:
    buf_printf(b, "by memory: %lld MiB each, at most %lld MiB registered", (long long)task_memory(s),
               (long long)cap->registered);
    if (cap->reserved)
      buf_printf(b, " (ECS_RESERVED_MEMORY=%lld)", (long long)cap->reserved);
    break;
  case BY_CPU:
    buf_printf(b, "by CPU: %d units each, %lld registered", task_cpu(s), (long long)cap->cpu);
    break;
  case BY_ENIS:
    buf_printf(b, "by network interfaces: one each, %d free beside the instance's own",
               t->awsvpc_tasks);
    break;
  case BY_PORT: {
    Span at;
    buf_printf(b, "by host port %d: one task per instance", fixed_port(s, &at));
    break;
  }
  }
}

static void note_per(Compilation *c, Diag *d, Capacity *cap, const Service *s, Fit f) {
  Buf b = {.arena = &c->arena};
  why_per(&b, cap, s, f);
  diag_note(c, d, cap->at, "%.1024s", buf_str(&b).ptr);
}

static const char *remedy(Compilation *c, Capacity *cap, const Service *s, Fit f) {
  const char *max = whose(cap->k);
  if (f.by == BY_ENIS && cap->t->trunk_tasks > 0)
    return str_fmt(&c->arena, "turn on ENI trunking for the account (aws ecs "
                              "put-account-setting-default --name awsvpcTrunking --value enabled): "
                              "%s %.*s then holds %d awsvpc tasks; or raise %s max_size",
                   type_article(cap->t->name), S(cap->t->name), cap->t->trunk_tasks, max).ptr;
  const char *count = s->scaling ? "the scaling's max" : "the count";
  switch (f.by) {
  case BY_MEMORY:
    return str_fmt(&c->arena, "raise %s max_size, use a larger instance type, or "
                              "lower %s or memory_reservation", max, count).ptr;
  case BY_CPU:
    return str_fmt(&c->arena, "raise %s max_size, use a larger instance type, or "
                              "lower %s or cpu", max, count).ptr;
  case BY_ENIS:
    return str_fmt(&c->arena, "raise %s max_size, use an instance type with more network "
                              "interfaces, or use bridge networking", max).ptr;
  case BY_PORT:
    return str_fmt(&c->arena, s->network == NET_HOST
                                  ? "raise %s max_size, or use bridge networking: dynamic host "
                                    "ports let tasks share an instance"
                                  : "raise %s max_size, or leave host_port out: dynamic host "
                                    "ports let tasks share an instance", max).ptr;
  }
  return "";
}

// A task no instance of the type can ever hold: ECS leaves it waiting, and
// cluster auto scaling ignores it ("If the smallest instance type can't run
// at least one instance of the task [...] the task is excluded from
// scale-out calculation", ECS Developer Guide, "Amazon ECS cluster auto
// scaling").
static bool over_capacity(Compilation *c, Capacity *cap, const Service *s) {
  const InstanceType *t = cap->t;
  Span type_at = cap->at;
  // "runs t3.small instances", or of a spot block's types "may launch".
  const char *runs = cap->k->ntypes > 1 ? "may launch" : "runs";
  Diag *d = NULL;
  if (task_memory(s) > cap->registered && cap->registered > 0) {
    int64_t nominal = t->memory / MIB;
    d = diag_at(c, E0523, span_or(s->memory_reservation ? s->at.memory_reservation : s->at.memory, s->span),
                "service \"%.*s\" reserves %lld MiB per task, but %s %.*s registers less than "
                "%lld MiB with ECS", S(s->name), (long long)task_memory(s), type_article(t->name),
                S(t->name), (long long)cap->registered + 1);
    if (cap->reserved)
      diag_note(c, d, type_at, "%s %s %.*s instances of %lld MiB, less "
                "ECS_RESERVED_MEMORY=%lld", who(c, cap->k), runs, S(t->name), (long long)nominal,
                (long long)cap->reserved);
    else
      diag_note(c, d, type_at, "%s %s %.*s instances of %lld MiB", who(c, cap->k), runs,
                S(t->name), (long long)nominal);
    diag_help(c, d, "ECS registers the memory the kernel reports, always below what EC2 "
                    "advertises (an m4.large's 8192 MiB registers as 7985 MiB); reserve less, or "
                    "use a larger instance type");
  } else if (task_cpu(s) > cap->cpu) {
    d = diag_at(c, E0523, span_or(s->task_cpu ? s->at.task_cpu : s->at.cpu, s->span),
                "service \"%.*s\" needs %d CPU units, more than the %lld of %s %.*s", S(s->name),
                task_cpu(s), (long long)cap->cpu, type_article(t->name), S(t->name));
    diag_note(c, d, type_at, "%s %s %.*s instances", who(c, cap->k), runs, S(t->name));
  } else if (s->network == NET_AWSVPC && t->awsvpc_tasks == 0) {
    d = diag_at(c, E0523, span_or(s->at.network_mode, s->span),
                "service \"%.*s\" needs a network interface per task, but %s %.*s has none to "
                "spare", S(s->name), type_article(t->name), S(t->name));
    diag_note(c, d, type_at, "%s %s %.*s instances", who(c, cap->k), runs, S(t->name));
    diag_help(c, d, "use bridge networking, or an instance type with more network interfaces");
  }
  return d != NULL;
}

// ECS Developer Guide, "Container instance memory management": the only
// figure AWS publishes of registered against advertised memory is its
// m4.large's, 7985 MiB of 8192. A task above that share of its instance's
// memory fits the bound ecsc can prove but may well not fit what ECS
// registers: a warning, not an error.
static void near_memory(Compilation *c, Capacity *cap, const Service *s) {
  int64_t nominal = cap->t->memory / MIB;
  int64_t example = nominal * 7985 / 8192 - cap->reserved;
  if (task_memory(s) <= example)
    return;
  Diag *d = diag_at(c, W0534, span_or(s->memory_reservation ? s->at.memory_reservation : s->at.memory, s->span),
                    "service \"%.*s\" reserves %lld MiB per task, close to the %lld MiB of %s "
                    "%.*s, of which ECS registers less", S(s->name), (long long)task_memory(s),
                    (long long)nominal, type_article(cap->t->name), S(cap->t->name));
  diag_help(c, d, "an m4.large's 8192 MiB registers as 7985 MiB (ECS Developer Guide); leave the "
                  "kernel's share, or check the registered memory with aws ecs "
                  "describe-container-instances");
}

// The most of n tasks of s its strategy places on these instances (ECS API
// Reference, CapacityProviderStrategyItem: base "designates how many tasks,
// at a minimum, to run on the specified capacity provider", only one
// provider has one; weight "the relative percentage of the total number of
// launched tasks that should use the specified capacity provider", after
// the base). Without a strategy a service of the instances runs on the
// cluster's own ("ec2"); a Fargate service on none of them.
static int64_t share(const Cluster *k, const Service *s, int64_t n) {
  if (s->runs_on != RUN_EC2)
    return 0;
  if (!s->strategy.n)
    return k->outer ? 0 : n;
  int64_t bases = 0, weights = 0;
  const StrategyItem *mine = NULL;
  for (int i = 0; i < s->strategy.n; i++) {
    const StrategyItem *it = &s->strategy.items[i];
    bases += it->base;
    weights += it->weight;
    if ((it->provider == PROVIDER_EC2 && !k->outer) ||
        (it->provider == PROVIDER_GROUP && it->group == k))
      mine = it;
  }
  if (!mine)
    return 0;
  int64_t rest = n > bases ? n - bases : 0;
  return (n < mine->base ? n : mine->base) +
         (weights ? ceil_div(rest * mine->weight, weights) : 0);
}

// The most tasks a service runs, deployments aside: its count, or with
// scaling the most its bounds allow (its max, or a schedule's higher one):
// a deployment may start at any count, so capacity is judged at the peak;
// of them, those its strategy places on k's instances.
static int all_tasks(const Service *s) {
  return s->scaling ? s->scaling->peak : s->count;
}

static int tasks(const Cluster *k, const Service *s) {
  return (int)share(k, s, all_tasks(s));
}

// Whether its strategy places tasks of s on k's instances at all.
static bool runs_here(const Cluster *k, const Service *s) {
  return share(k, s, INT32_MAX) > 0;
}

// Where the figure was set: the scaling's max, else the service.
static Span tasks_at(const Service *s) {
  return s->scaling ? s->scaling->peak_at : s->span;
}

// "its 3 tasks", "its 10 tasks at the scaling's max", "4 of its 6 tasks"
// (the share its strategy places on k's instances).
static const char *tasks_words(Compilation *c, const Cluster *k, const Service *s) {
  int n = tasks(k, s), all = all_tasks(s);
  if (n < all)
    return str_fmt(&c->arena, "%d of its %d task%s%s", n, all, plural(all),
                   s->scaling ? " at the scaling's max" : "").ptr;
  return str_fmt(&c->arena, "its %d task%s%s", n, plural(n),
                 s->scaling ? " at the scaling's max" : "").ptr;
}

// ECS Developer Guide, "Service definition parameters": during a rolling
// deployment ECS keeps min_healthy of the count running, rounded up, and
// runs at most max_percent of it; "the service scheduler might stop two
// existing tasks to free up cluster capacity before starting two new
// tasks". So the count must fit, a deployment needs room for one new task
// beside the tasks it keeps (the count itself when it may stop one first),
// and only the surge to max_percent may be cut short.
//
// A deployment that shifts traffic (blue-green, canary, linear) stops no
// old task before the new revision runs whole beside it and the traffic
// has moved (ECS Developer Guide, "Amazon ECS blue/green service
// deployments workflow": "Create the green environment alongside the
// existing blue environment"; the blue one ends after the bake time), and
// AWS's best practices for it: "Plan sufficient cluster capacity to handle
// both service revisions during deployment" ("Required resources for
// Amazon ECS blue/green deployments", and the same for linear). So it keeps
// every task, and needs room for all of them twice: what it cannot place
// never takes the traffic, and the deployment does not finish.
static int64_t keeps(const Cluster *k, const Service *s) {
  if (model_shifts_traffic(s))
    return tasks(k, s);
  return ceil_div((int64_t)tasks(k, s) * s->min_healthy, 100);
}

static int64_t surge(const Cluster *k, const Service *s) {
  return (int64_t)tasks(k, s) * model_surge_percent(s) / 100;
}

// Instances the service needs for its count, and for a deployment's room.
static int64_t needs(const Cluster *k, const Service *s, int64_t per) {
  return ceil_div(tasks(k, s), per);
}

static int64_t deploy_needs(const Cluster *k, const Service *s, int64_t per) {
  if (model_shifts_traffic(s))
    return ceil_div(surge(k, s), per);  // the whole new revision: model_surge_percent
  return keeps(k, s) < tasks(k, s) ? needs(k, s, per) : ceil_div(tasks(k, s) + 1, per);
}

// ECS Developer Guide, "Elastic network interface trunking": with the
// awsvpcTrunking account setting on, instances of the types it lists hold
// more awsvpc tasks (trunk_tasks). ecsc cannot see an account setting: when
// only the interfaces stand in the way and trunking would make room, it
// warns (W0535) rather than refuses.
static bool trunking_would_fit(Capacity *cap, const Service *s, Fit f) {
  if (f.by != BY_ENIS || cap->t->trunk_tasks <= 0)
    return false;
  Fit t = fit_with(cap, s, cap->t->trunk_tasks);
  return deploy_needs(cap->k, s, t.per) <= cap->k->max_size;
}

static bool service_capacity(Compilation *c, Capacity *cap, const Service *s) {
  const Cluster *k = cap->k;
  Fit f = fit(cap, s);
  if (tasks(k, s) <= 0 || f.per <= 0)
    return false;
  int64_t need = needs(k, s, f.per);
  int64_t deploy = deploy_needs(k, s, f.per);
  int64_t during = surge(k, s) > tasks(k, s) ? surge(k, s) : tasks(k, s);
  DiagCode error = f.by == BY_PORT ? E0550 : trunking_would_fit(cap, s, f) ? W0535 : E0533;
  Diag *d;
  Span port_at;
  fixed_port(s, &port_at);
  if (need > k->max_size) {
    d = diag_at(c, error, f.by == BY_PORT ? port_at : tasks_at(s),
                "service \"%.*s\" needs %lld instance%s for %s, but %s in "
                "environment \"%.*s\" has at most %d", S(s->name), (long long)need, plural(need),
                tasks_words(c, k, s), who(c, k), S(k->env->name), k->max_size);
  } else if (deploy > k->max_size) {
    d = diag_at(c, error, tasks_at(s),
                "service \"%.*s\" needs %lld instance%s to deploy (%s kept running and %s), "
                "but %s in environment \"%.*s\" has at most %d",
                S(s->name), (long long)deploy, plural(deploy), tasks_words(c, k, s),
                model_shifts_traffic(s) ? "the whole new revision beside them" : "a new one",
                who(c, k), S(k->env->name), k->max_size);
  } else if (ceil_div(during, f.per) > k->max_size) {
    int64_t want = ceil_div(during, f.per);
    d = diag_at(c, W0533, tasks_at(s),
                "service \"%.*s\" runs up to %lld tasks during a deployment, which need %lld "
                "instance%s, but %s in environment \"%.*s\" has at most %d",
                S(s->name), (long long)during, (long long)want, plural(want), who(c, k),
                S(k->env->name), k->max_size);
    note_per(c, d, cap, s, f);
    diag_help(c, d, "ECS then starts new tasks only as it stops old ones, down to min_healthy; "
                    "raise max_size, or lower max_percent to make that the plan");
    return true;
  } else {
    return false;
  }
  note_per(c, d, cap, s, f);
  if (k->max_size == 0) {
    diag_help(c, d, "a cluster of max_size 0 never launches an instance: raise max_size");
    return true;
  }
  if (deploy > k->max_size && need <= k->max_size && model_shifts_traffic(s))
    diag_help(c, d, "a %s deployment runs the whole new revision beside the old one until the "
                    "traffic has moved: raise %s max_size, or deploy rolling (strategy = "
                    "\"rolling\")", model_strategy_names[s->deploy_strategy], whose(k));
  else if (deploy > k->max_size && need <= k->max_size)
    diag_help(c, d, "lower min_healthy so that ECS may stop an old task first, or raise %s "
                    "max_size", whose(k));
  else
    diag_help(c, d, "%.1024s", remedy(c, cap, s, f));
  return true;
}

// A scaling's min is a promise: never fewer tasks. The instances the
// cluster always keeps (min_size) are what holds it without waiting for
// managed scaling to launch more, minutes during which the service runs
// below its minimum (ECS Developer Guide, "Amazon ECS cluster auto
// scaling": managed scaling launches instances for tasks that wait).
static bool guaranteed(Compilation *c, Capacity *cap, const Service *s) {
  const Cluster *k = cap->k;
  Fit f = fit(cap, s);
  int64_t min = s->scaling ? share(k, s, s->scaling->min) : 0;
  if (min <= 0 || f.per <= 0)
    return false;
  int64_t need = ceil_div(min, f.per);
  if (need <= k->min_size)
    return false;
  const Scaling *sc = s->scaling;
  Diag *d = diag_at(c, W0951, span_or(sc->at.min, sc->span),
                    "service \"%.*s\" keeps at least %lld task%s%s, which need %lld instance%s, "
                    "but %s in environment \"%.*s\" keeps %d (its min_size)", S(s->name),
                    (long long)min, plural(min), min < sc->min ? " there" : "", (long long)need,
                    plural(need), who(c, k), S(k->env->name), k->min_size);
  note_per(c, d, cap, s, f);
  diag_help(c, d, "raise %s min_size to %lld, or lower the scaling's min: the rest "
                  "wait for managed scaling to launch instances", whose(k), (long long)need);
  return true;
}

// Services with the same fixed host port share it: one task of any of them
// per instance, whichever container takes it. A single service was judged
// above; here, two or more, from the first, `first`, that takes `port`.
static bool port_group(Compilation *c, Capacity *cap, int first, int port) {
  const Cluster *k = cap->k, *outer = cluster_of(k);
  Span at0, at_b;
  takes_port(outer->services[first], port, &at0);
  int64_t total = 0, during = 0;
  int n = 0, last = first;
  bool keeps_all = false;  // some rolling service must start a new task before it stops one
  int64_t revision = 0;    // the most tasks of a traffic-shifting one, started whole beside
  for (int i = first; i < outer->nservices; i++) {
    Span at;
    Service *s = outer->services[i];
    if (!tasks(k, s) || !takes_port(s, port, &at))
      continue;
    total += tasks(k, s);
    during += surge(k, s) > tasks(k, s) ? surge(k, s) : tasks(k, s);
    if (model_shifts_traffic(s))
      revision = tasks(k, s) > revision ? tasks(k, s) : revision;
    else
      keeps_all |= keeps(k, s) == tasks(k, s);
    n++;
    last = i;
  }
  // One deployment at a time: a rolling one that keeps every task needs
  // one more instance, a traffic-shifting one its whole new revision.
  int64_t extra = revision > (keeps_all ? 1 : 0) ? revision : (keeps_all ? 1 : 0);
  if (n < 2 || during <= k->max_size)
    return false;
  Service *a = outer->services[first], *b = outer->services[last];
  takes_port(b, port, &at_b);
  const char *others = n > 2 ? " and others" : "";
  Diag *d;
  if (total + extra > k->max_size) {
    bool never = total > k->max_size, whole = revision > (keeps_all ? 1 : 0);
    int64_t want = never ? total : total + extra;
    d = diag_at(c, E0550, at_b,
                "services \"%.*s\" (%d task%s) and \"%.*s\" (%d)%s need host port %d on %lld "
                "instance%s %s, but %s in environment \"%.*s\" has at most %d", S(a->name),
                tasks(k, a), plural(tasks(k, a)), S(b->name), tasks(k, b), others, port,
                (long long)want, plural(want),
                never   ? "for their tasks"
                : whole ? "to deploy (their tasks kept running and a whole new revision)"
                        : "to deploy (their tasks kept running and a new one)",
                who(c, k), S(k->env->name), k->max_size);
    diag_note(c, d, at0, "\"%.*s\" takes it here", S(a->name));
    const char *why =
        never   ? "an instance holds one task per host port: give the services distinct ports, "
                  "leave host_port out"
        : whole ? "a traffic-shifting deployment starts its whole new revision beside the old "
                  "one: give the services distinct ports"
                : "lower min_healthy so that ECS may stop an old task first, give the services "
                  "distinct ports";
    diag_help(c, d, "%s, or raise %s max_size", why, whose(k));
    return true;
  }
  d = diag_at(c, W0533, at_b,
              "services \"%.*s\" (%d task%s) and \"%.*s\" (%d)%s run up to %lld tasks on host "
              "port %d during deployments, but %s in environment \"%.*s\" has at most %d "
              "instance%s", S(a->name), tasks(k, a), plural(tasks(k, a)), S(b->name), tasks(k, b),
              others, (long long)during, port, who(c, k),
              S(k->env->name), k->max_size, plural(k->max_size));
  diag_note(c, d, at0, "\"%.*s\" takes it here", S(a->name));
  if (revision)  // a traffic-shifting deployment is not cut short
    diag_help(c, d, "a traffic-shifting deployment needs its whole new revision, and a rolling "
                    "one then starts new tasks only as it stops old ones; give the services "
                    "distinct ports, or raise %s max_size", whose(k));
  else
    diag_help(c, d, "ECS then starts new tasks only as it stops old ones, down to min_healthy; "
                    "give the services distinct ports, or raise %s max_size", whose(k));
  return true;
}

// Whether container j of s takes `port` on its instance before its q-th
// fixed port: in an earlier container, or earlier in its own.
static bool taken_before(const Service *s, int j, int q, int port) {
  for (int p = 0; p <= j; p++)
    for (int r = 0; model_fixed_port(s, s->containers[p], r, NULL) && (p < j || r < q); r++)
      if (model_fixed_port(s, s->containers[p], r, NULL) == port)
        return true;
  return false;
}

// Every host port the services on k's instances take, each judged once,
// from the first service that takes it.
static bool port_groups(Compilation *c, Capacity *cap) {
  const Cluster *k = cap->k, *outer = cluster_of(k);
  bool reported = false;
  for (int i = 0; i < outer->nservices; i++) {
    const Service *s = outer->services[i];
    for (int j = 0; j < s->ncontainers && tasks(k, s); j++)
      for (int q = 0; model_fixed_port(s, s->containers[j], q, NULL); q++) {
        int port = model_fixed_port(s, s->containers[j], q, NULL);
        bool first = !taken_before(s, j, q, port);
        for (int p = 0; p < i && first; p++) {
          Span at;
          first = !tasks(k, outer->services[p]) || !takes_port(outer->services[p], port, &at);
        }
        if (first)
          reported |= port_group(c, cap, i, port);
      }
  }
  return reported;
}

// What the services need together, against what max_size instances
// register: a lower bound of what placing them needs, since tasks are
// packed instance by instance. Summing every service's steady count that
// exceeds it can never run; the surge of every deployment at once only
// slows them.
typedef struct {
  const char *unit;
  const char *verb[2];  // for one instance, for several
  int64_t steady, during, have;
} Total;

// What one instance of a type offers of resource r (MiB, CPU units, free
// interfaces).
static int64_t offers(const Capacity *cap, int r) {
  int64_t enis = cap->t->awsvpc_tasks >= 0 ? cap->t->awsvpc_tasks : INT32_MAX;
  return r == 0 ? cap->registered : r == 1 ? cap->cpu : enis;
}

// Of the types the group may launch, the one that offers least of r: max_size
// instances of it is all the cluster is sure to have.
static const Capacity *least(const Capacity *caps, int n, int r) {
  const Capacity *min = &caps[0];
  for (int i = 1; i < n; i++)
    if (offers(&caps[i], r) < offers(min, r))
      min = &caps[i];
  return min;
}

static void capacity_totals(Compilation *c, const Capacity *caps, int ncaps) {
  const Cluster *k = caps[0].k;
  const Capacity *by[3] = {least(caps, ncaps, 0), least(caps, ncaps, 1), least(caps, ncaps, 2)};
  Total t[3] = {
      {" MiB", {"registers at most", "register at most"}, 0, 0,
       (int64_t)k->max_size * offers(by[0], 0)},
      {" CPU units", {"registers", "register"}, 0, 0, (int64_t)k->max_size * offers(by[1], 1)},
      {" network interfaces", {"has free", "have free"}, 0, 0,
       (int64_t)k->max_size * offers(by[2], 2)},
  };
  const Cluster *outer = cluster_of(k);
  bool rolling = false, shifting = false;  // services whose surge max_percent bounds, or not
  for (int i = 0; i < outer->nservices; i++) {
    Service *s = outer->services[i];
    int64_t during = surge(k, s) > tasks(k, s) ? surge(k, s) : tasks(k, s);
    if (!tasks(k, s))
      continue;
    rolling = rolling || !model_shifts_traffic(s);
    shifting = shifting || model_shifts_traffic(s);
    int64_t each[3] = {task_memory(s), task_cpu(s), s->network == NET_AWSVPC};
    for (int r = 0; r < 3; r++) {
      t[r].steady += tasks(k, s) * each[r];
      t[r].during += during * each[r];
    }
  }
  for (int r = 0; r < 3; r++) {
    if (t[r].during <= t[r].have)
      continue;
    bool never = t[r].steady > t[r].have;
    Diag *d = diag_at(c, never ? E0533 : W0533, k->span,
                      "the services of %s in environment \"%.*s\" need %lld%s%s, "
                      "but its %d %.*s instance%s %s %lld%s", who(c, k), S(k->env->name),
                      (long long)(never ? t[r].steady : t[r].during), t[r].unit,
                      never ? "" : " during a deployment", k->max_size, S(by[r]->t->name),
                      plural(k->max_size), t[r].verb[k->max_size != 1], (long long)t[r].have,
                      t[r].unit);
    diag_note(c, d, max_size_at(k), "%s the most instances managed scaling launches",
              k->at.max_size.src ? "max_size:" : "max_size is size here,");
    if (ncaps > 1)
      diag_note(c, d, by[r]->at, "%.*s is the smallest type the group may launch by this figure",
                S(by[r]->t->name));
    diag_help(c, d, "raise max_size or use a larger instance type%s",
                    never || !rolling ? ""
                    : shifting        ? ", or lower the rolling services' max_percent: ECS then "
                                        "starts their new tasks only as it stops old ones"
                                      : ", or lower max_percent: ECS then starts new tasks only "
                                        "as it stops old ones");
  }
}

// The type an instance of which holds the fewest tasks of s: the group may
// launch only that one, so it decides (the first of equals).
static Capacity *smallest(Capacity *caps, int n, const Service *s) {
  Capacity *min = &caps[0];
  for (int i = 1; i < n; i++)
    if (fit(&caps[i], s).per < fit(min, s).per)
      min = &caps[i];
  return min;
}

// ECS_RESERVED_MEMORY above a type's own memory: the agent never registers.
static bool nothing_left(Compilation *c, const Capacity *cap) {
  const Cluster *k = cap->k;
  if (cap->registered > 0)
    return false;
  const KeyValue *entry = model_kv_find(k->agent, k->nagent, STR("ECS_RESERVED_MEMORY"));
  Diag *d = diag_at(c, E0534, entry ? entry->at : k->span,
                    "ECS_RESERVED_MEMORY=%lld leaves nothing of the %lld MiB of %s %.*s",
                    (long long)cap->reserved, (long long)(cap->t->memory / MIB),
                    type_article(cap->t->name), S(cap->t->name));
  diag_help(c, d, "the agent refuses to register an instance whose reserved memory exceeds its "
                  "own; reserve less");
  return true;
}

// One set of instances: a cluster's own, or a group's.
static void instances_capacity(Compilation *c, const Cluster *k) {
  const Cluster *outer = cluster_of(k);
  if (k->ntypes == 0)
    return;
  Capacity *caps = new(&c->arena, Capacity, k->ntypes);
  for (int i = 0; i < k->ntypes; i++) {
    if (!k->types[i])
      return;  // resolve.c reported the unknown type
    caps[i] = capacity_of(k, i);
  }
  for (int i = 0; i < k->ntypes; i++)
    if (nothing_left(c, &caps[i]))
      return;
  bool reported = false;
  for (int i = 0; i < outer->nservices; i++) {  // Fargate's tasks take none of the instances
    bool big = false;
    for (int j = 0; j < k->ntypes && !big && runs_here(k, outer->services[i]); j++)
      big = over_capacity(c, &caps[j], outer->services[i]);
    reported |= big;
  }
  if (reported)
    return;  // no capacity figure means anything for a task that never fits
  for (int i = 0; i < outer->nservices; i++) {
    if (!runs_here(k, outer->services[i]))
      continue;
    Capacity *cap = smallest(caps, k->ntypes, outer->services[i]);
    near_memory(c, cap, outer->services[i]);
    if (!service_capacity(c, cap, outer->services[i]))
      guaranteed(c, cap, outer->services[i]);
    else
      reported = true;
  }
  reported |= port_groups(c, &caps[0]);
  if (!reported)
    capacity_totals(c, caps, k->ntypes);
}

void check_capacity(Compilation *c, const Cluster *k) {
  int n;
  const Cluster **sets = model_instance_sets(&c->arena, k, &n);
  for (int i = 0; i < n; i++)
    instances_capacity(c, sets[i]);
}
