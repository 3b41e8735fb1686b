// check_routes.c: the load balancer's listener rules of one environment.
// derive.c gives each undeclared route its priority from the route alone,
// most specific pattern first; here two routes meeting on one priority are
// an error, and so is a route another one shadows completely (naming both).
// Reports E0540-E0543 (E0542: a rule's values), E1122 and W1122 for a
// rule's wildcards; E1216,
// W1145 and W1146 for what the routes of an environment add up to on its one
// load balancer.
#include "model.h"

#include <stdlib.h>
#include <string.h>

// ALB patterns: * is any run of characters, ? one character (ELB User Guide,
// "Path conditions"), case-sensitive. Matching one pattern against another's
// text (its own wildcards read as literal characters) tells whether the
// first covers every request the second does, for the patterns routes use.

// Every value of `narrow` is matched by some value of `broad`; no values at
// all matches everything.
static bool covers_all(Str *broad, int nbroad, Str *narrow, int nnarrow) {
  if (nbroad == 0)
    return true;
  if (nnarrow == 0)
    return false;
  for (int i = 0; i < nnarrow; i++) {
    bool hit = false;
    for (int j = 0; j < nbroad && !hit; j++)
      hit = str_glob(broad[j], narrow[i], false);
    if (!hit)
      return false;
  }
  return true;
}

static bool shadows(const Route *first, const Route *later) {
  return covers_all(first->hosts, first->nhosts, later->hosts, later->nhosts) &&
         covers_all(first->paths, first->npaths, later->paths, later->npaths);
}

// The literal start of a pattern, before its first wildcard: a pattern can
// match a text only if the text starts with it.
static Str literal_prefix(Str p) {
  ptrdiff_t i = 0;
  while (i < p.len && p.ptr[i] != '*' && p.ptr[i] != '?')
    i++;
  return (Str){p.ptr, i};
}

static int by_priority(const void *a, const void *b) {
  const Service *x = *(Service *const *)a, *y = *(Service *const *)b;
  if (x->route->priority != y->route->priority)
    return x->route->priority < y->route->priority ? -1 : 1;
  return str_cmp(x->name, y->name);
}

static bool service_before(const Service *a, const Service *b) {
  if (a->span.src != b->span.src)
    return a->span.src->index < b->span.src->index;
  return a->span.start < b->span.start;
}

static bool taken(Service **routed, int n, int priority) {
  for (int i = 0; i < n; i++)
    if (routed[i]->route->priority == priority)
      return true;
  return false;
}

// The free number nearest p in p's band of automatic priorities, for the
// help line: declared there, the route keeps its place among the others.
static int free_near(Service **routed, int n, int p) {
  int first, last;
  if (derive_priority_band(p, &first, &last) < 0)
    return 0;
  for (int d = 1; d <= last - first; d++) {
    if (p + d <= last && !taken(routed, n, p + d))
      return p + d;
    if (p - d >= first && !taken(routed, n, p - d))
      return p - d;
  }
  return 0;
}

static Span priority_span(const Service *s) {
  return span_or(s->route->at.priority, span_or(s->route->at.block, s->span));
}

