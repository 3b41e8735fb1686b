// check_logging.c: where a task's containers send their output: each log
// block's driver and options, and the task's FireLens router. Every option
// is one the driver reads (Docker refuses the others, and the container
// never starts); awsfirelens has exactly one router to send to, which its
// containers do not wait on to exit; the driver is one the capacity offers.
// Reports E0930-E0940, E1040-E1041, E1100, W0930, W1100 and W1210.
#include "model.h"

#include <string.h>

#define NAME(lit) {lit, sizeof(lit) - 1}

// Options every driver takes: Docker's own, read before the driver's
// (moby/moby, daemon/logger/factory.go, builtInLogOpts: mode and
// max-buffer-size), and the extra attributes and tag most drivers read
// (daemon/logger/loginfo.go: env, env-regex, labels, labels-regex, tag).
static const Str any_driver[] = {NAME("mode"), NAME("max-buffer-size")};
static const Str attributes[] = {NAME("env"), NAME("env-regex"), NAME("labels"),
                                 NAME("labels-regex"), NAME("tag")};

// Each driver's own options, as its ValidateLogOpt accepts them (moby/moby,
// daemon/logger/DRIVER/*.go), and for awslogs the stream prefix the ECS
// agent reads itself (ECS API Reference, "LogConfiguration": options,
// awslogs-stream-prefix; the agent turns it into awslogs-stream).
static const Str awslogs_options[] = {
    NAME("awslogs-create-stream"), NAME("awslogs-datetime-format"), NAME("awslogs-endpoint"),
    NAME("awslogs-force-flush-interval-seconds"), NAME("awslogs-format"),
    NAME("awslogs-max-buffered-events"), NAME("awslogs-multiline-pattern"), NAME("tag"),
};
// What ecsc writes itself: the service's group, its region and its prefix,
// whose streams the execution role may write (derive_iam.c, write_logs);
// the group Terraform creates, so no create-group; the credentials the agent
// sets (ApplyExecutionRoleLogsAuth); and no fixed stream, which two tasks
// would share (Docker: "a log stream can only be used by one container").
static const Str awslogs_owned[] = {
    NAME("awslogs-create-group"), NAME("awslogs-credentials-endpoint"), NAME("awslogs-group"),
    NAME("awslogs-region"), NAME("awslogs-stream"), NAME("awslogs-stream-prefix"),
};
static const Str json_file_options[] = {NAME("compress"), NAME("max-file"), NAME("max-size")};
static const Str syslog_options[] = {
    NAME("syslog-address"), NAME("syslog-facility"), NAME("syslog-format"),
    NAME("syslog-tls-ca-cert"), NAME("syslog-tls-cert"), NAME("syslog-tls-key"),
    NAME("syslog-tls-skip-verify"),
};
static const Str gelf_options[] = {
    NAME("gelf-address"), NAME("gelf-compression-level"), NAME("gelf-compression-type"),
    NAME("gelf-tcp-max-reconnect"), NAME("gelf-tcp-reconnect-delay"),
};
static const Str fluentd_options[] = {
    NAME("fluentd-address"), NAME("fluentd-async"), NAME("fluentd-async-reconnect-interval"),
    NAME("fluentd-buffer-limit"), NAME("fluentd-max-retries"), NAME("fluentd-read-timeout"),
    NAME("fluentd-request-ack"), NAME("fluentd-retry-wait"), NAME("fluentd-sub-second-precision"),
    NAME("fluentd-write-timeout"),
};
static const Str splunk_options[] = {
    NAME("splunk-caname"), NAME("splunk-capath"), NAME("splunk-format"), NAME("splunk-gzip"),
    NAME("splunk-gzip-level"), NAME("splunk-index"), NAME("splunk-index-acknowledgment"),
    NAME("splunk-insecureskipverify"), NAME("splunk-source"), NAME("splunk-sourcetype"),
    NAME("splunk-token"), NAME("splunk-url"), NAME("splunk-verify-connection"),
};

typedef struct {
  const char *driver;
  const Str *options;
  int n;
  bool attributes;  // takes env, labels, tag, ... (awslogs lists tag only)
} DriverOptions;

