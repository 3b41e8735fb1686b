// derive.c: every value ecsc computes rather than reads, once, between
// resolve.c (which reads the source into the model) and check.c (which
// judges the model): each environment's prefix and the AWS names made from
// it, Terraform names, the full names and ARNs of the parameters, target
// group names, listener rule priorities, scaling policies' names and bounds,
// and the IAM policies
// (derive_iam.c). Checks and emitters read these fields and never compute
// a name themselves, so what is checked is what is written. Reports
// nothing: a computed name that breaks an AWS rule is check_names.c's.
#include "model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <string.h>

Str derive_tf_ident(Arena *a, Str name) {
  char *p = str_cstr(a, name);
  for (char *q = p; *q; q++)
    if (*q == '-' || *q == '.')
      *q = '_';
  return (Str){p, name.len};
}

// The six hex digits that end a target group's name: FNV-1a 64 cut to its
// low 24 bits, its own (not str_hash, which the arena's maps may change),
// fixed forever: another hash would rename, so replace, every routed
// service's group of every user in one upgrade, each route answering 503
// until a new task passes its health check (rebuild_update.c, W1192).
uint32_t derive_target_group_hash(Str key) {
  uint64_t h = 0xcbf29ce484222325u;
  for (ptrdiff_t i = 0; i < key.len; i++)
    h = (h ^ (unsigned char)key.ptr[i]) * 0x100000001b3u;
  return (uint32_t)(h & 0xFFFFFF);
}

// PREFIX-SERVICE-HHHHHH, at most ELB's 32 characters: HHHHHH is a hash of
// PREFIX-SERVICE and of everything that makes AWS replace a target group
// (its port, protocol and target type, and the VPC, which its CIDR block
// names, or its id for an existing one). A change to any of them renames
// it, so that Terraform creates the new one before destroying the old
// (create_before_destroy) while the listener rule and the service move
// over; under a fixed name the new one could not be made while the old one
// exists, nor the old one destroyed while in use. Where PREFIX-SERVICE is
// longer than 25, the prefix is cut (then the service's name): the hash
// keeps the names apart, and the Name tag has the whole of it. The hash is
// derive_target_group_hash's, fixed forever.
//
// A traffic-shifting deployment's alternate group (alternate: true) has a
// name of the same shape, its hash taken with " alternate" after the key,
// so that the two never meet and each is renamed with the same changes.
static Str target_group_name(Arena *a, Environment *e, Service *svc, bool alternate) {
  enum { ROOM = 32 - 7 };  // "-HHHHHH"
  Str full = str_fmt(a, "%.*s-%.*s", S(e->prefix), S(svc->name));
  const char *type = svc->network == NET_AWSVPC ? "ip" : "instance";
  Str key = e->vpc.id.len ? str_fmt(a, "%.*s %d HTTP %s %.*s", S(full), svc->route->port, type,
                                    S(e->vpc.id))
                          : str_fmt(a, "%.*s %d HTTP %s %u/%u", S(full), svc->route->port, type,
                                    (unsigned)e->vpc.cidr.addr, (unsigned)e->vpc.cidr.prefix);
  if (alternate)
    key = str_fmt(a, "%.*s alternate", S(key));
  unsigned hash = derive_target_group_hash(key);
  Str name = svc->name, prefix = e->prefix;
  if (name.len > ROOM)
    name.len = ROOM, prefix.len = 0;
  else if (prefix.len + 1 + name.len > ROOM)
    prefix.len = ROOM - 1 - name.len;
  while (prefix.len > 0 && prefix.ptr[prefix.len - 1] == '-')
    prefix.len--;
  while (name.len > 0 && name.ptr[name.len - 1] == '-')
    name.len--;
  return prefix.len ? str_fmt(a, "%.*s-%.*s-%06x", S(prefix), S(name), hash)
                    : str_fmt(a, "%.*s-%06x", S(name), hash);
}

