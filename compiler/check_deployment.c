// check_deployment.c: what a service's deployment may be combined with: AZ
// rebalancing (availability_zone_rebalancing) where ECS allows it. Reports
// E1093.
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

void check_deployment(Compilation *c, const Service *s) {
  rebalancing(c, s);
}
