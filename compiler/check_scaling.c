// check_scaling.c: a service's auto scaling, before Application Auto
// Scaling sees it: bounds in order, the first count within them, a policy
// that has its metric, and schedules in the cron syntax AWS accepts. What
// the bounds ask of the cluster is check_capacity.c's. Reports E0950-E0953,
// E1201 (a schedule's one bound across the other one in effect), E1202 and
// W1200 (its time zone), W0950 (scaling, or a schedule, that never moves
// the count), W0982, W1144 (a 100% target the metric cannot pass), E1143 and
// E1217 (a target above 100% the metric does not reach).
#include "model.h"

#include <string.h>

#define MIB (1LL << 20)

static Span place(Span value, const Scaling *sc, const Service *s) {
  return span_or(value, span_or(sc->span, s->span));
}

// Application Auto Scaling API Reference, RegisterScalableTarget and
// ScalableTargetAction: MinCapacity and MaxCapacity bound the desired count,
// and the minimum cannot exceed the maximum.
static void bounds(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (sc->min > sc->max) {
    Diag *d = diag_at(c, E0950, place(sc->at.min, sc, s),
                      "scaling of service \"%.*s\" has min %d above max %d", S(s->name), sc->min,
                      sc->max);
    diag_note(c, d, place(sc->at.max, sc, s), "max is %d here", sc->max);
    diag_help(c, d, "the count moves between min and max: lower min or raise max");
  }
  for (int i = 0; i < sc->nschedules; i++) {
    const Schedule *h = &sc->schedules[i];
    if (h->min < 0 || h->max < 0 || h->min <= h->max)
      continue;
    Diag *d = diag_at(c, E0950, span_or(h->at.min, h->span),
                      "schedule \"%.*s\" of service \"%.*s\" has min %d above max %d", S(h->name),
                      S(s->name), h->min, h->max);
    diag_note(c, d, span_or(h->at.max, h->span), "max is %d here", h->max);
    diag_help(c, d, "from the schedule on the count moves between its min and max: lower min or "
                    "raise max");
  }
}

// A schedule that sets one bound leaves the other as it is: "The request
// can optionally include only one of these sizes ... In some cases,
// however, you must include both sizes to ensure that the new minimum
// capacity is not greater than the maximum capacity, or the new maximum
// capacity is not less than the minimum capacity" (Application Auto Scaling
// User Guide, "How scheduled scaling for Application Auto Scaling works",
// Considerations). The bound it leaves is the scaling's own until a
// schedule sets it, then that schedule's until another does; ecsc does not
// order the crons, so each of them can be the one in effect when it runs
// (no reachability needed, unlike the counts of inert_schedules: a bound
// set stays set). E1201 names the one that crosses it the most.
typedef struct {
  int value;
  Span at;
  const Schedule *by;  // NULL: the scaling's own
} Bound;

static Bound other_bound(const Scaling *sc, const Schedule *h, bool min) {
  Bound worst = min ? (Bound){sc->min, sc->at.min, NULL} : (Bound){sc->max, sc->at.max, NULL};
  for (int j = 0; j < sc->nschedules; j++) {
    const Schedule *g = &sc->schedules[j];
    int v = min ? g->min : g->max;
    if (g == h || v < 0 || (g->min >= 0 && g->max >= 0 && g->min > g->max))
      continue;  // not another's, not set, or E0950's
    if (min ? v > worst.value : v < worst.value)
      worst = (Bound){v, min ? g->at.min : g->at.max, g};
  }
  return worst;
}

