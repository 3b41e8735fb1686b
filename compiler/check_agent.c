// check_agent.c: a cluster's agent settings, the KEY=VALUE lines of
// /etc/ecs/ecs.config, each in the form the ECS agent parses. The keys and
// their forms are the agent's own documentation and code (agent_keys.h,
// generated from aws/amazon-ecs-agent: README.md "Environment Variables" and
// agent/config). The agent ignores a value it cannot parse and runs on its
// default, so a typo here would silently change nothing: ecsc says so
// instead. Reports E0563-E0566, W0562 and W0563.
#include "model.h"

#include <stdlib.h>
#include <string.h>

// Go's time.ParseDuration, which the agent uses: "90s", "1h30m", "1.5h".
#define DURATION "(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|\xC2\xB5s|ms|s|m|h))+"

// The log drivers the agent knows ("ECS_AVAILABLE_LOGGING_DRIVERS").
#define NAME(lit) {lit, sizeof(lit) - 1}
static const Str drivers[] = {NAME("json-file"), NAME("syslog"),  NAME("journald"),
                              NAME("gelf"),      NAME("fluentd"), NAME("awslogs"),
                              NAME("splunk"),    NAME("awsfirelens"), NAME("none")};
#undef NAME

static Span value_span(const Cluster *k, Str key) {
  const KeyValue *entry = model_kv_find(k->agent, k->nagent, key);
  return entry ? span_or(entry->at, k->span) : k->span;
}

static Span key_span(const Cluster *k, Str key) {
  const KeyValue *entry = model_kv_find(k->agent, k->nagent, key);
  return entry ? span_or(entry->key_at, k->span) : k->span;
}

// ecs.config is KEY=VALUE lines: a line break or other control character in
// a value (possible through escapes) would end it or smuggle in a setting.
static bool one_line(Compilation *c, const Cluster *k, KeyValue *kv) {
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

// The alternatives of an AGENT_ENUM's words (crit|error|warn), for a "did
// you mean".
static ptrdiff_t words_of(Arena *a, const char *words, Str **out) {
  ptrdiff_t n = 1;
  for (const char *p = words; *p; p++)
    n += *p == '|';
  *out = new(a, Str, n);
  n = 0;
  for (const char *p = words;; p++)
    if (*p == '|' || !*p) {
      (*out)[n++] = (Str){words, p - words};
      if (!*p)
        return n;
      words = p + 1;
    }
}

static bool among(Str name, const Str *names, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++)
    if (str_eq(name, names[i]))
      return true;
  return false;
}

