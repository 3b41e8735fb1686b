// check_containers.c: the rules between the containers of one task: at
// least one is essential, depends_on is satisfiable (no circle, HEALTHY
// only on a container with a health check, COMPLETE and SUCCESS only on one
// that may exit), no port taken twice, ulimits in order, a secret's ARN
// known. Reports E0901-E0905, E0908 and E0911; check.c runs the rules of
// each container alone.
#include "model.h"

// ECS API Reference, "ContainerDefinition", essential: "All tasks must have
// at least one essential container."
static void essential(Compilation *c, const Service *s) {
  for (int i = 0; i < s->ncontainers; i++)
    if (s->containers[i]->essential)
      return;
  const Container *own = s->containers[0];
  Diag *d = diag_at(c, E0904, span_or(own->at.essential, s->span),
                    "service \"%.*s\" has no essential container", S(s->name));
  diag_help(c, d, "remove essential = false from the service's own container: its task stops "
                  "when an essential container stops, and ECS needs one");
}

// ECS API Reference, "ContainerDependency": HEALTHY "requires that the
// dependent container has health checks configured"; COMPLETE and SUCCESS
// "can't be set on an essential container".
static void dependency_conditions(Compilation *c, const Container *k) {
  for (int i = 0; i < k->ndepends_on; i++) {
    Dependency *dep = &k->depends_on[i];
    Container *t = dep->target;
    if (!t)
      continue;  // resolve.c reported it
    if (dep->condition == DEPEND_HEALTHY && !t->health) {
      Diag *d = diag_at(c, E0902, dep->condition_at,
                        "container \"%.*s\" waits for \"%.*s\" to be HEALTHY, which has no health "
                        "check", S(k->name), S(t->name));
      diag_note(c, d, t->span, "container \"%.*s\" is declared here", S(t->name));
      diag_help(c, d, "give \"%.*s\" a health block, or wait for START", S(t->name));
    }
    if ((dep->condition == DEPEND_COMPLETE || dep->condition == DEPEND_SUCCESS) && t->essential) {
      Diag *d = diag_at(c, E0903, dep->condition_at,
                        "container \"%.*s\" waits for essential container \"%.*s\" to %s",
                        S(k->name), S(t->name),
                        dep->condition == DEPEND_COMPLETE ? "exit" : "exit with status 0");
      diag_note(c, d, span_or(t->at.essential, t->span),
                "\"%.*s\" is essential: its exit stops the task", S(t->name));
      diag_help(c, d, "set essential = false on \"%.*s\" when it runs to completion, or wait for "
                "START or HEALTHY", S(t->name));
    }
  }
}

// A circle of depends_on: no container of it ever starts. Found by a walk
// from each container in order; a circle is reported from its first member
// in declaration order, once.
enum { WHITE, GREY, BLACK };

static int index_of(const Service *s, const Container *k) {
  for (int i = 0; i < s->ncontainers; i++)
    if (s->containers[i] == k)
      return i;
  return -1;
}

static void report_cycle(Compilation *c, const Service *s, int *path, int n, int from) {
  Buf b = {.arena = &c->arena};
  for (int i = from; i < n; i++)
    buf_printf(&b, "%s\"%.*s\"", i == from ? "" : i == from + 1 ? " waits for " : ", which waits for ",
               S(s->containers[path[i]]->name));
  if (n - from == 1)
    buf_puts(&b, " waits for itself");
  else
    buf_printf(&b, ", which waits for \"%.*s\"", S(s->containers[path[from]]->name));
  Container *first = s->containers[path[from]];
  Container *next = from + 1 < n ? s->containers[path[from + 1]] : first;
  Span at = first->at.depends_on;
  for (int i = 0; i < first->ndepends_on; i++)
    if (first->depends_on[i].target == next)
      at = first->depends_on[i].at;
  Diag *d = diag_at(c, E0901, at, "depends_on goes round in a circle: %.*s", S(buf_str(&b)));
  diag_help(c, d, "none of them would ever start: remove one of these dependencies");
}

