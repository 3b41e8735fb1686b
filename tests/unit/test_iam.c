// tests/unit/test_iam.c: the IAM reference compiled into ecsc
// (aws_iam_table.c) and the questions asked of it (aws_iam.c): every action
// is found by its own name, ARNs fit or miss the patterns as IAM reads them,
// condition keys apply or not. Then the checker of derived statements
// (check_iam.c) on the classes of bug it exists for, and on every statement ecsc
// derives for every example and every test input, which must all pass: a
// statement AWS would not honour (the execution role's log group ARN for
// logs:CreateLogStream) can never come back silently.
#include "aws_iam.h"
#include "model.h"
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_iam(int *passed, int *failed);

// Every action of every service is found by its own name, in any case, and
// the names are in the order the binary search needs.
static void test_table(void) {
  Arena a = {0};
  int actions = 0, bad = 0;
  for (int s = 0; s < aws_iam_nservices; s++) {
    const AwsIamService *svc = &aws_iam_services[s];
    Str prefix = aws_iam_prefix(&a, svc);
    if (aws_iam_service(prefix) != svc)
      bad++;
    for (int i = 0; i < svc->nactions; i++, actions++) {
      Str name = aws_iam_action_name(&a, svc, i);
      char *upper = str_cstr(&a, name);
      for (char *p = upper; *p; p++)
        *p = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
      if (aws_iam_action(svc, name) != i || aws_iam_action(svc, str_c(upper)) != i)
        bad++;
    }
  }
  expect(bad == 0, "every service and action found by its name", "aws_iam_table.c");
  expect(aws_iam_nservices > 400 && actions > 20000, "the whole reference", aws_iam_source);
  expect(aws_iam_service(STR("logs")) && aws_iam_service(STR("LOGS")), "service", "logs");
  expect(!aws_iam_service(STR("s4")) && !aws_iam_service(STR("")), "no service", "s4");
  const AwsIamService *logs = aws_iam_service(STR("logs"));
  int i = logs ? aws_iam_action(logs, STR("createlogstream")) : -1;
  expect(i >= 0 && str_eq_c(aws_iam_action_name(&a, logs, i), "CreateLogStream"), "action",
         "logs:createlogstream");
  expect(logs && aws_iam_action(logs, STR("CreateLogStreams")) < 0, "no action",
         "logs:CreateLogStreams");
  arena_free(&a);
}

// The patterns of an action, as AWS's reference gives them.
static bool fits(const char *action, const char *resource) {
  Arena a = {0};
  const char *colon = strchr(action, ':');
  const AwsIamService *svc = aws_iam_service((Str){action, colon - action});
  int i = svc ? aws_iam_action(svc, str_c(colon + 1)) : -1;
  bool ok = false;
  int n = 0;
  Str *patterns = i >= 0 ? aws_iam_patterns(&a, svc, i, &n) : NULL;
  for (int k = 0; k < n && !ok; k++)
    ok = aws_iam_arn_fits(&a, str_c(resource), patterns[k]);
  arena_free(&a);
  return ok;
}