static void one_sided(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (sc->min > sc->max)
    return;  // E0950
  for (int i = 0; i < sc->nschedules; i++) {
    const Schedule *h = &sc->schedules[i];
    if ((h->min < 0) == (h->max < 0))
      continue;  // both set (E0950 compares them) or neither (E0304)
    bool sets_max = h->max >= 0;
    const char *set = sets_max ? "max" : "min", *left = sets_max ? "min" : "max";
    int value = sets_max ? h->max : h->min;
    Bound b = other_bound(sc, h, sets_max);
    if (sets_max ? value >= b.value : value <= b.value)
      continue;
    Diag *d = diag_at(c, E1201, span_or(sets_max ? h->at.max : h->at.min, h->span),
                      "schedule \"%.*s\" of service \"%.*s\" sets %s %d but not %s, which can "
                      "be %d then: min above max", S(h->name), S(s->name), set, value, left,
                      b.value);
    if (b.by)
      diag_note(c, d, span_or(b.at, b.by->span), "schedule \"%.*s\" sets %s %d here",
                S(b.by->name), left, b.value);
    else
      diag_note(c, d, place(b.at, sc, s), "the scaling's %s is %d here", left, b.value);
    int fix = sets_max ? (sc->min < value ? sc->min : value) : (sc->max > value ? sc->max : value);
    diag_help(c, d, "give the schedule %s = %d as well: AWS asks for both bounds where the one "
                    "left as it is would cross the new one", left, fix);
  }
}

// The count a service starts with: registering the scalable target
// "changes the resource's current capacity to a value that is inside of
// this range" (Application Auto Scaling API Reference,
// RegisterScalableTarget), so a count written outside them is never run.
static void first_count(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (!s->at.count.src || sc->min > sc->max || (s->count >= sc->min && s->count <= sc->max))
    return;
  bool below = s->count < sc->min;
  Diag *d = diag_at(c, E0951, s->at.count, "service \"%.*s\" has count %d %s its scaling's %s %d",
                    S(s->name), s->count, below ? "below" : "above", below ? "min" : "max",
                    below ? sc->min : sc->max);
  diag_note(c, d, place(below ? sc->at.min : sc->at.max, sc, s), "%s is %d here",
            below ? "min" : "max", below ? sc->min : sc->max);
  diag_help(c, d, "with scaling, count is only the first count: leave it out (it is then min), "
                  "or give one between %d and %d", sc->min, sc->max);
}

// ECSServiceAverageCPUUtilization is the CPU a service's tasks use against
// what their task definition reserves: "(Total CPU units used by tasks in
// service) x 100 / (Total CPU units specified in the task definition) x
// (Number of tasks in the service)" (ECS Developer Guide, "Amazon ECS
// service utilization metrics"). A task that reserves none (no task cpu, no
// container cpu: on EC2 both are optional) gives the policy a number that
// means nothing to track. (reserved_cpu: the containers' sum, derive.c.)
static void cpu_reserved(Compilation *c, const Service *s) {
  if (!s->scaling->cpu || s->task_cpu || s->reserved_cpu)
    return;
  Diag *d = diag_at(c, W0982, place(s->scaling->at.cpu, s->scaling, s),
                    "service \"%.*s\" scales on CPU and reserves none", S(s->name));
  diag_help(c, d, "give the service cpu = 256 (or task { cpu = ... }): its CPU utilisation is "
                  "measured against what its task definition reserves");
}

