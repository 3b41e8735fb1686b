// check_regions.c: every region ecsc reads inside what the user gives is one
// it knows, those of std/aws/regions (the aws partition), the aws
// partition's others that partitions.h lists, and those of the region
// blocks the configuration declares: an ECR registry's (E1072, asked by
// check_images.c), and the region of a secret's, a parameter's or a KMS
// key's ARN and of a FireLens output's region option (E1211). One test, one
// help with a "did you mean", for all of them. The environment's own region
// is resolve.c's (E0404).
//
// A region that does not exist names nothing AWS answers for: ECS reads a
// secret or parameter in the region of its ARN (ECS Developer Guide, "Pass
// Systems Manager parameters through Amazon ECS environment variables": "If
// the parameter exists in a different Region, then the full ARN must be
// specified"), so the task cannot start; a Fluent Bit AWS output sends to
// its region's endpoint (fluent/fluent-bit d55459d4,
// plugins/out_cloudwatch_logs/cloudwatch_logs.c: without an endpoint
// option, ctx->endpoint = flb_aws_endpoint("logs", region); firehose.c,
// kinesis.c and s3.c the same), so the logs are lost while the task runs.
// IAM takes any region in an ARN, so the grants do not catch it.
//
// And every ARN the user writes (a parameter's, a secret's, a KMS key's, an
// S3 environment file's, a grant's resource, a FireLens output's role_arn)
// and every FireLens output's region is of the partition of each
// environment that reads it (E1212), of a partition AWS has whose region it
// names (E1213); a secret's key is of the secret's region (E1215); and an
// environment runs in a partition ecsc writes correctly (E1214). Partitions
// and their regions are AWS's data (partitions.h, model.c).
// Reports E1211-E1215.
#include "model.h"

#include <string.h>

static bool in_catalog(const Model *m, Str region) {
  for (int i = 0; i < m->nregions; i++)
    if (str_eq(m->regions[i]->name, region))
      return true;
  return false;
}

// Whether region is one ecsc knows; if not, reports code at at, "unknown
// region "REGION" in WHERE", with the way to the right one: a did-you-mean
// in the aws partition, whose regions std/aws lists, a region block for
// another partition's.
//
// A region of the aws partition that AWS's partition data lists and
// std/aws/regions does not (a new one, whose zone names no source gives
// yet: see its header) is known too: an ARN or a registry in it names
// something AWS answers for, and no zone is read.
bool check_region_known(Compilation *c, const Model *m, Str region, DiagCode code, Span at,
                        Str where) {
  if (in_catalog(m, region) ||
      (model_region_listed(region) && str_eq_c(model_partition(region), "aws")))
    return true;
  Diag *d = diag_at(c, code, at, "unknown region \"%.*s\" in %.*s", S(region), S(where));
  if (!str_eq_c(model_partition(region), "aws")) {
    diag_help(c, d, "std/aws knows the aws partition's regions; declare region \"%.*s\" { azs = "
                    "[...] } beside environments that run in its partition (%.*s)",
              S(region), S(model_partition(region)));
    return false;
  }
  Str *names = new(&c->arena, Str, m->nregions + 1);
  for (int i = 0; i < m->nregions; i++)
    names[i] = m->regions[i]->name;
  diag_did_you_mean(c, d, region, names, m->nregions);
  return false;
}

// The fields of an ARN before its account, arn:PARTITION:SERVICE:REGION:
// ACCOUNT:RESOURCE (AWS General Reference, "Amazon Resource Names"); false
// for a value that is no ARN (a key id, an alias, a parameter's name), which
// names no partition or region.
typedef struct {
  Str partition, service, region;
} Arn;

static bool arn_read(Str value, Arn *out) {
  if (!str_starts_with(value, STR("arn:")))
    return false;
  Str field[3];
  const char *p = value.ptr + 4, *end = value.ptr + value.len;
  for (int i = 0; i < 3; i++) {
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
      return false;
    field[i] = (Str){p, colon - p};
    p = colon + 1;
  }
  *out = (Arn){field[0], field[1], field[2]};
  return true;
}

// A field a grant writes as a pattern (arn:*:..., ${aws:...}): it names no
// one partition or region.
static bool pattern(Str field) {
  for (ptrdiff_t i = 0; i < field.len; i++)
    if (field.ptr[i] == '*' || field.ptr[i] == '?' || field.ptr[i] == '$')
      return true;
  return false;
}

