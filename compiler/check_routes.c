// check_routes.c: the load balancer's listener rules of one environment, and
// the host ports of its clusters. Priorities are assigned deterministically,
// most specific pattern first, so that no route is hidden behind a broader
// one; a route another one shadows completely is an error naming both.
// Reports E0540-E0543 and E0550.
#include "model.h"

#include <stdlib.h>
#include <string.h>

// ALB patterns: * is any run of characters, ? one character (ELB User Guide,
// "Path conditions"). Matching one pattern against another's text (its own
// wildcards read as literal characters) tells whether the first covers every
// request the second does, for the patterns routes use.
static bool glob(Str p, Str s) {
  ptrdiff_t i = 0, j = 0, star = -1, mark = 0;
  while (j < s.len) {
    if (i < p.len && (p.ptr[i] == '?' || p.ptr[i] == s.ptr[j])) {
      i++, j++;
    } else if (i < p.len && p.ptr[i] == '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.len && p.ptr[i] == '*')
    i++;
  return i == p.len;
}

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
      hit = glob(broad[j], narrow[i]);
    if (!hit)
      return false;
  }
  return true;
}

static bool shadows(Route *first, Route *later) {
  return covers_all(first->hosts, first->nhosts, later->hosts, later->nhosts) &&
         covers_all(first->paths, first->npaths, later->paths, later->npaths);
}

// How specific a route is: literal characters of its most specific pattern,
// hosts before paths (a host rule narrows more than any path).
static int specificity(Route *r) {
  int best = 0;
  for (int i = 0; i < r->npaths; i++) {
    int literal = 0;
    for (ptrdiff_t k = 0; k < r->paths[i].len; k++)
      literal += r->paths[i].ptr[k] != '*' && r->paths[i].ptr[k] != '?';
    if (literal > best)
      best = literal;
  }
  return best + (r->nhosts ? 100000 : 0);
}

static int by_priority(const void *a, const void *b) {
  const Service *x = *(Service *const *)a, *y = *(Service *const *)b;
  if (x->route->priority != y->route->priority)
    return x->route->priority < y->route->priority ? -1 : 1;
  return str_cmp(x->name, y->name);
}

static int by_specificity(const void *a, const void *b) {
  const Service *x = *(Service *const *)a, *y = *(Service *const *)b;
  int sx = specificity(x->route), sy = specificity(y->route);
  if (sx != sy)
    return sx > sy ? -1 : 1;
  return str_cmp(x->name, y->name);
}

// Declared priorities stay; the others are numbered from 100 in steps of 10,
// most specific first, skipping declared ones, so the order never depends on
// the order of files.
static void assign(Compilation *c, Service **routed, int n) {
  qsort(routed, (size_t)n, sizeof *routed, by_specificity);
  int next = 100;
  for (int i = 0; i < n; i++) {
    Route *r = routed[i]->route;
    if (r->priority_declared)
      continue;
    for (bool taken = true; taken; next += 10) {
      taken = false;
      for (int j = 0; j < n && !taken; j++)
        taken = routed[j]->route->priority_declared && routed[j]->route->priority == next;
      if (!taken)
        r->priority = next;
    }
  }
  qsort(routed, (size_t)n, sizeof *routed, by_priority);
  for (int i = 1; i < n; i++) {
    if (routed[i]->route->priority != routed[i - 1]->route->priority)
      continue;
    Service *first = routed[i - 1], *later = routed[i];  // the error on the later one
    if (later->span.src->index < first->span.src->index ||
        (later->span.src == first->span.src && later->span.start < first->span.start)) {
      first = routed[i];
      later = routed[i - 1];
    }
    Diag *d = diag_at(c, E0540, setting_span(setting_block(later->set, "route"), "priority", later->span),
                      "services \"%.*s\" and \"%.*s\" both have listener rule priority %d",
                      S(first->name), S(later->name), later->route->priority);
    diag_note(c, d, setting_span(setting_block(first->set, "route"), "priority", first->span),
              "\"%.*s\" sets it here", S(first->name));
    diag_help(c, d, "give one of them another priority, or leave priority out to have ecsc "
                    "assign it");
  }
}

