// check_network.c: an environment's VPC: subnets inside it, none
// overlapping, one per availability zone in each tier, zones of the right
// region, and a load balancer spanning at least two zones. Reports E0510-E0515.
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

void check_network(Compilation *c, const Environment *e) {
  const Vpc *v = &e->vpc;
  if (!v->declared)
    return;
  Subnet *all = new(&c->arena, Subnet, v->npublic + v->nprivate + v->ndatabase + 1);
  int n = 0;
  tier(c, e, "public_subnets", v->public_subnets, v->npublic, v->at.public_subnets, all, &n);
  tier(c, e, "private_subnets", v->private_subnets, v->nprivate, v->at.private_subnets, all, &n);
  tier(c, e, "database_subnets", v->database_subnets, v->ndatabase, v->at.database_subnets, all,
       &n);
  overlaps(c, all, n);
  zones(c, e);
}
