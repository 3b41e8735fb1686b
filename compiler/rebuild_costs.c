// rebuild_costs.c: what applying this build replaces or loses, against the
// previous build in DIR, that the apply carries out without failing and the
// source does not show: a removed service's logs, or a removed
// environment's (W1232), every instance of a cluster whose processor
// architecture changes under its services (W1233, judged on the states the
// build changes: rebuild_costs_states), and every instance of an
// environment whose tags change (W1234).
// Warnings: each is what the new source asks, at a cost it should name.
// What the apply cannot carry out is rebuild_retire.c's and rebuild_update.c's.
// Reads DIR, writes nothing.
#include "rebuild.h"

#include <string.h>

// W1232: a service removed from the source (or renamed: its old name is
// removed) has its state destroyed from the previous commit's copy (README,
// "Changed states, for CI"), and with it its log group and every log in it:
// DeleteLogGroup "Deletes the specified log group and permanently deletes
// all the archived log events associated with the log group" (CloudWatch
// Logs API Reference). The group is not written with skip_destroy
// (terraform-provider-aws, internal/service/logs/group.go: resourceGroupDelete
// then only forgets it), because the create of a group of the same name
// fails, resourceGroupCreate calling CreateLogGroup, which refuses an
// existing name (ResourceAlreadyExistsException, CloudWatch Logs API
// Reference): re-adding a service, or renaming it back, would fail on every
// apply until the group is imported by hand. A warning instead, with the
// steps that keep the logs.
// A log group a previous service state makes and its destroy deletes: not
// one written with skip_destroy, which the destroy only forgets.
typedef struct {
  const char *key;  // T of aws_cloudwatch_log_group.T
  Str name;
  Str kept;         // ", kept N days", or "" for no retention
} OldGroup;

static OldGroup *deleted_groups(Arena *a, json_t *state, int *n) {
  json_t *groups = previous_at(state, "resource", "aws_cloudwatch_log_group", NULL);
  OldGroup *old = new(a, OldGroup, (ptrdiff_t)json_object_size(groups) + 1);
  *n = 0;
  const char *key;
  json_t *g;
  json_object_foreach(groups, key, g) {
    Str name = previous_text(previous_member(g, "name"));
    if (!name.len || json_is_true(previous_member(g, "skip_destroy")))
      continue;
    json_t *days = previous_member(g, "retention_in_days");
    old[(*n)++] = (OldGroup){str_cstr(a, str_c(key)), str_dup(a, name),
                             json_integer_value(days) > 0
                                 ? str_fmt(a, ", kept %d days", (int)json_integer_value(days))
                                 : STR("")};
  }
  return old;
}

static void logs_removed(Compilation *c, Arena *a, const Environment *e, const char *dir,
                         const PreviousServices *all) {
  for (int i = 0; i < all->n; i++) {
    if (all->items[i].svc)
      continue;  // this build's service: not removed
    Str removed = all->items[i].name;
    json_t *state = previous_service_state(a, dir, e->name, removed);
    int ngroups;
    OldGroup *groups = deleted_groups(a, state, &ngroups);
    json_decref(state);
    for (int k = 0; k < ngroups; k++) {
      Diag *d = diag_at(c, W1232, e->span, "service \"%.*s\" is removed from environment "
                        "\"%.*s\": destroying its state deletes log group \"%.*s\" and every "
                        "log in it (%.*s/services/%.*s in the previous build%.*s)", S(removed),
                        S(e->name), S(groups[k].name), S(e->name), S(removed),
                        S(groups[k].kept));
      diag_help(c, d, "to keep the logs, export them first (aws logs create-export-task), or "
                "run terraform state rm aws_cloudwatch_log_group.%s in the state's copy before "
                "its destroy: the group then stays, outside Terraform (a service of that name "
                "added again needs terraform import of it)", groups[k].key);
    }
  }
}

