// rebuild_update.c: what this build changes in a service's state that the
// apply cannot carry out as written (E1190, E1180, W1190-W1192,
// W1170, W1171, W1211, W1212), or carries out by replacing the ECS service
// (W1161), judged against the previous build's state of the same service in DIR
// (previous.c reads it). output.c asks, through OutOptions.changing, for
// each service state the build changes, before anything is written. What
// the build deletes that services of the previous build still use is
// rebuild_retire.c's. Writes nothing.
#include "rebuild.h"

#include <stdlib.h>
#include <string.h>

// A service state of the previous build that this build changes in a way
// the apply cannot carry out, or carries out with harm. Each is judged from
// what the previous build in DIR wrote for the same ECS service (its state
// ENV/services/NAME/main.tf.json names it, aws_ecs_service.main.name): a new
// service, or one renamed, has nothing to compare with.
//

// The previous build's state of service s and the ECS service it made, or
// NULL when there is none. *same says whether that ECS service is this
// one's (the same family); another is replaced (service_replaced), and the
// comparisons of what it had apply to neither.
static json_t *previous_service(Arena *a, const char *dir, const Service *s, json_t **service,
                                bool *same) {
  json_t *state = previous_service_state(a, dir, s->env->name, s->name);
  *service = previous_at(state, "resource", "aws_ecs_service", "main", NULL);
  *same = *service && str_eq(previous_text(previous_member(*service, "name")), s->family);
  if (*service)
    return state;
  json_decref(state);
  return NULL;
}

// W1190: the service's EBS volume (volume "NAME" { ebs { } }) removed. The
// AWS provider sends no volumeConfigurations when the block goes:
// resourceServiceUpdate passes the emptied volume_configuration to
// expandServiceVolumeConfigurations, which returns nil for an empty list,
// and ECS keeps a configuration it is not sent, so the new revision, which
// has no volume configured at launch, is refused: "InvalidParameterException:
// Volume configuration provided but no matching configuredAtLaunch volume
// found in task definition" (hashicorp/terraform-provider-aws pull request
// 49185, open, which quotes AWS's way: an empty volumeConfigurations with a
// task definition whose volume is not configuredAtLaunch, ECS Developer
// Guide, "Specify Amazon EBS volume configuration at Amazon ECS
// deployment"; an empty array "clears all volume configurations",
// aws-actions/amazon-ecs-deploy-task-definition pull request 863). No
// source of this build can send it, and the previous build in DIR keeps
// the volume until a build without it is written: a warning, with the
// steps around the apply, not a refusal that would never lift. UpdateService
// takes a family alone for its latest ACTIVE revision (ECS API Reference,
// UpdateService, taskDefinition). The wait lets the old tasks, and their
// volumes, go before the apply deletes the infrastructure role's policy:
// deleting it "before stopping tasks with attached Amazon EBS volumes will
// result in the tasks getting stuck in DEPROVISIONING" (ECS Developer
// Guide, "Amazon ECS infrastructure IAM role").
static void ebs_removed(Compilation *c, const Service *s, json_t *service) {
  json_t *old = previous_member(service, "volume_configuration");
  if (!old || s->ebs || !s->cluster)
    return;
  Str name = previous_text(previous_member(old, "name"));
  Diag *d = diag_at(c, W1190, s->span, "service \"%.*s\" in environment \"%.*s\" no longer "
                    "has its EBS volume \"%.*s\", but its state's apply would fail: the AWS "
                    "provider does not tell ECS to drop the volume, and ECS refuses the new task "
                    "definition", S(s->name), S(s->env->name), S(name));
  diag_help(c, d, "in %.*s/services/%.*s, apply the task definition alone (terraform apply "
            "-target=aws_ecs_task_definition.main); then aws ecs update-service --cluster %.*s "
            "--service %.*s --task-definition %.*s --volume-configurations '[]', and aws ecs "
            "wait services-stable --cluster %.*s --services %.*s; then apply the state",
            S(s->env->name), S(s->name), S(s->cluster->aws_name), S(s->family), S(s->family),
            S(s->cluster->aws_name), S(s->family));
}

