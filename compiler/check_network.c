// check_network.c: an environment's VPC: subnets inside it, none
// overlapping, one per availability zone in each tier, zones of the right
// region, and a load balancer spanning at least two zones. Reports E0510-E0515.
// An existing VPC (vpc { id }): one form, not both, each subnet id once, and
// the public subnets the load balancer and bastion need, and the private
// ones whatever runs there needs. Reports E0990-E0993, E1060. And the note
// the checks of a service's networking share (check_network_mode_note).
#include "model.h"

#include <stdlib.h>

static uint32_t mask(int prefix) {
  return prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
}

static bool cidr_contains(Cidr outer, Cidr inner) {
  return inner.prefix >= outer.prefix && (inner.addr & mask(outer.prefix)) == outer.addr;
}

// A subnet and its list element, for the caret and for the block as written.
typedef struct {
  Cidr cidr;
  Span at;
  Str text;         // as it prints: 10.0.1.0/24
} Subnet;

static int by_address(const void *a, const void *b) {
  const Subnet *x = a, *y = b;
  if (x->cidr.addr != y->cidr.addr)
    return x->cidr.addr < y->cidr.addr ? -1 : 1;
  return (x->cidr.prefix > y->cidr.prefix) - (x->cidr.prefix < y->cidr.prefix);
}

static void tier(Compilation *c, const Environment *e, const char *name, const CidrAt *list, int n,
                 Span list_at, Subnet *all, int *nall) {
  const Vpc *v = &e->vpc;
  Arena *a = &c->arena;
  Subnet *subnets = all + *nall;
  for (int i = 0; i < n; i++)
    subnets[i] = (Subnet){list[i].cidr, list[i].at, literal_cidr_text(a, list[i].cidr)};
  for (int i = 0; i < n; i++) {
    // Amazon EC2 API Reference, CreateSubnet (and the VPC User Guide,
    // "Subnet CIDR blocks"): "The allowed size for an IPv4 subnet is between
    // a /28 netmask (16 IP addresses) and a /16 netmask (65,536 IP addresses)."
    int prefix = subnets[i].cidr.prefix;
    if (prefix < 16 || prefix > 28) {
      Diag *d = diag_at(c, E0515, subnets[i].at, "subnet %.*s is a /%d: AWS makes subnets "
                        "from /16 to /28", S(subnets[i].text), prefix);
      if (prefix > 28)
        diag_help(c, d, "widen it to a /28 (16 addresses, 11 usable: AWS reserves 5), such as %.*s",
                  S(literal_cidr_text(a, (Cidr){subnets[i].cidr.addr & ~(uint32_t)15, 28})));
      else
        diag_help(c, d, "split it into blocks of /16 or smaller");
    }
    // Amazon VPC User Guide, "Subnet CIDR blocks": a subnet's block is a
    // subset of the VPC's.
    if (!cidr_contains(v->cidr, subnets[i].cidr)) {
      Diag *d = diag_at(c, E0510, subnets[i].at, "subnet %.*s is outside the VPC's %.*s",
                        S(subnets[i].text), S(literal_cidr_text(a, v->cidr)));
      diag_note(c, d, span_or(v->at.cidr, e->span), "the VPC's block is set here");
    }
  }
  *nall += n;
  // One subnet per zone, in the order of azs (the emitters pair them by index).
  if (list_at.src && n != v->nazs) {
    Diag *d = diag_at(c, E0512, list_at, "%d %s for %d availability zone%s", n, name,
                      v->nazs, v->nazs == 1 ? "" : "s");
    diag_note(c, d, span_or(v->at.azs, e->span), "the zones are listed here");
    diag_help(c, d, "give one subnet for each zone, in the same order");
  }
}

static uint64_t last_address(Cidr c) {
  return (uint64_t)c.addr + ((uint64_t)1 << (32 - c.prefix)) - 1;
}

// Sorted by address, two CIDR blocks either nest or are disjoint, so a block
// overlaps an earlier one exactly when it starts before the furthest end seen
// so far: n log n, where comparing every pair would be quadratic.
static void overlaps(Compilation *c, Subnet *all, int n) {
  qsort(all, (size_t)n, sizeof *all, by_address);
  for (int i = 1, widest = 0; i < n; i++) {
    if (all[i].cidr.addr <= last_address(all[widest].cidr)) {
      Subnet *later = &all[i], *earlier = &all[widest];
      if (later->at.start < earlier->at.start) {
        Subnet *t = later;
        later = earlier;
        earlier = t;
      }
      Diag *d = diag_at(c, E0511, later->at, "subnet %.*s overlaps %.*s", S(later->text),
                        S(earlier->text));
      diag_note(c, d, earlier->at, "%.*s is declared here", S(earlier->text));
    }
    if (last_address(all[i].cidr) > last_address(all[widest].cidr))
      widest = i;
  }
}

