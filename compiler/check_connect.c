// check_connect.c: what Service Connect and public addresses ask of a
// service, before ECS refuses them or the tasks cannot be reached: a port
// to serve, names unique in the environment's Cloud Map namespace, the
// tasks' own security group for the port they serve, room in the task for
// the proxy ECS adds to it, a public address only where AWS gives one,
// Service Connect on Bottlerocket, a namespace kept without services, and
// no more tasks than Service Connect takes, per service and per namespace. Reports E1020-E1024,
// E1026-E1027, W1021, W1121, E1030-E1032, E1050, W1050, E1181 and W1173 (the
// namespace's removal, E1051, is rebuild_retire.c's: it reads DIR).
#include "model.h"

#define CONNECT_MIB (1LL << 20)
enum {
  CONNECT_PROXY_CPU = 256,  // the proxy's share AWS recommends (proxy_room)
  CONNECT_PROXY_MIB = 64,   // at least
};

static Span connect_at(Span value, const Connect *cn, const Service *s) {
  return span_or(value, span_or(cn->span, s->span));
}

// ECS API Reference, ServiceConnectService: "The portName must match the
// name of one of the portMappings from all the containers in the task
// definition". ecsc names the port mapping of the container it serves, so
// that container must have a port, and be the one the source means.
// connect { port } names one of them, the main port or one of ports; ECS
// would refuse a port_name no port mapping carries, and ecsc names only
// the mapping of the port served (emit_taskdef.c), so a port the container
// does not map is refused here (E1182).
static void unmapped_port(Compilation *c, const Service *s, const Connect *cn) {
  const Container *k = cn->container;
  Buf b = {.arena = &c->arena};
  for (int i = 0; model_port(k, i, NULL); i++)
    buf_printf(&b, "%s%d", i ? ", " : "", model_port(k, i, NULL));
  Str whose = k->main ? STR("") : str_fmt(&c->arena, " of container \"%.*s\"", S(k->name));
  Diag *d = diag_at(c, E1182, connect_at(cn->at.port, cn, s), "service \"%.*s\" serves port "
                    "%d%.*s with Service Connect, on which %s does not listen", S(s->name),
                    cn->port, S(whose), k->main ? "it" : "that container");
  diag_note(c, d, span_or(k->at.ports, span_or(k->at.port, k->span)), "\"%.*s\" listens on %.*s",
            S(k->name), S(b.len ? buf_str(&b) : STR("no port")));
  diag_help(c, d, "serve one of its ports, or add %d to its ports", cn->port);
}

static void served_port(Compilation *c, const Service *s, const Connect *cn) {
  if (cn->container && cn->port && model_maps_port(cn->container, cn->port))
    return;
  if (cn->container && cn->port) {
    unmapped_port(c, s, cn);
    return;
  }
  Span at = connect_at(cn->at.port_name, cn, s);
  if (cn->at.port.src && !cn->container && !cn->at.container.src) {  // no container listens on it
    int listening = 0;
    for (int i = 0; i < s->ncontainers; i++)
      listening += model_maps_port(s->containers[i], cn->port);
    Diag *d = diag_at(c, listening ? E1020 : E1182, connect_at(cn->at.port, cn, s),
                      "service \"%.*s\" serves port %d with Service Connect, on which %s",
                      S(s->name), cn->port, listening ? "several of its containers listen"
                                                       : "none of its containers listens");
    diag_help(c, d, listening ? "say which: container = \"NAME\" in the connect block"
                              : "add it to a container's ports, or serve one of their ports");
    return;
  }
  if (cn->container) {  // named, without a port
    Diag *d = diag_at(c, E1020, at, "port_name \"%.*s\" of service \"%.*s\" names no port: "
                      "container \"%.*s\" has %s", S(cn->port_name), S(s->name),
                      S(cn->container->name), cn->container->nports ? "no main port" : "none");
    diag_note(c, d, connect_at(cn->at.container, cn, s), "the container served is chosen here");
    if (cn->container->nports)
      diag_help(c, d, "say which of its ports: port = %d in the connect block",
                cn->container->ports[0]);
    else
      diag_help(c, d, "give container \"%.*s\" a port, or name a container with one",
                S(cn->container->name));
    return;
  }
  if (cn->at.container.src)  // an unknown container: E0402 said so
    return;
  int ported = 0;
  for (int i = 0; i < s->ncontainers; i++)
    ported += s->containers[i]->port != 0;
  Diag *d = diag_at(c, E1020, at, "port_name \"%.*s\" of service \"%.*s\" names no port: %s",
                    S(cn->port_name), S(s->name),
                    ported ? "several of its containers have one" : "no container has one");
  if (ported)
    diag_help(c, d, "say which: container = \"NAME\" in the connect block");
  else
    diag_help(c, d, "add port = ... to the service, or remove port_name (a client only)");
}

