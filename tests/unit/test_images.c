// tests/unit/test_images.c: what image.c reads of an image reference: its
// name, tag and digest as the distribution reference grammar splits them,
// what of it that grammar refuses (image_fault), the
// form task definitions register (":latest" added only when there is neither
// tag nor digest), and whether its registry looks like ECR's and is in ECR's
// form, with the parts the pull grant is made of. Each row an input and what
// it must give.
#include "model.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

void test_images(int *passed, int *failed);

static bool same(Str s, const char *want) {
  return want ? str_eq_c(s, want) : s.len == 0;
}

static const struct {
  const char *image, *name, *tag, *digest, *registered;
} references[] = {
    {"nginx", "nginx", NULL, NULL, "nginx:latest"},
    {"nginx:1.27", "nginx", "1.27", NULL, "nginx:1.27"},
    {"nginx:latest", "nginx", "latest", NULL, "nginx:latest"},
    {"amazon/amazon-ecs-sample", "amazon/amazon-ecs-sample", NULL, NULL,
     "amazon/amazon-ecs-sample:latest"},
    // A registry's port is not a tag.
    {"localhost:5000/app", "localhost:5000/app", NULL, NULL, "localhost:5000/app:latest"},
    {"registry.example.com:5000/team/api:1.4.2", "registry.example.com:5000/team/api", "1.4.2",
     NULL, "registry.example.com:5000/team/api:1.4.2"},
    // A digest stays as written, with or without a tag before it.
    {"app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "app", NULL,
     "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "app",
     "1.0", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"public.ecr.aws/nginx/nginx:stable", "public.ecr.aws/nginx/nginx", "stable", NULL,
     "public.ecr.aws/nginx/nginx:stable"},
};

static void test_references(void) {
  for (int i = 0; i < (int)countof(references); i++) {
    Compilation c;
    comp_init(&c);
    ImageRef r = image_read(&c, str_c(references[i].image));
    expect(same(r.name, references[i].name), "name", references[i].image);
    expect(same(r.tag, references[i].tag), "tag", references[i].image);
    expect(same(r.digest, references[i].digest), "digest", references[i].image);
    expect(same(r.registered, references[i].registered), "registered", references[i].image);
    comp_free(&c);
  }
}

// ecr_like: the registry looks like ECR's; ecr: and is in ECR's form, the
// images derive_iam.c grants a pull of (account, region, repository).
static const struct {
  const char *image;
  bool ecr_like, ecr;
  const char *account, *region, *repository;
} registries[] = {
    {"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1", true, true, "123456789012",
     "us-east-1", "api"},
    {"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/team/api@sha256:"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     true, true, "123456789012", "us-gov-west-1", "team/api"},
    {"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api", true, true, "123456789012",
     "cn-north-1", "api"},
    {"1234567890.dkr.ecr.us-west-2.amazonaws.com/proxy:1", true, false, "1234567890", "us-west-2",
     "proxy"},
    {"123456789012.dkr-ecr.us-east-1.amazonaws.com/api:1", true, false, "123456789012",
     "us-east-1", "api"},
    {"123456789012.dkr.ecr.amazonaws.com/api:1", true, false, "123456789012", NULL, "api"},
    {"123456789012.dkr.ecr.us-east-1.amazonaws.com:443/api:1", true, false, "123456789012",
     "us-east-1", "api"},
    {"123456789012.dkr.ecr.us-east-1.amazonaws.com", true, false, "123456789012", "us-east-1",
     NULL},
    {"dkr.ecr.us-east-1.amazonaws.com/api", true, false, NULL, "us-east-1", "api"},
    // ECR's dual-stack form: the same repositories, so the same grant.
    {"123456789012.dkr-ecr.us-east-1.on.aws/api:1", true, true, "123456789012", "us-east-1",
     "api"},
    {"123456789012.dkr-ecr-fips.us-gov-west-1.on.aws/team/api", true, true, "123456789012",
     "us-gov-west-1", "team/api"},
    {"123456789012.dkr.ecr.us-east-1.on.aws/api:1", true, false, "123456789012", "us-east-1",
     "api"},
    {"123456789012.DKR-ECR.us-east-1.on.aws/api:1", true, false, "123456789012", "us-east-1",
     "api"},
    {"public.ecr.aws/nginx/nginx:stable", false, false, NULL, NULL, NULL},
    {"nginx", false, false, NULL, NULL, NULL},
    {"example.com/dkr.ecr.us-east-1.amazonaws.com/api", false, false, NULL, NULL, NULL},
};

static void test_registries(void) {
  for (int i = 0; i < (int)countof(registries); i++) {
    Compilation c;
    comp_init(&c);
    ImageRef r = image_read(&c, str_c(registries[i].image));
    expect(r.ecr_like == registries[i].ecr_like, "looks like ECR's", registries[i].image);
    expect(r.ecr == registries[i].ecr, "in ECR's form", registries[i].image);
    expect(same(r.account, registries[i].account), "account", registries[i].image);
    expect(same(r.region, registries[i].region), "region", registries[i].image);
    expect(same(r.repository, registries[i].repository), "repository", registries[i].image);
    expect(r.dual_stack == (r.ecr && strstr(registries[i].image, ".on.aws/") != NULL),
           "dual-stack", registries[i].image);
    comp_free(&c);
  }
}

