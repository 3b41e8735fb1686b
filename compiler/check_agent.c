// check_agent.c: a cluster's agent settings, the KEY=VALUE lines of
// /etc/ecs/ecs.config, each in the form the ECS agent parses (ECS Developer
// Guide, "Amazon ECS container agent configuration"). The agent ignores a
// value it cannot parse and runs on its default, so a typo here would
// silently change nothing: ecsc says so instead. Reports E0563-E0565.
#include "model.h"

// Go's time.ParseDuration, which the agent uses: "90s", "1h30m", "1.5h".
#define DURATION "(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|\xC2\xB5s|ms|s|m|h))+"
// Go's strconv.ParseBool, which the agent uses.
#define BOOL "1|t|T|TRUE|true|True|0|f|F|FALSE|false|False"

typedef struct {
  const char *key;
  const char *pattern;  // PCRE2, anchored; NULL: a JSON list (ECS_AVAILABLE_LOGGING_DRIVERS)
  const char *form;     // the pattern in words
} AgentForm;

// Every key schema.c's agent_keys allows.
static const AgentForm forms[] = {
    {"ECS_LOGLEVEL", "crit|error|warn|info|debug", "one of crit, error, warn, info, debug"},
    {"ECS_LOGLEVEL_ON_INSTANCE", "none|crit|error|warn|info|debug",
     "one of none, crit, error, warn, info, debug"},
    {"ECS_LOG_MAX_FILE_SIZE_MB", "[1-9][0-9]{0,5}", "a whole number of MiB"},
    {"ECS_LOG_MAX_ROLL_COUNT", "[1-9][0-9]{0,5}", "a whole number of files"},
    {"ECS_AVAILABLE_LOGGING_DRIVERS", NULL,
     "a JSON list of drivers, as in [\"json-file\",\"awslogs\"]"},
    {"ECS_CONTAINER_STOP_TIMEOUT", DURATION, "a Go duration such as 30s or 2m"},
    {"ECS_CONTAINER_START_TIMEOUT", DURATION, "a Go duration such as 3m"},
    {"ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", DURATION, "a Go duration such as 3h"},
    {"ECS_IMAGE_CLEANUP_INTERVAL", DURATION, "a Go duration such as 30m"},
    {"ECS_IMAGE_MINIMUM_CLEANUP_AGE", DURATION, "a Go duration such as 1h"},
    {"ECS_IMAGE_PULL_BEHAVIOR", "default|always|once|prefer-cached",
     "one of default, always, once, prefer-cached"},
    {"ECS_RESERVED_MEMORY", "[0-9]{1,7}", "a whole number of MiB"},
    {"ECS_ENABLE_SPOT_INSTANCE_DRAINING", BOOL, "true or false"},
    {"ECS_ENABLE_CONTAINER_METADATA", BOOL, "true or false"},
    {"ECS_AWSVPC_BLOCK_IMDS", BOOL, "true or false"},
    {"ECS_ENABLE_TASK_ENI", BOOL, "true or false"},
    {"ECS_WARM_POOLS_CHECK", BOOL, "true or false"},
};

// The log drivers the agent knows ("ECS_AVAILABLE_LOGGING_DRIVERS").
#define NAME(lit) {lit, sizeof(lit) - 1}
static const Str drivers[] = {NAME("json-file"), NAME("syslog"),  NAME("journald"),
                              NAME("gelf"),      NAME("fluentd"), NAME("awslogs"),
                              NAME("splunk"),    NAME("awsfirelens"), NAME("none")};
#undef NAME

static Span value_span(Cluster *k, Str key) {
  Node *entry = setting_entry(k->set, "agent", key);
  return entry ? entry->value->span : k->span;
}

