// graph.c: `ecsc graph`: what the deployment is made of and what depends on
// what (environments, VPC states, clusters, services and their states,
// parameters, roles, routes), as Graphviz DOT or as JSON, with the order in
// which to apply the Terraform states: steps whose states may run side by
// side. It reads the resolved Model alone, as the emitters do, and builds one
// graph that both formats print, so they never disagree.
//
// The edges are the ones the output has: a service state reads the VPC
// state's outputs through terraform_remote_state (emit_tf.c), so it is
// applied after it; the VPC state creates the clusters (with their instance
// role) and the plain parameters; a service state creates its roles and its
// listener rule (the route, on the VPC state's listener) and reads its
// secrets' parameters, which the VPC state creates when the source holds
// their value and which are otherwise managed outside ecsc. A Service
// Connect client only is applied after the services that serve in its
// environment's namespace (model_connect_waits); servers are not ordered
// among themselves (what each calls is not in the source, and two that call
// each other would be a circle), so the graph has none. What a build
// changes can order more: build --changed applies a server that stays after
// the servers the build adds (emit_changes.c).
#include "emit.h"

#include <string.h>

typedef enum {
  GN_ENVIRONMENT, GN_VPC, GN_CLUSTER, GN_SERVICE, GN_PARAMETER, GN_ROLE, GN_ROUTE,
} GraphKind;

static const char *const graph_kind_names[] = {
    "environment", "vpc", "cluster", "service", "parameter", "role", "route",
};

typedef struct {
  GraphKind kind;
  Str id;          // unique: "staging/vpc", "staging/cluster.a", ...
  Str name;        // as in the source (a role: its AWS name)
  Str env;
  Str state;       // the state directory that holds it ({0}: none, outside)
  Span span;       // where the source declares it
  Service *svc;    // GN_SERVICE, GN_ROUTE
  Parameter *param;
} GraphNode;

typedef struct {
  int from, to;
  const char *relation;  // "reads the outputs of", ...
  bool orders;           // from's state is applied after to's
} GraphEdge;

typedef struct {
  Arena *a;
  struct {
    GraphNode *items;
    ptrdiff_t len, cap;
  } nodes;
  struct {
    GraphEdge *items;
    ptrdiff_t len, cap;
  } edges;
  int **steps;           // apply order: steps[i] lists state nodes, -1 ends
  int nsteps;
} Graph;

static int add_node(Graph *g, GraphKind kind, Str id, Str name, Environment *e, Str state, Span span) {
  *list_push(g->a, &g->nodes) =
      (GraphNode){kind, id, name, e ? e->name : (Str){0}, state, span, NULL, NULL};
  return (int)g->nodes.len - 1;
}

static void edge(Graph *g, int from, int to, const char *relation, bool orders) {
  *list_push(g->a, &g->edges) = (GraphEdge){from, to, relation, orders};
}

static bool is_state(GraphNode *n) {
  return n->kind == GN_VPC || n->kind == GN_SERVICE;
}