static const DriverOptions driver_options[] = {
    {"awslogs", awslogs_options, countof(awslogs_options), false},
    {"json-file", json_file_options, countof(json_file_options), true},
    {"syslog", syslog_options, countof(syslog_options), true},
    {"journald", NULL, 0, true},
    {"gelf", gelf_options, countof(gelf_options), true},
    {"fluentd", fluentd_options, countof(fluentd_options), true},
    {"splunk", splunk_options, countof(splunk_options), true},
};

static bool known_name(Str name, const Str *names, int n) {
  for (int i = 0; i < n; i++)
    if (str_eq(name, names[i]))
      return true;
  return false;
}

static const DriverOptions *options_of(Str driver) {
  for (int i = 0; i < countof(driver_options); i++)
    if (str_eq_c(driver, driver_options[i].driver))
      return &driver_options[i];
  return NULL;  // awsfirelens: the router's output plugin reads them
}

// Every option name the driver takes, for a "did you mean".
static int known_names(Arena *a, const DriverOptions *d, Str **out) {
  *out = new(a, Str, d->n + countof(any_driver) + countof(attributes));
  int n = 0;
  for (int i = 0; i < d->n; i++)
    (*out)[n++] = d->options[i];
  for (int i = 0; i < countof(any_driver); i++)
    (*out)[n++] = any_driver[i];
  for (int i = 0; d->attributes && i < countof(attributes); i++)
    (*out)[n++] = attributes[i];
  return n;
}

static const KeyValue *option(const LogConfig *l, const char *name) {
  return model_kv_find(l->options, l->noptions, str_c(name));
}

// Docker's checks of the options every driver shares (moby/moby,
// daemon/logger/factory.go, ValidateLogOpts): mode is blocking or
// non-blocking, and max-buffer-size only with mode=non-blocking; and of
// awslogs' own (daemon/logger/awslogs/cloudwatchlogs.go, ValidateLogOpt):
// datetime format and multiline pattern not both.
static void option_values(Compilation *c, const Container *k, const LogConfig *l) {
  const KeyValue *mode = option(l, "mode"), *buffer = option(l, "max-buffer-size");
  if (mode && !str_eq_c(mode->value, "blocking") && !str_eq_c(mode->value, "non-blocking")) {
    Diag *d = diag_at(c, E0932, mode->at, "log option mode = \"%.*s\" of container \"%.*s\" is "
                      "neither blocking nor non-blocking", S(mode->value), S(k->name));
    diag_help(c, d, "Docker refuses any other mode: write \"non-blocking\" to drop logs rather "
                    "than block the application when the destination is slow");
  }
  if (buffer && (!mode || !str_eq_c(mode->value, "non-blocking"))) {
    Diag *d = diag_at(c, E0932, buffer->key_at, "log option max-buffer-size of container \"%.*s\" "
                      "without mode = \"non-blocking\"", S(k->name));
    diag_help(c, d, "the buffer is the non-blocking mode's: add mode = \"non-blocking\", or "
                    "remove max-buffer-size");
  }
  const KeyValue *format = option(l, "awslogs-datetime-format");
  const KeyValue *pattern = option(l, "awslogs-multiline-pattern");
  if (format && pattern && str_eq_c(l->driver, "awslogs")) {
    Diag *d = diag_at(c, E0932, pattern->key_at, "log options awslogs-datetime-format and "
                      "awslogs-multiline-pattern of container \"%.*s\" are both set", S(k->name));
    diag_note(c, d, format->key_at, "awslogs-datetime-format is set here");
    diag_help(c, d, "Docker's awslogs driver takes one of the two: keep the one that marks where "
                    "a message starts");
  }
}