// Listener rule priorities, when a route declares none: a function of the
// route and its service's name alone, so that adding or removing another
// service never moves one (each service is its own Terraform state: a moved
// priority would change a state nobody touched, and force applying states
// in an order, or meet PriorityInUse). ALB tries rules from the lowest
// number (ELB User Guide, "Listener rules": "rules are evaluated in priority
// order, from the lowest value to the highest"), so the number's band comes
// from the route's specificity, most specific first, and its place in the
// band from a hash of the name. Two services that meet on one number are an
// error (check_routes.c, E0540) that says which number to declare: ecsc
// never resolves a clash by moving someone. 1 to 999 are left to declared
// priorities; ELB allows up to 50000 (ELB API Reference, CreateRule), and
// the bands end below it (AUTO_END).
//
// Specificity, most specific first: rules with exact hosts, then with
// wildcard hosts, then with none; within each, more literal characters in
// the most specific path first, an exact path counting one more (so "/"
// precedes "/*", "/api/*/items" precedes "/api/*"), and rules matching any
// path last. The bands are as wide as the range allows where routes are
// many (by path alone), narrower where they are few (wildcard hosts): the
// wider a band, the rarer a clash.
enum {
  AUTO_FIRST = 1000,
  PATH_LEVELS = 26,        // 24 literal characters or more, down to 0; no paths
  EXACT_HOST_WIDTH = 700,  // the three regions, in the order ALB tries them
  WILDCARD_HOST_WIDTH = 184,
  ANY_HOST_WIDTH = 1000,
  AUTO_END = AUTO_FIRST + PATH_LEVELS * (EXACT_HOST_WIDTH + WILDCARD_HOST_WIDTH + ANY_HOST_WIDTH),
};

_Static_assert(AUTO_END <= 50001, "automatic priorities must stay within ELB's 50000");
static const int band_widths[3] = {EXACT_HOST_WIDTH, WILDCARD_HOST_WIDTH, ANY_HOST_WIDTH};

static bool wildcard(Str p) {
  return memchr(p.ptr, '*', (size_t)p.len) || memchr(p.ptr, '?', (size_t)p.len);
}

static int literal_length(Str p) {
  int n = 0;
  for (ptrdiff_t i = 0; i < p.len; i++)
    n += p.ptr[i] != '*' && p.ptr[i] != '?';
  return n;
}

// 0 for a route whose most specific path has 24 literal characters or more
// (an exact path counting one more); PATH_LEVELS - 1 for no path at all.
static int path_level(Str *paths, int n) {
  int best = PATH_LEVELS - 1;
  for (int i = 0; i < n; i++) {
    int l = literal_length(paths[i]) + !wildcard(paths[i]);
    int level = 24 - (l < 24 ? l : 24);
    best = level < best ? level : best;
  }
  return best;
}

static int host_region(Str *hosts, int n) {
  for (int i = 0; i < n; i++)
    if (wildcard(hosts[i]))
      return 1;
  return n ? 0 : 2;
}

// FNV-1a of the name: fixed forever, since every assigned priority of every
// user's platform depends on it (str_hash may change; this may not).
static uint32_t priority_hash(Str name) {
  uint64_t h = 0xcbf29ce484222325u;
  for (ptrdiff_t i = 0; i < name.len; i++)
    h = (h ^ (unsigned char)name.ptr[i]) * 0x100000001b3u;
  return (uint32_t)(h ^ (h >> 32));
}

static int auto_priority(Route *rt, Str service) {
  int region = host_region(rt->hosts, rt->nhosts), first = AUTO_FIRST;
  for (int i = 0; i < region; i++)
    first += PATH_LEVELS * band_widths[i];
  int width = band_widths[region];
  first += path_level(rt->paths, rt->npaths) * width;
  return first + (int)(priority_hash(service) % (uint32_t)width);
}