// W1191: deployment alarms removed. The provider's alarms block ignores its
// own removal (internal/service/ecs/service.go, "alarms": DiffSuppressFunc
// verify.SuppressMissingOptionalConfigurationBlock, old "1" and new "0"), so
// the plan shows nothing and ECS goes on watching the alarms (the same
// finding: aws/copilot-cli pull request 4565; aws/aws-cdk pull request
// 25840, which CDK later withdrew, 30215). Writing the block disabled is no
// way out: alarms { alarm_names = [], enable = false } reaches ECS without
// AlarmNames (expandAlarms sets them only from a non-empty set) and the
// AWS SDK for Go refuses the request before sending it (aws-sdk-go-v2,
// service/ecs/validators.go, validateDeploymentAlarms: AlarmNames is
// required, as DeploymentAlarms has it in the ECS API Reference); and the
// names of the previous build's alarms would make the bytes written depend
// on DIR. So a warning, with the call that turns them off: the provider
// sends DeploymentConfiguration with alarms alone when only they change
// (resourceServiceUpdate), and so does this.
static void alarms_removed(Compilation *c, const Service *s, json_t *service) {
  json_t *old = previous_member(service, "alarms");
  size_t n = json_array_size(previous_member(old, "alarm_names"));
  if (!n || !json_is_true(previous_member(old, "enable")) || s->nalarms || !s->cluster)
    return;
  Diag *d = diag_at(c, W1191, s->span, "service \"%.*s\" in environment \"%.*s\" no longer "
                    "lists deployment alarms, but ECS would go on watching the %zu of the "
                    "previous build: the AWS provider ignores a removed alarms block", S(s->name),
                    S(s->env->name), n);
  diag_help(c, d, "turn them off once: aws ecs update-service --cluster %.*s --service %.*s "
            "--deployment-configuration '{\"alarms\":{\"alarmNames\":[],\"enable\":false,"
            "\"rollback\":false}}'", S(s->cluster->aws_name), S(s->family));
}

// W1211: the service's capacity provider strategy changed. ECS makes the
// change only with a new deployment (UpdateService's InvalidParameterException:
// "When switching from launch type to capacity provider strategy on an
// existing service, or making a change to a capacity provider strategy on a
// service that is already using one, you must force a new deployment", as
// the AWS CloudFormation User Guide, AWS::ECS::Service,
// CapacityProviderStrategy, quotes it), and the AWS provider's plan stops
// without one:
// capacityProviderStrategyCustomizeDiff (hashicorp/terraform-provider-aws,
// internal/service/ecs/service.go, since pull request 43533, before 6.25):
// "if d.Id() != "" && d.HasChange(capacity_provider_strategy) { if
// !force_new_deployment { return fmt.Errorf("force_new_deployment should be
// true when capacity_provider_strategy is being updated") } }". The state
// writes force_new_deployment = var.force_new_deployment, false by default
// (emit_tf_service.c, ecs_service), so its plan fails until the apply passes the
// variable. The strategy is a set in the provider's schema: compared as
// one, each item as the state writes it (emit_tf_service.c, ecs_service and
// strategy_items): FARGATE, FARGATE_SPOT or the VPC state's output
// capacity_provider_T (T a cluster's or a group's Terraform name), base
// (0 when not written, the provider's default) and weight. A provider
// renamed under the same output is not seen: the state's text is the same.
// A service moved to another cluster, which the apply replaces (W1161),
// is no exception: the SDK runs CustomizeDiff on the prior state before
// it recomputes a replacement's diff (hashicorp/terraform-plugin-sdk,
// helper/schema/schema.go, schemaMap.Diff), so the plan stops there too.
static Str strategy_item(Arena *a, Str provider, long long base, long long weight) {
  if (base)
    return str_fmt(a, "%.*s weight %lld base %lld", S(provider), weight, base);
  return str_fmt(a, "%.*s weight %lld", S(provider), weight);
}

static Str provider_output(Arena *a, const Cluster *k) {
  return str_fmt(a, "capacity_provider_%.*s", S(k->tf_name));
}

// The strategy's items, sorted, joined by " + ".
static Str strategy_text(Arena *a, Str *items, int n) {
  qsort(items, (size_t)n, sizeof *items, str_cmp_qsort);
  Buf b = {.arena = a};
  for (int i = 0; i < n; i++) {
    if (i)
      buf_puts(&b, " + ");
    buf_put(&b, items[i]);
  }
  return buf_str(&b);
}

static Str previous_strategy(Arena *a, json_t *service) {
  json_t *items = previous_member(service, "capacity_provider_strategy");
  int n = (int)json_array_size(items);
  Str *keys = new(a, Str, n + 1);
  for (int i = 0; i < n; i++) {
    json_t *it = json_array_get(items, (size_t)i);
    Str provider = previous_text(previous_member(it, "capacity_provider"));
    Str out = previous_ref(provider, "${data.terraform_remote_state.vpc.outputs.", "}");
    json_t *base = previous_member(it, "base");
    keys[i] = strategy_item(a, out.len ? out : provider,
                            json_is_integer(base) ? (long long)json_integer_value(base) : 0,
                            (long long)json_integer_value(previous_member(it, "weight")));
  }
  return strategy_text(a, keys, n);
}

