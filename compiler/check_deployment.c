// check_deployment.c: what a service's deployment may be combined with: AZ
// rebalancing (availability_zone_rebalancing) where ECS allows it, and the
// CloudWatch alarms of deployment { alarms }, each named once, and
// alarm_rollback only beside them; the strategy, blue-green only where ECS
// shifts no traffic, with its bake time. Reports E1093-E1095, E1170-E1174.
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
// placement strategy on instances is the spread over zones (emit_tf.c,
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

// A blue/green deployment where ECS would shift traffic: through the load
// balancer (a route) or Service Connect. ECS needs resources ecsc does not
// make for it yet (E1170, E1171: their explain texts cite the Developer
// Guide); without either, "If your service doesn't use a load balancer,
// Service Connect, or VPC Lattice (headless service), you can still use
// blue/green deployments for controlled rollouts, but Amazon ECS doesn't
// manage the traffic shift automatically" (ECS Developer Guide, "Required
// resources for Amazon ECS blue/green deployments"). ecsc registers no
// service discovery or VPC Lattice. (The API Reference's DeploymentController
// page still lists a load balancer or Service Connect as "required for
// blue/green deployments", in its advice on when to choose ROLLING; the
// guide's page on the requirements themselves is the later and the precise.)
static void shifted_traffic(Compilation *c, const Service *s) {
  if (!s->blue_green)
    return;
  if (s->route) {
    Diag *d = diag_at(c, E1170, s->strategy_at, "blue-green deployment of service \"%.*s\", "
                      "which the load balancer routes to in environment \"%.*s\"",
                      S(s->name), S(s->env->name));
    diag_note(c, d, s->route->at.block, "the route is here; ecsc does not yet make the second "
              "target group and listener rule ECS shifts its traffic with");
    diag_help(c, d, "use strategy = \"rolling\" (the default) for a routed service");
  }
  if (s->connect) {
    Diag *d = diag_at(c, E1171, s->strategy_at, "blue-green deployment of service \"%.*s\", "
                      "which is in Service Connect in environment \"%.*s\"", S(s->name),
                      S(s->env->name));
    diag_note(c, d, s->connect->span, "Service Connect is configured here; ecsc does not yet "
              "configure ECS's traffic shift for it");
    diag_help(c, d, "use strategy = \"rolling\" (the default)");
  }
}

// The bake time: whole minutes (bakeTimeInMinutes, an Integer: E1172; the
// schema bounds it 0-1440 minutes), required by a blue/green deployment
// ("You must provide this parameter when you use the BLUE_GREEN deployment
// strategy": E1173) and meaningless without one (E1174). ECS API
// Reference, DeploymentConfiguration.
static void bake_time(Compilation *c, const Service *s) {
  if (s->bake_ms >= 0 && s->bake_ms % 60000 != 0) {
    Diag *d = diag_at(c, E1172, s->bake_at, "\"bake\" takes whole minutes, found %lld seconds",
                      (long long)(s->bake_ms / 1000));
    diag_help(c, d, "round it to whole minutes, such as %lldm",
              (long long)((s->bake_ms + 59999) / 60000));
  }
  if (s->blue_green && s->bake_ms < 0) {
    Diag *d = diag_at(c, E1173, s->strategy_at, "blue-green deployment of service \"%.*s\" "
                      "without a bake time in environment \"%.*s\"", S(s->name),
                      S(s->env->name));
    diag_help(c, d, "add bake = 10m: how long the old tasks run beside the new before they stop");
  }
  if (!s->blue_green && s->bake_ms >= 0) {
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
  bake_time(c, s);
}