// Each listener rule needs its own priority (ELB API Reference, CreateRule:
// PriorityInUse). derive.c assigns the undeclared ones from each route
// alone, so two may meet: then the later service in the source is told
// which number to declare, and nothing moves by itself.
static void clashes(Compilation *c, Service **routed, int n) {
  qsort(routed, (size_t)n, sizeof *routed, by_priority);
  for (int i = 1; i < n; i++) {
    if (routed[i]->route->priority != routed[i - 1]->route->priority)
      continue;
    Service *first = routed[i - 1], *later = routed[i];  // the error on the later one
    if (service_before(later, first)) {
      first = routed[i];
      later = routed[i - 1];
    }
    int p = later->route->priority;
    Route *fr = first->route, *lr = later->route;
    Diag *d = diag_at(c, E0540, priority_span(later),
                      "services \"%.*s\" and \"%.*s\" both have listener rule priority %d%s",
                      S(first->name), S(later->name), p,
                      fr->priority_declared && lr->priority_declared ? ""
                      : fr->priority_declared || lr->priority_declared ? " (one of them assigned by ecsc)"
                                                                       : " (both assigned by ecsc)");
    diag_note(c, d, priority_span(first), "\"%.*s\" %s", S(first->name),
              fr->priority_declared ? "sets it here" : "is assigned it from its route and name");
    int free = lr->priority_declared ? 0 : free_near(routed, n, p);
    if (free)
      diag_help(c, d, "declare priority = %d in the route of \"%.*s\": a free number among those "
                "of routes as specific as its own", free, S(later->name));
    else if (fr->priority_declared && lr->priority_declared)
      diag_help(c, d, "give one of them another priority, or leave priority out to have ecsc "
                      "assign it");
    else
      diag_help(c, d, "give \"%.*s\" another priority", S(later->name));
  }
}

// Routes by the literal prefix of one of their patterns (paths, or hosts for
// routes without paths). A route can only be shadowed by a route one of whose
// patterns' literal prefix starts its own first pattern, so looking up each
// prefix of that pattern finds every candidate: linear in the routes, where
// comparing every pair would be quadratic in a platform of thousands.
typedef struct Filed Filed;
struct Filed {
  int route;     // index in `routed`
  Filed *next;   // other routes under the same prefix
};

static void index_add(Arena *a, Map **x, Str key, int route) {
  void **slot = map_slot(x, key, a);
  Filed *f = new(a, Filed, 1);
  *f = (Filed){route, *slot};
  *slot = f;
}

static void report_shadow(Compilation *c, const Environment *e, const Service *first,
                          const Service *later) {
  Diag *d = diag_at(c, E0541, later->span,
                    "the route of service \"%.*s\" is shadowed by that of \"%.*s\" in environment "
                    "\"%.*s\"",
                    S(later->name), S(first->name), S(e->name));
  diag_note(c, d, first->span, "\"%.*s\" (priority %d) matches every request first",
            S(first->name), first->route->priority);
  diag_help(c, d, "give \"%.*s\" distinct paths or hosts, or a lower priority than %d",
            S(later->name), first->route->priority);
}

// The first route evaluated before routed[j] (routed is sorted by priority)
// that covers every request routed[j] matches, among the index's routes
// filed under a prefix of `first`, one of routed[j]'s patterns; -1 if none.
static int shadower(Map *x, Service **routed, int j, Str first) {
  Route *r = routed[j]->route;
  int best = -1;
  for (ptrdiff_t len = 0; len <= first.len; len++)
    for (Filed *f = map_get(x, (Str){first.ptr, len}); f; f = f->next) {
      int a = f->route;
      if (a < j && (best < 0 || a < best) && shadows(routed[a]->route, r))
        best = a;
    }
  return best;
}

static void shadowed(Compilation *c, const Environment *e, Service **routed, int n) {
  Arena *a = &c->arena;
  Map *paths = NULL, *hosts = NULL;
  int *everything = new(a, int, n ? n : 1), neverything = 0;
  for (int i = 0; i < n; i++) {
    Route *r = routed[i]->route;
    for (int k = 0; k < r->npaths; k++)
      index_add(a, &paths, literal_prefix(r->paths[k]), i);
    if (!r->npaths)  // hosts only: it covers any path, so index it by host
      for (int k = 0; k < r->nhosts; k++)
        index_add(a, &hosts, literal_prefix(r->hosts[k]), i);
    if (!r->npaths && !r->nhosts)
      everything[neverything++] = i;
  }
  for (int j = 0; j < n; j++) {
    Route *r = routed[j]->route;
    int by = neverything && everything[0] < j ? everything[0] : -1;  // a rule with no condition
    if (by < 0 && r->npaths)  // a rule with paths covering r's
      by = shadower(paths, routed, j, r->paths[0]);
    if (by < 0 && r->nhosts)  // a rule with hosts only, covering r's hosts
      by = shadower(hosts, routed, j, r->hosts[0]);
    if (by >= 0)
      report_shadow(c, e, routed[by], routed[j]);
  }
}