// W1232, for an environment removed from the source: its directories go,
// and every state in them is destroyed from the previous commit's copy, its
// service states first (build --changed=json lists them removed, the VPC
// state last: emit_changes.c), so every service's log group goes with its
// logs, as a removed service's does. One warning for the environment, a
// note for each group: its services are removed together, and a platform's
// environment may have a thousand. It points at the project, as E1234 does
// for a removed environment's load balancer: the source has nothing else
// of it.
static void environment_logs_removed(Compilation *c, Arena *a, const Model *m, Str env,
                                     const char *dir) {
  int n, total = 0;
  Str *services = previous_environment_services(a, dir, env, &n);
  OldGroup **groups = new(a, OldGroup *, n + 1);
  int *ngroups = new(a, int, n + 1);
  for (int i = 0; i < n; i++) {
    json_t *state = previous_service_state(a, dir, env, services[i]);
    groups[i] = deleted_groups(a, state, &ngroups[i]);
    total += ngroups[i];
    json_decref(state);
  }
  if (!total)
    return;
  Span at = m->project ? m->project->span : (Span){0};
  Diag *d = diag_at(c, W1232, at, "environment \"%.*s\" is removed from the source: "
                    "destroying its service states deletes %d log group%s and every log in %s "
                    "(%.*s/services in the previous build)", S(env), total, total == 1 ? "" : "s",
                    total == 1 ? "it" : "them", S(env));
  for (int i = 0; i < n; i++)
    for (int k = 0; k < ngroups[i]; k++)
      diag_note(c, d, (Span){0}, "log group \"%.*s\" of service \"%.*s\" (%.*s/services/%.*s"
                "%.*s): aws_cloudwatch_log_group.%s", S(groups[i][k].name), S(services[i]),
                S(env), S(services[i]), S(groups[i][k].kept), groups[i][k].key);
  diag_help(c, d, "to keep the logs, export them first (aws logs create-export-task), or run "
            "terraform state rm of each group's resource (the notes name it) in its service "
            "state's copy before its destroy: the groups then stay, outside Terraform");
}

// W1233: a cluster's instances change processor architecture (an arm64
// type for an x86_64 one, or the other way) while services of the
// previous build ran on them. The VPC state's new AMI parameter makes a new
// launch template version, and the autoscaling group's instance refresh
// (emit_tf_cluster.c: instance_refresh, started by a change of launch_template:
// AWS provider documentation, "Resource: aws_autoscaling_group") replaces
// the instances, which Terraform does not wait for; each service's new
// revision, with the other cpuArchitecture (emit_taskdef.c,
// runtime_platform), comes with its state, after. In between, tasks of
// either revision may be started on instances of either architecture, and
// an image built for one architecture does not run on the other (the
// container fails with "exec format error"). Whether ECS keeps an EC2 task
// off instances of another architecture by its runtimePlatform is not
// documented (the ECS API Reference, RuntimePlatform, says only that ARM64
// "is available for tasks that run on Linux Amazon EC2 instance"): ecsc
// writes no X86_64 for x86 tasks, which would change every x86 service's
// task definition, and so start a deployment of each, for no documented
// effect. One cluster has one architecture (check_spot.c, E0970), so the
// way without a window is multi-arch images; a cluster of the new
// architecture beside the old one has another, shorter (each service that
// moves is replaced, W1161).
static bool was_arm64(json_t *state) {
  json_t *p = previous_at(state, "resource", "aws_ecs_task_definition", "main",
                          "runtime_platform", NULL);
  if (json_is_array(p))
    p = json_array_get(p, 0);
  return str_eq_c(previous_text(previous_member(p, "cpu_architecture")), "ARM64");
}

static const char *arch_of(bool arm64) {
  return arm64 ? "arm64" : "x86_64";
}

// Whether the previous build's state ran its service in cluster k: its
// ECS service reads the cluster's ARN from the VPC state's output
// cluster_T_arn (emit_tf.c, tf_remote). A service moved from another cluster
// is not under k's change (W1161 replaces its ECS service).
static bool ran_in(json_t *state, const Cluster *k) {
  Str out = previous_ref(previous_text(previous_at(state, "resource", "aws_ecs_service", "main",
                                                   "cluster", NULL)),
                         "${data.terraform_remote_state.vpc.outputs.", "}");
  return str_eq(previous_ref(out, "cluster_", "_arn"), k->tf_name);
}

// Judged on the states the build changes (OutOptions.changing_states): a
// service whose tasks change architecture has a new task definition, so its
// state is among them; the others are not read. One environment's check:
// whether each changing state's service ran in its cluster on the other
// architecture, as previous_read_changing hands the states over (main.c,
// states_changing).
typedef struct {
  Arena *a;
  const ChangingStates *cs;
  bool *changed;  // changed[k]: state k's service ran in its cluster on the other one
} ArchStates;

// The states of this build's services in a cluster: on its instances, and
// on Fargate, whose tasks follow the cluster's architecture too (derive.c,
// service_arch).
static bool arch_wants(void *ctx, int k) {
  const Service *s = ((ArchStates *)ctx)->cs->states[k].svc;
  return s && s->cluster;
}