int derive_priority_band(int priority, int *first, int *last) {
  int start = AUTO_FIRST;
  for (int region = 0; region < 3; region++) {
    int width = band_widths[region];
    if (priority >= start && priority < start + PATH_LEVELS * width) {
      *first = start + (priority - start) / width * width;
      *last = *first + width - 1;
      return region * PATH_LEVELS + (priority - start) / width;
    }
    start += PATH_LEVELS * width;
  }
  return -1;
}

// The full name of a parameter is "/" + the environment's prefix + its path.
// For a name that starts with "/", the ARN has exactly one slash after
// "parameter" (Systems Manager User Guide, "Referencing parameters"; the
// Service Authorization Reference gives the form
// arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}),
// so an external simple name, without a leading slash, takes one there.
static void ssm_names(Arena *a, Model *m, Environment *e) {
  e->ssm_names = new(a, Str, m->nparams ? m->nparams : 1);
  e->ssm_arns = new(a, Str, m->nparams ? m->nparams : 1);
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    if (str_starts_with(p->external, STR("arn:"))) {  // another's, by ARN: as written
      e->ssm_names[i] = e->ssm_arns[i] = p->external;
      continue;
    }
    e->ssm_names[i] = p->external.len ? p->external
                                      : str_fmt(a, "/%.*s%.*s", S(e->prefix), S(p->path));
    const char *slash = str_starts_with(e->ssm_names[i], STR("/")) ? "" : "/";
    e->ssm_arns[i] = str_fmt(a, "arn:%.*s:ssm:%.*s:%.*s:parameter%s%.*s", S(e->partition),
                             S(e->region), S(e->arn_account), slash, S(e->ssm_names[i]));
  }
}

// An existing VPC's subnets are read by data sources named after their
// tier and id (public_subnet_0a1b...): stable when the list is reordered.
static void subnet_data_names(Arena *a, Vpc *v) {
  for (int i = 0; i < v->npublic_ids; i++)
    v->public_ids[i].tf_name =
        derive_tf_ident(a, str_fmt(a, "public-%.*s", S(v->public_ids[i].id)));
  for (int i = 0; i < v->nprivate_ids; i++)
    v->private_ids[i].tf_name =
        derive_tf_ident(a, str_fmt(a, "private-%.*s", S(v->private_ids[i].id)));
}

// A secret's ARN ends in "the final hyphen and six random characters that
// Secrets Manager adds at the end of the ARN when you created the secret";
// a partial ARN, without them, names the secret too, and one whose name
// "ends in a hyphen followed by six characters" is read as complete
// (Secrets Manager API Reference, GetSecretValue and the others: SecretId).
// So an ARN given whole is granted as is, and a name's partial ARN with
// -?????? (IAM's ? matches one character) for the six that AWS chose; a
// name that itself ends in a hyphen and six characters is refused (E1210,
// check.c): its partial ARN would be read as complete.
static bool complete_secret_arn(Str arn) {
  if (arn.len < 7 || arn.ptr[arn.len - 7] != '-')
    return false;
  for (ptrdiff_t i = arn.len - 6; i < arn.len; i++)
    if (!isalnum((unsigned char)arn.ptr[i]))
      return false;
  return true;
}

// ECS API Reference, "Secret", and the ECS Developer Guide, "Pass Secrets
// Manager secrets through Amazon ECS environment variables": valueFrom is
// arn:...:secret:NAME[:json-key:version-stage:version-id], the three fields
// empty where not given.
static void secret_arns(Arena *a, Model *m, Environment *e) {
  e->sm_value_from = new(a, Str, m->nsm_secrets ? m->nsm_secrets : 1);
  e->sm_resources = new(a, Str, m->nsm_secrets ? m->nsm_secrets : 1);
  for (int i = 0; i < m->nsm_secrets; i++) {
    SmSecret *k = m->sm_secrets[i];
    Str arn = k->arn.len ? k->arn
                         : str_fmt(a, "arn:%.*s:secretsmanager:%.*s:%.*s:secret:%.*s",
                                   S(e->partition), S(e->region), S(e->arn_account),
                                   S(k->secret_name));  // unpinned: E0911
    e->sm_resources[i] = k->arn.len && complete_secret_arn(arn) ? arn
                                                                : str_fmt(a, "%.*s-??????", S(arn));
    bool fields = k->key.len || k->version_stage.len || k->version_id.len;
    e->sm_value_from[i] = fields ? str_fmt(a, "%.*s:%.*s:%.*s:%.*s", S(arn), S(k->key),
                                           S(k->version_stage), S(k->version_id))
                                 : arn;
  }
}

