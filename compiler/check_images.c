// check_images.c: a container's image whose registry looks like ECR's is in
// ECR's documented registry form (E1070), with a 12-digit account (E1071), a
// region ecsc knows (E1072) in the environment's partition (E1073), and,
// without NAT, the environment's region (E1074). image.c reads the parts, and derive_iam.c
// grants an ECR pull for the images in that form alone, so that an image
// these checks let through is one ecsc grants, and one they refuse is none.
#include "model.h"

#include <string.h>

static const char *const ecr_shape =
    "ECR's registry is ACCOUNT.dkr.ecr.REGION.amazonaws.com (amazonaws.com.cn in China, "
    "dkr.ecr-fips for FIPS): copy the repository's URI from aws ecr describe-repositories";

// Where part, a slice of the image, was written: inside the string when the
// image is written there as it is (no escapes, not a variable), else the
// whole value. A part that is missing points at the registry.
static Span image_part_at(const Container *k, Str part) {
  Span at = span_or(k->at.image, k->span);
  Str image = k->image;
  if (!part.ptr) {
    const char *slash = memchr(image.ptr, '/', (size_t)image.len);
    part = (Str){image.ptr, slash ? slash - image.ptr : image.len};
  }
  if (!at.src)
    return at;
  Str src = at.src->text;
  int32_t open = at.start < src.len && src.ptr[at.start] == '"';
  if (at.end - at.start != image.len + 2 * open ||
      memcmp(src.ptr + at.start + open, image.ptr, (size_t)image.len))
    return at;
  int32_t i = (int32_t)(part.ptr - image.ptr);
  return (Span){at.src, at.start + open + i, at.start + open + i + (int32_t)part.len};
}

// E1071: ECR's registries are named after the account that owns them, whose
// ID is 12 digits (AWS Account Management Reference Guide, "View AWS
// account identifiers": "a 12-digit number, such as 012345678901").
static bool account(Compilation *c, const Container *k) {
  const ImageRef *r = &k->ref;
  if (r->ecr || (r->account.len && regex_match(c, "[0-9]{12}", r->account)))
    return true;
  Diag *d = r->account.len
      ? diag_at(c, E1071, image_part_at(k, r->account),
                "account \"%.*s\" of the ECR registry in image \"%.*s\" is not 12 digits",
                S(r->account), S(k->image))
      : diag_at(c, E1071, image_part_at(k, r->account),
                "the ECR registry in image \"%.*s\" names no account", S(k->image));
  diag_help(c, d, "an AWS account ID has 12 digits, as in 123456789012; %s", ecr_shape);
  return false;
}

// E1072: the region, one of std/aws/regions, and in the partition of the
// domain (amazonaws.com.cn is China's alone: Amazon ECR User Guide for
// China, "Amazon ECR private registry").
static bool region(Compilation *c, const Model *m, const Container *k) {
  const ImageRef *r = &k->ref;
  for (int i = 0; i < m->nregions; i++)
    if (str_eq(m->regions[i]->name, r->region))
      return true;
  if (!r->region.len) {
    Diag *d = diag_at(c, E1072, image_part_at(k, r->endpoint),
                      "the ECR registry in image \"%.*s\" names no region", S(k->image));
    diag_help(c, d, "write the repository's region after %.*s, as in "
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com", S(r->endpoint));
    return false;
  }
  Diag *d = diag_at(c, E1072, image_part_at(k, r->region),
                    "unknown region \"%.*s\" in the ECR registry of image \"%.*s\"",
                    S(r->region), S(k->image));
  if (!str_eq_c(model_partition(r->region), "aws")) {
    diag_help(c, d, "std/aws knows the aws partition's regions; declare region \"%.*s\" { azs = "
                    "[...] } beside environments that run in its partition (%.*s)",
              S(r->region), S(model_partition(r->region)));
    return false;
  }
  Str *names = new(&c->arena, Str, m->nregions + 1);
  for (int i = 0; i < m->nregions; i++)
    names[i] = m->regions[i]->name;
  diag_did_you_mean(c, d, r->region, names, m->nregions);
  return false;
}

// E1070: each part that is not where ECR's form wants it. An image in the
// form (image.c) needs no regex here: only what the form leaves open, its
// domain's partition against its region.
static bool form(Compilation *c, const Container *k) {
  const ImageRef *r = &k->ref;
  bool ok = true;
  if (!str_eq_c(r->endpoint, "dkr.ecr") && !str_eq_c(r->endpoint, "dkr.ecr-fips")) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->endpoint),
                      "\"%.*s\" in the registry of image \"%.*s\" is not ECR's \"dkr.ecr\"",
                      S(r->endpoint), S(k->image));
    diag_help(c, d, "%s", ecr_shape);
    ok = false;
  }
  bool china = str_eq_c(r->domain, "amazonaws.com.cn");
  if (!china && !str_eq_c(r->domain, "amazonaws.com")) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->domain),
                      "\"%.*s\" in the registry of image \"%.*s\" is not in lowercase",
                      S(r->domain), S(k->image));
    diag_help(c, d, "write amazonaws.com (amazonaws.com.cn in China)");
    ok = false;
  } else if (china && r->region.len && !str_starts_with(r->region, STR("cn-"))) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->domain),
                      "the ECR registry in image \"%.*s\" ends in China's amazonaws.com.cn, and "
                      "region \"%.*s\" is not in China", S(k->image), S(r->region));
    diag_help(c, d, "write amazonaws.com");
    ok = false;
  }
  if (r->port.ptr) {
    // The ":" before the port, to point at.
    Diag *d = diag_at(c, E1070, image_part_at(k, (Str){r->port.ptr - 1, r->port.len + 1}),
                      "the ECR registry in image \"%.*s\" has a port, which ECR's has not",
                      S(k->image));
    diag_help(c, d, "remove \":%.*s\"", S(r->port));
    ok = false;
  }
  if (!r->repository.len) {
    Diag *d = diag_at(c, E1070, image_part_at(k, (Str){0}),
                      "image \"%.*s\" names an ECR registry and no repository", S(k->image));
    diag_help(c, d, "add the repository and its tag: REGISTRY/REPOSITORY:TAG");
    ok = false;
  } else if (!r->ecr && !regex_match(c, IMAGE_ECR_REPOSITORY, r->repository)) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->repository),
                      "\"%.*s\" in image \"%.*s\" is not a repository name ECR allows",
                      S(r->repository), S(k->image));
    diag_help(c, d, "ECR's repository names are 2 to 256 lowercase letters and digits, "
                    "separated by \".\", \"_\", \"-\" or \"/\"");
    ok = false;
  }
  return ok;
}