// Each option is the driver's (E0930), and not one ecsc writes (E0931).
static void option_names(Compilation *c, const Container *k, const LogConfig *l) {
  const DriverOptions *d = options_of(l->driver);
  if (!d)
    return;
  Str *names = NULL;
  int nnames = 0;
  for (int i = 0; i < l->noptions; i++) {
    const KeyValue *o = &l->options[i];
    if (str_eq_c(l->driver, "awslogs") && known_name(o->name, awslogs_owned, countof(awslogs_owned))) {
      Diag *e = diag_at(c, E0931, o->key_at, "ecsc writes log option %.*s of container \"%.*s\" "
                        "itself", S(o->name), S(k->name));
      diag_help(c, e, "remove it: awslogs writes to the service's own log group (its retention "
                      "and stream prefix are set in the service's logs block), which the "
                      "execution role may write and Terraform creates");
      continue;
    }
    if (known_name(o->name, d->options, d->n) || known_name(o->name, any_driver, countof(any_driver)) ||
        (d->attributes && known_name(o->name, attributes, countof(attributes))))
      continue;
    if (!names)
      nnames = known_names(&c->arena, d, &names);
    Diag *e = diag_at(c, E0930, o->key_at, "log driver %s takes no option \"%.*s\"", d->driver,
                      S(o->name));
    diag_did_you_mean(c, e, o->name, names, nnames);
    diag_help(c, e, "Docker refuses an unknown option and the container does not start; see "
                    "`ecsc explain E0930` for each driver's options");
  }
  option_values(c, k, l);
}

// ECS API Reference, "LogConfiguration": "For tasks on AWS Fargate, the
// supported log drivers are awslogs, splunk, and awsfirelens."
static void fargate_driver(Compilation *c, const Service *s, const Container *k) {
  Str driver = k->log->driver;
  if (s->runs_on == RUN_EC2 || str_eq_c(driver, "awslogs") || str_eq_c(driver, "splunk") ||
      str_eq_c(driver, "awsfirelens"))
    return;
  Diag *d = diag_at(c, E0938, span_or(k->log->driver_at, k->log->at),
                    "log driver %.*s of container \"%.*s\" does not run on Fargate", S(driver),
                    S(k->name));
  diag_help(c, d, "Fargate takes awslogs, splunk and awsfirelens; route through a FireLens "
                  "router (awsfirelens) to reach another destination");
}

// ECS API Reference, "LogConfiguration": on EC2 "the Amazon ECS container
// agent must register the available logging drivers with the
// ECS_AVAILABLE_LOGGING_DRIVERS environment variable before containers
// placed on that instance can use these log configuration options". The
// agent registers awsfirelens whatever the setting says (amazon-ecs-agent,
// agent/app/agent_capability.go, appendFirelensLoggingDriverCapabilities).
// Without the setting the AMI's own list applies, which ecsc does not know.
static void agent_driver(Compilation *c, const Service *s, const Container *k) {
  const Cluster *cl = s->cluster;
  Str driver = k->log->driver;
  if (s->runs_on != RUN_EC2 || !cl || str_eq_c(driver, "awsfirelens"))
    return;
  const KeyValue *kv = model_kv_find(cl->agent, cl->nagent, STR("ECS_AVAILABLE_LOGGING_DRIVERS"));
  Str *names;
  int n;
  if (!kv || !agent_json_list(&c->arena, kv->value, &names, &n) || known_name(driver, names, n))
    return;  // check_agent.c reports a malformed list
  Diag *d = diag_at(c, E0937, span_or(k->log->driver_at, k->log->at),
                    "log driver %.*s of container \"%.*s\" is not among cluster \"%.*s\"'s "
                    "ECS_AVAILABLE_LOGGING_DRIVERS", S(driver), S(k->name), S(cl->name));
  diag_note(c, d, span_or(kv->at, cl->span), "the agent offers %.*s", S(kv->value));
  diag_help(c, d, "add \"%.*s\" to the list: ECS places the task on no instance whose agent "
            "lacks the driver", S(driver));
}