// One environment: its VPC state and what that creates, then each service.
static void graph_environment(Graph *g, Model *m, Environment *e) {
  Arena *a = g->a;
  Str vpc_dir = str_fmt(a, "%.*s/vpc", S(e->name));
  int env = add_node(g, GN_ENVIRONMENT, str_fmt(a, "environment.%.*s", S(e->name)), e->name, e, (Str){0},
                 e->span);
  int vpc = add_node(g, GN_VPC, vpc_dir, STR("vpc"), e, vpc_dir, e->span);
  edge(g, env, vpc, "has the state", false);

  int *clusters = new(a, int, e->nclusters + 1);
  for (int i = 0; i < e->nclusters; i++) {
    Cluster *k = e->clusters[i];
    clusters[i] = add_node(g, GN_CLUSTER, str_fmt(a, "%.*s/cluster.%.*s", S(e->name), S(k->name)), k->name,
                       e, vpc_dir, k->span);
    edge(g, vpc, clusters[i], "creates", false);
    if (!model_has_instances(k) && !k->ngroups)
      continue;  // Fargate only: no instance role
    int role = add_node(g, GN_ROLE, str_fmt(a, "%.*s/role.%.*s", S(e->name), S(k->instance_role)),
                    k->instance_role, e, vpc_dir, k->span);
    edge(g, clusters[i], role, "instances assume", false);
  }

  // Parameters: each environment has its own copy, under its prefix.
  int *params = new(a, int, m->nparams + 1);
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    bool ours = !p->secure && p->value.len;
    params[i] = add_node(g, GN_PARAMETER, str_fmt(a, "%.*s/parameter.%.*s", S(e->name), S(p->name)),
                     p->name, e, ours ? vpc_dir : (Str){0}, p->span);
    g->nodes.items[params[i]].param = p;
    if (ours)
      edge(g, vpc, params[i], "creates", false);
  }

  int *services = new(a, int, e->nservices + 1);
  for (int i = 0; i < e->nservices; i++) {
    Service *s = e->services[i];
    Str dir = str_fmt(a, "%.*s/services/%.*s", S(e->name), S(s->name));
    int svc = add_node(g, GN_SERVICE, dir, s->name, e, dir, s->span);
    services[i] = svc;
    g->nodes.items[svc].svc = s;
    edge(g, svc, vpc, "reads the outputs of", true);
    for (int k = 0; k < e->nclusters; k++)
      if (e->clusters[k] == s->cluster)
        edge(g, svc, clusters[k], "runs on", false);
    int exec = add_node(g, GN_ROLE, str_fmt(a, "%.*s/role.%.*s", S(e->name), S(s->exec_role)), s->exec_role,
                    e, dir, s->span);
    edge(g, svc, exec, "execution role", false);
    int task = add_node(g, GN_ROLE, str_fmt(a, "%.*s/role.%.*s", S(e->name), S(s->task_role)), s->task_role,
                    e, dir, s->span);
    edge(g, svc, task, "task role", false);
    if (s->infra_role.len) {  // an EBS volume's: ECS manages the volume with it
      int infra = add_node(g, GN_ROLE, str_fmt(a, "%.*s/role.%.*s", S(e->name), S(s->infra_role)),
                           s->infra_role, e, dir, s->ebs->span);
      edge(g, svc, infra, "infrastructure role", false);
    }
    if (s->lb_role.len) {  // a traffic-shifting deployment's: ECS moves the rule's weights with it
      int lb = add_node(g, GN_ROLE, str_fmt(a, "%.*s/role.%.*s", S(e->name), S(s->lb_role)),
                        s->lb_role, e, dir, span_or(s->strategy_at, s->span));
      edge(g, svc, lb, "load balancer role", false);
    }
    bool *reads = new(a, bool, m->nparams ? m->nparams : 1);  // once, whichever containers read it
    for (int c = 0; c < s->ncontainers; c++)
      for (int k = 0; k < s->containers[c]->nsecrets; k++)
        for (int j = 0; j < m->nparams; j++)
          if (m->params[j] == s->containers[c]->secrets[k].param && !reads[j]) {
            reads[j] = true;
            edge(g, svc, params[j], "reads the secret", false);
          }
    if (s->route) {
      int route = add_node(g, GN_ROUTE, str_fmt(a, "%.*s/route.%.*s", S(e->name), S(s->name)), s->name, e,
                        dir, s->span);
      g->nodes.items[route].svc = s;
      edge(g, svc, route, "receives", false);
      edge(g, route, vpc, "a rule of the listener of", false);
    }
  }
  // Service Connect: a client only is applied after the services that
  // serve in the namespace (model_connect_waits).
  for (int i = 0; i < e->nservices; i++)
    for (int k = 0; k < e->nservices; k++)
      if (model_connect_waits(e->services[i], e->services[k]))
        edge(g, services[i], services[k], "reaches by Service Connect", true);
}

// The apply order: Kahn's layering of the states by the ordering edges, so
// each step holds every state whose dependencies the steps before applied.
static void order(Graph *g) {
  int *pending = new(g->a, int, g->nodes.len);  // dependencies not yet applied
  bool *done = new(g->a, bool, g->nodes.len);
  int left = 0;
  for (int i = 0; i < g->nodes.len; i++)
    left += is_state(&g->nodes.items[i]);
  for (int i = 0; i < g->edges.len; i++)
    if (g->edges.items[i].orders)
      pending[g->edges.items[i].from]++;
  g->steps = new(g->a, int *, left + 1);
  while (left > 0) {
    int *step = new(g->a, int, left + 1), n = 0;
    for (int i = 0; i < g->nodes.len; i++)
      if (is_state(&g->nodes.items[i]) && !done[i] && pending[i] == 0)
        step[n++] = i;
    step[n] = -1;
    if (n == 0)
      break;  // a cycle: none today, and resolve.c would have reported one
    for (int k = 0; k < n; k++) {
      done[step[k]] = true;
      for (int i = 0; i < g->edges.len; i++)
        if (g->edges.items[i].orders && g->edges.items[i].to == step[k])
          pending[g->edges.items[i].from]--;
    }
    left -= n;
    g->steps[g->nsteps++] = step;
  }
}