// An ARN the user wrote, with what a diagnostic says of it, and the readers
// that cannot use it: found by a walk of every container's secrets for the
// project's parameters and secrets, the service's environment for the rest.
typedef struct {
  Str value;
  Span at;
  const char *what;          // "the ARN of parameter"
  Str name;                  // the parameter's, secret's, volume's, service's
  const Environment *other;  // the first environment that reads it from another partition
  // A secret's key: the first environment that reads the secret by name
  // (so in its own region) in another region than the key's.
  const Environment *away;
  bool region_known;         // E1211 applies (not to grants: IAM's patterns)
} UserArn;

static Str words(Compilation *c, const UserArn *u) {
  return str_fmt(&c->arena, "%s \"%.*s\"", u->what, S(u->name));
}

// E1213: the ARN's partition is one AWS has, and its region one of it
// (partitions.h). A partition of its own is each account's whole world (IAM
// User Guide, "IAM identifiers": "A partition is a group of AWS Regions.
// Each AWS account is scoped to one partition"), so arn:aws:ssm:cn-north-1
// names nothing anyone can read.
static bool partition_known(Compilation *c, const UserArn *u, const Arn *a) {
  const Partition *p = model_partition_named(a->partition);
  if (!p) {
    Diag *d = diag_at(c, E1213, span_literal_part(u->at, u->value, a->partition),
                      "unknown partition \"%.*s\" in %.*s", S(a->partition), S(words(c, u)));
    int n;
    const Partition *all = model_partitions(&n);
    Str *names = new(&c->arena, Str, n);
    for (int i = 0; i < n; i++)
      names[i] = str_c(all[i].id);
    diag_did_you_mean(c, d, a->partition, names, n);
    return false;
  }
  if (!a->region.len || pattern(a->region))
    return true;
  const Partition *of = model_partition_of(a->region);
  if (of == p)
    return true;
  Diag *d = diag_at(c, E1213, span_literal_part(u->at, u->value, a->region),
                    "region \"%.*s\" of %.*s is in partition %s, not %s", S(a->region),
                    S(words(c, u)), of->id, p->id);
  diag_help(c, d, "write arn:%s:%.*s:%.*s:..., or a region of %s", of->id, S(a->service),
            S(a->region), p->id);
  return false;
}

// E1212: an environment reads the ARN from another partition. Its roles are
// identities of its own partition, which no grant can let into another's
// (IAM User Guide, "IAM identifiers", above), and ECS reads a secret,
// parameter or file with the execution role's credentials: the task cannot
// start. E1073 says the same of an ECR image.
static bool partition_shared(Compilation *c, const UserArn *u, const Arn *a) {
  const Environment *e = u->other;
  if (!e)
    return true;
  Diag *d = diag_at(c, E1212, span_literal_part(u->at, u->value, a->partition),
                    "%.*s is in partition %.*s, and environment \"%.*s\" runs in %.*s (%.*s)",
                    S(words(c, u)), S(a->partition), S(e->name), S(e->partition), S(e->region));
  diag_help(c, d, "name a copy in %.*s: an account of one partition can be granted nothing "
                  "in another", S(e->partition));
  return false;
}

// E1215: a secret's customer managed key is in the secret's region. Secrets
// Manager encrypts with a key of the secret's own region (botocore 1.43.11,
// secretsmanager/2017-10-17/examples-1.json, UpdateSecret: "The KMS CMK must
// be in the same region as the secret"; Secrets Manager User Guide, "Change
// the encryption key for a secret": "The KMS key must be in the same region
// as the secret"). A secret by ARN is in the ARN's region; one by name in
// each reading environment's. (No AWS source found says the same of a
// Parameter Store SecureString, so parameters are not judged.)
static void key_region(Compilation *c, const SmSecret *k, const UserArn *key, const Arn *a) {
  if (!a->region.len || pattern(a->region))
    return;
  Arn secret;
  Str region = {0}, who = {0};
  if (arn_read(k->arn, &secret) && !pattern(secret.region))
    region = secret.region, who = STR("by its ARN");
  else if (!k->arn.len && key->away)
    region = key->away->region,
    who = str_fmt(&c->arena, "environment \"%.*s\" reads it by name", S(key->away->name));
  if (!region.len || str_eq(region, a->region))
    return;
  Diag *d = diag_at(c, E1215, span_literal_part(key->at, key->value, a->region),
                    "KMS key of secret \"%.*s\" is in %.*s, and the secret in %.*s (%.*s)",
                    S(k->name), S(a->region), S(region), S(who));
  diag_help(c, d, "name a key of %.*s: Secrets Manager encrypts a secret with a key of its own "
                  "region (a multi-Region key's replica there has an ARN of its own)", S(region));
}

