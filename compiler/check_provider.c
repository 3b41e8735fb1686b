// check_provider.c: a cluster's capacity provider: managed scaling
// (managed_scaling { }) and managed termination protection, and the rules
// AWS couples them by; capacity provider strategies, the cluster's default
// and a service's own; and how many a cluster has. Reports E0980-E0986,
// E1121 and W0980.
#include "model.h"

// ECS API Reference, AutoScalingGroupProvider: "When using managed
// termination protection, managed scaling must also be used otherwise
// managed termination protection doesn't work."
static void protection_needs_scaling(Compilation *c, const Cluster *k) {
  if (!k->termination_protection || k->scaling.enabled)
    return;
  Diag *d = diag_at(c, E0980, span_or(k->at.termination_protection, k->span),
                    "%s has termination protection without managed scaling",
                    model_instances_name(&c->arena, k).ptr);
  diag_note(c, d, span_or(k->scaling.at.enabled, k->scaling.span),
            "managed scaling is turned off here");
  diag_help(c, d, "turn managed scaling on (remove enabled = false), or remove "
                  "termination_protection");
}

// ECS API Reference, ManagedScaling: minimumScalingStepSize and
// maximumScalingStepSize are the fewest and the most instances ECS adds in
// one scale-out, and with several instance types or zones ECS scales by
// min_step "and will ignore both the maximum scaling step size as well as
// the capacity demand". A warning: AWS does not say it refuses min > max.
static void steps(Compilation *c, const Cluster *k) {
  const ManagedScaling *m = &k->scaling;
  if (!m->enabled || m->min_step <= m->max_step)
    return;
  Diag *d = diag_at(c, W0981, span_or(m->at.min_step, m->span),
                    "min_step %d is above max_step %d in %s", m->min_step,
                    m->max_step, model_instances_name(&c->arena, k).ptr);
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
                    "%s turns managed scaling off, but its group may range "
                    "from %d to %d instances",
                    model_instances_name(&c->arena, k).ptr, k->min_size, k->max_size);
  diag_help(c, d, "turn managed scaling on, or set min_size and max_size to size: nothing "
                  "else scales the group");
}

//
// Capacity provider strategies
//

static bool on_fargate(Provider p) {
  return p == PROVIDER_FARGATE || p == PROVIDER_FARGATE_SPOT;
}

// The names a strategy may give in cluster k: "ec2" with instances of its
// own, its groups', Fargate's with fargate = true; and the same in words.
static int provider_names(Compilation *c, const Cluster *k, Str **names, Buf *words) {
  *names = new(&c->arena, Str, 3 + k->ngroups);
  int n = 0;
  if (model_has_instances(k)) {
    (*names)[n++] = STR("ec2");
    buf_puts(words, "\"ec2\" (the cluster's instances)");
  }
  for (int i = 0; i < k->ngroups; i++) {
    (*names)[n++] = k->groups[i]->group;
    buf_printf(words, "%s\"%.*s\"", n > 1 ? ", " : "", S(k->groups[i]->group));
  }
  if (k->fargate) {
    (*names)[n++] = STR("fargate");
    (*names)[n++] = STR("fargate_spot");
    buf_printf(words, "%s\"fargate\" or \"fargate_spot\"", n > 2 ? ", " : "");
  }
  return n;
}

// ECS API Reference, CapacityProviderStrategyItem: "Only capacity providers
// that are already associated with a cluster ... can be used in a capacity
// provider strategy"; a cluster has its own (ec2) when it names an
// instance_type, one per group, and, with fargate = true, FARGATE and
// FARGATE_SPOT (emit_tf_cluster.c associates them).
static void known(Compilation *c, const StrategyItem *it, const Cluster *k, Str whose) {
  if ((it->provider == PROVIDER_EC2 && model_has_instances(k)) || it->provider == PROVIDER_GROUP ||
      (on_fargate(it->provider) && k->fargate))
    return;
  Diag *d = diag_at(c, E0982, it->span,
                    "the strategy of %.*s names capacity provider \"%.*s\", which cluster "
                    "\"%.*s\" does not have", S(whose), S(it->name), S(k->name));
  Buf words = {.arena = &c->arena};
  Str *names;
  int n = provider_names(c, k, &names, &words);
  if (it->provider == PROVIDER_UNKNOWN) {
    diag_did_you_mean(c, d, it->name, names, n);
    diag_help(c, d, "name %.*s", S(buf_str(&words)));
  } else if (it->provider == PROVIDER_EC2) {
    diag_help(c, d, "cluster \"%.*s\" has no instance_type, so no instances of its own: name "
                    "%.*s", S(k->name), S(buf_str(&words)));
  } else {
    diag_help(c, d, "set fargate = true in cluster \"%.*s\", which associates FARGATE and "
                    "FARGATE_SPOT with it", S(k->name));
  }
}

