// check_regions.c: every region ecsc reads inside what the user gives is one
// it knows, those of std/aws/regions (the aws partition) and of the region
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
// Reports E1211.
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
bool check_region_known(Compilation *c, const Model *m, Str region, DiagCode code, Span at,
                        Str where) {
  if (in_catalog(m, region))
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

// The region field of an ARN, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
// (AWS General Reference, "Amazon Resource Names"); {0} for a value that is
// no ARN (a key id, an alias, a parameter's name), which names no region.
static Str arn_region(Str arn) {
  if (!str_starts_with(arn, STR("arn:")))
    return (Str){0};
  const char *p = arn.ptr, *end = arn.ptr + arn.len;
  for (int field = 0; field < 3; field++) {
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon)
      return (Str){0};
    p = colon + 1;
  }
  const char *colon = memchr(p, ':', (size_t)(end - p));
  return colon ? (Str){p, colon - p} : (Str){0};
}

// E1211 for the ARN value, written at at, of what: "the ARN of parameter
// "NAME"", the words made only for a diagnostic (a platform has thousands).
static void arn(Compilation *c, const Model *m, Str value, Span at, const char *what, Str name) {
  Str region = arn_region(value);
  if (!region.len || in_catalog(m, region))
    return;  // an ARN without a region: schema.c's patterns refuse it where one is needed
  check_region_known(c, m, region, E1211, span_literal_part(at, value, region),
                     str_fmt(&c->arena, "%s \"%.*s\"", what, S(name)));
}

static void project_arns(Compilation *c, const Model *m) {
  for (int i = 0; i < m->nparams; i++) {
    const Parameter *p = m->params[i];
    arn(c, m, p->external, p->at.external, "the ARN of parameter", p->name);
    arn(c, m, p->kms_key, p->at.kms_key, "the KMS key of parameter", p->name);
  }
  for (int i = 0; i < m->nsm_secrets; i++) {
    const SmSecret *k = m->sm_secrets[i];
    arn(c, m, k->arn, k->at.arn, "the ARN of secret", k->name);
    arn(c, m, k->kms_key, k->at.kms_key, "the KMS key of secret", k->name);
  }
}

// A Fluent Bit AWS output's region (model.c, fluent_outputs): the one it
// sends to, and derive_iam.c grants in. A third-party output's "region"
// is its own business (fluent-bit's chronicle output has one that names no
// AWS region), and the one derive.c adds (firelens_region) is the
// environment's: it was not written.
static void output_region(Compilation *c, const Model *m, const Container *k) {
  const LogConfig *l = k->log;
  if (!l || !str_eq_c(l->driver, "awsfirelens") ||
      !model_fluent_output(model_log_option(l, "name")))
    return;
  const KeyValue *region = model_log_kv(l, "region");
  if (!region || !region->at.src || in_catalog(m, region->value))
    return;
  check_region_known(c, m, region->value, E1211, region->at,
                     str_fmt(&c->arena, "the FireLens output of container \"%.*s\"",
                             S(k->name)));
}

static void service_regions(Compilation *c, const Model *m, const Service *s) {
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    if (v->kind == VOLUME_EBS)
      arn(c, m, v->ebs.kms_key, v->ebs.at.kms_key, "the KMS key of volume", v->name);
  }
  for (int i = 0; i < s->ncontainers; i++)
    output_region(c, m, s->containers[i]);
}

void check_regions(Compilation *c, const Model *m) {
  project_arns(c, m);
  for (int i = 0; i < m->nenvs; i++)
    for (int j = 0; j < m->envs[i]->nservices; j++)
      service_regions(c, m, m->envs[i]->services[j]);
}
