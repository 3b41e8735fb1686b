// check_provider.c: a cluster's capacity provider: managed scaling
// (managed_scaling { }) and managed termination protection, and the rules
// AWS couples them by. Reports E0980, E0981 and W0980.
#include "model.h"

// ECS API Reference, AutoScalingGroupProvider: "When using managed
// termination protection, managed scaling must also be used otherwise
// managed termination protection doesn't work."
static void protection_needs_scaling(Compilation *c, const Cluster *k) {
  if (!k->termination_protection || k->scaling.enabled)
    return;
  Diag *d = diag_at(c, E0980, span_or(k->at.termination_protection, k->span),
                    "cluster \"%.*s\" has termination protection without managed scaling",
                    S(k->name));
  diag_note(c, d, span_or(k->scaling.at.enabled, k->scaling.span),
            "managed scaling is turned off here");
  diag_help(c, d, "turn managed scaling on (remove enabled = false), or remove "
                  "termination_protection");
}

// ECS API Reference, ManagedScaling: minimumScalingStepSize and
// maximumScalingStepSize are the fewest and the most instances ECS adds in
// one scale-out; a minimum above the maximum leaves no step size at all.
static void steps(Compilation *c, const Cluster *k) {
  const ManagedScaling *m = &k->scaling;
  if (!m->enabled || m->min_step <= m->max_step)
    return;
  Diag *d = diag_at(c, E0981, span_or(m->at.min_step, m->span),
                    "min_step %d is above max_step %d in cluster \"%.*s\"", m->min_step,
                    m->max_step, S(k->name));
  if (m->at.max_step.src)
    diag_note(c, d, m->at.max_step, "max_step is %d here", m->max_step);
  diag_help(c, d, "make min_step at most max_step");
}

// ECS API Reference, ManagedScaling: "If managed scaling is off, the user
// must manage the scaling of the Auto Scaling group." ecsc attaches no other
// scaling policy, so the group stays at size and never reaches max_size.
static void nothing_scales(Compilation *c, const Cluster *k) {
  if (k->scaling.enabled || k->min_size == k->max_size)
    return;
  Diag *d = diag_at(c, W0980, span_or(k->scaling.at.enabled, k->scaling.span),
                    "cluster \"%.*s\" turns managed scaling off, but its group may range "
                    "from %d to %d instances",
                    S(k->name), k->min_size, k->max_size);
  diag_help(c, d, "turn managed scaling on, or set min_size and max_size to size: nothing "
                  "else scales the group");
}

void check_provider(Compilation *c, const Cluster *k) {
  protection_needs_scaling(c, k);
  steps(c, k);
  nothing_scales(c, k);
}