// The utilisation targets against what the metric can reach. A policy
// scales out "when the specified metric is above the target value" (ECS
// Developer Guide, "Target tracking scaling policies"), and the service's
// utilisation is what its tasks use against what their task definition
// reserves (ECS Developer Guide, "Amazon ECS service utilization metrics",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html):
//
//   - CPU: "the CPU utilization will only go above 100% when the CPU units
//     are defined at the container level. If you define CPU units at the
//     task level, the utilization will not go above the defined task-level
//     limit" (a task cpu is required on Fargate, E0961). Its example: a
//     task of 512 units "is the only running task on a container instance
//     with 2,048 CPU units, it can use up to four times the specified
//     amount (2,048 / 512)", reported as 400%. An instance type has 1,024
//     units per vCPU (ECS API Reference, ContainerDefinition: cpu).
//   - memory: "If you specify a soft limit (memoryReservation), it's used to
//     calculate the amount of reserved memory. Otherwise, the hard limit
//     (memory) is used"; under a hard limit "service memory utilization
//     can't exceed 100%", with a soft limit the tasks "could use more than
//     the specified 1,024 MiB of memory as needed. In this case, the
//     service's memory utilization could exceed 100%". How a task-level
//     memory or Service Connect's proxy container (which ECS adds) counts,
//     the page does not say.
//
// So a target of 100% where the metric cannot pass it is never passed: the
// policy never scales out, and scales in whenever the tasks use less than
// all they reserve (W1144). Above 100%, a target is taken only where the
// page says the metric goes there (E1143 elsewhere), and up to what the
// largest instance the service can run on allows: all of its CPU units, or
// all of its memory as EC2 gives it (ECS registers less) under the
// containers' hard limits (E1217). Application Auto Scaling takes any
// Double from -2^360 to 2^360 (API Reference, TargetTrackingScaling
// PolicyConfiguration: TargetValue, "a valid number based on the choice of
// metric"; botocore application-autoscaling 2016-02-06, MetricScale
// "double"), so these bounds are the metric's, not the API's.
typedef enum { UTIL_CAPPED, UTIL_CAN_PASS, UTIL_UNKNOWN } UtilCeiling;

static UtilCeiling cpu_ceiling(const Service *s, const char **why) {
  if (s->task_cpu) {
    *why = "the task's cpu caps its CPU utilisation at 100%";
    return UTIL_CAPPED;
  }
  if (s->runs_on != RUN_EC2 || !s->reserved_cpu) {
    *why = "its CPU utilisation is not shown to pass 100% without a container cpu on EC2";
    return UTIL_UNKNOWN;
  }
  return UTIL_CAN_PASS;
}

// Under hard limits alone the tasks use at most what they reserve, whether
// a task-level memory or the containers' are what the metric is of.
static UtilCeiling memory_ceiling(const Service *s, const char **why) {
  if (s->connect) {
    *why = "AWS does not say how the Service Connect proxy ECS adds counts in its memory "
           "utilisation";
    return UTIL_UNKNOWN;
  }
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (k->memory_reservation && s->task_memory) {
      *why = "AWS does not say whether a task-level memory or the memory_reservation is what "
             "its memory utilisation is of";
      return UTIL_UNKNOWN;
    }
    if (k->memory_reservation)
      return UTIL_CAN_PASS;  // a soft limit, below any hard one (E0522)
    if (!k->memory) {
      *why = "its memory utilisation is not shown to pass 100% without a memory_reservation";
      return UTIL_UNKNOWN;
    }
  }
  *why = "the containers' memory (a hard limit, with no memory_reservation) caps its memory "
         "utilisation at 100%";
  return UTIL_CAPPED;
}

// The largest instance type the service's cluster launches, by vCPUs or by
// memory (its own and its groups'); NULL when one of them is unknown (E0200
// reported it) or it has none.
static const InstanceType *largest_type(const Cluster *k, bool by_memory) {
  const InstanceType *best = NULL;
  for (int g = -1; g < k->ngroups; g++) {
    const Cluster *x = g < 0 ? k : k->groups[g];
    if (g < 0 && !model_has_instances(k))
      continue;
    for (int i = 0; i < x->ntypes; i++) {
      const InstanceType *t = x->types[i];
      if (!t)
        return NULL;
      if (!best || (by_memory ? t->memory > best->memory : t->vcpu > best->vcpu))
        best = t;
    }
  }
  return best;
}

// The highest utilisation the tasks can reach on the largest instance, as
// the fraction used / reserved (a percentage of used * 100 / reserved), and
// what it is of (`of`, for the message); reserved 0 when it cannot be told.
typedef struct {
  int64_t used, reserved;
} Reach;

