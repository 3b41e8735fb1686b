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

// ECS takes whole seconds; the DSL's durations are milliseconds, and
// schema_check.c refuses a fraction of a second. Should one get through, it
// rounds up: the safe side for every duration here (a longer timeout, grace
// period or stop time), and still within the ranges, whose ends are whole.
static int64_t seconds(int64_t ms) {
  return (ms + 999) / 1000;
}

// Container memory is in MiB (ECS API Reference, "ContainerDefinition":
// memory, memoryReservation). A fraction rounds down, so the hard limit is
// never above what was declared and reservation <= memory still holds.
static int64_t mib(int64_t bytes) {
  return bytes >> 20;
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
static json_t *role(Arena *a, const Environment *e, Str name) {
  if (!e->account.len)
    return jsonout_str(name);
  return jsonout_str(str_fmt(a, "arn:%.*s:iam::%.*s:role/%.*s",
                             S(e->partition), S(e->account), S(name)));
}

// A container's user. ECS stores "0" for a FireLens router given none (and
// refuses another UID: check_logging.c, E1040), so a definition without it
// is not the one ECS keeps: Terraform would replace the task definition at
// every plan (hashicorp/terraform-provider-aws#41394: "the ECS API is
// mutating the container definition ... by setting the user attribute to
// \"0\""). The router's is written, as ECS would.
static json_t *container_user(const Container *k) {
  if (k->user.len)
    return jsonout_str(k->user);
  return k->firelens ? jsonout_cstr("0") : NULL;
}

// Where a secret comes from: the SSM parameter derive.c names. ECS API
// Reference, "Secret": valueFrom is the parameter's full ARN, or its name
// when the parameter is in the task's region (ours always is: the
// environment creates its parameters in its own region). As with roles, the
// ARN when the account is pinned, else the name.
static json_t *value_from(const Environment *e, const Parameter *p) {
  return jsonout_str(e->account.len ? e->ssm_arns[p->index] : e->ssm_names[p->index]);
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
// The port a service serves with Service Connect carries its name (ECS API
// Reference, PortMapping: name, "the name that you use in the
// serviceConnectConfiguration ... of a service") and its appProtocol.
// Terraform's container_definitions are this file's (emit_tf_service.c), so both
// say the same.
// A container's further ports (ports) are mapped as its main one, after it,
// in the order written; in bridge mode their host ports are dynamic (0),
// host_port being the main port's alone.
static json_t *port_mapping(const Service *s, const Container *k, int port, int host_port) {
  const Connect *cn = s->connect && s->connect->container == k && s->connect->port == port
                          ? s->connect
                          : NULL;
  return jsonout_obj(
      "name", cn ? jsonout_str(cn->port_name) : NULL,
      "containerPort", jsonout_int(port),
      "hostPort", jsonout_int(s->network == NET_BRIDGE ? host_port : port),
      "protocol", jsonout_cstr("tcp"),
      "appProtocol", cn && cn->app_protocol.len ? jsonout_str(cn->app_protocol) : NULL);
}

static json_t *port_mappings(const Service *s, const Container *k) {
  if (!k->port && !k->nports)
    return NULL;
  json_t *a = json_array();
  if (k->port)
    json_array_append_new(a, port_mapping(s, k, k->port, k->host_port));
  for (int i = 0; i < k->nports; i++)
    json_array_append_new(a, port_mapping(s, k, k->ports[i], 0));
  return a;
}

static json_t *environment_pairs(const Container *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->nenv_vars; i++) {  // sorted by name in resolve.c
    json_array_append_new(a, jsonout_obj("name", jsonout_str(s->env_vars[i].name),
                                         "value", jsonout_str(s->env_vars[i].value)));
  }
  return a;
}

// A Secrets Manager secret's valueFrom is derive.c's: its ARN (partial for
// a name), then :json-key:version-stage:version-id when any is given.
static json_t *secrets(const Environment *e, const Container *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->nsecrets; i++) {  // sorted by name in resolve.c
    const Secret *x = &s->secrets[i];
    json_array_append_new(a, jsonout_obj(
        "name", jsonout_str(x->name),
        "valueFrom", x->sm ? jsonout_str(e->sm_value_from[x->sm->index]) : value_from(e, x->param)));
  }
  return a;
}