// ecs.config is KEY=VALUE lines: a line break or other control character in
// a value (possible through escapes) would end it or smuggle in a setting.
static bool one_line(Compilation *c, Cluster *k, KeyValue *kv) {
  for (ptrdiff_t j = 0; j < kv->value.len; j++) {
    if ((unsigned char)kv->value.ptr[j] >= 0x20 && kv->value.ptr[j] != 0x7F)
      continue;
    Diag *d = diag_at(c, E0563, value_span(k, kv->name),
                      "agent setting %.*s holds a control character", S(kv->name));
    diag_help(c, d, "agent settings are one line each; remove the \\n or \\t");
    return false;
  }
  return true;
}

// The alternatives of a pattern of lowercase words (crit|error|warn), for a
// "did you mean"; none for any other pattern.
static ptrdiff_t words_of(Arena *a, const char *pattern, Str **words) {
  ptrdiff_t n = 1;
  for (const char *p = pattern; *p; p++) {
    if (*p == '|')
      n++;
    else if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
      return 0;
  }
  *words = new(a, Str, n);
  n = 0;
  for (const char *p = pattern;; p++)
    if (*p == '|' || !*p) {
      (*words)[n++] = (Str){pattern, p - pattern};
      if (!*p)
        return n;
      pattern = p + 1;
    }
}

static bool known(Str name, const Str *names, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++)
    if (str_eq(name, names[i]))
      return true;
  return false;
}

// ECS_AVAILABLE_LOGGING_DRIVERS: a JSON list of known drivers, awslogs among
// them, as every task ecsc defines logs through it.
static void logging_drivers(Compilation *c, Cluster *k, KeyValue *kv, const AgentForm *f) {
  Str *names;
  int n;
  Span at = value_span(k, kv->name);
  if (!json_string_list(&c->arena, kv->value, &names, &n)) {
    Diag *d = diag_at(c, E0565, at, "agent setting %.*s is not a JSON list of strings",
                      S(kv->name));
    diag_help(c, d, "write it as %s", f->form);
    return;
  }
  bool awslogs = false;
  for (int i = 0; i < n; i++) {
    awslogs |= str_eq_c(names[i], "awslogs");
    if (!known(names[i], drivers, countof(drivers))) {
      Diag *d = diag_at(c, E0565, at, "agent setting %.*s names the unknown driver \"%.*s\"",
                        S(kv->name), S(names[i]));
      diag_did_you_mean(c, d, names[i], drivers, countof(drivers));
      diag_help(c, d, "the agent knows json-file, syslog, journald, gelf, fluentd, awslogs, "
                      "splunk, awsfirelens and none");
    }
  }
  if (!awslogs) {
    Diag *d = diag_at(c, E0564, at, "%.*s of cluster \"%.*s\" lacks \"awslogs\"", S(kv->name),
                      S(k->name));
    diag_help(c, d, "every ecsc task logs through awslogs: add it, as in [\"json-file\",\"awslogs\"]");
  }
}

static const AgentForm *form_of(Str key) {
  for (int i = 0; i < countof(forms); i++)
    if (str_eq_c(key, forms[i].key))
      return &forms[i];
  return NULL;  // schema_check.c has reported the key
}

void check_agent(Compilation *c, Cluster *k) {
  for (int i = 0; i < k->nagent; i++) {
    KeyValue *kv = &k->agent[i];
    const AgentForm *f = form_of(kv->name);
    if (!one_line(c, k, kv) || !f)
      continue;
    if (!f->pattern) {
      logging_drivers(c, k, kv, f);
    } else if (!regex_match(c, f->pattern, kv->value)) {
      Diag *d = diag_at(c, E0565, value_span(k, kv->name), "agent setting %.*s = \"%.*s\" is not %s",
                        S(kv->name), S(kv->value), f->form);
      Str *words;
      ptrdiff_t n = words_of(&c->arena, f->pattern, &words);
      if (n)
        diag_did_you_mean(c, d, kv->value, words, n);
      diag_help(c, d, "the agent ignores a value it cannot parse and keeps its default");
    }
  }
}