// A group's own: its launch template, autoscaling group and capacity
// provider are the cluster's names with the group's label after them, its
// Terraform name CLUSTER_GROUP; ECS_CLUSTER and the instance role are the
// cluster's.
static void group_names(Arena *a, Environment *e, Cluster *g) {
  const Cluster *k = g->outer;
  g->aws_name = k->aws_name;
  g->instance_role = k->instance_role;
  g->template_name = str_fmt(a, "%.*s-%.*s", S(k->aws_name), S(g->group));
  g->asg_name = str_fmt(a, "%.*s-asg-%.*s-%.*s", S(e->prefix), S(k->name), S(g->group));
  g->tf_name = str_fmt(a, "%.*s_%.*s", S(k->tf_name), S(derive_tf_ident(a, g->group)));
  g->capacity_provider = str_fmt(a, "cp-%.*s", S(g->template_name));
  const KeyValue *drain =
      model_kv_find(g->agent, g->nagent, STR("ECS_ENABLE_SPOT_INSTANCE_DRAINING"));
  g->spot_draining = drain ? agent_bool(drain->value) == 1 : g->spot != NULL;
}

static void cluster_names(Arena *a, Environment *e, Cluster *k) {
  k->aws_name = str_fmt(a, "%.*s-cluster-%.*s", S(e->prefix), S(k->name));
  k->asg_name = str_fmt(a, "%.*s-asg-%.*s", S(e->prefix), S(k->name));
  k->tf_name = derive_tf_ident(a, k->name);
  k->instance_role = str_fmt(a, "%.*s-%.*s-instance", S(e->prefix), S(k->name));
  k->capacity_provider = str_fmt(a, "cp-%.*s", S(k->aws_name));
  // Spot draining is off by default (ECS Developer Guide, "Configuring
  // Amazon ECS Linux container instances to receive Spot Instance notices"):
  // a Spot cluster turns it on, unless its agent settings say otherwise.
  const KeyValue *drain =
      model_kv_find(k->agent, k->nagent, STR("ECS_ENABLE_SPOT_INSTANCE_DRAINING"));
  k->spot_draining = drain ? agent_bool(drain->value) == 1 : k->spot != NULL;
  k->template_name = k->aws_name;
  for (int i = 0; i < k->ngroups; i++)
    group_names(a, e, k->groups[i]);
}

// Service auto scaling: the policies' and scheduled actions' names (each
// unique among the service's), and the most tasks the bounds allow over a
// day: the scaling's own max or a schedule's higher one.
static void scaling_names(Arena *a, Service *svc) {
  Scaling *sc = svc->scaling;
  sc->cpu_policy = str_fmt(a, "%.*s-cpu", S(svc->family));
  sc->memory_policy = str_fmt(a, "%.*s-memory", S(svc->family));
  sc->requests_policy = str_fmt(a, "%.*s-requests", S(svc->family));
  sc->peak = sc->max;
  sc->peak_at = span_or(sc->at.max, sc->span);
  for (int i = 0; i < sc->nschedules; i++) {
    Schedule *h = &sc->schedules[i];
    h->aws_name = str_fmt(a, "%.*s-%.*s", S(svc->family), S(h->name));
    h->tf_name = derive_tf_ident(a, h->name);
    if (h->max > sc->peak)
      sc->peak = h->max, sc->peak_at = span_or(h->at.max, h->span);
  }
}