static void arch_take(void *ctx, int k, json_t *state) {
  ArchStates *r = ctx;
  const Service *s = r->cs->states[k].svc;
  if (!arch_wants(ctx, k))
    return;
  bool same = ran_in(state, s->cluster) &&
              str_eq(previous_text(previous_at(state, "resource", "aws_ecs_service", "main",
                                               "name", NULL)), s->family);
  r->changed[k] = same && was_arm64(state) != s->arm64;
}

// The cluster's Fargate services whose next revision changes architecture
// with it (derive.c, service_arch: a Fargate service of an arm64 cluster
// runs on Fargate's ARM64): no race there, as Fargate runs each revision on
// the architecture it asks for (ECS API Reference, RuntimePlatform), but
// their images need the new one too, or the new tasks do not start and the
// circuit breaker rolls the deployment back (review10 B4). Notes on W1233,
// which counts the services the race is about.
static void fargate_notes(Compilation *c, const ArchStates *r, const Cluster *cl, Diag *d) {
  const Environment *e = r->cs->e;
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    int at = r->cs->state_of[i];
    if (at < 0 || s->cluster != cl || !r->changed[at] || model_on_instances(s))
      continue;
    diag_note(c, d, s->span, "service \"%.*s\" runs on Fargate, whose tasks follow the "
              "cluster's architecture: its next revision asks for %s, which its image must "
              "have", S(s->name), arch_of(s->arm64));
  }
}

static void arch_judge(Compilation *c, void *ctx) {
  ArchStates *r = ctx;
  const Environment *e = r->cs->e;
  for (int k = 0; k < e->nclusters; k++) {
    const Cluster *cl = e->clusters[k];
    const Service **moved = NULL;
    int n = 0;
    bool now = false;
    for (int i = 0; i < e->nservices; i++) {
      const Service *s = e->services[i];
      int at = r->cs->state_of[i];
      if (at < 0 || s->cluster != cl || !r->changed[at] || !model_on_instances(s))
        continue;
      if (!moved)
        moved = new(r->a, const Service *, e->nservices);
      moved[n++] = s;
      now = s->arm64;
    }
    if (!n)
      continue;
    Str why;
    Diag *d = diag_at(c, W1233, model_arch_origin(&c->arena, cl, &why), "cluster \"%.*s\" of "
                      "environment \"%.*s\" changes from %s to %s instances under %d service%s "
                      "of the previous build: the instance refresh and the services' new task "
                      "definitions race, and an image of one architecture does not run on the "
                      "other", S(cl->name), S(e->name), arch_of(!now), arch_of(now), n,
                      n == 1 ? "" : "s");
    for (int i = 0; i < n; i++)
      diag_note(c, d, moved[i]->span, "service \"%.*s\" runs %s tasks until its state is "
                "applied", S(moved[i]->name), arch_of(!now));
    fargate_notes(c, r, cl, d);
    diag_help(c, d, "build each image for both architectures (a multi-arch manifest) before "
              "this build: any task then runs on any instance");
    diag_help(c, d, "or give the services a cluster of %s instances beside \"%.*s\" (each is "
              "replaced, W1161: no task in between), build and apply; then remove \"%.*s\"",
              arch_of(now), S(cl->name), S(cl->name));
  }
}

ChangingCheck rebuild_costs_states(Arena *a, const ChangingStates *cs) {
  ArchStates *r = new(a, ArchStates, 1);
  *r = (ArchStates){a, cs, new(a, bool, cs->n + 1)};
  return (ChangingCheck){r, arch_wants, arch_take, arch_judge};
}

