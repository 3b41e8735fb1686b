// check_images.c: a container's image is a reference Docker accepts (E1075;
// compose import asks the same of the images it reads), and one whose
// registry looks like ECR's is in ECR's documented registry form (E1070),
// with a 12-digit account (E1071), a region ecsc knows (E1072, through
// check_regions.c, which judges every region ecsc reads so) in the
// environment's partition (E1073), and, without NAT, the environment's
// region (E1074) and not the dual-stack registry (E1076). image.c reads the
// parts, and derive_iam.c grants an ECR pull for the images in that form
// alone, so that an image these checks let through is one ecsc grants, and
// one they refuse is none.
#include "model.h"

#include <string.h>

static const char *const ecr_shape =
    "ECR's registry is ACCOUNT.dkr.ecr.REGION.amazonaws.com (amazonaws.com.cn in China, "
    "dkr.ecr-fips for FIPS), or ACCOUNT.dkr-ecr.REGION.on.aws for dual-stack: copy the "
    "repository's URI from aws ecr describe-repositories";

// Where part, a slice of the container's image, was written. A part that
// is missing points at the registry.
static Span image_part_at(const Container *k, Str part) {
  Str image = k->image;
  if (!part.ptr) {
    const char *slash = memchr(image.ptr, '/', (size_t)image.len);
    part = (Str){image.ptr, slash ? slash - image.ptr : image.len};
  }
  return span_literal_part(span_or(k->at.image, k->span), image, part);
}

// The image with part replaced by with.
static Str image_with(Compilation *c, Str image, Str part, Str with) {
  ptrdiff_t i = part.ptr - image.ptr;
  return str_fmt(&c->arena, "%.*s%.*s%.*s", (int)i, image.ptr, S(with),
                 (int)(image.len - i - part.len), part.ptr + part.len);
}

// The name of image from part on: up to its digest's "@" or its tag's ":"
// (the last ":" after the last "/").
static Str name_from(Str image, Str part) {
  const char *end = image.ptr + image.len;
  const char *at = memchr(part.ptr, '@', (size_t)(end - part.ptr));
  if (at)
    end = at;
  for (const char *q = end - 1; q >= part.ptr && *q != '/'; q--)
    if (*q == ':') {
      end = q;
      break;
    }
  return (Str){part.ptr, end - part.ptr};
}

// The algorithm of the digest whose encoded part is part: from the "@".
static Str digest_algorithm(Str image, Str part) {
  const char *at = memchr(image.ptr, '@', (size_t)image.len);
  return (Str){at + 1, part.ptr - 1 - (at + 1)};
}

