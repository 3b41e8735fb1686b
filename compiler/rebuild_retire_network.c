// rebuild_retire_network.c: what this build's VPC state deletes or replaces
// in the network while the previous build's service states, applied after
// it, still have something there: the load balancer's security group their
// task groups admit (E1231), and the VPC or a subnet their task groups and
// tasks are in (E1232), or a zone it removes with their tasks in its
// subnets (W1231); and a load balancer it deletes whose deletion
// protection is on (E1234). rebuild_retire.c's other checks, of the same kind,
// look at capacity providers, clusters and the Service Connect namespace.
// Reads DIR, writes nothing.
//
// The VPC state is applied before the service states (README, "What it
// writes"; build --changed=json), and a removed service's state is
// destroyed after it too. What the VPC state deletes is therefore still in
// use when it goes, and EC2 refuses:
//
//   - DeleteSecurityGroup: "If you attempt to delete a security group that
//     is associated with an instance or network interface, is referenced by
//     another security group in the same VPC, or has a VPC association, the
//     operation fails with DependencyViolation" (EC2 API Reference).
//   - DeleteVpc: "You must detach or delete all gateways and resources that
//     are associated with the VPC before you can delete it. For example,
//     you must terminate all instances running in the VPC, delete all
//     security groups associated with the VPC (except the default one)"
//     (EC2 API Reference). The AWS provider retries DependencyViolation
//     until its delete timeout and then fails the apply
//     (terraform-provider-aws, internal/service/ec2/vpc_.go,
//     resourceVPCDelete: RetryWhenAWSErrCodeEquals(..., vpcDeletedTimeout,
//     ..., errCodeDependencyViolation)).
//   - DeleteSubnet fails with DependencyViolation ("The subnet ... has
//     dependencies and cannot be deleted") while network interfaces are in
//     it: the provider's maintainers point to "lingering ENIs in the Subnet"
//     (hashicorp/terraform-provider-aws issue 9495), and its delete removes
//     only detached ones (vpc_subnet.go, resourceSubnetDelete,
//     deleteLingeringENIs); an awsvpc task's interface is attached to it
//     (ECS Developer Guide, "Amazon ECS task networking options for EC2",
//     awsvpc: "The task is allocated its own elastic network interface
//     (ENI)"; Fargate tasks are awsvpc).
//
// None of these goes away by itself: each stays until the service state
// that holds it is applied, which comes after the failed VPC state, so
// every re-run fails the same way. The builds that work are two: the
// services' states give the thing up in the first, the VPC state deletes
// it in the second; or, for a network, a new environment beside the old.
#include "rebuild.h"

#include <string.h>

#include "syntax.h"

// What a previous service state holds in the network: a security group of
// its own (awsvpc: emit_tf_service.c writes aws_security_group.task with the VPC
// state's vpc_id) and its tasks' interfaces in the subnets its
// network_configuration reads by a VPC output.
static json_t *previous_service_of(json_t *state) {
  return previous_at(state, "resource", "aws_ecs_service", "main", NULL);
}

static bool has_security_group(json_t *state) {
  return json_object_size(previous_at(state, "resource", "aws_security_group", NULL)) > 0;
}

// The VPC output service's network_configuration reads its subnets by,
// {0} for none.
static Str subnets_read(json_t *service) {
  json_t *net = previous_member(service, "network_configuration");
  if (json_is_array(net))
    net = json_array_get(net, 0);
  return previous_ref(previous_text(previous_member(net, "subnets")),
                      "${data.terraform_remote_state.vpc.outputs.", "}");
}

static void note_users(Compilation *c, Diag *d, const Environment *e, const PreviousService *u,
                       int n, const char *what) {
  for (int i = 0; i < n; i++) {
    if (u[i].svc)
      diag_note(c, d, u[i].svc->span, "service \"%.*s\" %s until its state is applied",
                S(u[i].name), what);
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, %s until its state "
                "(%.*s/services/%.*s in the previous build) is destroyed", S(u[i].name), what,
                S(e->name), S(u[i].name));
  }
}

// E1231: the environment's alb removed while awsvpc services' task groups
// of the previous build still admit the load balancer's group: each
// service state's aws_vpc_security_group_ingress_rule.task_from_alb has
// referenced_security_group_id = the VPC state's output of
// aws_security_group.alb (emit_tf_vpc.c), and the VPC state, applied first,
// deletes that group with the load balancer (DeleteSecurityGroup, above).
// Bridge and host services are admitted by the instances' group, a rule of
// the VPC state itself, which Terraform deletes first.
static Str output_of(json_t *vpc, const char *pre, Str tf, const char *post) {
  const char *key;
  json_t *v;
  json_object_foreach(previous_member(vpc, "output"), key, v) {
    Str ref = previous_ref(previous_text(previous_member(v, "value")), pre, post);
    if (ref.len && str_eq(ref, tf))
      return str_c(key);
  }
  return (Str){0};
}

