// check_names.c: every AWS name ecsc will generate, computed by resolve.c and
// checked here against AWS's rules, so that a name too long for a target
// group fails in review, not halfway through terraform apply. An error points
// at the DSL line whose name is too long and shows the computed name.
// (IAM's name_prefix, at most 38 characters, has nothing to check: ecsc
// names every role in full.) Reports E0501-E0506.
#include "model.h"

#include <string.h>

typedef struct {
  DiagCode code;
  const char *what;     // "target group name"
  int max;              // characters
  const char *pattern;  // PCRE2, anchored by regex.c
  const char *form;     // the pattern in words, for the help line
} NameRule;

// ELB API Reference, CreateLoadBalancer and CreateTargetGroup: at most 32
// alphanumerics and hyphens, no hyphen at either end.
static const NameRule load_balancer = {
    E0501, "load balancer name", 32, "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
    "letters, digits and hyphens, not starting or ending with a hyphen"};
static const NameRule target_group = {
    E0501, "target group name", 32, "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
    "letters, digits and hyphens, not starting or ending with a hyphen"};
// ECS API Reference, CreateCluster, CreateService, RegisterTaskDefinition:
// up to 255 letters, numbers, hyphens and underscores.
static const NameRule cluster_name = {E0502, "ECS cluster name", 255, "[A-Za-z0-9_-]+",
                                      "letters, digits, hyphens and underscores"};
static const NameRule family_name = {E0502, "ECS service and task family name", 255,
                                     "[A-Za-z0-9_-]+", "letters, digits, hyphens and underscores"};
static const NameRule container_name = {E0502, "container name", 255, "[A-Za-z0-9_-]+",
                                        "letters, digits, hyphens and underscores"};
// IAM API Reference, CreateRole: RoleName, [\w+=,.@-]{1,64}.
static const NameRule role_name = {E0503, "IAM role name", 64, "[A-Za-z0-9_+=,.@-]+",
                                   "letters, digits and _+=,.@-"};
// CloudWatch Logs API Reference, CreateLogGroup: [\.\-_/#A-Za-z0-9]{1,512}.
static const NameRule log_group = {E0504, "log group name", 512, "[.\\-_/#A-Za-z0-9]+",
                                   "letters, digits and _-/.#"};
// ECS API Reference, CreateCapacityProvider: up to 255 letters, numbers,
// underscores and hyphens, and "can't be prefixed with aws, ecs, or fargate".
static const NameRule capacity_provider_name = {
    E0502, "capacity provider name", 255, "(?!(?i:aws|ecs|fargate))[A-Za-z0-9_-]+",
    "letters, digits, hyphens and underscores, not starting with aws, ecs or fargate"};
// EC2 API Reference, CreateLaunchTemplate: 3 to 128 of a-zA-Z0-9().-/_.
static const NameRule launch_template_name = {E0502, "launch template name", 128,
                                              "[a-zA-Z0-9().\\-/_]{3,}",
                                              "at least 3 letters, digits and ().-/_"};
// EC2 API Reference, CreateSecurityGroup: 255 characters, not starting sg-.
static const NameRule security_group = {
    E0506, "security group name", 255, "(?!sg-)[A-Za-z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]+",
    "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-"};

// Where the environment's prefix comes from: its own prefix setting, or the
// project's and the environment's names. Not said twice when the error is there.
static void prefix_note(Compilation *c, Diag *d, Environment *e) {
  Node *set = setting(e->set, "prefix");
  if (set && d->span.start == set->value->span.start && d->span.src == set->value->span.src)
    return;
  if (set)
    diag_note(c, d, set->value->span, "the prefix \"%.*s\" is set here", S(e->prefix));
  else
    diag_note(c, d, e->span, "the prefix \"%.*s\" comes from the project's and the environment's "
              "names", S(e->prefix));
}

static bool name_ok(Compilation *c, const NameRule *rule, Str name, Span at, Environment *e) {
  int length = (int)name.len;
  if (length <= rule->max && regex_match(c, rule->pattern, name))
    return true;
  Diag *d;
  if (length > rule->max)
    d = diag_at(c, rule->code, at, "%s \"%.*s\" is %d characters, at most %d", rule->what, S(name),
                length, rule->max);
  else
    d = diag_at(c, rule->code, at, "invalid %s \"%.*s\"", rule->what, S(name));
  if (e)
    prefix_note(c, d, e);
  Str env = e ? e->name : STR("");
  if (length > rule->max && e)
    diag_help(c, d, "shorten the name, or set a shorter prefix in environment \"%.*s\"", S(env));
  else if (length > rule->max)
    diag_help(c, d, "shorten the name");
  else
    diag_help(c, d, "%s %s is %s", strchr("aeiouAEIOU", rule->what[0]) ? "an" : "a", rule->what,
              rule->form);
  return false;
}

static Span prefix_span(Environment *e) {
  return setting_span(e->set, "prefix", e->span);
}

