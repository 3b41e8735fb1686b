// tests/unit/test_derive.c: names derive.c computes that must never change
// from one ecsc to the next. A target group's name ends in a hash of what
// makes AWS replace the group (derive_target_group_hash): another value for
// the same service renames the group, which Terraform then replaces, and
// the route answers 503 until a new task passes the health check. The
// expected names are the ones ecsc has written since target groups were
// named so (tests/build/shop/expected has the first).
#include "model.h"
#include "syntax.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

void test_derive(int *passed, int *failed);

// The prelude's files (std/aws/...), from the repository's stdlib/, where
// tests/unit/run-unit runs; the source below imports nothing else.
static bool read_std(Compilation *c, Str from, Str name, LoadedFile *out, Str *why) {
  if (!str_starts_with(name, STR("std/"))) {
    *why = STR("only std/ is read here");
    return false;
  }
  Str path = str_fmt(&c->arena, "stdlib/%.*s.ecs", (int)name.len - 4, name.ptr + 4);
  if (!read_file(&c->arena, str_cstr(&c->arena, path), &out->text)) {
    *why = STR("cannot read it");
    return false;
  }
  out->path = out->key = path;
  return true;
}

// examples/shop's staging storefront, as far as its target group goes: the
// prefix, the service's name and port, bridge networking (an instance
// target), the VPC's CIDR block; and an awsvpc service deploying
// blue-green, whose two groups (ip targets) end in different hashes.
static const char source[] =
    "project \"p\" {\n"
    "  region = \"us-east-1\"\n"
    "  state {\n"
    "    bucket = \"p-state\"\n"
    "  }\n"
    "}\n"
    "environment \"staging\" {\n"
    "  prefix = \"shop-staging\"\n"
    "  vpc {\n"
    "    cidr            = 10.20.0.0/16\n"
    "    azs             = [\"us-east-1a\", \"us-east-1b\"]\n"
    "    public_subnets  = [10.20.0.0/24, 10.20.1.0/24]\n"
    "    private_subnets = [10.20.10.0/24, 10.20.11.0/24]\n"
    "  }\n"
    "  alb {}\n"
    "  cluster \"a\" {\n"
    "    instance_type = \"t3.small\"\n"
    "    size          = 2\n"
    "  }\n"
    "}\n"
    "service \"storefront\" {\n"
    "  cluster = cluster.a\n"
    "  image   = \"nginx:1\"\n"
    "  memory  = 256 MiB\n"
    "  port    = 8080\n"
    "  route {\n"
    "    paths = [\"/*\"]\n"
    "  }\n"
    "}\n"
    "service \"api\" {\n"
    "  cluster      = cluster.a\n"
    "  image        = \"nginx:1\"\n"
    "  memory       = 256 MiB\n"
    "  port         = 8080\n"
    "  network_mode = \"awsvpc\"\n"
    "  route {\n"
    "    paths = [\"/api/*\"]\n"
    "  }\n"
    "  deployment {\n"
    "    strategy = \"blue-green\"\n"
    "    bake     = 5m\n"
    "  }\n"
    "}\n";

static const struct {
  const char *service, *group, *alternate;  // alternate: NULL for none
} names[] = {
    {"storefront", "shop-staging-storefront-72f72f", NULL},
    {"api", "shop-staging-api-24806d", "shop-staging-api-e9a6c3"},
};

static const Service *service_named(const Environment *e, const char *name) {
  for (int i = 0; i < e->nservices; i++)
    if (str_eq(e->services[i]->name, str_c(name)))
      return e->services[i];
  return NULL;
}

static void test_target_group_names(void) {
  Compilation c;
  comp_init(&c);
  c.read_import = read_std;
  Source *root = comp_add_source(&c, STR("tg.ecs"), (Str){source, (ptrdiff_t)strlen(source)});
  ptrdiff_t n;
  File **files = imports_load(&c, root, &n);
  for (ptrdiff_t i = 0; i < n && !c.nerrors; i++)
    schema_check(&c, files[i]);
  Model *m = c.nerrors ? NULL : resolve(&c, files, n, NULL);
  if (m && !c.nerrors)
    derive(&c.arena, m);
  expect(m && !c.nerrors && m->nenvs == 1, "the target group source compiles", "tg.ecs");
  for (Diag *d = c.diags; d && c.nerrors; d = d->next)
    printf("    %s: %.*s\n", diag_info(d->code)->name, S(d->message));
  if (!m || c.nerrors || m->nenvs != 1) {
    comp_free(&c);
    return;
  }
  for (int i = 0; i < (int)countof(names); i++) {
    const Service *s = service_named(m->envs[0], names[i].service);
    bool routed = s && s->route;
    expect(routed && str_eq(s->route->target_group, str_c(names[i].group)),
           "target group name", names[i].group);
    if (names[i].alternate)
      expect(routed && str_eq(s->route->alternate_group, str_c(names[i].alternate)),
             "alternate target group name", names[i].alternate);
  }
  comp_free(&c);
}

// The hash alone, on the key target_group_name makes for the storefront
// above (its full name, port, protocol, target type, and the CIDR block as
// its address and length): the value is FNV-1a 64's low 24 bits.
static void test_target_group_hash(void) {
  expect(derive_target_group_hash(STR("shop-staging-storefront 8080 HTTP instance 169082880/16")) ==
             0x72f72f,
         "target group hash", "shop-staging-storefront");
  expect(derive_target_group_hash(STR("")) == 0x222325, "target group hash", "(empty key)");
}

void test_derive(int *passed, int *failed) {
  npassed = passed;
  nfailed = failed;
  test_target_group_hash();
  test_target_group_names();
}