static Reach utilization_reach(Arena *a, const Service *s, bool memory, Str *of) {
  const InstanceType *on = s->cluster ? largest_type(s->cluster, memory) : NULL;
  if (!on)
    return (Reach){0};
  if (!memory) {
    *of = str_fmt(a, "all %d CPU units of a %.*s against the %d they reserve", on->vcpu * 1024,
                  S(on->name), s->reserved_cpu);
    return (Reach){(int64_t)on->vcpu * 1024, s->reserved_cpu};
  }
  int64_t most = 0;  // the containers' hard limits, or the instance for those without one
  for (int i = 0; i < s->ncontainers; i++) {
    int64_t hard = s->containers[i]->memory;
    most += hard && hard < on->memory ? hard : on->memory;
  }
  bool instance = most >= on->memory;
  if (instance)
    most = on->memory;
  *of = str_fmt(a, "%lld MiB (%s) against the %lld MiB they reserve", (long long)(most / MIB),
                instance ? str_fmt(a, "all of a %.*s", S(on->name)).ptr : "their hard limits",
                (long long)(s->reserved_memory / MIB));
  return (Reach){most, s->reserved_memory};
}

// A reach in tenths of a percent, rounded up: the message's "at most" and
// the help's "below" stay true of the exact fraction.
static int64_t reach_tenths(Reach r) {
  return (r.used * 1000 + r.reserved - 1) / r.reserved;
}

static Str tenths_text(Arena *a, int64_t v) {
  return v % 10 ? str_fmt(a, "%lld.%lld%%", (long long)(v / 10), (long long)(v % 10))
                : str_fmt(a, "%lld%%", (long long)(v / 10));
}

static void capped_target(Compilation *c, const Service *s, Span at, const char *what,
                          const char *why) {
  Diag *d = diag_at(c, W1144, at, "%s target 100%% of service \"%.*s\" is never passed: %s, "
                    "and the policy scales out only above its target", what, S(s->name), why);
  diag_help(c, d, "lower the target, such as %s = 90%%, so that the service scales out before "
                  "its tasks use all they reserve", what);
}

// Where the metric can pass 100%: a reservation it is measured against
// that the tasks can use more than.
static const char *ceiling_help(const Service *s, bool memory) {
  if (memory)
    return s->connect || s->task_memory ? "" : ", or give the containers a memory_reservation "
                                               "below their memory";
  return s->task_cpu || s->runs_on != RUN_EC2 ? "" : ", or give the containers a cpu";
}

static void over_target(Compilation *c, const Service *s, Span at, const char *what, int target,
                        const char *why) {
  Diag *d = diag_at(c, E1143, at, "%s target %.*s of service \"%.*s\" is above 100%%, and "
                    "%s", what, S(tenths_text(&c->arena, target)), S(s->name), why);
  diag_help(c, d, "give a target of 100%% or less%s", ceiling_help(s, what[0] == 'm'));
}

static void unreachable_target(Compilation *c, const Service *s, Span at, const char *what,
                               int target, int64_t most, Str of) {
  Diag *d = diag_at(c, E1217, at, "%s target %.*s of service \"%.*s\" is never passed: its "
                    "tasks reach at most %.*s, using %.*s", what,
                    S(tenths_text(&c->arena, target)), S(s->name),
                    S(tenths_text(&c->arena, most)), S(of));
  diag_help(c, d, "give a target below %.*s, or reserve less", S(tenths_text(&c->arena, most)));
}

static void target(Compilation *c, const Service *s, int value, Span at, bool memory) {
  const char *what = memory ? "memory" : "cpu", *why = NULL;
  if (value < 1000)
    return;
  UtilCeiling ceiling = memory ? memory_ceiling(s, &why) : cpu_ceiling(s, &why);
  if (value == 1000) {
    if (ceiling == UTIL_CAPPED)
      capped_target(c, s, at, what, why);
    return;
  }
  if (ceiling != UTIL_CAN_PASS) {
    over_target(c, s, at, what, value, why);
    return;
  }
  // The policy scales out only above its target: refused when the target
  // is at or above the exact reach, value / 1000 >= used / reserved (a
  // reach floored to tenths refused targets just under it).
  Str of = {0};
  Reach r = utilization_reach(&c->arena, s, memory, &of);
  if (r.reserved > 0 && (int64_t)value * r.reserved >= r.used * 1000)
    unreachable_target(c, s, at, what, value, reach_tenths(r), of);
}

