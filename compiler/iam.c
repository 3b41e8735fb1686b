// iam.c: derives every IAM policy from the model alone, least privilege, and
// checks the grants users declare. Runs after check.c; the emitters write the
// policies it leaves in Service.exec_policy, Service.task_policy and
// Cluster.instance_policy.
//
// Three roles, each allowed only what its principal does:
//
//   the task execution role of a service: used by the ECS agent to start the
//     service's tasks: read the parameters its secrets name (and decrypt them
//     with the keys declared for them), pull its image when it is in ECR, and
//     write its container logs to its own log group;
//   the task role of a service: used by the application: exactly the grants
//     the service declares, one statement each;
//   the instance role of a cluster: used by the ECS agent itself: register
//     the instances of that cluster, poll for their tasks and report on them.
//     No parameters, no keys, no images, no logs.
//
// Grants: an unknown service prefix or action is an error, a pattern that
// matches no action too; "*" and "prefix:*" actions and "*" resources are
// warnings; a grant that repeats what the execution role already has is a
// note (E0601, E0602, W0601, W0602, N0601).
#include "aws_iam.h"
#include "emit.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

// The account in ARNs: the pinned one, else the Terraform expression of the
// account the plan runs in (the emitter declares the data source).
#define CALLER_ACCOUNT "${data.aws_caller_identity.current.account_id}"

//
// Building statements
//

typedef struct {
  Arena *a;
  Statement *items;
  int n, cap;
} Builder;

static int by_str(const void *a, const void *b) {
  return str_cmp(*(const Str *)a, *(const Str *)b);
}

// A sorted copy of v[0..n) without duplicates.
static Str *sorted(Arena *a, const Str *v, int n, int *out) {
  Str *s = new(a, Str, n > 0 ? n : 1);
  if (n)
    memcpy(s, v, sizeof *s * (size_t)n);
  qsort(s, (size_t)n, sizeof *s, by_str);
  int k = 0;
  for (int i = 0; i < n; i++)
    if (k == 0 || !str_eq(s[k - 1], s[i]))
      s[k++] = s[i];
  *out = k;
  return s;
}

static Statement *add(Builder *b, const char *sid, const Str *actions, int nactions,
                      const Str *resources, int nresources, Span because, Str why) {
  if (b->n == b->cap) {
    int cap = b->cap ? 2 * b->cap : 8;
    Statement *grown = new(b->a, Statement, cap);
    if (b->n)
      memcpy(grown, b->items, sizeof *grown * (size_t)b->n);
    b->items = grown;
    b->cap = cap;
  }
  Statement *s = &b->items[b->n++];
  s->sid = str_c(sid);
  s->actions = sorted(b->a, actions, nactions, &s->nactions);
  s->resources = sorted(b->a, resources, nresources, &s->nresources);
  s->because = because;
  s->why = str_cstr(b->a, why);
  return s;
}

// Adds a condition to s; statements have one or two, so each grows by one.
static void condition(Arena *a, Statement *s, const char *op, const char *key, const Str *values,
                      int n) {
  Condition *grown = new(a, Condition, s->nconditions + 1);
  if (s->nconditions)
    memcpy(grown, s->conditions, sizeof *grown * (size_t)s->nconditions);
  Condition *c = &grown[s->nconditions];
  c->op = str_c(op);
  c->key = str_c(key);
  c->values = sorted(a, values, n, &c->nvalues);
  s->conditions = grown;
  s->nconditions++;
}

static Policy policy(Builder *b) {
  return (Policy){b->items, b->n};
}

//
// ARNs
//

static Str account_of(Environment *e) {
  return e->account.len ? e->account : STR(CALLER_ACCOUNT);
}

Str iam_account(Environment *e) {
  return account_of(e);
}

