// check_containers.c: the rules between the containers of one task: at
// least one is essential, depends_on is satisfiable (no circle, HEALTHY
// only on a container with a health check, COMPLETE and SUCCESS only on one
// that may exit), no port taken twice, ulimits in order, a secret's ARN
// known, links only under bridge and never in a circle, and under bridge no
// sidecar out of its task's reach. Reports E0901-E0905, E0908, E0911,
// E0954-E0956, W0952 and W0953; check.c runs the rules of each container
// alone.
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
// "can't be set on an essential container". A health block whose command
// is ["NONE"] configures none: Docker disables the check (Docker Engine
// API, HealthConfig.Test: `["NONE"]` "disable healthcheck";
// model_health_checked), and the agent starts the waiting container only
// once the target reports HEALTHY (aws/amazon-ecs-agent, agent/engine/
// dependencygraph/graph.go, healthyCondition: HealthStatusShouldBeReported
// and a status of ContainerHealthy), which it then never does.
static void dependency_conditions(Compilation *c, const Container *k) {
  for (int i = 0; i < k->ndepends_on; i++) {
    Dependency *dep = &k->depends_on[i];
    Container *t = dep->target;
    if (!t)
      continue;  // resolve.c reported it
    if (dep->condition == DEPEND_HEALTHY && !model_health_checked(t)) {
      bool disabled = t->health;  // command = ["NONE"]
      Diag *d = diag_at(c, E0902, dep->condition_at,
                        "container \"%.*s\" waits for \"%.*s\" to be HEALTHY, which has %s",
                        S(k->name), S(t->name),
                        disabled ? "its health check disabled" : "no health check");
      if (disabled)
        diag_note(c, d, span_or(t->health->at.command, t->span),
                  "command [\"NONE\"] turns Docker's health check off: \"%.*s\" never reports "
                  "HEALTHY", S(t->name));
      else
        diag_note(c, d, t->span, "container \"%.*s\" is declared here", S(t->name));
      diag_help(c, d, "give \"%.*s\" a health %s, or wait for START", S(t->name),
                disabled ? "command that checks it" : "block");
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

// A circle of depends_on and links: no container of it ever starts. The
// ECS agent makes each link a START dependency on its target (amazon-ecs-
// agent, agent/api/task/task.go, initializeContainerOrderingForLinks, and
// its test in task_test.go), and Docker links only to a running container
// ("Cannot link to a non running container", moby/moby#10346). Found by a
// walk from each container in order over both kinds of edge; a circle is
// reported from its first member in declaration order, once.
enum { WHITE, GREY, BLACK };

static int index_of(const Service *s, const Container *k) {
  for (int i = 0; i < s->ncontainers; i++)
    if (s->containers[i] == k)
      return i;
  return -1;
}

// The containers k waits for: its depends_on targets, then its links'
// (a link to itself is E0954's, not a circle's).
static int edge_count(const Container *k) {
  return k->ndepends_on + k->nlinks;
}

static const Container *edge_target(const Container *k, int i) {
  if (i < k->ndepends_on)
    return k->depends_on[i].target;
  const Container *t = k->links[i - k->ndepends_on].target;
  return t == k ? NULL : t;
}

// Where k waits for t: its depends_on entry when it has one, else its link.
static const Dependency *dependency_on(const Container *k, const Container *t) {
  for (int i = 0; i < k->ndepends_on; i++)
    if (k->depends_on[i].target == t)
      return &k->depends_on[i];
  return NULL;
}

static Span edge_at(const Container *k, const Container *t) {
  const Dependency *dep = dependency_on(k, t);
  if (dep)
    return dep->at;
  for (int i = 0; i < k->nlinks; i++)
    if (k->links[i].target == t)
      return k->links[i].at;
  return k->at.depends_on;
}

static void report_cycle(Compilation *c, const Service *s, int *path, int n, int from) {
  Buf b = {.arena = &c->arena};
  Container *first = s->containers[path[from]];
  int nlinks = 0;
  buf_printf(&b, "\"%.*s\"", S(first->name));
  if (n - from == 1)
    buf_puts(&b, " waits for itself");
  for (int i = from; n - from > 1 && i < n; i++) {
    const Container *k = s->containers[path[i]];
    const Container *next = s->containers[path[i + 1 < n ? i + 1 : from]];
    bool waits = dependency_on(k, next) != NULL;
    nlinks += !waits;
    buf_printf(&b, "%s %s \"%.*s\"", i == from ? "" : ", which", waits ? "waits for" : "links to",
               S(next->name));
  }
  Span at = edge_at(first, s->containers[path[from + 1 < n ? from + 1 : from]]);
  if (!nlinks) {
    Diag *d = diag_at(c, E0901, at, "depends_on goes round in a circle: %.*s", S(buf_str(&b)));
    diag_help(c, d, "none of them would ever start: remove one of these dependencies");
    return;
  }
  Diag *d = diag_at(c, E0956, at, "%s go round in a circle: %.*s",
                    nlinks == n - from ? "links" : "links and depends_on", S(buf_str(&b)));
  diag_help(c, d, "a link's target starts first, as with depends_on, so none of them would ever "
                  "start: remove one of these links or dependencies");
}

static void walk(Compilation *c, const Service *s, int at, int *color, int *path, int depth) {
  color[at] = GREY;
  path[depth] = at;
  Container *k = s->containers[at];
  for (int i = 0; i < edge_count(k); i++) {
    int next = edge_target(k, i) ? index_of(s, edge_target(k, i)) : -1;
    for (int j = 0; next >= 0 && j < i; j++)
      if (edge_target(k, j) == edge_target(k, i))
        next = -1;  // a link beside a depends_on on one container: one edge
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
// A port written twice in one container (port and ports, or twice in
// ports) maps nothing more, in any mode: ecsc's own rule, since "you can't
// expose the same container port for multiple protocols" (PortMapping) and
// the second mapping of one TCP port can only be a mistake.
static const char *port_attr(const Container *k, int i) {
  return k->port && i == 0 ? "port" : "ports";
}

static void port_twice(Compilation *c, const Container *k, int i, int j, int port, Span at) {
  Span first;
  model_port(k, j, &first);
  bool both = !(k->port && j == 0);  // the later one, i, is always in ports
  Diag *d = diag_at(c, E0905, at, "%s \"%.*s\" takes port %d twice (%s)",
                    k->main ? "service" : "container", S(k->name), port,
                    both ? "in ports" : "in port and in ports");
  diag_note(c, d, first, "first taken here");
  diag_help(c, d, "remove one of them");
}

static void port_shared(Compilation *c, const Service *s, const Container *o, int j,
                        const Container *k, int i, int port, Span at) {
  Span first;
  model_port(o, j, &first);
  Diag *d = diag_at(c, E0905, at, "containers \"%.*s\" and \"%.*s\" both take port %d (in "
                    "\"%.*s\"'s %s and \"%.*s\"'s %s)", S(o->name), S(k->name), port,
                    S(o->name), port_attr(o, j), S(k->name), port_attr(k, i));
  diag_note(c, d, first, "\"%.*s\" takes it here", S(o->name));
  diag_help(c, d, "under %s networking a task's containers share one network: give one of "
                  "them another port", s->network == NET_AWSVPC ? "awsvpc" : "host");
}

// The first earlier place of k's i-th port, in k or a container before it
// (under a shared network), reported; false when there is none.
static bool port_taken(Compilation *c, const Service *s, int ki, int i) {
  const Container *k = s->containers[ki];
  Span at;
  int port = model_port(k, i, &at);
  for (int j = 0; j < i; j++)
    if (model_port(k, j, NULL) == port) {
      port_twice(c, k, i, j, port, at);
      return true;
    }
  for (int oi = 0; s->network != NET_BRIDGE && oi < ki; oi++)
    for (int j = 0; model_port(s->containers[oi], j, NULL); j++)
      if (model_port(s->containers[oi], j, NULL) == port) {
        port_shared(c, s, s->containers[oi], j, k, i, port, at);
        return true;
      }
  return false;
}

static void bridge_host_ports(Compilation *c, const Service *s) {
  for (int i = 1; i < s->ncontainers; i++) {
    Container *k = s->containers[i];
    for (int j = 0; k->host_port && j < i; j++) {
      Container *o = s->containers[j];
      if (o->host_port != k->host_port)
        continue;
      Diag *d = diag_at(c, E0905, span_or(k->at.host_port, k->span),
                        "containers \"%.*s\" and \"%.*s\" both take port %d on the instance",
                        S(o->name), S(k->name), k->host_port);
      diag_note(c, d, span_or(o->at.host_port, o->span), "\"%.*s\" takes it here", S(o->name));
      diag_help(c, d, "bridge: give one of them another host_port, or 0 for a dynamic one");
      break;
    }
  }
}

static void task_ports(Compilation *c, const Service *s) {
  for (int ki = 0; ki < s->ncontainers; ki++)
    for (int i = 0; model_port(s->containers[ki], i, NULL); i++)
      port_taken(c, s, ki, i);
  if (s->network == NET_BRIDGE)
    bridge_host_ports(c, s);
}

//
// Bridge networking: the containers of a task apart
//
// The decision. Under awsvpc "containers that belong to the same task can
// communicate over the localhost interface" (ECS Developer Guide, "Task
// networking with the awsvpc network mode"), and under host every container
// shares the instance's network. Under bridge, ecsc's default on the
// instances, each container has a network namespace of its own on Docker's
// bridge (ECS Developer Guide, "Task networking for tasks on Amazon EC2
// instances"): a sidecar listening on localhost is out of its neighbours'
// reach, and they out of its. Docker links are the bridge's way across
// (ECS API Reference, "ContainerDefinition", links: "allows containers to
// communicate with each other without the need for port mappings. This
// parameter is only supported if the network mode of a task definition is
// set to bridge"). A container may still find another's address by itself
// (the task metadata endpoint lists them), so ecsc warns rather than
// refuses: W0952 for a long-running sidecar that no link joins to the
// task, W0953 for a route into a sidecar (a proxy) that links to nothing,
// whose upstream is then out of reach while ECS reports the task healthy.
// Not counted: a FireLens router, which the containers' log driver reaches
// through a Unix socket the agent mounts from the instance, not through
// the task's network (amazon-ecs-agent, agent/api/task/task.go,
// firelensSocketBindFormat; aws-samples/amazon-ecs-firelens-under-the-hood,
// "container standard out logs are sent over this socket from the Fluentd
// Docker Log Driver"), and a container others wait for to COMPLETE or
// SUCCEED (a migration, an init step), which runs before them and exits.
//

// ECS API Reference, "ContainerDefinition", links: bridge only, and ECS
// refuses them otherwise at registration ("Links are not supported when
// networkMode=awsvpc", aws-observability/aws-otel-collector#1359). A link
// to the container itself is one to a container not yet running, which
// Docker refuses ("Cannot link to a non running container", moby#10346).
static void link_rules(Compilation *c, const Service *s, const Container *k) {
  if (!k->nlinks)
    return;
  if (s->network != NET_BRIDGE) {
    const char *mode = s->network == NET_AWSVPC ? "awsvpc" : "host";
    Diag *d = diag_at(c, E0955, k->links[0].at, "container \"%.*s\" links to \"%.*s\" under %s "
                      "networking", S(k->name), S(k->links[0].name), mode);
    if (s->at.network_mode.src)
      diag_note(c, d, s->at.network_mode, "service \"%.*s\" runs under %s networking here",
                S(s->name), mode);
    diag_help(c, d, "remove links: ECS takes them only under bridge networking, and under %s "
              "the task's containers reach each other on localhost%s", mode,
              s->runs_on != RUN_EC2 ? " (Fargate runs tasks under awsvpc only)" : "");
  }
  for (int i = 0; i < k->nlinks; i++) {
    if (k->links[i].target != k)
      continue;
    Diag *d = diag_at(c, E0954, k->links[i].at, "container \"%.*s\" links to itself", S(k->name));
    diag_help(c, d, "remove \"%.*s\" from its links: a container reaches itself on localhost, "
              "and Docker links only to another, running container", S(k->name));
  }
}

// Whether k and another container of the task are joined by a link, either way.
static bool linked(const Service *s, const Container *k) {
  if (k->nlinks)
    return true;
  for (int i = 0; i < s->ncontainers; i++)
    for (int j = 0; j < s->containers[i]->nlinks; j++)
      if (s->containers[i]->links[j].target == k)
        return true;
  return false;
}

// A container the task's others wait for to exit: it runs before them.
static bool runs_first(const Service *s, const Container *k) {
  for (int i = 0; i < s->ncontainers; i++)
    for (int j = 0; j < s->containers[i]->ndepends_on; j++) {
      const Dependency *dep = &s->containers[i]->depends_on[j];
      if (dep->target == k && (dep->condition == DEPEND_COMPLETE || dep->condition == DEPEND_SUCCESS))
        return true;
    }
  return false;
}

static void bridge_note(Compilation *c, Diag *d, const Service *s) {
  if (s->at.network_mode.src)
    diag_note(c, d, s->at.network_mode, "bridge networking is chosen here");
}

// W0953: the route goes to a sidecar, a proxy in front of the application,
// which links to nothing: under bridge it cannot reach what it forwards to.
static const Container *routed_apart(Compilation *c, const Service *s) {
  const Container *p = s->route ? s->route->container : NULL;
  if (!p || p->main || p->nlinks)
    return NULL;
  const Container *app = s->containers[0];
  Diag *d = diag_at(c, W0953, span_or(s->route->at.container, span_or(s->route->at.block, s->span)),
                    "the route of service \"%.*s\" goes to container \"%.*s\", which under bridge "
                    "networking cannot reach \"%.*s\" on localhost", S(s->name), S(p->name),
                    S(app->name));
  diag_note(c, d, span_or(p->at.port, p->span), "\"%.*s\" listens in a network namespace of its own",
            S(p->name));
  bridge_note(c, d, s);
  Str port = app->port ? str_fmt(&c->arena, "%d", app->port) : STR("PORT");
  diag_help(c, d, "set network_mode = \"awsvpc\" (the task's containers then share localhost; each "
            "task takes a network interface of its instance, which the capacity proof counts), or "
            "give \"%.*s\" links = [\"%.*s\"] and forward to %.*s:%.*s", S(p->name), S(app->name),
            S(app->name), S(port));
  return p;
}

// W0952: the long-running sidecars no link joins to the rest of the task,
// named in one warning per service, at the first of them.
static void sidecars_apart(Compilation *c, const Service *s, const Container *reported) {
  const Container **apart = new(&c->arena, const Container *, s->ncontainers);
  int n = 0;
  for (int i = 1; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (!k->firelens && !runs_first(s, k) && k != reported && !linked(s, k))
      apart[n++] = k;
  }
  if (!n)
    return;
  Buf names = {.arena = &c->arena};
  for (int i = 0; i < n; i++)
    buf_printf(&names, "%s\"%.*s\"", !i ? "" : i == n - 1 ? " and " : ", ", S(apart[i]->name));
  const Container *first = apart[0];
  Diag *d = diag_at(c, W0952, first->span, "service \"%.*s\" runs %d containers under bridge "
                    "networking, each in a network namespace of its own: %s %.*s %s no link to or from "
                    "the others", S(s->name), s->ncontainers, n == 1 ? "container" : "containers",
                    S(buf_str(&names)), n == 1 ? "has" : "have");
  bridge_note(c, d, s);
  diag_help(c, d, "set network_mode = \"awsvpc\" (the task's containers then share localhost; each "
            "task takes a network interface of its instance, which the capacity proof counts), or "
            "give the container that calls \"%.*s\" links = [\"%.*s\"] and call it by that name",
            S(first->name), S(first->name));
}

static void bridge_apart(Compilation *c, const Service *s) {
  if (s->network != NET_BRIDGE || s->ncontainers < 2)
    return;
  sidecars_apart(c, s, routed_apart(c, s));
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
    link_rules(c, s, s->containers[i]);
  }
  cycles(c, s);
  task_ports(c, s);
  bridge_apart(c, s);
}