// A client only has nothing to name or alias: settings that would be
// dropped silently are refused.
static void client_only(Compilation *c, const Service *s, const Connect *cn) {
  const struct {
    Span at;
    const char *what;
  } given[] = {
      {cn->at.container, "container"},
      {cn->at.port, "port"},
      {cn->at.discovery_name, "discovery_name"},
      {cn->at.app_protocol, "app_protocol"},
      {cn->at.client_alias, "client_alias"},
  };
  for (int i = 0; i < countof(given); i++) {
    if (!given[i].at.src)
      continue;
    Diag *d = diag_at(c, E1024, given[i].at, "%s in the connect block of service \"%.*s\", "
                      "which serves no port", given[i].what, S(s->name));
    diag_help(c, d, "add port_name = \"...\" to serve the container's port, or remove %s",
              given[i].what);
  }
}

// The port a service serves is opened, on the tasks' own security group,
// to the environment's network: only awsvpc tasks have a group of their
// own (ECS Developer Guide, "Allocate a network interface for an Amazon ECS
// task"). On bridge or host networking it would be the instances' group,
// open to every task of the cluster: ecsc does not do that.
static void served_network(Compilation *c, const Service *s, const Connect *cn) {
  if (s->network == NET_AWSVPC)
    return;
  Diag *d = diag_at(c, E1023, connect_at(cn->at.port_name, cn, s),
                    "service \"%.*s\" serves port_name \"%.*s\" with %s networking",
                    S(s->name), S(cn->port_name), s->network == NET_HOST ? "host" : "bridge");
  check_network_mode_note(c, d, s);
  diag_help(c, d, "set network_mode = \"awsvpc\": its tasks then get a security group of their "
                  "own, opened on this port to the VPC");
}

// ECS API Reference, AwsVpcConfiguration: assignPublicIp, under awsvpc
// only; ECS Developer Guide, "Allocate a network interface for an Amazon
// ECS task": "The awsvpc network mode does not provide task ENIs with
// public IP addresses for tasks that use the EC2 launch type" (Fargate
// launch type only, as EventBridge Pipes' and Scheduler's AwsVpcConfiguration
// also say); a public address reaches out only from a subnet routed to an
// internet gateway, so the tasks go to the public subnets, which must exist.
static void public_ip(Compilation *c, const Service *s) {
  if (!s->public_ip)
    return;
  Span at = span_or(s->public_ip_at, s->span);
  if (s->network != NET_AWSVPC) {
    Diag *d = diag_at(c, E1030, at, "assign_public_ip on service \"%.*s\", which has %s "
                      "networking", S(s->name), s->network == NET_HOST ? "host" : "bridge");
    diag_help(c, d, "set network_mode = \"awsvpc\" (its tasks then have interfaces of their "
                    "own), or remove assign_public_ip");
    return;
  }
  if (s->runs_on == RUN_EC2) {
    Diag *d = diag_at(c, E1031, at, "assign_public_ip on service \"%.*s\", which runs on the "
                      "cluster's instances: ECS gives public addresses to Fargate tasks only",
                      S(s->name));
    diag_help(c, d, "set capacity = \"fargate\", or remove assign_public_ip (the tasks then "
                    "reach out through NAT or the VPC's endpoints)");
    return;
  }
  const Vpc *v = &s->env->vpc;
  if (v->id.len && !v->npublic_ids) {
    Diag *d = diag_at(c, E1032, at, "assign_public_ip on service \"%.*s\", but environment "
                      "\"%.*s\" names no public subnets", S(s->name), S(s->env->name));
    diag_note(c, d, span_or(v->at.id, s->env->span), "the environment's existing VPC");
    diag_help(c, d, "add public_subnet_ids = [...] to its vpc block, or remove assign_public_ip");
  }
}