// Service endpoints, as kms:ViaService names them, end in the partition's
// DNS suffix (AWS General Reference, "Service endpoints"; the China regions
// use amazonaws.com.cn).
static const char *dns_suffix(Str region) {
  return str_eq_c(arn_partition(region), "aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
}

// The full name of a parameter is "/" + the environment's prefix + its path.
// For a name that starts with "/", the ARN has exactly one slash after
// "parameter" (Systems Manager User Guide, "Referencing parameters"; the
// Service Authorization Reference gives the form
// arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}).
static Str parameter_arn(Arena *a, Environment *e, Parameter *p) {
  return str_fmt(a, "arn:%.*s:ssm:%.*s:%.*s:parameter/%.*s%.*s", S(arn_partition(e->region)),
                 S(e->region), S(account_of(e)), S(e->prefix), S(p->path));
}

static Str index_after(Str s, Str needle, ptrdiff_t *at) {
  for (ptrdiff_t i = 0; i + needle.len <= s.len; i++) {
    if (memcmp(s.ptr + i, needle.ptr, (size_t)needle.len) == 0) {
      *at = i;
      return (Str){s.ptr + i + needle.len, s.len - i - needle.len};
    }
  }
  *at = -1;
  return (Str){0};
}

// A private ECR image: ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPO
// followed by :TAG or @DIGEST (Amazon ECR User Guide, "Pulling an image").
// Public ECR (public.ecr.aws) and other registries need no IAM to pull.
static bool ecr_image(Str image, Str *account, Str *region, Str *repo) {
  ptrdiff_t dot = 0;
  while (dot < image.len && image.ptr[dot] != '.')
    dot++;
  if (dot != 12)
    return false;
  for (ptrdiff_t i = 0; i < 12; i++)
    if (image.ptr[i] < '0' || image.ptr[i] > '9')
      return false;
  Str rest = {image.ptr + 13, image.len - 13};
  if (str_starts_with(rest, STR("dkr.ecr.")))
    rest = (Str){rest.ptr + 8, rest.len - 8};
  else if (str_starts_with(rest, STR("dkr.ecr-fips.")))
    rest = (Str){rest.ptr + 13, rest.len - 13};
  else
    return false;
  ptrdiff_t at;
  Str path = index_after(rest, STR(".amazonaws.com/"), &at);
  if (at < 0)
    path = index_after(rest, STR(".amazonaws.com.cn/"), &at);
  if (at <= 0 || path.len == 0)
    return false;
  *account = (Str){image.ptr, 12};
  *region = (Str){rest.ptr, at};
  ptrdiff_t end = path.len;
  for (ptrdiff_t i = 0; i < path.len; i++) {
    if (path.ptr[i] == '@') {
      end = i;
      break;
    }
  }
  for (ptrdiff_t i = end - 1; i >= 0 && path.ptr[i] != '/'; i--)
    if (path.ptr[i] == ':')
      end = i;
  *repo = (Str){path.ptr, end};
  return repo->len > 0;
}

// The key a secure parameter names, as IAM can match it. A key id or key ARN
// is matched by the key's ARN. An alias cannot be: "when an alias is the value
// of a resource element, the policy applies to the alias resource, not to any
// KMS key that might be associated with it" (AWS KMS Developer Guide, "Use
// aliases to control access to KMS keys"). So an alias gives the account's
// keys, key/*, narrowed by kms:ResourceAliases, the aliases of the key being
// used; kms:RequestAlias would not do, since SSM calls Decrypt with the key
// id recorded in the ciphertext, not with an alias.
static void kms_key(Arena *a, Environment *e, Str key, Str *resource, Str *alias) {
  Str partition = arn_partition(e->region);
  *alias = (Str){0};
  if (str_starts_with(key, STR("alias/"))) {
    *alias = key;
    *resource = str_fmt(a, "arn:%.*s:kms:%.*s:%.*s:key/*", S(partition), S(e->region),
                        S(account_of(e)));
    return;
  }
  if (str_starts_with(key, STR("arn:"))) {
    ptrdiff_t at;
    Str name = index_after(key, STR(":alias/"), &at);
    if (at < 0) {
      *resource = key;
      return;
    }
    *alias = str_fmt(a, "alias/%.*s", S(name));
    *resource = str_fmt(a, "%.*s:key/*", (int)at, key.ptr);
    return;
  }
  *resource = str_fmt(a, "arn:%.*s:kms:%.*s:%.*s:key/%.*s", S(partition), S(e->region),
                      S(account_of(e)), S(key));
}

// SecureStrings under the AWS managed key aws/ssm need no kms statement: the
// managed key's own key policy lets every principal of the account use it
// through Systems Manager (AWS KMS Developer Guide, "AWS managed keys"; the
// key policy of aws/ssm allows kms:Decrypt with kms:ViaService
// ssm.REGION.amazonaws.com and kms:CallerAccount).
static bool managed_key(Str key) {
  return key.len == 0 || str_eq_c(key, "alias/aws/ssm") ||
         (str_starts_with(key, STR("arn:")) && key.len > 14 &&
          str_eq_c((Str){key.ptr + key.len - 14, 14}, ":alias/aws/ssm"));
}

//
// The task execution role
//

static Span attr_span(Settings *set, const char *name, Span fallback) {
  Node *n = setting(set, name);
  return n ? n->span : fallback;
}

// ssm:GetParameters on exactly the parameters the secrets name: the agent
// reads them to inject them (Amazon ECS Developer Guide, "Required IAM
// permissions for Amazon ECS secrets"). One statement: an inline policy is
// limited in size (IAM User Guide, "IAM and AWS STS quotas").
static void read_secrets(Builder *b, Service *svc) {
  if (!svc->nsecrets)
    return;
  Arena *a = b->a;
  Environment *e = svc->env;
  Str *arns = new(a, Str, svc->nsecrets);
  Buf names = {.arena = a};
  for (int i = 0; i < svc->nsecrets; i++) {
    arns[i] = parameter_arn(a, e, svc->secrets[i].param);
    buf_printf(&names, "%s%.*s", i ? ", " : "", S(svc->secrets[i].name));
  }
  Str action = STR("ssm:GetParameters");
  add(b, "ReadSecrets", &action, 1, arns, svc->nsecrets,
      attr_span(svc->set, "secrets", svc->span),
      str_fmt(a, "the secret%s %.*s %s read from Parameter Store", svc->nsecrets == 1 ? "" : "s",
              S(buf_str(&names)), svc->nsecrets == 1 ? "is" : "are"));
}

// kms:Decrypt on the keys declared for the secure parameters read, and only
// through Systems Manager: kms:ViaService (AWS KMS Developer Guide,
// "kms:ViaService"). The key's own key policy must let IAM policies grant it,
// as the default key policy does. Keys named by ARN or id share a statement;
// keys named by alias get one statement per account and region, so that an
// alias trusted in one account is not trusted in another.
typedef struct {
  Parameter *param;
  Str resource, alias;  // alias: {0} for a key named by id or ARN
} SecretKey;

static void decrypt_secrets(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  SecretKey *keys = new(a, SecretKey, svc->nsecrets + 1);
  int n = 0;
  for (int i = 0; i < svc->nsecrets; i++) {
    Parameter *p = svc->secrets[i].param;
    bool seen = false;
    for (int k = 0; k < n; k++)
      seen |= keys[k].param == p;
    if (seen || !p->secure || managed_key(p->kms_key))
      continue;
    keys[n].param = p;
    kms_key(a, e, p->kms_key, &keys[n].resource, &keys[n].alias);
    n++;
  }
  Str action = STR("kms:Decrypt");
  Str via = str_fmt(a, "ssm.%.*s.%s", S(e->region), dns_suffix(e->region));
  Str *values = new(a, Str, n + 1);
  bool *done = new(a, bool, n + 1);
  int nalias = 0;
  for (int i = 0; i < n; i++) {
    if (done[i])
      continue;
    // Every key like keys[i]: named by ARN or id, or by alias in the same place.
    bool by_alias = keys[i].alias.len > 0;
    int nv = 0;
    Buf names = {.arena = a};
    for (int k = i; k < n; k++) {
      if (done[k] || (keys[k].alias.len > 0) != by_alias ||
          (by_alias && !str_eq(keys[k].resource, keys[i].resource)))
        continue;
      done[k] = true;
      values[nv++] = by_alias ? keys[k].alias : keys[k].resource;
      buf_printf(&names, "%s%.*s (%.*s)", nv > 1 ? ", " : "", S(keys[k].param->name),
                 S(keys[k].param->kms_key));
    }
    // The parameter's line, until Parameter records where kms_key was set.
    Span because = keys[i].param->kms_key_span;
    if (!by_alias) {
      Statement *s = add(b, "DecryptSecrets", &action, 1, values, nv, because,
                         str_fmt(a, "SecureString parameters encrypted with their own key: %.*s",
                                 S(buf_str(&names))));
      condition(a, s, "StringEquals", "kms:ViaService", &via, 1);
      continue;
    }
    nalias++;
    Str sid = nalias == 1 ? STR("DecryptSecretsByAlias") : str_fmt(a, "DecryptSecretsByAlias%d", nalias);
    Statement *s = add(b, str_cstr(a, sid), &action, 1, &keys[i].resource, 1, because,
                       str_fmt(a, "SecureString parameters encrypted with a key named by alias: %.*s",
                               S(buf_str(&names))));
    condition(a, s, "StringEquals", "kms:ViaService", &via, 1);
    condition(a, s, "ForAnyValue:StringEquals", "kms:ResourceAliases", values, nv);
  }
}

// The agent pulls an ECR image with the task execution role when the task
// definition names one: such a task definition requires the agent
// capability ecs.capability.execution-role-ecr-pull, and the agent then pulls
// with the execution role's credentials (amazon-ecs-agent,
// agent/engine/docker_task_engine.go, pullContainer:
// container.ShouldPullWithExecutionRole()). The three actions are those of
// AmazonECSTaskExecutionRolePolicy; ecr:GetAuthorizationToken has no
// resource types in the Service Authorization Reference ("Actions,
// resources, and condition keys for Amazon Elastic Container Registry"), so
// it is allowed on "*" alone, in its own statement.
static void pull_image(Builder *b, Service *svc) {
  Str account, region, repo;
  if (!ecr_image(svc->image, &account, &region, &repo))
    return;
  Arena *a = b->a;
  Span image = attr_span(svc->set, "image", svc->span);
  static const Str pull[] = {STR_INIT("ecr:BatchCheckLayerAvailability"),
                             STR_INIT("ecr:BatchGetImage"), STR_INIT("ecr:GetDownloadUrlForLayer")};
  Str arn = str_fmt(a, "arn:%.*s:ecr:%.*s:%.*s:repository/%.*s", S(arn_partition(region)),
                    S(region), S(account), S(repo));
  add(b, "PullImage", pull, countof(pull), &arn, 1, image,
      str_fmt(a, "the image is in the ECR repository %.*s", S(repo)));
  Str token = STR("ecr:GetAuthorizationToken"), any = STR("*");
  add(b, "EcrAuth", &token, 1, &any, 1, image,
      STR("pulling from ECR takes a registry token, which has no resource-level permission"));
}

// The awslogs driver writes with the task execution role when the task has
// one (amazon-ecs-agent, agent/api/task/task.go, ApplyExecutionRoleLogsAuth
// sets awslogs-credentials-endpoint to the execution role's credentials).
// Both of its calls are authorized on the log stream, not the group: the
// Service Authorization Reference ("Actions, resources, and condition keys
// for Amazon CloudWatch Logs") lists log-stream,
// arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName},
// as the only resource type of logs:CreateLogStream and of
// logs:PutLogEvents. The driver names each stream PREFIX/CONTAINER/TASK_ID
// (Amazon ECS Developer Guide, "Using the awslogs log driver":
// awslogs-stream-prefix), so the grant is the streams under the service's
// prefix in its own group, and nothing of any other group.
static void write_logs(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  Span logs = svc->span;
  Node *block = NULL;
  for (int i = 0; i < svc->set->nblocks; i++)
    if (str_eq_c(svc->set->blocks[i].name, "logs"))
      block = svc->set->blocks[i].node;
  if (block)
    logs = block->name_span;
  Str streams = str_fmt(a, "arn:%.*s:logs:%.*s:%.*s:log-group:%.*s:log-stream:%.*s/*",
                        S(arn_partition(e->region)), S(e->region), S(account_of(e)),
                        S(svc->log_group), S(svc->stream_prefix));
  static const Str write[] = {STR_INIT("logs:CreateLogStream"), STR_INIT("logs:PutLogEvents")};
  Str why = str_fmt(a, "the container logs to %.*s (awslogs)", S(svc->log_group));
  add(b, "WriteLogs", write, countof(write), &streams, 1, logs, why);
}

//
// The instance role
//

static Str agent_setting(Cluster *k, const char *name) {
  for (int i = 0; i < k->nagent; i++)
    if (str_eq_c(k->agent[i].name, name))
      return k->agent[i].value;
  return (Str){0};
}

// Tags on the container instance: the agent registers it with the tags of
// ECS_CONTAINER_INSTANCE_TAGS, and with the EC2 instance's own when
// ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM is ec2_instance, which it reads
// with ec2:DescribeTags (amazon-ecs-agent README, "Environment Variables";
// DescribeTags has no resource type). RegisterContainerInstance is a
// tag-on-create action: with tags in the request, AWS also authorizes
// ecs:TagResource (Amazon ECS Developer Guide, "Grant permission to tag
// resources on creation"), which the condition ecs:CreateAction keeps to
// registration: the role cannot tag anything after the fact.
static void tag_instances(Builder *b, Cluster *k, Str instances, Str why) {
  Str tags = agent_setting(k, "ECS_CONTAINER_INSTANCE_TAGS");
  bool from_ec2 = str_eq_c(agent_setting(k, "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM"),
                           "ec2_instance");
  bool own = tags.len && !str_eq_c(tags, "{}");
  if (!own && !from_ec2)
    return;
  Str tag = STR("ecs:TagResource"), create = STR("RegisterContainerInstance");
  Statement *s = add(b, "TagOnRegistration", &tag, 1, &instances, 1, k->span, why);
  condition(b->a, s, "StringEquals", "ecs:CreateAction", &create, 1);
  if (!from_ec2)
    return;
  Str describe = STR("ec2:DescribeTags"), any = STR("*");
  add(b, "ReadInstanceTags", &describe, 1, &any, 1, k->span,
      STR("the agent copies the EC2 instance's tags (ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM)"));
}

// The ECS agent's own calls, from AmazonEC2ContainerServiceforEC2Role (AWS
// Managed Policy Reference), scoped by the resource types of the Service
// Authorization Reference ("Actions, resources, and condition keys for
// Amazon Elastic Container Service"): RegisterContainerInstance,
// DeregisterContainerInstance and the Submit*StateChange(s) actions take the
// cluster; Poll, StartTelemetrySession and UpdateContainerInstancesState a
// container instance, whose ARN is container-instance/CLUSTER/ID in the long
// ARN format, the default (Amazon ECS Developer Guide, "Amazon Resource Names
// (ARNs) and IDs"); DiscoverPollEndpoint has no resource type. Left out of
// the managed policy's list: ecs:CreateCluster (Terraform creates the
// cluster, and ECS_CLUSTER names it), and, unless the agent setting that
// calls for it is set: UpdateContainerInstancesState (Spot draining),
// ecs:TagResource and ec2:DescribeTags (instance tags, see tag_instances).
// Image pulls and logs use each task's execution role (see pull_image and
// write_logs), so the instance role needs no ecr or logs action; and it gets
// no parameter and no key: any process on the instance could use them.
static Policy instance_policy(Arena *a, Cluster *k) {
  Builder b = {.a = a};
  Environment *e = k->env;
  Str partition = arn_partition(e->region), account = account_of(e);
  Str cluster = str_fmt(a, "arn:%.*s:ecs:%.*s:%.*s:cluster/%.*s", S(partition), S(e->region),
                        S(account), S(k->aws_name));
  Str instances = str_fmt(a, "arn:%.*s:ecs:%.*s:%.*s:container-instance/%.*s/*", S(partition),
                          S(e->region), S(account), S(k->aws_name));
  Str why = str_fmt(a, "the ECS agent on the instances of cluster %.*s", S(k->name));
  static const Str reg[] = {
      STR_INIT("ecs:DeregisterContainerInstance"), STR_INIT("ecs:RegisterContainerInstance"),
      STR_INIT("ecs:SubmitAttachmentStateChanges"), STR_INIT("ecs:SubmitContainerStateChange"),
      STR_INIT("ecs:SubmitTaskStateChange")};
  add(&b, "RegisterInstances", reg, countof(reg), &cluster, 1, k->span, why);

  // ECS_ENABLE_SPOT_INSTANCE_DRAINING: the agent sets its own instance to
  // DRAINING on a Spot interruption notice (Amazon ECS Developer Guide,
  // "Amazon ECS container agent configuration").
  Str poll[3] = {STR("ecs:Poll"), STR("ecs:StartTelemetrySession")};
  int npoll = 2;
  if (agent_bool(agent_setting(k, "ECS_ENABLE_SPOT_INSTANCE_DRAINING")) == 1)
    poll[npoll++] = STR("ecs:UpdateContainerInstancesState");
  add(&b, "PollForTasks", poll, npoll, &instances, 1, k->span, why);

  Str discover = STR("ecs:DiscoverPollEndpoint"), any = STR("*");
  add(&b, "DiscoverPollEndpoint", &discover, 1, &any, 1, k->span, why);
  tag_instances(&b, k, instances, why);
  return policy(&b);
}

//
// Grants
//

// The span of element i of a grant's list attribute, or of the attribute
// when the list came from elsewhere (a variable).
static Span element_span(Grant *g, const char *attr, int i) {
  for (Node *n = g->node->body; n; n = n->next) {
    if (n->kind != N_ATTR || !str_eq_c(n->name, attr))
      continue;
    if (n->value->kind != N_LIST)
      return n->value->span;
    Node *el = n->value->body;
    for (int k = 0; el && k < i; k++)
      el = el->next;
    return el ? el->span : n->value->span;
  }
  return g->node->name_span;
}

//
// Checking statements against AWS's Service Authorization Reference
// (aws_iam_table.c): every derived statement and every grant
//

// An action of a statement as the reference knows it.
typedef enum {
  ACT_FOUND,       // an action, or a pattern matching at least one
  ACT_ALL,         // "*" or "prefix:*": every action, so no resource check
  ACT_NO_SERVICE,  // unknown prefix
  ACT_NO_MATCH,    // a pattern that matches no action
  ACT_UNKNOWN,     // no such action
} ActStatus;

typedef struct {
  Str text;                  // as written: "logs:CreateLogStream", "s3:Get*"
  Str prefix, name;          // either side of the colon
  ActStatus status;
  const AwsIamService *svc;  // NULL for "*" and unknown prefixes
  int *actions;              // ACT_FOUND: the reference's actions it names
  int n;
} Act;

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

// IAM action names and service prefixes are case-insensitive.
static bool same_name(Str a, Str b) {
  if (a.len != b.len)
    return false;
  for (ptrdiff_t i = 0; i < a.len; i++)
    if (lower(a.ptr[i]) != lower(b.ptr[i]))
      return false;
  return true;
}

// IAM matches action names without regard to case, with * for any run of
// characters and ? for one (IAM User Guide, "IAM JSON policy elements:
// Action").
static Act lookup(Arena *a, Str text) {
  Act act = {.text = text, .status = ACT_ALL};
  if (str_eq_c(text, "*"))
    return act;
  const char *colon = memchr(text.ptr, ':', (size_t)text.len);
  ptrdiff_t at = colon ? colon - text.ptr : text.len;
  act.prefix = (Str){text.ptr, at};
  act.name = colon ? (Str){colon + 1, text.len - at - 1} : (Str){0};
  act.svc = aws_iam_service(act.prefix);
  if (!act.svc) {
    act.status = ACT_NO_SERVICE;
    return act;
  }
  if (str_eq_c(act.name, "*"))
    return act;
  bool pattern = memchr(act.name.ptr, '*', (size_t)act.name.len) ||
                 memchr(act.name.ptr, '?', (size_t)act.name.len);
  act.status = ACT_FOUND;
  if (!pattern) {
    int i = aws_iam_action(act.svc, act.name);
    if (i < 0) {
      act.status = ACT_UNKNOWN;
      return act;
    }
    act.actions = new(a, int, 1);
    act.actions[act.n++] = i;
    return act;
  }
  act.actions = new(a, int, act.svc->nactions);
  ArenaMark mark = arena_mark(a);
  for (int i = 0; i < act.svc->nactions; i++)
    if (str_glob(act.name, aws_iam_action_name(a, act.svc, i), true))
      act.actions[act.n++] = i;
  arena_rewind(a, mark);
  if (!act.n)
    act.status = ACT_NO_MATCH;
  return act;
}

// Whether act allows anything on resource r: "*" is every resource; else r
// must fit the ARN pattern of a resource type one of its actions takes
// (IAM User Guide, "Resources": an action without resource types takes "*"
// alone). The fits already known for r, by resource type, are in memo:
// the actions of a statement share their types (ecs:RegisterContainerInstance
// and four others act on the cluster).
typedef struct {
  int type;
  bool fits;
} Fit;

typedef struct {
  Fit *items;
  int n, cap;
} FitMemo;

static bool type_fits(Arena *a, FitMemo *memo, int type, Str r) {
  for (int i = 0; i < memo->n; i++)
    if (memo->items[i].type == type)
      return memo->items[i].fits;
  bool fits = aws_iam_type_fits(a, type, r);
  if (memo->n == memo->cap) {
    memo->cap = memo->cap ? 2 * memo->cap : 8;
    Fit *grown = new(a, Fit, memo->cap);
    if (memo->n)
      memcpy(grown, memo->items, sizeof *grown * (size_t)memo->n);
    memo->items = grown;
  }
  memo->items[memo->n++] = (Fit){type, fits};
  return fits;
}

static bool accepts(Arena *a, FitMemo *memo, Act *act, Str r) {
  if (act->status == ACT_ALL || str_eq_c(r, "*"))
    return true;
  for (int i = 0; i < act->n; i++)
    for (int k = 0; k < aws_iam_ntypes(act->svc, act->actions[i]); k++)
      if (type_fits(a, memo, aws_iam_type(act->svc, act->actions[i], k), r))
        return true;
  return false;
}

// The service field of an ARN (arn:PARTITION:SERVICE:...), or {0}.
static Str arn_service(Str arn) {
  const char *p = memchr(arn.ptr, ':', (size_t)arn.len);
  const char *q = p ? memchr(p + 1, ':', (size_t)(arn.ptr + arn.len - p - 1)) : NULL;
  const char *r = q ? memchr(q + 1, ':', (size_t)(arn.ptr + arn.len - q - 1)) : NULL;
  return r ? (Str){q + 1, r - q - 1} : (Str){0};
}

// What the actions take, for a help line: "arn:...:log-stream:${LogStreamName}",
// three patterns at most, each once, and only those of the given ARN
// service when one is given; {0} when none.
static Str expected(Arena *a, Act *acts, int nacts, Str service) {
  Buf b = {.arena = a};
  Str shown[3];
  int n = 0, more = 0;
  for (int i = 0; i < nacts; i++) {
    for (int k = 0; acts[i].status == ACT_FOUND && k < acts[i].n; k++) {
      int np;
      Str *patterns = aws_iam_patterns(a, acts[i].svc, acts[i].actions[k], &np);
      for (int p = 0; p < np; p++) {
        if (service.len && !same_name(service, arn_service(patterns[p])))
          continue;
        bool seen = false;
        for (int j = 0; j < n; j++)
          seen |= str_eq(shown[j], patterns[p]);
        if (seen)
          continue;
        if (n < countof(shown))
          shown[n++] = patterns[p];
        else
          more++;
      }
    }
  }
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s%.*s", i == 0 ? "" : i + 1 == n && !more ? " or " : ", ", S(shown[i]));
  if (more)
    buf_printf(&b, " or %d more", more);
  return buf_str(&b);
}

// Where a statement's findings go: the elements of a grant, or, for a
// statement ecsc derived, the line that made ecsc derive it, as ecsc's own
// error (E0607).
typedef struct {
  Compilation *c;
  Grant *grant;   // NULL for a derived statement
  Statement *st;  // the derived statement
} Checker;

__attribute__((format(printf, 3, 4))) static Diag *derived_error(Checker *k, Str help,
                                                                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str what = str_vfmt(&k->c->arena, fmt, ap);
  va_end(ap);
  Diag *d = diag_at(k->c, E0607, k->st->because,
                    "ecsc's derived IAM statement \"%.*s\" is wrong: %.*s", S(k->st->sid), S(what));
  if (help.len)
    diag_help(k->c, d, "%.*s", S(help));
  diag_help(k->c, d, "unless this line is wrong, this is a bug in ecsc: please report it");
  return d;
}

// Every action of a service as a grant names it: "logs:CreateLogStream".
static Str *qualified_names(Arena *a, const AwsIamService *svc, Str prefix) {
  Str *names = new(a, Str, svc->nactions);
  for (int i = 0; i < svc->nactions; i++)
    names[i] = str_fmt(a, "%.*s:%.*s", S(prefix), S(aws_iam_action_name(a, svc, i)));
  return names;
}

// An action the reference does not know, or a wildcard one: E0601, E0602
// and W0601 in a grant, E0607 in a derived statement.
static void check_action(Checker *k, Act *act, int i) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Span at = k->grant ? element_span(k->grant, "actions", i) : (Span){0};
  Str action = act->text;
  Diag *d;
  switch (act->status) {
  case ACT_FOUND:
    return;
  case ACT_ALL:
    if (!k->grant)
      return;
    if (!act->svc) {
      d = diag_at(c, W0601, at, "grant of every action of every AWS service");
      diag_help(c, d, "name the actions the service calls, such as \"s3:GetObject\"");
      return;
    }
    d = diag_at(c, W0601, at, "grant of every \"%.*s\" action", S(act->prefix));
    diag_help(c, d, "name the actions the service calls, or a narrower pattern such as \"%.*s:Get*\"",
              S(act->prefix));
    return;
  case ACT_NO_SERVICE:
    if (!k->grant) {
      derived_error(k, (Str){0}, "unknown AWS service prefix \"%.*s\" in action \"%.*s\"",
                    S(act->prefix), S(action));
      return;
    }
    d = diag_at(c, E0601, at, "unknown AWS service prefix \"%.*s\" in action \"%.*s\"",
                S(act->prefix), S(action));
    Str *prefixes = new(a, Str, aws_iam_nservices);
    for (int s = 0; s < aws_iam_nservices; s++)
      prefixes[s] = aws_iam_prefix(a, &aws_iam_services[s]);
    diag_did_you_mean(c, d, act->prefix, prefixes, aws_iam_nservices);
    return;
  case ACT_NO_MATCH:
    if (!k->grant) {
      derived_error(k, (Str){0}, "IAM action pattern \"%.*s\" matches no action of \"%.*s\"",
                    S(action), S(act->prefix));
      return;
    }
    diag_at(c, E0602, at, "IAM action pattern \"%.*s\" matches no action of \"%.*s\"", S(action),
            S(act->prefix));
    return;
  case ACT_UNKNOWN:
    break;
  }
  if (!k->grant) {
    derived_error(k, (Str){0}, "unknown IAM action \"%.*s\"", S(action));
    return;
  }
  d = diag_at(c, E0602, at, "unknown IAM action \"%.*s\"", S(action));
  int starts = 0;
  for (int x = 0; x < act->svc->nactions; x++) {
    Str name = aws_iam_action_name(a, act->svc, x);
    starts += name.len > act->name.len && same_name(act->name, (Str){name.ptr, act->name.len});
  }
  if (starts) {
    // "ec2:Describe": the start of many actions, none of them.
    diag_help(c, d, "\"%.*s\" begins %d action%s of \"%.*s\"; write \"%.*s*\" for all of them, or "
                    "name the ones the service calls", S(act->name), starts, starts == 1 ? "" : "s",
              S(act->prefix), S(action));
    return;
  }
  diag_did_you_mean(c, d, action, qualified_names(a, act->svc, act->prefix), act->svc->nactions);
}