// Systems Manager User Guide, "Requirements and constraints for parameter
// names": a-zA-Z0-9_.-/, at most 15 levels, no aws or ssm prefix in any case,
// and at most 1011 characters counting the ARN.
static void parameter_name(Compilation *c, Environment *e, Parameter *p) {
  Str name = str_fmt(&c->arena, "/%.*s%.*s", S(e->prefix), S(p->path));
  int levels = 0;
  for (ptrdiff_t i = 0; i < name.len; i++)
    levels += name.ptr[i] == '/';
  int arn = (int)(strlen("arn:") + (size_t)arn_partition(e->region).len + strlen(":ssm:") +
                  (size_t)e->region.len + strlen(":123456789012:parameter") + (size_t)name.len);
  Str first = {name.ptr + 1, name.len - 1};
  bool reserved = regex_match(c, "(?i:aws|ssm).*", first);
  const char *why = levels > 15   ? "has more than 15 levels"
                    : arn > 1011  ? "is too long: its ARN would exceed 1011 characters"
                    : reserved    ? "starts with aws or ssm, which AWS reserves"
                    : !regex_match(c, "[a-zA-Z0-9_.\\-/]+", name) ? "has characters other than a-zA-Z0-9_.-/"
                                                                 : NULL;
  if (!why)
    return;
  Diag *d = diag_at(c, E0505, setting_span(p->set, "path", p->span),
                    "SSM parameter name \"%.*s\" %s", S(name), why);
  prefix_note(c, d, e);
  diag_help(c, d, "the full name is /PREFIX/PATH: shorten the path or the environment's prefix");
}

static void service_names(Compilation *c, Service *s) {
  Environment *e = s->env;
  // A service's state key is PREFIX/terraform/NAME/terraform.tfstate, as the
  // seed's: a service named vpc would share the environment's state.
  if (str_eq_c(s->name, "vpc")) {
    Diag *d = diag_at(c, E0507, s->span, "a service cannot be named \"vpc\"");
    diag_help(c, d, "its state would be the VPC state of its environment: choose another name");
  }
  if (s->route)
    name_ok(c, &target_group, s->route->target_group, s->span, e);
  // The container is named as the service: one error, not two, for a name
  // that is wrong in both.
  if (name_ok(c, &family_name, s->family, s->span, e))
    name_ok(c, &container_name, s->container, s->span, NULL);
  name_ok(c, &role_name, s->exec_role, s->span, e);
  name_ok(c, &role_name, s->task_role, s->span, e);
  name_ok(c, &log_group, s->log_group, s->span, e);
}

static void environment_names(Compilation *c, Model *m, Environment *e) {
  if (e->alb) {
    if (name_ok(c, &load_balancer, e->alb->name, prefix_span(e), e) &&
        str_starts_with(e->alb->name, STR("internal-"))) {
      Diag *d = diag_at(c, E0501, prefix_span(e), "load balancer name \"%.*s\" starts with internal-",
                        S(e->alb->name));
      diag_help(c, d, "AWS reserves the internal- prefix for internal load balancers' DNS names");
    }
    name_ok(c, &security_group, str_fmt(&c->arena, "%.*s-alb", S(e->prefix)), prefix_span(e), e);
  }
  name_ok(c, &security_group, str_fmt(&c->arena, "%.*s-instances", S(e->prefix)), prefix_span(e), e);
  for (int i = 0; i < e->nclusters; i++) {
    Cluster *k = e->clusters[i];
    name_ok(c, &cluster_name, k->aws_name, k->span, e);
    name_ok(c, &capacity_provider_name, k->capacity_provider, k->span, e);
    name_ok(c, &launch_template_name, k->aws_name, k->span, e);  // named as the cluster
    name_ok(c, &role_name, k->instance_role, k->span, e);
  }
  for (int i = 0; i < m->nparams; i++)
    if (m->params[i]->read)
      parameter_name(c, e, m->params[i]);
  for (int i = 0; i < e->nservices; i++)
    service_names(c, e->services[i]);
}

// Every name of an environment starts with its prefix, and so does every
// state key: two environments with one prefix would share them all.
static void prefixes(Compilation *c, Model *m) {
  for (int i = 0; i < m->nenvs; i++) {
    for (int j = 0; j < i; j++) {
      if (!str_eq(m->envs[i]->prefix, m->envs[j]->prefix))
        continue;
      Diag *d = diag_at(c, E0508, prefix_span(m->envs[i]),
                        "environments \"%.*s\" and \"%.*s\" share the prefix \"%.*s\"",
                        S(m->envs[j]->name), S(m->envs[i]->name), S(m->envs[i]->prefix));
      diag_note(c, d, prefix_span(m->envs[j]), "\"%.*s\" uses it here", S(m->envs[j]->name));
      diag_help(c, d, "give each environment its own prefix: it starts every AWS name and state key");
      break;
    }
  }
}

void check_names(Compilation *c, Model *m) {
  prefixes(c, m);
  for (int i = 0; i < m->nenvs; i++)
    environment_names(c, m, m->envs[i]);
}