static void full_targets(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (sc->cpu)
    target(c, s, sc->cpu, place(sc->at.cpu, sc, s), false);
  if (sc->memory)
    target(c, s, sc->memory, place(sc->at.memory, sc, s), true);
}

// ECS Developer Guide, "Target tracking scaling policies": the metrics are
// ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization and
// ALBRequestCountPerTarget, the last a target group's (its ResourceLabel
// names the load balancer and the target group, Application Auto Scaling
// API Reference, PredefinedMetricSpecification). Without a route the
// service has no target group to count requests of.
static void policies(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (sc->requests && !s->route) {
    Diag *d = diag_at(c, E0952, place(sc->at.requests_per_target, sc, s),
                      "requests_per_target for service \"%.*s\", which has no route",
                      S(s->name));
    diag_help(c, d, "ALBRequestCountPerTarget counts the requests of the service's target group: "
                    "add a route { }, or scale on cpu or memory");
  }
  cpu_reserved(c, s);
  full_targets(c, s);
  if (sc->cpu || sc->memory || sc->requests || sc->nschedules)
    return;
  Diag *d = diag_at(c, W0950, place((Span){0}, sc, s),
                    "scaling of service \"%.*s\" has no policy and no schedule: its count stays "
                    "at %d", S(s->name), s->count);
  diag_help(c, d, "add cpu = 70%%, memory = 75%%, requests_per_target = 1000 or a "
                  "schedule \"NAME\" { }, or remove the scaling block");
}

// Schedules without a policy. "At the specified time, Application Auto
// Scaling scales based on the new capacity values, by comparing current
// capacity to the specified minimum and maximum capacity. If current
// capacity is less than the specified minimum capacity, Application Auto
// Scaling scales out ... If current capacity is greater than the specified
// maximum capacity, Application Auto Scaling scales in" (Application Auto
// Scaling User Guide, "How scheduled scaling for Application Auto Scaling
// works"): a scheduled action only sets MinCapacity and MaxCapacity, and
// without a target tracking policy nothing else moves the count. So the
// counts a service can run are its first count and every schedule's bound
// that some reachable count lies beyond: a min above one, a max below one,
// in whatever order the schedules come. A schedule that moves no count
// of them (a max that only a policy would use, a min the count is never
// below) is a mistake: it reads as scaling and scales nothing.
enum { INERT_MAX_COUNTS = 64 };

typedef struct {
  int n;
  int v[INERT_MAX_COUNTS];
} Counts;

static bool counts_below(const Counts *r, int bound) {  // some count < bound
  for (int i = 0; i < r->n; i++)
    if (r->v[i] < bound)
      return true;
  return false;
}

static bool counts_above(const Counts *r, int bound) {  // some count > bound
  for (int i = 0; i < r->n; i++)
    if (r->v[i] > bound)
      return true;
  return false;
}

static void counts_add(Counts *r, int v) {
  for (int i = 0; i < r->n; i++)
    if (r->v[i] == v)
      return;
  if (r->n < INERT_MAX_COUNTS)
    r->v[r->n++] = v;
}

static Str counts_text(Arena *a, const Counts *r) {
  Buf b = {.arena = a};
  for (int i = 0; i < r->n; i++)
    buf_printf(&b, "%s%d", i == 0 ? "" : i + 1 == r->n ? " or " : ", ", r->v[i]);
  return buf_str(&b);
}