// ECS API Reference, "EnvironmentFile": value, the S3 object's ARN, and
// type, "s3" the only one.
static json_t *environment_files(const Container *k) {
  json_t *a = json_array();
  for (int i = 0; i < k->nenv_files; i++)
    json_array_append_new(a, jsonout_obj("value", jsonout_str(k->env_files[i]),
                                         "type", jsonout_cstr("s3")));
  return a;
}

// ECS API Reference, "ContainerDependency": containerName and condition,
// sorted by name in resolve.c.
static json_t *container_dependencies(const Container *k) {
  static const char *const names[] = {
      [DEPEND_START] = "START", [DEPEND_COMPLETE] = "COMPLETE",
      [DEPEND_SUCCESS] = "SUCCESS", [DEPEND_HEALTHY] = "HEALTHY",
  };
  json_t *a = json_array();
  for (int i = 0; i < k->ndepends_on; i++)
    json_array_append_new(a, jsonout_obj(
        "containerName", jsonout_str(k->depends_on[i].name),
        "condition", jsonout_cstr(names[k->depends_on[i].condition])));
  return a;
}

// ECS API Reference, "ContainerDefinition": links, the names of containers
// of the task (bridge networking only: check_containers.c), in the order
// written; the service's own container by its ECS name.
static json_t *link_targets(const Service *s, const Container *k) {
  json_t *a = json_array();
  for (int i = 0; i < k->nlinks; i++) {
    const Container *t = k->links[i].target;
    json_array_append_new(a, jsonout_str(t && t->main ? s->container : k->links[i].name));
  }
  return a;
}

// ECS API Reference, "Ulimit": name, softLimit, hardLimit.
static json_t *ulimit_objects(const Container *k) {
  json_t *a = json_array();
  for (int i = 0; i < k->nulimits; i++)
    json_array_append_new(a, jsonout_obj(
        "name", jsonout_str(k->ulimits[i].name),
        "softLimit", jsonout_int(k->ulimits[i].soft),
        "hardLimit", jsonout_int(k->ulimits[i].hard)));
  return a;
}