// Every test of one ARN, the first failing one reported: an unknown or
// mismatched partition, a reader in another partition, then an unknown
// region (a region of another partition is unknown to an environment that
// does not declare it: E1212 says why first).
static bool judge(Compilation *c, const Model *m, const UserArn *u, Arn *a) {
  if (!arn_read(u->value, a) || pattern(a->partition))
    return false;
  if (!partition_known(c, u, a) || !partition_shared(c, u, a))
    return false;
  if (!u->region_known || !a->region.len || pattern(a->region) || in_catalog(m, a->region))
    return true;
  // E1211; an ARN without a region: schema.c's patterns refuse it where one is needed
  return check_region_known(c, m, a->region, E1211, span_literal_part(u->at, u->value, a->region),
                            words(c, u));
}

static void reader(UserArn *u, const Environment *e) {
  Arn a;
  if (u->other || !arn_read(u->value, &a) || pattern(a.partition))
    return;
  if (!str_eq(a.partition, e->partition))
    u->other = e;
}

// The project's parameters and secrets, two ARNs each (its own and its
// key's), by index, with the environments that read them.
static void project_arns(Compilation *c, const Model *m) {
  Arena *a = &c->arena;
  UserArn *params = new(a, UserArn, 2 * m->nparams + 1);
  UserArn *secrets = new(a, UserArn, 2 * m->nsm_secrets + 1);
  for (int i = 0; i < m->nparams; i++) {
    const Parameter *p = m->params[i];
    params[2 * i] = (UserArn){p->external, p->at.external, "the ARN of parameter", p->name,
                              .region_known = true};
    params[2 * i + 1] = (UserArn){p->kms_key, p->at.kms_key, "the KMS key of parameter", p->name,
                                  .region_known = true};
  }
  for (int i = 0; i < m->nsm_secrets; i++) {
    const SmSecret *k = m->sm_secrets[i];
    secrets[2 * i] = (UserArn){k->arn, k->at.arn, "the ARN of secret", k->name,
                               .region_known = true};
    secrets[2 * i + 1] = (UserArn){k->kms_key, k->at.kms_key, "the KMS key of secret", k->name,
                                   .region_known = true};
  }
  for (int i = 0; i < m->nenvs; i++) {
    const Environment *e = m->envs[i];
    for (int j = 0; j < e->nservices; j++)
      for (int n = 0; n < e->services[j]->ncontainers; n++) {
        const Container *k = e->services[j]->containers[n];
        for (int s = 0; s < k->nsecrets; s++) {
          const Secret *r = &k->secrets[s];
          UserArn *u = r->param ? &params[2 * r->param->index] : &secrets[2 * r->sm->index];
          reader(&u[0], e);
          reader(&u[1], e);
          Arn key;
          if (r->sm && !r->sm->arn.len && !u[1].away && arn_read(u[1].value, &key) &&
              !str_eq(key.region, e->region))
            u[1].away = e;
        }
      }
  }
  Arn arn;
  for (int i = 0; i < 2 * m->nparams; i++)
    judge(c, m, &params[i], &arn);
  for (int i = 0; i < m->nsm_secrets; i++) {  // a key judged against a sound secret ARN only
    bool sound = judge(c, m, &secrets[2 * i], &arn) || !m->sm_secrets[i]->arn.len;
    if (judge(c, m, &secrets[2 * i + 1], &arn) && sound)
      key_region(c, m->sm_secrets[i], &secrets[2 * i + 1], &arn);
  }
}

