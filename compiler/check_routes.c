// check_routes.c: the load balancer's listener rules of one environment.
// derive.c gives each undeclared route its priority from the route alone,
// most specific pattern first; here two routes meeting on one priority are
// an error, and so is a route another one shadows completely (naming both).
// Reports E0540-E0543, and E1122 and W1122 for a rule's wildcards.
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

static void route_conditions(Compilation *c, const Service *s) {
  Route *r = s->route;
  route_wildcards(c, s);
  // ELB User Guide (Application Load Balancers), "Quotas for your
  // Application Load Balancers", rules: "Condition Values per Rule | 5 | No"
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
  if (r->npaths + r->nhosts > 5)
    diag_at(c, E0542, span_or(r->at.paths, s->span),
            "the route of service \"%.*s\" has %d condition values, at most 5", S(s->name),
            r->npaths + r->nhosts);
  // The routed container (resolve.c): the one named, the service's own,
  // or the one with a port.
  bool own = !r->container || r->container->main;
  if (!s->env->alb || !r->port) {
    Diag *d = !s->env->alb || own
                  ? diag_at(c, E0543, span_or(r->at.block, s->span),
                            "service \"%.*s\" has a route but %s", S(s->name),
                            !s->env->alb ? "its environment has no load balancer" : "no port")
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
}