// E0603/E0605 (E0607): an action that acts on none of the statement's
// resources.
static void no_resource(Checker *k, Act *act, int i, const Str *res, int nres) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Str want = expected(a, act, 1, (Str){0});
  Str on = nres == 1 ? str_fmt(a, "\"%.*s\"", S(res[0])) : STR("any of the grant's resources");
  if (!want.len) {
    // No resource types: the action is authorized on "*" alone.
    Str help = str_fmt(a, "%.*s has no resource types in the Service Authorization Reference",
                       S(act->text));
    if (!k->grant) {
      derived_error(k, str_fmt(a, "%.*s: it takes \"*\" alone", S(help)),
                    "\"%.*s\" takes no resource ARN, found %.*s", S(act->text), S(on));
      return;
    }
    Diag *d = diag_at(c, E0605, element_span(k->grant, "actions", i),
                      "IAM action \"%.*s\" takes no resource ARN, found %.*s", S(act->text), S(on));
    diag_help(c, d, "%.*s: write resources = [\"*\"] in a grant of its own", S(help));
    return;
  }
  Str help = str_fmt(a, "%.*s acts on %.*s", S(act->text), S(want));
  if (!k->grant) {
    derived_error(k, help, "\"%.*s\" does not act on %.*s", S(act->text), S(on));
    return;
  }
  Diag *d = diag_at(c, E0603, element_span(k->grant, "actions", i),
                    "IAM action \"%.*s\" does not act on %.*s", S(act->text), S(on));
  diag_help(c, d, "%.*s", S(help));
}