// Marks in moves[] each schedule that can move the count; fills r with the
// counts the service can run.
static void schedule_moves(const Service *s, bool *moves, Counts *r) {
  const Scaling *sc = s->scaling;
  counts_add(r, s->count);
  for (bool more = true; more;) {
    more = false;
    for (int i = 0; i < sc->nschedules; i++) {
      const Schedule *h = &sc->schedules[i];
      if (moves[i])
        continue;
      bool out = h->min >= 0 && counts_below(r, h->min);
      bool in = h->max >= 0 && counts_above(r, h->max);
      if (!out && !in)
        continue;
      moves[i] = more = true;
      if (out)
        counts_add(r, h->min);
      if (in)
        counts_add(r, h->max);
    }
  }
}

static void inert_schedules(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  if (sc->cpu || sc->memory || sc->requests || !sc->nschedules || sc->min > sc->max)
    return;
  bool *moves = new(&c->arena, bool, sc->nschedules);
  Counts r = {0};
  schedule_moves(s, moves, &r);
  Str counts = counts_text(&c->arena, &r);
  for (int i = 0; i < sc->nschedules; i++) {
    const Schedule *h = &sc->schedules[i];
    if (moves[i] || (h->min >= 0 && h->max >= 0 && h->min > h->max))
      continue;
    Diag *d = diag_at(c, W0950, h->span, "schedule \"%.*s\" of service \"%.*s\" never moves its "
                      "count, which is only ever %.*s: with no policy, the count moves only to a "
                      "min above it or a max below it", S(h->name), S(s->name), S(counts));
    const char *policy = "a policy to the scaling (cpu = 70%, memory = 75% or "
                         "requests_per_target = 1000)";
    if (h->min < 0)
      diag_help(c, d, "its max only caps what a policy may scale out to: give the schedule "
                      "min = %d as well to run %d tasks from then on, or add %s", h->max, h->max, policy);
    else if (h->max < 0)
      diag_help(c, d, "its min only floors what a policy may scale in to: give the schedule "
                      "max = %d as well to scale in to %d then, or add %s", h->min, h->min, policy);
    else
      diag_help(c, d, "give the schedule a min above the count to scale out then, or a max "
                      "below it to scale in, or add %s", policy);
  }
}

//
// Cron expressions (EventBridge User Guide, "Cron expressions reference",
// which Application Auto Scaling's scheduled actions use: "The supported
// cron expression format consists of six fields separated by white spaces:
// [Minutes] [Hours] [Day_of_Month] [Month] [Day_of_Week] [Year]",
// Application Auto Scaling User Guide, "Schedule recurring scaling actions")
//
//   Field          Values            Wildcards
//   Minutes        0-59              , - * /
//   Hours          0-23              , - * /
//   Day-of-month   1-31              , - * ? / L W
//   Month          1-12 or JAN-DEC   , - * /
//   Day-of-week    1-7 or SUN-SAT    , - * ? L #
//   Year           1970-2199         , - * /
//
// "You can't specify the Day-of-month and Day-of-week fields in the same
// cron expression. If you specify a value or a * in one of the fields, you
// must use a ? in the other." With '#', the day-of-week field holds one
// expression only.
//
// L, W and # are taken in the forms AWS shows and no others. "The L
// wildcard in the Day-of-month or Day-of-week fields specifies the last
// day of the month or week"; a day before L is the last such day of the
// month: "The following example creates a rule that runs at 10:15am UTC+0
// on the last Friday of each month during the years 2019 to 2022. [...]
// cron(15 10 ? * 6L 2019-2022)" (EventBridge User Guide, "Setting a
// schedule pattern for scheduled rules (legacy)", the page the Application
// Auto Scaling User Guide's cron section once linked). "In the
// Day-of-month field, 3W specifies the weekday closest to the third day of
// the month"; "3#2 would be the second Tuesday of the month". Quartz's
// further forms (LW, L-2, FRIL) appear on no AWS page found (2026-12-07),
// so they stay refused: what AWS does with them is unknown.