static Str current_strategy(Arena *a, const Service *s) {
  static const char *const fargate[] = {[RUN_FARGATE] = "FARGATE",
                                        [RUN_FARGATE_SPOT] = "FARGATE_SPOT"};
  if (!s->strategy.n) {
    Str one = s->runs_on == RUN_EC2 ? provider_output(a, s->cluster) : str_c(fargate[s->runs_on]);
    return strategy_item(a, one, 0, 1);
  }
  Str *keys = new(a, Str, s->strategy.n);
  for (int i = 0; i < s->strategy.n; i++) {
    const StrategyItem *it = &s->strategy.items[i];
    Str provider = it->provider == PROVIDER_FARGATE        ? STR("FARGATE")
                   : it->provider == PROVIDER_FARGATE_SPOT ? STR("FARGATE_SPOT")
                   : it->provider == PROVIDER_GROUP        ? provider_output(a, it->group)
                                                           : provider_output(a, s->cluster);
    keys[i] = strategy_item(a, provider, it->base, it->weight);
  }
  return strategy_text(a, keys, s->strategy.n);
}

static bool strategy_changed(Compilation *c, Arena *a, const Service *s, json_t *service) {
  if (!s->cluster || !previous_member(service, "capacity_provider_strategy"))
    return false;  // not a state ecsc wrote with a strategy
  Str was = previous_strategy(a, service), now = current_strategy(a, s);
  if (str_eq(was, now))
    return false;
  Span at = s->strategy.n ? s->strategy.items[0].span : s->at.capacity;
  Diag *d = diag_at(c, W1211, span_or(at, s->span), "service \"%.*s\" in environment \"%.*s\" "
                    "changes its capacity provider strategy (was %.*s, now %.*s): the AWS "
                    "provider plans the change only with force_new_deployment true",
                    S(s->name), S(s->env->name), S(was), S(now));
  diag_help(c, d, "apply %.*s/services/%.*s with -var force_new_deployment=true (a plan "
            "without it stops: \"force_new_deployment should be true when "
            "capacity_provider_strategy is being updated\"); ECS replaces every task",
            S(s->env->name), S(s->name));
  return true;
}

// W1212: a scaling bound the schedules set (scaling { min, max }), changed.
// The bound is under ignore_changes (emit_tf_service.c, scheduled_bounds: a plan
// inside a schedule's window would otherwise undo the schedule), and
// Terraform plans an ignored argument on create only ("The arguments
// corresponding to the given attribute names are considered when planning a
// create operation, but are ignored when planning an update", Terraform
// language documentation, lifecycle meta-argument): the apply leaves the
// target's bound as the last scheduled action set it ("sets MinCapacity and
// MaxCapacity to what is specified by the scheduled action", Application
// Auto Scaling User Guide, "How scheduled scaling for Application Auto
// Scaling works"), and the edit reaches AWS only through a schedule that
// sets the new value. The grammar reference says to change both together;
// this says so when only the scaling's was. Silent when a schedule sets the
// new value: every apply updates the schedules, and it takes effect at that
// schedule's next run.
static void scheduled_bound_changed(Compilation *c, Arena *a, const Service *s, json_t *state,
                                    bool max) {
  const Scaling *sc = s->scaling;
  json_t *target = previous_at(state, "resource", "aws_appautoscaling_target", "main",
                               max ? "max_capacity" : "min_capacity", NULL);
  int now = max ? sc->max : sc->min;
  if (!json_is_integer(target) || json_integer_value(target) == now)
    return;
  Buf who = {.arena = a};
  const Schedule *restores = NULL;
  int n = 0;
  for (int i = 0; i < sc->nschedules; i++) {
    const Schedule *h = &sc->schedules[i];
    int sets = max ? h->max : h->min;
    if (sets < 0)
      continue;
    if (sets == now)
      return;  // that schedule brings the new bound
    if (sets == json_integer_value(target) && !restores)
      restores = h;
    buf_printf(&who, "%sschedule \"%.*s\" sets %d", n++ ? ", " : "", S(h->name), sets);
  }
  if (!n)
    return;  // no schedule sets it: Terraform's, and the apply sets it
  const char *bound = max ? "max" : "min";
  Diag *d = diag_at(c, W1212, span_or(max ? sc->at.max : sc->at.min, sc->span), "service \"%.*s\" "
                    "in environment \"%.*s\" changes scaling %s from %lld to %d, which no apply "
                    "sets: the schedules own the bound (ignore_changes), and %.*s", S(s->name),
                    S(s->env->name), bound, (long long)json_integer_value(target), now,
                    S(buf_str(&who)));
  if (restores)
    diag_help(c, d, "give schedule \"%.*s\" %s = %d too: the apply updates the schedule, and "
              "the new bound takes effect at its next run", S(restores->name), bound, now);
  else
    diag_help(c, d, "give the schedule that restores the scaling's bounds %s = %d too: the "
              "apply updates the schedule, and the new bound takes effect at its next run",
              bound, now);
}

