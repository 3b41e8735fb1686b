// check.c: proves, offline, what can be proved of the model before Terraform
// runs. Runs after derive.c; the rule files beside it take networks
// (check_network.c), AWS names (check_names.c), routes (check_routes.c),
// what the instances hold (check_capacity.c), Spot and mixed instances
// (check_spot.c), Service Connect and public addresses (check_connect.c),
// the capacity provider's managed scaling and termination
// protection (check_provider.c), agent settings (check_agent.c) and lint
// warnings (lint.c); this file takes containers, deployments and
// configuration. Each rule cites its AWS source.
#include "model.h"

#include <string.h>

#define MIB (1LL << 20)

// A value's place, else its block's, else the service's or container's
// (model.h, "Places").
static Span in_block(Span value, Span block, Span owner) {
  return span_or(value, span_or(block, owner));
}

// The rules below judge each container of a task, the service's own first
// (its places are the service's attributes).
static void memory(Compilation *c, const Container *k) {
  // ECS API Reference, ContainerDefinition: memoryReservation must be less
  // than memory when both are given.
  if (k->memory_reservation && k->memory && k->memory_reservation >= k->memory) {
    Diag *d = diag_at(c, E0522, span_or(k->at.memory_reservation, k->span),
                      "memory_reservation %lld MiB is not below memory %lld MiB",
                      (long long)(k->memory_reservation / MIB), (long long)(k->memory / MIB));
    diag_note(c, d, span_or(k->at.memory, k->span), "the hard limit is set here");
  }
}

// ECS API Reference, HealthCheck: the command's forms are CMD, CMD-SHELL or
// NONE and its arguments. Its ranges (interval 5-300 s, timeout 2-60 s) are
// schema.c's; neither that page nor the Developer Guide's "Health check"
// parameters ties the timeout to the interval, and Docker runs the next
// check "interval seconds after each previous check completes" (Dockerfile
// reference, HEALTHCHECK), so a timeout as long as the interval is valid.
static bool blank(Str s) {
  for (ptrdiff_t i = 0; i < s.len; i++)
    if (s.ptr[i] != ' ' && s.ptr[i] != '\t')
      return false;
  return true;
}

static void health_rules(Compilation *c, const Container *s) {
  HealthCheck *h = s->health;
  if (!h)
    return;
  // "CMD" or "CMD-SHELL" written by the user is the form; the program follows.
  bool form = !h->shell && h->ncommand > 0 &&
              (str_eq_c(h->command[0], "CMD") || str_eq_c(h->command[0], "CMD-SHELL"));
  Str program = h->ncommand > (form ? 1 : 0) ? h->command[form ? 1 : 0] : (Str){0};
  bool empty = blank(program);
  bool bare = form && h->ncommand == 1;
  if (empty || bare) {
    Diag *d = diag_at(c, E0528, in_block(h->at.command, h->at.block, s->span), "health check command %s",
                      bare ? "has no program after its form" : "is empty");
    diag_help(c, d, "write a shell command (\"curl -f http://localhost/ || exit 1\") or the "
                    "program and its arguments ([\"/app\", \"--check\"])");
  }
}

// The timeout below the interval: the Application Load Balancers User Guide
// ("Health checks for Application Load Balancer target groups") gives only
// each one's range, but ELB refuses the pair at CreateTargetGroup and
// ModifyTargetGroup: "ValidationError: Health check interval must be greater
// than the timeout" (the API's own message, as reported in
// hashicorp/terraform-provider-aws#48071, tflint-ruleset-aws#404 and
// zalando-incubator/kube-ingress-aws-controller#392; an older wording, "Health
// check timeout '10' must be smaller than the interval '10'",
// terraform-provider-aws#2366).
static void target_health(Compilation *c, const Service *s) {
  Route *r = s->route;
  if (!r || r->health.timeout_ms < r->health.interval_ms)
    return;
  Span at = in_block(r->at.health_timeout, r->at.health_check, s->span);
  Diag *d = diag_at(c, E0525, at, "target group health check timeout %llds is not shorter than its "
                    "interval %llds", (long long)(r->health.timeout_ms / 1000),
                    (long long)(r->health.interval_ms / 1000));
  diag_help(c, d, "shorten the timeout or lengthen the interval");
}