static bool admits_group(json_t *state, Str output) {
  const char *key;
  json_t *rule;
  json_object_foreach(previous_at(state, "resource", "aws_vpc_security_group_ingress_rule", NULL),
                      key, rule) {
    Str ref = previous_ref(previous_text(previous_member(rule, "referenced_security_group_id")),
                           "${data.terraform_remote_state.vpc.outputs.", "}");
    if (ref.len && str_eq(ref, output))
      return true;
  }
  return false;
}

static void alb_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                        json_t *vpc, const PreviousServices *all) {
  json_t *group = previous_at(vpc, "resource", "aws_security_group", "alb", NULL);
  Str output = output_of(vpc, "${aws_security_group.", STR("alb"), ".id}");
  if (e->alb || !group || !output.len)
    return;
  int nusers = 0;
  PreviousService *users = new(a, PreviousService, all->n + 1);
  for (int i = 0; i < all->n; i++) {  // each state's bytes let go of before the next
    ArenaMark mark = arena_mark(a);
    json_t *state = previous_service_state(a, dir, e->name, all->items[i].name);
    if (admits_group(state, output))
      users[nusers++] = all->items[i];
    json_decref(state);
    arena_rewind(a, mark);
  }
  if (!nusers)
    return;
  Str name = previous_text(previous_member(group, "name"));
  Diag *d = diag_at(c, E1231, e->span, "environment \"%.*s\" no longer has a load balancer, but "
                    "%d service state%s of the previous build still admit%s its security group "
                    "\"%.*s\" to %s tasks: the VPC state, applied first, would fail to delete "
                    "the group", S(e->name), nusers, nusers == 1 ? "" : "s",
                    nusers == 1 ? "s" : "", S(name), nusers == 1 ? "its" : "their");
  note_users(c, d, e, users, nusers, "admits it");
  diag_help(c, d, "in two builds: keep alb {} in environment \"%.*s\" while the services' routes "
            "go, build and apply (%.*s/vpc, then the services' states, which drop their rules "
            "from the group); then remove alb and build again", S(e->name), S(e->name));
}

// E1232: the VPC replaced, or deleted, or a subnet replaced, while service
// states of the previous build still have their task groups or tasks in
// it. cidr_block is ForceNew for the VPC (terraform-provider-aws,
// internal/service/ec2/vpc_.go, ResourceVPC) and for a subnet (vpc_subnet.go,
// resourceSubnet), and so is a subnet's vpc_id: a new VPC replaces every
// subnet too. Terraform destroys a replaced resource before it creates the
// new one unless it is create_before_destroy, which ecsc does not write on
// them (and with which the old one's delete would fail the same way, at the
// end of the apply, as the service states come after). An existing VPC
// (vpc { id }) in place of the one ecsc made deletes that one. Which of the
// VPC state's own resources Terraform destroys before the failing delete
// (NAT, routes, load balancer, instances) depends on its graph walk: not
// judged here; the failure is.
typedef struct {
  Str what;     // "cidr 10.0.0.0/16 becomes 10.1.0.0/16", ...
  Span at;
  bool subnets;  // only subnets replaced: only tasks in them count
  Str output;   // then the output their task interfaces' subnets are read by
} Replaced;

static bool in_network(json_t *state, const Replaced *r) {
  json_t *service = previous_service_of(state);
  Str read = subnets_read(service);
  if (r->subnets)
    return read.len && str_eq(read, r->output);
  return has_security_group(state) || read.len;
}

static const char *const tiers[] = {"public", "private", "database"};

static CidrAt *tier_cidrs(const Vpc *v, int k, int *n) {
  *n = k == 0 ? v->npublic : k == 1 ? v->nprivate : v->ndatabase;
  return k == 0 ? v->public_subnets : k == 1 ? v->private_subnets : v->database_subnets;
}

static Span tier_span(const Environment *e, int k) {
  Span at = k == 0 ? e->vpc.at.public_subnets : k == 1 ? e->vpc.at.private_subnets
                                                       : e->vpc.at.database_subnets;
  return span_or(at, e->span);
}