static void test_arns(void) {
  static const struct {
    const char *action, *resource;
    bool fits;
  } cases[] = {
      // The log-stream bug: the group is not the stream.
      {"logs:CreateLogStream", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x", false},
      {"logs:CreateLogStream", "arn:aws:logs:us-east-1:1:log-group:/ecs/x:log-stream:web/*", true},
      {"logs:CreateLogStream", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x:*", true},
      {"logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/ecs/x:log-stream:a", true},
      {"logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/x", true},
      // Terraform's account, IAM's policy variables, wildcards.
      {"logs:CreateLogStream",
       "arn:aws:logs:us-east-1:${data.aws_caller_identity.current.account_id}:log-group:g:log-stream:s",
       true},
      {"s3:GetObject", "arn:aws:s3:::orders/${aws:username}/*", true},
      {"s3:GetObject", "arn:aws:s3:::orders/*", true},
      {"s3:GetObject", "arn:aws:s3:::orders*", true},
      {"s3:GetObject", "arn:aws:s3:::orders", false},
      {"s3:ListBucket", "arn:aws:s3:::orders", true},
      {"s3:ListBucket", "arn:aws:s3:::orders/*", false},
      {"s3:GetObject", "arn:aws:s3:us-east-1::orders/k", false},  // the bucket ARN has no region
      {"ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/app/X", true},
      {"ssm:GetParameters", "arn:aws:ssm:us-east-?:*:parameter/*", true},
      {"ssm:GetParameters", "arn:aws:ssm:us-east-1/x:123456789012:parameter/app/X", false},
      {"ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:document/X", false},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab", true},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:alias/app", false},
      {"kms:Decrypt", "arn:aws-cn:kms:cn-north-1:123456789012:key/*", true},
      {"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/team/api", true},
      {"ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:123456789012:repository/api", false},
      {"ecs:Poll", "arn:aws:ecs:us-east-1:123456789012:container-instance/main/*", true},
      {"ecs:RegisterContainerInstance", "arn:aws:ecs:us-east-1:123456789012:cluster/main", true},
      {"ecs:RegisterContainerInstance", "arn:aws:ecs:us-east-1:123456789012:service/main/x", false},
      // A * inside the reference's own pattern (cert:*) is a wildcard too.
      {"dms:DeleteCertificate", "arn:aws:dms:us-east-1:123456789012:cert:ABC", true},
      {"dms:DeleteCertificate", "arn:aws:dms:us-east-1:123456789012:certificate:ABC", false},
      {"sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:orders", true},
      {"sqs:SendMessage", "arn:aws:sns:us-east-1:123456789012:orders", false},
      {"sqs:SendMessage", "not-an-arn", false},
  };
  for (int i = 0; i < countof(cases); i++) {
    char what[600];
    snprintf(what, sizeof what, "%s on %s", cases[i].action, cases[i].resource);
    expect(fits(cases[i].action, cases[i].resource) == cases[i].fits,
           cases[i].fits ? "fits" : "does not fit", what);
  }
  expect(aws_iam_is_arn(STR("arn:aws:s3:::orders")), "an ARN", "arn:aws:s3:::orders");
  expect(aws_iam_is_arn(STR("arn:aws:iam::${aws:username}:user/x")), "an ARN",
         "${aws:username}");
  expect(!aws_iam_is_arn(STR("arn:aws:s3")), "not an ARN", "arn:aws:s3");
}

static bool key_applies(const char *action, const char *key) {
  const char *colon = strchr(action, ':');
  const AwsIamService *svc = aws_iam_service((Str){action, colon - action});
  int i = svc ? aws_iam_action(svc, str_c(colon + 1)) : -1;
  return i >= 0 && aws_iam_key_applies(svc, i, str_c(key));
}

static void test_keys(void) {
  static const struct {
    const char *action, *key;
    bool applies;
  } cases[] = {
      {"kms:Decrypt", "kms:ViaService", true},
      {"kms:Decrypt", "kms:viaservice", true},
      {"kms:Decrypt", "kms:ResourceAliases", true},
      {"kms:Decrypt", "kms:ViaServices", false},
      {"kms:Decrypt", "ssm:Overwrite", false},
      {"kms:Decrypt", "aws:SourceAccount", true},           // global
      {"kms:Decrypt", "aws:ResourceTag/team", true},        // global template
      {"kms:Decrypt", "aws:PrincipalTag/team", true},       // aws:PrincipalTag/tag-key
      {"kms:Decrypt", "aws:PrincipalTag/", false},
      {"kms:Decrypt", "aws:NoSuchKey", false},
      {"s3:GetObject", "s3:ExistingObjectTag/team", true},  // s3:ExistingObjectTag/<key>
      {"ssm:GetParameters", "ssm:Recursive", false},
  };
  for (int i = 0; i < countof(cases); i++) {
    char what[200];
    snprintf(what, sizeof what, "%s with %s", cases[i].action, cases[i].key);
    expect(key_applies(cases[i].action, cases[i].key) == cases[i].applies,
           cases[i].applies ? "key applies" : "key does not apply", what);
  }
}

// The checker of derived statements on the classes of bug it exists for:
// each must give exactly the E0607 findings counted.
static int findings(const char *actions, const char *resources, const char *key) {
  Compilation c;
  comp_init(&c);
  Str acts[4], res[4];
  int na = 0, nr = 0;
  char *list = str_cstr(&c.arena, str_c(actions));
  for (char *t = strtok(list, " "); t && na < 4; t = strtok(NULL, " "))
    acts[na++] = str_c(t);
  list = str_cstr(&c.arena, str_c(resources));
  for (char *t = strtok(list, " "); t && nr < 4; t = strtok(NULL, " "))
    res[nr++] = str_c(t);
  Condition cond = {.op = STR("StringEquals"), .key = key ? str_c(key) : (Str){0}};
  Statement st = {.sid = STR("Test"), .actions = acts, .nactions = na, .resources = res,
                  .nresources = nr, .conditions = &cond, .nconditions = key != NULL};
  check_iam_statement(&c, &st);
  int n = 0;
  for (Diag *d = c.diags; d; d = d->next)
    n += d->code == E0607;
  int all = c.nerrors;
  comp_free(&c);
  return n == all ? n : -1;
}

static void test_derived_bugs(void) {
  static const struct {
    const char *actions, *resources, *key;
    int findings;
  } cases[] = {
      {"logs:CreateLogStream logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/x", NULL, 2},
      {"logs:CreateLogStream logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:/x:log-stream:p/*",
       NULL, 0},
      {"ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:1:repository/api", NULL, 1},
      {"ecr:GetAuthorizationToken", "*", NULL, 0},
      {"ecr:BatchGetImage ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:1:repository/a", NULL, 1},
      {"ecs:Pol", "*", NULL, 1},
      {"ecz:Poll", "*", NULL, 1},
      {"ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/a arn:aws:s3:::b", NULL, 1},
      {"ssm:GetParameters", "arn:aws:ssm", NULL, 1},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/*", "kms:ViaService", 0},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/*", "kms:ViaServices", 1},
      {"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/*", "aws:SourceAccount", 0},
  };
  for (int i = 0; i < countof(cases); i++) {
    char what[300];
    snprintf(what, sizeof what, "%s on %s%s%s: %d finding(s)", cases[i].actions, cases[i].resources,
             cases[i].key ? " with " : "", cases[i].key ? cases[i].key : "", cases[i].findings);
    expect(findings(cases[i].actions, cases[i].resources, cases[i].key) == cases[i].findings,
           "derived statement check", what);
  }
}

//
// Every statement ecsc derives, for every example and test input
//

// Imports as main.c reads them, from the repository: std/ is stdlib/.
static bool read_import(Compilation *c, Str from, Str name, LoadedFile *out, Str *why) {
  Str path;
  if (str_starts_with(name, STR("std/"))) {
    path = str_fmt(&c->arena, "stdlib/%.*s.ecs", (int)name.len - 4, name.ptr + 4);
  } else {
    ptrdiff_t slash = from.len;
    while (slash > 0 && from.ptr[slash - 1] != '/')
      slash--;
    bool ext = name.len > 4 && memcmp(name.ptr + name.len - 4, ".ecs", 4) == 0;
    path = str_fmt(&c->arena, "%.*s%.*s%s", (int)slash, from.ptr, S(name), ext ? "" : ".ecs");
  }
  if (!read_file(&c->arena, str_cstr(&c->arena, path), &out->text)) {
    *why = STR("cannot read it");
    return false;
  }
  out->path = out->key = path;
  return true;
}

// Runs the pipeline up to IAM on one file and checks every derived
// statement again; returns the number checked, or -1 when the file does not
// compile or a statement fails.
static int check_input(const char *path) {
  Compilation c;
  comp_init(&c);
  c.read_import = read_import;
  int checked = -1;
  Str text;
  if (!read_file(&c.arena, path, &text))
    goto out;
  Source *root = comp_add_source(&c, str_c(path), text);
  ptrdiff_t n;
  File **files = imports_load(&c, root, &n);
  for (ptrdiff_t i = 0; i < n && !c.nerrors; i++)
    schema_check(&c, files[i]);
  Model *m = c.nerrors ? NULL : resolve(&c, files, n, NULL);
  if (m && !c.nerrors) {
    derive(&c.arena, m);
    check(&c, m);
  }
  if (!m || c.nerrors)
    goto out;
  checked = 0;
  for (int e = 0; e < m->nenvs; e++) {
    Environment *env = m->envs[e];
    for (int k = 0; k < env->nclusters; k++) {
      Policy *p = &env->clusters[k]->instance_policy;
      for (int s = 0; s < p->n; s++, checked++)
        check_iam_statement(&c, &p->statements[s]);
    }
    for (int k = 0; k < env->nservices; k++) {
      Policy *p = &env->services[k]->exec_policy;
      for (int s = 0; s < p->n; s++, checked++)
        check_iam_statement(&c, &p->statements[s]);
    }
  }
  if (c.nerrors)
    checked = -1;
out:
  if (checked < 0)
    for (Diag *d = c.diags; d; d = d->next)
      printf("    %s: %.*s\n", diag_info(d->code)->name, S(d->message));
  comp_free(&c);
  return checked;
}

// Each NAME/env.ecs of dir (examples/, tests/build/), or each *.ecs of dir
// (tests/iam/).
static void check_dir(const char *dir, bool nested, int *inputs, int *statements) {
  DIR *d = opendir(dir);
  if (!d) {
    expect(false, "cannot read", dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    char path[1024];
    size_t len = strlen(e->d_name);
    if (e->d_name[0] == '.')
      continue;
    if (nested)
      snprintf(path, sizeof path, "%s/%s/env.ecs", dir, e->d_name);
    else if (len > 4 && strcmp(e->d_name + len - 4, ".ecs") == 0)
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    else
      continue;
    FILE *f = fopen(path, "r");
    if (!f)
      continue;
    fclose(f);
    int n = check_input(path);
    expect(n >= 0, "every derived statement passes the IAM check", path);
    *inputs += 1;
    *statements += n > 0 ? n : 0;
  }
  closedir(d);
}

static void test_every_derived_statement(void) {
  int inputs = 0, statements = 0;
  check_dir("examples", true, &inputs, &statements);
  check_dir("tests/build", true, &inputs, &statements);
  check_dir("tests/iam", false, &inputs, &statements);
  expect(inputs >= 4 && statements > 20, "derived statements were checked",
         "examples, tests/build, tests/iam");
}

void test_iam(int *passed, int *failed) {
  npassed = passed;
  nfailed = failed;
  test_table();
  test_arns();
  test_keys();
  test_derived_bugs();
  test_every_derived_statement();
}
