// check_groups.c: the existing security groups a service adds to its tasks'
// own network interfaces (security_groups): awsvpc only, each named once,
// and no more than an interface of an awsvpc task may have with the group
// ecsc makes for it. Reports E1090-E1092. And the other side: a container
// port no group lets anything reach (W1142).
#include "model.h"

// ECS API Reference, AwsVpcConfiguration: securityGroups, "There's a limit
// of 5 security groups that can be specified"; emit_tf_service.c gives the tasks
// the group it makes for them (aws_security_group.task) before these.
enum { GROUPS_PER_TASK = 5, GROUPS_OF_ECSC = 1 };

// A service's security groups go to its tasks' own interfaces, which only
// awsvpc tasks have (ECS API Reference, AwsVpcConfiguration, the awsvpc
// network configuration; ECS Developer Guide, "Allocate a network
// interface for an Amazon ECS task"); under bridge or host networking the
// tasks share the instance's interface and its groups.
static void groups_network(Compilation *c, const Service *s) {
  Diag *d = diag_at(c, E1090, s->security_groups_at, "security_groups on service \"%.*s\", "
                    "which has %s networking", S(s->name),
                    s->network == NET_HOST ? "host" : "bridge");
  check_network_mode_note(c, d, s);
  diag_help(c, d, "set network_mode = \"awsvpc\" (its tasks then have interfaces of their "
                  "own), or remove security_groups");
}

static void groups_limit(Compilation *c, const Service *s) {
  int n = s->nsecurity_groups + GROUPS_OF_ECSC;
  if (n <= GROUPS_PER_TASK)
    return;
  Diag *d = diag_at(c, E1091, s->security_groups_at, "%d security groups on the interfaces of "
                    "service \"%.*s\" in environment \"%.*s\": AWS allows %d", n, S(s->name),
                    S(s->env->name), GROUPS_PER_TASK);
  diag_note(c, d, s->span, "ecsc gives the tasks a group of their own beside the %d named",
            s->nsecurity_groups);
  diag_help(c, d, "name at most %d existing groups (merge the rules of some into one)",
            GROUPS_PER_TASK - GROUPS_OF_ECSC);
}

// The provider keeps network_configuration.security_groups as a set: a
// group named twice would be one, without a word.
static void groups_twice(Compilation *c, const Service *s) {
  for (int i = 1; i < s->nsecurity_groups; i++)
    for (int j = 0; j < i; j++) {
      if (!str_eq(s->security_groups[i], s->security_groups[j]))
        continue;
      Diag *d = diag_at(c, E1092, s->security_group_at[i], "security group \"%.*s\" named twice",
                        S(s->security_groups[i]));
      diag_note(c, d, s->security_group_at[j], "first named here");
      diag_help(c, d, "remove one, or correct its id");
      break;
    }
}


// Whether another container of the task reaches k inside it: one that
// waits on k (depends_on) or links to it (bridge), or the proxy a route
// or Service Connect enters by, is its sidecar or its client, which
// reaches k's port over localhost or the link, inside the
// task, where no security group applies (ECS Developer Guide, "Amazon ECS
// task networking options", task-networking.html, of awsvpc: "containers
// that belong to the same task can communicate over the localhost
// interface"; bridge links join containers on the instance's own bridge).
static bool reached_inside(const Service *s, const Container *k) {
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *o = s->containers[i];
    if (o == k)
      continue;
    for (int j = 0; j < o->ndepends_on; j++)
      if (o->depends_on[j].target == k)
        return true;
    for (int j = 0; j < o->nlinks; j++)
      if (o->links[j].target == k)
        return true;
  }
  // A route or Service Connect that enters the task through another
  // container (a proxy: Envoy, nginx) under awsvpc or host networking,
  // where the task's containers share localhost: the proxy forwards to the
  // others' ports there. (Under bridge it needs a link, read above.)
  if (s->network == NET_BRIDGE)
    return false;
  const Container *front = s->route ? s->route->container : NULL;
  const Container *served = s->connect ? s->connect->container : NULL;
  return (front && front != k) || (served && served != k);
}

