// check_network.c: an environment's VPC: subnets inside it, none
// overlapping, one per availability zone in each tier, zones of the right
// region, and a load balancer spanning at least two zones. Reports E051x.
#include "model.h"

#include <stdlib.h>

static uint32_t mask(int prefix) {
  return prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
}

bool cidr_contains(Cidr outer, Cidr inner) {
  return inner.prefix >= outer.prefix && (inner.addr & mask(outer.prefix)) == outer.addr;
}

bool cidr_overlap(Cidr a, Cidr b) {
  return cidr_contains(a, b) || cidr_contains(b, a);
}

typedef struct {
  Cidr cidr;
  Node *at;         // the list element, for the caret
} Subnet;

// The list elements of a subnet setting, so a diagnostic points at the one
// at fault and not at the whole list.
static int elements(Settings *s, const char *name, Subnet *out, int cap) {
  Node *attr = setting(s, name);
  int n = 0;
  if (!attr || attr->value->kind != N_LIST)
    return 0;
  for (Node *e = attr->value->body; e && n < cap; e = e->next)
    out[n++] = (Subnet){e->v.cidr, e};
  return n;
}

static int by_address(const void *a, const void *b) {
  const Subnet *x = a, *y = b;
  if (x->cidr.addr != y->cidr.addr)
    return x->cidr.addr < y->cidr.addr ? -1 : 1;
  return (x->cidr.prefix > y->cidr.prefix) - (x->cidr.prefix < y->cidr.prefix);
}

static void tier(Compilation *c, Environment *e, const char *name, Subnet *all, int *nall) {
  Vpc *v = &e->vpc;
  Subnet subnets[8];
  int n = elements(v->set, name, subnets, countof(subnets));
  Node *attr = setting(v->set, name);
  Arena *a = &c->arena;
  for (int i = 0; i < n; i++) {
    // Amazon VPC User Guide, "Subnet CIDR blocks": a subnet's block is a
    // subset of the VPC's.
    if (!cidr_contains(v->cidr, subnets[i].cidr)) {
      Diag *d = diag_at(c, E0510, subnets[i].at->span, "subnet %.*s is outside the VPC's %.*s",
                        S(subnets[i].at->text), S(literal_cidr_text(a, v->cidr)));
      diag_note(c, d, setting_span(v->set, "cidr", e->span), "the VPC's block is set here");
    }
    all[(*nall)++] = subnets[i];
  }
  // One subnet per zone, in the order of azs (the emitters pair them by index).
  if (attr && n != v->nazs) {
    Diag *d = diag_at(c, E0512, attr->value->span, "%d %s for %d availability zone%s", n, name,
                      v->nazs, v->nazs == 1 ? "" : "s");
    diag_note(c, d, setting_span(v->set, "azs", e->span), "the zones are listed here");
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
      if (later->at->span.start < earlier->at->span.start) {
        Subnet *t = later;
        later = earlier;
        earlier = t;
      }
      Diag *d = diag_at(c, E0511, later->at->span, "subnet %.*s overlaps %.*s", S(later->at->text),
                        S(earlier->at->text));
      diag_note(c, d, earlier->at->span, "%.*s is declared here", S(earlier->at->text));
    }
    if (last_address(all[i].cidr) > last_address(all[widest].cidr))
      widest = i;
  }
}

static void zones(Compilation *c, Environment *e) {
  Vpc *v = &e->vpc;
  Node *attr = setting(v->set, "azs");
  if (!attr || attr->value->kind != N_LIST)
    return;
  Region *r = e->region_info;
  for (Node *z = attr->value->body; z; z = z->next) {
    for (Node *y = attr->value->body; y != z; y = y->next)
      if (str_eq(y->str, z->str)) {
        Diag *d = diag_at(c, E0512, z->span, "availability zone \"%.*s\" listed twice", S(z->str));
        diag_note(c, d, y->span, "first listed here");
      }
    if (!r)
      continue;
    bool known = false;
    for (int i = 0; i < r->nazs; i++)
      known |= str_eq(r->azs[i], z->str);
    if (!known) {
      Diag *d = diag_at(c, E0513, z->span, "availability zone \"%.*s\" is not in region \"%.*s\"",
                        S(z->str), S(e->region));
      diag_did_you_mean(c, d, z->str, r->azs, r->nazs);
    }
  }
  // ELB User Guide, "Availability Zones and subnets for your Application
  // Load Balancer": subnets in at least two zones.
  if (e->alb && (v->nazs < 2 || v->npublic < 2)) {
    Diag *d = diag_at(c, E0514, e->alb->span, "the load balancer needs public subnets in two zones, "
                      "found %d", v->npublic < v->nazs ? v->npublic : v->nazs);
    diag_note(c, d, attr->value->span, "the zones are listed here");
  }
}

void check_network(Compilation *c, Environment *e) {
  if (!e->vpc.set)
    return;
  Subnet all[24];
  int n = 0;
  tier(c, e, "public_subnets", all, &n);
  tier(c, e, "private_subnets", all, &n);
  tier(c, e, "database_subnets", all, &n);
  overlaps(c, all, n);
  zones(c, e);
}
