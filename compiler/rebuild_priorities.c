// rebuild_priorities.c: a listener rule priority that moves from one service's
// state to another's in one build (E1233), and a renamed route's new rule
// before its old one (W1230), judged against the previous build's states in
// DIR of the service states this build changes, adds or removes. output.c
// hands those over (OutOptions.changing_states) once it has compared every
// state, before anything is written. Writes nothing.
//
// Those states are the only ones that matter: a priority moves between two
// states that both change. The one that takes it has a new main.tf.json
// (the priority is written there: a state whose previous one had it is
// left as it is and takes nothing), and so has the one that gives it up,
// or it is removed: a service that keeps a rule of the priority keeps it
// (two of one priority are E0540's). W1230's two, a new state and a
// removed one, change too. So a rebuild after one service changed reads
// that service's previous states, where reading every one parsed the
// 10,000 states of a platform of 10 environments of 1000 services on every
// build and build --check. A removed state is one DIR's manifest lists and
// the tree no longer has (output.c): a directory ecsc did not write is the
// user's, which no build removes.
#include "rebuild.h"

#include <stdlib.h>
#include <string.h>

// E1233: a listener rule priority that moves from one service's state to
// another's in one build, E1160's case on the load balancer: a renamed
// routed service (its old state removed, a new one added) that declares the
// old one's priority, or one that takes the priority another gives up. A
// listener takes one rule of a priority: CreateRule fails with
// PriorityInUse, "The specified priority is in use" (ELB API Reference,
// CreateRule, Errors; SetRulePriorities: "as long as there are no priority
// conflicts"), and the old rule goes only when its state is applied or, a
// removed service's, destroyed: after the new one's in build --changed=json
// (emit_changes.c: a removed service state after the states its
// environment adds; two kept services' states in either order). An apply
// that fails there has made the new service's target group, roles and log
// group, and no rule. Priorities derive.c assigns collide too (a hash of
// the name in a band): they are judged the same way.
typedef struct {
  PreviousService state;
  int priority;
  Str conditions;  // conditions_key: what it matches
} OldRule;

// What a rule matches, in one string that does not depend on the order of
// its values: "F=V" for each value of each condition, sorted, joined by
// newlines (emit_tf_service.c, conditions_of: path_pattern and host_header, "/*"
// for a route with neither).
static Str conditions_key(Arena *a, Str *items, int n) {
  qsort(items, (size_t)n, sizeof *items, str_cmp_qsort);
  Str key = {0};
  for (int i = 0; i < n; i++)
    key = str_fmt(a, "%.*s%s%.*s", S(key), i ? "\n" : "", S(items[i]));
  return key;
}

static Str previous_matches(Arena *a, json_t *rule) {
  int n = 0;
  size_t i, j;
  json_t *cond, *v;
  json_array_foreach(previous_member(rule, "condition"), i, cond)
    for (int f = 0; f < 2; f++)
      n += (int)json_array_size(previous_at(cond, f ? "host_header" : "path_pattern", "values",
                                            NULL));
  Str *items = new(a, Str, n + 1);
  n = 0;
  json_array_foreach(previous_member(rule, "condition"), i, cond)
    for (int f = 0; f < 2; f++)
      json_array_foreach(previous_at(cond, f ? "host_header" : "path_pattern", "values", NULL),
                         j, v)
        items[n++] = str_fmt(a, "%s=%.*s", f ? "host" : "path", S(previous_text(v)));
  return conditions_key(a, items, n);
}

static Str route_matches(Arena *a, const Route *r) {
  Str *items = new(a, Str, r->npaths + r->nhosts + 1);
  int n = 0;
  for (int i = 0; i < r->npaths; i++)
    items[n++] = str_fmt(a, "path=%.*s", S(r->paths[i]));
  for (int i = 0; i < r->nhosts; i++)
    items[n++] = str_fmt(a, "host=%.*s", S(r->hosts[i]));
  if (!n)
    items[n++] = STR("path=/*");
  return conditions_key(a, items, n);
}

// The priorities of the listener rules of a previous service state.
static int previous_rules(Arena *a, json_t *state, PreviousService of, OldRule **rules, int *n,
                          int *cap) {
  const char *key;
  json_t *rule;
  int found = 0;
  json_object_foreach(previous_at(state, "resource", "aws_lb_listener_rule", NULL), key, rule) {
    json_t *p = previous_member(rule, "priority");
    if (!json_is_integer(p))
      continue;
    if (*n == *cap) {
      *cap = *cap ? 2 * *cap : 8;
      OldRule *more = new(a, OldRule, *cap);
      if (*n)
        memcpy(more, *rules, sizeof **rules * (size_t)*n);
      *rules = more;
    }
    (*rules)[(*n)++] = (OldRule){of, (int)json_integer_value(p), previous_matches(a, rule)};
    found++;
  }
  return found;
}

// Whether service s's previous state held priority p.
static bool held(const OldRule *rules, int n, Str service, int p) {
  for (int i = 0; i < n; i++)
    if (str_eq(rules[i].state.name, service) && rules[i].priority == p)
      return true;
  return false;
}

static Span route_priority_span(const Service *s) {
  return span_or(s->route->at.priority, span_or(s->route->at.block, s->span));
}