// What Docker's grammar refuses (image_fault): the kind and the part at
// fault, as the caret shows it; NULL part: none.
static const struct {
  const char *image;
  ImageFaultKind kind;
  const char *part;
} faults[] = {
    {"nginx", IMAGE_FAULT_NONE, NULL},
    {"localhost:5000/app:1.0", IMAGE_FAULT_NONE, NULL},
    {"[::1]:5000/app", IMAGE_FAULT_NONE, NULL},
    {"a__b/c--d.e_f:V1.0_x-y", IMAGE_FAULT_NONE, NULL},
    {"Registry/app", IMAGE_FAULT_NONE, NULL},            // a registry host, to Docker
    {"reg_istry.example.com/app", IMAGE_FAULT_NONE, NULL},  // a path component, to Docker
    {"123456789012.dkr-ecr.us-east-1.on.aws/api:1", IMAGE_FAULT_NONE, NULL},
    {"app@sha384:"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     IMAGE_FAULT_NONE, NULL},
    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", IMAGE_FAULT_IDENTIFIER,
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"MyApp:1", IMAGE_FAULT_UPPERCASE, "MyApp"},
    {"team/MyApp:1", IMAGE_FAULT_UPPERCASE, "MyApp"},
    {"My_Team/app:1", IMAGE_FAULT_UPPERCASE, "My_Team"},
    {"team/a...b", IMAGE_FAULT_COMPONENT, "a...b"},
    {"team/app_", IMAGE_FAULT_COMPONENT, "app_"},
    {"team//app", IMAGE_FAULT_EMPTY, "/"},
    {"team/", IMAGE_FAULT_EMPTY, "/"},
    {"/app", IMAGE_FAULT_EMPTY, "/"},
    {"bad_host.example.com:5000/app", IMAGE_FAULT_DOMAIN, "bad_host.example.com:5000"},
    {"example.com:port/app", IMAGE_FAULT_DOMAIN, "example.com:port"},
    {"app:", IMAGE_FAULT_TAG_EMPTY, ":"},
    {"app:-1", IMAGE_FAULT_TAG, "-1"},
    {"app:1+2", IMAGE_FAULT_TAG, "1+2"},
    {"app@sha256", IMAGE_FAULT_DIGEST, "sha256"},
    {"app@sha256:0123", IMAGE_FAULT_DIGEST_LENGTH, "0123"},
    {"app@md5:0123456789abcdef0123456789abcdef", IMAGE_FAULT_DIGEST_ALGORITHM, "md5"},
    {"app@md5:0123", IMAGE_FAULT_DIGEST, "md5:0123"},
    {"app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
     IMAGE_FAULT_DIGEST_HEX, "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"},
};

static void test_faults(void) {
  for (int i = 0; i < (int)countof(faults); i++) {
    Compilation c;
    comp_init(&c);
    ImageFault f = image_fault(&c, str_c(faults[i].image));
    expect(f.kind == faults[i].kind, "fault", faults[i].image);
    expect(same(f.part, faults[i].part), "part at fault", faults[i].image);
    comp_free(&c);
  }
  // The longest tag and path Docker takes, and one more.
  char tag[140] = "app:", path[300] = "";
  memset(tag + 4, 'v', 128);
  memset(path, 'a', 255);
  Compilation c;
  comp_init(&c);
  expect(image_fault(&c, str_c(tag)).kind == IMAGE_FAULT_NONE, "fault", "128-character tag");
  expect(image_fault(&c, str_c(path)).kind == IMAGE_FAULT_NONE, "fault", "255-character path");
  tag[132] = 'v', path[255] = 'a';
  expect(image_fault(&c, str_c(tag)).kind == IMAGE_FAULT_TAG_LONG, "fault", "129-character tag");
  expect(image_fault(&c, str_c(path)).kind == IMAGE_FAULT_LONG, "fault", "256-character path");
  comp_free(&c);
}

// The same rows, many times in one compilation: past regex.c's
// REGEX_JIT_AFTER uses, a pattern is matched by PCRE2's JIT, which must give
// the interpreter's answers (the unit runner is built with the sanitizers).
static void test_faults_compiled(void) {
  Compilation c;
  comp_init(&c);
  int wrong = 0;
  for (int round = 0; round < 40; round++)
    for (int i = 0; i < (int)countof(faults); i++) {
      ImageFault f = image_fault(&c, str_c(faults[i].image));
      wrong += f.kind != faults[i].kind || !same(f.part, faults[i].part);
      ImageRef r = image_read(&c, str_c(faults[i].image));
      wrong += r.fault.kind != faults[i].kind;
    }
  expect(wrong == 0, "faults, with the patterns compiled to machine code", "every row 40 times");
  comp_free(&c);
}

void test_images(int *passed, int *failed) {
  npassed = passed;
  nfailed = failed;
  test_references();
  test_registries();
  test_faults();
  test_faults_compiled();
}