// Each resource is "*" or an ARN (E0606); each action must act on one of
// them (E0603, E0605), and each must be acted on by one of the actions
// (E0604), as IAM authorizes a request only when the statement matches both
// its action and its resource (IAM User Guide, "Policy evaluation logic").
static void check_resources(Checker *k, Act *acts, int nacts, const Str *res, int nres) {
  Compilation *c = k->c;
  Arena *a = &c->arena;
  Str *arns = new(a, Str, nres + 1);
  int *at = new(a, int, nres + 1);
  int narns = 0;
  for (int i = 0; i < nres; i++) {
    if (str_eq_c(res[i], "*") || aws_iam_is_arn(res[i])) {
      at[narns] = i;
      arns[narns++] = res[i];
      continue;
    }
    if (!k->grant) {
      derived_error(k, (Str){0}, "resource \"%.*s\" is not an ARN", S(res[i]));
      continue;
    }
    Diag *d = diag_at(c, E0606, element_span(k->grant, "resources", i),
                      "resource \"%.*s\" is not an ARN", S(res[i]));
    diag_help(c, d, "an ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, such as "
                    "arn:aws:s3:::orders/*; or \"*\" for every resource");
  }
  if (!narns)
    return;
  // takes[i * narns + r]: action i acts on resource r.
  FitMemo *memo = new(a, FitMemo, narns);
  bool *takes = new(a, bool, nacts * narns + 1);
  bool every = false;
  int specific = 0, failed = 0;
  for (int i = 0; i < nacts; i++) {
    every |= acts[i].status == ACT_ALL;
    if (acts[i].status != ACT_FOUND)
      continue;
    specific++;
    bool any = false;
    for (int r = 0; r < narns; r++)
      any |= takes[i * narns + r] = accepts(a, &memo[r], &acts[i], arns[r]);
    if (!any) {
      failed++;
      no_resource(k, &acts[i], i, arns, narns);
    }
  }
  // A resource no action takes, when some action took another (else the
  // action's error says it all).
  if (every || specific == failed)
    return;
  for (int r = 0; r < narns; r++) {
    bool taken = false;
    for (int i = 0; i < nacts; i++)
      taken |= takes[i * narns + r];
    if (taken)
      continue;
    Str service = arn_service(arns[r]);
    Str want = expected(a, acts, nacts, service);
    const char *whose = k->grant ? "grant" : "statement";
    Str help = want.len ? str_fmt(a, "the %s's actions act on %.*s", whose, S(want))
                        : str_fmt(a, "no action of the %s acts on a resource of \"%.*s\"", whose,
                                  S(service));
    if (!k->grant) {
      derived_error(k, help, "no action of the statement acts on \"%.*s\"", S(arns[r]));
      continue;
    }
    Diag *d = diag_at(c, E0604, element_span(k->grant, "resources", at[r]),
                      "no action of the grant acts on \"%.*s\"", S(arns[r]));
    diag_help(c, d, "%.*s; give this resource a grant of its own, with the actions that act on it",
              S(help));
  }
}