static void zones(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  if (!v->nazs)
    return;
  Region *r = e->region_info;
  for (int z = 0; z < v->nazs; z++) {
    for (int y = 0; y < z; y++)
      if (str_eq(v->azs[y], v->azs[z])) {
        Diag *d = diag_at(c, E0512, v->az_at[z], "availability zone \"%.*s\" listed twice",
                          S(v->azs[z]));
        diag_note(c, d, v->az_at[y], "first listed here");
      }
    if (!r)
      continue;
    bool known = false;
    for (int i = 0; i < r->nazs; i++)
      known |= str_eq(r->azs[i], v->azs[z]);
    if (!known) {
      Diag *d = diag_at(c, E0513, v->az_at[z], "availability zone \"%.*s\" is not in region \"%.*s\"",
                        S(v->azs[z]), S(e->region));
      diag_did_you_mean(c, d, v->azs[z], r->azs, r->nazs);
    }
  }
  // ELB User Guide, "Availability Zones and subnets for your Application
  // Load Balancer": subnets in at least two zones.
  if (e->alb && (v->nazs < 2 || v->npublic < 2)) {
    Diag *d = diag_at(c, E0514, e->alb->span, "the load balancer needs public subnets in two zones, "
                      "found %d", v->npublic < v->nazs ? v->npublic : v->nazs);
    diag_note(c, d, span_or(v->at.azs, e->span), "the zones are listed here");
  }
}

//
// An existing VPC
//

// The attributes of the form not chosen, written anyway: E0990 on each.
static void other_form(Compilation *c, const Vpc *v) {
  static const char *const managed[] = {"cidr", "azs", "public_subnets", "private_subnets",
                                        "database_subnets", "nat"};
  Span managed_at[] = {v->at.cidr, v->at.azs, v->at.public_subnets, v->at.private_subnets,
                       v->at.database_subnets, v->at.nat};
  static const char *const existing[] = {"public_subnet_ids", "private_subnet_ids"};
  Span existing_at[] = {v->at.public_subnet_ids, v->at.private_subnet_ids};
  if (v->id.len) {
    for (int i = 0; i < countof(managed); i++) {
      if (!managed_at[i].src)
        continue;
      Diag *d = diag_at(c, E0990, managed_at[i], "\"%s\" is for a VPC ecsc builds, and this "
                        "one is the existing %.*s", managed[i], S(v->id));
      diag_note(c, d, v->at.id, "the existing VPC is named here");
      diag_help(c, d, "remove %s: ecsc reads an existing VPC and makes none of its network "
                      "(subnets by id: public_subnet_ids, private_subnet_ids)", managed[i]);
    }
    return;
  }
  for (int i = 0; i < countof(existing); i++) {
    if (!existing_at[i].src)
      continue;
    Diag *d = diag_at(c, E0990, existing_at[i], "\"%s\" names subnets of an existing VPC, "
                      "and this vpc block has no id", existing[i]);
    diag_help(c, d, "give the VPC's id = \"vpc-...\" to use one ecsc does not manage, or "
                    "%s = [CIDR, ...] for one it builds", i == 0 ? "public_subnets" : "private_subnets");
  }
}

// Each subnet once in its list: a subnet is one data source, one place in
// the load balancer's and the autoscaling group's lists (the ELB API takes
// one subnet per zone; CreateAutoScalingGroup's VPCZoneIdentifier is a set).
static void repeated_ids(Compilation *c, const char *tier, const SubnetId *ids, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      if (str_eq(ids[i].id, ids[j].id)) {
        Diag *d = diag_at(c, E0991, ids[i].at, "subnet \"%.*s\" listed twice in %s",
                          S(ids[i].id), tier);
        diag_note(c, d, ids[j].at, "first listed here");
        break;
      }
}