// ECS Developer Guide, "Amazon ECS Service Connect components" (the page
// that holds what was "Service Connect" when this check was written),
// Service Connect proxy: ECS adds a proxy container to every task of a
// service with Service Connect, client or server, "This container isn't
// present in the task definition and you can't configure it"; Proxy
// resources: "On Amazon EC2, task definition memory is required"; and among
// the Considerations: "Task definitions must set the task memory limit to
// use Service Connect." ECS refuses such a service: an error.
// What the task's containers take of its memory: their hard limits
// (memory), and what each takes, its limit, else its reservation.
static void containers_memory(const Service *s, int64_t *limits, int64_t *taken) {
  *limits = *taken = 0;
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    *limits += k->memory;
    *taken += k->memory ? k->memory : k->memory_reservation;
  }
}

static void proxy_task_memory(Compilation *c, const Service *s, const Connect *cn) {
  if (s->task_memory || s->runs_on != RUN_EC2)
    return;  // Fargate requires it anyway (check_fargate.c, E0961)
  Diag *d = diag_at(c, E1026, cn->span, "service \"%.*s\" uses Service Connect without a "
                    "task memory: ECS requires one for the proxy it adds to each task",
                    S(s->name));
  int64_t limits, taken;
  containers_memory(s, &limits, &taken);
  long long sum = (long long)(taken / CONNECT_MIB);
  diag_help(c, d, "add task { memory = %lld MiB }: its containers take %lld MiB, and AWS "
            "recommends %d MiB more for the proxy", sum + CONNECT_PROXY_MIB, sum,
            CONNECT_PROXY_MIB);
}