// E1075: the reference grammar Docker parses every image with
// (distribution/reference, regexp.go and reference.go, and go-digest for
// the digest: image.c cites the commits), which ECS's agent and Fargate
// pull with: an image it refuses is never pulled, every task stops with
// CannotPullContainerError. One diagnostic, at the first part at fault f
// (image_fault's, of image).
static Diag *reference_fault(Compilation *c, Str image, ImageFault f, Span at) {
  if (f.kind == IMAGE_FAULT_NONE)
    return NULL;
  Span where = span_literal_part(at, image, f.part);
  Str p = f.part;
  Diag *d;
  switch (f.kind) {
  case IMAGE_FAULT_IDENTIFIER:
    d = diag_at(c, E1075, where, "image \"%.*s\" is 64 hex digits, which Docker reads as an "
                "image ID, not a name", S(image));
    diag_help(c, d, "name the image by its repository and tag, as in NAME:TAG");
    break;
  case IMAGE_FAULT_DOMAIN:
    d = diag_at(c, E1075, where, "registry \"%.*s\" of image \"%.*s\" is not a host name or "
                "address Docker accepts", S(p), S(image));
    diag_help(c, d, "a registry is a host name (labels of letters, digits and \"-\", "
                    "separated by \".\"), an IPv4 address or an [IPv6] address, then an "
                    "optional :PORT, as in registry.example.com:5000");
    break;
  case IMAGE_FAULT_UPPERCASE:
    d = diag_at(c, E1075, where, "repository \"%.*s\" of image \"%.*s\" has uppercase "
                "letters, which Docker refuses", S(p), S(image));
    diag_help(c, d, "write it in lowercase: \"%.*s\"",
              S(image_with(c, image, name_from(image, p),
                           str_lower(&c->arena, name_from(image, p)))));
    break;
  case IMAGE_FAULT_COMPONENT:
    d = diag_at(c, E1075, where, "\"%.*s\" in the repository of image \"%.*s\" is not a "
                "path component Docker accepts", S(p), S(image));
    diag_help(c, d, "a path component is lowercase letters and digits, separated by one "
                    "\".\", one or two \"_\", or \"-\"s, as in my-team/api_v2");
    break;
  case IMAGE_FAULT_EMPTY:
    d = diag_at(c, E1075, where, "image \"%.*s\" has an empty path component", S(image));
    if (name_from(image, p).len == 1)  // the name ends at the "/"
      diag_help(c, d, "write the repository after the \"/\", as in REGISTRY/REPOSITORY:TAG");
    else
      diag_help(c, d, "remove the \"/\" too many: \"%.*s\"",
                S(image_with(c, image, p, STR(""))));
    break;
  case IMAGE_FAULT_LONG:
    d = diag_at(c, E1075, where, "the repository of image \"%.*s\" is %td characters, more "
                "than Docker's %d", S(image), p.len, f.limit);
    diag_help(c, d, "shorten the repository's name");
    break;
  case IMAGE_FAULT_TAG_EMPTY:
    d = diag_at(c, E1075, where, "image \"%.*s\" has an empty tag", S(image));
    diag_help(c, d, "write the tag after \":\", or remove the \":\" for Docker's latest");
    break;
  case IMAGE_FAULT_TAG_LONG:
    d = diag_at(c, E1075, where, "the tag of image \"%.*s\" is %td characters, more than "
                "Docker's %d", S(image), p.len, f.limit);
    diag_help(c, d, "shorten the tag, or pin the image by digest (@sha256:...)");
    break;
  case IMAGE_FAULT_TAG:
    d = diag_at(c, E1075, where, "tag \"%.*s\" of image \"%.*s\" is not a tag Docker accepts",
                S(p), S(image));
    diag_help(c, d, "a tag is up to 128 letters, digits, \"_\", \".\" and \"-\", and does "
                    "not begin with \".\" or \"-\"");
    break;
  case IMAGE_FAULT_DIGEST:
    d = diag_at(c, E1075, where, "digest \"%.*s\" of image \"%.*s\" is not ALGORITHM:HEX",
                S(p), S(image));
    diag_help(c, d, "a digest is sha256: and 64 lowercase hex digits, as aws ecr "
                    "describe-images or docker images --digests shows it");
    break;
  case IMAGE_FAULT_DIGEST_ALGORITHM:
    d = diag_at(c, E1075, where, "digest algorithm \"%.*s\" of image \"%.*s\" is none Docker "
                "knows", S(p), S(image));
    diag_help(c, d, "Docker knows sha256, sha384 and sha512; registries name images by sha256");
    break;
  case IMAGE_FAULT_DIGEST_LENGTH:
    d = diag_at(c, E1075, where, "the digest of image \"%.*s\" has %td hex digits, and a %.*s "
                "digest has %d", S(image), p.len, S(digest_algorithm(image, p)), f.limit);
    diag_help(c, d, "copy the whole digest, as aws ecr describe-images or docker images "
                    "--digests shows it");
    break;
  case IMAGE_FAULT_DIGEST_HEX:
    d = diag_at(c, E1075, where, "the digest of image \"%.*s\" is not lowercase hex", S(image));
    diag_help(c, d, "write it in lowercase: \"%.*s\"",
              S(image_with(c, image, p, str_lower(&c->arena, p))));
    break;
  default:
    d = diag_at(c, E1075, where, "image \"%.*s\" is not a reference Docker accepts", S(image));
    diag_help(c, d, "an image is [REGISTRY/]REPOSITORY[:TAG][@DIGEST], as in "
                    "registry.example.com/team/api:1.4.2");
    break;
  }
  return d;
}

// An image that has no container's ImageRef (compose import's).
Diag *check_images_reference(Compilation *c, Str image, Span at) {
  return reference_fault(c, image, image_fault(c, image), at);
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
  diag_help(c, d, "an AWS account ID has 12 digits, as in 123456789012; %.1024s", ecr_shape);
  return false;
}

