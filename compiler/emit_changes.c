// emit_changes.c: the state directories a build changed, added or removed,
// as output.c and journal.c note them, and the document `build
// --changed=json` prints for CI, which plans and applies exactly those:
//
//   {
//     "version": 1,
//     "states": [
//       {"path": "production/vpc", "environment": "production", "kind": "vpc",
//        "change": "changed", "depends_on": []},
//       {"path": "production/services/api", "environment": "production",
//        "kind": "service", "service": "api", "change": "added",
//        "depends_on": ["production/vpc"]}
//     ]
//   }
//
// In apply order: every VPC state first, then the service states, each
// group by path (a removed environment's VPC state last, after the service
// states it waits for, and so a VPC state that removes its load balancer's
// certificate: rebuild_listeners.c), but Service Connect's clients only after the services that
// serve (model_connect_waits), and a service of the namespace that stays
// after the servers the build adds (connect_waits_added), and a removed
// service's state after the others (removed_last). A service state
// depends on its environment's VPC state (it reads the VPC state's outputs
// through terraform_remote_state), which depends on nothing, and a client
// only on the states of those services too, changed or not, as graph.c
// orders them; a removed service's state on the states its environment
// adds. The layout is emit.h's: ENV/vpc and ENV/services/S. A service
// state whose capacity provider strategy changes (W1211) has
// "force_new_deployment": true after "change", for CI to pass the variable.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

// As the journal and the document write them.
const char *emit_changes_name(ChangeKind kind) {
  static const char *const names[] = {"added", "changed", "removed"};
  return names[kind];
}

void emit_changes_note(Changes *ch, Str dir, ChangeKind kind) {
  *list_push(ch->arena, ch) = (StateChange){str_dup(ch->arena, dir), kind};
}

// A service state whose apply needs -var force_new_deployment=true (W1211,
// rebuild_update.c): "force_new_deployment": true on its row, for CI to pass.
// Like the rest of the document, it is what the build changes against DIR.
void emit_changes_force_new(Changes *ch, Str dir) {
  *list_push(ch->arena, &ch->force_new) = str_dup(ch->arena, dir);
}

static bool force_new(const Changes *ch, Str dir) {
  for (ptrdiff_t i = 0; i < ch->force_new.len; i++)
    if (str_eq(ch->force_new.items[i], dir))
      return true;
  return false;
}

typedef enum { ROW_VPC, ROW_SERVICE, ROW_OTHER } RowKind;

// A state directory's kind, its environment and (a service's) its name,
// read from its path.
typedef struct {
  RowKind kind;
  Str env, service;
  ptrdiff_t order;  // when it was noted: the first note of a directory wins
  const StateChange *change;
  const Service *svc;  // the model's, NULL for a service it no longer has
  int nenv, index;     // svc's environment in the model, and its place there
  // Its place among the service states: 0 waits for no other service, 1 a
  // service of the namespace after the servers the build adds, 2 a client
  // only after every server (Service Connect).
  int level;
  bool vpc_gone;  // a service whose environment's VPC state is removed too, or last
  bool vpc_last;  // a VPC state applied after its services (Changes.vpc_after)
} Row;

static Row classify(const StateChange *c, ptrdiff_t order) {
  Row s = {.kind = ROW_OTHER, .order = order, .change = c};
  Str p = c->dir;
  const char *slash = memchr(p.ptr, '/', (size_t)p.len);
  s.env = slash ? (Str){p.ptr, slash - p.ptr} : p;
  Str rest = slash ? (Str){slash + 1, p.len - (slash + 1 - p.ptr)} : (Str){p.ptr + p.len, 0};
  if (str_eq_c(rest, "vpc")) {
    s.kind = ROW_VPC;
  } else if (str_starts_with(rest, STR("services/"))) {
    Str name = {rest.ptr + 9, rest.len - 9};
    if (name.len && !memchr(name.ptr, '/', (size_t)name.len))
      s.kind = ROW_SERVICE, s.service = name;
  }
  return s;
}

