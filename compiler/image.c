// image.c: what an image reference is made of: its name, tag and digest,
// the form task definitions register it in, and, when its registry looks
// like ECR's, that registry's parts. resolve.c reads each container's image
// once; derive_iam.c (the ECR pull grant), check_images.c and check.c (the
// registry's form) and the emitters read the parts, so that none of them
// parses an image again and all agree on what an ECR image is.
#include "model.h"

// The reference grammar of the distribution project (Docker's):
// distribution/reference, regexp.go: a tag is [\w][\w.-]{0,127} after a
// ":", a digest ALGORITHM:HEX after an "@", with
//   digest = [A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}
// The name is what comes before them: every component up to the last "/"
// whole (so a registry's port, "localhost:5000/app", stays in it: a tag
// holds no "/"), then the last one up to a ":" or "@". Possessive, so that
// reading a reference never backtracks.
static const char *const reference =
    "((?:[^/]*+/)*+[^:@/]*+)(?::([\\w][\\w.-]{0,127}))?"
    "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}))?";

// A registry that looks like ECR's: an endpoint label beginning dkr.ecr or
// dkr-ecr, under amazonaws.com or amazonaws.com.cn, in any case, with what
// stands where ECR puts the account, the region, a port and the repository.
// Groups: account (one label), endpoint, region, domain, port, repository.
// Possessive where a part ends at a fixed character, so that the many
// images that are not ECR's fail at once.
static const char *const ecr_like =
    "(?i)(?:([^./]*+)\\.)?(dkr[.-]ecr[^./]*+)(?:\\.([^/]*?))?\\.(amazonaws\\.com(?:\\.cn)?)"
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

ImageRef image_read(Compilation *c, Str image) {
  ImageRef r = {.name = image, .registered = image};
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
  if (regex_groups(c, ecr_form, r.name, g, 5)) {
    r.ecr = r.ecr_like = true;
    r.account = g[0], r.endpoint = g[1], r.region = g[2], r.domain = g[3], r.repository = g[4];
  } else if (regex_groups(c, ecr_like, r.name, g, 6)) {
    r.ecr_like = true;
    r.account = g[0], r.endpoint = g[1], r.region = g[2], r.domain = g[3], r.port = g[4];
    r.repository = g[5];
  }
  return r;
}
