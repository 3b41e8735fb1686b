// model.c: the model's own queries, shared by every stage after resolve: a
// value by its key, a region's partition, and where in the source a model
// object was written, as the path of blocks that holds it (the "//" notes of
// the output).
#include "model.h"

#include <string.h>

const KeyValue *model_kv_find(const KeyValue *v, int n, Str name) {
  for (int lo = 0, hi = n; lo < hi;) {
    int mid = lo + (hi - lo) / 2, cmp = str_cmp(v[mid].name, name);
    if (!cmp)
      return &v[mid];
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

// AWS's partitions and the regions each lists (partitions.h, generated from
// botocore's data/partitions.json). A region's partition is found as the AWS
// SDKs find it (botocore 1.43.11, endpoint_provider.py, aws_partition): the
// partition that lists it or whose regex matches it, else aws. The generator
// proved that no listed region matches another partition's regex, so the list
// is looked up first, and the regexes (compiled for the call) only for a
// region AWS does not list yet.
static const Partition partitions[] = {
#define PARTITION(id, dns, regex) {id, dns, regex},
#include "partitions.h"
};

static const struct {
  const char *name, *partition;
} partition_regions[] = {
#define PARTITION_REGION(name, partition) {name, partition},
#include "partitions.h"
};

const Partition *model_partitions(int *n) {
  *n = (int)countof(partitions);
  return partitions;
}

const Partition *model_partition_named(Str id) {
  for (int i = 0; i < countof(partitions); i++)
    if (str_eq_c(id, partitions[i].id))
      return &partitions[i];
  return NULL;
}

const Partition *model_partition_of(Str region) {
  for (int i = 0; i < countof(partition_regions); i++)
    if (str_eq_c(region, partition_regions[i].name))
      return model_partition_named(str_c(partition_regions[i].partition));
  for (int i = 0; i < countof(partitions); i++)
    if (region.len && regex_match_once(partitions[i].region_regex, region))
      return &partitions[i];
  return &partitions[0];  // aws, botocore's default (the generator checks it is first)
}

// Whether AWS's partition data lists the region (partitions.h): it exists,
// whether or not std/aws/regions has the names of its zones.
bool model_region_listed(Str region) {
  for (int i = 0; i < countof(partition_regions); i++)
    if (str_eq_c(region, partition_regions[i].name))
      return true;
  return false;
}

Str model_partition(Str region) {
  return str_c(model_partition_of(region)->id);
}

Str model_arn_part(Str arn, int n) {
  const char *p = arn.ptr, *end = arn.ptr + arn.len;
  for (int i = 0; i <= n; i++) {
    const char *colon = p ? memchr(p, ':', (size_t)(end - p)) : NULL;
    if (!colon)
      return (Str){0};
    p = colon + 1;
  }
  const char *colon = memchr(p, ':', (size_t)(end - p));
  return (Str){p, (colon ? colon : end) - p};
}

// The partitions whose every name ecsc writes is proven (each with its
// source where it is written): ARNs carry the partition's id (IAM User
// Guide, "IAM identifiers"); endpoints, as kms:ViaService names them, end in
// its DNS suffix; the service principals ecsc trusts (ecs-tasks, ecs, ec2)
// are SERVICE.amazonaws.com in all three (hashicorp/terraform-provider-aws,
// internal/service/meta/service_principal_data_source.go,
// servicePrincipalNameForPartition: only codedeploy, elasticmapreduce and
// logs differ, in aws-cn); ECR's registry host names are known for them
// (image.c). For the isolated and sovereign partitions ECR's host names, the
// S3 prefix list's name and the ECS-optimized AMIs' parameters are not.
bool model_partition_supported(const Partition *p) {
  return !strcmp(p->id, "aws") || !strcmp(p->id, "aws-cn") || !strcmp(p->id, "aws-us-gov");
}

//
// Origins: where in the source a span is, by blocks rather than lines
//

// Each file's top-level items in an array, found by source index and
// searched by halves: the emitters ask for the origin of every resource,
// and a scan of a file of thousands of services for each was quadratic.
typedef struct {
  Node **items;  // in source order, so by start offset
  ptrdiff_t n;
} TopLevel;

struct ModelSyntax {
  TopLevel *files;  // by Source.index; n 0 for a source that is no parsed file
  ptrdiff_t nfiles;
};

struct ModelSyntax *model_index_syntax(Arena *a, File **files, ptrdiff_t nfiles) {
  struct ModelSyntax *x = new(a, struct ModelSyntax, 1);
  for (ptrdiff_t i = 0; i < nfiles; i++)
    if (files[i]->src->index >= x->nfiles)
      x->nfiles = files[i]->src->index + 1;
  x->files = new(a, TopLevel, x->nfiles ? x->nfiles : 1);
  for (ptrdiff_t i = 0; i < nfiles; i++) {
    TopLevel *t = &x->files[files[i]->src->index];
    for (Node *n = files[i]->items; n; n = n->next)
      t->n++;
    t->items = new(a, Node *, t->n ? t->n : 1);
    ptrdiff_t k = 0;
    for (Node *n = files[i]->items; n; n = n->next)
      t->items[k++] = n;
  }
  return x;
}

static bool within(Node *n, Span s) {
  return n->span.start <= s.start && s.end <= n->span.end;
}

static void block_name(Buf *b, Node *n) {
  buf_put(b, n->name);
  for (Node *l = n->labels; l; l = l->next)
    buf_printf(b, " \"%.*s\"", S(l->str));
}

static void path_to(Buf *b, Node *items, Span s);

// n, which holds s, and what within n holds it: the blocks around s,
// outermost first, then the attribute (and the map entry) it is in.
static void path_in(Buf *b, Node *n, Span s) {
  if (n->kind != N_BLOCK && n->kind != N_ATTR)
    return;
  if (b->len)
    buf_puts(b, " \u203a ");
  if (n->kind == N_BLOCK) {
    block_name(b, n);
    path_to(b, n->body, s);
  } else {
    buf_put(b, n->name);
    if (n->value && n->value->kind == N_MAP)
      path_to(b, n->value->body, s);
  }
}

static void path_to(Buf *b, Node *items, Span s) {
  for (Node *n = items; n; n = n->next)
    if (within(n, s)) {
      path_in(b, n, s);
      return;
    }
}

Str model_origin(const Model *m, Arena *a, Span s) {
  if (!s.src || !m->syntax || s.src->index >= m->syntax->nfiles)
    return (Str){0};
  TopLevel *t = &m->syntax->files[s.src->index];
  ptrdiff_t lo = 0, hi = t->n;  // the last item starting at or before s
  while (hi - lo > 1) {
    ptrdiff_t mid = lo + (hi - lo) / 2;
    if (t->items[mid]->span.start <= s.start)
      lo = mid;
    else
      hi = mid;
  }
  if (!t->n || !within(t->items[lo], s))
    return (Str){0};
  Buf b = {.arena = a};
  path_in(&b, t->items[lo], s);  // read only: the emitters ask from several threads
  return buf_str(&b);
}

bool model_has_instances(const Cluster *k) {
  return k->outer || k->instance_type.len;
}

bool model_bottlerocket(const Cluster *k) {
  return k && k->ami && str_eq_c(k->ami->name, "bottlerocket");
}

const Cluster **model_instance_sets(Arena *a, const Cluster *k, int *n) {
  const Cluster **sets = new(a, const Cluster *, 1 + k->ngroups);
  *n = 0;
  if (model_has_instances(k))
    sets[(*n)++] = k;
  for (int i = 0; i < k->ngroups; i++)
    sets[(*n)++] = k->groups[i];
  return sets;
}

// ECS Developer Guide, "Amazon ECS Service Connect components"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html):
// "When you prepare to start using Service Connect, start with a
// client-server service"; "Only new tasks with a Service Connect
// configuration in the same namespace and that start running after this
// deployment can resolve and connect to this endpoint"; "Existing tasks
// and replacement tasks continue to behave the same as they did after the
// most recent deployment". So a client applied before a server would not
// reach it until its next deployment. ecsc does not know which endpoints a
// client calls, so a client-only service waits for every service that
// serves in its environment's namespace. A service that serves is not
// ordered after the other servers here: two that call each other would go
// round in a circle, which no order of applies satisfies. A new revision
// of its task definition redeploys it when their endpoints change
// (derive.c, connect_endpoints), and build --changed applies it after the servers the build adds
// (emit_changes.c); servers added by one build side by side see each
// other's endpoints from their next deployment (README, "Service Connect:
// adding, changing, removing").
bool model_connect_waits(const Service *client, const Service *server) {
  return client != server && client->env == server->env && client->connect &&
         !client->connect->port_name.len && model_connect_serves(server);
}

// A plain parameter whose value the source holds, which the VPC state
// creates with it (emit_tf_vpc.c, tf_parameters); a secure one is set outside
// ecsc (E0561), an external one is another's (E0912).
bool model_parameter_valued(const Parameter *p) {
  return !p->secure && p->value.len && !p->external.len;
}

// Whether a service's strategy may place its tasks on its cluster's
// instances (its own or a group's), not on Fargate alone.
bool model_on_instances(const Service *s) {
  if (s->runs_on != RUN_EC2)
    return false;
  for (int i = 0; i < s->strategy.n; i++)
    if (s->strategy.items[i].provider == PROVIDER_EC2 ||
        s->strategy.items[i].provider == PROVIDER_GROUP)
      return true;
  return !s->strategy.n;
}

// Whether it may place them on Fargate: its capacity is Fargate's, or its
// strategy names FARGATE or FARGATE_SPOT beside the instances.
bool model_on_fargate(const Service *s) {
  if (s->runs_on != RUN_EC2)
    return true;
  for (int i = 0; i < s->strategy.n; i++)
    if (s->strategy.items[i].provider == PROVIDER_FARGATE ||
        s->strategy.items[i].provider == PROVIDER_FARGATE_SPOT)
      return true;
  return false;
}

// schema.c's deployment_strategies, in DeployStrategy's order.
const char *const model_strategy_names[] = {
    [DEPLOY_ROLLING] = "rolling", [DEPLOY_BLUE_GREEN] = "blue-green",
    [DEPLOY_CANARY] = "canary",   [DEPLOY_LINEAR] = "linear"};

bool model_shifts_traffic(const Service *s) {
  return s->deploy_strategy != DEPLOY_ROLLING;
}

// The share of its count a service's deployment can run at once, in
// percent: max_percent, but never above 200. ECS starts the new tasks of a
// deployment, at most the count, beside the old ones it has not stopped:
// "if your service is using the REPLICA service scheduler and has a
// desiredCount of four tasks and a maximumPercent value of 200%, the
// scheduler may start four new tasks before stopping the four older tasks"
// (ECS API Reference, DeploymentConfiguration, maximumPercent,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
// A larger max_percent, which ECS takes, leaves it at twice the count.
// A deployment that shifts traffic (blue-green, canary, linear) runs the
// whole new revision beside the whole old one, whatever max_percent is:
// "running two identical production environments called blue and green"
// (ECS API Reference, DeploymentConfiguration, strategy); "Create the green
// environment alongside the existing blue environment", then traffic
// shifts, and the blue one ends only after the bake time (ECS Developer
// Guide, "Amazon ECS blue/green service deployments workflow"), and its
// best practices: "Plan sufficient cluster capacity to handle both service
// revisions during deployment" ("Required resources for Amazon ECS
// blue/green deployments", and for linear ones). The API Reference's
// maximumPercent is worded for "the rolling update (ECS) deployment type"
// only.
int model_surge_percent(const Service *s) {
  if (model_shifts_traffic(s))
    return 200;
  return s->max_percent < 200 ? s->max_percent : 200;
}

TaskPeak model_task_peak(const Service *s) {
  if (s->scaling)
    return (TaskPeak){s->scaling->peak, s->scaling->peak_at, "its scaling's highest max",
                      "the scaling's max"};
  return (TaskPeak){s->count, span_or(s->at.count, s->span), "its count", "count"};
}

// A service serves a port in its namespace (connect { port_name }); one
// with a connect block and none is a client only.
bool model_connect_serves(const Service *s) {
  return s->connect && s->connect->port_name.len;
}

int model_port(const Container *k, int i, Span *at) {
  Span none = {0};
  if (k->port && i == 0) {
    *(at ? at : &none) = span_or(k->at.port, k->span);
    return k->port;
  }
  i -= k->port != 0;
  if (i < 0 || i >= k->nports)
    return 0;
  *(at ? at : &none) = k->port_spans[i];
  return k->ports[i];
}

bool model_maps_port(const Container *k, int port) {
  for (int i = 0; model_port(k, i, NULL); i++)
    if (model_port(k, i, NULL) == port)
      return true;
  return false;
}

// ECS API Reference, "PortMapping": under host networking "host ports must
// either be undefined or match the container port", so every port the
// container maps is the instance's; in bridge mode only a hostPort written
// is, the others coming from the ephemeral range (ports have none).
int model_fixed_port(const Service *s, const Container *k, int i, Span *at) {
  Span none = {0};
  if (s->network == NET_HOST)
    return model_port(k, i, at);
  if (s->network != NET_BRIDGE || i != 0 || !k->host_port)
    return 0;
  *(at ? at : &none) = span_or(k->at.host_port, k->span);
  return k->host_port;
}

// Whether the environment's VPC state makes the Service Connect namespace:
// while a service joins it, and while connect_namespace keeps it for the
// services a previous build put in it (rebuild_retire.c, E1051).
bool model_connect_namespace(const Environment *e) {
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->connect)
      return true;
  return e->connect_namespace;
}

// What the private subnets hold. The instances of every cluster run there
// (emit_tf_cluster.c: each autoscaling group's vpc_zone_identifier), and so does
// every task but one with assign_public_ip, which ECS gives only to
// Fargate tasks (check_connect.c, E1031) and ecsc places in the public
// subnets: on the instances (bridge, host), or on an interface of its own
// in the private subnets (awsvpc). An all-Fargate environment whose tasks
// all have public addresses has nothing there: no instances' security
// group, no VPC endpoints, and an existing VPC needs no private_subnet_ids
// (check_network.c, E1060).
const Cluster *model_env_instances(const Environment *e) {
  for (int i = 0; i < e->nclusters; i++) {
    const Cluster *k = e->clusters[i];
    if (model_has_instances(k))
      return k;
    if (k->ngroups)
      return k->groups[0];
  }
  return NULL;
}

bool model_in_private_subnets(const Service *s) {
  return !s->public_ip;
}

bool model_private_interfaces(const Service *s) {
  return s->network == NET_AWSVPC && !s->public_ip;
}

const InstanceType *model_first_type(const Cluster *k) {
  return model_has_instances(k) ? k->type : k->ngroups ? k->groups[0]->type : NULL;
}

bool model_health_word_disables(Str first) {
  return str_eq_c(first, "NONE");
}

bool model_health_checked(const Container *k) {
  const HealthCheck *h = k->health;
  return h && (h->shell || !h->ncommand || !model_health_word_disables(h->command[0]));
}

Arch model_cluster_arch(const Cluster *k) {
  if (k->at.architecture.src)
    return k->arch;
  const InstanceType *t = model_first_type(k);
  return t ? t->arch : ARCH_X86_64;
}

Span model_arch_origin(Arena *a, const Cluster *k, Str *why) {
  if (k->at.architecture.src) {
    *why = str_fmt(a, "cluster \"%.*s\" sets architecture = \"%s\": its services' task "
                   "definitions name %s", S(k->name), k->arch == ARCH_ARM64 ? "arm64" : "x86_64",
                   k->arch == ARCH_ARM64 ? "ARM64" : "X86_64");
    return k->at.architecture;
  }
  const Cluster *first = model_has_instances(k) ? k : k->ngroups ? k->groups[0] : NULL;
  const InstanceType *t = model_first_type(k);
  if (!first || !t) {
    *why = STR("the cluster is declared here");
    return k->span;
  }
  *why = str_fmt(a, "instance_type \"%.*s\" of %s is %s: the cluster's task definitions "
                 "name %s", S(t->name), model_instances_name(a, first).ptr,
                 t->arch == ARCH_ARM64 ? "arm64" : "x86_64",
                 t->arch == ARCH_ARM64 ? "ARM64" : "X86_64");
  return first->type_at[0];
}

Str model_instances_name(Arena *a, const Cluster *k) {
  if (k->outer)
    return str_fmt(a, "group \"%.*s\" of cluster \"%.*s\"", S(k->group), S(k->name));
  return str_fmt(a, "cluster \"%.*s\"", S(k->name));
}

static bool same_in_any_case(Str a, Str b) {
  if (a.len != b.len)
    return false;
  for (ptrdiff_t j = 0; j < a.len; j++)
    if (ascii_lower(a.ptr[j]) != ascii_lower(b.ptr[j]))
      return false;
  return true;
}

// Fluent Bit reads its configuration's keys whatever their case, and so
// does ecsc: Name, name and NAME are one option.
const KeyValue *model_log_kv(const LogConfig *l, const char *name) {
  for (int i = 0; i < l->noptions; i++)
    if (same_in_any_case(l->options[i].name, str_c(name)))
      return &l->options[i];
  return NULL;
}

Str model_log_option(const LogConfig *l, const char *name) {
  const KeyValue *kv = model_log_kv(l, name);
  return kv ? kv->value : (Str){0};
}

//
// Fluent Bit's AWS outputs
//

// Each output an aws-for-fluent-bit router offers that writes to AWS: the
// C plugins of fluent-bit itself and AWS's Go plugins the image carries
// beside them (aws/aws-for-fluent-bit, README: "Plugins"). Each refuses to
// start without its destination, and all but s3 without a region, which
// ecsc therefore always gives (derive.c, firelens_region):
//
//   cloudwatch_logs   fluent-bit, plugins/out_cloudwatch_logs: "'region' is
//                     a required field", "'log_group_name' is a required
//                     field", "'log_stream_name' or 'log_stream_prefix' is a
//                     required field" (documentation, "Amazon CloudWatch")
//   cloudwatch        aws/amazon-cloudwatch-logs-for-fluent-bit, the Go
//                     plugin the C one replaces but does not retire (README,
//                     "Do you plan to deprecate this older plugin? At this
//                     time, we do not"): OutputPluginConfig.Validate refuses
//                     no region, no log_group_name, and neither
//                     log_stream_name nor log_stream_prefix. Its README,
//                     "Permissions", adds DescribeLogStreams, and its names
//                     take $(...) templates ("Templating Log Group and
//                     Stream Names"), filled in from each record
//   kinesis_firehose  fluent-bit, plugins/out_kinesis_firehose:
//                     delivery_stream and region required
//   firehose          aws/amazon-kinesis-firehose-for-fluent-bit (Go): the same
//   kinesis_streams   fluent-bit, plugins/out_kinesis_streams: stream and
//                     region required
//   kinesis           aws/amazon-kinesis-streams-for-fluent-bit (Go): the same
//   s3                fluent-bit, plugins/out_s3: bucket required; without a
//                     region it writes to us-east-1's endpoint
//
// Fluent Bit finds an output by its Name in any case (src/flb_output.c,
// check_protocol: strncasecmp).
static const FluentOutput fluent_outputs[] = {
    {"cloudwatch_logs", FLUENT_LOGS, {{"log_group_name", NULL}, {"log_stream_name", "log_stream_prefix"}}, false, false},
    {"cloudwatch", FLUENT_LOGS, {{"log_group_name", NULL}, {"log_stream_name", "log_stream_prefix"}}, true, true},
    {"kinesis_firehose", FLUENT_FIREHOSE, {{"delivery_stream", NULL}}, false, false},
    {"firehose", FLUENT_FIREHOSE, {{"delivery_stream", NULL}}, false, false},
    {"kinesis_streams", FLUENT_KINESIS, {{"stream", NULL}}, false, false},
    {"kinesis", FLUENT_KINESIS, {{"stream", NULL}}, false, false},
    {"s3", FLUENT_S3, {{"bucket", NULL}}, false, false},
};

const FluentOutput *model_fluent_output(Str name) {
  for (int i = 0; i < countof(fluent_outputs); i++)
    if (same_in_any_case(name, str_c(fluent_outputs[i].name)))
      return &fluent_outputs[i];
  return NULL;
}

// The AWS output a name that is none of them is a typo of: the closest within
// "did you mean"'s distance (diag_closest: a third of its length), compared
// in lowercase as Fluent Bit compares; {0} when none is that close. No
// output fluent-bit itself has (fluent/fluent-bit d55459d4, plugins/out_*:
// azure ... websocket; tests/unit/test_literals.c holds the list) is that
// close to one of these, so a real third-party output stays {0}.
Str model_fluent_output_near(Arena *a, Str name) {
  Str names[countof(fluent_outputs)];
  for (int i = 0; i < countof(fluent_outputs); i++)
    names[i] = str_c(fluent_outputs[i].name);
  return diag_closest(str_lower(a, name), names, countof(names));
}

// fluent/fluent-bit d55459d4, src/flb_record_accessor.c, ra_parse_buffer:
// "$TAG" (then "[n]", to its "]") is the tag; any other accessor runs to
// the first ".", " ", "," or '"' not inside '...' quotes; and its lexer
// (src/record_accessor/ra.l) takes [_A-Za-z][A-Za-z0-9_.\-/]* as one
// key's name, so a "/" or "-" in it is part of the key. derive_iam.c grants
// each accessor as *, check_logging.c warns of a key that swallowed a "/".
ptrdiff_t model_record_accessor_end(Str t, ptrdiff_t i) {
  ptrdiff_t end = i + 1;
  if (t.len - end >= 3 && memcmp(t.ptr + end, "TAG", 3) == 0) {
    end += 3;
    const char *close = end < t.len && t.ptr[end] == '['
                            ? memchr(t.ptr + end, ']', (size_t)(t.len - end))
                            : NULL;
    return close ? close - t.ptr + 1 : end;
  }
  for (int quotes = 0; end < t.len; end++) {
    char c = t.ptr[end];
    quotes += c == '\'';
    if (quotes % 2 == 0 && (c == '.' || c == ' ' || c == ',' || c == '"'))
      break;
  }
  return end;
}

// A template of cloudwatch_logs as an ARN's pattern (derive_iam.c's grants):
// each record accessor it holds ($key, $key['sub']['sub'], $TAG, $TAG[1]:
// fluent-bit documentation, "Record accessor") is filled in per record, so
// it becomes *, ending where fluent-bit ends it: "$ecs_cluster/web" is the
// record key "ecs_cluster/web", not $ecs_cluster then "/web" (W1100).
Str model_record_pattern(Arena *a, Str t) {
  Buf b = {.arena = a};
  for (ptrdiff_t i = 0; i < t.len;) {
    if (t.ptr[i] != '$' || i + 1 == t.len) {
      buf_putc(&b, t.ptr[i++]);
      continue;
    }
    buf_putc(&b, '*');
    i = model_record_accessor_end(t, i);
  }
  return buf_str(&b);
}