// The app protocol of the port mapping named port in the previous build's
// task definition (emit_taskdef.c), {0} for none; *found says whether the
// mapping is there at all.
static Str previous_app_protocol(Arena *a, const char *dir, const Service *s, Str port,
                                 bool *found) {
  json_t *td = previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/task-definition.json",
                                              S(s->env->name), S(s->name)));
  Str protocol = {0};
  *found = false;
  size_t i, j;
  json_t *container, *mapping;
  json_array_foreach(previous_member(td, "containerDefinitions"), i, container) {
    json_array_foreach(previous_member(container, "portMappings"), j, mapping) {
      if (!str_eq(previous_text(previous_member(mapping, "name")), port))
        continue;
      *found = true;
      protocol = str_dup(a, previous_text(previous_member(mapping, "appProtocol")));
    }
  }
  json_decref(td);
  return protocol;
}

static Str quoted_or_none(Arena *a, Str s) {
  return s.len ? str_fmt(a, "\"%.*s\"", S(s)) : STR("none");
}

// E1190: the app protocol of an endpoint the service already serves under
// the same discovery name, changed, added or removed. ECS refuses it on
// UpdateService: "The following config cannot be changed for a SC service.
// Previous config: ScServiceStableConfig(applicationProtocol=null,
// transportProtocol=tcp, ecsServiceArn=...)" (aws/containers-roadmap issue
// 2378, open: "this field is not editable after creation of the service").
// What is certain is that keeping the protocol works; nothing AWS has
// published says whether a new discovery name would, so the help says only
// the first. A new ECS service (a new family) is not compared.
static void app_protocol_changed(Compilation *c, Arena *a, const char *dir, const Service *s,
                                 json_t *service) {
  const Connect *cn = s->connect;
  json_t *connect = previous_member(service, "service_connect_configuration");
  json_t *old = json_array_get(previous_member(connect, "service"), 0);
  if (!cn || !cn->port_name.len || !old ||
      !str_eq(previous_text(previous_member(old, "discovery_name")), cn->discovery_name))
    return;
  bool found;
  Str port = previous_text(previous_member(old, "port_name"));
  Str was = previous_app_protocol(a, dir, s, port, &found);
  if (!found || str_eq(was, cn->app_protocol))
    return;
  Diag *d = diag_at(c, E1190, span_or(cn->at.app_protocol, cn->span), "the app protocol of "
                    "service \"%.*s\"'s Service Connect endpoint \"%.*s\" would change from "
                    "%.*s to %.*s: ECS refuses to change it on an existing service", S(s->name),
                    S(cn->discovery_name), S(quoted_or_none(a, was)),
                    S(quoted_or_none(a, cn->app_protocol)));
  if (was.len)
    diag_help(c, d, "keep app_protocol = \"%.*s\"", S(was));
  else
    diag_help(c, d, "remove app_protocol: the endpoint was made without one");
}

// The previous state's rule that forwards to the service's targets: https
// with a certificate, else http (emit_tf_service.c, listener_rules); main in the
// states of builds that had one rule, on the one listener they exported.
static json_t *previous_forwarding_rule(json_t *state) {
  json_t *rules = previous_at(state, "resource", "aws_lb_listener_rule", NULL);
  json_t *rule = previous_member(rules, "https");
  if (!rule)
    rule = previous_member(rules, "http");
  return rule ? rule : previous_member(rules, "main");
}

// Whether the previous state's listener rule left its action to ECS: a
// traffic-shifting deployment's (emit_tf_service.c, listener_rules).
static bool rule_shifted(json_t *state) {
  json_t *rule = previous_forwarding_rule(state);
  json_t *ignored = previous_at(rule, "lifecycle", "ignore_changes", NULL);
  size_t i;
  json_t *v;
  json_array_foreach(ignored, i, v) {
    if (str_eq_c(previous_text(v), "action"))
      return true;
  }
  return false;
}