// The output whose list names aws_subnet.KEY (public_subnet_ids, ...).
static Str subnet_output(json_t *vpc, Str key) {
  Str ref = {0};
  const char *name;
  json_t *v;
  json_object_foreach(previous_member(vpc, "output"), name, v) {
    size_t i;
    json_t *item;
    json_array_foreach(previous_member(v, "value"), i, item) {
      ref = previous_ref(previous_text(item), "${aws_subnet.", ".id}");
      if (ref.len && str_eq(ref, key))
        return str_c(name);
    }
  }
  return (Str){0};
}

// The subnets this build gives another CIDR, each with the output tasks
// read it by (r, at most 3 tiers of nazs each); their number.
static int subnets_replaced(Arena *a, const Environment *e, json_t *vpc, Replaced *r) {
  const Vpc *v = &e->vpc;
  json_t *subnets = previous_at(vpc, "resource", "aws_subnet", NULL);
  int nr = 0;
  for (int k = 0; k < 3; k++) {
    int n;
    CidrAt *cidrs = tier_cidrs(v, k, &n);
    for (int i = 0; i < n && i < v->nazs; i++) {
      Str key = str_fmt(a, "%s_%.*s", tiers[k], S(derive_tf_ident(a, v->azs[i])));
      Str was = previous_text(previous_at(subnets, str_cstr(a, key), "cidr_block", NULL));
      Str now = literal_cidr_text(a, cidrs[i].cidr);
      Str output = subnet_output(vpc, key);
      if (was.len && !str_eq(was, now) && output.len)
        r[nr++] = (Replaced){str_fmt(a, "%s subnet in %.*s: %.*s becomes %.*s", tiers[k],
                                     S(v->azs[i]), S(was), S(now)),
                             span_or(cidrs[i].at, tier_span(e, k)), true, output};
    }
  }
  return nr;
}

// What this build replaces or deletes of the network (r: room for 3 tiers
// of nazs, or 1): the VPC, else the subnets; their number.
static int network_replaced(Arena *a, const Environment *e, json_t *vpc, Replaced *r) {
  json_t *old = previous_at(vpc, "resource", "aws_vpc", "main", NULL);
  Str was = previous_text(previous_member(old, "cidr_block"));
  if (!old)
    return 0;
  if (e->vpc.id.len) {
    r[0] = (Replaced){str_fmt(a, "vpc { id = \"%.*s\" } takes its place", S(e->vpc.id)),
                      span_or(e->vpc.at.id, e->span), false, {0}};
    return 1;
  }
  Str now = literal_cidr_text(a, e->vpc.cidr);
  if (was.len && !str_eq(was, now)) {
    r[0] = (Replaced){str_fmt(a, "cidr %.*s becomes %.*s", S(was), S(now)),
                      span_or(e->vpc.at.cidr, e->span), false, {0}};
    return 1;
  }
  return subnets_replaced(a, e, vpc, r);
}

static void report_network(Compilation *c, const Environment *e, json_t *vpc,
                           const Replaced *r, const PreviousService *users, int n) {
  Str cidr = previous_text(previous_at(vpc, "resource", "aws_vpc", "main", "cidr_block", NULL));
  const char *gone = e->vpc.id.len ? "deleted" : "replaced";
  Diag *d = r->subnets
      ? diag_at(c, E1232, r->at, "a subnet of environment \"%.*s\" would be replaced (%.*s) "
                "while %d service state%s of the previous build still run%s tasks in it: the "
                "VPC state, applied first, would fail to delete it", S(e->name), S(r->what), n,
                n == 1 ? "" : "s", n == 1 ? "s" : "")
      : diag_at(c, E1232, r->at, "the VPC of environment \"%.*s\" would be %s (%.*s) while %d "
                "service state%s of the previous build still %s security groups or tasks in "
                "it: the VPC state, applied first, would fail to delete it", S(e->name), gone,
                S(r->what), n, n == 1 ? "" : "s", n == 1 ? "has" : "have");
  note_users(c, d, e, users, n, r->subnets ? "runs tasks in it" : "is in it");
  if (r->subnets)
    diag_help(c, d, "keep each subnet's CIDR as the previous build had it");
  else if (e->vpc.id.len)
    diag_help(c, d, "keep the VPC ecsc made (cidr = %.*s) in this build", S(cidr));
  else
    diag_help(c, d, "keep cidr = %.*s and the subnets' CIDRs as the previous build had them",
              S(cidr));
  diag_help(c, d, "to move to a new network: add an environment beside \"%.*s\" with it, "
            "move the services there, build and apply; then remove \"%.*s\" (its services "
            "first, E1162)", S(e->name), S(e->name));
}