static void walk(Compilation *c, const Service *s, int at, int *color, int *path, int depth) {
  color[at] = GREY;
  path[depth] = at;
  Container *k = s->containers[at];
  for (int i = 0; i < k->ndepends_on; i++) {
    int next = k->depends_on[i].target ? index_of(s, k->depends_on[i].target) : -1;
    if (next < 0)
      continue;
    if (color[next] == GREY) {
      int from = depth;
      while (path[from] != next)
        from--;
      report_cycle(c, s, path, depth + 1, from);
    } else if (color[next] == WHITE) {
      walk(c, s, next, color, path, depth + 1);
    }
  }
  color[at] = BLACK;
}

static void cycles(Compilation *c, const Service *s) {
  int *color = new(&c->arena, int, s->ncontainers);
  int *path = new(&c->arena, int, s->ncontainers);
  for (int i = 0; i < s->ncontainers; i++)
    if (color[i] == WHITE)
      walk(c, s, i, color, path, 0);
}

// ECS Developer Guide, "Amazon ECS task networking": under awsvpc "the
// containers that belong to the same task can communicate over the
// localhost interface", one network namespace, as under host; so two of a
// task's containers cannot listen on one port. Under bridge, a fixed host
// port is the instance's (ECS API Reference, "PortMapping"): one per task.
static void task_ports(Compilation *c, const Service *s) {
  bool shared = s->network != NET_BRIDGE;
  for (int i = 1; i < s->ncontainers; i++) {
    Container *k = s->containers[i];
    int port = shared ? k->port : k->host_port;
    for (int j = 0; port && j < i; j++) {
      Container *o = s->containers[j];
      if ((shared ? o->port : o->host_port) != port)
        continue;
      Diag *d = diag_at(c, E0905, span_or(shared ? k->at.port : k->at.host_port, k->span),
                        "containers \"%.*s\" and \"%.*s\" both take port %d%s", S(o->name),
                        S(k->name), port, shared ? "" : " on the instance");
      diag_note(c, d, span_or(shared ? o->at.port : o->at.host_port, o->span),
                "\"%.*s\" takes it here", S(o->name));
      diag_help(c, d, shared ? "under %s networking a task's containers share one network: give "
                               "one of them another port"
                             : "%s: give one of them another host_port, or 0 for a dynamic one",
                s->network == NET_AWSVPC ? "awsvpc" : s->network == NET_HOST ? "host" : "bridge");
      break;
    }
  }
}

// setrlimit(2): EINVAL when "rlim_cur was greater than rlim_max"; Docker
// passes ECS's ulimits to it when the container starts.
static void ulimit_bounds(Compilation *c, const Container *k) {
  for (int i = 0; i < k->nulimits; i++) {
    Ulimit *u = &k->ulimits[i];
    if (u->soft <= u->hard)
      continue;
    Diag *d = diag_at(c, E0908, u->soft_at, "ulimit \"%.*s\" of container \"%.*s\": soft limit "
                      "%lld above hard limit %lld", S(u->name), S(k->name), (long long)u->soft,
                      (long long)u->hard);
    diag_help(c, d, "lower soft to at most %lld, or raise hard", (long long)u->hard);
  }
}

// ECS API Reference, "Secret": valueFrom is "the full ARN of the Secrets
// Manager secret"; a secret named by name is in the environment's account,
// which the ARN must name, and the task definition file holds no Terraform
// expression for an account ecsc does not know.
static void secret_accounts(Compilation *c, const Service *s, const Container *k) {
  if (s->env->account.len)
    return;
  for (int i = 0; i < k->nsecrets; i++) {
    const SmSecret *x = k->secrets[i].sm;
    if (!x || x->arn.len)
      continue;
    Diag *d = diag_at(c, E0911, k->secrets[i].at,
                      "secret \"%.*s\" is named by name, and environment \"%.*s\" pins no "
                      "account for its ARN", S(x->name), S(s->env->name));
    diag_note(c, d, span_or(x->at.name, x->span), "the secret is named here");
    diag_help(c, d, "pin the account (account = \"123456789012\" in environment \"%.*s\"), "
              "or give the secret's arn", S(s->env->name));
  }
}

void check_containers(Compilation *c, const Service *s) {
  essential(c, s);
  for (int i = 0; i < s->ncontainers; i++) {
    dependency_conditions(c, s->containers[i]);
    ulimit_bounds(c, s->containers[i]);
    secret_accounts(c, s, s->containers[i]);
  }
  cycles(c, s);
  task_ports(c, s);
}