// Same page, Considerations: "you must set the task memory limit to a
// number greater than the sum of the container memory limits. The
// additional CPU and memory in the task limits that aren't allocated in the
// container limits are used by the Service Connect proxy container".
// Containers' hard limits (memory) that add up to the task's leave the
// proxy nothing: an error, as AWS says must. Proxy resources, checked again
// on 2026-12-07: "We recommend adding an additional 256 CPU units and at
// least 64 MiB of memory to your task CPU and memory for the Service Connect
// proxy container" (512 CPU units above 500 requests a second a task, 128
// MiB more above 100 services or 2000 tasks in the namespace, which ecsc
// cannot know). What the containers take (their limit, else their
// reservation) leaving less is a warning: the proxy then runs, squeezed.
static void proxy_room(Compilation *c, const Service *s, const Connect *cn) {
  if (!s->task_memory)
    return;  // E1026, or Fargate's E0961
  int64_t limits, taken;
  containers_memory(s, &limits, &taken);
  int64_t task_mib = s->task_memory / CONNECT_MIB;
  if (limits >= s->task_memory) {
    Diag *d = diag_at(c, E1027, span_or(s->at.task_memory, cn->span),
                      "the containers of service \"%.*s\" have memory limits adding up to "
                      "%lld MiB, of its task's %lld MiB: nothing is left for the Service "
                      "Connect proxy",
                      S(s->name), (long long)(limits / CONNECT_MIB), (long long)task_mib);
    diag_note(c, d, cn->span, "Service Connect adds the proxy to each task here");
    diag_help(c, d, "raise the task's memory above %lld MiB (AWS recommends %d MiB for the "
              "proxy), or lower a container's memory", (long long)(limits / CONNECT_MIB),
              CONNECT_PROXY_MIB);
    return;
  }
  int64_t room_mib = (s->task_memory - taken) / CONNECT_MIB;
  int room_cpu = s->task_cpu - s->reserved_cpu;
  bool short_mem = room_mib < CONNECT_PROXY_MIB;
  bool short_cpu = s->task_cpu && room_cpu < CONNECT_PROXY_CPU;
  if (!short_mem && !short_cpu)
    return;
  Diag *d;
  if (short_cpu && short_mem)
    d = diag_at(c, W1021, span_or(s->at.task, cn->span), "service \"%.*s\" leaves %d CPU "
                "units and %lld MiB of its task's %d and %lld MiB to the Service Connect proxy, "
                "less than AWS recommends (%d CPU units, %d MiB)", S(s->name), room_cpu,
                (long long)room_mib, s->task_cpu, (long long)task_mib, CONNECT_PROXY_CPU,
                CONNECT_PROXY_MIB);
  else if (short_cpu)
    d = diag_at(c, W1021, span_or(s->at.task_cpu, cn->span), "service \"%.*s\" leaves %d CPU "
                "units of its task's %d to the Service Connect proxy, less than the %d AWS "
                "recommends", S(s->name), room_cpu, s->task_cpu, CONNECT_PROXY_CPU);
  else
    d = diag_at(c, W1021, span_or(s->at.task_memory, cn->span), "service \"%.*s\" leaves "
                "%lld MiB of its task's %lld MiB to the Service Connect proxy, less than the "
                "%d MiB AWS recommends", S(s->name), (long long)room_mib, (long long)task_mib,
                CONNECT_PROXY_MIB);
  diag_note(c, d, cn->span, "Service Connect adds the proxy to each task here");
  diag_help(c, d, "raise the task's %s, or lower the containers'",
            short_cpu && short_mem ? "cpu and memory" : short_cpu ? "cpu" : "memory");
}

// ECS Developer Guide, "Amazon ECS Service Connect components",
// Considerations: "Container instances must run the Amazon ECS-optimized
// Amazon Linux 2023 AMI version 20230428 or later, or Amazon ECS-optimized
// Amazon Linux 2 AMI version 2.0.20221115 to use Service Connect. These
// versions have the Service Connect agent in addition to the Amazon ECS
// container agent" (and agent 1.67.2 or later, which the latest AMIs the
// families' SSM parameters name have). Bottlerocket's ECS variants are not
// among them and have no Service Connect agent: bottlerocket-os/bottlerocket
// issue 2801, "ECS Service Connect support" (open), where such a task stays
// PROVISIONING and the agent logs "No service connect capabilities were
// found for Appnet". The cluster's groups share its AMI family.
static void bottlerocket_connect(Compilation *c, const Service *s, const Connect *cn) {
  const Cluster *k = s->cluster;
  if (!model_bottlerocket(k) || !model_on_instances(s))
    return;
  Diag *d = diag_at(c, E1050, cn->span, "service \"%.*s\" uses Service Connect on cluster "
                    "\"%.*s\", whose Bottlerocket instances have no Service Connect agent",
                    S(s->name), S(k->name));
  diag_note(c, d, span_or(k->at.ami, k->span), "the cluster's AMI family is chosen here");
  diag_help(c, d, "use ami = \"al2023\" in cluster \"%.*s\", or run the service on Fargate "
            "(capacity = \"fargate\")", S(k->name));
}