// E1073: the execution role is an identity of the environment's partition
// (IAM User Guide, "IAM identifiers", ARNs: "A partition is a group of AWS
// Regions. Each AWS account is scoped to one partition"), and its
// credentials sign requests there alone: the agent pulls from the
// environment's partition only.
static bool partition(Compilation *c, const Service *s, const Container *k) {
  Str mine = model_partition(s->env->region), theirs = model_partition(k->ref.region);
  if (str_eq(mine, theirs))
    return true;
  Diag *d = diag_at(c, E1073, image_part_at(k, k->ref.region),
                    "image \"%.*s\" is in ECR of partition %.*s, and environment \"%.*s\" runs in "
                    "%.*s", S(k->image), S(theirs), S(s->env->name), S(mine));
  diag_help(c, d, "push the image to a repository in a region of %.*s and name that one",
            S(mine));
  return false;
}

// E1074: without NAT, the private subnets reach ECR through the VPC
// endpoints the VPC state makes (emit_tf.c: ecr.api, ecr.dkr and the S3
// gateway for the layers), which are the environment's region's: a
// gateway endpoint reaches its own region's S3 alone, and ecsc's interface
// endpoints name no other region. Amazon ECR User Guide, "Amazon ECR
// interface VPC endpoints", needs all three for a pull. As E0555 (check.c),
// a service with a public IP pulls through the internet gateway.
static void reachable(Compilation *c, const Service *s, const Container *k) {
  const Environment *e = s->env;
  if (e->vpc.nat != NAT_NONE || s->public_ip || str_eq(k->ref.region, e->region))
    return;
  Diag *d = diag_at(c, E1074, image_part_at(k, k->ref.region),
                    "image \"%.*s\" is in ECR in %.*s, which the private subnets of environment "
                    "\"%.*s\" cannot reach without NAT: its ECR endpoints are %.*s's",
                    S(k->image), S(k->ref.region), S(e->name), S(e->region));
  diag_note(c, d, span_or(e->vpc.at.nat, e->span), "the environment has no NAT");
  diag_help(c, d, "replicate the repository to %.*s (ECR replication) and name that copy, or set "
                  "nat = \"single\"", S(e->region));
}

void check_images(Compilation *c, const Model *m, const Service *s, const Container *k) {
  const ImageRef *r = &k->ref;
  if (!r->ecr_like)
    return;
  bool ok = account(c, k);
  if (region(c, m, k))
    ok &= partition(c, s, k);
  else
    ok = false;
  ok &= form(c, k);
  if (ok && !r->ecr) {  // every part right, and still not the form: say it whole
    Diag *d = diag_at(c, E1070, span_or(k->at.image, k->span),
                      "the registry of image \"%.*s\" is not in ECR's form", S(k->image));
    diag_help(c, d, "%s", ecr_shape);
  }
  if (ok && r->ecr)
    reachable(c, s, k);
}
