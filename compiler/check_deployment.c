// check_deployment.c: what a service's deployment may be combined with: AZ
// rebalancing (availability_zone_rebalancing) where ECS allows it, and the
// CloudWatch alarms of deployment { alarms }, each named once, and
// alarm_rollback only beside them. Reports E1093-E1095.
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

void check_deployment(Compilation *c, const Service *s) {
  rebalancing(c, s);
  alarms_twice(c, s);
  rollback_alone(c, s);
}
