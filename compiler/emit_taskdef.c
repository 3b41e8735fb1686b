// emit_taskdef.c: a service's task-definition.json, a complete input for
//
//   aws ecs register-task-definition --cli-input-json file://task-definition.json
//
// and the one source of its container definitions: the service's Terraform
// reads "containerDefinitions" from this file (jsondecode(file(...))) rather
// than keeping a second copy. Reads the model only; keys come in the order a
// reviewer reads a task definition (the API reference's order, roughly), and
// optional members are left out rather than given their defaults, so the
// file says what the .ecs file says and no more.
#include "emit.h"

// Everything the model holds is UTF-8 (source.c and libyaml reject anything
// else, the lexer refuses surrogate and NUL escapes), so Jansson's check of
// each string and key, a tenth of emission, is skipped.
static json_t *text(Str s) {
  return json_stringn_nocheck(s.ptr, (size_t)s.len);
}

static json_t *texts(Str *s, int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, text(s[i]));
  return a;
}

// ECS takes whole seconds; the DSL's durations are milliseconds, and
// schema_check.c refuses a fraction of a second. Should one get through, it
// rounds up: the safe side for every duration here (a longer timeout, grace
// period or stop time), and still within the ranges, whose ends are whole.
static json_int_t seconds(int64_t ms) {
  return (json_int_t)((ms + 999) / 1000);
}

// Container memory is in MiB (ECS API Reference, "ContainerDefinition":
// memory, memoryReservation). A fraction rounds down, so the hard limit is
// never above what was declared and reservation <= memory still holds.
static json_int_t mib(int64_t bytes) {
  return (json_int_t)(bytes >> 20);
}

// Role ARNs. With the account pinned, the full ARN; without it, the role's
// name. ECS API Reference, "RegisterTaskDefinition": taskRoleArn is "the
// short name or full Amazon Resource Name (ARN) of the IAM role". For
// executionRoleArn the reference says only "the ARN", but ECS completes a
// bare name with the caller's account as it does for taskRoleArn (an ECS
// engineer in aws-actions/amazon-ecs-render-task-definition#19: "both the
// executionRoleArn and taskRoleArn can actually be just the role name"). The
// name keeps the file free of an account ecsc does not know; the Terraform
// state passes the roles' real ARNs and reads only containerDefinitions here.
// Roles are created with the default path "/", so the ARN is role/NAME.
static json_t *role(Compilation *c, Environment *e, Str name) {
  if (!e->account.len)
    return text(name);
  return text(str_fmt(&c->arena, "arn:%.*s:iam::%.*s:role/%.*s", S(arn_partition(e->region)),
                      S(e->account), S(name)));
}

// Where a secret comes from: the SSM parameter derive.c names. ECS API
// Reference, "Secret": valueFrom is the parameter's full ARN, or its name
// when the parameter is in the task's region (ours always is: the
// environment creates its parameters in its own region). As with roles, the
// ARN when the account is pinned, else the name.
static json_t *value_from(Environment *e, Parameter *p) {
  return text(e->account.len ? e->ssm_arns[p->index] : e->ssm_names[p->index]);
}

static const char *network_mode(NetworkMode m) {
  switch (m) {
  case NET_AWSVPC:
    return "awsvpc";
  case NET_HOST:
    return "host";
  case NET_BRIDGE:
    break;
  }
  return "bridge";
}

// ECS API Reference, "PortMapping": in bridge mode hostPort 0 (or none) takes
// a port from the instance's ephemeral range, which user data pins to
// DYNAMIC_PORT_FIRST..LAST and the security group opens to the load balancer;
// it is written as 0 so a reader sees "dynamic" rather than a missing key.
// Under awsvpc and host, hostPort must be omitted or equal containerPort;
// ECS reports it equal, so it is written equal and Terraform sees no diff.
static json_t *port_mappings(Service *s) {
  json_t *pm = json_object();
  json_object_set_new_nocheck(pm, "containerPort", json_integer(s->port));
  json_object_set_new_nocheck(pm, "hostPort", json_integer(s->network == NET_BRIDGE ? s->host_port : s->port));
  json_object_set_new_nocheck(pm, "protocol", json_string("tcp"));
  json_t *a = json_array();
  json_array_append_new(a, pm);
  return a;
}

static json_t *environment(Service *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->nenv_vars; i++) {  // sorted by name in resolve.c
    json_t *v = json_object();
    json_object_set_new_nocheck(v, "name", text(s->env_vars[i].name));
    json_object_set_new_nocheck(v, "value", text(s->env_vars[i].value));
    json_array_append_new(a, v);
  }
  return a;
}

static json_t *secrets(Compilation *c, Service *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->nsecrets; i++) {  // sorted by name in resolve.c
    json_t *v = json_object();
    json_object_set_new_nocheck(v, "name", text(s->secrets[i].name));
    json_object_set_new_nocheck(v, "valueFrom", value_from(s->env, s->secrets[i].param));
    json_array_append_new(a, v);
  }
  return a;
}

static bool is_keyword(Str s) {
  return str_eq_c(s, "CMD") || str_eq_c(s, "CMD-SHELL") || str_eq_c(s, "NONE");
}