static int by_dir_then_note(const void *a, const void *b) {
  const Row *x = a, *y = b;
  int c = str_cmp(x->change->dir, y->change->dir);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

// A row's place: the VPC states first, then the service states, the
// removed ones after the others (removed_last), and a removed VPC state (a
// removed environment) last: it is destroyed after its services' states,
// as ECS deletes no cluster that still has services (ECS API Reference,
// DeleteCluster: ClusterContainsServicesException, "You can't delete a
// cluster that contains services"), and they read its outputs until they
// are gone. So is a VPC state that deletes its HTTPS listener (vpc_last):
// its services move their routes off it first.
//
// removed_last: a renamed service is a removed state and an added one.
// Destroyed first, the old one takes its listener rule and its tasks away
// before the new one has any: the route answers the listener's default
// action until a new task is healthy (findings of review6, A2). Destroyed
// after, it serves until the new state's apply is done, and that apply
// waits for the new service to be stable (emit_tf_service.c, wait_for_steady_state
// and the postcondition on the revision). What the old one holds that the
// new one would take is refused, not ordered: a discovery name (E1160) and
// a listener rule priority (E1233), which a kept service may also give up
// in the same build, in either order.
static int apply_bucket(const Row *r) {
  if (r->kind == ROW_VPC)
    return r->change->kind == CHANGE_REMOVED || r->vpc_last ? 3 : 0;
  if (r->kind == ROW_SERVICE)
    return r->change->kind == CHANGE_REMOVED ? 2 : 1;
  return 4;
}

// Within a bucket by level, then path.
static int by_apply_order(const void *a, const void *b) {
  const Row *x = a, *y = b;
  if (apply_bucket(x) != apply_bucket(y))
    return apply_bucket(x) - apply_bucket(y);
  if (x->level != y->level)
    return x->level - y->level;
  return str_cmp(x->change->dir, y->change->dir);
}

// The service a row names (without a model, NULL, none).
static void changes_service(const Model *m, Row *r) {
  if (!m || r->kind != ROW_SERVICE)
    return;
  for (int i = 0; i < m->nenvs; i++) {
    const Environment *e = m->envs[i];
    if (!str_eq(e->name, r->env))
      continue;
    for (int k = 0; k < e->nservices; k++)
      if (str_eq(e->services[k]->name, r->service))
        r->svc = e->services[k], r->nenv = i, r->index = k;
  }
}

// Whether a VPC row's environment is one rebuild_listeners.c applies after its
// services.
static void changes_vpc_last(const Model *m, const bool *vpc_after, Row *r) {
  if (!m || !vpc_after || r->kind != ROW_VPC)
    return;
  for (int i = 0; i < m->nenvs; i++)
    if (str_eq(m->envs[i]->name, r->env))
      r->vpc_last = vpc_after[i];
}

// The servers whose states this build adds, by environment and service,
// NULL where an environment has none.
typedef struct {
  bool **added;
} NewServers;

static NewServers new_servers(Arena *a, const Model *m, const Row *rows, ptrdiff_t n) {
  NewServers ns = {.added = m ? new(a, bool *, m->nenvs + 1) : NULL};
  for (ptrdiff_t i = 0; i < n; i++) {
    const Row *r = &rows[i];
    if (!r->svc || r->change->kind != CHANGE_ADDED || !model_connect_serves(r->svc))
      continue;
    if (!ns.added[r->nenv])
      ns.added[r->nenv] = new(a, bool, m->envs[r->nenv]->nservices);
    ns.added[r->nenv][r->index] = true;
  }
  return ns;
}

// A service of the namespace whose state stays waits for the servers the
// build adds: their endpoints are new, its task definition's digest of the
// endpoints changes with them (derive.c, connect_endpoints), and only a
// deployment made after they exist reaches
// them (ECS Developer Guide, "Amazon ECS Service Connect components":
// "Existing tasks can't resolve and connect to the new endpoint"). Servers
// added together do not wait for each other: ecsc does not know which of
// them calls which, and two that call each other have no order (README).
static bool connect_waits_added(const NewServers *ns, const Row *r, const Service *server,
                                int k) {
  return r->svc->connect && r->change->kind != CHANGE_ADDED && r->svc != server &&
         ns->added[r->nenv] && ns->added[r->nenv][k] && model_connect_serves(server);
}

static bool waits_for(const NewServers *ns, const Row *r, int k) {
  const Service *server = r->svc->env->services[k];
  return model_connect_waits(r->svc, server) || connect_waits_added(ns, r, server, k);
}

static void row_level(const NewServers *ns, Row *r) {
  if (!r->svc)
    return;
  const Environment *e = r->svc->env;
  for (int k = 0; k < e->nservices; k++) {
    if (model_connect_waits(r->svc, e->services[k]))
      r->level = 2;
    else if (connect_waits_added(ns, r, e->services[k], k) && r->level < 1)
      r->level = 1;
  }
}

// Paths are UTF-8 unless a hand-edited manifest named others: those bytes
// become U+FFFD rather than a missing field.
static json_t *utf8_string(Arena *a, Str s) {
  Str clean = source_utf8_clean(a, s);
  return json_stringn_nocheck(clean.ptr, (size_t)clean.len);
}

// Marks the service rows whose environment's VPC state is removed: those
// VPC states are a run at the end of the apply order (apply_bucket 3), one
// per removed environment, so each service looks at a few rows.
static void mark_vpc_gone(Row *rows, ptrdiff_t n) {
  ptrdiff_t lo = 0, hi;
  while (lo < n && apply_bucket(&rows[lo]) < 3)
    lo++;
  for (hi = lo; hi < n && apply_bucket(&rows[hi]) == 3;)
    hi++;
  for (ptrdiff_t i = 0; i < lo; i++)
    for (ptrdiff_t j = lo; rows[i].kind == ROW_SERVICE && j < hi; j++)
      rows[i].vpc_gone |= str_eq(rows[j].env, rows[i].env);
}

// What a state waits for: a service state for its environment's VPC state,
// unless that is removed too or applied last (then the VPC state waits for
// it), and for the servers it calls (row_level); a removed service state
// for the service states its environment adds (removed_last); a removed or
// last VPC state for its environment's service states.
static json_t *row_depends_on(Arena *a, const NewServers *ns, const Row *rows, ptrdiff_t n,
                              const Row *s) {
  json_t *deps = json_array();
  if (s->kind == ROW_SERVICE && !s->vpc_gone)
    json_array_append_new(deps, utf8_string(a, str_fmt(a, "%.*s/vpc", S(s->env))));
  for (ptrdiff_t i = 0; s->kind == ROW_SERVICE && s->change->kind == CHANGE_REMOVED && i < n; i++)
    if (rows[i].kind == ROW_SERVICE && rows[i].change->kind == CHANGE_ADDED &&
        str_eq(rows[i].env, s->env))
      json_array_append_new(deps, utf8_string(a, rows[i].change->dir));
  for (ptrdiff_t i = 0; s->kind == ROW_VPC && apply_bucket(s) == 3 && i < n; i++)
    if (rows[i].kind == ROW_SERVICE && str_eq(rows[i].env, s->env))
      json_array_append_new(deps, utf8_string(a, rows[i].change->dir));
  for (int i = 0; s->level && i < s->svc->env->nservices; i++) {
    const Service *server = s->svc->env->services[i];
    if (waits_for(ns, s, i))
      json_array_append_new(deps, utf8_string(a, str_fmt(a, "%.*s/services/%.*s", S(s->env),
                                                         S(server->name))));
  }
  return deps;
}

static json_t *row_json(Arena *a, const Changes *ch, const NewServers *ns, const Row *rows,
                        ptrdiff_t n, const Row *s) {
  static const char *const kinds[] = {"vpc", "service", "other"};
  json_t *obj = json_object();
  json_object_set_new(obj, "path", utf8_string(a, s->change->dir));
  json_object_set_new(obj, "environment", utf8_string(a, s->env));
  json_object_set_new(obj, "kind", json_string(kinds[s->kind]));
  if (s->kind == ROW_SERVICE)
    json_object_set_new(obj, "service", utf8_string(a, s->service));
  json_object_set_new(obj, "change", json_string(emit_changes_name(s->change->kind)));
  if (s->kind == ROW_SERVICE && force_new(ch, s->change->dir))
    json_object_set_new(obj, "force_new_deployment", json_true());
  json_object_set_new(obj, "depends_on", row_depends_on(a, ns, rows, n, s));
  return obj;
}

Str emit_changes_json(Arena *a, const Model *m, Changes *ch) {
  Row *rows = new(a, Row, ch->len + 1);
  for (ptrdiff_t i = 0; i < ch->len; i++)
    rows[i] = classify(&ch->items[i], i);
  qsort(rows, (size_t)ch->len, sizeof *rows, by_dir_then_note);
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < ch->len; i++)
    if (n == 0 || !str_eq(rows[i].change->dir, rows[n - 1].change->dir))
      rows[n++] = rows[i];
  for (ptrdiff_t i = 0; i < n; i++) {
    changes_service(m, &rows[i]);
    changes_vpc_last(m, ch->vpc_after, &rows[i]);
  }
  NewServers ns = new_servers(a, m, rows, n);
  for (ptrdiff_t i = 0; i < n; i++)
    row_level(&ns, &rows[i]);
  qsort(rows, (size_t)n, sizeof *rows, by_apply_order);
  mark_vpc_gone(rows, n);
  json_t *list = json_array();
  for (ptrdiff_t i = 0; i < n; i++)
    json_array_append_new(list, row_json(a, ch, &ns, rows, n, &rows[i]));
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_object_set_new(root, "states", list);
  return jsonout_dump(a, root);
}