// W1234: the tags every resource carries (project, environment,
// managed-by, then the project's and the environment's own: emit_tf.c,
// environment_tags) change. They are the launch templates'
// tag_specifications too, so each launch template gets a new version and
// each autoscaling group an instance refresh: "A refresh is started when
// any of the following Auto Scaling Group properties change:
// launch_configuration, launch_template, mixed_instances_policy" (AWS
// provider documentation, "Resource: aws_autoscaling_group",
// instance_refresh). Every container instance of the environment is
// replaced, its tasks drained and started elsewhere. The previous build's
// default_tags say what the tags were.
//
// No other way writes the new tags on what the groups launch without a
// new version. The provider's default_tags reach neither the instances
// nor the volumes an autoscaling group launches (hashicorp/terraform-
// provider-aws#19387: "default_tags are only propagated with the
// root-level tags", not into tag_specifications). The group's tag blocks
// (propagate_at_launch, emit_tf_cluster.c, asg_tags) do reach its instances, but
// "Tags are not propagated to Amazon EBS volumes. To add tags to Amazon
// EBS volumes, specify the tags in a launch template" (Amazon EC2 Auto
// Scaling User Guide, "Tag Auto Scaling groups and instances"), so the
// volumes' tags are the template's whatever the instances' are; and a
// group's tag is "added to new instances as they are launched in the
// group" (Amazon EC2 Auto Scaling API Reference, Tag, PropagateAtLaunch):
// "instances that are already running will not get the new or updated
// tag" (its CreateOrUpdateTags in earlier editions, as the SDKs' docs
// copy it: amazonka-autoscaling, Paws).
// So without the new version the volumes could not carry the tags at all,
// and without the refresh the running instances would keep the old ones.
// A Name among the project's or the environment's tags is the exception:
// the templates and the groups carry ecsc's Name, the group's, in its place
// (environment_tags), so a change of that Name alone changes neither, and
// replaces nothing.
// A launch template of the previous build that this one keeps (emit_tf_cluster.c,
// tf_cluster: one per cluster with instances and per group, under its
// Terraform name): its group's instances are the ones a new version
// replaces. A template new in this build has none yet.
static bool keeps_template(Arena *a, const Environment *e, json_t *vpc) {
  json_t *was = previous_at(vpc, "resource", "aws_launch_template", NULL);
  for (int i = 0; i < e->nclusters && json_is_object(was); i++) {
    int n;
    const Cluster **sets = model_instance_sets(a, e->clusters[i], &n);
    for (int k = 0; k < n; k++)
      if (json_object_getn(was, sets[k]->tf_name.ptr, (size_t)sets[k]->tf_name.len))
        return true;
  }
  return false;
}

// Where the value of tag key is written (the project's tags or the
// environment's, merged in e->tags); {0} for ecsc's own, or a removed one.
static Span tag_written_at(const Environment *e, const char *key) {
  for (int i = 0; i < e->ntags; i++)
    if (str_eq_c(e->tags[i].name, key))
      return e->tags[i].at;
  return (Span){0};
}

static void tags_changed(Compilation *c, Arena *a, const Model *m, const Environment *e,
                         json_t *vpc) {
  json_t *was = previous_at(vpc, "provider", "aws", "default_tags", "tags", NULL);
  if (!json_is_object(was) || !keeps_template(a, e, vpc))
    return;
  json_t *now = emit_tf_default_tags(a, m, e);
  was = json_deep_copy(was);
  json_object_del(was, "Name");  // not the templates' (above)
  json_object_del(now, "Name");
  if (!json_equal(was, now)) {
    Buf keys = {.arena = a};
    Span at = {0};  // the first changed tag's value, where the source writes it
    const char *key;
    json_t *v;
    json_object_foreach(now, key, v) {
      if (json_equal(v, json_object_get(was, key)))
        continue;
      buf_printf(&keys, "%s%s", keys.len ? ", " : "", key);
      if (!at.src)
        at = tag_written_at(e, key);
    }
    json_object_foreach(was, key, v) {
      if (!json_object_get(now, key))
        buf_printf(&keys, "%s%s", keys.len ? ", " : "", key);
    }
    Diag *d = diag_at(c, W1234, span_or(at, e->span), "the tags of environment \"%.*s\" "
                      "change (%.*s): they are its launch templates' too, so applying %.*s/vpc "
                      "replaces every container instance of its clusters (an instance refresh)",
                      S(e->name),
                      S(buf_str(&keys)), S(e->name));
    diag_help(c, d, "apply it when the instances may be replaced: each is drained, its tasks "
              "started elsewhere, before it is terminated");
  }
  json_decref(was);
  json_decref(now);
}

void rebuild_costs_env(Compilation *c, Arena *a, const Model *m, const Environment *e,
                       const char *dir, json_t *vpc, const PreviousServices *all) {
  if (!vpc)  // no previous build of the environment: nothing to compare
    return;
  logs_removed(c, a, e, dir, all);
  tags_changed(c, a, m, e, vpc);
}

void rebuild_costs_gone_env(Compilation *c, Arena *a, const Model *m, Str name,
                            const char *dir) {
  environment_logs_removed(c, a, m, name, dir);
}