// A Fluent Bit AWS output's region (model.c, fluent_outputs): the one it
// sends to, and derive_iam.c grants in. A third-party output's "region"
// is its own business (fluent-bit's chronicle output has one that names no
// AWS region), and the one derive.c adds (firelens_region) is the
// environment's: it was not written.
static void output_region(Compilation *c, const Model *m, const Service *s, const Container *k) {
  const LogConfig *l = k->log;
  if (!l || !str_eq_c(l->driver, "awsfirelens") ||
      !model_fluent_output(model_log_option(l, "name")))
    return;
  const Environment *e = s->env;
  const KeyValue *role = model_log_kv(l, "role_arn");
  if (role && role->at.src) {  // the role the output assumes, with the task role's credentials
    UserArn u = {role->value, role->at, "the role_arn of the FireLens output of container",
                 k->name, .region_known = false};
    reader(&u, e);
    Arn arn;
    judge(c, m, &u, &arn);
  }
  const KeyValue *region = model_log_kv(l, "region");
  if (!region || !region->at.src)
    return;
  // E1212 as for an ARN: the task role, of the environment's partition, can
  // be granted nothing in another, so derive_iam.c's grant there is void.
  Str theirs = model_partition(region->value);
  if (!str_eq(theirs, e->partition)) {
    Diag *d = diag_at(c, E1212, region->at,
                      "the FireLens output of container \"%.*s\" sends to region \"%.*s\" of "
                      "partition %.*s, and environment \"%.*s\" runs in %.*s (%.*s)",
                      S(k->name), S(region->value), S(theirs), S(e->name), S(e->partition),
                      S(e->region));
    diag_help(c, d, "send to a region of %.*s: an account of one partition can be granted "
                    "nothing in another", S(e->partition));
    return;
  }
  if (in_catalog(m, region->value))
    return;
  check_region_known(c, m, region->value, E1211, region->at,
                     str_fmt(&c->arena, "the FireLens output of container \"%.*s\"",
                             S(k->name)));
}

// The ARNs a service's own settings write: its containers' S3 environment
// files, its EBS volumes' keys and its grants, all read in its environment.
static void service_arns(Compilation *c, const Model *m, const Service *s) {
  Arn arn;
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    if (v->kind != VOLUME_EBS)
      continue;
    UserArn u = {v->ebs.kms_key, v->ebs.at.kms_key, "the KMS key of volume", v->name,
                 .region_known = true};
    reader(&u, s->env);
    judge(c, m, &u, &arn);
  }
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    for (int j = 0; j < k->nenv_files; j++) {
      UserArn u = {k->env_files[j], k->at.env_files, "the environment file of container",
                   k->name, .region_known = false};
      reader(&u, s->env);
      judge(c, m, &u, &arn);
    }
  }
  for (int i = 0; i < s->ngrants; i++) {
    const Grant *g = &s->grants[i];
    for (int j = 0; j < g->nresources; j++) {
      UserArn u = {g->resources[j], g->resource_at[j], "a resource granted to service", s->name,
                   .region_known = false};
      reader(&u, s->env);
      judge(c, m, &u, &arn);
    }
  }
}

static void service_regions(Compilation *c, const Model *m, const Service *s) {
  service_arns(c, m, s);
  for (int i = 0; i < s->ncontainers; i++)
    output_region(c, m, s, s->containers[i]);
}

// E1214: an environment in a partition ecsc cannot write for
// (model_partition_supported says which it can, and why not the others):
// refused, rather than built with names AWS would not answer to.
static void environment_partition(Compilation *c, const Environment *e) {
  const Partition *p = model_partition_of(e->region);
  if (!e->region.len || model_partition_supported(p))
    return;
  Diag *d = diag_at(c, E1214, span_or(e->at.region, e->span),
                    "environment \"%.*s\" runs in partition %s (region \"%.*s\"), which ecsc "
                    "cannot build for yet", S(e->name), p->id, S(e->region));
  diag_help(c, d, "ecsc writes the ARNs, endpoints and ECR registry names of aws, aws-cn and "
                  "aws-us-gov only");
}

void check_regions(Compilation *c, const Model *m) {
  for (int i = 0; i < m->nenvs; i++)
    environment_partition(c, m->envs[i]);
  project_arns(c, m);
  for (int i = 0; i < m->nenvs; i++)
    for (int j = 0; j < m->envs[i]->nservices; j++)
      service_regions(c, m, m->envs[i]->services[j]);
}