static void report_priority(Compilation *c, const Environment *e, const Service *to,
                            const OldRule *from) {
  int p = to->route->priority;
  Str was = from->state.name;
  Diag *d = diag_at(c, E1233, route_priority_span(to), "listener rule priority %d of service "
                    "\"%.*s\" in environment \"%.*s\" was service \"%.*s\"'s in the previous "
                    "build: the listener takes no second rule of a priority, and this build's "
                    "state of \"%.*s\" %s applied before the old rule goes", p, S(to->name),
                    S(e->name), S(was), S(to->name), from->state.svc ? "may be" : "is");
  if (from->state.svc)
    diag_note(c, d, from->state.svc->route ? route_priority_span(from->state.svc)
                                            : from->state.svc->span,
              "service \"%.*s\" holds priority %d until its state is applied", S(was), p);
  else
    diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, holds priority %d "
              "until its state (%.*s/services/%.*s in the previous build) is destroyed", S(was),
              p, S(e->name), S(was));
  diag_help(c, d, "in two builds: give \"%.*s\" a priority after %d that no rule has in this one "
            "(the old and the new rule are on the listener together, the lower number "
            "evaluated first), build and apply; then give it %d in the next", S(to->name), p,
            p);
}

// W1230: a renamed routed service whose new rule comes before the old one
// (a lower priority number, the same conditions). build --changed=json
// applies the new state before it destroys the old one (emit_changes.c),
// and the listener evaluates rules "in priority order, from the lowest
// value to the highest value" (ELB API Reference, CreateRule): from the new
// rule's creation, which the new ECS service waits for (emit_tf_service.c,
// service_depends_on), every request the two match goes to the new, empty
// target group, and an Application Load Balancer answers 503 for a target
// group without registered targets (ELB User Guide, "Troubleshoot your
// Application Load Balancers") until a new task has passed the health
// check. A new rule after the old one takes nothing until the old one goes,
// once the new service is stable. Priorities derive.c assigns depend on the
// name, so a rename lands either way.
static bool any_rule(const OldRule *rules, int n, Str service) {
  for (int i = 0; i < n; i++)
    if (str_eq(rules[i].state.name, service))
      return true;
  return false;
}

static void report_before(Compilation *c, const Environment *e, const Service *to,
                          const OldRule *from) {
  const Route *r = to->route;
  Str was = from->state.name;
  Diag *d = diag_at(c, W1230, route_priority_span(to), "the new rule of service \"%.*s\" in "
                    "environment \"%.*s\" (priority %d) comes before removed service \"%.*s\"'s "
                    "(priority %d), which matches the same requests: from its creation until a "
                    "task of \"%.*s\" is healthy, the route answers 503", S(to->name),
                    S(e->name), r->priority, S(was), from->priority, S(to->name));
  diag_note(c, d, (Span){0}, "build --changed=json applies %.*s/services/%.*s before it destroys "
            "%.*s/services/%.*s", S(e->name), S(to->name), S(e->name), S(was));
  diag_help(c, d, "declare a priority after %d in the route of \"%.*s\" for this build: the old "
            "rule then serves until the new service is stable, and goes with its state",
            from->priority, S(to->name));
}

// One environment's check: the rules of its changing states' previous
// states, as previous_read_changing hands them over (main.c,
// states_changing), judged once all are read.
typedef struct {
  Arena *a;
  const ChangingStates *cs;
  bool routed;  // a routed service's state changes: one that may take a priority
  OldRule *rules;
  int nrules, cap;
} Priorities;

// Every changing state, if one may take a priority: its rules are the ones
// it may take, or give up. All are read in previous_read_changing's first
// pass, in order, so the rules keep the states' order.
static bool priorities_want(void *ctx, int k) {
  (void)k;
  return ((Priorities *)ctx)->routed;
}

static void priorities_take(void *ctx, int k, json_t *state) {
  Priorities *p = ctx;
  if (p->routed)
    previous_rules(p->a, state, p->cs->states[k], &p->rules, &p->nrules, &p->cap);
}

static void priorities_judge(Compilation *c, void *ctx) {
  Priorities *p = ctx;
  const Environment *e = p->cs->e;
  if (!p->routed)
    return;
  const OldRule *rules = p->rules;
  int nrules = p->nrules;
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (!s->route || p->cs->state_of[i] < 0)
      continue;  // a state left as it is holds its priority already
    int pr = s->route->priority;
    if (held(rules, nrules, s->name, pr))
      continue;
    bool moved = false;
    for (int k = 0; k < nrules && !moved; k++) {
      const Service *other = rules[k].state.svc;
      bool kept = other && other->route && other->route->priority == pr;  // E0540's
      moved = rules[k].priority == pr && !str_eq(rules[k].state.name, s->name) && !kept;
      if (moved)
        report_priority(c, e, s, &rules[k]);
    }
    if (moved || any_rule(rules, nrules, s->name))
      continue;  // not a new rule: its own state had one
    Str matches = route_matches(p->a, s->route);
    for (int k = 0; k < nrules; k++)
      if (!rules[k].state.svc && rules[k].priority > pr && str_eq(rules[k].conditions, matches)) {
        report_before(c, e, s, &rules[k]);
        break;
      }
  }
}

ChangingCheck rebuild_priorities_states(Arena *a, const ChangingStates *cs) {
  Priorities *p = new(a, Priorities, 1);
  *p = (Priorities){.a = a, .cs = cs};
  const Environment *e = cs->e;
  for (int i = 0; i < e->nservices && e->alb && !p->routed; i++)
    p->routed = cs->state_of[i] >= 0 && e->services[i]->route;
  return (ChangingCheck){p, priorities_want, priorities_take, priorities_judge};
}