static Graph *graph_build(Arena *a, Model *m) {
  Graph *g = new(a, Graph, 1);
  g->a = a;
  for (int i = 0; i < m->nenvs; i++)
    graph_environment(g, m, m->envs[i]);
  order(g);
  return g;
}

//
// JSON
//

static json_t *jstr(Str s) {
  return json_stringn(s.ptr, (size_t)s.len);
}

static json_t *strs(Str *items, int n) {
  json_t *list = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(list, jstr(items[i]));
  return list;
}

static json_t *json_node(Compilation *c, GraphNode *n) {
  json_t *o = json_object();
  json_object_set_new(o, "id", jstr(n->id));
  json_object_set_new(o, "kind", json_string(graph_kind_names[n->kind]));
  json_object_set_new(o, "name", jstr(n->name));
  json_object_set_new(o, "environment", jstr(n->env));
  json_object_set_new(o, "state", n->state.len ? jstr(n->state) : json_null());
  if (n->kind == GN_PARAMETER) {
    json_object_set_new(o, "path", jstr(n->param->path));
    json_object_set_new(o, "secure", json_boolean(n->param->secure));
  }
  if (n->kind == GN_ROUTE) {
    Route *r = n->svc->route;
    json_object_set_new(o, "paths", strs(r->paths, r->npaths));
    json_object_set_new(o, "hosts", strs(r->hosts, r->nhosts));
    json_object_set_new(o, "priority", json_integer(r->priority));
  }
  if (n->span.src) {
    LineCol lc = source_linecol(&c->arena, n->span.src, n->span.start);
    json_object_set_new(o, "file", jstr(n->span.src->path));
    json_object_set_new(o, "line", json_integer(lc.line));
  }
  return o;
}

static void graph_json(Compilation *c, Graph *g, Str source, Buf *out) {
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_object_set_new(root, "source", jstr(source));
  json_t *nodes = json_array();
  for (int i = 0; i < g->nodes.len; i++)
    json_array_append_new(nodes, json_node(c, &g->nodes.items[i]));
  json_object_set_new(root, "nodes", nodes);
  json_t *edges = json_array();
  for (int i = 0; i < g->edges.len; i++) {
    GraphEdge *e = &g->edges.items[i];
    json_t *o = json_object();
    json_object_set_new(o, "from", jstr(g->nodes.items[e->from].id));
    json_object_set_new(o, "to", jstr(g->nodes.items[e->to].id));
    json_object_set_new(o, "relation", json_string(e->relation));
    json_array_append_new(edges, o);
  }
  json_object_set_new(root, "edges", edges);
  // The states as `build --changed=json` names them, with what each needs
  // applied first.
  json_t *states = json_array();
  for (int i = 0; i < g->nodes.len; i++) {
    GraphNode *n = &g->nodes.items[i];
    if (!is_state(n))
      continue;
    json_t *o = json_object();
    json_object_set_new(o, "path", jstr(n->state));
    json_object_set_new(o, "environment", jstr(n->env));
    json_object_set_new(o, "kind", json_string(n->kind == GN_VPC ? "vpc" : "service"));
    json_t *deps = json_array();
    for (int k = 0; k < g->edges.len; k++)
      if (g->edges.items[k].orders && g->edges.items[k].from == i)
        json_array_append_new(deps, jstr(g->nodes.items[g->edges.items[k].to].state));
    json_object_set_new(o, "depends_on", deps);
    json_array_append_new(states, o);
  }
  json_object_set_new(root, "states", states);
  json_t *steps = json_array();
  for (int i = 0; i < g->nsteps; i++) {
    json_t *step = json_array();
    for (int *k = g->steps[i]; *k >= 0; k++)
      json_array_append_new(step, jstr(g->nodes.items[*k].state));
    json_array_append_new(steps, step);
  }
  json_object_set_new(root, "apply_order", steps);
  buf_put(out, jsonout_dump(&c->arena, root));  // takes root
}

//
// DOT
//

