// check_deployment.c: what a service's deployment may be combined with: AZ
// rebalancing (availability_zone_rebalancing) where ECS allows it, and the
// CloudWatch alarms of deployment { alarms }, each named once, and
// alarm_rollback only beside them; the strategy: canary and linear only
// where ECS shifts traffic (behind the load balancer, with what emit_tf_service.c
// makes for it, or in Service Connect), each strategy with its bake times
// and shares, and no request-count scaling of one of two target groups.
// Reports E1093-E1095, E1172-E1179.
#include "model.h"

// ECS Developer Guide, "Balancing an Amazon ECS service across
// Availability Zones", Considerations: "You can't use Availability Zone
// rebalancing with services that meet any of the following criteria: Uses
// the Daemon strategy; Uses the EXTERNAL launch type (ECS Anywhere); Uses
// 100% for the maximumPercent value; Uses a Classic Load Balancer; Uses the
// attribute:ecs.availability-zone as a task placement constraint", and "for
// Availability Zone rebalancing to work, the Availability Zone spread
// placement strategy must be the first strategy specified". ecsc's services
// are replica services without placement constraints, on capacity
// providers, behind an Application Load Balancer or none, whose first
// placement strategy on instances is the spread over zones (emit_tf_service.c,
// placement) and which have none on Fargate ("Task placement strategies and
// constraints aren't supported for tasks using Fargate"): of the criteria,
// only max_percent can hold.
static void rebalancing(Compilation *c, const Service *s) {
  if (s->az_rebalancing <= 0 || s->max_percent > 100)
    return;
  Diag *d = diag_at(c, E1093, s->az_rebalancing_at, "availability_zone_rebalancing on service "
                    "\"%.*s\", whose deployment max_percent is %d%% in environment \"%.*s\"",
                    S(s->name), s->max_percent, S(s->env->name));
  if (s->at.max_percent.src)
    diag_note(c, d, s->at.max_percent, "max_percent is set here; ECS rebalances only with room "
              "above the count, a task started before one is stopped");
  diag_help(c, d, "raise max_percent (200%% by default), or set availability_zone_rebalancing "
                  "= false");
}

// The provider keeps alarms.alarm_names as a set: an alarm named twice
// would be one, without a word.
static void alarms_twice(Compilation *c, const Service *s) {
  for (int i = 1; i < s->nalarms; i++)
    for (int j = 0; j < i; j++) {
      if (!str_eq(s->alarms[i], s->alarms[j]))
        continue;
      Diag *d = diag_at(c, E1094, s->alarm_at[i], "alarm \"%.*s\" named twice in the deployment "
                        "of service \"%.*s\"", S(s->alarms[i]), S(s->name));
      diag_note(c, d, s->alarm_at[j], "first named here");
      diag_help(c, d, "remove one, or correct its name");
      break;
    }
}

// alarm_rollback says what the alarms do; without alarms it says nothing,
// and was meant for alarms that are missing (or for the circuit breaker,
// which rolls back with circuit_breaker).
static void rollback_alone(Compilation *c, const Service *s) {
  if (s->nalarms || !s->alarm_rollback_at.src)
    return;
  Diag *d = diag_at(c, E1095, s->alarm_rollback_at, "alarm_rollback in the deployment of service "
                    "\"%.*s\", which names no alarms in environment \"%.*s\"", S(s->name),
                    S(s->env->name));
  diag_help(c, d, "add alarms = [\"...\"] (existing CloudWatch alarms), or remove alarm_rollback");
}

static const char *strategy_name(const Service *s) {
  return model_strategy_names[s->deploy_strategy];
}

// Who shifts the traffic. Behind the load balancer, ECS with the second
// target group, the weighted rule and the role ecsc makes (emit_tf_service.c); in
// Service Connect, ECS through the namespace's proxies, with nothing more
// to configure: the green tasks register as a test endpoint, and "By
// default, Service Connect recognizes the x-amzn-ecs-blue-green-test header
// for HTTP-based protocols when no custom rules are specified" (ECS
// Developer Guide, "Service Connect resources for Amazon ECS blue/green
// deployments"). A canary or linear deployment with neither has no traffic
// to move a share of (E1178: "To use a canary deployment with managed
// traffic shifting, your service must use one of the following features:
// Elastic Load Balancing, Service Connect", "Required resources for Amazon
// ECS canary deployments", and likewise for linear); blue-green runs
// without: "If your service doesn't use a load balancer, Service Connect,
// or VPC Lattice (headless service), you can still use blue/green
// deployments for controlled rollouts, but Amazon ECS doesn't manage the
// traffic shift automatically" ("Required resources for Amazon ECS
// blue/green deployments"). ecsc registers no service discovery or VPC
// Lattice.
static void shifted_traffic(Compilation *c, const Service *s) {
  if ((s->deploy_strategy != DEPLOY_CANARY && s->deploy_strategy != DEPLOY_LINEAR) || s->route ||
      s->connect)
    return;
  Diag *d = diag_at(c, E1178, s->strategy_at, "%s deployment of service \"%.*s\", which has "
                    "no route and is not in Service Connect in environment \"%.*s\"",
                    strategy_name(s), S(s->name), S(s->env->name));
  diag_help(c, d, "ECS moves a share of the traffic only through the load balancer or Service "
                  "Connect: add a route, or use strategy = \"blue-green\" or \"rolling\"");
}