// CapacityProviderStrategyItem: "Only one capacity provider in a capacity
// provider strategy can have a base defined."
static void one_base(Compilation *c, const Strategy *st, Str whose) {
  const StrategyItem *first = NULL;
  for (int i = 0; i < st->n; i++) {
    const StrategyItem *it = &st->items[i];
    if (it->base == 0)
      continue;
    if (!first) {
      first = it;
      continue;
    }
    Diag *d = diag_at(c, E0983, span_or(it->at.base, it->span),
                      "the strategy of %.*s gives a base to both \"%.*s\" and \"%.*s\"",
                      S(whose), S(first->name), S(it->name));
    diag_note(c, d, span_or(first->at.base, first->span), "\"%.*s\" has a base of %d here",
              S(first->name), first->base);
    diag_help(c, d, "give a base to one provider only: ECS places the base's tasks there "
                    "first, then shares the rest by weight");
  }
}

// CapacityProviderStrategyItem, weight: "When multiple capacity providers
// are specified within a capacity provider strategy, at least one of the
// capacity providers must have a weight value greater than zero and any
// capacity providers with a weight of 0 can't be used to place tasks". The
// page says "multiple"; ECS refuses a lone provider of weight 0 too: "There
// are no capacity providers with a weight value greater than zero defined in
// the default capacity provider strategy. At least one capacity provider
// must have a weight value greater than zero specified" (CreateService's
// InvalidParameterException, terraform-aws-modules/terraform-aws-ecs#27).
static void some_weight(Compilation *c, const Strategy *st, Str whose) {
  for (int i = 0; i < st->n; i++)
    if (st->items[i].weight > 0)
      return;
  Diag *d = diag_at(c, E0984, st->items[0].span,
                    "every provider in the strategy of %.*s has weight 0", S(whose));
  diag_help(c, d, "give at least one provider a weight above 0 (weight = 1): the weight is 0 "
                  "unless written, and a provider of weight 0 takes no task beyond its base");
}

// ECS Developer Guide, "Amazon ECS capacity providers": "A capacity provider
// strategy can only contain Auto Scaling group capacity providers or
// Fargate capacity providers", though a cluster has both. False when mixed.
static bool one_kind(Compilation *c, const Strategy *st, Str whose) {
  const StrategyItem *first = NULL;
  for (int i = 0; i < st->n; i++) {
    const StrategyItem *it = &st->items[i];
    if (it->provider == PROVIDER_UNKNOWN)
      continue;
    if (!first) {
      first = it;
      continue;
    }
    if (on_fargate(it->provider) == on_fargate(first->provider))
      continue;
    Diag *d = diag_at(c, E0985, it->span,
                      "the strategy of %.*s mixes the cluster's instances and Fargate: "
                      "\"%.*s\" and \"%.*s\"", S(whose), S(first->name), S(it->name));
    diag_note(c, d, first->span, "\"%.*s\" is named here", S(first->name));
    diag_help(c, d, "a strategy holds \"ec2\" or Fargate providers, not both: keep one "
                    "kind, or give the others a service of their own");
    return false;
  }
  return true;
}

static bool check_strategy(Compilation *c, const Strategy *st, const Cluster *k, Str whose) {
  if (!st->n)
    return true;
  for (int i = 0; i < st->n; i++)
    known(c, &st->items[i], k, whose);
  one_base(c, st, whose);
  some_weight(c, st, whose);
  return one_kind(c, st, whose);
}