// A DOT string: quoted, with " and \ escaped (route paths may hold either).
static void dot_quote(Buf *out, Str s) {
  buf_putc(out, '"');
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if (s.ptr[i] == '"' || s.ptr[i] == '\\')
      buf_putc(out, '\\');
    buf_putc(out, s.ptr[i] == '\n' ? ' ' : s.ptr[i]);
  }
  buf_putc(out, '"');
}

static const char *const dot_shapes[] = {
    "tab", "folder", "box3d", "component", "note", "ellipse", "cds",
};

static void dot_node(Arena *a, Buf *out, GraphNode *n) {
  Str label = str_fmt(a, "%s %.*s", graph_kind_names[n->kind], S(n->name));
  if (n->kind == GN_VPC)
    label = str_fmt(a, "state %.*s", S(n->state));
  else if (n->kind == GN_SERVICE)
    label = str_fmt(a, "service %.*s\\nstate %.*s", S(n->name), S(n->state));
  else if (n->kind == GN_ROUTE) {
    Route *r = n->svc->route;
    Buf b = {.arena = a};
    buf_printf(&b, "route %.*s (priority %d)", S(n->name), r->priority);
    for (int i = 0; i < r->nhosts; i++)
      buf_printf(&b, "\\nhost %.*s", S(r->hosts[i]));
    for (int i = 0; i < r->npaths; i++)
      buf_printf(&b, "\\npath %.*s", S(r->paths[i]));
    label = buf_str(&b);
  } else if (n->kind == GN_PARAMETER && !n->state.len)
    label = str_fmt(a, "parameter %.*s\\n(managed outside ecsc)", S(n->name));
  buf_puts(out, "    ");
  dot_quote(out, n->id);
  buf_printf(out, " [shape=%s, label=", dot_shapes[n->kind]);
  // The label's \n are DOT's line breaks: quote only the names' own text.
  buf_putc(out, '"');
  for (ptrdiff_t i = 0; i < label.len; i++) {
    bool newline = label.ptr[i] == '\\' && i + 1 < label.len && label.ptr[i + 1] == 'n';
    if (!newline && (label.ptr[i] == '"' || label.ptr[i] == '\\'))
      buf_putc(out, '\\');
    buf_putc(out, label.ptr[i]);
    if (newline)
      buf_putc(out, label.ptr[++i]);
  }
  buf_puts(out, "\"];\n");
}

static void graph_dot(Compilation *c, Graph *g, Str source, Buf *out) {
  Arena *a = &c->arena;
  buf_puts(out, "// ecsc graph ");
  buf_put(out, source);
  buf_puts(out, "\n// Apply the states in this order, those of a step side by side:\n");
  for (int i = 0; i < g->nsteps; i++) {
    buf_printf(out, "//   %d.", i + 1);
    for (int *k = g->steps[i]; *k >= 0; k++)
      buf_printf(out, " %.*s", S(g->nodes.items[*k].state));
    buf_putc(out, '\n');
  }
  buf_puts(out, "digraph ecsc {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
  // One box per environment: its nodes are drawn together.
  for (int i = 0; i < g->nodes.len; i++) {
    if (g->nodes.items[i].kind != GN_ENVIRONMENT)
      continue;
    Str env = g->nodes.items[i].env;
    buf_puts(out, "  subgraph ");
    dot_quote(out, str_fmt(a, "cluster_%.*s", S(env)));
    buf_puts(out, " {\n    label=");
    dot_quote(out, str_fmt(a, "environment %.*s", S(env)));
    buf_puts(out, ";\n");
    for (int k = 0; k < g->nodes.len; k++)
      if (str_eq(g->nodes.items[k].env, env))
        dot_node(a, out, &g->nodes.items[k]);
    buf_puts(out, "  }\n");
  }
  for (int i = 0; i < g->edges.len; i++) {
    GraphEdge *e = &g->edges.items[i];
    buf_puts(out, "  ");
    dot_quote(out, g->nodes.items[e->from].id);
    buf_puts(out, " -> ");
    dot_quote(out, g->nodes.items[e->to].id);
    buf_puts(out, " [label=");
    dot_quote(out, str_c(e->relation));
    buf_puts(out, e->orders ? ", style=bold];\n" : "];\n");
  }
  buf_puts(out, "}\n");
}

void graph_write(Compilation *c, Model *m, Str source, bool json, Buf *out) {
  Graph *g = graph_build(&c->arena, m);
  if (json)
    graph_json(c, g, source, out);
  else
    graph_dot(c, g, source, out);
}