static void shadowed(Compilation *c, Environment *e, Service **routed, int n) {
  for (int i = 0; i < n; i++) {
    for (int j = i + 1; j < n; j++) {
      if (!shadows(routed[i]->route, routed[j]->route))
        continue;
      Diag *d = diag_at(c, E0541, routed[j]->span,
                        "the route of service \"%.*s\" is shadowed by that of \"%.*s\" in "
                        "environment \"%.*s\"",
                        S(routed[j]->name), S(routed[i]->name), S(e->name));
      diag_note(c, d, routed[i]->span, "\"%.*s\" (priority %d) matches every request first",
                S(routed[i]->name), routed[i]->route->priority);
      diag_help(c, d, "give \"%.*s\" distinct paths or hosts, or a lower priority than %d",
                S(routed[j]->name), routed[i]->route->priority);
      break;
    }
  }
}

static void conditions(Compilation *c, Service *s) {
  Route *r = s->route;
  Settings *rs = setting_block(s->set, "route");
  // ELB User Guide, "Listener rules": five condition values per rule in all.
  if (r->npaths + r->nhosts > 5)
    diag_at(c, E0542, setting_span(rs, "paths", s->span),
            "the route of service \"%.*s\" has %d condition values, at most 5", S(s->name),
            r->npaths + r->nhosts);
  if (!s->env->alb || !s->port) {
    Diag *d = diag_at(c, E0543, setting_block_span(s->set, "route", s->span),
                      "service \"%.*s\" has a route but %s", S(s->name),
                      !s->env->alb ? "its environment has no load balancer" : "no port");
    if (!s->env->alb)
      diag_note(c, d, s->env->span, "environment \"%.*s\" is declared here", S(s->env->name));
    else
      diag_help(c, d, "add port = ... : the port the container listens on");
  }
}

// Two tasks needing one host port cannot share an instance: two services of
// a cluster with the same static port, or a service with more tasks than the
// cluster can ever have instances.
// The port a service takes on its instances, and the line that makes it so.
static int static_port(Service *s, Span *at) {
  if (s->network == NET_HOST) {
    *at = setting_span(s->set, "network_mode", s->span);
    return s->port;
  }
  *at = setting_span(s->set, "host_port", s->span);
  return s->network == NET_BRIDGE ? s->host_port : 0;
}

static void host_ports(Compilation *c, Cluster *k) {
  for (int i = 0; i < k->nservices; i++) {
    Service *s = k->services[i];
    Span here;
    int port = static_port(s, &here);
    if (!port)
      continue;
    if (s->count > k->max_size) {
      Diag *d = diag_at(c, E0550, here,
                        "service \"%.*s\" runs %d tasks on host port %d, but cluster \"%.*s\" has "
                        "at most %d instances",
                        S(s->name), s->count, port, S(k->name), k->max_size);
      diag_help(c, d, s->network == NET_HOST
                          ? "use bridge networking: dynamic host ports let tasks share an instance"
                          : "leave host_port out: dynamic ports let tasks share an instance");
    }
    for (int j = 0; j < i; j++) {
      Service *t = k->services[j];
      Span there;
      if (static_port(t, &there) != port)
        continue;
      Diag *d = diag_at(c, E0550, here,
                        "services \"%.*s\" and \"%.*s\" both need host port %d on cluster \"%.*s\"",
                        S(t->name), S(s->name), port, S(k->name));
      diag_note(c, d, there, "\"%.*s\" takes it here", S(t->name));
    }
  }
}

void check_routes(Compilation *c, Environment *e) {
  Service **routed = new(&c->arena, Service *, e->nservices ? e->nservices : 1);
  int n = 0;
  for (int i = 0; i < e->nservices; i++) {
    if (!e->services[i]->route)
      continue;
    conditions(c, e->services[i]);
    routed[n++] = e->services[i];
  }
  assign(c, routed, n);
  shadowed(c, e, routed, n);
  for (int i = 0; i < e->nclusters; i++)
    host_ports(c, e->clusters[i]);
}