// W1192: the route's target group replaced. Its name hashes its port and
// target type (derive.c, target_group_name), both ForceNew in the AWS
// provider, so a new container port or network mode makes a new group
// (create_before_destroy, emit_tf_service.c). Terraform then updates what reads its
// ARN in dependency order: the listener rule, then the service
// (service_depends_on), so the rule forwards to the new group before ECS
// has registered a task in it. An Application Load Balancer answers 503
// for a target group without registered targets (ELB User Guide,
// "Troubleshoot your Application Load Balancers"), and a registered target
// gets requests once it passes the health check, healthy_threshold checks
// at interval (ELB User Guide, "Health checks for Application Load Balancer
// target groups"): the route is down from the rule's update until the first
// new task starts and passes them. No order of this state's apply avoids
// it; a warning says so before, not a change of the naming, which would
// replace every existing group once.
static void target_group_replaced(Compilation *c, Arena *a, const Service *s, json_t *state) {
  json_t *old = previous_at(state, "resource", "aws_lb_target_group", "main", NULL);
  const Route *r = s->route;
  if (!old || !r || str_eq(previous_text(previous_member(old, "name")), r->target_group) ||
      !json_is_integer(previous_member(old, "port")) ||
      !previous_text(previous_member(old, "target_type")).len)
    return;  // the same group, or not one ecsc wrote
  if (r->alternate_group.len && rule_shifted(state))
    return;  // the rule stays on the old groups: E1180's (shifted_groups_replaced)
  json_int_t port = json_integer_value(previous_member(old, "port"));
  Str type = previous_text(previous_member(old, "target_type"));
  Str new_type = str_c(s->network == NET_AWSVPC ? "ip" : "instance");
  Str what;
  if (port != r->port && !str_eq(type, new_type))
    what = str_fmt(a, "port %lld becomes %d, target type \"%.*s\" becomes \"%.*s\"",
                   (long long)port, r->port, S(type), S(new_type));
  else if (port != r->port)
    what = str_fmt(a, "port %lld becomes %d", (long long)port, r->port);
  else if (!str_eq(type, new_type))
    what = str_fmt(a, "target type \"%.*s\" becomes \"%.*s\"", S(type), S(new_type));
  else
    return;  // replaced for another reason (a new prefix or VPC): not this warning's
  int64_t seen = r->health.healthy * (r->health.interval_ms / 1000);
  Diag *d = diag_at(c, W1192, span_or(s->at.port, span_or(r->at.block, s->span)), "the target "
                    "group of service \"%.*s\" in environment \"%.*s\" is replaced (%.*s): its "
                    "listener rule forwards to the new, empty group before ECS registers a task "
                    "in it, and the route answers 503 until one is healthy", S(s->name),
                    S(s->env->name), S(what));
  diag_note(c, d, span_or(r->at.health_check, span_or(r->at.block, s->span)), "a new task is "
            "healthy after %d checks %lld s apart: at least %lld s after it starts",
            r->health.healthy, (long long)(r->health.interval_ms / 1000), (long long)seen);
  diag_help(c, d, "apply %.*s/services/%.*s when the route may be down that long", S(s->env->name),
            S(s->name));
}

// W1161: the service's aws_ecs_service replaced. Of the arguments ecsc
// writes, name and cluster are the ones that force a new resource in the
// AWS provider (internal/service/ecs/service.go, resourceService, as 6.33
// and later have it: "name" and "cluster" ForceNew; "launch_type",
// "iam_role" and "scheduling_strategy" too, which ecsc never writes). The
// rest is updated in place: a capacity provider strategy since pull
// request 43533 (merged July 2025, before 6.25:
// capacityProviderStrategyCustomizeDiff asks for force_new_deployment
// instead of forcing a new service), the load balancer, Service Connect
// and network configuration by UpdateService
// (resourceServiceUpdate). The name is the family, PREFIX-SERVICE
// (derive.c): a new service name is a new state, and a new prefix renames
// every cluster of the environment too, which the VPC state cannot delete
// while the services run in them (E1162). What remains is the cluster: a
// service moved to another cluster of the environment.
//
// Terraform replaces a resource without create_before_destroy by destroying
// it first. ecsc writes none on the service, as making the new one first
// would not work: within a cluster, "If you attempt to create a new service
// with the same name as an existing service in either ACTIVE or DRAINING
// status, you receive an error" (ECS API Reference, DeleteService), and in
// another, ECS takes no second service of a Service Connect discovery name,
// "SC service is already used by" (aws/copilot-cli issues 4313, 4337 and
// 5431, where AWS's maintainers trace it to a replacement made before the
// old service is gone). The provider's resourceServiceDelete sets the
// desired count to 0, deletes the service and waits for it to be INACTIVE
// (waitServiceInactive) before the create starts: the service has no task
// from the deletion until the new service's first task runs, and behind the
// load balancer the route answers 503 (a target group without healthy
// targets, ELB User Guide, "Troubleshoot your Application Load Balancers")
// until it is healthy. No order of the state's apply avoids it: a warning
// says so before.