// The architecture a service's tasks run on: its cluster's, its architecture
// setting or its instance types' (one for every type of a cluster: E0970,
// E1243). A Fargate service of an arm64 cluster runs on Fargate's ARM64 too,
// so that the images the cluster's instances run run there as well (ECS API
// Reference, "RuntimePlatform": cpuArchitecture ARM64, else Fargate runs
// X86_64); a cluster of Fargate alone asks for ARM64 by its setting.
static void service_arch(Service *svc) {
  svc->arm64 = svc->cluster && model_cluster_arch(svc->cluster) == ARCH_ARM64;
}

// Fluent Bit's AWS outputs know their region from their own `region`
// option alone: all but s3 refuse to start without it (model.c,
// fluent_outputs), s3 falls back to us-east-1, and the ECS agent adds none
// when it writes the router's configuration (amazon-ecs-agent, firelens
// generateConfig). So an AWS output that names no region gets the
// environment's, the region derive_iam.c grants it in.
static void firelens_region(Arena *a, Environment *e, LogConfig *l) {
  if (!str_eq_c(l->driver, "awsfirelens") || model_log_option(l, "region").len ||
      !model_fluent_output(model_log_option(l, "name")))
    return;
  KeyValue *v = new(a, KeyValue, l->noptions + 1);
  int at = 0;
  while (at < l->noptions && str_cmp(l->options[at].name, STR("region")) < 0)
    at++;
  memcpy(v, l->options, sizeof *v * (size_t)at);
  v[at] = (KeyValue){.name = STR("region"), .value = e->region};
  memcpy(v + at + 1, l->options + at, sizeof *v * (size_t)(l->noptions - at));
  l->options = v;
  l->noptions++;
}

// FNV-1a 64 from h (0xcbf29ce484222325 to start): the digests of the Docker
// labels ecsc writes (parameter_values, connect_endpoints). Its own, not
// str_hash, which the arena's maps may change: a label's digest is fixed
// forever, since another would redeploy every service that carries it.
static uint64_t label_hash(Str text, uint64_t h) {
  for (ptrdiff_t i = 0; i < text.len; i++)
    h = (h ^ (unsigned char)text.ptr[i]) * 0x100000001b3u;
  return h;
}

// The digest of the values of ecsc's plain parameters a container reads
// (model_parameter_valued), which its task definition carries as a Docker
// label (emit_taskdef.c, parameter_label). ECS Developer Guide, "Pass
// Systems Manager parameters through Amazon ECS environment variables":
// "Sensitive data is injected into your container when the container is
// initially started. If the secret is subsequently updated or rotated, the
// container will not receive the updated value automatically. You must
// either launch a new task or ... use the Force new deployment option". A
// new value changes the VPC state's aws_ssm_parameter alone; with the digest
// the reader's task definition changes too, so build --changed lists its
// state (after the VPC state, which writes the value first: emit_changes.c)
// and its apply registers a revision, which ECS deploys in new tasks that
// read the new value. Each secret's variable and value, lengths first so
// that no two lists run together alike, in the container's order (sorted
// by variable in resolve.c), through label_hash. A secure parameter's value
// is set outside ecsc, which cannot see it change.
static void parameter_values(Arena *a, Container *k) {
  ArenaMark mark = arena_mark(a);  // the text hashed is scratch: 10,000 containers' worth at scale
  Buf b = {.arena = a};
  for (int i = 0; i < k->nsecrets; i++) {
    const Parameter *p = k->secrets[i].param;
    if (p && model_parameter_valued(p))
      buf_printf(&b, "%td:%.*s=%td:%.*s\n", k->secrets[i].name.len, S(k->secrets[i].name),
                 p->value.len, S(p->value));
  }
  bool any = b.len > 0;
  uint64_t h = label_hash(buf_str(&b), 0xcbf29ce484222325u);
  arena_rewind(a, mark);
  if (any)
    k->parameter_values = str_fmt(a, "%016llx", (unsigned long long)h);
}