// One diagnostic: the VPC's, or the first replaced subnet's that holds
// tasks (the help is the same for every subnet). Each state is read once,
// and let go of before the next (its bytes too: a rewind of a), noting
// which of the replaced parts it is in: at 10 x 1000 the states of an
// environment held at once were 11 MB of bytes and their JSON trees.
// Whether this build replaces any of the network (then W1231's zones are
// not looked at).
static bool network_retires(Compilation *c, Arena *a, const Environment *e, const char *dir,
                            json_t *vpc, const PreviousServices *all) {
  Replaced *r = new(a, Replaced, 3 * e->vpc.nazs + 1);
  int nr = network_replaced(a, e, vpc, r);
  if (!nr)
    return false;
  int n = all->n;
  bool *in = new(a, bool, (ptrdiff_t)n * nr + 1);  // in[i * nr + k]: state i in r[k]
  for (int i = 0; i < n; i++) {
    ArenaMark mark = arena_mark(a);
    json_t *state = previous_service_state(a, dir, e->name, all->items[i].name);
    for (int k = 0; k < nr; k++)
      in[i * nr + k] = in_network(state, &r[k]);
    json_decref(state);
    arena_rewind(a, mark);
  }
  PreviousService *users = new(a, PreviousService, n + 1);
  for (int k = 0; k < nr; k++) {
    int nusers = 0;
    for (int i = 0; i < n; i++)
      if (in[i * nr + k])
        users[nusers++] = all->items[i];
    if (nusers) {
      report_network(c, e, vpc, &r[k], users, nusers);
      break;
    }
  }
  return true;
}

// W1231: an availability zone removed (azs shortened, and its subnets with
// it) while service states of the previous build still run awsvpc or
// Fargate tasks in a subnet of it. The VPC state deletes the zone's subnets
// (its aws_subnet is gone from the configuration), DeleteSubnet fails while
// an interface is in the subnet (above), and the services leave the zone
// only when their states are applied, after: each reads its subnets from
// the VPC state's output (emit_tf_service.c, network_configuration), whose new
// value its state takes when applied. No source can narrow the services
// first, so this is a warning, with the step that does, by hand: UpdateService
// takes a new networkConfiguration, and "When you update any of these
// parameters, Amazon ECS starts new tasks with the new configuration" (ECS
// API Reference, UpdateService, rolling updates); the state's apply then
// writes the same subnets. A removed service's state is destroyed after the
// VPC state (build --changed=json): it must go first. A subnet replaced
// (E1232) or a new VPC is an error before this is looked at.
typedef struct {
  Str az;
  Str *outputs;  // the outputs its removed subnets were read by
  int noutputs;
} GoneZone;

// Whether zone az is among this build's azs (a subnet of it given another
// CIDR is E1232's).
static bool zone_kept(const Environment *e, Str az) {
  for (int i = 0; i < e->vpc.nazs; i++)
    if (str_eq(e->vpc.azs[i], az))
      return true;
  return false;
}

// The zones of the previous VPC state's subnets that this build does not
// have, each with the outputs its subnets were read by; their number.
static int zones_removed(Arena *a, const Environment *e, json_t *vpc, GoneZone *z, int cap) {
  int nz = 0;
  const char *key;
  json_t *r;
  json_object_foreach(previous_at(vpc, "resource", "aws_subnet", NULL), key, r) {
    Str az = previous_text(previous_member(r, "availability_zone"));
    Str output = subnet_output(vpc, str_c(key));
    if (!az.len || !output.len || zone_kept(e, az))
      continue;
    int i = 0;
    while (i < nz && !str_eq(z[i].az, az))
      i++;
    if (i == nz) {
      if (nz == cap)
        continue;
      z[nz++] = (GoneZone){.az = az, .outputs = new(a, Str, countof(tiers))};
    }
    if (z[i].noutputs < countof(tiers))  // a subnet of each tier in a zone
      z[i].outputs[z[i].noutputs++] = output;
  }
  return nz;
}

static bool runs_in_zone(json_t *state, const GoneZone *z) {
  Str read = subnets_read(previous_service_of(state));
  for (int i = 0; i < z->noutputs; i++)
    if (read.len && str_eq(read, z->outputs[i]))
      return true;
  return false;
}