// Each condition key must be one every action of the statement defines (its
// own, or one of its resource types'), or a global key (IAM User Guide,
// "AWS global condition context keys"): IAM evaluates a key the request
// lacks as absent, so a wrong key makes a condition that never holds. Only
// derived statements have conditions.
static void check_conditions(Checker *k, Act *acts, int nacts) {
  Arena *a = &k->c->arena;
  for (int ci = 0; ci < k->st->nconditions; ci++) {
    Str key = k->st->conditions[ci].key;
    if (aws_iam_global_key(key))
      continue;
    for (int i = 0; i < nacts; i++) {
      if (acts[i].status != ACT_FOUND)
        continue;
      bool applies = false;
      for (int x = 0; x < acts[i].n && !applies; x++)
        applies = aws_iam_key_applies(acts[i].svc, acts[i].actions[x], key);
      if (applies)
        continue;
      int nkeys;
      Str *keys = aws_iam_action_keys(a, acts[i].svc, acts[i].actions[0], &nkeys);
      Buf b = {.arena = a};
      for (int x = 0; x < nkeys; x++)
        buf_printf(&b, "%s%.*s", x ? ", " : "", S(keys[x]));
      Str takes = nkeys ? buf_str(&b) : STR("no key of its own");
      derived_error(k,
                    str_fmt(a, "%.*s takes %.*s, or a global aws: key", S(acts[i].text), S(takes)),
                    "condition key \"%.*s\" does not apply to \"%.*s\"", S(key), S(acts[i].text));
    }
  }
}