// ECS API Reference, "MountPoint": sourceVolume, containerPath, readOnly,
// in the order written; readOnly only when true (false is ECS's default).
static json_t *mount_points(const Container *k) {
  json_t *a = json_array();
  for (int i = 0; i < k->nmounts; i++)
    json_array_append_new(a, jsonout_obj(
        "sourceVolume", jsonout_str(k->mounts[i].name),
        "containerPath", jsonout_str(k->mounts[i].path),
        "readOnly", k->mounts[i].read_only ? jsonout_bool(true) : NULL));
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
static json_t *health_check(const HealthCheck *h) {
  const char *form = h->shell ? "CMD-SHELL"
                     : !h->ncommand || !is_keyword(h->command[0]) ? "CMD" : NULL;
  json_t *cmd = jsonout_arr(form ? jsonout_cstr(form) : NULL);
  for (int i = 0; i < h->ncommand; i++)
    json_array_append_new(cmd, jsonout_str(h->command[i]));
  return jsonout_obj(
      "command", cmd,
      "interval", jsonout_int(seconds(h->interval_ms)),
      "timeout", jsonout_int(seconds(h->timeout_ms)),
      "retries", jsonout_int(h->retries),
      "startPeriod", h->start_period_ms ? jsonout_int(seconds(h->start_period_ms)) : NULL);
}

// The awslogs driver into the group the service state creates (ECS Developer
// Guide, "Using the awslogs log driver": group and region are required; the
// stream prefix names streams PREFIX/CONTAINER/TASK-ID). Every container of
// the task logs to the service's one group under the one prefix: the
// container's name in each stream's keeps them apart.
static json_t *awslogs_options(json_t *o, const Service *s) {
  return jsonout_put(o,
      "awslogs-group", jsonout_str(s->log_group),
      "awslogs-region", jsonout_str(s->env->region),
      "awslogs-stream-prefix", jsonout_str(s->stream_prefix));
}

// Options as members of o, in name order (resolve.c sorted them).
static json_t *option_members(json_t *o, const KeyValue *v, int n) {
  for (int i = 0; i < n; i++)
    jsonout_putn(o, v[i].name, jsonout_str(v[i].value));
  return o;
}

// A container's own log block (ECS API Reference, "LogConfiguration"): with
// awslogs, the service's group, region and prefix, then the options the
// user adds (mode, max-buffer-size, ...: check_logging.c keeps those three
// to ecsc); with any other driver, its options as written.
static json_t *container_log(const Service *s, const Container *k) {
  if (!k->log)
    return jsonout_obj("logDriver", jsonout_cstr("awslogs"),
                       "options", awslogs_options(json_object(), s));
  bool awslogs = str_eq_c(k->log->driver, "awslogs");
  json_t *o = awslogs ? awslogs_options(json_object(), s)
              : k->log->noptions ? json_object()
                                 : NULL;
  if (o)
    option_members(o, k->log->options, k->log->noptions);
  return jsonout_obj("logDriver", jsonout_str(k->log->driver), "options", o);
}

// ECS API Reference, "FirelensConfiguration": type, and options when given.
static json_t *firelens_configuration(const Firelens *f) {
  return jsonout_obj(
      "type", jsonout_str(f->type),
      "options", f->noptions ? option_members(json_object(), f->options, f->noptions) : NULL);
}

// ECS API Reference, "ContainerRestartPolicy": enabled, the exit codes it
// ignores when there are any, and restartAttemptPeriod in seconds.
static json_t *restart_object(const RestartPolicy *p) {
  json_t *codes = p->nignored_exit_codes ? json_array() : NULL;
  for (int i = 0; i < p->nignored_exit_codes; i++)
    json_array_append_new(codes, jsonout_int(p->ignored_exit_codes[i]));
  return jsonout_obj(
      "enabled", jsonout_bool(p->enabled),
      "ignoredExitCodes", codes,
      "restartAttemptPeriod", jsonout_int(seconds(p->attempt_period_ms)));
}

// Docker labels, ecsc's alone. The digest of the Service Connect
// namespace's endpoints (derive.c, connect_endpoints), on the service's own
// container: a Docker label (ECS
// API Reference, ContainerDefinition, dockerLabels: "A key/value map of
// labels to add to the container"), metadata the application never reads,
// unlike an environment variable. It changes the container definitions when
// an endpoint changes, and so makes a new revision (AWS provider,
// internal/service/ecs/task_definition.go: container_definitions is
// ForceNew; containerDefinitionsAreEquivalent compares the labels too),
// which the service deploys. The key is ecsc's own, clear of the
// com.amazonaws.ecs. labels the ECS agent adds.
//
// And the digest of the values of ecsc's plain parameters the container
// reads (derive.c, parameter_values), on each container that reads one, for
// the same reason: ECS gives a container its secrets when it starts, so a
// new value reaches only the tasks a deployment starts after it is written.
// Both are ecsc's own keys, in the order of their names.
static json_t *docker_labels(const Service *s, const Container *k) {
  bool connect = k->main && s->connect && s->env->connect_endpoints.len;
  if (!connect && !k->parameter_values.len)
    return NULL;
  return jsonout_obj(
      "ecsc.parameter-values",
      k->parameter_values.len ? jsonout_str(k->parameter_values) : NULL,
      "ecsc.service-connect.endpoints", connect ? jsonout_str(s->env->connect_endpoints) : NULL);
}

// container: who it is, what runs, its resources, its ports, how it is
// started, what it is given, how it is watched, logged and stopped. Empty
// lists are left out, like every member the container does not set; so are
// false booleans (readonlyRootFilesystem, initProcessEnabled), ECS's
// defaults. The service's own container is named as derive.c names it.
static json_t *container_definition(const Service *s, const Container *k) {
  return jsonout_obj(
      "name", jsonout_str(k->main ? s->container : k->name),
      // As Terraform registers it too (emit_tf_service.c, image_variable): an image
      // without tag or digest with Docker's default tag spelt out, ":latest".
      "image", jsonout_str(k->ref.registered),
      "essential", jsonout_bool(k->essential),
      "cpu", k->cpu ? jsonout_int(k->cpu) : NULL,
      "memory", k->memory ? jsonout_int(mib(k->memory)) : NULL,
      "memoryReservation", k->memory_reservation ? jsonout_int(mib(k->memory_reservation)) : NULL,
      "portMappings", port_mappings(s, k),
      "links", k->nlinks ? link_targets(s, k) : NULL,
      "entryPoint", k->nentrypoint ? jsonout_strs(k->entrypoint, k->nentrypoint) : NULL,
      "command", k->ncommand ? jsonout_strs(k->command, k->ncommand) : NULL,
      "workingDirectory", k->working_directory.len ? jsonout_str(k->working_directory) : NULL,
      "user", container_user(k),
      "environment", k->nenv_vars ? environment_pairs(k) : NULL,
      "environmentFiles", k->nenv_files ? environment_files(k) : NULL,
      "secrets", k->nsecrets ? secrets(s->env, k) : NULL,
      "dependsOn", k->ndepends_on ? container_dependencies(k) : NULL,
      "readonlyRootFilesystem", k->read_only_root ? jsonout_bool(true) : NULL,
      "linuxParameters", k->init ? jsonout_obj("initProcessEnabled", jsonout_bool(true)) : NULL,
      "ulimits", k->nulimits ? ulimit_objects(k) : NULL,
      "mountPoints", k->nmounts ? mount_points(k) : NULL,
      "healthCheck", k->health ? health_check(k->health) : NULL,
      "restartPolicy", k->restart ? restart_object(k->restart) : NULL,
      "firelensConfiguration", k->firelens ? firelens_configuration(k->firelens) : NULL,
      "dockerLabels", docker_labels(s, k),
      "logConfiguration", container_log(s, k),
      "stopTimeout", jsonout_int(seconds(k->stop_timeout_ms)));
}

static json_t *container_array(const Service *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->ncontainers; i++)
    json_array_append_new(a, container_definition(s, s->containers[i]));
  return a;
}