static void service_values(Arena *a, Environment *e, Service *svc) {
  svc->family = str_fmt(a, "%.*s-%.*s", S(e->prefix), S(svc->name));
  svc->container = svc->name;
  svc->log_group = str_fmt(a, "/ecs/%.*s/%.*s", S(e->prefix), S(svc->name));
  svc->exec_role = str_fmt(a, "%.*s-%.*s-exec", S(e->prefix), S(svc->name));
  svc->task_role = str_fmt(a, "%.*s-%.*s-task", S(e->prefix), S(svc->name));
  // The ECS infrastructure role of its EBS volume (ECS Developer Guide,
  // "Amazon ECS infrastructure IAM role"): one per service, as its other roles.
  if (svc->ebs)
    svc->infra_role = str_fmt(a, "%.*s-%.*s-infra", S(e->prefix), S(svc->name));
  if (svc->network == NET_AWSVPC)
    svc->security_group = svc->family;
  // The port each container takes on an instance: a host_port in bridge
  // mode, the port itself in host mode; none for dynamic ports and awsvpc.
  // What the task reserves is its containers' sum (ECS API Reference,
  // "ContainerDefinition": the scheduler reserves memoryReservation when it
  // is set, else memory; cpu "the number of cpu units reserved").
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    k->fixed_port = svc->network == NET_HOST     ? k->port
                    : svc->network == NET_BRIDGE ? k->host_port
                                                 : 0;
    svc->reserved_memory += k->memory_reservation ? k->memory_reservation : k->memory;
    svc->reserved_cpu += k->cpu;
    if (k->log)
      firelens_region(a, e, k->log);
    parameter_values(a, k);
  }
  svc->fixed_port = svc->containers[0]->fixed_port;
  service_arch(svc);
  if (svc->scaling)
    scaling_names(a, svc);
  if (svc->route) {
    svc->route->target_group = target_group_name(a, e, svc, false);
    // A blue/green, canary or linear deployment behind the load balancer:
    // the second target group ECS registers the new tasks in, and the role
    // it moves the listener rule's weights with (ECS Developer Guide,
    // "Application Load Balancer resources for blue/green, linear, and
    // canary deployments"; "Amazon ECS infrastructure IAM role for load
    // balancers"), one per service as its other roles.
    if (model_shifts_traffic(svc)) {
      svc->route->alternate_group = target_group_name(a, e, svc, true);
      svc->lb_role = str_fmt(a, "%.*s-%.*s-deploy", S(e->prefix), S(svc->name));
    }
    if (!svc->route->priority_declared)
      svc->route->priority = auto_priority(svc->route, svc->name);
  }
}

// What a Service Connect service's tasks know of the namespace: the
// endpoints that existed at its latest deployment, and no others (ECS
// Developer Guide, "Amazon ECS Service Connect components": "Existing tasks
// can't resolve and connect to the new endpoint. Only new tasks ... that
// start running after this deployment can"; "You must redeploy existing
// services before the applications can resolve new endpoints"). Every
// service of the namespace may call any endpoint in it (what it calls is
// not in the source), so each carries this digest of them all, its own too,
// as a Docker label of its task definition (emit_taskdef.c): a new or
// changed endpoint changes the container definitions, so Terraform registers
// a new revision and the service deploys it; a count change touches neither
// (emit_tf_service.c, deployment_variable, says why not triggers). An endpoint is
// what a client's proxy is configured with, and nothing else: "The URL
// contains the protocol, a DNS name, and the port" (ECS Developer Guide,
// "Service Connect concepts", endpoint: "http://blog:80",
// "grpc://checkout:8080"), so the client alias's dns_name and port and the
// port mapping's appProtocol ("Amazon ECS adds protocol-specific connection
// handling to the service connect proxy", "Task definition parameters",
// appProtocol), and the discovery name, the Cloud Map service the proxy
// finds the tasks in ("This name is used to create a AWS Cloud Map
// service", concepts, discovery name). Not the container port nor the
// tasks' addresses: those are the Cloud Map instances', which clients
// follow without a deployment ("If a client-server service is updated, new
// connections from clients will be balanced between the tasks of the new
// version immediately", "Deployment order"; "The proxy in the client
// service connects to the proxy in the client-server service using the
// containerPort"). ecsc sets no timeout, tls nor ingressPortOverride, the
// other parts of a ServiceConnectService. An appProtocol is appended only
// when set, so the digest of a namespace without one is the one it had.
// Sorted so that the order of the services in the source does not matter.
// FNV-1a over them (label_hash), fixed forever like priority_hash (a new
// function would redeploy every such service once): a change detector, not
// a seal, which misses a change with a chance of 2^-64 in a deployment that
// follows.