// The task's FireLens routers: at most one. The awsfirelens driver names no
// router: it sends to "the container with the FireLens configuration" of
// its task (ECS Developer Guide, "Send Amazon ECS logs to an AWS service or
// AWS Partner"). The agent builds one FireLens configuration per task, for
// the first container with a FireLens configuration: GetFirelensContainer
// "returns the firelens container in the task, if there is one"
// (amazon-ecs-agent, agent/api/task/task.go, initializeFirelensResource);
// every container with one is given the bind mounts of that one
// configuration file and socket directory (AddFirelensContainerBindMounts),
// so a second router would read the first's configuration and contend for
// its socket. AWS documents no refusal of two at registration: the rule is
// the agent's behaviour, not an API rule. Returns the first, or NULL.
static const Container *router(Compilation *c, const Service *s) {
  const Container *first = NULL;
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (!k->firelens)
      continue;
    if (!first) {
      first = k;
      continue;
    }
    Diag *d = diag_at(c, E0934, k->firelens->at, "service \"%.*s\" has a second FireLens router, "
                      "container \"%.*s\"", S(s->name), S(k->name));
    diag_note(c, d, first->firelens->at, "container \"%.*s\" routes the task's logs already",
              S(first->name));
    diag_help(c, d, "a task has one log router: remove this firelens block, and send every "
                    "container's logs through \"%.*s\"", S(first->name));
  }
  return first;
}

// ECS Developer Guide, "Send Amazon ECS logs to an AWS service or AWS
// Partner": "If you use dependency condition parameters in container
// definitions with a FireLens configuration, ensure that each container has
// a START or HEALTHY condition requirement." Without one, ECS adds START
// itself ("Amazon ECS adds a start container order dependency between the
// application containers and the FireLens container by default").
static void waits_for_router(Compilation *c, const Container *k, const Container *r) {
  for (int i = 0; i < k->ndepends_on; i++) {
    const Dependency *dep = &k->depends_on[i];
    if (dep->target != r || dep->condition == DEPEND_START || dep->condition == DEPEND_HEALTHY)
      continue;
    Diag *d = diag_at(c, E0936, dep->condition_at, "container \"%.*s\" logs through \"%.*s\" and "
                      "waits for it to exit", S(k->name), S(r->name));
    diag_help(c, d, "wait for START (or HEALTHY): the router must run while the containers "
                    "that log through it do");
  }
}

// awsfirelens sends to the task's router, which must exist.
static void firelens_driver(Compilation *c, const Service *s, const Container *k,
                            const Container *r) {
  if (!r) {
    Diag *d = diag_at(c, E0933, span_or(k->log->driver_at, k->log->at),
                      "container \"%.*s\" logs through awsfirelens, and service \"%.*s\" has no "
                      "FireLens router", S(k->name), S(s->name));
    diag_help(c, d, "add a container with a firelens { type = \"fluentbit\" } block, such as "
                    "public.ecr.aws/aws-observability/aws-for-fluent-bit");
    return;
  }
  if (k == r) {
    Diag *d = diag_at(c, E0933, span_or(k->log->driver_at, k->log->at),
                      "FireLens router \"%.*s\" logs through awsfirelens, to itself", S(k->name));
    diag_help(c, d, "log the router's own output with awslogs (leave out its log block)");
    return;
  }
  waits_for_router(c, k, r);
}

// ECS Developer Guide, "Send Amazon ECS logs to an AWS service or AWS
// Partner": FireLens listens on port 24224; "for tasks that use the bridge
// network mode, don't create any port mappings that use port 24224", and
// under awsvpc and host the port must not be open to the world, which a
// port mapping on it invites (the route's security group opens it).
enum { FIRELENS_PORT = 24224 };

static void router_port(Compilation *c, const Service *s, const Container *r) {
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    Span at = {0};
    bool maps = false;
    for (int j = 0; !maps && model_port(k, j, NULL); j++)
      maps = model_port(k, j, &at) == FIRELENS_PORT;
    if (!maps && k->host_port == FIRELENS_PORT) {
      maps = true;
      at = k->at.host_port;
    }
    if (!maps)
      continue;
    Diag *d = diag_at(c, E0935, at, "container \"%.*s\" maps port %d, on which FireLens router "
                      "\"%.*s\" listens", S(k->name), FIRELENS_PORT, S(r->name));
    diag_help(c, d, "use another port: FireLens takes the task's logs on %d, which must not be "
                    "reachable from outside the task", FIRELENS_PORT);
  }
}

