// rebuild_nat.c: what a change of an environment's nat does to its private
// subnets while the VPC state is applied, where no order the state can
// write avoids it (W1240, W1241), judged against the previous build's VPC
// state in DIR (previous.c reads it). Reads DIR, writes nothing.
//
// Between "single" and "per_az" the state keeps every private subnet routed
// (emit_tf_vpc.c: route_table_associations, before_destroy, nat_moves), with two
// exceptions said here:
//  - W1240: NAT turned on or off (nat = "none" on one side). Without NAT the
//    private subnets reach AWS through VPC endpoints (emit_tf_vpc.c, endpoints);
//    the change deletes one way out and makes the other, and nothing the
//    new configuration holds can order the deletion of what it no longer
//    has after the creation of what it adds: Terraform deletes an object
//    gone from the configuration without waiting for unrelated creations
//    (internal/terraform, DestroyEdgeTransformer: a destroy waits only for
//    the objects that depended on it).
//  - W1241: a zone's gateway dropped (per_az to single) from a state whose
//    gateways an ecsc before create_before_destroy wrote: Terraform reads
//    the setting of an object gone from the configuration from its state
//    (NodeDestroyResourceInstance.CreateBeforeDestroy: "If the resource was
//    removed, there is no config to check"), so the zone's route, table,
//    gateway and address go before its subnet moves to the single table,
//    and the provider deletes a route table by first disassociating its
//    subnets (resourceRouteTableDelete): they have no way out until the
//    gateway is deleted and the association made again. The same E0881 holds
//    for a capacity provider: a build with the setting, applied once, first.
// Without a previous VPC state that ecsc made (a new DIR or environment, an
// existing VPC) there is nothing to compare and nothing is said.
#include "rebuild.h"

#include <string.h>

static Span nat_at(const Environment *e) {
  return span_or(e->vpc.at.nat, span_or(e->vpc.at.cidr, e->span));
}

// Whether anything runs in the private subnets: the instances, or a task
// without a public address (model_env_instances, model_in_private_subnets).
static bool anything_private(const Environment *e) {
  bool any = model_env_instances(e) != NULL;
  for (int i = 0; i < e->nservices && !any; i++)
    any = model_in_private_subnets(e->services[i]);
  return any;
}

// W1240: the previous state had gateways and this one none, while something
// runs in the private subnets; or it had none but endpoints, and this one
// has gateways.
static void nat_switched(Compilation *c, const Environment *e, bool before, bool endpoints) {
  bool now = e->vpc.nat != NAT_NONE;
  if (before == now || (now && !endpoints) || (!now && !anything_private(e)))
    return;
  Diag *d = diag_at(c, W1240, nat_at(e),
                    now ? "environment \"%.*s\" turns NAT on: its VPC state deletes the VPC "
                          "endpoints of its private subnets while it makes the NAT gateways "
                          "that replace them"
                        : "environment \"%.*s\" turns NAT off: its VPC state deletes the NAT "
                          "routes of its private subnets while it makes the VPC endpoints "
                          "that replace them",
                    S(e->name));
  diag_note(c, d, (Span){0}, "nothing orders the one after the other: the instances and tasks in "
            "the private subnets may lose ECS, ECR, CloudWatch Logs and their secrets until %s",
            now ? "a NAT gateway is available and routed" : "the endpoints are available");
  diag_help(c, d, "apply %.*s/vpc when its private subnets may be cut off that long",
            S(e->name));
}

// W1241: gateways of the previous state that this build, with one gateway,
// drops, written without create_before_destroy.
static void nat_dropped(Compilation *c, Arena *a, const Environment *e, json_t *gateways) {
  const Vpc *v = &e->vpc;
  int gone = 0;
  Str first = {0};
  const char *name;
  json_t *gw;
  json_object_foreach(gateways, name, gw) {
    bool kept = v->nazs && str_eq_c(derive_tf_ident(a, v->azs[0]), name);
    json_t *cbd = previous_at(gw, "lifecycle", "create_before_destroy", NULL);
    if (kept || json_is_true(cbd) || !strcmp(name, "main"))
      continue;  // "main": the single one, kept under its zone's name (nat_moves)
    if (!gone++)
      first = str_c(name);
  }
  if (!gone)
    return;
  Diag *d = diag_at(c, W1241, nat_at(e), "environment \"%.*s\" drops %d NAT gateway%s that an "
                    "older ecsc wrote without create_before_destroy: the apply deletes %s route "
                    "table before the zone's private subnet moves to the one that stays",
                    S(e->name), gone, gone == 1 ? "" : "s", gone == 1 ? "its" : "each one's");
  diag_note(c, d, (Span){0}, "aws_nat_gateway.%.*s%s in the previous build's %.*s/vpc: Terraform "
            "reads the setting of what it deletes from its state, and the subnet has no way out "
            "until the gateway is deleted too", S(first), gone > 1 ? " and others" : "",
            S(e->name));
  diag_help(c, d, "keep the nat of the previous build in this one, build and apply %.*s/vpc (it "
            "records create_before_destroy), then change nat and build again", S(e->name));
}

void rebuild_nat_env(Compilation *c, Arena *a, const Environment *e, json_t *vpc) {
  if (e->vpc.id.len)
    return;  // an existing VPC: ecsc makes no NAT
  json_t *resources = previous_member(vpc, "resource");
  json_t *gateways = previous_member(resources, "aws_nat_gateway");
  if (previous_at(resources, "aws_vpc", "main", NULL)) {
    bool before = json_is_object(gateways) && json_object_size(gateways) > 0;
    json_t *endpoints = previous_member(resources, "aws_vpc_endpoint");
    nat_switched(c, e, before, json_is_object(endpoints) && json_object_size(endpoints) > 0);
    if (before && e->vpc.nat == NAT_SINGLE)
      nat_dropped(c, a, e, gateways);
  }
}