// A derived statement: ecsc's own, so any finding is ecsc's bug (E0607).
void iam_check_statement(Compilation *c, Statement *st) {
  Checker k = {.c = c, .st = st};
  Act *acts = new(&c->arena, Act, st->nactions + 1);
  for (int i = 0; i < st->nactions; i++) {
    acts[i] = lookup(&c->arena, st->actions[i]);
    check_action(&k, &acts[i], i);
  }
  check_resources(&k, acts, st->nactions, st->resources, st->nresources);
  check_conditions(&k, acts, st->nactions);
}

// What a check allocates is dropped when it reported nothing (almost
// always): a platform of thousands of services keeps only its findings.
static ArenaMark check_begin(Compilation *c, Diag ***tail) {
  *tail = c->diags_tail;
  return arena_mark(&c->arena);
}

static void check_end(Compilation *c, ArenaMark mark, Diag **tail) {
  if (c->diags_tail == tail)
    arena_rewind(&c->arena, mark);
}

static void check_policy(Compilation *c, Policy *p) {
  for (int i = 0; i < p->n; i++) {
    Diag **tail;
    ArenaMark mark = check_begin(c, &tail);
    iam_check_statement(c, &p->statements[i]);
    check_end(c, mark, tail);
  }
}

// A grant that gives the task role what the execution role already has: the
// agent injects the secrets and pulls the image itself, so the application
// rarely needs the same access. A note, since it may (reading a parameter at
// run time is a design some applications have).
static void check_repeat(Compilation *c, Service *svc, Grant *g) {
  Policy *p = &svc->exec_policy;
  for (int ai = 0; ai < g->nactions; ai++) {
    for (int ri = 0; ri < g->nresources; ri++) {
      for (int s = 0; s < p->n; s++) {
        Statement *st = &p->statements[s];
        for (int x = 0; x < st->nactions; x++) {
          if (!same_name(st->actions[x], g->actions[ai]))
            continue;
          for (int y = 0; y < st->nresources; y++) {
            if (!str_eq(st->resources[y], g->resources[ri]))
              continue;
            Diag *d = diag_at(c, N0601, element_span(g, "actions", ai),
                              "grant repeats the task execution role: %.*s on %.*s",
                              S(g->actions[ai]), S(g->resources[ri]));
            diag_note(c, d, st->because, "the task execution role has it because %s", st->why);
            diag_help(c, d, "the ECS agent uses the execution role before the application "
                            "starts; keep the grant only if the application calls %.*s itself",
                      S(g->actions[ai]));
            return;
          }
        }
      }
    }
  }
}

