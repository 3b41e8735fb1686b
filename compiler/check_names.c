// check_names.c: every AWS name ecsc will generate, computed by derive.c and
// checked here against AWS's rules, so that a name too long for a target
// group fails in review, not halfway through terraform apply. An error points
// at the DSL line whose name is too long and shows the computed name.
// (IAM's name_prefix, at most 38 characters, has nothing to check: ecsc
// names every role in full.) Reports E0501-E0508, E0554 and E1200.
#include "model.h"

#include <stdlib.h>
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

// Auto Scaling API Reference, CreateAutoScalingGroup: AutoScalingGroupName,
// 1 to 255 characters of [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*.
static const NameRule asg_name = {E0502, "autoscaling group name", 255, "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]+",
                                  "printable characters"};
// Application Auto Scaling API Reference, PutScheduledAction:
// ScheduledActionName, 1 to 256 characters of the pattern
// (?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).+
// (boto/botocore, data/application-autoscaling/2016-02-06/service-2.json,
// shape ScheduledActionName: the same): no space at either end, no control
// character, none of : / |. The same lookaheads in PCRE2's words.
static const NameRule scheduled_action_name = {
    E1200, "scheduled action name", 256,
    "(?! )(?!.*[\\x{0}-\\x{1f}\\x{7f}-\\x{9f}:/|])(?!.* $).+",
    "characters other than : / | and control characters, with no space at either end"};

// Where the environment's prefix comes from: its own prefix setting, or the
// project's and the environment's names. Not said twice when the error is there.
static void prefix_note(Compilation *c, Diag *d, const Environment *e) {
  Span set = e->at.prefix;
  if (set.src && d->span.start == set.start && d->span.src == set.src)
    return;
  if (set.src)
    diag_note(c, d, set, "the prefix \"%.*s\" is set here", S(e->prefix));
  else
    diag_note(c, d, e->span, "the prefix \"%.*s\" comes from the project's and the environment's "
              "names", S(e->prefix));
}