// FirelensConfiguration options (ECS API Reference): config-file-type s3 or
// file, with config-file-value; "tasks hosted on AWS Fargate only support
// the file configuration file type".
static void router_config(Compilation *c, const Service *s, const Container *r) {
  const Firelens *f = r->firelens;
  const KeyValue *type = model_kv_find(f->options, f->noptions, STR("config-file-type"));
  const KeyValue *value = model_kv_find(f->options, f->noptions, STR("config-file-value"));
  if (!type != !value) {
    const KeyValue *given = type ? type : value;
    Diag *d = diag_at(c, E0939, given->key_at, "FireLens option %.*s of container \"%.*s\" "
                      "without %s", S(given->name), S(r->name),
                      type ? "config-file-value" : "config-file-type");
    diag_help(c, d, "give both: config-file-type (s3 or file) and config-file-value (the "
                    "object's ARN, or the file's path in the router's image)");
    return;
  }
  if (!type)
    return;
  bool s3 = str_eq_c(type->value, "s3");
  if (!s3 && !str_eq_c(type->value, "file")) {
    Diag *d = diag_at(c, E0939, type->at, "FireLens option config-file-type = \"%.*s\" of "
                      "container \"%.*s\" is neither s3 nor file", S(type->value), S(r->name));
    diag_help(c, d, "write \"file\" for a file in the router's image, \"s3\" for an S3 object");
  } else if (s3 && s->runs_on != RUN_EC2) {
    Diag *d = diag_at(c, E0939, type->at, "FireLens configuration of container \"%.*s\" from S3 "
                      "on Fargate", S(r->name));
    diag_help(c, d, "Fargate reads the configuration from a file only: build it into the "
                    "router's image and write config-file-type = \"file\"");
  }
}

// AWS's examples mark the router essential: a router that stops while the
// task runs drops every log sent to it after.
static void router_essential(Compilation *c, const Container *r) {
  if (r->essential)
    return;
  Diag *d = diag_at(c, W0930, span_or(r->at.essential, r->span),
                    "FireLens router \"%.*s\" is not essential", S(r->name));
  diag_help(c, d, "leave it essential (the default): if it stops, the task's logs sent "
                  "through it are lost while the task keeps running");
}

// The router runs as root. RegisterTaskDefinition refuses a router whose
// user names another UID, with the ClientException "If 'user' field is
// specified on firelens container, then 'UID' has to be '0'" (as met in
// cloudposse/terraform-aws-ecs-container-definition#97; the ECS API
// Reference documents user as "user", "user:group", "uid", "uid:gid", ...):
// a name, even "root", is refused as well. Without a user ECS stores "0",
// which emit_taskdef.c writes.
static void router_user(Compilation *c, const Container *r) {
  Str u = r->user;
  const char *colon = u.len ? memchr(u.ptr, ':', (size_t)u.len) : NULL;
  ptrdiff_t uid_len = colon ? colon - u.ptr : u.len;
  if (!u.len || (uid_len == 1 && u.ptr[0] == '0'))
    return;
  Diag *d = diag_at(c, E1040, span_or(r->at.user, r->span),
                    "FireLens router \"%.*s\" runs as user \"%.*s\"", S(r->name), S(u));
  diag_help(c, d, "leave user out (ECS runs the router as \"0\", and ecsc writes it), or write "
                  "\"0\" (\"0:GID\" for another group): ECS runs a FireLens router only as UID 0");
}

// A router no container sends to. RegisterTaskDefinition refuses it, with
// the ClientException "When a firelensConfiguration object is specified, at
// least one container has to be configured with the awsfirelens log driver"
// (explained by the FireLens maintainers in
// aws/amazon-cloudwatch-logs-for-fluent-bit#20: a Fluent Bit sidecar that
// no container logs to needs no firelens block).
static void router_used(Compilation *c, const Service *s, const Container *r) {
  for (int i = 0; i < s->ncontainers; i++) {
    const LogConfig *l = s->containers[i]->log;
    if (l && str_eq_c(l->driver, "awsfirelens"))
      return;
  }
  Diag *d = diag_at(c, E1041, r->firelens->at, "FireLens router \"%.*s\" of service \"%.*s\" "
                    "receives no container's logs", S(r->name), S(s->name));
  diag_help(c, d, "send a container's logs to it with log { driver = \"awsfirelens\" ... }, or "
                  "remove the firelens block (a Fluent Bit sidecar needs none)");
}