static int64_t llabs_diff(int64_t a, int64_t b) {
  return a > b ? a - b : b - a;
}

// CloudWatch Logs API Reference, PutRetentionPolicy: retentionInDays.
static void log_retention(Compilation *c, const Service *s) {
  static const int days[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                             365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
  if (s->log_retention_ms % 86400000 != 0)
    return;  // not whole days: schema_check.c said so
  int64_t d = s->log_retention_ms / 86400000;
  for (int i = 0; i < countof(days); i++)
    if (d == days[i])
      return;
  int nearest = days[0];
  for (int i = 0; i < countof(days); i++)
    if (llabs_diff(days[i], d) < llabs_diff(nearest, d))
      nearest = days[i];
  Diag *g = diag_at(c, E0527, in_block(s->at.retention, s->at.logs, s->span),
                    "log retention of %lld day%s is not one CloudWatch offers", (long long)d,
                    d == 1 ? "" : "s");
  diag_help(c, g, "the nearest allowed is %dd; see ecsc explain E0527 for them all", nearest);
}

// ECS API Reference, DeploymentConfiguration: during a deployment ECS keeps
// count * minimumHealthyPercent / 100 tasks running, "rounded up to the
// nearest integer", and runs at most count * maximumPercent / 100, "rounded
// down to the nearest integer". Unless the second is above the first, ECS
// may neither stop an old task nor start a new one, and the deployment
// never proceeds: for every count when max_percent is not above
// min_healthy, and for small counts when the rounding meets (count 1 with
// 50% and 100%).
//
// Both bounds are worded for "the rolling update (ECS) deployment type"
// only. A deployment that shifts traffic (blue-green, canary, linear)
// starts the whole new revision while the old one keeps all the traffic:
// "SCALE_UP: The stage when the green service revision scales up to 100%
// and launches new tasks. The green service revision is not serving any
// traffic at this point", after "PRE_SCALE_UP: ... The blue service
// revision is handling 100% of the production traffic" (ECS API Reference,
// ServiceDeployment, lifecycleStage; botocore data/ecs/2014-11-13/
// service-2.json). So the pair cannot stall it, and E0531 holds for rolling
// deployments only. Whether CreateService refuses maximumPercent <=
// minimumHealthyPercent under those strategies AWS does not say.
static void deployment(Compilation *c, const Service *s) {
  if (model_shifts_traffic(s))
    return;
  if (s->max_percent <= s->min_healthy) {
    Diag *d = diag_at(c, E0531, in_block(s->at.max_percent, s->at.deployment, s->span),
                      "max_percent %d%% is not above min_healthy %d%%: a deployment could neither "
                      "stop nor start a task", s->max_percent, s->min_healthy);
    diag_help(c, d, "raise max_percent (200%%) or lower min_healthy (50%%)");
    return;
  }
  if (s->count == 0)
    return;
  int keep = (s->count * s->min_healthy + 99) / 100;
  long long most = (long long)s->count * s->max_percent / 100;  // max_percent is an Integer's
  if (most > keep)
    return;
  Diag *d = diag_at(c, E0531, in_block(s->at.max_percent, s->at.deployment, s->span),
                    "service \"%.*s\" can never deploy in environment \"%.*s\": with count %d, "
                    "min_healthy %d%% keeps %d task%s running and max_percent %d%% allows %lld",
                    S(s->name), S(s->env->name), s->count, s->min_healthy, keep,
                    keep == 1 ? "" : "s", s->max_percent, most);
  if (s->at.count.src)
    diag_note(c, d, s->at.count, "the count is %d here; ECS rounds min_healthy up and "
              "max_percent down", s->count);
  else
    diag_note(c, d, s->span, "the count is 1 by default; ECS rounds min_healthy up and "
              "max_percent down");
  int need = ((keep + 1) * 100 + s->count - 1) / s->count;  // the least max_percent that moves
  if (need <= 200)
    diag_help(c, d, "raise max_percent to %d%%, so that a new task can start beside the old "
              "ones, or lower min_healthy", need);
  else
    diag_help(c, d, "lower min_healthy, so that an old task can stop before its replacement "
              "starts");
}

// Amazon ECS Developer Guide, "Amazon ECS service quotas": "Tasks per
// service | The maximum number of tasks per service (the desired count)
// | 5,000 | Yes" (adjustable; awsdocs/amazon-ecs-developer-guide,
// doc_source/service-quotas.md, the last commit before the archive), and
// "If you attempt to exceed the quota for a resource, the request fails"
// (the page today). An account may have raised it, which ecsc cannot see
// offline: a warning, at the count or at the scaling's highest max.
enum { TASKS_PER_SERVICE = 5000 };

static void tasks_quota(Compilation *c, const Service *s) {
  TaskPeak most = model_task_peak(s);
  if (most.n <= TASKS_PER_SERVICE)
    return;
  Diag *d = diag_at(c, W1123, most.at, "service \"%.*s\" may run %d tasks (%s), more than ECS's "
                    "\"Tasks per service\" quota of %d by default", S(s->name), most.n, most.what,
                    TASKS_PER_SERVICE);
  diag_help(c, d, "the quota is adjustable: before applying, request an increase of \"Tasks per "
            "service\" in the Service Quotas console (Amazon Elastic Container Service), or "
            "keep %s at %d or below", most.bound, TASKS_PER_SERVICE);
}

// Under awsvpc and host networking a task's container port is its host
// port: "hostPort can either be left blank or set to the same value as the
// containerPort" (ECS API Reference, "PortMapping"). Any other host_port
// would be dropped, or refused at registration.
static void host_port(Compilation *c, const Service *s, const Container *k) {
  if (s->network == NET_BRIDGE || !k->host_port || k->host_port == k->port)
    return;
  Diag *d = diag_at(c, E0553, span_or(k->at.host_port, k->span),
                    "host_port %d under %s networking, where the host port is the container's "
                    "port %d", k->host_port, s->network == NET_AWSVPC ? "awsvpc" : "host", k->port);
  diag_note(c, d, span_or(s->at.network_mode, s->span), "the network mode is set here");
  diag_help(c, d, "remove host_port, or use bridge networking to map %d to another port", k->port);
}

// A port a task takes on its instance must be free there: ECS keeps 22
// (SSH), 2375 and 2376 (Docker) and 51678-51680 (the agent) for itself, and
// hands out the ephemeral range to dynamic host ports, here the agent's
// ECS_DYNAMIC_HOST_PORT_RANGE (ECS API Reference, "PortMapping": "Do not
// attempt to specify a host port in the ephemeral port range ... The
// default reserved ports are 22 for SSH, the Docker ports 2375 and 2376,
// and the Amazon ECS container agent ports 51678-51680"). A task asking for
// one is never placed, and its deployment never ends.
static void reserved_port(Compilation *c, const Service *s, const Container *k, int i) {
  Span at;
  int p = model_fixed_port(s, k, i, &at);
  bool dynamic = p >= DYNAMIC_PORT_FIRST && p <= DYNAMIC_PORT_LAST && (p < 51678 || p > 51680);
  const char *why = p == 22                    ? "SSH's on every container instance"
                    : p == 2375 || p == 2376   ? "Docker's on every container instance"
                    : p >= 51678 && p <= 51680 ? "the ECS agent's on every container instance"
                    : dynamic                  ? "in the range ECS gives dynamic host ports"
                                               : NULL;
  if (!why)
    return;
  bool host = s->network == NET_HOST;
  Diag *d = diag_at(c, E0556, at, "host port %d is %s: ECS never places a task on it", p, why);
  if (dynamic)
    diag_note(c, d, k->span, "ECS hands out %d-%d to bridge-mode tasks' dynamic host ports",
              DYNAMIC_PORT_FIRST, DYNAMIC_PORT_LAST);
  diag_help(c, d, host ? "use another port, or bridge networking with dynamic host ports"
                       : "leave host_port out (a dynamic host port), or choose one below %d",
            DYNAMIC_PORT_FIRST);
}

// An instance reserves at most 100 ports, the agent's own among them: "A
// container instance can have up to 100 reserved ports at a time, including
// the default reserved ports. Automatically assigned ports don't count
// toward the 100 reserved ports limit" (ECS API Reference, "PortMapping":
// hostPort). The agent's are ECS_RESERVED_PORTS, "An array of ports that
// should be marked as unavailable for scheduling on this container
// instance" (ECS Developer Guide, "Amazon ECS container agent
// configuration"), by default the six PortMapping names (22, 2375, 2376,
// 51678-51680). A task whose fixed host ports (under host networking every
// port of every container, ports too) and those together pass 100 fits no
// instance. It is not refused at registration: the task definition
// registers, and each attempt to place a task fails with RESOURCE:PORTS
// (aws/amazon-ecs-agent#269, aws/containers-roadmap#194: "ecs-agent throws
// an error if there is > 100 ports specified in task definition [...] Run
// tasks failed Reasons : RESOURCE:PORTS", and the answer of an agent
// maintainer (euank, euank@amazon.com in the agent's history): "There is
// indeed a limit on the number of reserved and utilized ports";
// aws/amazon-ecs-agent#2078, a bridge task of 400 host ports registered and
// its service "unable to place a task because no container instance met all
// of its requirements"). No AWS document says which of the two happens; the
// reports, one answered by AWS, say placement. The agent may keep more
// ports than its setting lists; counting the setting alone, ecsc errs only
// where ECS must.
enum { INSTANCE_RESERVED_PORTS_MAX = 100 };
static const int agent_default_ports[] = {22, 2375, 2376, 51678, 51679, 51680};

static bool has_port(const int *ports, int n, int port) {
  for (int i = 0; i < n; i++)
    if (ports[i] == port)
      return true;
  return false;
}

// The agent's reserved TCP ports on the service's instances; *at: where the
// cluster sets them, {0} for the defaults.
static int agent_ports(Compilation *c, const Service *s, const int **ports, Span *at) {
  const KeyValue *kv = model_kv_find(s->cluster->agent, s->cluster->nagent,
                                     str_c("ECS_RESERVED_PORTS"));
  int *set, n;
  if (kv && agent_json_ports(&c->arena, kv->value, &set, &n)) {
    *ports = set;
    *at = kv->at;
    return n;
  }
  *ports = agent_default_ports;
  *at = (Span){0};
  return (int)(sizeof agent_default_ports / sizeof *agent_default_ports);
}

static void reserved_port_count(Compilation *c, const Service *s) {
  if (!s->cluster || s->runs_on != RUN_EC2)
    return;
  const int *agent;
  Span agent_at;
  int nagent_ports = agent_ports(c, s, &agent, &agent_at);
  int distinct = 0;  // of the agent's, each once
  for (int i = 0; i < nagent_ports; i++)
    distinct += !has_port(agent, i, agent[i]);
  int ntask = 0, cap = 0;
  for (int k = 0; k < s->ncontainers; k++)
    for (int p = 0; model_fixed_port(s, s->containers[k], p, NULL); p++)
      cap++;
  int *task = new(&c->arena, int, cap + 1);
  Span over = {0};  // the first port past the limit
  for (int k = 0; k < s->ncontainers; k++)
    for (int p = 0; model_fixed_port(s, s->containers[k], p, NULL); p++) {
      Span at;
      int port = model_fixed_port(s, s->containers[k], p, &at);
      if (has_port(task, ntask, port) || has_port(agent, nagent_ports, port))
        continue;  // E0905 and E0556 take those
      task[ntask++] = port;
      if (distinct + ntask > INSTANCE_RESERVED_PORTS_MAX && !over.src)
        over = at;
    }
  if (!over.src)
    return;
  Diag *d = diag_at(c, E1245, over, "a task of service \"%.*s\" reserves %d host ports on its "
                    "instance, and the agent %d: an instance reserves at most %d, so the task "
                    "definition registers but ECS never places a task (RESOURCE:PORTS)",
                    S(s->name), ntask, distinct, INSTANCE_RESERVED_PORTS_MAX);
  if (agent_at.src)
    diag_note(c, d, agent_at, "the agent's reserved ports (ECS_RESERVED_PORTS)");
  else
    diag_note(c, d, span_or(s->at.network_mode, s->span), "the agent reserves 22, 2375, 2376 "
              "and 51678-51680; under host networking each port of the task is reserved too");
  if (distinct >= INSTANCE_RESERVED_PORTS_MAX)  // no fixed port of any task fits: the setting
    diag_help(c, d, "list fewer ports in the cluster's ECS_RESERVED_PORTS: with %d, no task "
              "with a fixed host port is ever placed", distinct);
  else
    diag_help(c, d, "keep the task's fixed host ports to %d, or use bridge networking, whose "
              "dynamic host ports count for none", INSTANCE_RESERVED_PORTS_MAX - distinct);
}

// RegisterTaskDefinition refuses a name in both env and secrets: "The secret
// name must be unique and not shared with any new or existing environment
// variables set on the container" (its ClientException, quoted in
// dagster-io/dagster#11622 and compose-x/ecs_composex#707; the API
// Reference's ContainerDefinition states no such rule).
static void config(Compilation *c, const Container *s) {
  for (int i = 0; i < s->nsecrets; i++) {
    const KeyValue *plain = model_kv_find(s->env_vars, s->nenv_vars, s->secrets[i].name);
    if (!plain)
      continue;
    Diag *d = diag_at(c, E0560, s->secrets[i].at,
                      "\"%.*s\" is set both in env and in secrets", S(s->secrets[i].name));
    diag_note(c, d, plain->key_at, "env sets it here");
    diag_help(c, d, "keep one of them: a secret for what must not be read, env for the rest");
  }
}

// Without NAT the private subnets reach only what has a VPC endpoint there
// (emit_tf_vpc.c: ECS, ECR, S3, CloudWatch Logs, SSM): an image from Docker Hub
// or another registry can never be pulled, and every task would fail with
// CannotPullContainerError. A private ECR repository (Amazon ECR User
// Guide, "Private registry": ACCOUNT.dkr.ecr.REGION.amazonaws.com) is
// reached through the endpoints; an ECR pull through cache rule brings a
// public image there. A service with assign_public_ip runs in the public
// subnets, each task with a public address, and pulls through the internet
// gateway (ECS Developer Guide, "Fargate task networking": a task in a
// public subnet needs a public IP address to pull images).
static void unreachable_image(Compilation *c, const Service *s, const Container *k) {
  // An ECR image (image.c), or one that means to be, whose registry
  // check_images.c judges; or one Docker refuses (E1075's): where it comes
  // from is beside the point until it is a reference at all.
  if (s->env->vpc.nat != NAT_NONE || s->public_ip || !k->image.len || k->ref.ecr_like ||
      k->ref.fault.kind != IMAGE_FAULT_NONE)
    return;
  Diag *d = diag_at(c, E0555, span_or(k->at.image, k->span),
                    "image \"%.*s\" is outside ECR, which the private subnets of environment "
                    "\"%.*s\" cannot reach without NAT", S(k->image), S(s->env->name));
  diag_note(c, d, span_or(s->env->vpc.at.nat, s->env->span), "the environment has no NAT");
  diag_help(c, d, "copy the image to a private ECR repository (or add an ECR pull through cache "
                  "rule for its registry), or set nat = \"single\"");
}

// Auto Scaling API Reference, CreateAutoScalingGroup: MinSize <= MaxSize,
// and DesiredCapacity "must be greater than or equal to the minimum size of
// the group and less than or equal to the maximum size of the group".
static void instances_sizes(Compilation *c, const Cluster *k) {
  if (!model_has_instances(k))
    return;
  Span min_at = span_or(k->at.min_size, k->span);
  Span max_at = span_or(k->at.max_size, k->span);
  // min_size defaults to size: then size is what is out of order.
  if (k->min_size > k->max_size && k->at.min_size.src) {
    Diag *d = diag_at(c, E0551, min_at, "%s has min_size %d above max_size %d",
                      model_instances_name(&c->arena, k).ptr, k->min_size, k->max_size);
    diag_note(c, d, max_at, "max_size is %d here", k->max_size);
    diag_help(c, d, "an autoscaling group runs between min_size and max_size instances");
    return;
  }
  if (k->size < k->min_size || k->size > k->max_size) {
    bool above = k->size > k->max_size;
    Diag *d = diag_at(c, E0551, span_or(k->at.size, k->span),
                      "%s has size %d %s %s %d", model_instances_name(&c->arena, k).ptr, k->size,
                      above ? "above" : "below", above ? "max_size" : "min_size",
                      above ? k->max_size : k->min_size);
    diag_note(c, d, above ? max_at : min_at, "%s is %d here", above ? "max_size" : "min_size",
              above ? k->max_size : k->min_size);
    diag_help(c, d, "the desired size must lie between min_size and max_size");
  }
}

static void cluster_sizes(Compilation *c, const Cluster *k) {
  instances_sizes(c, k);
  for (int i = 0; i < k->ngroups; i++)
    instances_sizes(c, k->groups[i]);
}

// An HTTPS listener takes a certificate of its own region: ACM certificates
// are regional (ELB User Guide, "SSL certificates for your Application Load
// Balancer": "the certificate must be in the same Region as your load
// balancer"), and of the account the load balancer is in, unless shared;
// a pinned account is checked, and the partition always.
static void certificate(Compilation *c, const Environment *e) {
  Str arn = e->alb ? e->alb->certificate_arn : (Str){0};
  if (!arn.len)
    return;
  Str field[5] = {0};  // arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID
  const char *p = arn.ptr, *end = arn.ptr + arn.len;
  for (int i = 0; i < 5 && p < end; i++) {
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
      return;  // schema_check.c has refused it
    field[i] = (Str){p, colon - p};
    p = colon + 1;
  }
  Span at = span_or(e->alb->at.certificate_arn, e->alb->span);
  const char *what = NULL;
  Str got = {0}, want = {0};
  if (!str_eq(field[1], e->partition))
    what = "partition", got = field[1], want = e->partition;
  else if (!str_eq(field[3], e->region))
    what = "region", got = field[3], want = e->region;
  else if (e->account.len && !str_eq(field[4], e->account))
    what = "account", got = field[4], want = e->account;
  if (!what)
    return;
  Diag *d = diag_at(c, E0552, at, "certificate in %s %.*s, but environment \"%.*s\" is in %.*s",
                    what, S(got), S(e->name), S(want));
  diag_help(c, d, "request or import the certificate in ACM in %.*s (a load balancer uses "
            "certificates of its own region and account)", S(want));
}

// E1210: a secret named by a name that ends in a hyphen and six characters.
// Secrets Manager API Reference, GetSecretValue (and every action's
// SecretId): "if your secret has a name that ends in a hyphen followed by six
// characters (before Secrets Manager adds the hyphen and six characters to
// the ARN) and you try to use that as a partial ARN, then those characters
// cause Secrets Manager to assume that you're specifying a complete ARN";
// "If you do include the random suffix ... you receive either a
// ResourceNotFoundException or an AccessDeniedException error". ECS reads a
// Secrets Manager secret by its ARN alone (ECS API Reference, "Secret":
// valueFrom, "The supported values are either the full ARN of the AWS
// Secrets Manager secret or the full ARN of the parameter in the SSM
// Parameter Store"; a JSON key, version stage or id follows the ARN), so the
// partial ARN ecsc would build from such a name names a secret that does not
// exist, and no other reference by name works: only the full ARN does. The
// six are any characters, as AWS words it: which of them it takes for a
// suffix is not documented, so none is left to chance.
static bool suffix_like(Str name) {
  return name.len >= 7 && name.ptr[name.len - 7] == '-';
}

// The partition the project's ARNs are written in, for a help's example:
// its environments', when they agree (model.c), else a placeholder.
static Str project_partition(const Model *m) {
  for (int i = 1; i < m->nenvs; i++)
    if (!str_eq(m->envs[i]->partition, m->envs[0]->partition))
      return STR("PARTITION");
  return m->nenvs ? m->envs[0]->partition : STR("aws");
}

static void secret_name_suffix(Compilation *c, const Model *m, const SmSecret *k) {
  if (!k->secret_name.len || !suffix_like(k->secret_name))
    return;
  Str tail = {k->secret_name.ptr + k->secret_name.len - 7, 7};
  Diag *d = diag_at(c, E1210, span_or(k->at.name, k->span),
                    "secret \"%.*s\" is named \"%.*s\", whose last seven characters "
                    "\"%.*s\" Secrets Manager reads as the random suffix of a complete ARN",
                    S(k->name), S(k->secret_name), S(tail));
  diag_help(c, d, "give the secret's full ARN in place of its name, arn = "
                  "\"arn:%.*s:secretsmanager:REGION:ACCOUNT:secret:%.*s-XXXXXX\" (aws "
                  "secretsmanager describe-secret --secret-id %.*s prints it)",
            S(project_partition(m)), S(k->secret_name), S(k->secret_name));
}

static void parameter_rules(Compilation *c, const Model *m) {
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    if (!p->read && m->nenvs) {
      Diag *d = diag_at(c, W0561, p->span, "parameter \"%.*s\" is read by no service", S(p->name));
      diag_help(c, d, "name it in a service's secrets, or remove it");
    }
    if (p->secure && p->value.len) {
      Diag *d = diag_at(c, E0561, span_or(p->at.value, p->span),
                        "secure parameter \"%.*s\" has a value in source", S(p->name));
      diag_help(c, d, "remove the value and set it with aws ssm put-parameter --type SecureString");
    }
    if (!p->secure && p->kms_key.len) {
      Diag *d = diag_at(c, E0561, span_or(p->at.kms_key, p->span),
                        "plain parameter \"%.*s\" has a kms_key", S(p->name));
      diag_help(c, d, "add secure = true, or remove the kms_key");
    }
    // An external parameter is another's: ecsc writes nothing for it.
    if (p->external.len && (p->value.len || p->description.len)) {
      Diag *d = diag_at(c, E0912, span_or(p->at.value, span_or(p->at.external, p->span)),
                        "external parameter \"%.*s\" has a %s", S(p->name),
                        p->value.len ? "value" : "description");
      diag_note(c, d, span_or(p->at.external, p->span), "it is managed elsewhere: %.*s",
                S(p->external));
      diag_help(c, d, "remove it, or make the parameter ecsc's with path = ...");
    }
  }
  for (int i = 0; i < m->nsm_secrets; i++) {
    const SmSecret *k = m->sm_secrets[i];
    secret_name_suffix(c, m, k);
    if (!k->read && m->nenvs) {
      Diag *d = diag_at(c, W0900, k->span, "secret \"%.*s\" is read by no service", S(k->name));
      diag_help(c, d, "name it in a container's secrets, or remove it");
    }
  }
}