static bool name_ok(Compilation *c, const NameRule *rule, Str name, Span at, const Environment *e) {
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

static Span prefix_span(const Environment *e) {
  return span_or(e->at.prefix, e->span);
}

// Systems Manager User Guide, "Requirements and constraints for parameter
// names": a-zA-Z0-9_.-/, at most 15 levels, no aws or ssm prefix in any case,
// and at most 1011 characters counting the ARN.
static void parameter_name(Compilation *c, const Environment *e, const Parameter *p) {
  Str name = e->ssm_names[p->index];
  int levels = 0;
  for (ptrdiff_t i = 0; i < name.len; i++)
    levels += name.ptr[i] == '/';
  int arn = (int)(strlen("arn:") + (size_t)e->partition.len + strlen(":ssm:") +
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
  Diag *d = diag_at(c, E0505, span_or(p->at.path, p->span),
                    "SSM parameter name \"%.*s\" %s", S(name), why);
  prefix_note(c, d, e);
  diag_help(c, d, "the full name is /PREFIX/PATH: shorten the path or the environment's prefix");
}

// A Terraform name starts with a letter or an underscore (Terraform
// language documentation, "Resources": "a name must start with a letter
// or underscore and may contain only letters, digits, underscores, and
// dashes"). derive_tf_ident turns - and . into _; any other character, or
// a digit first, leaves the label without one. E0554, for every label that
// names a resource; `what` says whose, as the user wrote it.
static Diag *no_terraform_name(Compilation *c, Str tf_name, Span at, Str what) {
  if (regex_match(c, "[A-Za-z_][A-Za-z0-9_-]*", tf_name))
    return NULL;
  return diag_at(c, E0554, at, "%.*s has no Terraform name: it must start with a letter or _ and "
                 "hold only letters, digits, _ and -", S(what));
}

// Two labels that derive_tf_ident makes one name ("night-1", "night.1"):
// Terraform would take one resource for both. `kinds` is their plural,
// `whose` what follows it in the message (or nothing).
static void shared_terraform_name(Compilation *c, const char *kinds, Str first, Span first_at,
                                  Str later, Span later_at, Str tf_name, Str whose) {
  Diag *d = diag_at(c, E0554, later_at, "%s \"%.*s\" and \"%.*s\"%.*s share the Terraform name "
                    "%.*s", kinds, S(first), S(later), S(whose), S(tf_name));
  diag_note(c, d, first_at, "\"%.*s\" is declared here", S(first));
  diag_help(c, d, "rename one of them: Terraform names turn - and . into _");
}

// A schedule's label names its aws_appautoscaling_scheduled_action in the
// service's state and ends its ScheduledActionName (FAMILY-LABEL,
// derive.c). Times of day ("10pm") are the likely names, and the likely
// mistake: one error each, the Terraform name's first (its characters are
// then all ones AWS takes, and only the length is left to check).
static void schedule_names(Compilation *c, const Service *s) {
  const Scaling *sc = s->scaling;
  Str whose = str_fmt(&c->arena, " of service \"%.*s\"", S(s->name));
  for (int i = 0; i < sc->nschedules; i++) {
    const Schedule *h = &sc->schedules[i];
    Str what = str_fmt(&c->arena, "schedule \"%.*s\"%.*s", S(h->name), S(whose));
    Diag *d = no_terraform_name(c, h->tf_name, h->span, what);
    if (d) {
      bool digit = h->name.len && h->name.ptr[0] >= '0' && h->name.ptr[0] <= '9';
      if (digit)
        diag_help(c, d, "start it with a letter, such as \"at-%.*s\"", S(h->name));
      else
        diag_help(c, d, "name it with letters, digits, _, - and . only, such as \"nightly\"");
      continue;
    }
    name_ok(c, &scheduled_action_name, h->aws_name, h->span, s->env);
    for (int j = 0; j < i; j++) {
      const Schedule *g = &sc->schedules[j];
      if (str_eq(g->tf_name, h->tf_name))
        shared_terraform_name(c, "schedules", g->name, g->span, h->name, h->span, h->tf_name,
                              whose);
    }
  }
}

static void service_names(Compilation *c, const Service *s) {
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
  for (int i = 1; i < s->ncontainers; i++)  // the others: as their blocks name them
    name_ok(c, &container_name, s->containers[i]->name, s->containers[i]->span, NULL);
  name_ok(c, &role_name, s->exec_role, s->span, e);
  name_ok(c, &role_name, s->task_role, s->span, e);
  if (s->infra_role.len)
    name_ok(c, &role_name, s->infra_role, s->span, e);
  if (s->lb_role.len)  // a traffic-shifting deployment's (derive.c)
    name_ok(c, &role_name, s->lb_role, s->span, e);
  name_ok(c, &log_group, s->log_group, s->span, e);
  if (s->security_group.len)
    name_ok(c, &security_group, s->security_group, s->span, e);
  if (s->scaling)
    schedule_names(c, s);
}

static void environment_names(Compilation *c, const Model *m, const Environment *e) {
  if (e->alb) {
    if (name_ok(c, &load_balancer, e->alb->name, prefix_span(e), e) &&
        str_starts_with(e->alb->name, STR("internal-"))) {
      Diag *d = diag_at(c, E0501, prefix_span(e), "load balancer name \"%.*s\" starts with internal-",
                        S(e->alb->name));
      diag_help(c, d, "AWS reserves the internal- prefix for internal load balancers' DNS names");
    }
    name_ok(c, &security_group, e->sg_alb, prefix_span(e), e);
  }
  if (model_env_instances(e))  // made only then (emit_tf_vpc.c, security_groups)
    name_ok(c, &security_group, e->sg_instances, prefix_span(e), e);
  if (e->bastion)
    name_ok(c, &security_group, e->sg_bastion, prefix_span(e), e);
  for (int i = 0; i < e->nclusters; i++) {
    Cluster *k = e->clusters[i];
    name_ok(c, &cluster_name, k->aws_name, k->span, e);
    int nsets;  // a Fargate-only cluster has none, and no instance role
    const Cluster **sets = model_instance_sets(&c->arena, k, &nsets);
    for (int j = 0; j < nsets; j++) {
      name_ok(c, &capacity_provider_name, sets[j]->capacity_provider, sets[j]->span, e);
      name_ok(c, &launch_template_name, sets[j]->template_name, sets[j]->span, e);
      if (j == 0)
        name_ok(c, &role_name, k->instance_role, k->span, e);
      name_ok(c, &asg_name, sets[j]->asg_name, sets[j]->span, e);
    }
  }
  for (int i = 0; i < m->nparams; i++)
    if (m->params[i]->read && !m->params[i]->external.len)  // external: as its owner named it
      parameter_name(c, e, m->params[i]);
  for (int i = 0; i < e->nservices; i++)
    service_names(c, e->services[i]);
}

// Every name of an environment starts with its prefix, and so does every
// state key: two environments with one prefix would share them all.
static void prefixes(Compilation *c, const Model *m) {
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

//
// Collisions: two things AWS (or Terraform) knows by one name
//

// Where a name must be unique (AWS's API references, for each Create call:
// a name already in use is an error): in one VPC, in one Terraform state,
// or in an account (IAM) or an account and region (the rest).
typedef enum { IN_VPC, IN_STATE, IN_ACCOUNT, IN_REGION } Scope;

typedef struct {
  const char *kind;   // "security group"
  Scope scope;
  Str name;
  const Environment *env;
  Span at;
  Str owner;          // "service \"alb\" (its tasks)"
} Named;

typedef struct {
  Named *items;
  ptrdiff_t len, cap;
  Arena *a;
} Names;

static void named(Names *ns, const char *kind, Scope scope, Str name, const Environment *e, Span at,
                  Str owner) {
  if (!name.len)
    return;
  *list_push(ns->a, ns) = (Named){kind, scope, name, e, at, owner};
}

static int by_kind_and_name(const void *x, const void *y) {
  const Named *a = x, *b = y;
  int k = strcmp(a->kind, b->kind);
  return k ? k : str_cmp(a->name, b->name);
}

// Whether two environments may hold one name's two owners at once: one
// VPC or state is one environment's; an account is either's when one of
// them does not pin it.
static bool same_place(const Named *a, const Named *b) {
  const Environment *x = a->env, *y = b->env;
  switch (a->scope) {
  case IN_VPC:
  case IN_STATE:
    return x == y;
  case IN_REGION:
    if (!str_eq(x->region, y->region))
      return false;
    break;
  case IN_ACCOUNT:
    break;
  }
  return !x->account.len || !y->account.len || str_eq(x->account, y->account);
}

static void collect(Compilation *c, Names *ns, const Environment *e) {
  Arena *a = &c->arena;
  if (model_env_instances(e))
    named(ns, "security group", IN_VPC, e->sg_instances, e, e->span,
          STR("the container instances"));
  if (e->alb) {
    named(ns, "security group", IN_VPC, e->sg_alb, e, e->alb->span, STR("the load balancer"));
    named(ns, "load balancer", IN_REGION, e->alb->name, e, e->alb->span,
          str_fmt(a, "the load balancer of environment \"%.*s\"", S(e->name)));
  }
  if (e->bastion)
    named(ns, "security group", IN_VPC, e->sg_bastion, e, e->bastion->span, STR("the bastion"));
  for (int i = 0; i < e->nclusters; i++) {
    Cluster *k = e->clusters[i];
    Str who = str_fmt(a, "cluster \"%.*s\" of environment \"%.*s\"", S(k->name), S(e->name));
    named(ns, "resource", IN_STATE, k->tf_name, e, k->span, who);
    named(ns, "ECS cluster", IN_REGION, k->aws_name, e, k->span, who);
    if (model_has_instances(k) || k->ngroups)
      named(ns, "IAM role", IN_ACCOUNT, k->instance_role, e, k->span, who);
    int nsets;
    const Cluster **sets = model_instance_sets(&c->arena, k, &nsets);
    for (int j = 0; j < nsets; j++) {
      const Cluster *g = sets[j];
      Str whose = g->outer ? str_fmt(a, "group \"%.*s\" of %.*s", S(g->group), S(who)) : who;
      if (g->outer)
        named(ns, "resource", IN_STATE, g->tf_name, e, g->span, whose);
      named(ns, "launch template", IN_REGION, g->template_name, e, g->span, whose);
      named(ns, "autoscaling group", IN_REGION, g->asg_name, e, g->span, whose);
      named(ns, "capacity provider", IN_REGION, g->capacity_provider, e, g->span, whose);
    }
  }
  for (int i = 0; i < e->nservices; i++) {
    Service *s = e->services[i];
    Str who = str_fmt(a, "service \"%.*s\" of environment \"%.*s\"", S(s->name), S(e->name));
    named(ns, "security group", IN_VPC, s->security_group, e, s->span, who);
    named(ns, "task family", IN_REGION, s->family, e, s->span, who);
    named(ns, "log group", IN_REGION, s->log_group, e, s->span, who);
    named(ns, "IAM role", IN_ACCOUNT, s->exec_role, e, s->span, who);
    named(ns, "IAM role", IN_ACCOUNT, s->task_role, e, s->span, who);
    if (s->infra_role.len)
      named(ns, "IAM role", IN_ACCOUNT, s->infra_role, e, s->span, who);
    if (s->lb_role.len)
      named(ns, "IAM role", IN_ACCOUNT, s->lb_role, e, s->span, who);
    if (s->route)
      named(ns, "target group", IN_REGION, s->route->target_group, e, s->span, who);
    if (s->route && s->route->alternate_group.len)
      named(ns, "target group", IN_REGION, s->route->alternate_group, e, s->span, who);
  }
}

static void report_collision(Compilation *c, const Named *first, const Named *later) {
  bool terraform = first->scope == IN_STATE;
  Diag *d = diag_at(c, E0554, later->at, "%s name \"%.*s\" of %.*s is also that of %.*s",
                    terraform ? "Terraform" : later->kind, S(later->name), S(later->owner),
                    S(first->owner));
  diag_note(c, d, first->at, "%.*s is declared here", S(first->owner));
  if (terraform)
    diag_help(c, d, "rename one of them: Terraform names turn - and . into _");
  else
    diag_help(c, d, "rename one of them: AWS refuses a name used twice in one %s",
              first->scope == IN_VPC ? "VPC" : first->scope == IN_ACCOUNT ? "account" : "region");
}

static bool span_before(Span a, Span b) {
  if (a.src != b.src)
    return a.src && b.src && a.src->index < b.src->index;
  return a.start < b.start;
}

// Sorted by kind and name, equal names sit side by side: linear after the
// sort, however many services.
static void collisions(Compilation *c, const Model *m) {
  Names ns = {.a = &c->arena};
  for (int i = 0; i < m->nenvs; i++)
    collect(c, &ns, m->envs[i]);
  if (!ns.len)
    return;
  qsort(ns.items, (size_t)ns.len, sizeof *ns.items, by_kind_and_name);
  for (ptrdiff_t i = 0; i < ns.len; i++) {
    for (ptrdiff_t j = i + 1; j < ns.len && !by_kind_and_name(&ns.items[i], &ns.items[j]); j++) {
      Named *x = &ns.items[i], *y = &ns.items[j];
      if (!same_place(x, y))
        continue;
      if (span_before(y->at, x->at))
        report_collision(c, y, x);
      else
        report_collision(c, x, y);
    }
  }
}

// The names of the VPC state's resources a label gives (E0554): a
// plain parameter's and a cluster's.
static void terraform_names(Compilation *c, const Model *m) {
  Arena *a = &c->arena;
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    no_terraform_name(c, p->tf_name, p->span, str_fmt(a, "parameter \"%.*s\"", S(p->name)));
    for (int j = 0; j < i; j++) {
      Parameter *q = m->params[j];
      if (!str_eq(p->tf_name, q->tf_name) || !p->value.len || !q->value.len)
        continue;  // only plain ones with values are resources
      shared_terraform_name(c, "parameters", q->name, q->span, p->name, p->span, p->tf_name,
                            STR(""));
    }
  }
  for (int i = 0; i < m->nenvs; i++)
    for (int k = 0; k < m->envs[i]->nclusters; k++) {
      Cluster *cl = m->envs[i]->clusters[k];
      no_terraform_name(c, cl->tf_name, cl->span, str_fmt(a, "cluster \"%.*s\"", S(cl->name)));
    }
}

void check_names(Compilation *c, const Model *m) {
  prefixes(c, m);
  collisions(c, m);
  terraform_names(c, m);
  for (int i = 0; i < m->nenvs; i++)
    environment_names(c, m, m->envs[i]);
}