// ECS Developer Guide, "Amazon ECS service quotas": "Services configured
// to use Amazon ECS Service Connect have a limit of 1,000 tasks per
// service. This is due to the AWS Cloud Map service quota for the number of
// instances per service" (awsdocs/amazon-ecs-developer-guide,
// doc_source/service-quotas.md, the last commit before the archive). Cloud
// Map's quota is not adjustable: "Instances per service | Each supported
// Region: 1,000 | No" (AWS Cloud Map Developer Guide, "AWS Cloud Map
// service quotas"), unlike ECS's own 5,000 tasks per service (check.c's
// W1123), so no request to AWS makes room: an error, though the API takes
// the count and only the tasks past the limit fail. At the count, or at
// the scaling's highest max, schedules' too.
enum { CONNECT_MAX_TASKS = 1000 };

static void connect_task_limit(Compilation *c, const Service *s, const Connect *cn) {
  TaskPeak most = model_task_peak(s);
  if (most.n <= CONNECT_MAX_TASKS)
    return;
  Diag *d = diag_at(c, E1181, most.at, "service \"%.*s\" may run %d tasks (%s), more than the "
                    "%d tasks per service Service Connect is limited to", S(s->name), most.n,
                    most.what, CONNECT_MAX_TASKS);
  diag_note(c, d, connect_at((Span){0}, cn, s), "the service uses Service Connect here");
  diag_help(c, d, "keep %s at %d or below, or split the service in two: Cloud Map's "
            "instances per service quota cannot be raised", most.bound, CONNECT_MAX_TASKS);
}

void check_connect(Compilation *c, const Service *s) {
  public_ip(c, s);
  const Connect *cn = s->connect;
  if (!cn)
    return;
  bottlerocket_connect(c, s, cn);
  connect_task_limit(c, s, cn);
  proxy_task_memory(c, s, cn);
  proxy_room(c, s, cn);
  if (!cn->port_name.len) {
    client_only(c, s, cn);
    return;
  }
  served_port(c, s, cn);
  served_network(c, s, cn);
}

// ServiceConnectService: the discoveryName "must be unique within the Cloud
// Map namespace"; ServiceConnectClientAlias: "Each name and port mapping
// must be unique within the namespace". The namespace is the environment's,
// so every pair of its serving services is compared (few serve).
static void unique_names(Compilation *c, const Service *s, const Service *t) {
  const Connect *a = s->connect, *b = t->connect;
  if (str_eq(a->discovery_name, b->discovery_name)) {
    Diag *d = diag_at(c, E1021, connect_at(b->at.discovery_name.src ? b->at.discovery_name
                                                                     : b->at.port_name, b, t),
                      "discovery name \"%.*s\" of service \"%.*s\" is service \"%.*s\"'s too, in "
                      "the namespace of environment \"%.*s\"", S(b->discovery_name), S(t->name),
                      S(s->name), S(s->env->name));
    diag_note(c, d, connect_at(a->at.discovery_name.src ? a->at.discovery_name : a->at.port_name,
                               a, s), "service \"%.*s\" takes it here%s", S(s->name),
              a->at.discovery_name.src ? "" : ", its own name by default");
    diag_help(c, d, "give one of them another discovery_name");
    return;  // its alias, by default the same name, says nothing more
  }
  if (str_eq(a->dns_name, b->dns_name) && a->alias_port == b->alias_port) {
    Diag *d = diag_at(c, E1022, connect_at(b->at.client_alias, b, t),
                      "client alias %.*s:%d of service \"%.*s\" is service \"%.*s\"'s too, in the "
                      "namespace of environment \"%.*s\"", S(b->dns_name), b->alias_port,
                      S(t->name), S(s->name), S(s->env->name));
    diag_note(c, d, connect_at(a->at.client_alias, a, s), "service \"%.*s\" takes it here",
              S(s->name));
    diag_help(c, d, "give one of them another dns_name or port in its client_alias block");
  }
}