// Request-count scaling of a service ECS shifts between two target groups
// (E1179). Its policy's ALBRequestCountPerTarget counts one group, the one
// its ResourceLabel names, app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID
// (Application Auto Scaling API Reference, PredefinedMetricSpecification;
// emit_tf_service.c, request_label, names the service's main group).
// ECS registers each deployment's new tasks in the group the production
// traffic is not on ("During a blue/green deployment, Amazon ECS
// automatically registers tasks with the appropriate target group based on
// the deployment stage", ECS Developer Guide, "Application Load Balancer
// resources for blue/green, linear, and canary deployments") and leaves the
// rule forwarding to it (go-to-k/cdk-real-drift issue 1730: "observed live:
// green=100/blue=0 after the initial deployment"), so after every other
// deployment the policy counts a group without traffic and scales the
// service in under load.
static void counted_group(Compilation *c, const Service *s) {
  if (!model_shifts_traffic(s) || !s->route || !s->scaling || !s->scaling->requests)
    return;
  Span at = span_or(s->scaling->at.requests_per_target, s->span);
  Diag *d = diag_at(c, E1179, at, "requests_per_target for service \"%.*s\", whose %s "
                    "deployment moves its traffic between two target groups in environment "
                    "\"%.*s\"", S(s->name), strategy_name(s), S(s->env->name));
  if (s->strategy_at.src)
    diag_note(c, d, s->strategy_at, "the strategy is set here");
  diag_help(c, d, "ALBRequestCountPerTarget counts one target group, and after every other "
                  "deployment the traffic is on the other: scale on cpu or memory, or use "
                  "strategy = \"rolling\"");
}

// canary_percent and canary_bake only with a canary deployment,
// linear_step and linear_bake only with a linear one (ECS API Reference,
// CanaryConfiguration: "This is only valid when you run CreateService or
// UpdateService with deploymentController set to ECS and a
// deploymentConfiguration with a strategy set to CANARY";
// LinearConfiguration likewise with LINEAR): E1177.
static void misplaced(Compilation *c, const Service *s, Span at, const char *what,
                      DeployStrategy wants) {
  if (!at.src || s->deploy_strategy == wants)
    return;
  const char *needed = model_strategy_names[wants];
  const char *has = strategy_name(s);
  Diag *d = diag_at(c, E1177, at, "%s in the %s deployment of service \"%.*s\" in environment "
                    "\"%.*s\"", what, has, S(s->name), S(s->env->name));
  if (s->strategy_at.src)
    diag_note(c, d, s->strategy_at, "the strategy is set here");
  diag_help(c, d, "set strategy = \"%s\", or remove %s", needed, what);
}

static void strategy_settings(Compilation *c, const Service *s) {
  misplaced(c, s, s->canary_percent_at, "canary_percent", DEPLOY_CANARY);
  misplaced(c, s, s->canary_bake_at, "canary_bake", DEPLOY_CANARY);
  misplaced(c, s, s->linear_step_at, "linear_step", DEPLOY_LINEAR);
  misplaced(c, s, s->linear_bake_at, "linear_bake", DEPLOY_LINEAR);
}

// A bake time other than whole minutes: the API takes Integer minutes.
static void whole_minutes(Compilation *c, Span at, int64_t ms, const char *what) {
  if (!at.src || ms < 0 || ms % 60000 == 0)
    return;
  Diag *d = diag_at(c, E1172, at, "\"%s\" takes whole minutes, found %lld seconds", what,
                    (long long)(ms / 1000));
  diag_help(c, d, "round it to whole minutes, such as %lldm", (long long)((ms + 59999) / 60000));
}

// The bake time: whole minutes (bakeTimeInMinutes, an Integer: E1172; the
// schema bounds it 0-1440 minutes), required by a blue/green deployment
// ("You must provide this parameter when you use the BLUE_GREEN deployment
// strategy": E1173; canary and linear deployments have the same bake time
// once all the traffic has moved, ECS Developer Guide, "Amazon ECS canary
// deployments", "Deployment bake time", and ecsc asks for it there too)
// and meaningless without one (E1174). ECS API Reference,
// DeploymentConfiguration.
static void bake_time(Compilation *c, const Service *s) {
  whole_minutes(c, s->bake_at, s->bake_ms, "bake");
  // CanaryConfiguration: canaryBakeTimeInMinutes, LinearConfiguration:
  // stepBakeTimeInMinutes, both Integer minutes.
  whole_minutes(c, s->canary_bake_at, s->canary_bake_ms, "canary_bake");
  whole_minutes(c, s->linear_bake_at, s->linear_bake_ms, "linear_bake");
  if (model_shifts_traffic(s) && s->bake_ms < 0) {
    Diag *d = diag_at(c, E1173, s->strategy_at, "%s deployment of service \"%.*s\" "
                      "without a bake time in environment \"%.*s\"", strategy_name(s),
                      S(s->name), S(s->env->name));
    diag_help(c, d, "add bake = 10m: how long the old tasks run beside the new before they stop");
  }
  if (!model_shifts_traffic(s) && s->bake_ms >= 0) {
    Diag *d = diag_at(c, E1174, s->bake_at, "bake time in the rolling deployment of service "
                      "\"%.*s\" in environment \"%.*s\"", S(s->name), S(s->env->name));
    if (s->strategy_at.src)
      diag_note(c, d, s->strategy_at, "the strategy is set here");
    diag_help(c, d, "set strategy = \"blue-green\", or remove bake");
  }
}

void check_deployment(Compilation *c, const Service *s) {
  rebalancing(c, s);
  alarms_twice(c, s);
  rollback_alone(c, s);
  shifted_traffic(c, s);
  strategy_settings(c, s);
  counted_group(c, s);
  bake_time(c, s);
}