// Amazon ECS Developer Guide, "Amazon ECS service quotas"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html):
// "Capacity providers per cluster | Each supported Region: 20 | No | The
// maximum number of capacity providers that can be associated with a
// cluster". emit_tf_cluster.c associates one per set of instances (the cluster's
// own, each group's) and FARGATE and FARGATE_SPOT with a Fargate cluster.
// A strategy has its own bound, "A capacity provider strategy can contain a
// maximum of 20 capacity providers" (ECS API Reference, CreateService,
// capacityProviderStrategy), but its items are distinct providers of its
// cluster (an unknown one is E0982), so this bound holds it too.
enum { PROVIDERS_PER_CLUSTER = 20 };

static void providers_per_cluster(Compilation *c, const Cluster *k, const Cluster **sets, int n) {
  int total = n + (k->fargate ? 2 : 0);
  if (total <= PROVIDERS_PER_CLUSTER)
    return;
  Diag *d = diag_at(c, E1121, k->span, "cluster \"%.*s\" in environment \"%.*s\" has %d capacity "
                    "providers, more than the %d ECS associates with a cluster", S(k->name),
                    S(k->env->name), total, PROVIDERS_PER_CLUSTER);
  int over = PROVIDERS_PER_CLUSTER - (k->fargate ? 2 : 0);  // the first set beyond the quota
  if (over >= 0 && over < n && sets[over] != k)
    diag_note(c, d, sets[over]->span, "%s is provider number %d%s",
              model_instances_name(&c->arena, sets[over]).ptr, over + 1 + (k->fargate ? 2 : 0),
              k->fargate ? ", counting FARGATE and FARGATE_SPOT" : "");
  diag_help(c, d, "the cluster's instances and each group take one, fargate = true two: merge "
                  "groups (a group's spot block takes several instance types), or split the "
                  "cluster in two");
}

void check_provider(Compilation *c, const Cluster *k) {
  int n;
  const Cluster **sets = model_instance_sets(&c->arena, k, &n);
  providers_per_cluster(c, k, sets, n);
  for (int i = 0; i < n; i++) {
    protection_needs_scaling(c, sets[i]);
    steps(c, sets[i]);
    nothing_scales(c, sets[i]);
  }
  check_strategy(c, &k->strategy, k, str_fmt(&c->arena, "cluster \"%.*s\"", S(k->name)));
}

// A service's task definition is built for one kind of capacity, its
// capacity's: EC2 or Fargate (requiresCompatibilities, network mode, task
// size); its strategy places the tasks on providers of that kind only.
static void of_its_capacity(Compilation *c, const Service *s) {
  bool fargate = s->runs_on != RUN_EC2;
  for (int i = 0; i < s->strategy.n; i++) {
    const StrategyItem *it = &s->strategy.items[i];
    if (it->provider == PROVIDER_UNKNOWN || on_fargate(it->provider) == fargate)
      continue;
    Diag *d = diag_at(c, E0986, it->span,
                      "service \"%.*s\" runs on %s, but its strategy places tasks on \"%.*s\"",
                      S(s->name), fargate ? "Fargate" : "the cluster's instances", S(it->name));
    if (s->at.capacity.src)
      diag_note(c, d, s->at.capacity, "its capacity is set here");
    if (fargate)
      diag_help(c, d, "name \"fargate\" or \"fargate_spot\" in the strategy, or set "
                      "capacity = \"ec2\" (its task definition is then EC2's)");
    else
      diag_help(c, d, "set capacity = \"%.*s\" (its task definition is then Fargate's), or "
                      "name \"ec2\" in the strategy", S(it->name));
    return;
  }
}

void check_provider_service(Compilation *c, const Service *s) {
  if (!s->strategy.n || !s->cluster)
    return;
  Str whose = str_fmt(&c->arena, "service \"%.*s\"", S(s->name));
  if (check_strategy(c, &s->strategy, s->cluster, whose))
    of_its_capacity(c, s);
}