void check(Compilation *c, const Model *m) {
  parameter_rules(c, m);
  check_regions(c, m);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    check_network(c, e);
    certificate(c, e);
    for (int j = 0; j < e->nservices; j++) {
      Service *s = e->services[j];
      for (int k = 0; k < s->ncontainers; k++) {
        Container *one = s->containers[k];
        memory(c, one);
        health_rules(c, one);
        host_port(c, s, one);
        for (int p = 0; model_fixed_port(s, one, p, NULL); p++)
          reserved_port(c, s, one, p);
        unreachable_image(c, s, one);
        check_images(c, m, s, one);
        config(c, one);
      }
      reserved_port_count(c, s);
      check_containers(c, s);
      check_volumes(c, s);
      check_logging(c, s);
      target_health(c, s);
      log_retention(c, s);
      deployment(c, s);
      tasks_quota(c, s);
      check_scaling(c, m, s);
      check_fargate(c, s);
      check_provider_service(c, s);
      check_connect(c, s);
      check_groups(c, s);
      check_deployment(c, s);
    }
    check_routes(c, e);
    check_connect_namespace(c, e);
    check_fargate_quota(c, e);
    for (int j = 0; j < e->nclusters; j++) {
      check_instances(c, e->clusters[j]);
      cluster_sizes(c, e->clusters[j]);
      check_capacity(c, e->clusters[j]);
      check_agent(c, e->clusters[j]);
      check_spot(c, e->clusters[j]);
      check_provider(c, e->clusters[j]);
      check_fargate_cluster(c, e->clusters[j]);
    }
  }
  check_names(c, m);
  check_project(c, m);
  lint_check(c, m);
}