// A container port nothing outside the task can reach. Under awsvpc the
// tasks' own group (emit_tf_service.c, task_network) admits only the load
// balancer on a routed port and the VPC on a port served with Service
// Connect; under bridge and host networking the instances' group admits
// only the load balancer (the dynamic host ports and a routed port's fixed
// one) and SSH from the bastion (emit_tf_vpc.c, alb_rules and the bastion's).
// Security groups deny what no rule allows (Amazon VPC User Guide,
// "Security group rules", Security group rule basics: "You can specify
// allow rules, but not deny rules"; "When you first create a security
// group, it has no inbound rules. Therefore, no inbound traffic is allowed
// until you add inbound rules to the security group").
// So a port neither routed nor served, with no existing group named
// (security_groups, awsvpc), is open to nothing: a client in the VPC, a
// Postgres on 5432 say, times out. A FireLens router's port and a port
// another container of the task reaches (reached_inside) are used inside
// the task. A warning: the port may be there for nothing more than that.
// Each of a container's ports is judged alone: a route reaches the main
// port only (its target group's port), Service Connect the port it serves
// (connect's port), so a metrics port beside a routed one is open to
// nothing as any other port is.
static bool opened(const Service *s, const Container *k, int port) {
  if (s->route && s->route->container == k && s->route->port == port)
    return true;
  return s->connect && s->connect->container == k && s->connect->port == port;
}

// Whether the container maps port before its i-th port too: a port written
// twice is E0905's, and judged once here.
static bool mapped_before(const Container *k, int i, int port) {
  for (int j = 0; j < i; j++)
    if (model_port(k, j, NULL) == port)
      return true;
  return false;
}

static void unreached_port(Compilation *c, const Service *s, const Container *k, int i) {
  Span at;
  int port = model_port(k, i, &at);
  if (k->firelens || reached_inside(s, k) || opened(s, k, port) || mapped_before(k, i, port))
    return;
  if (s->network == NET_AWSVPC && s->nsecurity_groups)
    return;
  const Environment *e = s->env;
  const char *group = s->network == NET_AWSVPC ? "the tasks' security group has no rule for it"
                      : e->alb && e->bastion   ? "the instances' security group admits only the "
                                                 "load balancer and SSH from the bastion"
                      : e->alb                 ? "the instances' security group admits only the "
                                                 "load balancer"
                      : e->bastion             ? "the instances' security group admits only SSH "
                                                 "from the bastion"
                                               : "the instances' security group admits nothing";
  Diag *d = diag_at(c, W1142, at, "port %d of %s \"%.*s\" is open to nothing: it is not routed, "
                    "not served with Service Connect, and %s", port,
                    k->main ? "service" : "container", S(k->name), group);
  // A further port (ports) is served with connect's port, and routed only
  // as a container's main port.
  Str serve = port == k->port
                  ? STR("connect { port_name = \"...\" }")
                  : str_fmt(&c->arena, "connect { port_name = \"...\", port = %d }", port);
  const char *route = port == k->port ? "route it" : "make it the routed port (port)";
  if (s->network == NET_AWSVPC)
    diag_help(c, d, "name a group that admits its clients, security_groups = [\"sg-...\"]; "
                    "or serve it with %.*s, or %s; or remove the port if nothing outside the "
                    "task connects to it", S(serve), route);
  else
    diag_help(c, d, "serve it with %.*s or %s, or use network_mode = \"awsvpc\" and "
                    "security_groups = [\"sg-...\"]; or remove the port if nothing outside the "
                    "task connects to it", S(serve), route);
}

void check_groups(Compilation *c, const Service *s) {
  for (int i = 0; i < s->ncontainers; i++)
    for (int j = 0; model_port(s->containers[i], j, NULL); j++)
      unreached_port(c, s, s->containers[i], j);
  if (!s->nsecurity_groups)
    return;
  if (s->network != NET_AWSVPC) {
    groups_network(c, s);
    return;
  }
  groups_limit(c, s);
  groups_twice(c, s);
}