// ECS API Reference, "HealthCheck": the command is ["CMD-SHELL", "cmd"] to
// run in the container's default shell, ["CMD", arg...] to run directly;
// a list that already names its form (CMD, CMD-SHELL or NONE) is kept as
// written. Retries and the times are always written, defaults included, so a
// reviewer sees how long an unhealthy task lives; startPeriod only when set,
// since without it there is no grace period, as with 0.
static json_t *health_check(HealthCheck *h) {
  json_t *cmd = json_array();
  if (h->shell) {
    json_array_append_new(cmd, json_string("CMD-SHELL"));
  } else if (!h->ncommand || !is_keyword(h->command[0])) {
    json_array_append_new(cmd, json_string("CMD"));
  }
  for (int i = 0; i < h->ncommand; i++)
    json_array_append_new(cmd, text(h->command[i]));
  json_t *hc = json_object();
  json_object_set_new_nocheck(hc, "command", cmd);
  json_object_set_new_nocheck(hc, "interval", json_integer(seconds(h->interval_ms)));
  json_object_set_new_nocheck(hc, "timeout", json_integer(seconds(h->timeout_ms)));
  json_object_set_new_nocheck(hc, "retries", json_integer(h->retries));
  if (h->start_period_ms)
    json_object_set_new_nocheck(hc, "startPeriod", json_integer(seconds(h->start_period_ms)));
  return hc;
}

// The awslogs driver into the group the service state creates (ECS Developer
// Guide, "Using the awslogs log driver": group and region are required; the
// stream prefix names streams PREFIX/CONTAINER/TASK-ID).
static json_t *log_configuration(Service *s) {
  json_t *opts = json_object();
  json_object_set_new_nocheck(opts, "awslogs-group", text(s->log_group));
  json_object_set_new_nocheck(opts, "awslogs-region", text(s->env->region));
  json_object_set_new_nocheck(opts, "awslogs-stream-prefix", text(s->stream_prefix));
  json_t *lc = json_object();
  json_object_set_new_nocheck(lc, "logDriver", json_string("awslogs"));
  json_object_set_new_nocheck(lc, "options", opts);
  return lc;
}

// container: who it is, what runs, its resources, its ports, how it is
// started, what it is given, how it is watched, logged and stopped.
static json_t *container(Compilation *c, Service *s) {
  json_t *d = json_object();
  json_object_set_new_nocheck(d, "name", text(s->container));
  json_object_set_new_nocheck(d, "image", text(s->image));
  json_object_set_new_nocheck(d, "essential", json_true());
  if (s->cpu)
    json_object_set_new_nocheck(d, "cpu", json_integer(s->cpu));
  json_object_set_new_nocheck(d, "memory", json_integer(mib(s->memory)));
  if (s->memory_reservation)
    json_object_set_new_nocheck(d, "memoryReservation", json_integer(mib(s->memory_reservation)));
  if (s->port)
    json_object_set_new_nocheck(d, "portMappings", port_mappings(s));
  if (s->nentrypoint)
    json_object_set_new_nocheck(d, "entryPoint", texts(s->entrypoint, s->nentrypoint));
  if (s->ncommand)
    json_object_set_new_nocheck(d, "command", texts(s->command, s->ncommand));
  if (s->user.len)
    json_object_set_new_nocheck(d, "user", text(s->user));
  // Empty lists are left out, like every member the service does not set.
  if (s->nenv_vars)
    json_object_set_new_nocheck(d, "environment", environment(s));
  if (s->nsecrets)
    json_object_set_new_nocheck(d, "secrets", secrets(c, s));
  if (s->health)
    json_object_set_new_nocheck(d, "healthCheck", health_check(s->health));
  json_object_set_new_nocheck(d, "logConfiguration", log_configuration(s));
  json_object_set_new_nocheck(d, "stopTimeout", json_integer(seconds(s->stop_timeout_ms)));
  return d;
}

Str emit_taskdef(Compilation *c, Model *m, Service *s) {
  Environment *e = s->env;
  json_t *td = json_object();
  json_object_set_new_nocheck(td, "family", text(s->family));
  json_object_set_new_nocheck(td, "taskRoleArn", role(c, e, s->task_role));
  json_object_set_new_nocheck(td, "executionRoleArn", role(c, e, s->exec_role));
  json_object_set_new_nocheck(td, "networkMode", json_string(network_mode(s->network)));
  json_t *compat = json_array();
  json_array_append_new(compat, json_string("EC2"));
  json_object_set_new_nocheck(td, "requiresCompatibilities", compat);
  // ECS API Reference, "RuntimePlatform": an ARM64 task runs only on ARM64
  // instances, and says so, so that an x86 image is refused at registration
  // rather than failing to start.
  if (s->cluster && s->cluster->type && s->cluster->type->arch == ARCH_ARM64) {
    json_t *platform = json_object();
    json_object_set_new_nocheck(platform, "cpuArchitecture", json_string("ARM64"));
    json_object_set_new_nocheck(platform, "operatingSystemFamily", json_string("LINUX"));
    json_object_set_new_nocheck(td, "runtimePlatform", platform);
  }
  json_t *defs = json_array();
  json_array_append_new(defs, container(c, s));
  json_object_set_new_nocheck(td, "containerDefinitions", defs);
  return jsonout_dump(&c->arena, td);
}
