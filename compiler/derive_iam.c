// derive_iam.c: every IAM policy ecsc writes, derived from the model alone,
// least privilege. Part of the derive stage (derive.c): what it leaves in
// Service.exec_policy, Service.task_policy and Cluster.instance_policy the
// emitters write, and check_iam.c judges against AWS's Service Authorization
// Reference.
//
// Four roles, each allowed only what its principal does:
//
//   the task execution role of a service: used by the ECS agent to start the
//     service's tasks: read the parameters its secrets name (and decrypt them
//     with the keys declared for them), pull its image when it is in ECR, and
//     write its container logs to its own log group;
//   the task role of a service: used by the application: exactly the grants
//     the service declares, one statement each;
//   the instance role of a cluster: used by the ECS agent itself: register
//     the instances of that cluster, poll for their tasks and report on them.
//     No parameters, no keys, no images, no logs;
//   the infrastructure role of a service with an EBS volume: used by ECS to
//     create, attach and delete that volume for each task.
#include "model.h"

#include <stdlib.h>
#include <string.h>

//
// Building statements
//

typedef struct {
  Statement *items;
  ptrdiff_t len, cap;
  Arena *a;
} Builder;

// A sorted copy of v[0..n) without duplicates.
static Str *sorted(Arena *a, const Str *v, int n, int *out) {
  Str *s = new(a, Str, n > 0 ? n : 1);
  if (n)
    memcpy(s, v, sizeof *s * (size_t)n);
  qsort(s, (size_t)n, sizeof *s, str_cmp_qsort);
  int k = 0;
  for (int i = 0; i < n; i++)
    if (k == 0 || !str_eq(s[k - 1], s[i]))
      s[k++] = s[i];
  *out = k;
  return s;
}

static Statement *add_statement(Builder *b, const char *sid, const Str *actions, int nactions,
                      const Str *resources, int nresources, Span because, Str why) {
  Statement *s = list_push(b->a, b);
  s->sid = str_c(sid);
  s->actions = sorted(b->a, actions, nactions, &s->nactions);
  s->resources = sorted(b->a, resources, nresources, &s->nresources);
  s->because = because;
  s->why = str_cstr(b->a, why);
  return s;
}

// Adds a condition to s; statements have one or two, so each grows by one.
static void add_condition(Arena *a, Statement *s, const char *op, const char *key, const Str *values,
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
  return (Policy){b->items, (int)b->len};
}

//
// ARNs
//