// ECS_AVAILABLE_LOGGING_DRIVERS: a JSON list of known drivers, awslogs among
// them, as every task ecsc defines logs through it.
static void logging_drivers(Compilation *c, const Cluster *k, KeyValue *kv) {
  Str *names;
  int n;
  Span at = value_span(k, kv->name);
  if (!agent_json_list(&c->arena, kv->value, &names, &n)) {
    Diag *d = diag_at(c, E0565, at, "agent setting %.*s is not a JSON list of strings",
                      S(kv->name));
    diag_help(c, d, "write it as a JSON list of drivers, as in [\"json-file\",\"awslogs\"]");
    return;
  }
  bool awslogs = false;
  for (int i = 0; i < n; i++) {
    awslogs |= str_eq_c(names[i], "awslogs");
    if (!among(names[i], drivers, countof(drivers))) {
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

// A whole number the agent reads with strconv (ParseUint or Atoi), at most max.
static bool whole(Str v, int64_t max) {
  if (!v.len || v.len > 10)
    return false;
  int64_t n = 0;
  for (ptrdiff_t i = 0; i < v.len; i++) {
    if (v.ptr[i] < '0' || v.ptr[i] > '9')
      return false;
    n = n * 10 + (v.ptr[i] - '0');
  }
  return n <= max;
}

// Whether the value has the key's form, and the form in words for a
// diagnostic that says it has not.
static bool has_form(Compilation *c, const AgentKey *f, Str v, const char **form) {
  switch (f->form) {
  case AGENT_BOOL:
    *form = "true or false";
    return agent_bool(v) >= 0;
  case AGENT_DURATION:
    *form = "a Go duration such as 30s or 2m";
    return regex_match(c, DURATION, v);
  case AGENT_UINT:
    *form = str_fmt(&c->arena, "a whole number from 0 to %lld", (long long)f->max).ptr;
    return whole(v, f->max);
  case AGENT_ENUM: {
    Str *words;
    ptrdiff_t n = words_of(&c->arena, f->words, &words);
    Buf b = {.arena = &c->arena};
    buf_puts(&b, "one of ");
    for (ptrdiff_t i = 0; i < n; i++)
      buf_printf(&b, "%s%.*s", i ? ", " : "", S(words[i]));
    *form = buf_str(&b).ptr;
    return regex_match(c, f->words, v);  // lowercase words, digits, _ and -: no metacharacter
  }
  case AGENT_PORTS:
    *form = "a JSON list of port numbers, as in [22, 2375]";
    return agent_json_ints(v, 0, 65535);
  case AGENT_JSON_LIST: {
    Str *items;
    int n;
    *form = "a JSON list of strings, as in [\"10.0.15.0/24\"]";
    return agent_json_list(&c->arena, v, &items, &n);
  }
  case AGENT_JSON_MAP: {
    Str *keys, *values;
    int n;
    *form = "a JSON object of strings, as in {\"stack\": \"prod\"}";
    return agent_json_map(&c->arena, v, &keys, &values, &n);
  }
  case AGENT_RATE_PAIR:
    *form = "two whole numbers, the rate and the burst, as in 40,60";
    return regex_match(c, "[0-9]{1,9},[0-9]{1,9}", v);
  case AGENT_CREDENTIALS:
    *form = "a JSON object of registries and their credentials";
    return agent_json_object(v);
  case AGENT_LOG_DRIVERS:
  case AGENT_STRING:
  case AGENT_OWNED:
  case AGENT_NOT_LINUX:
    break;
  }
  *form = "";
  return true;
}

// The keys that are not for users to set: ecsc writes them, or they do
// nothing on ecsc's Linux instances.
static bool settable(Compilation *c, const Cluster *k, KeyValue *kv, const AgentKey *f) {
  if (f->form == AGENT_OWNED) {
    Diag *d = diag_at(c, E0566, key_span(k, kv->name), "ecsc writes agent setting %.*s itself",
                      S(kv->name));
    diag_help(c, d, "remove it: ecsc sets the cluster's name, task IAM roles and the dynamic "
                    "host ports its security group opens");
    return false;
  }
  if (f->form == AGENT_NOT_LINUX) {
    Diag *d = diag_at(c, W0562, key_span(k, kv->name),
                      "agent setting %.*s has no effect on ecsc's Linux instances", S(kv->name));
    diag_help(c, d, "the agent documents it for Windows, or as set by ecs-init itself; remove it");
    return false;
  }
  if (f->form == AGENT_CREDENTIALS) {
    Diag *d = diag_at(c, W0563, key_span(k, kv->name),
                      "agent setting %.*s puts registry credentials in the instances' user data",
                      S(kv->name));
    diag_help(c, d, "user data is readable by anyone who may describe the instances, and sits in "
                    "the Terraform state; pull from ECR, with the task execution role, instead");
  }
  return true;
}

void check_agent(Compilation *c, const Cluster *k) {
  for (int i = 0; i < k->nagent; i++) {
    KeyValue *kv = &k->agent[i];
    const AgentKey *f = agent_key(kv->name);
    if (!f || !settable(c, k, kv, f) || !one_line(c, k, kv))
      continue;  // schema_check.c has reported an unknown key
    const char *form;
    if (f->form == AGENT_LOG_DRIVERS) {
      logging_drivers(c, k, kv);
    } else if (!has_form(c, f, kv->value, &form)) {
      Diag *d = diag_at(c, E0565, value_span(k, kv->name), "agent setting %.*s = \"%.*s\" is not %s",
                        S(kv->name), S(kv->value), form);
      if (f->form == AGENT_ENUM) {
        Str *words;
        ptrdiff_t n = words_of(&c->arena, f->words, &words);
        diag_did_you_mean(c, d, kv->value, words, n);
      }
      diag_help(c, d, "the agent ignores a value it cannot parse and keeps its default");
    }
  }
}