static void check_grant(Compilation *c, Service *svc, Grant *g) {
  Checker k = {.c = c, .grant = g};
  Act *acts = new(&c->arena, Act, g->nactions + 1);
  for (int i = 0; i < g->nactions; i++) {
    acts[i] = lookup(&c->arena, g->actions[i]);
    check_action(&k, &acts[i], i);
  }
  for (int i = 0; i < g->nresources; i++) {
    Str r = g->resources[i];
    if (str_eq_c(r, "*")) {
      Diag *d = diag_at(c, W0602, element_span(g, "resources", i), "grant on every resource (\"*\")");
      diag_help(c, d, "name the ARNs the service uses; \"*\" is needed only for actions without "
                      "resource-level permissions (Service Authorization Reference)");
      continue;
    }
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. A "*" account is that
    // resource name in every account, anyone's.
    const char *p = r.ptr, *end = r.ptr + r.len;
    int field = 0;
    const char *account = NULL;
    for (; p < end && field < 5; p++)
      if (*p == ':' && ++field == 4)
        account = p + 1;
    if (account && account + 1 < end && account[0] == '*' && account[1] == ':') {
      Diag *d = diag_at(c, W0602, element_span(g, "resources", i),
                        "grant on \"%.*s\" in every AWS account", S(r));
      diag_help(c, d, "write the account id; a grant that differs by environment goes in its "
                      "in \"ENV\" block");
    }
  }
  check_resources(&k, acts, g->nactions, g->resources, g->nresources);
  check_repeat(c, svc, g);
}

static Policy task_policy(Arena *a, Service *svc) {
  Builder b = {.a = a};
  for (int i = 0; i < svc->ngrants; i++) {
    Grant *g = &svc->grants[i];
    Statement *st = add(&b, str_cstr(a, str_fmt(a, "Grant%d", i + 1)), g->actions, g->nactions, g->resources, g->nresources,
        g->node->name_span, STR("declared by this grant"));
    st->literal = true;  // the user's text: IAM variables stay as written
  }
  return policy(&b);
}