#define CRON_STEP "(?:/[0-9]+)?"
#define CRON_ITEM(v, step) "(?:\\*|" v "(?:-" v ")?)" step
#define CRON_LIST(item) item "(?:," item ")*"
#define CRON_MINUTE "(?:[0-5]?[0-9])"
#define CRON_HOUR "(?:[01]?[0-9]|2[0-3])"
#define CRON_DAY "(?:0?[1-9]|[12][0-9]|3[01])"
#define CRON_MONTH "(?:0?[1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
#define CRON_WEEKDAY "(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)"
#define CRON_YEAR "(?:19[7-9][0-9]|2[01][0-9][0-9])"

static const struct {
  const char *name, *form, *takes;
} cron_fields[6] = {
    {"minutes", CRON_LIST(CRON_ITEM(CRON_MINUTE, CRON_STEP)), "0-59 and , - * /"},
    {"hours", CRON_LIST(CRON_ITEM(CRON_HOUR, CRON_STEP)), "0-23 and , - * /"},
    {"day-of-month", "\\?|L|" CRON_DAY "W|" CRON_LIST(CRON_ITEM(CRON_DAY, CRON_STEP)),
     "1-31 and , - * ? / L W"},
    {"month", CRON_LIST(CRON_ITEM(CRON_MONTH, CRON_STEP)), "1-12 or JAN-DEC and , - * /"},
    {"day-of-week",
     "\\?|L|[1-7]L|" CRON_WEEKDAY "#[1-5]|" CRON_LIST(CRON_ITEM(CRON_WEEKDAY, "")),
     "1-7 or SUN-SAT and , - * ? L # (6L: the last Friday; 3#2: the second Tuesday)"},
    {"year", CRON_LIST(CRON_ITEM(CRON_YEAR, CRON_STEP)), "1970-2199 and , - * /"},
};

enum { CRON_DOM = 2, CRON_DOW = 4 };

// The fields, split at runs of blanks; returns how many (at most max are kept).
static int cron_split(Str cron, Str *fields, int max) {
  int n = 0;
  for (ptrdiff_t i = 0; i < cron.len;) {
    while (i < cron.len && (cron.ptr[i] == ' ' || cron.ptr[i] == '\t'))
      i++;
    ptrdiff_t start = i;
    while (i < cron.len && cron.ptr[i] != ' ' && cron.ptr[i] != '\t')
      i++;
    if (i == start)
      break;
    if (n < max)
      fields[n] = (Str){cron.ptr + start, i - start};
    n++;
  }
  return n;
}

static const char *const cron_example = "\"0 22 ? * MON-FRI *\" (22:00 on weekdays) or "
                                        "\"0 6 1 * ? *\" (06:00 on the first of the month)";

static void cron(Compilation *c, const Service *s, const Schedule *h) {
  Span at = span_or(h->at.cron, h->span);
  if (memchr(h->cron.ptr, '(', (size_t)h->cron.len)) {
    Diag *d = diag_at(c, E0953, at, "cron \"%.*s\" of schedule \"%.*s\" is an expression, not "
                      "its six fields", S(h->cron), S(h->name));
    diag_help(c, d, "write the fields alone (ecsc adds cron( )), such as %s", cron_example);
    return;
  }
  Str f[6];
  int n = cron_split(h->cron, f, 6);
  if (n != 6) {
    Diag *d = diag_at(c, E0953, at, "cron \"%.*s\" of schedule \"%.*s\" has %d field%s, not the "
                      "6 AWS reads: minutes hours day-of-month month day-of-week year",
                      S(h->cron), S(h->name), n, n == 1 ? "" : "s");
    if (n == 5)
      diag_help(c, d, "Unix cron has no year: add one (*), and use ? in day-of-month or "
                      "day-of-week: %s", cron_example);
    else
      diag_help(c, d, "for example %s", cron_example);
    return;
  }
  for (int i = 0; i < 6; i++) {
    if (regex_match(c, cron_fields[i].form, f[i]))
      continue;
    Diag *d = diag_at(c, E0953, at, "cron \"%.*s\" of schedule \"%.*s\": %s field \"%.*s\" is "
                      "not one AWS accepts", S(h->cron), S(h->name), cron_fields[i].name,
                      S(f[i]));
    diag_help(c, d, "the %s field takes %s", cron_fields[i].name, cron_fields[i].takes);
    return;
  }
  bool dom_any = str_eq_c(f[CRON_DOM], "?"), dow_any = str_eq_c(f[CRON_DOW], "?");
  if (dom_any != dow_any)
    return;
  Diag *d = diag_at(c, E0953, at, "cron \"%.*s\" of schedule \"%.*s\" %s day-of-month and "
                    "day-of-week", S(h->cron), S(h->name),
                    dom_any ? "leaves ? in both" : "gives both");
  diag_help(c, d, "AWS takes one of them and ? in the other: %s", cron_example);
}