// A Fluent Bit AWS output's required options (model.c, fluent_outputs, the
// table derive_iam.c grants the task role from): without one, fluent-bit
// refuses the output and the router stops. A role_arn changes whose grants
// apply, not what the output needs.
static void output_needs(Compilation *c, const Container *k, const KeyValue *name,
                         const FluentRequired *need) {
  if (model_log_option(k->log, need->option).len ||
      (need->or_option && model_log_option(k->log, need->or_option).len))
    return;
  Diag *d = diag_at(c, E0940, name->at, "fluent-bit output %.*s of container \"%.*s\" without %s%s%s",
                    S(name->value), S(k->name), need->option, need->or_option ? " or " : "",
                    need->or_option ? need->or_option : "");
  diag_help(c, d, "add %s = \"...\" to the log block's options: fluent-bit refuses the output "
            "without it, and ecsc grants the task role on what it names", need->option);
}

// W1210: a Name a few letters from an AWS output's. Fluent Bit finds an
// output's plugin by its whole name in any case (fluent/fluent-bit d55459d4,
// src/flb_output.c, check_protocol) and refuses a section that names none
// (src/flb_config.c: "[config] section '%s' tried to instance a plugin name
// that doesn't exist", then error), so the router stops, and with it, since
// it is essential, the task. ecsc takes a name it does not know for a
// third-party output and grants it nothing (derive_iam.c), so a typo of an
// AWS output would also lose its grant without a word. A warning, not an
// error: a custom router image may carry a plugin of that name.
static void unknown_output(Compilation *c, const Container *k, const KeyValue *name) {
  Str near = model_fluent_output_near(&c->arena, name->value);
  if (!near.len)
    return;
  Diag *d = diag_at(c, W1210, span_or(name->at, k->log->at), "FireLens output \"%.*s\" of "
                    "container \"%.*s\" is no AWS output ecsc knows, and is granted nothing",
                    S(name->value), S(k->name));
  diag_help(c, d, "did you mean \"%.*s\"? Fluent Bit refuses an output it has no plugin of, "
                  "and the router stops", S(near));
}

static void router_output(Compilation *c, const Container *k, const Container *r) {
  const KeyValue *name = model_log_kv(k->log, "name");
  if (!r || !str_eq_c(r->firelens->type, "fluentbit") || !name)
    return;
  const FluentOutput *o = model_fluent_output(name->value);
  if (!o)
    unknown_output(c, k, name);
  for (int i = 0; o && i < countof(o->required) && o->required[i].option; i++)
    output_needs(c, k, name, &o->required[i]);
}

// cloudwatch_logs' log_group_template and log_stream_template are record
// accessor templates (fluent/fluent-bit d55459d4,
// plugins/out_cloudwatch_logs/cloudwatch_logs.c: flb_ra_create of each).
// A record key ends only at ".", ",", " " or '"' (model_record_accessor_end;
// fluent/fluent-bit-docs f92ae080, pipeline/outputs/cloudwatch.md and
// classic-mode/record-accessor.md, "Limitations of record_accessor
// templating": "Only dots and commas (. and ,) can come after a template
// variable"): in "/firelens/$ecs_cluster/web" the key is "ecs_cluster/web",
// which no record has. The translation then fails (flb_ra_translate_check,
// "translation failed, root key=..."), every record goes to the fixed
// log_group_name ("Plugin falls back to the log_group_name configured",
// cloudwatch.md), and the task role is granted every name the template's *
// matches (derive_iam.c). There is no ${key} form: fluent-bit reads ${X} in
// an output's property as an environment variable (src/flb_output.c,
// flb_output_set_property: flb_env_var_translate). So the fix is a "."
// after the key (it stays in the name), or the key last.
static const char *const record_templates[] = {"log_group_template", "log_stream_template"};