// Wildcards of a listener rule: AWS's pages disagree on their number.
// Application Load Balancers User Guide, "Condition types for listener
// rules"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html):
// "You can include wildcard characters in the match evaluations for the
// http-header, host-header, path-pattern, and query-string conditions. There
// is a limit of five wildcard characters per rule"; "Quotas for your
// Application Load Balancers"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html):
// "Condition Wildcards per Rule | 6 | No" (5 in its earlier editions). Both
// refuse more than six: an error; six, which one page allows, a warning.
// A route without paths or hosts is ecsc's "/*", one wildcard.
enum { RULE_WILDCARDS_GUIDE = 5, RULE_WILDCARDS_QUOTA = 6 };

static int wildcards(const Str *values, int n) {
  int k = 0;
  for (int i = 0; i < n; i++)
    for (ptrdiff_t j = 0; j < values[i].len; j++)
      k += values[i].ptr[j] == '*' || values[i].ptr[j] == '?';
  return k;
}

static void route_wildcards(Compilation *c, const Service *s) {
  Route *r = s->route;
  int n = wildcards(r->paths, r->npaths) + wildcards(r->hosts, r->nhosts);
  if (n <= RULE_WILDCARDS_GUIDE)
    return;
  bool over = n > RULE_WILDCARDS_QUOTA;
  Diag *d = diag_at(c, over ? E1122 : W1122, span_or(r->at.paths, span_or(r->at.block, s->span)),
                    "the route of service \"%.*s\" has %d wildcards (* and ?) in its paths and "
                    "hosts, %s", S(s->name), n,
                    over ? "more than a listener rule takes (6)"
                         : "one more than AWS's condition types page allows (5)");
  diag_help(c, d, "split the route's patterns between services, or write them with fewer "
                  "wildcards (\"/api/*\" covers \"/api/v1/*\" and \"/api/v2/*\")");
}

// Values per rule: a route is one listener rule, its paths one
// path-pattern condition and its hosts one host-header condition
// (emit_tf_service.c, conditions_of), and ELB counts their values together.
// "Quotas for your Application Load Balancers"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html):
// "Condition Values per Rule | 5 | No". That is the number ELB enforces:
// its account limits name condition-values-per-alb-rule and nothing per
// condition (ELB API Reference, Limit), and CreateRule refuses a sixth
// value with "A rule can only have '5' condition values" (ELB's message,
// quoted in aws/aws-cdk#10065 and aws-cloudformation/cfn-lint#3833, both
// for six path patterns in one condition). "Condition types for listener
// rules" also says "You can specify up to three match evaluations per
// condition"; ELB does not refuse four or five: AWS's own tools write them
// (aws/copilot-cli, internal/pkg/manifest/validate.go, groups a route's
// aliases four to one host-header condition beside its "/*"; aws-cdk's
// ListenerCondition.pathPatterns takes five, and cfn-lint gives
// PathPatternConfig Values maxItems 5), so ecsc checks the rule only
// (W1147, which warned past three per condition, is retired: diag.c).
enum { RULE_CONDITION_VALUES = 5 };

static void rule_values(Compilation *c, const Service *s) {
  Route *r = s->route;
  int n = r->npaths + r->nhosts;
  if (n <= RULE_CONDITION_VALUES)
    return;
  Diag *d = diag_at(c, E0542, span_or(r->at.paths, span_or(r->at.block, s->span)),
                    "the route of service \"%.*s\" has %d condition values (%d path%s and %d "
                    "host%s), more than the %d ELB takes in one listener rule", S(s->name), n,
                    r->npaths, r->npaths == 1 ? "" : "s", r->nhosts, r->nhosts == 1 ? "" : "s",
                    RULE_CONDITION_VALUES);
  diag_help(c, d, "split the paths and hosts between services, a route each, or cover them with "
                  "fewer patterns (\"/api/*\" covers \"/api/v1/*\" and \"/api/v2/*\", "
                  "\"*.example.com\" covers \"a.example.com\")");
}