// Service endpoints, as kms:ViaService names them (SERVICE.REGION.amazonaws.com
// in the aws partition: AWS KMS Developer Guide, "kms:ViaService"), end in
// the partition's DNS suffix (partitions.h): botocore 1.43.11's
// data/endpoints.json gives every partition the hostname
// {service}.{region}.{dnsSuffix}, and ssm, secretsmanager and ec2 no other
// in aws-cn and aws-us-gov, so ssm.cn-north-1.amazonaws.com.cn in China.
static const char *dns_suffix(Str region) {
  return model_partition_of(region)->dns_suffix;
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

// The key a secure parameter names, as IAM can match it. A key id or key ARN
// is matched by the key's ARN. An alias cannot be: "when an alias is the value
// of a resource element, the policy applies to the alias resource, not to any
// KMS key that might be associated with it" (AWS KMS Developer Guide, "Use
// aliases to control access to KMS keys"). So an alias gives the account's
// keys, key/*, narrowed by kms:ResourceAliases, the aliases of the key being
// used; kms:RequestAlias would not do, since SSM calls Decrypt with the key
// id recorded in the ciphertext, not with an alias.
// A key id or alias names a key of the account and region of the secret or
// parameter it encrypts, its home (Home, below): KMS resolves one in the
// account and region it is called in ("To specify a KMS key in a different
// Amazon Web Services account, you must use the key ARN or alias ARN", KMS
// API Reference, Decrypt: KeyId), and the store calls the KMS of its own.
typedef struct {
  Str region, account;  // of the secret or parameter: its ARN's, else the environment's
} Home;

static void kms_key(Arena *a, Environment *e, Home h, Str key, Str *resource, Str *alias) {
  Str partition = e->partition;
  *alias = (Str){0};
  if (str_starts_with(key, STR("alias/"))) {
    *alias = key;
    *resource = str_fmt(a, "arn:%.*s:kms:%.*s:%.*s:key/*", S(partition), S(h.region),
                        S(h.account));
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
  *resource = str_fmt(a, "arn:%.*s:kms:%.*s:%.*s:key/%.*s", S(partition), S(h.region),
                      S(h.account), S(key));
}

// Where a secret or parameter named by ARN lives (ECS reads it there: "If
// the parameter exists in a different Region, then the full ARN must be
// specified", ECS Developer Guide), else the environment's account and region.
static Home home_of(Environment *e, Str arn) {
  if (!str_starts_with(arn, STR("arn:")))
    return (Home){e->region, e->arn_account};
  return (Home){model_arn_part(arn, 2), model_arn_part(arn, 3)};
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

// Every secret of every container of the task, the service's own first,
// from Parameter Store (sm false) or from Secrets Manager (sm true); *at is
// the first such container's secrets, the line that calls for the grant.
static int all_secrets(Arena *a, Service *svc, bool sm, Secret **out, Span *at) {
  int n = 0;
  for (int i = 0; i < svc->ncontainers; i++)
    n += svc->containers[i]->nsecrets;
  *out = new(a, Secret, n ? n : 1);
  *at = (Span){0};
  n = 0;
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    for (int j = 0; j < k->nsecrets; j++) {
      if ((k->secrets[j].sm != NULL) != sm)
        continue;
      if (!at->src)
        *at = span_or(k->at.secrets, k->span);
      (*out)[n++] = k->secrets[j];
    }
  }
  return n;
}

// One statement reading each of a service's secrets from one store, Parameter
// Store or (sm) Secrets Manager, on exactly its ARN. Returns how many, the
// secrets in *out.
static int read_store(Builder *b, Service *svc, bool sm, Secret **out) {
  Arena *a = b->a;
  Environment *e = svc->env;
  Span because;
  int n = all_secrets(a, svc, sm, out, &because);
  if (!n)
    return 0;
  Str *arns = new(a, Str, n);
  Buf names = {.arena = a};
  for (int i = 0; i < n; i++) {
    Secret *k = &(*out)[i];
    arns[i] = sm ? e->sm_resources[k->sm->index] : e->ssm_arns[k->param->index];
    buf_printf(&names, "%s%.*s", i ? ", " : "", S(k->name));
  }
  Str action = sm ? STR("secretsmanager:GetSecretValue") : STR("ssm:GetParameters");
  add_statement(b, sm ? "ReadSecretsManager" : "ReadSecrets", &action, 1, arns, n, because,
      str_fmt(a, "the secret%s %.*s %s read from %s", n == 1 ? "" : "s", S(buf_str(&names)),
              n == 1 ? "is" : "are", sm ? "Secrets Manager" : "Parameter Store"));
  return n;
}

// ssm:GetParameters on exactly the parameters the secrets name: the agent
// reads them to inject them (Amazon ECS Developer Guide, "Required IAM
// permissions for Amazon ECS secrets"). One statement: an inline policy is
// limited in size (IAM User Guide, "IAM and AWS STS quotas").
static void read_secrets(Builder *b, Service *svc) {
  Secret *secrets;
  read_store(b, svc, false, &secrets);
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
  Str via;              // ssm.REGION.SUFFIX: the parameter's region's Systems Manager
} SecretKey;

static void decrypt_secrets(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  Secret *secrets;
  Span unused;
  int nsecrets = all_secrets(a, svc, false, &secrets, &unused);
  SecretKey *keys = new(a, SecretKey, nsecrets + 1);
  int n = 0;
  for (int i = 0; i < nsecrets; i++) {
    Parameter *p = secrets[i].param;
    bool seen = false;
    for (int k = 0; k < n; k++)
      seen |= keys[k].param == p;
    if (seen || !p->secure || managed_key(p->kms_key))
      continue;
    keys[n].param = p;
    Home h = home_of(e, p->external);
    kms_key(a, e, h, p->kms_key, &keys[n].resource, &keys[n].alias);
    keys[n].via = str_fmt(a, "ssm.%.*s.%s", S(h.region), dns_suffix(h.region));
    n++;
  }
  Str action = STR("kms:Decrypt");
  Str *values = new(a, Str, n + 1);
  Str *vias = new(a, Str, n + 1);
  bool *done = new(a, bool, n + 1);
  int nalias = 0;
  for (int i = 0; i < n; i++) {
    if (done[i])
      continue;
    // Every key like keys[i]: named by ARN or id, or by alias in the same place.
    bool by_alias = keys[i].alias.len > 0;
    int nv = 0, nvia = 0;
    Buf names = {.arena = a};
    for (int k = i; k < n; k++) {
      if (done[k] || (keys[k].alias.len > 0) != by_alias ||
          (by_alias && !str_eq(keys[k].resource, keys[i].resource)))
        continue;
      done[k] = true;
      values[nv++] = by_alias ? keys[k].alias : keys[k].resource;
      bool known = false;  // the regions' Systems Managers, each once, in order
      for (int v = 0; v < nvia; v++)
        known |= str_eq(vias[v], keys[k].via);
      if (!known)
        vias[nvia++] = keys[k].via;
      buf_printf(&names, "%s%.*s (%.*s)", nv > 1 ? ", " : "", S(keys[k].param->name),
                 S(keys[k].param->kms_key));
    }
    // The parameter's line, until Parameter records where kms_key was set.
    Span because = span_or(keys[i].param->at.kms_key, keys[i].param->span);
    if (!by_alias) {
      Statement *s = add_statement(b, "DecryptSecrets", &action, 1, values, nv, because,
                         str_fmt(a, "SecureString parameters encrypted with their own key: %.*s",
                                 S(buf_str(&names))));
      add_condition(a, s, "StringEquals", "kms:ViaService", vias, nvia);
      continue;
    }
    nalias++;
    Str sid = nalias == 1 ? STR("DecryptSecretsByAlias") : str_fmt(a, "DecryptSecretsByAlias%d", nalias);
    Statement *s = add_statement(b, str_cstr(a, sid), &action, 1, &keys[i].resource, 1, because,
                       str_fmt(a, "SecureString parameters encrypted with a key named by alias: %.*s",
                               S(buf_str(&names))));
    add_condition(a, s, "StringEquals", "kms:ViaService", vias, nvia);
    add_condition(a, s, "ForAnyValue:StringEquals", "kms:ResourceAliases", values, nv);
  }
}

// secretsmanager:GetSecretValue on exactly the secrets the containers
// name, and kms:Decrypt, through Secrets Manager only, for those encrypted
// with a customer managed key (Amazon ECS Developer Guide, "Required IAM
// permissions for Amazon ECS secrets": "secretsmanager:GetSecretValue",
// and "kms:Decrypt" only "if your secret uses a custom KMS key"; AWS KMS
// Developer Guide, "kms:ViaService"). The resources are derive.c's: a
// secret named by name has -?????? for the six characters AWS adds.
static bool managed_secret_key(Str key) {
  return !key.len || str_eq_c(key, "alias/aws/secretsmanager");
}

static void read_sm_secrets(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  Secret *secrets;
  int n = read_store(b, svc, true, &secrets);
  Str decrypt = STR("kms:Decrypt");
  int nalias = 0, nkeys = 0;
  for (int i = 0; i < n; i++) {
    SmSecret *k = secrets[i].sm;
    bool seen = false;
    for (int j = 0; j < i; j++)
      seen |= secrets[j].sm == k;
    if (seen || managed_secret_key(k->kms_key))
      continue;
    // The key is of the secret's region (check_regions.c, E1215, cites it).
    Home h = home_of(e, k->arn);
    Str resource, alias;
    kms_key(a, e, h, k->kms_key, &resource, &alias);
    Str via = str_fmt(a, "secretsmanager.%.*s.%s", S(h.region), dns_suffix(h.region));
    int number = alias.len ? ++nalias : ++nkeys;
    const char *base = alias.len ? "DecryptSecretsManagerByAlias" : "DecryptSecretsManager";
    Str sid = number == 1 ? str_c(base) : str_fmt(a, "%s%d", base, number);
    Statement *st = add_statement(b, str_cstr(a, sid), &decrypt, 1, &resource, 1,
                        span_or(k->at.kms_key, k->span),
                        str_fmt(a, "secret %.*s is encrypted with its own key %.*s", S(k->name),
                                S(k->kms_key)));
    add_condition(a, st, "StringEquals", "kms:ViaService", &via, 1);
    if (alias.len)
      add_condition(a, st, "ForAnyValue:StringEquals", "kms:ResourceAliases", &alias, 1);
  }
}

// Environment files: the agent downloads each with the execution role
// (Amazon ECS Developer Guide, "Pass environment variables to an Amazon ECS
// container": the task execution role needs "s3:GetObject" on the file and
// "s3:GetBucketLocation" on its bucket). The Service Authorization
// Reference gives s3:GetObject the object, arn:${Partition}:s3:::${BucketName}/${ObjectName},
// and s3:GetBucketLocation the bucket.
static void read_env_files(Builder *b, Service *svc) {
  Arena *a = b->a;
  int total = 0;
  for (int i = 0; i < svc->ncontainers; i++)
    total += svc->containers[i]->nenv_files;
  if (!total)
    return;
  Str *objects = new(a, Str, total), *buckets = new(a, Str, total);
  int n = 0;
  Span because = {0};
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    if (k->nenv_files && !because.src)
      because = span_or(k->at.env_files, k->span);
    for (int j = 0; j < k->nenv_files; j++) {
      Str arn = k->env_files[j];  // arn:PARTITION:s3:::BUCKET/KEY (schema.c)
      const char *slash = memchr(arn.ptr, '/', (size_t)arn.len);
      objects[n] = arn;
      buckets[n++] = (Str){arn.ptr, slash - arn.ptr};
    }
  }
  Str get = STR("s3:GetObject"), locate = STR("s3:GetBucketLocation");
  add_statement(b, "ReadEnvFiles", &get, 1, objects, n, because,
      STR("the environment files are read from S3"));
  add_statement(b, "LocateEnvFileBuckets", &locate, 1, buckets, n, because,
      STR("the agent asks where the environment files' buckets are"));
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
//
// Each container's image is pulled so: one statement for the repositories
// of all of them, the first ECR image's line its cause.
static void pull_image(Builder *b, Service *svc) {
  Arena *a = b->a;
  Str *arns = new(a, Str, svc->ncontainers);
  Buf repos = {.arena = a};
  int n = 0;
  Span image = {0};
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    // A private ECR image, in ECR's registry form (image.c, whose parts
    // check_images.c judges): public ECR (public.ecr.aws) and other
    // registries need no IAM to pull.
    if (!k->ref.ecr)
      continue;
    Str account = k->ref.account, region = k->ref.region, repo = k->ref.repository;
    Str arn = str_fmt(a, "arn:%.*s:ecr:%.*s:%.*s:repository/%.*s", S(model_partition(region)),
                      S(region), S(account), S(repo));
    bool seen = false;
    for (int j = 0; j < n; j++)
      seen |= str_eq(arns[j], arn);
    if (seen)
      continue;
    if (!n)
      image = span_or(k->at.image, k->span);
    buf_printf(&repos, "%s%.*s", n ? ", " : "", S(repo));
    arns[n++] = arn;
  }
  if (!n)
    return;
  static const Str pull[] = {STR_INIT("ecr:BatchCheckLayerAvailability"),
                             STR_INIT("ecr:BatchGetImage"), STR_INIT("ecr:GetDownloadUrlForLayer")};
  add_statement(b, "PullImage", pull, countof(pull), arns, n, image,
      n == 1 ? str_fmt(a, "the image is in the ECR repository %.*s", S(buf_str(&repos)))
             : str_fmt(a, "the images are in the ECR repositories %.*s", S(buf_str(&repos))));
  Str token = STR("ecr:GetAuthorizationToken"), any = STR("*");
  add_statement(b, "EcrAuth", &token, 1, &any, 1, image,
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
// The ARN of the service's own log group, log-group:${LogGroupName}.
static Str log_group_arn(Arena *a, const Service *svc) {
  const Environment *e = svc->env;
  return str_fmt(a, "arn:%.*s:logs:%.*s:%.*s:log-group:%.*s", S(e->partition), S(e->region),
                 S(e->arn_account), S(svc->log_group));
}

static void write_logs(Builder *b, Service *svc) {
  Arena *a = b->a;
  Span logs = span_or(svc->at.logs, svc->span);
  Str streams = str_fmt(a, "%.*s:log-stream:%.*s/*", S(log_group_arn(a, svc)),
                        S(svc->stream_prefix));
  static const Str write[] = {STR_INIT("logs:CreateLogStream"), STR_INIT("logs:PutLogEvents")};
  Str why = str_fmt(a, "the container logs to %.*s (awslogs)", S(svc->log_group));
  add_statement(b, "WriteLogs", write, countof(write), &streams, 1, logs, why);
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
  Statement *s = add_statement(b, "TagOnRegistration", &tag, 1, &instances, 1, k->span, why);
  add_condition(b->a, s, "StringEquals", "ecs:CreateAction", &create, 1);
  if (!from_ec2)
    return;
  Str describe = STR("ec2:DescribeTags"), any = STR("*");
  add_statement(b, "ReadInstanceTags", &describe, 1, &any, 1, k->span,
      STR("the agent copies the EC2 instance's tags (ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM)"));
}

// Service Connect on instances: the Service Connect agent beside the ECS
// agent polls ECS for its proxies' configuration with the instance role,
// on the task set of the service (ecs:Poll on arn:...:task-set/CLUSTER/
// SERVICE/ID: "Unauthorized to perform ecs:Poll for arn:aws:ecs:...:
// task-set/...", aws/amazon-ecs-service-connect-agent issue 142; an
// instance role whose Poll was held to the cluster's container instances
// left the proxy unhealthy and the tasks never started, aws/aws-cdk issue
// 28594). The Service Authorization Reference gives ecs:Poll the
// container-instance resource type only, and the managed policy
// AmazonEC2ContainerServiceforEC2Role grants it on "*". ecsc grants it on
// the cluster's own resources, */CLUSTER/*: its container instances and
// its task sets, nothing of another cluster, account or region.
//
// Granted while the environment has a Service Connect namespace at all
// (model_connect_namespace: a service of this build joins it, or a previous
// build's services still do, E1051), not only while a service of this
// build runs Service Connect on these instances. The VPC state, which holds
// this policy, is applied before the service states (emit_changes.c): a
// build that moves the last such service to Fargate or to another cluster,
// or removes it, would otherwise take Poll away while its old tasks still
// run here, and any of them started in between (a scale-out, a replaced
// task, the circuit breaker's rollback onto the instances) would stay
// PENDING behind an unhealthy agent (the two issues above). One build's
// source cannot tell when the last of them is gone; the namespace's life
// bounds it. What this adds, while no service of the build needs it, is
// Poll on the task sets of the cluster's own services, which the instances
// are given anyway as soon as one of them runs Service Connect there: no
// other action, cluster or account.
static void connect_poll(Builder *b, const Cluster *k, Str why) {
  const Environment *e = k->env;
  if (!model_connect_namespace(e))
    return;
  Str poll = STR("ecs:Poll");
  Str sets = str_fmt(b->a, "arn:%.*s:ecs:%.*s:%.*s:*/%.*s/*", S(e->partition), S(e->region),
                     S(e->arn_account), S(k->aws_name));
  add_statement(b, "ServiceConnectPoll", &poll, 1, &sets, 1, k->span,
                str_fmt(b->a, "%.*s: the Service Connect agent, for its task sets", S(why)));
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
// Bottlerocket's host containers are the one pull with the instance's own
// credentials: host-ctr fetches them through the ECR API (BatchGetImage,
// GetDownloadUrlForLayer: bottlerocket-core-kit, sources/host-ctr, with
// amazon-ecr-containerd-resolver; no GetAuthorizationToken) from AWS's
// repositories of the region (bottlerocket-os/bottlerocket, schnauzer's
// ecr_prefix), and only the control container is on by default
// (shared-defaults/aws-host-containers.toml). ecsc's user data turns it off
// (emit_userdata.c, host_containers): it is the SSM agent, which this role
// does not let register either, and a grant of even one repository would
// open ecr:BatchGetImage to the instance role, which pulls no task's image.
static Policy instance_policy(Arena *a, Cluster *k) {
  Builder b = {.a = a};
  Environment *e = k->env;
  Str partition = e->partition, account = e->arn_account;
  Str cluster = str_fmt(a, "arn:%.*s:ecs:%.*s:%.*s:cluster/%.*s", S(partition), S(e->region),
                        S(account), S(k->aws_name));
  Str instances = str_fmt(a, "arn:%.*s:ecs:%.*s:%.*s:container-instance/%.*s/*", S(partition),
                          S(e->region), S(account), S(k->aws_name));
  Str why = str_fmt(a, "the ECS agent on the instances of cluster %.*s", S(k->name));
  static const Str reg[] = {
      STR_INIT("ecs:DeregisterContainerInstance"), STR_INIT("ecs:RegisterContainerInstance"),
      STR_INIT("ecs:SubmitAttachmentStateChanges"), STR_INIT("ecs:SubmitContainerStateChange"),
      STR_INIT("ecs:SubmitTaskStateChange")};
  add_statement(&b, "RegisterInstances", reg, countof(reg), &cluster, 1, k->span, why);

  // Spot draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING, on in a Spot cluster
  // unless turned off, derive.c): the agent sets its own instance to
  // DRAINING on a Spot interruption notice (Amazon ECS Developer Guide,
  // "Amazon ECS container agent configuration"), with
  // ecs:UpdateContainerInstancesState, which the managed policy
  // AmazonEC2ContainerServiceforEC2Role grants for it and whose resource
  // type is container-instance (Service Authorization Reference).
  // The instances of every group of the cluster share the role.
  Str poll[3] = {STR("ecs:Poll"), STR("ecs:StartTelemetrySession")};
  int npoll = 2;
  bool draining = model_has_instances(k) && k->spot_draining;
  for (int i = 0; i < k->ngroups; i++)
    draining |= k->groups[i]->spot_draining;
  if (draining)
    poll[npoll++] = STR("ecs:UpdateContainerInstancesState");
  add_statement(&b, "PollForTasks", poll, npoll, &instances, 1, k->span, why);
  connect_poll(&b, k, why);

  Str discover = STR("ecs:DiscoverPollEndpoint"), any = STR("*");
  add_statement(&b, "DiscoverPollEndpoint", &discover, 1, &any, 1, k->span, why);
  tag_instances(&b, k, instances, why);
  return policy(&b);
}

// Whether a container of the service logs with awslogs, into the service's
// group (check_logging.c keeps the group to ecsc).
static bool logs_to_group(const Service *svc) {
  for (int i = 0; i < svc->ncontainers; i++) {
    const LogConfig *l = svc->containers[i]->log;
    if (!l || str_eq_c(l->driver, "awslogs"))
      return true;
  }
  return false;
}

// ECS Exec's session log. ecsc writes no execute_command_configuration, so
// the cluster's logging is DEFAULT: "logs are sent to the configured awslogs
// driver (If the driver isn't configured, then no log is saved.)", and "the
// Amazon ECS task role that's referenced in your task definition needs to
// have additional permissions": logs:DescribeLogGroups on "*", and
// logs:CreateLogStream, DescribeLogStreams and PutLogEvents on the group's
// log-group:NAME:* (Amazon ECS Developer Guide, "Monitor Amazon ECS
// containers with ECS Exec", "IAM permissions required for Amazon CloudWatch
// Logs or Amazon S3 Logging"). The Service Authorization Reference gives
// DescribeLogGroups no resource type, DescribeLogStreams log-group, and the
// other two log-stream: the session's streams are named by the SSM agent,
// not by the awslogs prefix, so any stream of the service's own group.
static void exec_session_logs(Builder *b, Service *svc) {
  if (!logs_to_group(svc))
    return;
  Arena *a = b->a;
  Span at = span_or(svc->exec_at, svc->span);
  Str group = log_group_arn(a, svc);
  Str why = str_fmt(a, "ECS Exec logs each session to %.*s, the containers' awslogs group",
                    S(svc->log_group));
  Str find = STR("logs:DescribeLogGroups"), any = STR("*");
  add_statement(b, "EcsExecFindLogGroup", &find, 1, &any, 1, at, why);
  Str list = STR("logs:DescribeLogStreams");
  Str groups[] = {group, str_fmt(a, "%.*s:*", S(group))};  // both names: see add_group
  add_statement(b, "EcsExecListLogStreams", &list, 1, groups, countof(groups), at, why);
  static const Str write[] = {STR_INIT("logs:CreateLogStream"), STR_INIT("logs:PutLogEvents")};
  Str streams = str_fmt(a, "%.*s:log-stream:*", S(group));
  add_statement(b, "EcsExecWriteLogs", write, countof(write), &streams, 1, at, why);
}

// ECS Exec: the SSM agent ECS runs beside the containers opens its
// channels with the task role (Amazon ECS Developer Guide, "Monitor Amazon
// ECS containers with ECS Exec": the task IAM role needs
// ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel
// and OpenDataChannel). The Service Authorization Reference gives these
// actions no resource type, so "*" is the only resource they take.
static void exec_channels(Builder *b, Service *svc) {
  if (!svc->exec)
    return;
  static const Str channels[] = {
      STR_INIT("ssmmessages:CreateControlChannel"), STR_INIT("ssmmessages:CreateDataChannel"),
      STR_INIT("ssmmessages:OpenControlChannel"), STR_INIT("ssmmessages:OpenDataChannel")};
  Str any = STR("*");
  add_statement(b, "EcsExec", channels, countof(channels), &any, 1, span_or(svc->exec_at, svc->span),
      STR("ECS Exec opens a session into the containers (exec = true)"));
  exec_session_logs(b, svc);
}

// EFS volumes mounted with IAM authorization (efs { iam = true }): ECS
// mounts them with the task role (ECS API Reference,
// "EFSAuthorizationConfig": iam, "use the Amazon ECS task role defined in a
// task definition when mounting"), and EFS then authorizes the client's
// elasticfilesystem:ClientMount (read), ClientWrite (write) and
// ClientRootAccess (root keeps its identity) on the file system (Amazon EFS
// User Guide, "Using IAM to control file system data access"). The
// Service Authorization Reference gives the three the one resource type
// file-system, arn:${Partition}:elasticfilesystem:${Region}:${Account}:file-system/${FileSystemId},
// and the condition key elasticfilesystem:AccessPointArn (type ARN): with
// an access point, the grant holds only through it. ClientWrite only when
// some container mounts the volume read-write, ClientRootAccess only with
// root_access = true. Without IAM authorization EFS never asks for the task
// role's grants (the file system's policy alone decides), and a volume no
// container mounts is never mounted: neither gets a statement.
static void mount_efs(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  int n = 0;
  for (int i = 0; i < svc->nvolumes; i++) {
    Volume *v = &svc->volumes[i];
    EfsVolume *f = &v->efs;
    if (v->kind != VOLUME_EFS || !f->iam || !v->nmounts)
      continue;
    Str actions[3] = {STR("elasticfilesystem:ClientMount")};
    int nactions = 1;
    if (v->read_write)
      actions[nactions++] = STR("elasticfilesystem:ClientWrite");
    if (f->root_access)
      actions[nactions++] = STR("elasticfilesystem:ClientRootAccess");
    Str fs = str_fmt(a, "arn:%.*s:elasticfilesystem:%.*s:%.*s:file-system/%.*s", S(e->partition),
                     S(e->region), S(e->arn_account), S(f->file_system_id));
    const char *sid = str_cstr(a, str_fmt(a, "MountEfs%d", ++n));
    Str why = str_fmt(a, "the task mounts volume %.*s, EFS file system %.*s, with IAM "
                         "authorization%s", S(v->name), S(f->file_system_id),
                      v->read_write ? "" : ", read-only");
    Statement *st = add_statement(b, sid, actions, nactions, &fs, 1, span_or(f->at.iam, f->span),
                                  why);
    if (!f->access_point_id.len)
      continue;
    Str ap = str_fmt(a, "arn:%.*s:elasticfilesystem:%.*s:%.*s:access-point/%.*s", S(e->partition),
                     S(e->region), S(e->arn_account), S(f->access_point_id));
    add_condition(a, st, "ArnEquals", "elasticfilesystem:AccessPointArn", &ap, 1);
  }
}

//
// The task role: where a FireLens router sends the logs
//

// The task's FireLens router runs with the task role, as the task's other
// containers do (ECS Developer Guide, "Send Amazon ECS logs to an AWS
// service or AWS Partner": "you must create an IAM role for your tasks that
// provides the permissions necessary to use any AWS services that the tasks
// require", such as firehose:PutRecordBatch). ecsc derives what the outputs
// of a fluentbit router name, in the options of the containers that log
// through it; which outputs write where is model.c's table (fluent_outputs),
// which check_logging.c reads too. Each action is one the Service
// Authorization Reference gives, on its resource type:
//
//   CloudWatch Logs  logs:CreateLogStream, logs:PutLogEvents on the
//   (cloudwatch_logs, log-stream (log_stream_name, else log_stream_prefix and
//   cloudwatch)      any name after it: fluent-bit appends the tag);
//                    logs:CreateLogGroup on the log-group with
//                    auto_create_group (route_creates_group), then
//                    logs:PutRetentionPolicy with log_retention_days: both
//                    plugins set the retention only of a group they create
//                    (fluent-bit, plugins/out_cloudwatch_logs/cloudwatch_api.c:
//                    create_log_group calls set_log_group_retention; the Go
//                    plugin's createLogGroup calls setLogGroupRetention)
//                    (fluent-bit documentation, "Amazon CloudWatch":
//                    "Permissions"); the Go plugin (cloudwatch)
//                    logs:DescribeLogStreams on the log-group too, and its
//                    $(...) templates stand for any name (README,
//                    "Permissions", "Templating Log Group and Stream Names"),
//                    with default_log_group_name and default_log_stream_name
//                    for a record without the key (route_may_fail), and
//                    logs:TagResource on the group it creates with
//                    new_log_group_tags; cloudwatch_logs' log_group_template
//                    and log_stream_template name them too (model_record_pattern)
//   Firehose         firehose:PutRecordBatch on the deliverystream
//   Kinesis          kinesis:PutRecords on the stream
//   S3               s3:PutObject on the bucket's objects (s3_key_format is
//                    a template: any key of the bucket)
//   role_arn given   sts:AssumeRole on that role only: the destination's
//                    grants are that role's
//
// in the output's region (region, else the environment's) and the
// environment's account. What ecsc cannot know (a fluentd router's outputs,
// a custom configuration file's, templates of names) the service grants
// itself: grant { actions, resources }.
typedef struct {
  Str *items;
  ptrdiff_t len, cap;
} Arns;

typedef struct {
  Arns streams, groups, retention, described, tagged, firehose, kinesis, objects, roles;
  Span because;          // the first log block that calls for a grant
} Destinations;

static bool route_word(Str v, const char *word) {
  ptrdiff_t i = 0;
  for (; i < v.len && word[i]; i++)
    if (ascii_lower(v.ptr[i]) != word[i])
      return false;
  return i == v.len && !word[i];
}

// auto_create_group as each plugin reads it: fluent-bit's flb_utils_bool
// takes "true", "on" and "yes" in any case (src/flb_utils.c; its
// documentation's own example writes "auto_create_group On"), the Go plugin
// "true" in any case only (fluent-bit-cloudwatch.go, getBoolParam).
static bool route_creates_group(const FluentOutput *o, const LogConfig *l) {
  Str v = model_log_option(l, "auto_create_group");
  return route_word(v, "true") || (!o->templates && (route_word(v, "on") || route_word(v, "yes")));
}

// log_retention_days as both plugins read it: a number above zero (fluent-bit:
// atoi, "if (ctx->log_retention_days <= 0) no need to set"; the Go plugin:
// ParseInt, "if output.logGroupRetention < 1 return nil").
static bool route_positive(Str v) {
  bool nonzero = false;
  for (ptrdiff_t i = 0; i < v.len; i++) {
    if (v.ptr[i] < '0' || v.ptr[i] > '9')
      return false;
    nonzero |= v.ptr[i] != '0';
  }
  return nonzero;
}

// Adds an ARN once, and remembers the first log block that called for one.
static void add_arn(Arena *a, Destinations *d, Arns *list, Str arn, const LogConfig *l) {
  if (!d->because.src)
    d->because = span_or(l->options_at, l->at);
  for (ptrdiff_t i = 0; i < list->len; i++)
    if (str_eq(list->items[i], arn))
      return;
  *list_push(a, list) = arn;
}

// A name of the Go cloudwatch plugin as an ARN's pattern: each $(...) it
// fills in per record (a key of the record, the tag, the task's id) may be
// any name, so it becomes *; an unclosed one is kept as written.
static Str route_pattern(Arena *a, Str name, bool templates) {
  if (!templates)
    return name;
  Buf b = {.arena = a};
  for (ptrdiff_t i = 0; i < name.len;) {
    const char *close = name.ptr[i] == '$' && i + 1 < name.len && name.ptr[i + 1] == '('
                            ? memchr(name.ptr + i, ')', (size_t)(name.len - i))
                            : NULL;
    if (close) {
      buf_putc(&b, '*');
      i = close - name.ptr + 1;
    } else {
      buf_putc(&b, name.ptr[i++]);
    }
  }
  return buf_str(&b);
}

// Whether the Go plugin may fail to fill a name's $(...) in: tag, tag[0],
// uuid, ecs_task_id, ecs_cluster and ecs_task_arn it always fills in on ECS
// (a FireLens tag, "{container name}-firelens-{task ID}", has no "." to split
// at: aws-for-fluent-bit, troubleshooting/debugging.md); any other is a key
// of the record, or a part of the tag that is not there, and a record
// without it goes to default_log_group_name or default_log_stream_name
// (cloudwatch/helpers.go, parseDataMapTags; cloudwatch.go,
// setGroupStreamNames).
static bool route_may_fail(Str name) {
  static const char *const always[] = {"tag", "tag[0]", "uuid", "ecs_task_id", "ecs_cluster",
                                       "ecs_task_arn"};
  for (ptrdiff_t i = 0; i + 1 < name.len; i++) {
    if (name.ptr[i] != '$' || name.ptr[i + 1] != '(')
      continue;
    const char *close = memchr(name.ptr + i, ')', (size_t)(name.len - i));
    if (!close)
      return false;
    Str v = {name.ptr + i + 2, close - (name.ptr + i + 2)};
    bool known = false;
    for (int k = 0; k < countof(always); k++)
      known |= route_word(v, always[k]);
    if (!known)
      return true;
    i = close - name.ptr;
  }
  return false;
}

// A log group, for an action on the group itself. CloudWatch Logs names a
// group both ways, log-group:NAME and log-group:NAME:* ("the second
// version, with the trailing :*, to refer to the ARN when specifying
// permissions in IAM policies for all other API actions" than the tagging
// ones: CloudWatch Logs User Guide, "Overview of managing access permissions
// to your CloudWatch Logs resources"), while the Service Authorization
// Reference gives log-group:${LogGroupName}: both are granted, so that the
// grant holds whichever AWS evaluates. The :* form reaches the group's
// streams too, which these actions (CreateLogGroup, PutRetentionPolicy,
// DescribeLogStreams) do not act on.
static void add_group(Arena *a, Destinations *d, Arns *list, Str group_arn, const LogConfig *l) {
  add_arn(a, d, list, group_arn, l);
  add_arn(a, d, list, str_fmt(a, "%.*s:*", S(group_arn)), l);
}

// A log group's streams, and its own grants. log_stream_template
// "overrides other log stream options" (fluent-bit documentation, "Amazon
// CloudWatch"); those stay granted as well, for a record the template
// cannot be filled from.
static void logs_group(Arena *a, const FluentOutput *o, Str group_arn, const LogConfig *l,
                       Destinations *d) {
  Str named = model_log_option(l, "log_stream_name");
  Str stream = route_pattern(a, named, o->templates);
  Str prefix = model_log_option(l, "log_stream_prefix");
  Str stream_template = model_log_option(l, "log_stream_template");
  add_arn(a, d, &d->streams,
          stream.len ? str_fmt(a, "%.*s:log-stream:%.*s", S(group_arn), S(stream))
                     : str_fmt(a, "%.*s:log-stream:%.*s*", S(group_arn), S(prefix)), l);
  if (stream_template.len && !o->templates)
    add_arn(a, d, &d->streams, str_fmt(a, "%.*s:log-stream:%.*s", S(group_arn),
                                       S(model_record_pattern(a, stream_template))), l);
  if (o->templates && stream.len && route_may_fail(named)) {
    Str fallback = model_log_option(l, "default_log_stream_name");
    add_arn(a, d, &d->streams, str_fmt(a, "%.*s:log-stream:%.*s", S(group_arn),
                                       S(fallback.len ? fallback : STR("/fluentbit-default"))), l);
  }
  if (route_creates_group(o, l)) {
    add_group(a, d, &d->groups, group_arn, l);
    if (route_positive(model_log_option(l, "log_retention_days")))
      add_group(a, d, &d->retention, group_arn, l);
    if (o->templates && model_log_option(l, "new_log_group_tags").len)
      add_group(a, d, &d->tagged, group_arn, l);
  }
  if (o->describes_streams)
    add_group(a, d, &d->described, group_arn, l);
}

// log_group_template: "If configured, this field overrides the
// log_group_name. If the template translation fails ... the log_group_name
// is used instead" (fluent-bit documentation, "Amazon CloudWatch"): both
// groups are granted.
static void logs_destination(Arena *a, const FluentOutput *o, Str arn_prefix, Str name,
                             const LogConfig *l, Destinations *d) {
  logs_group(a, o, str_fmt(a, "%.*s%.*s", S(arn_prefix), S(name)), l, d);
  if (o->templates && route_may_fail(model_log_option(l, "log_group_name"))) {
    Str fallback = model_log_option(l, "default_log_group_name");
    logs_group(a, o, str_fmt(a, "%.*s%.*s", S(arn_prefix),
                             S(fallback.len ? fallback : STR("fluentbit-default"))), l, d);
  }
  Str group_template = model_log_option(l, "log_group_template");
  if (group_template.len && !o->templates)
    logs_group(a, o, str_fmt(a, "%.*s%.*s", S(arn_prefix), S(model_record_pattern(a, group_template))),
               l, d);
}

static void output_destination(Arena *a, Environment *e, const LogConfig *l, Destinations *d) {
  Str role = model_log_option(l, "role_arn");
  if (role.len) {
    add_arn(a, d, &d->roles, role, l);
    return;
  }
  const FluentOutput *o = model_fluent_output(model_log_option(l, "name"));
  if (!o)
    return;  // not an AWS destination ecsc knows: the service grants it itself
  for (int i = 0; i < countof(o->required) && o->required[i].option; i++)
    if (!model_log_option(l, o->required[i].option).len &&
        !(o->required[i].or_option && model_log_option(l, o->required[i].or_option).len))
      return;  // fluent-bit refuses the output (check_logging.c, E0940)
  Str region = model_log_option(l, "region");
  if (!region.len)
    region = e->region;
  Str p = model_partition(region), acct = e->arn_account;
  Str name = route_pattern(a, model_log_option(l, o->required[0].option), o->templates);
  switch (o->destination) {
  case FLUENT_LOGS:
    logs_destination(a, o, str_fmt(a, "arn:%.*s:logs:%.*s:%.*s:log-group:", S(p), S(region),
                                   S(acct)), name, l, d);
    break;
  case FLUENT_FIREHOSE:
    add_arn(a, d, &d->firehose, str_fmt(a, "arn:%.*s:firehose:%.*s:%.*s:deliverystream/%.*s",
                                        S(p), S(region), S(acct), S(name)), l);
    break;
  case FLUENT_KINESIS:
    add_arn(a, d, &d->kinesis, str_fmt(a, "arn:%.*s:kinesis:%.*s:%.*s:stream/%.*s", S(p),
                                       S(region), S(acct), S(name)), l);
    break;
  case FLUENT_S3:
    add_arn(a, d, &d->objects, str_fmt(a, "arn:%.*s:s3:::%.*s/*", S(p), S(name)), l);
    break;
  }
}

static void route_statement(Builder *b, const char *sid, const Str *actions, int nactions,
                            Arns *arns, Span because, const char *why) {
  if (arns->len)
    add_statement(b, sid, actions, nactions, arns->items, (int)arns->len, because, str_c(why));
}

static void route_logs(Builder *b, Service *svc) {
  bool fluentbit = false;
  for (int i = 0; i < svc->ncontainers; i++)
    fluentbit |= svc->containers[i]->firelens &&
                 str_eq_c(svc->containers[i]->firelens->type, "fluentbit");
  if (!fluentbit)
    return;
  Destinations d = {0};
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    if (k->log && str_eq_c(k->log->driver, "awsfirelens"))
      output_destination(b->a, svc->env, k->log, &d);
  }
  static const Str write[] = {STR_INIT("logs:CreateLogStream"), STR_INIT("logs:PutLogEvents")};
  static const Str create[] = {STR_INIT("logs:CreateLogGroup")};
  static const Str retain[] = {STR_INIT("logs:PutRetentionPolicy")};
  static const Str describe[] = {STR_INIT("logs:DescribeLogStreams")};
  static const Str tag[] = {STR_INIT("logs:TagResource")};
  static const Str firehose[] = {STR_INIT("firehose:PutRecordBatch")};
  static const Str kinesis[] = {STR_INIT("kinesis:PutRecords")};
  static const Str put[] = {STR_INIT("s3:PutObject")};
  static const Str assume[] = {STR_INIT("sts:AssumeRole")};
  route_statement(b, "FireLensWriteLogs", write, countof(write), &d.streams, d.because,
                  "the FireLens router writes the containers' logs to CloudWatch Logs");
  route_statement(b, "FireLensCreateLogGroup", create, countof(create), &d.groups, d.because,
                  "the FireLens router creates its log group (auto_create_group)");
  route_statement(b, "FireLensLogRetention", retain, countof(retain), &d.retention, d.because,
                  "the FireLens router sets its log group's retention (log_retention_days)");
  route_statement(b, "FireLensDescribeLogStreams", describe, countof(describe), &d.described,
                  d.because, "the FireLens router's cloudwatch output lists its group's streams");
  route_statement(b, "FireLensTagLogGroup", tag, countof(tag), &d.tagged, d.because,
                  "the FireLens router tags the log group it creates (new_log_group_tags)");
  route_statement(b, "FireLensFirehose", firehose, countof(firehose), &d.firehose, d.because,
                  "the FireLens router sends the containers' logs to Firehose");
  route_statement(b, "FireLensKinesis", kinesis, countof(kinesis), &d.kinesis, d.because,
                  "the FireLens router sends the containers' logs to Kinesis Data Streams");
  route_statement(b, "FireLensS3", put, countof(put), &d.objects, d.because,
                  "the FireLens router writes the containers' logs to S3");
  route_statement(b, "FireLensAssumeRole", assume, countof(assume), &d.roles, d.because,
                  "the FireLens router sends the logs with another role (role_arn)");
}

static Policy task_policy(Arena *a, Service *svc) {
  Builder b = {.a = a};
  for (int i = 0; i < svc->ngrants; i++) {
    Grant *g = &svc->grants[i];
    const char *sid = str_cstr(a, str_fmt(a, "Grant%d", i + 1));
    Statement *st = add_statement(&b, sid, g->actions, g->nactions, g->resources, g->nresources,
                                  g->at, STR("declared by this grant"));
    st->literal = true;  // the user's text: IAM variables stay as written
  }
  exec_channels(&b, svc);
  mount_efs(&b, svc);
  route_logs(&b, svc);
  return policy(&b);
}

//
// The infrastructure role: ECS manages a service's EBS volume with it
//

// What ECS does with the role, AWS's managed policy
// AmazonECSInfrastructureRolePolicyForVolumes (v5, 2026-02-12) says
// statement by statement; ecsc grants the same calls, narrowed to what one
// service's volume needs (ECS Developer Guide, "Use Amazon EBS volumes with
// Amazon ECS": the managed policy may be used "as a guide to create and
// attach your own policy"). Actions, resource types and condition keys are
// the Service Authorization Reference's (check_iam.c checks them):
//
//   CreateEBSManagedVolume  ec2:CreateVolume on volume/*, only with the tags
//                           ECS puts on its volumes (aws:RequestTag/
//                           AmazonECSCreated a task's ARN, AmazonECSManaged
//                           "true"); here this region and account's only
//   ...FromSnapshot         ec2:CreateVolume on snapshot/*: here the one
//                           snapshot_id, and only with one
//   TagOnCreateVolume       ec2:CreateTags on volume/* with the same tags,
//                           ec2:CreateAction CreateVolume
//   DescribeVolumesFor...   ec2:DescribeVolumes, DescribeAvailabilityZones on
//                           "*" (no resource type): here in the region only
//                           (ec2:Region, a key of both)
//   DescribeInstancesFor... ec2:DescribeInstances on "*": here in the
//                           region, with the two above
//   ManageVolumeAttachments ec2:AttachVolume, DetachVolume on instance/* of
//     ForEC2                any account, the host of the task: here the
//                           region's, and the account's when the tasks run
//                           on the cluster's instances (Fargate: below)
//   ManageEBSVolume...      ec2:AttachVolume, DetachVolume on volume/* with
//                           aws:ResourceTag/AmazonECSManaged "true"
//   DeleteEBSManagedVolume  ec2:DeleteVolume on volume/* with both tags
//
// The conditions on the volume's type or size (ec2:VolumeType,
// ec2:VolumeSize) are left out on purpose: while a deployment that changes
// them rolls out, or is rolled back, ECS still creates volumes of the old
// configuration for the old task definition's tasks, with this role.
//
// Fargate: the guide's role is the same for "Fargate or EC2 launch type"
// tasks ("Amazon ECS infrastructure IAM role") and the managed policy has
// no statement or condition for one launch type only; the Service
// Authorization Reference makes the instance a required resource of
// ec2:AttachVolume, so attaching a volume to a task's host is authorized
// on the instance as well as on the volume, and AWS documents no Fargate
// attachment made without the role. The instances are narrowed to the
// account's only for tasks on the cluster's instances; a Fargate task's
// host is AWS's, in an account AWS does not name, so there the account is
// "*" as in the managed policy (the region stays: a volume attaches in its
// own Availability Zone). The volumes stay the account's on Fargate too
// (ECS API Reference, ServiceVolumeConfiguration, managedEBSVolume: "The
// Amazon EBS volumes are visible in your account in the Amazon EC2
// console").
static void ecs_volumes(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  EbsVolume *v = &svc->ebs->ebs;
  Str p = e->partition, region = e->region, acct = e->arn_account;
  Str volumes = str_fmt(a, "arn:%.*s:ec2:%.*s:%.*s:volume/*", S(p), S(region), S(acct));
  Str tasks = str_fmt(a, "arn:%.*s:ecs:%.*s:%.*s:task/*", S(p), S(region), S(acct));
  Str yes = STR("true"), create = STR("CreateVolume");
  Str why = str_fmt(a, "EBS volume %.*s: ECS creates, attaches and deletes one for each task",
                    S(svc->ebs->name));
  Span at = v->span;

  Str act = STR("ec2:CreateVolume");
  Statement *st = add_statement(b, "CreateEBSManagedVolume", &act, 1, &volumes, 1, at, why);
  add_condition(a, st, "ArnLike", "aws:RequestTag/AmazonECSCreated", &tasks, 1);
  add_condition(a, st, "StringEquals", "aws:RequestTag/AmazonECSManaged", &yes, 1);
  if (v->snapshot_id.len) {
    Str snap = str_fmt(a, "arn:%.*s:ec2:%.*s::snapshot/%.*s", S(p), S(region),
                       S(v->snapshot_id));
    add_statement(b, "CreateEBSManagedVolumeFromSnapshot", &act, 1, &snap, 1,
                  span_or(v->at.snapshot_id, at),
                  str_fmt(a, "ECS creates volume %.*s from snapshot %.*s", S(svc->ebs->name),
                          S(v->snapshot_id)));
  }

  act = STR("ec2:CreateTags");
  st = add_statement(b, "TagOnCreateVolume", &act, 1, &volumes, 1, at, why);
  add_condition(a, st, "ArnLike", "aws:RequestTag/AmazonECSCreated", &tasks, 1);
  add_condition(a, st, "StringEquals", "aws:RequestTag/AmazonECSManaged", &yes, 1);
  add_condition(a, st, "StringEquals", "ec2:CreateAction", &create, 1);

  Str describe[3] = {STR("ec2:DescribeAvailabilityZones"), STR("ec2:DescribeInstances"),
                     STR("ec2:DescribeVolumes")};
  Str any = STR("*");
  st = add_statement(b, "DescribeVolumesForLifecycle", describe, countof(describe), &any, 1, at,
                     why);
  add_condition(a, st, "StringEquals", "ec2:Region", &region, 1);

  Str attach[2] = {STR("ec2:AttachVolume"), STR("ec2:DetachVolume")};
  st = add_statement(b, "ManageEBSVolumeLifecycle", attach, 2, &volumes, 1, at, why);
  add_condition(a, st, "StringEquals", "aws:ResourceTag/AmazonECSManaged", &yes, 1);
  Str host = svc->runs_on == RUN_EC2 ? acct : STR("*");
  Str hosts = str_fmt(a, "arn:%.*s:ec2:%.*s:%.*s:instance/*", S(p), S(region), S(host));
  add_statement(b, "ManageVolumeAttachmentsForEC2", attach, 2, &hosts, 1, at,
                str_fmt(a, svc->runs_on == RUN_EC2
                               ? "ECS attaches volume %.*s to the instance of each task"
                               : "ECS attaches volume %.*s to each task's Fargate host, AWS's",
                        S(svc->ebs->name)));

  act = STR("ec2:DeleteVolume");
  st = add_statement(b, "DeleteEBSManagedVolume", &act, 1, &volumes, 1, at, why);
  add_condition(a, st, "ArnLike", "aws:ResourceTag/AmazonECSCreated", &tasks, 1);
  add_condition(a, st, "StringEquals", "aws:ResourceTag/AmazonECSManaged", &yes, 1);
}

// A customer managed key (kms_key): what the ECS Developer Guide gives the
// infrastructure role ("Encrypt data stored in Amazon EBS volumes attached
// to Amazon ECS tasks", "Customer managed KMS key policy"), statement by
// statement, on the key alone: kms:DescribeKey; kms:GenerateDataKey* with
// kms:CallerAccount, kms:ViaService ec2.REGION and kms:EncryptionContextKeys
// aws:ebs:id, and kms:ReEncryptTo, ReEncryptFrom there only for volumes
// created from snapshots ("If you want to configure and encrypt only new,
// empty volumes ... you can exclude" them); kms:CreateGrant with the same
// conditions and kms:GrantIsForAWSResource. The managed policy has no KMS
// statement: the guide's key policy example is the one source. What EC2
// sends with the role's credentials is within it (Amazon EBS User Guide,
// "How Amazon EBS encryption works"): GenerateDataKeyWithoutPlaintext and
// CreateGrant; the Decrypt that follows is EC2's, under that grant, so the
// role has no kms:Decrypt (the guide gives it none). Actions and condition
// keys are the Service Authorization Reference's (check_iam.c checks them).
// EBS's own key (no kms_key: an encrypted snapshot's key, else the
// account's default key) needs no grant: the plan proves it AWS managed
// (emit_tf_service.c, ebs_default_key), and that key's policy lets the account use
// it through EC2.
static void ecs_volume_key(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  EbsVolume *v = &svc->ebs->ebs;
  if (!v->kms_key.len || !v->encrypted)
    return;
  Span at = span_or(v->at.kms_key, v->span);
  Str key = v->kms_key, acct = e->arn_account, yes = STR("true"), context = STR("aws:ebs:id");
  Str via = str_fmt(a, "ec2.%.*s.%s", S(e->region), dns_suffix(e->region));
  Str why = str_fmt(a, "EBS encrypts volume %.*s with its customer managed key",
                    S(svc->ebs->name));
  Str act = STR("kms:DescribeKey");
  add_statement(b, "DescribeVolumeKey", &act, 1, &key, 1, at, why);

  Str data[3] = {STR("kms:GenerateDataKey*")};
  int ndata = 1;
  if (v->snapshot_id.len) {
    data[ndata++] = STR("kms:ReEncryptFrom");
    data[ndata++] = STR("kms:ReEncryptTo");
  }
  Statement *st = add_statement(b, "EncryptVolume", data, ndata, &key, 1, at, why);
  add_condition(a, st, "StringEquals", "kms:CallerAccount", &acct, 1);
  add_condition(a, st, "StringEquals", "kms:ViaService", &via, 1);
  add_condition(a, st, "ForAnyValue:StringEquals", "kms:EncryptionContextKeys", &context, 1);

  act = STR("kms:CreateGrant");
  st = add_statement(b, "GrantVolumeKey", &act, 1, &key, 1, at, why);
  add_condition(a, st, "StringEquals", "kms:CallerAccount", &acct, 1);
  add_condition(a, st, "StringEquals", "kms:ViaService", &via, 1);
  add_condition(a, st, "ForAnyValue:StringEquals", "kms:EncryptionContextKeys", &context, 1);
  add_condition(a, st, "Bool", "kms:GrantIsForAWSResource", &yes, 1);
}

static Policy infra_policy(Arena *a, Service *svc) {
  Builder b = {.a = a};
  ecs_volumes(&b, svc);
  ecs_volume_key(&b, svc);
  return policy(&b);
}

//
// The load balancer role: ECS moves a routed service's traffic with it in a
// blue/green, canary or linear deployment
//

// What ECS does with the role, AWS's managed policy
// AmazonECSInfrastructureRolePolicyForLoadBalancers (v2, 2025-07-25, as
// zoph-io/MAMIP records it) says statement by statement; ecsc grants the
// calls a service behind the Application Load Balancer needs, narrowed to
// its own rule and target groups (ECS Developer Guide, "Amazon ECS
// infrastructure IAM role for load balancers": the role "allows Amazon ECS
// to manage load balancer resources ... for your deployments"). Actions,
// resource types and condition keys are the Service Authorization
// Reference's (check_iam.c checks them):
//
//   ELBReadOperations       elasticloadbalancing:DescribeListeners,
//                           DescribeRules, DescribeTargetGroups,
//                           DescribeTargetHealth on "*": they take no
//                           resource type; here in the region only
//                           (aws:RequestedRegion, a global key)
//   TargetGroupOperations   RegisterTargets, DeregisterTargets on
//                           targetgroup/*/*: here the service's two groups,
//                           by name (targetgroup/NAME/ID; names are unique
//                           in the account and region)
//   ALBModifyRules          ModifyRule on listener-rule/app/*/*/*/*: here
//                           the rules of the environment's load balancer
//                           (listener-rule/app/NAME/ID/LISTENER/RULE) with
//                           the service rule's Name tag
//                           (aws:ResourceTag/${TagKey}, a key of
//                           listener-rule/app), as the rule's id is known
//                           only once it exists
//   ALBModifyListeners,     ModifyListener on listener/app/*/*/*, and on
//   NLBModifyListeners      listener/net/*/*/*: not granted. ECS modifies
//                           the listener only where the production "rule"
//                           is a Network Load Balancer's listener (ECS API
//                           Reference, AdvancedConfiguration:
//                           productionListenerRule "identifies the
//                           production listener rule (in the case of an
//                           Application Load Balancer) or listener (in the
//                           case for an Network Load Balancer)"); ecsc's is
//                           an ALB rule, and the listener is the VPC
//                           state's, shared by every service.
static void shift_traffic(Builder *b, Service *svc) {
  Arena *a = b->a;
  Environment *e = svc->env;
  Route *r = svc->route;
  Str p = e->partition, region = e->region, acct = e->arn_account;
  Str why = str_fmt(a, "%s deployment: ECS moves the listener rule's traffic between the two "
                       "target groups",
                    model_strategy_names[svc->deploy_strategy]);
  Span at = span_or(svc->strategy_at, svc->span);

  Str describe[4] = {STR("elasticloadbalancing:DescribeListeners"),
                     STR("elasticloadbalancing:DescribeRules"),
                     STR("elasticloadbalancing:DescribeTargetGroups"),
                     STR("elasticloadbalancing:DescribeTargetHealth")};
  Str any = STR("*");
  Statement *st = add_statement(b, "ELBReadOperations", describe, countof(describe), &any, 1, at,
                                why);
  add_condition(a, st, "StringEquals", "aws:RequestedRegion", &region, 1);

  Str targets[2] = {STR("elasticloadbalancing:DeregisterTargets"),
                    STR("elasticloadbalancing:RegisterTargets")};
  Str groups[2] = {
      str_fmt(a, "arn:%.*s:elasticloadbalancing:%.*s:%.*s:targetgroup/%.*s/*", S(p), S(region),
              S(acct), S(r->target_group)),
      str_fmt(a, "arn:%.*s:elasticloadbalancing:%.*s:%.*s:targetgroup/%.*s/*", S(p), S(region),
              S(acct), S(r->alternate_group))};
  add_statement(b, "TargetGroupOperations", targets, 2, groups, 2, at, why);

  Str modify = STR("elasticloadbalancing:ModifyRule");
  Str rules = str_fmt(a, "arn:%.*s:elasticloadbalancing:%.*s:%.*s:listener-rule/app/%.*s/*/*/*",
                      S(p), S(region), S(acct), S(e->alb->name));
  Str tag = str_fmt(a, "%.*s-%.*s", S(e->prefix), S(svc->name));
  st = add_statement(b, "ALBModifyRules", &modify, 1, &rules, 1, at, why);
  add_condition(a, st, "StringEquals", "aws:ResourceTag/Name", &tag, 1);
}

void derive_iam(Arena *a, Model *m) {
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    for (int k = 0; k < e->nclusters; k++)  // a Fargate-only cluster has no instance role
      if (model_has_instances(e->clusters[k]) || e->clusters[k]->ngroups)
        e->clusters[k]->instance_policy = instance_policy(a, e->clusters[k]);
    for (int k = 0; k < e->nservices; k++) {
      Service *svc = e->services[k];
      Builder b = {.a = a};
      read_secrets(&b, svc);
      decrypt_secrets(&b, svc);
      read_sm_secrets(&b, svc);
      read_env_files(&b, svc);
      pull_image(&b, svc);
      write_logs(&b, svc);
      svc->exec_policy = policy(&b);
      svc->task_policy = task_policy(a, svc);
      if (svc->ebs)
        svc->infra_policy = infra_policy(a, svc);
      if (svc->lb_role.len) {
        Builder lb = {.a = a};
        shift_traffic(&lb, svc);
        svc->lb_policy = policy(&lb);
      }
    }
  }
}