// What sits in the public subnets. ELB User Guide, "Availability Zones and
// subnets for your Application Load Balancer": "You must select at least
// two Availability Zone subnets", one subnet per zone. By ids alone ecsc
// cannot know the zones offline: it proves two ids here, and the VPC state
// proves two zones, one subnet each, at plan time (preconditions of
// aws_lb.main, emit_tf_vpc.c's alb_zones), before anything is made.
static void public_needs(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  Span list_at = span_or(v->at.public_subnet_ids, v->at.id);
  if (e->alb && v->npublic_ids < 2) {
    Diag *d = diag_at(c, E0992, e->alb->span, "the load balancer needs public subnets in two "
                      "zones, and the existing VPC gives %d public subnet%s", v->npublic_ids,
                      v->npublic_ids == 1 ? "" : "s");
    diag_note(c, d, list_at, "the existing VPC's subnets are given here");
    diag_help(c, d, "list two or more public subnets, each in its own availability zone: "
                    "public_subnet_ids = [\"subnet-...\", \"subnet-...\"]");
  }
  // The bastion takes the first public subnet (emit_tf_vpc.c), as it does the
  // first zone's of a VPC ecsc builds.
  if (e->bastion && !v->npublic_ids) {
    Diag *d = diag_at(c, E0993, e->bastion->span, "the bastion needs a public subnet, and the "
                      "existing VPC gives no public_subnet_ids");
    diag_note(c, d, list_at, "the existing VPC is named here");
    diag_help(c, d, "add public_subnet_ids = [\"subnet-...\"], a subnet with a route to an "
                    "internet gateway");
  }
}

// What runs in the private subnets, which the existing VPC must then name
// (model_env_instances says what does): the container instances (Amazon
// EC2 Auto Scaling API Reference, CreateAutoScalingGroup: the group's
// subnets are its VPCZoneIdentifier, where it launches them) and the
// interfaces of awsvpc tasks without a public address (ECS API Reference,
// AwsVpcConfiguration: subnets, required). Tasks with public addresses are
// in the public subnets: an all-Fargate environment of them needs none.
// One error per environment, at the vpc block, whose fix it is; a note at
// each of the first few that need them.
static void private_users(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  if (v->nprivate_ids)
    return;
  const Cluster *k = model_env_instances(e);
  const Service *first = NULL;
  int nservices = 0;
  for (int i = 0; i < e->nservices; i++)
    if (model_private_interfaces(e->services[i]) && !nservices++)
      first = e->services[i];
  if (!k && !first)
    return;
  Arena *a = &c->arena;
  Str who = k ? str_fmt(a, "the instances of %s", model_instances_name(a, k).ptr)
              : str_fmt(a, "the tasks of service \"%.*s\"", S(first->name));
  Diag *d = diag_at(c, E1060, span_or(v->at.id, e->span), "the existing VPC names no "
                    "private_subnet_ids, and %.*s run in the private subnets", S(who));
  if (k)
    diag_note(c, d, k->outer ? k->group_at : k->span, "the autoscaling group launches "
              "them in the private subnets");
  for (int i = 0, shown = 0; i < e->nservices && shown < 3; i++) {
    const Service *s = e->services[i];
    if (!model_private_interfaces(s))
      continue;
    diag_note(c, d, span_or(s->at.network_mode, s->span), "service \"%.*s\" is on awsvpc "
              "without assign_public_ip: its tasks' interfaces go in the private subnets",
              S(s->name));
    shown++;
  }
  if (nservices > 3)
    diag_note(c, d, span_or(v->at.id, e->span), "%d more services of environment \"%.*s\" "
              "run there too", nservices - 3, S(e->name));
  diag_help(c, d, "add private_subnet_ids = [\"subnet-...\", \"subnet-...\"], subnets "
                  "of the VPC that reach ECS, ECR and CloudWatch Logs by its NAT or endpoints%s",
            k ? "" : "; or give each of those Fargate services assign_public_ip = true, "
                     "which runs its tasks in the public subnets");
}

static void existing(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  repeated_ids(c, "public_subnet_ids", v->public_ids, v->npublic_ids);
  repeated_ids(c, "private_subnet_ids", v->private_ids, v->nprivate_ids);
  public_needs(c, e);
  private_users(c, e);
}

// Where a service's network mode comes from, for a finding that needs
// awsvpc (check_groups.c's E1090, check_connect.c's E1023). Here, not in
// check.c, which runs those files: they would call back into it.
void check_network_mode_note(Compilation *c, Diag *d, const Service *s) {
  if (s->at.network_mode.src)
    diag_note(c, d, s->at.network_mode, "the service's network mode is set here");
  else
    diag_note(c, d, s->span, "the service has the default network mode, bridge");
}

void check_network(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  if (!v->declared)
    return;
  other_form(c, v);
  if (v->id.len) {
    existing(c, e);
    return;
  }
  Subnet *all = new(&c->arena, Subnet, v->npublic + v->nprivate + v->ndatabase + 1);
  int n = 0;
  tier(c, e, "public_subnets", v->public_subnets, v->npublic, v->at.public_subnets, all, &n);
  tier(c, e, "private_subnets", v->private_subnets, v->nprivate, v->at.private_subnets, all, &n);
  tier(c, e, "database_subnets", v->database_subnets, v->ndatabase, v->at.database_subnets, all,
       &n);
  overlaps(c, all, n);
  zones(c, e);
}