// The AWS name of the cluster the previous build's service ran in, {0} when
// it is this build's or not known: the state reads the cluster's ARN from
// the VPC state's output cluster_T_arn (emit_tf.c, tf_remote), which the
// previous VPC state makes of aws_ecs_cluster.T. The VPC state is read
// only when T changed.
static Str previous_cluster(Arena *a, const char *dir, const Service *s, json_t *service) {
  Str out = previous_ref(previous_text(previous_member(service, "cluster")),
                       "${data.terraform_remote_state.vpc.outputs.", "}");
  Str tf = previous_ref(out, "cluster_", "_arn");
  if (!tf.len || str_eq(tf, s->cluster->tf_name))
    return (Str){0};
  json_t *vpc = previous_vpc_state(a, dir, s->env->name);
  json_t *value = previous_at(vpc, "output", str_cstr(a, out), "value", NULL);
  Str k = previous_ref(previous_text(value), "${aws_ecs_cluster.", ".arn}");
  json_t *cluster = k.len ? previous_at(vpc, "resource", "aws_ecs_cluster", str_cstr(a, k), NULL)
                          : NULL;
  Str name = str_dup(a, previous_text(previous_member(cluster, "name")));
  json_decref(vpc);
  return str_eq(name, s->cluster->aws_name) ? (Str){0} : name;
}

static void service_replaced(Compilation *c, Arena *a, const char *dir, const Service *s,
                             json_t *service) {
  if (!s->cluster)
    return;
  Str old_cluster = previous_cluster(a, dir, s, service);
  if (!old_cluster.len)
    return;
  Diag *d = diag_at(c, W1161, s->span, "service \"%.*s\"'s ECS service is replaced (its "
                    "cluster \"%.*s\" becomes \"%.*s\"): Terraform deletes it before it makes "
                    "the new one, and the service has no task in between", S(s->name),
                    S(old_cluster), S(s->cluster->aws_name));
  if (s->route) {
    const Route *r = s->route;
    diag_note(c, d, span_or(r->at.block, s->span), "its route answers 503 from the deletion "
              "until a new task is healthy: %d checks %lld s apart after it starts",
              r->health.healthy, (long long)(r->health.interval_ms / 1000));
  }
  if (model_connect_serves(s))
    diag_note(c, d, span_or(s->connect->at.discovery_name, s->connect->span), "its Service "
              "Connect endpoint \"%.*s\" has no task either: the new service takes the "
              "discovery name once the old one is gone", S(s->connect->discovery_name));
  const Cluster *k = NULL;
  for (int i = 0; i < s->env->nclusters; i++)
    if (str_eq(s->env->clusters[i]->aws_name, old_cluster))
      k = s->env->clusters[i];
  if (k)
    diag_help(c, d, "keep cluster = cluster.%.*s, or apply %.*s/services/%.*s when the service "
              "may be down that long", S(k->name), S(s->env->name), S(s->name));
  else
    diag_help(c, d, "apply %.*s/services/%.*s when the service may be down that long",
              S(s->env->name), S(s->name));
}