void iam_derive(Compilation *c, Model *m) {
  Arena *a = &c->arena;
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    for (int k = 0; k < e->nclusters; k++) {
      e->clusters[k]->instance_policy = instance_policy(a, e->clusters[k]);
      check_policy(c, &e->clusters[k]->instance_policy);
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      Builder b = {.a = a};
      read_secrets(&b, svc);
      decrypt_secrets(&b, svc);
      pull_image(&b, svc);
      write_logs(&b, svc);
      svc->exec_policy = policy(&b);
      svc->task_policy = task_policy(a, svc);
      check_policy(c, &svc->exec_policy);
      for (int g = 0; g < svc->ngrants; g++) {
        Diag **tail;
        ArenaMark mark = check_begin(c, &tail);
        check_grant(c, svc, &svc->grants[g]);
        check_end(c, mark, tail);
      }
    }
  }
}

//
// ecsc lint --iam
//

static json_t *text(Str s) {
  return json_stringn(s.ptr, (size_t)s.len);
}

static json_t *strings(const Str *v, int n) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(arr, text(v[i]));
  return arr;
}

static void add_condition(json_t *cond, Condition *c) {
  json_t *keys = json_object_getn(cond, c->op.ptr, (size_t)c->op.len);
  if (!keys) {
    keys = json_object();
    json_object_setn_new(cond, c->op.ptr, (size_t)c->op.len, keys);
  }
  json_object_setn_new(keys, c->key.ptr, (size_t)c->key.len, strings(c->values, c->nvalues));
}

// The policy document as AWS reads it, and as the emitters write it; null
// when the role has no statement (IAM refuses an empty policy, so none is
// attached).
static json_t *policy_json(Policy *p) {
  if (!p->n)
    return json_null();
  json_t *doc = json_object();
  json_object_set_new(doc, "Version", json_string("2012-10-17"));
  json_t *list = json_array();
  for (int i = 0; i < p->n; i++) {
    Statement *s = &p->statements[i];
    json_t *st = json_object();
    json_object_set_new(st, "Sid", text(s->sid));
    json_object_set_new(st, "Effect", json_string("Allow"));
    json_object_set_new(st, "Action", strings(s->actions, s->nactions));
    json_object_set_new(st, "Resource", strings(s->resources, s->nresources));
    if (s->nconditions) {
      json_t *cond = json_object();
      for (int k = 0; k < s->nconditions; k++)
        add_condition(cond, &s->conditions[k]);
      json_object_set_new(st, "Condition", cond);
    }
    json_array_append_new(list, st);
  }
  json_object_set_new(doc, "Statement", list);
  return doc;
}

static json_t *role_json(Str role, Policy *p) {
  json_t *obj = json_object();
  json_object_set_new(obj, "role", text(role));
  json_object_set_new(obj, "policy", policy_json(p));
  return obj;
}

static void explain_json(Model *m, Buf *out) {
  json_t *root = json_object();
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    json_t *env = json_object(), *clusters = json_object(), *services = json_object();
    for (int k = 0; k < e->nclusters; k++) {
      Cluster *cl = e->clusters[k];
      json_object_setn_new(clusters, cl->name.ptr, (size_t)cl->name.len,
                           role_json(cl->instance_role, &cl->instance_policy));
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      json_t *roles = json_object();
      json_object_set_new(roles, "execution_role", role_json(svc->exec_role, &svc->exec_policy));
      json_object_set_new(roles, "task_role", role_json(svc->task_role, &svc->task_policy));
      json_object_setn_new(services, svc->name.ptr, (size_t)svc->name.len, roles);
    }
    json_object_set_new(env, "clusters", clusters);
    json_object_set_new(env, "services", services);
    json_object_setn_new(root, e->name.ptr, (size_t)e->name.len, env);
  }
  buf_put(out, jsonout_dump(out->arena, root));
}

static void join(Buf *out, const Str *v, int n) {
  for (int i = 0; i < n; i++)
    buf_printf(out, "%s%.*s", i ? ", " : "", S(v[i]));
}

static void explain_role(Compilation *c, Buf *out, Environment *e, Str role, const char *what,
                         Str owner, Policy *p) {
  buf_printf(out, "%.*s: role \"%.*s\" (%s \"%.*s\")\n", S(e->name), S(role), what, S(owner));
  if (!p->n)
    buf_puts(out, "  no statements: nothing calls for any\n");
  for (int i = 0; i < p->n; i++) {
    Statement *s = &p->statements[i];
    buf_puts(out, "  Allow ");
    join(out, s->actions, s->nactions);
    buf_puts(out, " on ");
    join(out, s->resources, s->nresources);
    for (int k = 0; k < s->nconditions; k++) {
      Condition *cs = &s->conditions[k];
      buf_printf(out, " %s %.*s %.*s = ", k == 0 ? "when" : "and", S(cs->op), S(cs->key));
      join(out, cs->values, cs->nvalues);
    }
    buf_putc(out, '\n');
    if (s->because.src) {
      LineCol lc = source_linecol(&c->arena, s->because.src, s->because.start);
      buf_printf(out, "    because %.*s:%d: %s\n", S(s->because.src->path), lc.line, s->why);
    }
  }
}

void iam_explain(Compilation *c, Model *m, Buf *out, bool json) {
  if (json) {
    explain_json(m, out);
    return;
  }
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    for (int k = 0; k < e->nclusters; k++) {
      Cluster *cl = e->clusters[k];
      explain_role(c, out, e, cl->instance_role, "instance role of cluster", cl->name,
                   &cl->instance_policy);
    }
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      explain_role(c, out, e, svc->exec_role, "task execution role of service", svc->name,
                   &svc->exec_policy);
      explain_role(c, out, e, svc->task_role, "task role of service", svc->name,
                   &svc->task_policy);
    }
  }
}

Str arn_partition(Str region) {
  if (str_starts_with(region, STR("cn-")))
    return STR("aws-cn");
  if (str_starts_with(region, STR("us-gov-")))
    return STR("aws-us-gov");
  return STR("aws");
}