// A schedule's timezone: "Valid values are the canonical names of the IANA
// time zones supported by Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)"
// (Application Auto Scaling API Reference, PutScheduledAction, Timezone),
// which std/aws/timezones lists with the aliases Joda-Time also reads. The
// provider does not check it (aws_appautoscaling_scheduled_action's
// timezone is a plain string), so a wrong one fails the apply at the
// scheduled action, after the service and its scalable target are made.
// An alias is not among the valid values AWS gives: whether AWS refuses it
// is not documented, hence a warning (W1200) with the canonical name.
static const Timezone *timezone_alias(const Model *m, Str name) {
  for (int i = 0; i < m->ntimezones; i++)
    for (int j = 0; j < m->timezones[i]->naliases; j++)
      if (str_eq(m->timezones[i]->aliases[j], name))
        return m->timezones[i];
  return NULL;
}

static void schedule_timezone(Compilation *c, const Model *m, const Schedule *h) {
  Str tz = h->timezone;
  for (int i = 0; i < m->ntimezones; i++)
    if (str_eq(m->timezones[i]->name, tz))
      return;
  Span at = span_or(h->at.timezone, h->span);
  const Timezone *z = timezone_alias(m, tz);
  if (z) {
    Diag *d = diag_at(c, W1200, at, "timezone \"%.*s\" of schedule \"%.*s\" is an alias of "
                      "\"%.*s\": AWS takes the canonical names", S(tz), S(h->name), S(z->name));
    diag_help(c, d, "write timezone = \"%.*s\"", S(z->name));
    return;
  }
  Diag *d = diag_at(c, E1202, at, "unknown timezone \"%.*s\" of schedule \"%.*s\"", S(tz),
                    S(h->name));
  // The closest name, canonical or alias; an alias's zone is the one to write.
  struct {
    Str *items;
    ptrdiff_t len, cap;
  } names = {0};
  for (int i = 0; i < m->ntimezones; i++) {
    *list_push(&c->arena, &names) = m->timezones[i]->name;
    for (int j = 0; j < m->timezones[i]->naliases; j++)
      *list_push(&c->arena, &names) = m->timezones[i]->aliases[j];
  }
  Str best = diag_closest(tz, names.items, names.len);
  const Timezone *of = best.len ? timezone_alias(m, best) : NULL;
  if (of)
    diag_help(c, d, "did you mean \"%.*s\"? (\"%.*s\" is an alias of it)", S(of->name),
              S(best));
  else if (best.len)
    diag_help(c, d, "did you mean \"%.*s\"?", S(best));
  else
    diag_help(c, d, "write a canonical name of the IANA time zone database as Joda-Time has "
                    "it, such as Europe/Paris or Etc/GMT+9 (std/aws/timezones lists them)");
}

void check_scaling(Compilation *c, const Model *m, const Service *s) {
  if (!s->scaling)
    return;
  bounds(c, s);
  one_sided(c, s);
  first_count(c, s);
  policies(c, s);
  inert_schedules(c, s);
  for (int i = 0; i < s->scaling->nschedules; i++) {
    const Schedule *h = &s->scaling->schedules[i];
    if (h->cron.len)
      cron(c, s, h);
    if (h->timezone.len)
      schedule_timezone(c, m, h);
  }
}