static void route_conditions(Compilation *c, const Service *s) {
  Route *r = s->route;
  route_wildcards(c, s);
  rule_values(c, s);
  // The routed container (resolve.c): the one named, the service's own,
  // or the one with a port. ECS API Reference, LoadBalancer (botocore
  // 1.43.11's ECS model): containerPort, "This port must correspond to a
  // containerPort in the task definition the tasks in the service are
  // using"; so the routed container needs a port. A route is a listener
  // rule on the environment's load balancer (emit_tf_service.c), which
  // without an alb block does not exist: that half is ecsc's own rule.
  bool own = !r->container || r->container->main;
  if (!s->env->alb || !r->port) {
    // The environment named: a route of a shared block has one per
    // environment, and diag.c says an equal message once.
    Str why = !s->env->alb ? str_fmt(&c->arena, "environment \"%.*s\" has no load balancer",
                                     S(s->env->name))
                           : STR("no port");
    Diag *d = !s->env->alb || own
                  ? diag_at(c, E0543, span_or(r->at.block, s->span),
                            "service \"%.*s\" has a route but %.*s", S(s->name), S(why))
                  : diag_at(c, E0543, span_or(r->at.container, r->at.block),
                            "the route of service \"%.*s\" goes to container \"%.*s\", which has "
                            "no port", S(s->name), S(r->container->name));
    if (!s->env->alb)
      diag_note(c, d, s->env->span, "environment \"%.*s\" is declared here", S(s->env->name));
    else if (r->container && r->container->nports)
      diag_help(c, d, "a route goes to the container's port, never to one of its ports: move "
                      "the routed one to port = ...");
    else
      diag_help(c, d, "add port = ... : the port the container listens on");
  }
}

// What an environment's routes add up to on its load balancer, against
// the quotas of the Application Load Balancers User Guide, "Quotas for your
// Application Load Balancers"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html):
//
//   "Rules per Application Load Balancer (excluding default rules) | 100 |
//   Yes" (adjustable): each route is a rule on each listener (emit_tf_service.c,
//   listener_rules: HTTP, and HTTPS with a certificate; the listeners'
//   redirect and 404 are their default actions, which the quota leaves
//   out): W1145 (CreateRule: TooManyRules, "the limit on the number of
//   rules per load balancer", ELB API model: botocore data/elbv2/
//   2015-12-01/service-2.json);
//   "Target Groups per Application Load Balancer | 100 | No": each route's
//   group, and the alternate group of a traffic-shifting one, both in its
//   rule's action (emit_tf_service.c, rule_action), counted once however many
//   rules forward to them (CreateRule: TooManyUniqueTargetGroupsPerLoad
//   Balancer, "If a target group is used by multiple actions for a load
//   balancer, it is counted as only one use"): E1216;
//   "Targets per Application Load Balancer | 1,000 | Yes": each task is
//   registered in its service's group; counted at the services' counts or
//   scalings' highest maxes (model_task_peak), with a deployment's new
//   tasks beside the old (model_surge_percent: max_percent, or the whole
//   new revision where traffic shifts), so the sum is what the load
//   balancer may hold while every service deploys (RegisterTargets:
//   TooManyTargets): W1146.
//
// The other quotas do not bind what ecsc writes: a rule's condition values
// and wildcards are each route's (E0542, E1122), an action forwards to one
// group or two ("Target Groups per Action", 5), and an environment has one
// load balancer with at most two listeners ("Listeners per Application
// Load Balancer", 50) and one certificate (25).
enum { ALB_RULES_QUOTA = 100, ALB_TARGET_GROUPS_MAX = 100, ALB_TARGETS_QUOTA = 1000 };