// ECS Developer Guide, "Amazon ECS Service Connect configuration overview"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html),
// a client's service definition: "This namespace must contain all of the
// server services that this service needs to discover"; and "Amazon ECS
// Service Connect components"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html):
// "When you prepare to start using Service Connect, start with a
// client-server service." Where no service of the environment serves in its
// namespace, the clients discover nothing: a warning, as AWS documents no
// refusal. Where one does, the clients are applied after it
// (model_connect_waits).
static void some_server(Compilation *c, const Environment *e) {
  const Service *client = NULL;
  for (int i = 0; i < e->nservices; i++) {
    if (model_connect_serves(e->services[i]))
      return;
    if (e->services[i]->connect && !client)
      client = e->services[i];
  }
  if (!client)
    return;
  Diag *d = diag_at(c, W1121, client->connect->span, "service \"%.*s\" is a Service Connect "
                    "client of environment \"%.*s\", where no service serves a port: it "
                    "discovers nothing", S(client->name), S(e->name));
  diag_help(c, d, "give a service of the environment a port_name to serve in its connect block, "
                  "or remove the connect blocks");
}

// connect_namespace keeps the namespace for the build that takes the last
// services out of it (check_connect_removed); once their states are
// applied, it only keeps an empty namespace alive.
static void kept_namespace(Compilation *c, const Environment *e) {
  if (!e->connect_namespace)
    return;
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->connect)
      return;
  Diag *d = diag_at(c, W1050, span_or(e->connect_namespace_at, e->span), "environment "
                    "\"%.*s\" keeps a Service Connect namespace that no service joins",
                    S(e->name));
  diag_help(c, d, "once this build's service states are applied, remove connect_namespace: the "
                  "next build's VPC state deletes the empty namespace");
}

// AWS Cloud Map Developer Guide, "AWS Cloud Map service quotas":
// "Instances per namespace | Each supported Region: 2,000 | Yes", "The
// maximum number of service instances that you can register using the same
// namespace". The services that serve a port are the ones with a Cloud Map
// service of their own in the environment's namespace (ServiceConnectService:
// discoveryName, "the name of the new AWS Cloud Map service that Amazon ECS
// creates"), each task an instance of it (E1181's source: Service Connect's
// limit of tasks per service "is due to the AWS Cloud Map service quota for
// the number of instances per service"). Whether a client's tasks register
// too AWS does not say: they are not counted. The quota is adjustable: a
// warning (W1173), at the environment, when the serving services' counts
// or scaling maxes add up past it.
enum { CLOUD_MAP_INSTANCES_PER_NAMESPACE = 2000 };

static void namespace_instances(Compilation *c, const Environment *e) {
  int64_t total = 0;
  int serving = 0;
  for (int i = 0; i < e->nservices; i++)
    if (model_connect_serves(e->services[i])) {
      total += model_task_peak(e->services[i]).n;
      serving++;
    }
  if (total <= CLOUD_MAP_INSTANCES_PER_NAMESPACE)
    return;
  Diag *d = diag_at(c, W1173, e->span, "the Service Connect namespace of environment \"%.*s\" "
                    "may hold %lld instances (the tasks of its %d serving services, at their "
                    "counts or scaling maxes), more than Cloud Map's \"Instances per namespace\" "
                    "quota of %d by default", S(e->name), (long long)total, serving,
                    CLOUD_MAP_INSTANCES_PER_NAMESPACE);
  diag_help(c, d, "the quota is adjustable: before applying, request an increase of \"Instances "
                  "per namespace\" in the Service Quotas console (AWS Cloud Map), or lower the "
                  "counts or scaling maxes");
}

void check_connect_namespace(Compilation *c, const Environment *e) {
  kept_namespace(c, e);
  some_server(c, e);
  namespace_instances(c, e);
  for (int i = 0; i < e->nservices; i++) {
    if (!model_connect_serves(e->services[i]))
      continue;
    for (int j = i + 1; j < e->nservices; j++)
      if (model_connect_serves(e->services[j]))
        unique_names(c, e->services[i], e->services[j]);
  }
}