// The template with a "." where its key at i (a '$') should have ended:
// in place of the first character no key name has, or before a '$'.
static Str key_dotted(Arena *a, Str t, ptrdiff_t i) {
  ptrdiff_t p = i + 1;
  while (p < t.len && (t.ptr[p] == '_' || (t.ptr[p] >= '0' && t.ptr[p] <= '9') ||
                       ((t.ptr[p] | 0x20) >= 'a' && (t.ptr[p] | 0x20) <= 'z')))
    p++;
  ptrdiff_t rest = p + (p < t.len && t.ptr[p] != '$');
  return str_fmt(a, "%.*s.%.*s", (int)p, t.ptr, (int)(t.len - rest), t.ptr + rest);
}

static void template_key(Compilation *c, const Container *k, const KeyValue *kv) {
  Str t = kv->value;
  Span at = span_or(kv->at, k->log->at);
  for (ptrdiff_t i = 0; i + 1 < t.len; i++) {
    if (t.ptr[i] != '$')
      continue;
    ptrdiff_t end = model_record_accessor_end(t, i);
    const char *sub = memchr(t.ptr + i, '[', (size_t)(end - i));
    Str key = {t.ptr + i + 1, (sub ? sub - t.ptr : end) - i - 1};
    // A second '$' in one accessor: its parser (src/record_accessor/ra.y,
    // record_key: '$' IDENTIFIER [subkeys]) refuses it, flb_ra_create fails,
    // and cloudwatch_logs does not start ("Could not parse
    // `log_group_template`"): nor then does the router (src/flb_engine.c,
    // "output initialization failed").
    if (key.len && memchr(key.ptr, '$', (size_t)key.len)) {
      Diag *d = diag_at(c, E1100, at, "%.*s \"%.*s\" of container \"%.*s\" runs record keys "
                        "together: fluent-bit reads \"%.*s\" as one, cannot parse it, and does "
                        "not start the output", S(kv->name), S(t), S(k->name), (int)(end - i),
                        t.ptr + i);
      diag_help(c, d, "end each key with a \".\", which stays in the name (\"%.*s\"): only "
                      "\".\", \",\", \" \" or a double quote end a key",
                S(key_dotted(&c->arena, t, i)));
      return;
    }
    if (key.len && memchr(key.ptr, '/', (size_t)key.len)) {
      Diag *d = diag_at(c, W1100, at, "%.*s \"%.*s\" of container \"%.*s\" reads the record key "
                        "\"%.*s\": fluent-bit ends a key only at \".\", \",\", \" \" or a "
                        "double quote", S(kv->name), S(t), S(k->name), S(key));
      diag_help(c, d, "end the key with a \".\", which stays in the name (\"%.*s\"), or put the "
                      "key last: no record has \"%.*s\", so fluent-bit falls back to the fixed "
                      "name, and the task role is granted every \"%.*s\"",
                S(key_dotted(&c->arena, t, i)), S(key), S(model_record_pattern(&c->arena, t)));
      return;
    }
    i = end - 1;
  }
}

static void record_keys(Compilation *c, const Container *k) {
  const FluentOutput *o = model_fluent_output(model_log_option(k->log, "name"));
  if (!o || o->destination != FLUENT_LOGS || o->templates)
    return;  // the Go cloudwatch plugin reads $(key), which ends at ")"
  for (int i = 0; i < countof(record_templates); i++) {
    const KeyValue *kv = model_log_kv(k->log, record_templates[i]);
    if (kv)
      template_key(c, k, kv);
  }
}

void check_logging(Compilation *c, const Service *s) {
  const Container *r = router(c, s);
  for (int i = 0; i < s->ncontainers; i++) {
    const Container *k = s->containers[i];
    if (!k->log)
      continue;
    option_names(c, k, k->log);
    fargate_driver(c, s, k);
    agent_driver(c, s, k);
    if (str_eq_c(k->log->driver, "awsfirelens")) {
      firelens_driver(c, s, k, r);
      router_output(c, k, r);
      record_keys(c, k);
    }
  }
  if (!r)
    return;
  router_port(c, s, r);
  router_config(c, s, r);
  router_essential(c, r);
  router_user(c, r);
  router_used(c, s, r);
}