// ECS API Reference, "RuntimePlatform": "You can run your Linux tasks on
// an ARM-based platform by setting the value to ARM64. This option is
// available for tasks that run on Linux Amazon EC2 instance, Amazon ECS
// Managed Instances, or Linux containers on Fargate" (botocore
// data/ecs/2014-11-13/service-2.json). On Fargate it is what asks for ARM64
// at all (cpuArchitecture, whose default is X86_64): a Fargate service of an
// arm64 cluster runs its images on Fargate's ARM64 (derive.c, service_arch).
// On the cluster's instances it says what the task is; whether ECS then
// places it only on instances of that architecture is not documented
// (rebuild_costs.c, W1233), and RegisterTaskDefinition does not read the
// images, so it refuses no image of the other architecture.
// operatingSystemFamily is LINUX, the only family ecsc builds for: its
// instances boot the Linux ECS-optimized AMIs, its tasks use Linux-only
// parameters (linuxParameters, ulimits, readonlyRootFilesystem), and
// FireLens is Linux-only (ECS Developer Guide, "Send Amazon ECS logs to an
// AWS service or AWS Partner": "Windows containers don't support FireLens").
static json_t *runtime_platform(const Service *s) {
  if (!s->arm64)
    return NULL;
  return jsonout_obj(
      "cpuArchitecture", jsonout_cstr("ARM64"),
      "operatingSystemFamily", jsonout_cstr("LINUX"));
}

// The task's own size, when given (on Fargate always: check_fargate.c):
// RegisterTaskDefinition takes cpu and memory as strings, in CPU units and
// MiB, and ephemeralStorage.sizeInGiB.
static json_t *task_number(Arena *a, int64_t n) {
  return n ? jsonout_str(str_fmt(a, "%lld", (long long)n)) : NULL;
}