// Called by output.c for each file of a state directory this build
// changes, before anything is written (OutOptions.changing): a service state
// left as it is changes nothing on AWS, and reading every previous state took
// a rebuild at 10 x 1000 services longer than the rest of it. Diagnostics
// live in the compilation's arena, the previous state's bytes in a scratch.
// W1170: a routed service's rolling deployment becomes blue-green, canary
// or linear. Its listener rule exists, and this build makes the rule's
// action the weighted forward over the two groups and, in the same build,
// puts it under ignore_changes (emit_tf_service.c, listener_rules). Terraform plans
// an ignored argument on create only: "The arguments corresponding to the
// given attribute names are considered when planning a create operation,
// but are ignored when planning an update" (Terraform language
// documentation, lifecycle meta-argument, ignore_changes). So the apply,
// and every apply after it, leaves the rule forwarding to the first group
// alone, and ECS's deployment fails on it: "both target groups (production
// and test) must be associated with production listener rules ... the
// service deployment will fail with the following error: Service deployment
// rolled back because of invalid networking configuration. Both targetGroup
// and alternateTargetGroup must be associated with the productionListenerRule
// or testListenerRule" (ECS Developer Guide, "Migrating from a CodeDeploy
// blue/green to an Amazon ECS blue/green service deployment", Prerequisites;
// a page on another way to the same service configuration: that ECS checks
// this switch the same way is not written there).
//
// The way through keeps the route up: before the state's apply, a targeted
// apply of the rule with its ignore_changes overridden, which makes the
// second group (Terraform applies a target's dependencies with it) and
// changes the action in place (ModifyRule: listener_arn is the rule's one
// ForceNew argument, hashicorp/terraform-provider-aws internal/service/
// elbv2/listener_rule.go). An override file merges a resource's lifecycle
// argument by argument (Terraform language documentation, "Override Files",
// "Merging resource and data blocks"), but an empty ignore_changes overrides
// nothing (hashicorp/terraform internal/configs/module_merge.go,
// Resource.merge: len(or.Managed.IgnoreChanges) != 0), hence ["tags"],
// which the state's own apply sets next (Terraform 1.11.4 does all three,
// tried on terraform_data: the plain plan, the empty override and this
// one). Not a replace, although -replace plans the new rule from the
// configuration without ignored values (internal/terraform/
// node_resource_abstract_instance.go, plan): rule https
// is create_before_destroy, and its new rule at the same priority on the
// same listener is refused ("A listener can't have multiple rules with the
// same priority", ELB API Reference, CreateRule: PriorityInUse); rule http
// is deleted first, and its requests go to a lower rule or the default
// action until the new one exists.
//
// The state's apply then sends the advanced_configuration and the strategy
// in one UpdateService (the provider's resourceServiceUpdate puts every
// changed argument in one request), where AWS's procedure gives the service
// the advancedConfiguration in a rolling deployment first ("Update the
// deployment strategy from Amazon ECS rolling update to blue/green",
// Prerequisites: "If your service uses Elastic Load Balancing, update the
// service with the new advancedConfiguration and start a rolling
// deployment"; "Wait for all current deployments to complete"). AWS says
// neither that ECS refuses the one request nor that it takes it: a second
// help, for the case it fails. A warning, not an error: the steps apply
// the output this build writes. A service that had advanced_configuration
// already (a traffic-shifting strategy changed for another), or that is
// new, is not compared: a new rule is made with its action.
static void shifting_adopted(Compilation *c, const Service *s, json_t *service) {
  if (!s->route || !s->route->alternate_group.len || !s->cluster)
    return;
  json_t *lb = json_array_get(previous_member(service, "load_balancer"), 0);
  Str was = previous_text(previous_at(service, "deployment_configuration", "strategy", NULL));
  if (!lb || previous_member(lb, "advanced_configuration") ||
      (was.len && !str_eq_c(was, "ROLLING")))
    return;
  const char *to = model_strategy_names[s->deploy_strategy];
  const char *rule = s->env->alb && s->env->alb->certificate_arn.len ? "https" : "http";
  Diag *d = diag_at(c, W1170, span_or(s->strategy_at, s->span), "service \"%.*s\" in "
                    "environment \"%.*s\" becomes %s on its existing listener rule, whose action "
                    "this build leaves to ECS (ignore_changes): a plain apply does not make the "
                    "rule forward to the second target group, and ECS's deployment fails",
                    S(s->name), S(s->env->name), to);
  diag_help(c, d, "before applying %.*s/services/%.*s, write override.tf.json there holding "
            "{\"resource\":{\"aws_lb_listener_rule\":{\"%s\":{\"lifecycle\":"
            "{\"ignore_changes\":[\"tags\"]}}}}}, run terraform apply "
            "-target=aws_lb_listener_rule.%s (it makes the second group and turns the rule "
            "into the weighted forward, in place), delete override.tf.json, then apply the state",
            S(s->env->name), S(s->name), rule, rule);
  diag_help(c, d, "if that apply fails on the service, give it the advancedConfiguration with a "
            "rolling deployment (aws ecs update-service --cluster %.*s --service %.*s "
            "--load-balancers ...), wait for it (aws ecs wait services-stable), then apply the "
            "state again", S(s->cluster->aws_name), S(s->family));
}