static void rules_quota(Compilation *c, const Environment *e, int routes) {
  int listeners = e->alb->certificate_arn.len ? 2 : 1;
  if (routes * listeners <= ALB_RULES_QUOTA)
    return;
  Diag *d = diag_at(c, W1145, e->alb->span, "the load balancer of environment \"%.*s\" would "
                    "have %d listener rules (%d routes on %d listener%s), more than the quota "
                    "\"Rules per Application Load Balancer\" of %d by default", S(e->name),
                    routes * listeners, routes, listeners, listeners > 1 ? "s" : "",
                    ALB_RULES_QUOTA);
  if (listeners > 1)
    diag_note(c, d, e->alb->at.certificate_arn, "with a certificate each route has a rule on "
              "HTTPS and one on HTTP");
  diag_help(c, d, "the quota is adjustable: before applying, request an increase of \"Rules per "
                  "Application Load Balancer\" in the Service Quotas console (Elastic Load "
                  "Balancing), or move routes to another environment");
}

static void alb_target_groups(Compilation *c, const Environment *e, Service **routed, int n) {
  int shifting = 0;
  for (int i = 0; i < n; i++)
    shifting += routed[i]->route->alternate_group.len > 0;
  if (n + shifting <= ALB_TARGET_GROUPS_MAX)
    return;
  Diag *d = diag_at(c, E1216, e->alb->span, "the load balancer of environment \"%.*s\" would "
                    "have %d target groups (%d routes, %d of them with a second group to shift "
                    "traffic), more than the %d an Application Load Balancer takes", S(e->name),
                    n + shifting, n, shifting, ALB_TARGET_GROUPS_MAX);
  diag_help(c, d, "the quota is not adjustable: move routes to another environment (each has a "
                  "load balancer of its own)%s", shifting ? ", or deploy some of the services "
                  "rolling (one group each)" : "");
}

static void alb_targets(Compilation *c, const Environment *e, Service **routed, int n) {
  // A deployment registers its new tasks beside the old ones, up to
  // max_percent of the count, or all of them where traffic shifts
  // (model_surge_percent, as check_capacity.c's surge): those are targets
  // of the load balancer too.
  int64_t targets = 0;
  bool rolling = false, shifting = false;
  for (int i = 0; i < n; i++) {
    targets += (int64_t)model_task_peak(routed[i]).n * model_surge_percent(routed[i]) / 100;
    rolling = rolling || !model_shifts_traffic(routed[i]);
    shifting = shifting || model_shifts_traffic(routed[i]);
  }
  if (targets <= ALB_TARGETS_QUOTA)
    return;
  Diag *d = diag_at(c, W1146, e->alb->span, "the load balancer of environment \"%.*s\" may "
                    "have %lld targets (the tasks of its %d routed service%s at %s counts or "
                    "scaling maxes, with a deployment's new tasks beside the old%s), more than "
                    "the quota \"Targets per Application Load Balancer\" of %d by default",
                    S(e->name), (long long)targets, n, n > 1 ? "s" : "", n > 1 ? "their" : "its",
                    !shifting ? ", up to max_percent"
                    : rolling ? ", up to max_percent, or a whole new revision where traffic shifts"
                              : ": a whole new revision where traffic shifts",
                    ALB_TARGETS_QUOTA);
  // max_percent bounds a rolling deployment only: one that shifts traffic
  // runs the whole new revision whatever it is (model_surge_percent).
  diag_help(c, d, "the quota is adjustable: before applying, request an increase in the Service "
                  "Quotas console (Elastic Load Balancing), or lower the counts or scaling "
                  "maxes%s", rolling ? ", or the rolling services' deployment max_percent" : "");
}

void check_routes(Compilation *c, const Environment *e) {
  Service **routed = new(&c->arena, Service *, e->nservices ? e->nservices : 1);
  int n = 0;
  for (int i = 0; i < e->nservices; i++) {
    if (!e->services[i]->route)
      continue;
    route_conditions(c, e->services[i]);
    routed[n++] = e->services[i];
  }
  clashes(c, routed, n);
  shadowed(c, e, routed, n);
  if (e->alb) {  // E0543 otherwise
    rules_quota(c, e, n);
    alb_target_groups(c, e, routed, n);
    alb_targets(c, e, routed, n);
  }
}