static void report_zone(Compilation *c, const Environment *e, const GoneZone *z,
                        const PreviousService *users, int n) {
  Diag *d = diag_at(c, W1231, span_or(e->vpc.at.azs, e->span), "availability zone %.*s is "
                    "removed from environment \"%.*s\" while %d service state%s of the previous "
                    "build still run%s awsvpc tasks in its subnets: the VPC state, applied first, "
                    "would fail to delete them", S(z->az), S(e->name), n, n == 1 ? "" : "s",
                    n == 1 ? "s" : "");
  bool removed = false;
  for (int i = 0; i < n; i++) {
    const Service *s = users[i].svc;
    if (s && s->cluster)
      diag_note(c, d, s->span, "service \"%.*s\" (ECS service %.*s in cluster %.*s) runs tasks "
                "there until its state is applied", S(s->name), S(s->family),
                S(s->cluster->aws_name));
    else if (s)
      diag_note(c, d, s->span, "service \"%.*s\" runs tasks there until its state is applied",
                S(s->name));
    else
      diag_note(c, d, (Span){0}, "service \"%.*s\", removed from the source, runs tasks there "
                "until its state (%.*s/services/%.*s in the previous build) is destroyed",
                S(users[i].name), S(e->name), S(users[i].name));
    removed |= !s;
  }
  if (removed)
    diag_help(c, d, "destroy the removed services' states before applying %.*s/vpc",
              S(e->name));
  diag_help(c, d, "before applying %.*s/vpc, move each service's tasks out of %.*s: aws ecs "
            "update-service --cluster CLUSTER --service SERVICE --network-configuration "
            "'awsvpcConfiguration={subnets=[...],securityGroups=[...],assignPublicIp=...}' with "
            "the subnets of the zones kept and the rest as aws ecs describe-services shows it, "
            "then aws ecs wait services-stable; the services' states, applied after %.*s/vpc, "
            "write the same subnets", S(e->name), S(z->az), S(e->name));
}

static void zones_retire(Compilation *c, Arena *a, const Environment *e, const char *dir,
                         json_t *vpc, const PreviousServices *all) {
  int cap = (int)json_object_size(previous_at(vpc, "resource", "aws_subnet", NULL)) + 1;
  GoneZone *z = new(a, GoneZone, cap);
  int nz = zones_removed(a, e, vpc, z, cap);
  if (!nz)
    return;
  PreviousService *users = new(a, PreviousService, all->n + 1);
  for (int k = 0; k < nz; k++) {
    int nusers = 0;
    for (int i = 0; i < all->n; i++) {
      ArenaMark mark = arena_mark(a);  // one state's bytes at a time, as network_retires
      json_t *state = previous_service_state(a, dir, e->name, all->items[i].name);
      if (runs_in_zone(state, &z[k]))
        users[nusers++] = all->items[i];
      json_decref(state);
      arena_rewind(a, mark);
    }
    if (nusers)
      report_zone(c, e, &z[k], users, nusers);
  }
}

// E1234: the previous VPC state's load balancer has deletion protection on
// and this build deletes it (AWS provider documentation, "Resource: aws_lb":
// enable_deletion_protection "will prevent Terraform from deleting the load
// balancer"), so the VPC state's apply, or its destroy for an environment
// gone from the source, stops there half-done. e: the environment, or NULL
// when it is gone (then name is its directory's, reported at the project).
void rebuild_retire_network_protected_lb(Compilation *c, const Model *m, const Environment *e,
                                         Str name, json_t *vpc) {
  json_t *lb = previous_at(vpc, "resource", "aws_lb", "main", NULL);
  if ((e && e->alb) || !json_is_true(previous_member(lb, "enable_deletion_protection")))
    return;
  Str lb_name = previous_text(previous_member(lb, "name"));
  Span at = e ? e->span : m->project ? m->project->span : (Span){0};
  Diag *d = diag_at(c, E1234, at, "load balancer \"%.*s\" of environment \"%.*s\" has deletion "
                    "protection, and this build deletes it: the %s of %.*s/vpc would stop there, "
                    "half-done", S(lb_name), S(name), e ? "apply" : "destroy", S(name));
  if (e)
    diag_help(c, d, "first keep it with deletion_protection = false in the environment's alb "
              "block, build and apply %.*s/vpc; then remove it", S(name));
  else
    diag_help(c, d, "first put environment \"%.*s\" back with deletion_protection = false in its "
              "alb block, build and apply %.*s/vpc; then remove the environment", S(name),
              S(name));
}

void rebuild_retire_network(Compilation *c, Arena *a, const Environment *e, const char *dir,
                            json_t *vpc, const PreviousServices *all) {
  alb_retires(c, a, e, dir, vpc, all);
  if (!network_retires(c, a, e, dir, vpc, all) && !e->vpc.id.len)
    zones_retire(c, a, e, dir, vpc, all);
}