// E1180: the target groups replaced (a new port or target type renames
// them, W1192) while the deployment shifts traffic, before and after. The
// rule's action is ECS's (ignore_changes), so the apply leaves it
// forwarding to the old groups, and their destroy fails: "You can delete a
// target group if it is not referenced by any actions" (ELB API Reference,
// DeleteTargetGroup; ResourceInUse). A rolling deployment's rule is
// Terraform's again, which moves it to the new group in the same apply.
// The build that sets the strategy back leaves the rule's new action to
// ECS before it reaches AWS: W1170, whose steps its help points to.
static void shifted_groups_replaced(Compilation *c, const Service *s, json_t *state) {
  json_t *old = previous_at(state, "resource", "aws_lb_target_group", "main", NULL);
  if (!old || !s->route || !s->route->alternate_group.len || !rule_shifted(state) ||
      str_eq(previous_text(previous_member(old, "name")), s->route->target_group))
    return;
  Diag *d = diag_at(c, E1180, span_or(s->at.port, span_or(s->route->at.block, s->span)),
                    "service \"%.*s\"'s target groups would be replaced while its listener rule's "
                    "action is left to ECS: the rule keeps forwarding to the old groups, and "
                    "ELB refuses to delete them", S(s->name));
  if (s->strategy_at.src)
    diag_note(c, d, s->strategy_at, "the strategy is set here");
  diag_help(c, d, "make this change with strategy = \"rolling\" and apply it; then set the "
                  "strategy back in the next build, and apply that one by W1170's steps");
}

// How to find which of the previous state's two groups ECS left the
// production traffic on, and to move it back to the first (W1171).
static void traffic_back_help(Compilation *c, Diag *d, const Service *s, json_t *state) {
  json_t *alt = previous_at(state, "resource", "aws_lb_target_group", "alternate", NULL);
  Str name = previous_text(previous_member(alt, "name"));
  diag_help(c, d, "before the apply, see which group has the tasks (aws elbv2 "
            "describe-target-health on %.*s); if it is that one, deploy once more (aws ecs "
            "update-service --cluster %.*s --service %.*s --force-new-deployment) and wait "
            "for it (aws ecs wait services-stable): ECS moves the traffic back",
            S(name.len ? name : STR("the second target group")), S(s->cluster->aws_name),
            S(s->family));
}

// W1171: a routed service's blue-green, canary or linear deployment becomes
// rolling. The apply moves the rule's action back to the service's first
// group, and only then updates the service (it depends on the rule), and
// deletes the second group. After an odd number of deployments the
// production traffic is on the second group: ECS registers each
// deployment's tasks in the group without traffic and leaves the rule
// forwarding to it (go-to-k/cdk-real-drift issue 1730, "observed live:
// green=100/blue=0 after the initial deployment"), and on the way to
// rolling ECS finds the revision serving the traffic and keeps the load
// balancer configuration as it is (ECS Developer Guide, "Update the
// deployment strategy from Amazon ECS blue/green to rolling update", its
// closing note, as the Chinese edition in the index gives it). Which group serves is AWS's,
// not the state's: a warning, with the way to find out and to move it.
static void shifting_dropped(Compilation *c, const Service *s, json_t *state) {
  if (!s->route || s->route->alternate_group.len || !rule_shifted(state) || !s->cluster)
    return;
  Diag *d = diag_at(c, W1171, span_or(s->strategy_at, s->span), "the deployment of service "
                    "\"%.*s\" in environment \"%.*s\" becomes rolling: the apply points its "
                    "listener rule at the first target group and deletes the second, which may be "
                    "the one the production traffic is on", S(s->name), S(s->env->name));
  traffic_back_help(c, d, s, state);
}

void rebuild_update_service(Compilation *c, Str dir, const OutFile *f, Changes *changes) {
  if (f->kind != OUT_SERVICE)
    return;  // the state's main.tf.json: once per service state
  const Service *s = f->of;
  Arena scratch = {0};
  const char *d = str_cstr(&scratch, dir);
  json_t *service;
  bool same;
  json_t *state = previous_service(&scratch, d, s, &service, &same);
  if (state && same) {
    ebs_removed(c, s, service);
    alarms_removed(c, s, service);
    if (strategy_changed(c, &scratch, s, service) && changes)
      emit_changes_force_new(changes, str_fmt(&scratch, "%.*s/services/%.*s", S(s->env->name),
                                              S(s->name)));
    if (s->scaling) {
      scheduled_bound_changed(c, &scratch, s, state, false);
      scheduled_bound_changed(c, &scratch, s, state, true);
    }
    app_protocol_changed(c, &scratch, d, s, service);
    target_group_replaced(c, &scratch, s, state);
    shifting_adopted(c, s, service);
    shifted_groups_replaced(c, s, state);
    shifting_dropped(c, s, state);
  }
  if (state)
    service_replaced(c, &scratch, d, s, service);
  json_decref(state);
  arena_free(&scratch);
}
