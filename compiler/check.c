// check.c: proves, offline, what can be proved of the model before Terraform
// runs. Runs after resolve.c; the rule files beside it take networks
// (check_network.c), AWS names (check_names.c), routes (check_routes.c),
// what the instances hold (check_capacity.c), agent settings
// (check_agent.c) and lint warnings (lint.c); this file takes containers,
// deployments and configuration. Each rule cites its AWS source.
#include "model.h"

#include <string.h>

#define MIB (1LL << 20)

static Span at(Service *s, const char *name) {
  return setting_span(s->set, name, s->span);
}

static Span at_block(Service *s, const char *block, const char *name) {
  Settings *b = setting_block(s->set, block);
  return setting_span(b, name, setting_block_span(s->set, block, s->span));
}

static void memory(Compilation *c, Service *s) {
  // ECS API Reference, ContainerDefinition: memoryReservation must be less
  // than memory when both are given.
  if (s->memory_reservation && s->memory && s->memory_reservation >= s->memory) {
    Diag *d = diag_at(c, E0522, at(s, "memory_reservation"),
                      "memory_reservation %lld MiB is not below memory %lld MiB",
                      (long long)(s->memory_reservation / MIB), (long long)(s->memory / MIB));
    diag_note(c, d, at(s, "memory"), "the hard limit is set here");
  }
}

// ECS API Reference, HealthCheck: the timeout must be shorter than the
// interval; the command's forms are CMD, CMD-SHELL or NONE and its arguments.
static bool blank(Str s) {
  for (ptrdiff_t i = 0; i < s.len; i++)
    if (s.ptr[i] != ' ' && s.ptr[i] != '\t')
      return false;
  return true;
}

static void health(Compilation *c, Service *s) {
  HealthCheck *h = s->health;
  if (!h)
    return;
  if (h->timeout_ms >= h->interval_ms) {
    Diag *d = diag_at(c, E0524, at_block(s, "health", "timeout"),
                      "health check timeout %llds is not shorter than its interval %llds",
                      (long long)(h->timeout_ms / 1000), (long long)(h->interval_ms / 1000));
    diag_help(c, d, "a check still running when the next is due counts as failed: shorten the "
                    "timeout or lengthen the interval");
  }
  // "CMD" or "CMD-SHELL" written by the user is the form; the program follows.
  bool form = !h->shell && h->ncommand > 0 &&
              (str_eq_c(h->command[0], "CMD") || str_eq_c(h->command[0], "CMD-SHELL"));
  Str program = h->ncommand > (form ? 1 : 0) ? h->command[form ? 1 : 0] : (Str){0};
  bool empty = blank(program);
  bool bare = form && h->ncommand == 1;
  if (empty || bare) {
    Diag *d = diag_at(c, E0528, at_block(s, "health", "command"), "health check command %s",
                      bare ? "has no program after its form" : "is empty");
    diag_help(c, d, "write a shell command (\"curl -f http://localhost/ || exit 1\") or the "
                    "program and its arguments ([\"/app\", \"--check\"])");
  }
}

// ELB User Guide, "Health checks for your target groups": the timeout must be
// smaller than the interval.
static void target_health(Compilation *c, Service *s) {
  Route *r = s->route;
  if (!r || r->health.timeout_ms < r->health.interval_ms)
    return;
  Settings *hc = setting_block(setting_block(s->set, "route"), "health_check");
  Span at = setting_span(hc, "timeout", setting_block_span(setting_block(s->set, "route"),
                                                          "health_check", s->span));
  Diag *d = diag_at(c, E0525, at, "target group health check timeout %llds is not shorter than its "
                    "interval %llds", (long long)(r->health.timeout_ms / 1000),
                    (long long)(r->health.interval_ms / 1000));
  diag_help(c, d, "shorten the timeout or lengthen the interval");
}

static int64_t llabs_diff(int64_t a, int64_t b) {
  return a > b ? a - b : b - a;
}

// CloudWatch Logs API Reference, PutRetentionPolicy: retentionInDays.
static void log_retention(Compilation *c, Service *s) {
  static const int days[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                             365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
  if (s->log_retention_ms % 86400000 != 0)
    return;  // not whole days: schema_check.c said so
  int64_t d = s->log_retention_ms / 86400000;
  for (int i = 0; i < countof(days); i++)
    if (d == days[i])
      return;
  int nearest = days[0];
  for (int i = 0; i < countof(days); i++)
    if (llabs_diff(days[i], d) < llabs_diff(nearest, d))
      nearest = days[i];
  Diag *g = diag_at(c, E0527, at_block(s, "logs", "retention"),
                    "log retention of %lld day%s is not one CloudWatch offers", (long long)d,
                    d == 1 ? "" : "s");
  diag_help(c, g, "the nearest allowed is %dd; see ecsc explain E0527 for them all", nearest);
}

// ECS API Reference, DeploymentConfiguration.
static void deployment(Compilation *c, Service *s) {
  if (s->max_percent <= s->min_healthy) {
    Diag *d = diag_at(c, E0531, at_block(s, "deployment", "max_percent"),
                      "max_percent %d%% is not above min_healthy %d%%: a deployment could neither "
                      "stop nor start a task", s->max_percent, s->min_healthy);
    diag_help(c, d, "raise max_percent (200%%) or lower min_healthy (50%%)");
  }
}

static void config(Compilation *c, Service *s) {
  for (int i = 0; i < s->nsecrets; i++) {
    Node *plain = setting_entry(s->set, "env", s->secrets[i].name);
    if (!plain)
      continue;
    Diag *d = diag_at(c, E0560, s->secrets[i].at->name_span,
                      "\"%.*s\" is set both in env and in secrets", S(s->secrets[i].name));
    diag_note(c, d, plain->name_span, "env sets it here");
    diag_help(c, d, "keep one of them: a secret for what must not be read, env for the rest");
  }
}

static void parameters(Compilation *c, Model *m) {
  for (int i = 0; i < m->nparams; i++) {
    Parameter *p = m->params[i];
    if (!p->read && m->nenvs) {
      Diag *d = diag_at(c, W0561, p->span, "parameter \"%.*s\" is read by no service", S(p->name));
      diag_help(c, d, "name it in a service's secrets, or remove it");
    }
    if (p->secure && p->value.len) {
      Diag *d = diag_at(c, E0561, setting_span(p->set, "value", p->span),
                        "secure parameter \"%.*s\" has a value in source", S(p->name));
      diag_help(c, d, "remove the value and set it with aws ssm put-parameter --type SecureString");
    }
    if (!p->secure && p->kms_key.len) {
      Diag *d = diag_at(c, E0561, setting_span(p->set, "kms_key", p->span),
                        "plain parameter \"%.*s\" has a kms_key", S(p->name));
      diag_help(c, d, "add secure = true, or remove the kms_key");
    }
  }
}

void check(Compilation *c, Model *m) {
  parameters(c, m);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    check_network(c, e);
    for (int j = 0; j < e->nservices; j++) {
      Service *s = e->services[j];
      memory(c, s);
      health(c, s);
      target_health(c, s);
      log_retention(c, s);
      deployment(c, s);
      config(c, s);
    }
    check_routes(c, e);
    for (int j = 0; j < e->nclusters; j++) {
      check_capacity(c, e->clusters[j]);
      check_agent(c, e->clusters[j]);
    }
  }
  check_names(c, m);
  check_lint(c, m);
}