// E1072: the region, one of std/aws/regions, and in the partition of the
// domain (amazonaws.com.cn is China's alone: Amazon ECR User Guide for
// China, "Amazon ECR private registry").
static bool region(Compilation *c, const Model *m, const Container *k) {
  const ImageRef *r = &k->ref;
  if (!r->region.len) {
    Diag *d = diag_at(c, E1072, image_part_at(k, r->endpoint),
                      "the ECR registry in image \"%.*s\" names no region", S(k->image));
    diag_help(c, d, "write the repository's region after %.*s, as in "
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com", S(r->endpoint));
    return false;
  }
  return check_region_known(c, m, r->region, E1072, image_part_at(k, r->region),
                            str_fmt(&c->arena, "the ECR registry of image \"%.*s\"",
                                    S(k->image)));
}

// E1070: each part that is not where ECR's form wants it. An image in the
// form (image.c) needs no regex here: only what the form leaves open, its
// domain's partition against its region, both ways.
static bool form(Compilation *c, const Container *k) {
  const ImageRef *r = &k->ref;
  bool ok = true;
  // The dual-stack registry's label is dkr-ecr under on.aws (image.c cites
  // the form), the IPv4 one's dkr.ecr under amazonaws.com.
  bool dual = str_eq_c(str_lower(&c->arena, r->domain), "on.aws");
  const char *want = dual ? "dkr-ecr" : "dkr.ecr";
  if (!str_eq_c(r->endpoint, want) &&
      !str_eq(r->endpoint, str_fmt(&c->arena, "%s-fips", want))) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->endpoint),
                      "\"%.*s\" in the registry of image \"%.*s\" is not ECR's \"%s\"%s",
                      S(r->endpoint), S(k->image), want,
                      dual ? ", which its dual-stack registry under on.aws has" : "");
    diag_help(c, d, "%.1024s", ecr_shape);
    ok = false;
  }
  bool china = str_eq_c(r->domain, "amazonaws.com.cn");
  if (!china && !str_eq_c(r->domain, "amazonaws.com") && !str_eq_c(r->domain, "on.aws")) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->domain),
                      "\"%.*s\" in the registry of image \"%.*s\" is not in lowercase",
                      S(r->domain), S(k->image));
    diag_help(c, d, "write %s", dual ? "on.aws" : "amazonaws.com (amazonaws.com.cn in China)");
    ok = false;
  } else if (china && r->region.len && !str_starts_with(r->region, STR("cn-"))) {
    Diag *d = diag_at(c, E1070, image_part_at(k, r->domain),
                      "the ECR registry in image \"%.*s\" ends in China's amazonaws.com.cn, and "
                      "region \"%.*s\" is not in China", S(k->image), S(r->region));
    diag_help(c, d, "write amazonaws.com");
    ok = false;
  } else if (!china && !dual && r->region.len &&
             !strcmp(model_partition_of(r->region)->dns_suffix, "amazonaws.com.cn")) {
    // The other way round: China's IPv4 registries are under amazonaws.com.cn
    // only (the China guide, as image.c cites it), so the name resolves to nothing.
    Diag *d = diag_at(c, E1070, image_part_at(k, r->domain),
                      "the ECR registry in image \"%.*s\" ends in amazonaws.com, and region "
                      "\"%.*s\" is in China, whose registries end in amazonaws.com.cn",
                      S(k->image), S(r->region));
    diag_help(c, d, "write amazonaws.com.cn");
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
// endpoints the VPC state makes (emit_tf_vpc.c: ecr.api, ecr.dkr and the S3
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

// A dual-stack image named by its IPv4 registry instead: the same
// repository (image.c, ecr_dual_stack), FIPS kept FIPS.
static Str ipv4_image(Compilation *c, const Container *k) {
  const ImageRef *r = &k->ref;
  Str fips = str_eq_c(r->endpoint, "dkr-ecr-fips") ? STR("-fips") : (Str){0};
  Str domain = str_c(model_partition_of(r->region)->dns_suffix);  // amazonaws.com(.cn)
  Str ipv4 = str_fmt(&c->arena, "%.*s.dkr.ecr%.*s.%.*s.%.*s", S(r->account), S(fips),
                     S(r->region), S(domain));
  Str registry = {r->account.ptr, r->domain.ptr + r->domain.len - r->account.ptr};
  return image_with(c, k->image, registry, ipv4);
}

// E1076: ECR's interface VPC endpoints serve its IPv4 registry alone
// (Amazon ECR User Guide, "Making requests to Amazon ECR registries":
// "Amazon ECR does not support AWS PrivateLink traffic over dual-stack
// endpoints. You must use IPv4-only Amazon ECR endpoints if you need AWS
// PrivateLink support"): the com.amazonaws.REGION.ecr.dkr endpoint the VPC
// state makes without NAT answers for ACCOUNT.dkr.ecr.REGION.amazonaws.com,
// not for the on.aws name, which the private subnets then cannot reach. The
// same repository by its IPv4 name is pulled through the endpoints.
static bool dual_stack_reachable(Compilation *c, const Service *s, const Container *k) {
  const Environment *e = s->env;
  const ImageRef *r = &k->ref;
  if (!r->dual_stack || e->vpc.nat != NAT_NONE || s->public_ip)
    return true;
  Str registry = {r->account.ptr, r->domain.ptr + r->domain.len - r->account.ptr};
  Diag *d = diag_at(c, E1076, image_part_at(k, registry),
                    "image \"%.*s\" is in ECR's dual-stack registry, which the ECR endpoints of "
                    "environment \"%.*s\" do not serve: without NAT its private subnets cannot "
                    "pull it", S(k->image), S(e->name));
  diag_note(c, d, span_or(e->vpc.at.nat, e->span), "the environment has no NAT");
  diag_help(c, d, "name the repository by its IPv4 registry, which the endpoints serve: \"%.*s\", "
                  "or set nat = \"single\"", S(ipv4_image(c, k)));
  return false;
}

// W1140: where a pull from ECR's dual-stack registry is not known to work.
// ecsc's VPCs are IPv4 (the name gains nothing there), and each pull path
// has been seen to fail:
//   - Fargate: "the authentication against the registry is not attempted
//     and the deployment fails" with "authorization failed: no basic auth
//     credentials" (aws/containers-roadmap issue 2611, open).
//   - the ECS agent on instances takes ECR's credentials for a dual-stack
//     image only from version 1.95.0 (2025-06-05): before it,
//     getAuthConfigFromECR required the image to begin with the registry's
//     IPv4 proxy endpoint ("ecr auth: AuthorizationData is malformed"),
//     aws/amazon-ecs-agent pull request 4612, agent/dockerclient/dockerauth/
//     ecr.go. Bottlerocket's ECS variant shipped agent 1.91.2 after that
//     (aws/amazon-ecs-agent issue 4829, which waits on bottlerocket-os/
//     bottlerocket issue 4743), and a pinned AMI may carry any agent. The
//     latest ECS-optimized AL2023 or AL2 AMI, ecsc's default, carries a later
//     one.
// A warning, not an error: each is a report, not AWS's documentation.
static void dual_stack_pull(Compilation *c, const Service *s, const Container *k) {
  const Cluster *cl = s->cluster;
  if (!k->ref.dual_stack)
    return;
  bool bottlerocket = model_bottlerocket(cl);
  Span at = span_or(k->at.image, k->span);
  Diag *d;
  if (model_on_fargate(s)) {
    d = diag_at(c, W1140, at, "image \"%.*s\" is in ECR's dual-stack registry, which Fargate "
                "has been reported not to authenticate to (aws/containers-roadmap issue 2611): "
                "its tasks may fail to pull", S(k->image));
  } else if (!model_on_instances(s) || !cl || (!cl->ami_id.len && !bottlerocket)) {
    return;
  } else if (cl->ami_id.len) {
    d = diag_at(c, W1140, at, "image \"%.*s\" is in ECR's dual-stack registry, which the ECS "
                "agent pulls from only from version 1.95.0, and cluster \"%.*s\" pins its AMI",
                S(k->image), S(cl->name));
    diag_note(c, d, span_or(cl->at.ami_id, cl->span), "the AMI is pinned here");
  } else {
    d = diag_at(c, W1140, at, "image \"%.*s\" is in ECR's dual-stack registry, which the ECS "
                "agent pulls from only from version 1.95.0, and Bottlerocket has shipped older "
                "agents (aws/amazon-ecs-agent issue 4829)", S(k->image));
    diag_note(c, d, span_or(cl->at.ami, cl->span), "cluster \"%.*s\" runs Bottlerocket",
              S(cl->name));
  }
  diag_help(c, d, "name the same repository by its IPv4 registry, which every ECS pull path "
            "takes: \"%.*s\"", S(ipv4_image(c, k)));
}

void check_images(Compilation *c, const Model *m, const Service *s, const Container *k) {
  const ImageRef *r = &k->ref;
  // The fault image_read found: the grammar is matched once a container.
  if (reference_fault(c, k->image, r->fault, span_or(k->at.image, k->span)) || !r->ecr_like)
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
    diag_help(c, d, "%.1024s", ecr_shape);
  }
  if (ok && r->ecr && dual_stack_reachable(c, s, k))
    reachable(c, s, k);
  if (ok && r->ecr)
    dual_stack_pull(c, s, k);
}