// A map of strings (driverOpts, labels), sorted by key in resolve.c.
static json_t *string_map(const KeyValue *kv, int n) {
  json_t *o = json_object();
  for (int i = 0; i < n; i++)
    jsonout_putn(o, kv[i].name, jsonout_str(kv[i].value));
  return o;
}

// ECS API Reference, "EFSVolumeConfiguration" and "EFSAuthorizationConfig":
// transitEncryption is always written (ecsc's default, ENABLED, is not
// ECS's); rootDirectory only when given; authorizationConfig only with an
// access point or IAM authorization, its iam then always written.
static json_t *efs_configuration(const EfsVolume *f) {
  bool auth = f->access_point_id.len || f->iam;
  return jsonout_obj(
      "fileSystemId", jsonout_str(f->file_system_id),
      "rootDirectory", f->root_directory.len ? jsonout_str(f->root_directory) : NULL,
      "transitEncryption", jsonout_cstr(f->transit_encryption ? "ENABLED" : "DISABLED"),
      "transitEncryptionPort",
      f->transit_encryption_port ? jsonout_int(f->transit_encryption_port) : NULL,
      "authorizationConfig", auth ? jsonout_obj(
          "accessPointId", f->access_point_id.len ? jsonout_str(f->access_point_id) : NULL,
          "iam", jsonout_cstr(f->iam ? "ENABLED" : "DISABLED")) : NULL);
}

// ECS API Reference, "DockerVolumeConfiguration": scope always (ECS
// reports "task" when it is not given), the rest when set.
static json_t *docker_configuration(const DockerVolume *k) {
  return jsonout_obj(
      "scope", jsonout_str(k->scope),
      "autoprovision", k->autoprovision ? jsonout_bool(true) : NULL,
      "driver", k->driver.len ? jsonout_str(k->driver) : NULL,
      "driverOpts", k->ndriver_opts ? string_map(k->driver_opts, k->ndriver_opts) : NULL,
      "labels", k->nlabels ? string_map(k->labels, k->nlabels) : NULL);
}

// ECS API Reference, "Volume": a name and at most one configuration; a
// volume with none is a bind mount of the task's own storage ("If an empty
// volume configuration is specified, by default Amazon ECS uses a host
// volume", without sourcePath: its lifetime is the task's); with
// host.sourcePath ("HostVolumeProperties"), a directory of the instance;
// with configuredAtLaunch, the EBS volume the service configures
// (emit_tf_service.c, tf_volume_configuration).
static json_t *volume_objects(const Service *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    json_array_append_new(a, jsonout_obj(
        "name", jsonout_str(v->name),
        "host", v->kind == VOLUME_HOST ? jsonout_obj("sourcePath", jsonout_str(v->host_path)) : NULL,
        "configuredAtLaunch", v->kind == VOLUME_EBS ? jsonout_bool(true) : NULL,
        "efsVolumeConfiguration", v->kind == VOLUME_EFS ? efs_configuration(&v->efs) : NULL,
        "dockerVolumeConfiguration",
        v->kind == VOLUME_DOCKER ? docker_configuration(&v->docker) : NULL));
  }
  return a;
}

Str emit_taskdef(const Emitter *em, const Service *s) {
  const Environment *e = s->env;
  bool fargate = s->runs_on != RUN_EC2;
  json_t *td = jsonout_obj(
      "family", jsonout_str(s->family),
      "taskRoleArn", role(em->arena, e, s->task_role),
      "executionRoleArn", role(em->arena, e, s->exec_role),
      "networkMode", jsonout_cstr(network_mode(s->network)),
      "requiresCompatibilities", jsonout_arr(jsonout_cstr(fargate ? "FARGATE" : "EC2")),
      "cpu", task_number(em->arena, s->task_cpu),
      "memory", task_number(em->arena, s->task_memory >> 20),
      "ephemeralStorage", s->ephemeral_storage
          ? jsonout_obj("sizeInGiB", jsonout_int(s->ephemeral_storage >> 30))
          : NULL,
      "runtimePlatform", runtime_platform(s),
      "containerDefinitions", container_array(s),
      "volumes", s->nvolumes ? volume_objects(s) : NULL);
  return jsonout_dump(em->arena, td);
}