static const char *endpoint_protocol(Arena *a, const Connect *cn) {
  return cn->app_protocol.len ? str_cstr(a, str_fmt(a, "/%.*s", S(cn->app_protocol))) : "";
}

static void connect_endpoints(Arena *a, Environment *e) {
  if (!model_connect_namespace(e))
    return;
  Str *served = new(a, Str, e->nservices + 1);
  int n = 0;
  for (int i = 0; i < e->nservices; i++) {
    const Connect *cn = e->services[i]->connect;
    if (cn && cn->port_name.len)
      served[n++] = str_fmt(a, "%.*s=%.*s:%d%s\n", S(cn->discovery_name), S(cn->dns_name),
                            cn->alias_port, endpoint_protocol(a, cn));
  }
  qsort(served, (size_t)n, sizeof *served, str_cmp_qsort);
  uint64_t h = 0xcbf29ce484222325u;
  for (int i = 0; i < n; i++)
    h = label_hash(served[i], h);
  e->connect_endpoints = str_fmt(a, "%016llx", (unsigned long long)h);
}

// Every AWS name of an environment starts with its prefix: the one it
// declares, else the project's name and its own.
// The account in ARNs: the pinned one, else the Terraform expression of the
// account the plan runs in (the emitter declares the data source).
#define CALLER_ACCOUNT "${data.aws_caller_identity.current.account_id}"

static void environment_values(Arena *a, Model *m, Environment *e) {
  e->partition = model_partition(e->region);
  e->arn_account = e->account.len ? e->account : STR(CALLER_ACCOUNT);
  if (!e->prefix.len)
    e->prefix = m->project ? str_fmt(a, "%.*s-%.*s", S(m->project->name), S(e->name)) : e->name;
  e->sg_instances = str_fmt(a, "%.*s-instances", S(e->prefix));
  e->sg_alb = str_fmt(a, "%.*s-alb", S(e->prefix));
  e->sg_bastion = str_fmt(a, "%.*s-bastion", S(e->prefix));
  e->sg_endpoints = str_fmt(a, "%.*s-endpoints", S(e->prefix));
  if (e->alb)
    e->alb->name = str_fmt(a, "%.*s-alb", S(e->prefix));
  if (e->bastion)
    e->bastion->name = str_fmt(a, "%.*s-bastion", S(e->prefix));
  ssm_names(a, m, e);
  subnet_data_names(a, &e->vpc);
  secret_arns(a, m, e);
  for (int i = 0; i < e->nclusters; i++)
    cluster_names(a, e, e->clusters[i]);
  for (int i = 0; i < e->nservices; i++)
    service_values(a, e, e->services[i]);
  connect_endpoints(a, e);
}

void derive(Arena *a, Model *m) {
  for (int i = 0; i < m->nparams; i++)
    m->params[i]->tf_name = derive_tf_ident(a, m->params[i]->name);
  for (int i = 0; i < m->nenvs; i++)
    environment_values(a, m, m->envs[i]);
  derive_iam(a, m);
}
