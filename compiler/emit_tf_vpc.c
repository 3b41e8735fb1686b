// emit_tf_vpc.c: an environment's VPC state: its network (a VPC of its own
// or an existing one), the security groups, the endpoints, the load balancer
// and its listeners, the bastion, the parameters ecsc holds, the Service
// Connect namespace; each cluster's resources come from emit_tf_cluster.c.
#include "emit_tf.h"

#include <stdlib.h>
#include <string.h>

//
// The VPC state
//

static const char *const tiers[] = {"public", "private", "database"};

static CidrAt *tier_subnets(const Vpc *v, int tier, int *n) {
  *n = tier == 0 ? v->npublic : tier == 1 ? v->nprivate : v->ndatabase;
  return tier == 0 ? v->public_subnets : tier == 1 ? v->private_subnets : v->database_subnets;
}

// Where a tier's subnets were declared.
static Span tier_at(const Environment *e, int tier) {
  const Vpc *v = &e->vpc;
  Span at[] = {v->at.public_subnets, v->at.private_subnets, v->at.database_subnets};
  return span_or(at[tier], e->span);
}

// The VPC: the one the state makes, or the existing one it reads.
static json_t *vpc_id(Tf *t) {
  return jsonout_cstr(t->e->vpc.id.len ? "${data.aws_vpc.main.id}" : "${aws_vpc.main.id}");
}

static void tf_vpc(Tf *t, Span at) {
  const Environment *e = t->e;
  resource(t, "aws_vpc", "main", at, "the environment's VPC",
           "cidr_block", jsonout_str(literal_cidr_text(t->arena, e->vpc.cidr)),
           "enable_dns_support", jsonout_bool(true),
           "enable_dns_hostnames", jsonout_bool(true),
           "tags", tf_tags(t, "%.*s", S(e->prefix)));
  resource(t, "aws_internet_gateway", "main", at, "the VPC's way to the internet",
           "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
           "tags", tf_tags(t, "%.*s", S(e->prefix)));
}

static void subnets(Tf *t) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  for (int k = 0; k < 3; k++) {
    int n;
    CidrAt *cidrs = tier_subnets(v, k, &n);
    Span at = tier_at(e, k);
    for (int i = 0; i < n && i < v->nazs; i++)
      resource(t, "aws_subnet", tf_id(t, "%s_%s", tiers[k], tf_ident(t, v->azs[i])), at,
               tf_id(t, "%s subnet in %.*s", tiers[k], S(v->azs[i])),
               "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
               "cidr_block", jsonout_str(literal_cidr_text(t->arena, cidrs[i].cidr)),
               "availability_zone", jsonout_str(v->azs[i]),
               "tags", jsonout_put(tf_tags(t, "%.*s-%s-%.*s", S(e->prefix), tiers[k], S(v->azs[i])),
                                   "Tier", jsonout_cstr(tiers[k])));
  }
}

// NAT: one gateway shared by the private subnets (the seed's choice, and
// the cheap one), one per zone (no zone depends on another), or none.
static int nat_gateways(const Vpc *v) {
  return v->nat == NAT_NONE ? 0 : v->nat == NAT_SINGLE ? 1 : v->nazs;
}

// A gateway and its address are named by their zone in both modes: the
// single one is the first zone's (in its public subnet), so a switch
// between "single" and "per_az" keeps it, with its Elastic IP, which is the
// environment's egress address (partners allow it by address). Builds
// before this one named the single one "main": moved (nat_moves).
static const char *nat_name(Tf *t, int i) {
  return tf_ident(t, t->e->vpc.azs[i]);
}

static void nat(Tf *t, Span at) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  for (int i = 0; i < nat_gateways(v); i++) {
    const char *name = nat_name(t, i);
    resource(t, "aws_eip", tf_id(t, "nat_%s", name), at, "the NAT gateway's address",
             "domain", jsonout_cstr("vpc"),
             "tags", tf_tags(t, "%.*s-nat-%.*s", S(e->prefix), S(v->azs[i])),
             "lifecycle", tf_before_destroy());
    resource(t, "aws_nat_gateway", name, at, "a NAT gateway",
             "allocation_id", tf_strf(t, "${aws_eip.nat_%s.id}", name),
             "subnet_id", tf_strf(t, "${aws_subnet.public_%s.id}", tf_ident(t, v->azs[i])),
             "tags", tf_tags(t, "%.*s-nat-%.*s", S(e->prefix), S(v->azs[i])),
             "depends_on", jsonout_arr(jsonout_cstr("aws_internet_gateway.main")),
             "lifecycle", tf_before_destroy());
  }
}

// The private subnets' route tables: one for all, or one per zone when each
// zone has its own NAT gateway.
static int private_tables_in(const Vpc *v, NatMode mode) {
  return mode == NAT_PER_AZ ? v->nazs : 1;
}

static int private_tables(const Vpc *v) {
  return private_tables_in(v, v->nat);
}

static const char *private_table_in(Tf *t, NatMode mode, int i) {
  const Vpc *v = &t->e->vpc;
  return private_tables_in(v, mode) == 1 ? "private"
                                         : tf_id(t, "private_%s", tf_ident(t, v->azs[i]));
}

static const char *private_table(Tf *t, int i) {
  return private_table_in(t, t->e->vpc.nat, i);
}

// nat = "single" <-> "per_az": the first zone's route table and NAT route
// are the single ones under the other mode's names, kept by moved blocks,
// so the first zone's private subnet never changes table; and the single
// gateway of builds before this one, "main", is the first zone's.
static void nat_moves(Tf *t, Span at) {
  const Vpc *v = &t->e->vpc;
  if (v->nat != NAT_SINGLE && v->nat != NAT_PER_AZ)
    return;
  const char *first = nat_name(t, 0);
  tf_moved(t, "aws_eip", "nat_main", tf_id(t, "nat_%s", first), at,
           "the single NAT's address, named before its zone named it");
  tf_moved(t, "aws_nat_gateway", "main", first, at,
           "the single NAT, named before its zone named it");
  NatMode other = v->nat == NAT_SINGLE ? NAT_PER_AZ : NAT_SINGLE;
  const char *from = private_table_in(t, other, 0), *to = private_table(t, 0);
  if (!strcmp(from, to))
    return;  // one zone: one table either way
  const char *why = v->nat == NAT_SINGLE
                        ? "the first zone's table of nat = per_az is the single one"
                        : "the single table of nat = single is the first zone's";
  tf_moved(t, "aws_route_table", from, to, at, why);
  tf_moved(t, "aws_route", tf_id(t, "%s_nat", from), tf_id(t, "%s_nat", to), at, why);
}

static void route_tables(Tf *t, Span at, Span nat_at) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  resource(t, "aws_route_table", "public", at, "routes of the public subnets",
           "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
           "tags", tf_tags(t, "%.*s-public", S(e->prefix)));
  resource(t, "aws_route", "public_internet", at, "the public subnets reach the internet",
           "route_table_id", jsonout_cstr("${aws_route_table.public.id}"),
           "destination_cidr_block", jsonout_cstr("0.0.0.0/0"),
           "gateway_id", jsonout_cstr("${aws_internet_gateway.main.id}"));
  for (int i = 0; i < private_tables(v); i++) {
    const char *name = private_table(t, i);
    resource(t, "aws_route_table", name, at, "routes of the private subnets",
             "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
             "tags", private_tables(v) == 1
                         ? tf_tags(t, "%.*s-private", S(e->prefix))
                         : tf_tags(t, "%.*s-private-%.*s", S(e->prefix), S(v->azs[i])),
             "lifecycle", tf_before_destroy());
    if (nat_gateways(v))
      resource(t, "aws_route", tf_id(t, "%s_nat", name), nat_at,
               "the private subnets reach the internet through NAT",
               "route_table_id", tf_strf(t, "${aws_route_table.%s.id}", name),
               "destination_cidr_block", jsonout_cstr("0.0.0.0/0"),
               "nat_gateway_id", tf_strf(t, "${aws_nat_gateway.%s.id}", nat_name(t, i)),
               "lifecycle", tf_before_destroy());
  }
  // No route out: databases answer the VPC and nothing else.
  if (v->ndatabase)
    resource(t, "aws_route_table", "database", span_or(v->at.database_subnets, at),
             "routes of the database subnets: none leave the VPC",
             "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
             "tags", tf_tags(t, "%.*s-database", S(e->prefix)));
}

// A private subnet moves to its table (ReplaceRouteTableAssociation, in
// place: resourceRouteTableAssociationUpdate) only once the table has its
// NAT route: depends_on, as the reference to the table alone would let
// Terraform move it as soon as the new, empty table exists, while the route
// waits for its gateway (the provider waits for "available"; Terraform
// updates after what it depends on is created: docs/destroying.md,
// "Resource Updates"). So a switch from "single" to "per_az" leaves each
// other zone on the single gateway until its own is routed, and one to
// "single" moves each subnet to the single table, routed already, before
// its zone's table, route and gateway go (before_destroy).
static void route_table_associations(Tf *t) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  for (int k = 0; k < 3; k++) {
    int n;
    tier_subnets(v, k, &n);
    Span at = tier_at(e, k);
    for (int i = 0; i < n && i < v->nazs; i++) {
      const char *az = tf_ident(t, v->azs[i]);
      const char *table = k == 0 ? "public" : k == 2 ? "database" : private_table(t, i);
      bool nat_route = k == 1 && nat_gateways(v);
      resource(t, "aws_route_table_association", tf_id(t, "%s_%s", tiers[k], az), at, "",
               "subnet_id", tf_strf(t, "${aws_subnet.%s_%s.id}", tiers[k], az),
               "route_table_id", tf_strf(t, "${aws_route_table.%s.id}", table),
               "depends_on", nat_route ? jsonout_arr(tf_strf(t, "aws_route.%s_nat", table)) : NULL);
    }
  }
}

// An existing VPC, read: the VPC by its id and each subnet by its own, each
// proved at plan time to be the VPC's (a postcondition: a subnet id of
// another VPC would otherwise surface only when the load balancer or the
// group is created). Nothing of its network is made.
static void tf_existing_subnets(Tf *t, const SubnetId *ids, int n, const char *tier, Span list_at) {
  const Vpc *v = &t->e->vpc;
  for (int i = 0; i < n; i++)
    data(t, "aws_subnet", str_cstr(t->arena, ids[i].tf_name), span_or(list_at, ids[i].at),
         tf_id(t, "an existing %s subnet", tier),
         "id", tf_lit(t, ids[i].id),
         "lifecycle", jsonout_obj(
             "postcondition", jsonout_arr(jsonout_obj(
                 "condition", jsonout_cstr("${self.vpc_id == data.aws_vpc.main.id}"),
                 "error_message", tf_strf(t, "subnet %.*s is not in %.*s, the environment's VPC",
                                          S(ids[i].id), S(v->id))))));
}

static bool public_ips_used(const Environment *e);

// An existing VPC's public subnets, proved public at plan time when
// something in them faces the internet: the load balancer
// (internet-facing), the bastion (its Elastic IP) or tasks with public
// addresses. ELB User Guide for Application Load Balancers, "Troubleshoot",
// "Clients cannot connect to an internet-facing load balancer": "Your
// internet-facing load balancer is attached to a private subnet. You must
// specify public subnets for your load balancer. A public subnet has a route
// to the Internet Gateway for your virtual private cloud (VPC)." AWS accepts
// the load balancer in such a subnet (CreateLoadBalancer checks only that
// the VPC has an internet gateway: "InvalidSubnet: VPC ... has no internet
// gateway", hashicorp/terraform-provider-aws#3494), its targets pass their
// health checks (those stay in the VPC), and only clients fail, so nothing
// after the apply would say why. The route may also reach the gateway
// through an inspection hop, which AWS documents: a firewall or Gateway Load
// Balancer endpoint (AWS Network Firewall Developer Guide, "VPC route table
// configuration": "Change the customer subnet route table so that it directs
// internet-bound traffic to the firewall endpoint") or a middlebox
// appliance's network interface (Amazon VPC User Guide, "Gateway route
// tables": the return traffic "must be routed through the same appliance").
// So a subnet passes with a route to an internet gateway (igw-), a VPC
// endpoint (the provider reports gateway ids vpce-... as vpc_endpoint_id and
// leaves out gateway endpoints' prefix-list routes), a network interface or
// an instance; it fails with none of these, as a private subnet's table has
// (local, NAT gateway, transit gateway, peering). Which table: the subnet's
// own association, else the VPC's main route table ("If you don't
// explicitly associate a subnet with a particular route table, the subnet is
// implicitly associated with the main route table", VPC User Guide,
// "Subnet route tables"). Data aws_route_table with subnet_id finds explicit
// associations only and fails the plan on a subnet of the main table
// (terraform-provider-aws, vpc_route_table_data_source.go: the filter
// association.subnet-id, then SingularDataSourceFindError when none
// matches), so the explicit one is looked up with aws_route_tables, whose
// ids may be empty, and the main table is the fallback. The routes are
// flattenRoute's (vpc_route_table.go): a gateway id vpce-... becomes
// vpc_endpoint_id, and unset targets are absent, hence the try()s. The
// person who plans needs ec2:DescribeRouteTables.
static void public_routes(Tf *t) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  if (!v->npublic_ids || (!e->alb && !e->bastion && !public_ips_used(e)))
    return;
  Span list_at = span_or(v->at.public_subnet_ids, v->at.id);
  data(t, "aws_route_table", "main", list_at,
       "the VPC's main route table, of its subnets with no table of their own",
       "vpc_id", jsonout_cstr("${data.aws_vpc.main.id}"),
       "filter", jsonout_arr(jsonout_obj(
           "name", jsonout_cstr("association.main"),
           "values", jsonout_arr(jsonout_cstr("true")))));
  for (int i = 0; i < v->npublic_ids; i++) {
    const SubnetId *s = &v->public_ids[i];
    const char *n = str_cstr(t->arena, s->tf_name);
    Span at = span_or(s->at, list_at);
    data(t, "aws_route_tables", n, at,
         tf_id(t, "the route table of subnet %.*s, if it has its own", S(s->id)),
         "vpc_id", jsonout_cstr("${data.aws_vpc.main.id}"),
         "filter", jsonout_arr(jsonout_obj(
             "name", jsonout_cstr("association.subnet-id"),
             "values", jsonout_arr(tf_lit(t, s->id)))));
    data(t, "aws_route_table", n, at,
         tf_id(t, "the routes of public subnet %.*s: to the internet, or it is not public",
               S(s->id)),
         "route_table_id", tf_strf(t, "${try(data.aws_route_tables.%s.ids[0], "
                                   "data.aws_route_table.main.id)}", n),
         "lifecycle", jsonout_obj(
             "postcondition", jsonout_arr(jsonout_obj(
                 "condition", jsonout_cstr(
                     "${anytrue([for r in self.routes : try(startswith(r.gateway_id, \"igw-\"), "
                     "false) || try(length(r.vpc_endpoint_id) > 0, false) || "
                     "try(length(r.network_interface_id) > 0, false) || "
                     "try(length(r.instance_id) > 0, false)])}"),
                 "error_message",
                 tf_strf(t, "subnet %.*s of public_subnet_ids has no route to an internet gateway "
                         "(nor through a firewall endpoint or an appliance): it is a private "
                         "subnet, and the internet-facing load balancer, the bastion or the "
                         "tasks with public addresses there cannot be reached from the "
                         "internet; list subnets whose route table sends traffic to the VPC's "
                         "internet gateway", S(s->id))))));
  }
}

static void existing_network(Tf *t) {
  const Vpc *v = &t->e->vpc;
  data(t, "aws_vpc", "main", v->at.id, "the environment's VPC, which ecsc does not manage",
       "id", tf_lit(t, v->id));
  tf_existing_subnets(t, v->public_ids, v->npublic_ids, "public", v->at.public_subnet_ids);
  tf_existing_subnets(t, v->private_ids, v->nprivate_ids, "private", v->at.private_subnet_ids);
  public_routes(t);
}

static void network(Tf *t) {
  const Environment *e = t->e;
  if (e->vpc.id.len) {
    existing_network(t);
    return;
  }
  Span at = span_or(e->vpc.at.cidr, e->span);
  tf_vpc(t, at);
  subnets(t);
  Span nat_at = span_or(e->vpc.at.nat, at);
  nat(t, nat_at);
  route_tables(t, at, nat_at);
  route_table_associations(t);
  nat_moves(t, nat_at);
}

static void rule(Tf *t, const char *kind, const char *name, const char *group, int from, int to,
                 const char *cidr, const char *source_group, const char *why, Span at) {
  resource(t, kind, name, at, why,
           "security_group_id", tf_strf(t, "${aws_security_group.%s.id}", group),
           "description", tf_ec2_description(why),
           "ip_protocol", jsonout_cstr(from < 0 ? "-1" : "tcp"),
           "from_port", from >= 0 ? jsonout_int(from) : NULL,
           "to_port", from >= 0 ? jsonout_int(to) : NULL,
           "cidr_ipv4", cidr ? jsonout_cstr(cidr) : NULL,
           "referenced_security_group_id",
           cidr ? NULL : tf_strf(t, "${aws_security_group.%s.id}", source_group));
}

static void security_group(Tf *t, const char *id, Str name, const char *why, Span at) {
  resource(t, "aws_security_group", id, at, why,
           "name", jsonout_str(name),
           "description", tf_ec2_description(why),
           "vpc_id", vpc_id(t),
           "tags", tf_tags(t, "%.*s", S(name)));
}

static int by_port(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

// A fixed host port behind the load balancer (a host_port in bridge mode,
// the port in host mode) is opened on the instances' group, from the load
// balancer only, once per port: the environment's services share the group,
// and EC2 refuses a second identical rule (InvalidPermission.Duplicate), so
// two services on one port, even on different clusters, need the one rule.
// The target is reached on the port ECS registers it with, the host port
// (ELB User Guide, "Register targets").
static void fixed_ports(Tf *t) {
  const Environment *e = t->e;
  int *ports = new(t->arena, int, e->nservices + 1), n = 0;
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->route && e->services[i]->route->container->fixed_port)
      ports[n++] = e->services[i]->route->container->fixed_port;
  if (n)
    qsort(ports, (size_t)n, sizeof *ports, by_port);
  for (int i = 0; i < n; i++) {
    if (i && ports[i] == ports[i - 1])
      continue;
    rule(t, "aws_vpc_security_group_ingress_rule", tf_id(t, "instances_from_alb_%d", ports[i]),
         "instances", ports[i], ports[i], NULL, "alb",
         tf_id(t, "the fixed host port %d, from the load balancer only", ports[i]), e->alb->span);
    rule(t, "aws_vpc_security_group_egress_rule", tf_id(t, "alb_to_instances_%d", ports[i]), "alb",
         ports[i], ports[i], NULL, "instances",
         tf_id(t, "to the fixed host port %d of the tasks", ports[i]), e->alb->span);
  }
}

// The load balancer's group: HTTP, and HTTPS with a certificate, from the
// declared ranges; out to the instances' dynamic host ports, which the
// instances' group opens to it alone; then the fixed host ports. (Fixed
// and dynamic host ports are bridge and host networking's, on instances.)
static void alb_rules(Tf *t) {
  const Alb *lb = t->e->alb;
  Arena *a = t->arena;
  security_group(t, "alb", t->e->sg_alb, "the application load balancer", lb->span);
  Span at = span_or(lb->at.ingress_cidrs, lb->span);
  int ports[2] = {80, 443};
  for (int p = 0; p < (lb->certificate_arn.len ? 2 : 1); p++)
    for (int i = 0; i < lb->ningress; i++) {
      Str cidr = literal_cidr_text(a, lb->ingress[i].cidr);
      rule(t, "aws_vpc_security_group_ingress_rule", tf_id(t, "alb_%d_%d", ports[p], i), "alb",
           ports[p], ports[p], str_cstr(a, cidr), NULL,
           tf_id(t, "HTTP%s from %.*s", p ? "S" : "", S(cidr)), at);
    }
  if (!model_env_instances(t->e))
    return;  // Fargate only: each service state opens its tasks' group to it
  rule(t, "aws_vpc_security_group_egress_rule", "alb_to_instances", "alb", DYNAMIC_PORT_FIRST,
       DYNAMIC_PORT_LAST, NULL, "instances", "to the dynamic host ports of the tasks", lb->span);
  rule(t, "aws_vpc_security_group_ingress_rule", "instances_from_alb", "instances",
       DYNAMIC_PORT_FIRST, DYNAMIC_PORT_LAST, NULL, "alb",
       "the dynamic host ports of the tasks, from the load balancer only", lb->span);
  fixed_ports(t);
}

// The bastion's way to its security updates. It runs Amazon Linux 2023
// (tf_bastion), whose dnf repositories are AWS-owned S3 buckets of the
// instance's region, al2023-repos-REGION-de612dc2 (and al2023-REGION for
// kernel live patches), fetched over HTTPS (AWS's data perimeter examples,
// aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/
// README.md: "To download packages from Amazon Linux repositories hosted on
// AWS owned Amazon S3 buckets, Amazon EC2 makes an unauthenticated call to
// Amazon S3"; the image's /etc/yum.repos.d/amazonlinux.repo: mirrorlist=
// https://al2023-repos-$awsregion-de612dc2.s3$dualstack.$awsregion.
// $awsdomain/...). So one rule: HTTPS to S3's addresses in the region, the
// AWS-managed prefix list com.amazonaws.REGION.s3, so named in every
// partition (Amazon VPC User Guide, "AWS-managed prefix lists", at
// docs.aws.amazon.com and docs.amazonaws.cn alike; its weight, 1, is one
// rule of the group's quota). The bastion sits in a public subnet with an
// Elastic IP (tf_bastion) and reaches S3 through the internet gateway, with
// NAT or without (nat = "none" routes only the private subnets through the
// S3 gateway endpoint), and on an existing VPC through whatever its first
// public subnet routes to: S3's addresses all the same.
// Nothing else: ecsc gives the bastion no instance role and it is reached
// by SSH, not Session Manager, so the image's SSM agent needs no way out; DNS (the VPC resolver), the
// instance metadata and the Amazon Time Sync Service are link-local, and
// security groups do not filter them (Amazon VPC User Guide, "Security
// groups": traffic to and from Amazon DNS, DHCP, EC2 instance metadata and
// the Amazon Time Sync Service is not filtered).
static void bastion_updates_rule(Tf *t, Span at) {
  data(t, "aws_ec2_managed_prefix_list", "s3", at, "Amazon S3's addresses in the region",
       "name", tf_strf(t, "com.amazonaws.%.*s.s3", S(t->e->region)));
  const char *why = "HTTPS to S3, where the Amazon Linux package repositories are";
  resource(t, "aws_vpc_security_group_egress_rule", "bastion_updates", at, why,
           "security_group_id", jsonout_cstr("${aws_security_group.bastion.id}"),
           "description", tf_ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(443),
           "to_port", jsonout_int(443),
           "prefix_list_id", jsonout_cstr("${data.aws_ec2_managed_prefix_list.s3.id}"));
}

// The bastion's group: SSH from the declared ranges, HTTPS to its package
// repositories, and SSH to the instances, whose group takes SSH from the
// bastion alone; to no instance without instances (a Fargate task's group
// takes SSH from no one, and lint says so: W1060).
static void bastion_rules(Tf *t) {
  const Bastion *b = t->e->bastion;
  Arena *a = t->arena;
  security_group(t, "bastion", t->e->sg_bastion, "the SSH bastion", b->span);
  Span at = span_or(b->at.ssh_cidrs, b->span);
  for (int i = 0; i < b->nssh; i++) {
    Str cidr = literal_cidr_text(a, b->ssh[i].cidr);
    rule(t, "aws_vpc_security_group_ingress_rule", tf_id(t, "bastion_ssh_%d", i), "bastion", 22, 22,
         str_cstr(a, cidr), NULL, tf_id(t, "SSH from %.*s", S(cidr)), at);
  }
  bastion_updates_rule(t, b->span);
  if (!model_env_instances(t->e))
    return;
  rule(t, "aws_vpc_security_group_egress_rule", "bastion_to_instances", "bastion", 22, 22, NULL,
       "instances", "SSH to the container instances", b->span);
  rule(t, "aws_vpc_security_group_ingress_rule", "instances_ssh_from_bastion", "instances", 22, 22,
       NULL, "bastion", "SSH from the bastion only", b->span);
}

// Without NAT the private subnets reach AWS through VPC endpoints, each a
// private address of the service in every private subnet, billed by the
// hour and zone: so only those something in the private subnets needs
// (model_env_instances, model_in_private_subnets). A task with a public
// address is in the public subnets and reaches AWS through the internet
// gateway, and needs none. (Amazon ECS Developer Guide, "Amazon ECS
// interface VPC endpoints (AWS PrivateLink)", Considerations.)
//   ecs, ecs-agent, ecs-telemetry: the container agent on the instances
//     registers, polls and reports ("You must have" all three); "Tasks using
//     the Fargate launch type don't require the interface VPC endpoints for
//     Amazon ECS", so Fargate alone needs none of them;
//   ecr.api, ecr.dkr, and S3 as a gateway: a task's image pull asks ECR for
//     the manifest and fetches the layers from S3 ("To allow your tasks to
//     pull private images from Amazon ECR, you must create the interface VPC
//     endpoints for Amazon ECR"; "If your VPC doesn't have an internet
//     gateway, you must create the gateway endpoint for Amazon S3", and an
//     S3 interface endpoint "can't be used with Amazon ECR"); the agent pulls
//     on the instance, a Fargate task (platform 1.4.0) through its own
//     interface, both in the private subnets; check.c allows only ECR images
//     there (E0555);
//   logs: the awslogs driver into the service's log group, which every
//     service has ("If your VPC doesn't have an internet gateway and your
//     tasks use the awslogs log driver ..., you must create an interface VPC
//     endpoint for CloudWatch Logs");
//   secretsmanager: "To allow your tasks to pull sensitive data from Secrets
//     Manager, you must create the interface VPC endpoints for Secrets
//     Manager"; ssm likewise for Parameter Store (Amazon ECS Developer
//     Guide, "Pass Systems Manager parameters as environment variables": an
//     interface endpoint when there is no internet access). The agent on the
//     instance, or Fargate on the task's interface, reads them.
//   ssmmessages: ECS Exec's sessions (ECS API Reference,
//     TargetNotConnectedException: exec fails when "there is an interface
//     Amazon VPC endpoint for Amazon ECS, but there is not one for Systems
//     Manager Session Manager", whose channels are ssmmessages);
//   kinesis-firehose, kinesis-streams, sts: a FireLens router's outputs to
//     Firehose or Kinesis in the environment's region (their interface
//     endpoints, as DescribeVpcEndpointServices names them), and the STS of
//     an output's role_arn (Fluent Bit asks the region's STS,
//     src/aws/flb_aws_credentials_sts.c: flb_aws_endpoint("sts", region)).
//     CloudWatch Logs and S3 outputs go through logs and the S3 gateway,
//     made for every private task. An output to another region has no
//     endpoint in this VPC (check_logging.c says so).
// No kms endpoint: Systems Manager decrypts a SecureString itself, calling
// KMS within AWS.
typedef struct {
  bool agent;             // ecs, ecs-agent, ecs-telemetry
  bool images, logs;      // ecr.api, ecr.dkr, s3; logs
  bool ssm, sm;           // ssm, secretsmanager
  bool exec;              // ssmmessages
  bool firehose, kinesis, sts;  // FireLens outputs
} Needs;

// The endpoints a service's FireLens outputs reach in the environment's
// region (the destinations derive_iam.c grants).
static void firelens_needs(const Environment *e, const Service *s, Needs *n) {
  for (int k = 0; k < s->ncontainers; k++) {
    const LogConfig *l = s->containers[k]->log;
    if (!l || !str_eq_c(l->driver, "awsfirelens"))
      continue;
    Str region = model_log_option(l, "region");
    if (region.len && !str_eq(region, e->region))
      continue;
    n->sts |= model_log_option(l, "role_arn").len > 0;
    const FluentOutput *o = model_fluent_output(model_log_option(l, "name"));
    n->firehose |= o && o->destination == FLUENT_FIREHOSE;
    n->kinesis |= o && o->destination == FLUENT_KINESIS;
  }
}

// Whether a container of a service reads a secret from Parameter Store (sm
// false) or from Secrets Manager (sm true).
static bool reads_secrets(const Service *s, bool sm) {
  for (int k = 0; k < s->ncontainers; k++) {
    const Container *c = s->containers[k];
    for (int j = 0; j < c->nsecrets; j++)
      if ((c->secrets[j].sm != NULL) == sm)
        return true;
  }
  return false;
}

static Needs private_needs(const Environment *e) {
  Needs n = {.agent = model_env_instances(e) != NULL};
  for (int i = 0; i < e->nservices; i++) {
    const Service *s = e->services[i];
    if (!model_in_private_subnets(s))
      continue;
    n.images = n.logs = true;
    n.ssm |= reads_secrets(s, false);
    n.sm |= reads_secrets(s, true);
    n.exec |= s->exec;
    firelens_needs(e, s, &n);
  }
  return n;
}

// What the instances reach, for their egress rule's description: the
// endpoints of the set above, without NAT; through NAT, or the routes of
// an existing VPC, AWS's public endpoints and the internet.
static const char *instances_out_why(Tf *t) {
  NatMode nat = t->e->vpc.nat;
  if (nat == NAT_EXISTING)
    return "the ECS, ECR and CloudWatch endpoints, by the routes of the VPC";
  if (nat != NAT_NONE)
    return "the ECS, ECR and CloudWatch endpoints, through NAT";
  Needs n = private_needs(t->e);
  const char *names[9];
  int k = 0;
  names[k++] = "ECS";
  if (n.images) {
    names[k++] = "ECR";
    names[k++] = "S3";
  }
  if (n.logs)
    names[k++] = "CloudWatch Logs";
  if (n.ssm || n.exec)
    names[k++] = "Systems Manager";
  if (n.sm)
    names[k++] = "Secrets Manager";
  if (n.firehose)
    names[k++] = "Firehose";
  if (n.kinesis)
    names[k++] = "Kinesis";
  if (n.sts)
    names[k++] = "STS";
  Buf b = {.arena = t->arena};
  buf_puts(&b, "the VPC endpoints of ");
  for (int i = 0; i < k; i++)
    buf_printf(&b, "%s%s", i == 0 ? "" : i == k - 1 ? " and " : ", ", names[i]);
  return str_cstr(t->arena, buf_str(&b));
}

// The groups, each rule its own resource (the provider's current practice:
// inline rules cannot be changed one at a time). The dynamic port range is
// emit.h's one constant, also in the agent's user data. The instances' group
// only where there are instances: nothing else joins it, and no service
// state reads it (tf_remote()), so a later build without instances destroys it
// after their launch templates.
static void security_groups(Tf *t) {
  const Environment *e = t->e;
  bool instances = model_env_instances(e) != NULL;
  if (instances)
    security_group(t, "instances", e->sg_instances, "ECS container instances", e->span);
  if (e->alb)
    alb_rules(t);
  if (instances)
    rule(t, "aws_vpc_security_group_egress_rule", "instances_out", "instances", -1, -1,
         "0.0.0.0/0", NULL, instances_out_why(t), e->span);
  if (e->bastion)
    bastion_rules(t);
}

// An interface endpoint sits in the private subnets behind the endpoints'
// group; a gateway endpoint (S3's) is a route in the private route table.
// Service names come from aws_vpc_endpoint_service, which knows each
// partition's spelling. Private DNS makes the usual host names resolve to
// the endpoints, which needs the VPC's DNS support and host names (both on).
static void endpoint(Tf *t, const char *service, bool gateway, const char *who, Span at) {
  const char *name = tf_ident(t, str_c(service));
  const char *type = gateway ? "Gateway" : "Interface";
  data(t, "aws_vpc_endpoint_service", name, (Span){0}, "",
       "service", jsonout_cstr(service),
       "service_type", jsonout_cstr(type));
  json_t *ep = resource(t, "aws_vpc_endpoint", name, at,
      tf_id(t, "%s, without NAT, for %s", service, who),
      "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
      "service_name", tf_strf(t, "${data.aws_vpc_endpoint_service.%s.service_name}", name),
      "vpc_endpoint_type", jsonout_cstr(type));
  if (gateway)
    jsonout_put(ep, "route_table_ids", jsonout_arr(jsonout_cstr("${aws_route_table.private.id}")));
  else
    jsonout_put(ep,
        "subnet_ids", tf_tier_subnet_ids(t, "private"),
        "security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.endpoints.id}")),
        "private_dns_enabled", jsonout_bool(true));
  jsonout_put(ep, "tags", tf_tags(t, "%.*s-%s", S(t->e->prefix), service));
}

static void endpoints(Tf *t) {
  const Environment *e = t->e;
  if (e->vpc.nat != NAT_NONE)
    return;
  Needs n = private_needs(e);
  if (!n.agent && !n.images)
    return;  // nothing in the private subnets: no endpoint, no group
  Span at = span_or(e->vpc.at.nat, e->span);
  security_group(t, "endpoints", e->sg_endpoints, "the VPC endpoints, instead of NAT", at);
  rule(t, "aws_vpc_security_group_ingress_rule", "endpoints_https", "endpoints", 443, 443,
       str_cstr(t->arena, literal_cidr_text(t->arena, e->vpc.cidr)), NULL,
       "HTTPS from the VPC to the endpoints", at);
  static const char *const agent[] = {"ecs", "ecs-agent", "ecs-telemetry"};
  for (int i = 0; n.agent && i < countof(agent); i++)
    endpoint(t, agent[i], false, "the ECS agent on the instances", at);
  if (n.logs)
    endpoint(t, "logs", false, "the logs of the private tasks", at);
  if (n.images) {
    endpoint(t, "ecr.api", false, "the images of the private tasks", at);
    endpoint(t, "ecr.dkr", false, "the images of the private tasks", at);
    endpoint(t, "s3", true, "the image layers of the private tasks", at);
  }
  if (n.ssm)
    endpoint(t, "ssm", false, "the Parameter Store secrets of the private tasks", at);
  if (n.sm)
    endpoint(t, "secretsmanager", false, "the Secrets Manager secrets of the private tasks", at);
  if (n.exec)
    endpoint(t, "ssmmessages", false, "ECS Exec into the private tasks", at);
  if (n.firehose)
    endpoint(t, "kinesis-firehose", false, "the FireLens outputs to Firehose", at);
  if (n.kinesis)
    endpoint(t, "kinesis-streams", false, "the FireLens outputs to Kinesis", at);
  if (n.sts)
    endpoint(t, "sts", false, "the roles of the FireLens outputs (role_arn)", at);
}

// A listener's default_action: one action of `type`, configured by `body`.
static json_t *one_action(const char *type, const char *key, json_t *body) {
  return jsonout_arr(jsonout_obj(
      "type", jsonout_cstr(type),
      key, body));
}

// A redirect to HTTPS on 443 that keeps the host, path and query ("Any
// components that you do not modify retain their original values", ELB API
// Reference, RedirectActionConfig; the provider's defaults are #{host},
// /#{path} and #{query}, internal/service/elbv2/listener_rule.go).
json_t *tf_redirect_to_https(void) {
  return one_action("redirect", "redirect", jsonout_obj(
      "port", jsonout_cstr("443"),
      "protocol", jsonout_cstr("HTTPS"),
      "status_code", jsonout_cstr("HTTP_301")));
}

static json_t *fixed_404(void) {
  return one_action("fixed-response", "fixed_response", jsonout_obj(
      "content_type", jsonout_cstr("text/plain"),
      "message_body", jsonout_cstr("not found"),
      "status_code", jsonout_cstr("404")));
}

// Internet-facing, in the public subnets. Services attach listener rules;
// what matches none gets a 404 rather than some service's page.
//
// On an existing VPC the public subnets are ids, whose zones ecsc cannot
// know offline (check_network.c proves two ids): the plan proves, before
// anything is made, what CreateLoadBalancer would refuse and what it would
// take but leave idle. Each condition reads the subnets' data sources,
// which already read availability_zone (tf_existing_subnets).

// "data.aws_subnet.A.availability_zone, data.aws_subnet.B.availability_zone"
static Str subnet_zones(Tf *t, const SubnetId *ids, int n) {
  Buf b = {.arena = t->arena};
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%sdata.aws_subnet.%.*s.availability_zone", i ? ", " : "",
               S(ids[i].tf_name));
  return buf_str(&b);
}

// "subnet-a, subnet-b": the ids as written, for the messages.
static Str subnet_list(Tf *t, const SubnetId *ids, int n) {
  Buf b = {.arena = t->arena};
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s%.*s", i ? ", " : "", S(ids[i].id));
  return buf_str(&b);
}

static json_t *condition(Tf *t, Str expr, Str message) {
  return jsonout_obj(
      "condition", tf_strf(t, "${%.*s}", S(expr)),
      "error_message", tf_lit(t, message));
}

// Whether something behind the load balancer runs in the private subnets:
// a routed service's tasks there (model_in_private_subnets: awsvpc
// interfaces, or the instances of a bridge or host service, whose group
// spans every private subnet), registered as targets in every zone of
// private_subnet_ids.
static bool routed_in_private(const Environment *e) {
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->route && model_in_private_subnets(e->services[i]))
      return true;
  return false;
}

// ELBv2 API Reference, CreateLoadBalancer (and SetSubnets), Subnets: "You
// can specify only one subnet per Availability Zone", and "[Application
// Load Balancers] You must specify subnets from at least two Availability
// Zones". Both are proved at plan time: two or more zones, and as many
// zones as subnets (review4 F3: three subnets over two zones passed the
// old test alone, and apply failed at aws_lb.main with the environment
// half made). The fix is the user's list, not a choice ecsc makes for
// them: the load balancer's subnet in a zone decides its addresses,
// network ACLs and routes, and public Fargate tasks use the same list.
//
// ELB User Guide, "How Elastic Load Balancing works", "Availability Zones
// and load balancer nodes": "If you register targets in an Availability
// Zone but do not enable the Availability Zone, these registered targets do
// not receive traffic"; ELBv2 API Reference, TargetHealth: such a target is
// "unused", Target.NotInUse, "the target is in an Availability Zone that is
// not enabled for its load balancer". ECS spreads a service's tasks over
// every private zone, so a private subnet in a zone of no public subnet
// holds tasks (or instances) that never serve (review4 F1). Whether ECS
// then also fails the deployment is not documented; the plan refuses it
// either way.
static json_t *alb_zones(Tf *t) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  if (!v->id.len)
    return NULL;
  Arena *a = t->arena;
  Str pub = subnet_zones(t, v->public_ids, v->npublic_ids);
  json_t *list = jsonout_arr(
      condition(t, str_fmt(a, "length(distinct([%.*s])) >= 2", S(pub)),
                str_c("an Application Load Balancer needs public subnets in at least two "
                      "availability zones: public_subnet_ids are in one; add a public subnet "
                      "of another zone")),
      condition(t, str_fmt(a, "length(distinct([%.*s])) == %d", S(pub), v->npublic_ids),
                str_fmt(a, "an Application Load Balancer takes one subnet per availability "
                        "zone, and public_subnet_ids (%.*s) has two in the same zone; keep one "
                        "public subnet per zone in public_subnet_ids",
                        S(subnet_list(t, v->public_ids, v->npublic_ids)))));
  if (v->nprivate_ids && routed_in_private(e)) {
    Str priv = subnet_zones(t, v->private_ids, v->nprivate_ids);
    json_array_append_new(list, condition(
        t, str_fmt(a, "length(setsubtract([%.*s], [%.*s])) == 0", S(priv), S(pub)),
        str_fmt(a, "a subnet of private_subnet_ids (%.*s) is in an availability zone with no "
                "subnet of public_subnet_ids, where the load balancer has no node: the tasks "
                "that run there get no traffic; add a public subnet of that zone, or remove "
                "the private subnets of zones the load balancer is not in",
                S(subnet_list(t, v->private_ids, v->nprivate_ids)))));
  }
  return jsonout_obj("precondition", list);
}

static void load_balancer(Tf *t) {
  const Alb *lb = t->e->alb;
  resource(t, "aws_lb", "main", lb->span, "the environment's load balancer",
           "name", jsonout_str(lb->name),
           "internal", jsonout_bool(false),
           "load_balancer_type", jsonout_cstr("application"),
           "security_groups", jsonout_arr(jsonout_cstr("${aws_security_group.alb.id}")),
           "subnets", tf_tier_subnet_ids(t, "public"),
           "idle_timeout", jsonout_int(lb->idle_timeout_ms / 1000),
           "enable_deletion_protection", jsonout_bool(lb->deletion_protection),
           "drop_invalid_header_fields", jsonout_bool(true),
           "tags", tf_tags(t, "%.*s", S(lb->name)),
           "lifecycle", alb_zones(t),
           // An internet-facing load balancer takes public addresses, so it
           // needs the VPC's gateway attached first, and gone last: created
           // side by side, CreateLoadBalancer fails ("InvalidSubnet: VPC ...
           // has no internet gateway", hashicorp/terraform-provider-aws#3494).
           // AWS CloudFormation User Guide, "DependsOn attribute", "When a
           // DependsOn attribute is required": Elastic Load Balancing load
           // balancers in a VPC depend on the VPC-gateway attachment. An
           // existing VPC's gateway exists already.
           "depends_on", t->e->vpc.id.len ? NULL : jsonout_arr(jsonout_cstr("aws_internet_gateway.main")));
}

// Without a certificate, HTTP on port 80. With one, HTTPS on 443, and port
// 80 redirecting to it.
static void listeners(Tf *t) {
  const Alb *lb = t->e->alb;
  if (!lb->certificate_arn.len) {
    resource(t, "aws_lb_listener", "http", lb->span, "HTTP on port 80",
             "load_balancer_arn", jsonout_cstr("${aws_lb.main.arn}"),
             "port", jsonout_int(80),
             "protocol", jsonout_cstr("HTTP"),
             "default_action", fixed_404());
    return;
  }
  resource(t, "aws_lb_listener", "https", span_or(lb->at.certificate_arn, lb->span),
           "HTTPS on port 443",
           "load_balancer_arn", jsonout_cstr("${aws_lb.main.arn}"),
           "port", jsonout_int(443),
           "protocol", jsonout_cstr("HTTPS"),
           "ssl_policy", jsonout_str(lb->ssl_policy),
           "certificate_arn", jsonout_str(lb->certificate_arn),
           "default_action", fixed_404());
  resource(t, "aws_lb_listener", "http", lb->span, "HTTP on port 80, redirected to HTTPS",
           "load_balancer_arn", jsonout_cstr("${aws_lb.main.arn}"),
           "port", jsonout_int(80),
           "protocol", jsonout_cstr("HTTP"),
           "default_action", tf_redirect_to_https());
}

//
// The rest of the VPC state
//

static void tf_bastion(Tf *t) {
  const Bastion *b = t->e->bastion;
  const Vpc *v = &t->e->vpc;
  bool arm = false;
  for (int i = 0; i < t->m->ninstance_types; i++)
    if (str_eq(t->m->instance_types[i]->name, b->instance_type))
      arm = t->m->instance_types[i]->arch == ARCH_ARM64;
  data(t, "aws_ssm_parameter", "bastion_ami", b->span, "the latest Amazon Linux 2023 AMI",
       "name", tf_strf(t, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-%s",
                       arm ? "arm64" : "x86_64"));
  // EC2 changes an instance's type in place, stopping it, but refuses a type
  // of another architecture (EC2 User Guide, "Compatibility for changing the
  // instance type": "you must select an instance type with the same
  // processor architecture as the current instance type"), and the AMI is
  // ignored below: a bastion moved between x86 and Graviton is replaced
  // instead. Terraform replaces for an update of terraform_data, not for its
  // creation (terraform internal/terraform/eval_context_builtin.go,
  // EvaluateReplaceTriggeredBy: "Only immediate changes to the resource will
  // trigger replacement"), so states made before it keep their bastion.
  resource(t, "terraform_data", "bastion_architecture", b->span,
           "the bastion's processor architecture: a change replaces the bastion",
           "input", jsonout_cstr(arm ? "arm64" : "x86_64"));
  resource(t, "aws_instance", "bastion", b->span, "the SSH bastion",
           "ami", jsonout_cstr("${data.aws_ssm_parameter.bastion_ami.insecure_value}"),
           "instance_type", jsonout_str(b->instance_type),
           "subnet_id",
           v->id.len ? tf_strf(t, "${data.aws_subnet.%.*s.id}", S(v->public_ids[0].tf_name))
                     : tf_strf(t, "${aws_subnet.public_%s.id}", tf_ident(t, v->azs[0])),
           "vpc_security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.bastion.id}")),
           "key_name", b->key_name.len ? tf_lit(t, b->key_name) : NULL,
           "metadata_options", jsonout_obj("http_tokens", jsonout_cstr("required")),
           "root_block_device", jsonout_obj("encrypted", jsonout_bool(true)),
           "tags", tf_tags(t, "%.*s", S(b->name)),
           // The AMI parameter follows every Amazon Linux release; replacing
           // the bastion for each would change its host key and cut sessions.
           // A new AMI is taken when the bastion is replaced on purpose
           // (terraform apply -replace=aws_instance.bastion).
           "lifecycle", jsonout_obj("ignore_changes", jsonout_arr(jsonout_cstr("ami")),
                                    "replace_triggered_by",
                                    jsonout_arr(jsonout_cstr("terraform_data.bastion_architecture"))));
  resource(t, "aws_eip", "bastion", b->span, "the bastion's address",
           "domain", jsonout_cstr("vpc"),
           "instance", jsonout_cstr("${aws_instance.bastion.id}"),
           "tags", tf_tags(t, "%.*s", S(b->name)),
           // An EIP associated with an instance needs the VPC's internet
           // gateway first (AWS provider documentation, "Resource: aws_eip":
           // "EIP may require IGW to exist prior to association. Use
           // depends_on"). An existing VPC's gateway exists already.
           "depends_on", v->id.len ? NULL : jsonout_arr(jsonout_cstr("aws_internet_gateway.main")));
  tf_export(t, VPC_OUT_BASTION_IP, NULL, jsonout_cstr("${aws_eip.bastion.public_ip}"));
}

// Plain parameters whose value the source holds; secure ones are set
// outside ecsc, their values never in a repository or a state.
static void tf_parameters(Tf *t) {
  for (int i = 0; i < t->m->nparams; i++) {
    const Parameter *p = t->m->params[i];
    if (!model_parameter_valued(p))
      continue;
    resource(t, "aws_ssm_parameter", str_cstr(t->arena, p->tf_name), p->span,
             "a plain parameter the source holds",
             "name", jsonout_str(t->e->ssm_names[p->index]),
             // insecure_value: a plain String is no secret, and under "value"
             // (a sensitive argument in provider 6) plans would hide its changes.
             "type", jsonout_cstr("String"),
             "insecure_value", tf_lit(t, p->value),
             "description", p->description.len ? tf_lit(t, p->description) : NULL);
  }
}

// Service Connect's namespace: one Cloud Map HTTP namespace per environment,
// named after its prefix, when a service joins it. ECS registers and
// deregisters the tasks in it through its service-linked role
// (AWSServiceRoleForECS: "When using Amazon ECS service discovery, Amazon ECS
// manages the required Route 53 and AWS Cloud Map resources"), so no role of
// ecsc's needs a grant for it. ECS API Reference, ServiceConnectConfiguration:
// "The type of namespace doesn't affect Service Connect": an HTTP one has no
// Route 53 zone to make or pay for. connect_namespace keeps it, without a
// service, for the build that takes the services out of it: AWS Cloud Map
// API Reference, DeleteNamespace: "If the namespace still contains one or
// more services, the request fails" (ResourceInUse), and the VPC state is
// applied before the service states (rebuild_retire.c, E1051);
// model_connect_namespace says when. Its name and description are ForceNew
// (terraform-provider-aws, internal/service/servicediscovery/
// http_namespace.go): a new prefix replaces it, which rebuild_retire.c refuses
// while services are in it (E1052).

static bool public_ips_used(const Environment *e) {
  for (int i = 0; i < e->nservices; i++)
    if (e->services[i]->public_ip)
      return true;
  return false;
}

static void connect_namespace(Tf *t) {
  const Environment *e = t->e;
  if (!model_connect_namespace(e))
    return;
  // What called for it: the first service's connect block, else
  // connect_namespace.
  Span at = span_or(e->connect_namespace_at, e->span);
  for (int i = e->nservices - 1; i >= 0; i--)
    if (e->services[i]->connect)
      at = span_or(e->services[i]->connect->span, at);
  resource(t, "aws_service_discovery_http_namespace", "connect", at,
           "the environment's Service Connect namespace",
           "name", jsonout_str(e->prefix),
           "description", jsonout_cstr(EMIT_TF_CONNECT_DESCRIPTION),
           "tags", tf_tags(t, "%.*s", S(e->prefix)));
}

// An existing VPC's IPv4 blocks besides its primary one, where its subnets,
// and so Service Connect's clients, may be too: a VPC takes five IPv4
// blocks by default, the primary among them, up to 50 on request (AWS
// General Reference, "Amazon Virtual Private Cloud endpoints and quotas":
// IPv4 CIDR blocks per VPC), none of which ecsc can know offline. The aws_vpc data source lists them all, the primary among them
// (cidr_block_associations: association_id, cidr_block, state, set from
// DescribeVpcs' CidrBlockAssociationSet: terraform-provider-aws,
// internal/service/ec2/vpc_data_source.go); only an "associated" block can
// hold a subnet (VpcCidrBlockState: associating, associated, disassociating,
// disassociated, failing, failed). The primary keeps its own rule
// (VPC_OUT_VPC_CIDR), so that an environment built before this output
// existed changes no rule it has. A block associated later reaches the
// services' rules with the next apply, the VPC state's first.
static json_t *secondary_cidr_blocks(void) {
  return jsonout_cstr("${[for a in data.aws_vpc.main.cidr_block_associations : a.cidr_block "
                      "if a.state == \"associated\" && a.cidr_block != data.aws_vpc.main.cidr_block]}");
}

// What services with Service Connect and public addresses read, exported
// only where one does.
static void connect_outputs(Tf *t) {
  if (model_connect_namespace(t->e)) {
    tf_export(t, VPC_OUT_CONNECT_NAMESPACE, NULL,
              jsonout_cstr("${aws_service_discovery_http_namespace.connect.arn}"));
    tf_export(t, VPC_OUT_VPC_CIDR, NULL,
              jsonout_cstr(t->e->vpc.id.len ? "${data.aws_vpc.main.cidr_block}"
                                            : "${aws_vpc.main.cidr_block}"));
    if (t->e->vpc.id.len)
      tf_export(t, VPC_OUT_VPC_SECONDARY_CIDRS, NULL, secondary_cidr_blocks());
  }
  if (public_ips_used(t->e))
    tf_export(t, VPC_OUT_PUBLIC_SUBNETS, NULL, tf_tier_subnet_ids(t, "public"));
}

Str emit_tf_vpc(const Emitter *em, const Environment *e) {
  Tf t = {.arena = em->arena, .m = em->model, .e = e};
  Str source = em->source;
  tf_preamble(&t, source, "the VPC state", "vpc");
  network(&t);
  security_groups(&t);
  endpoints(&t);
  if (e->alb) {
    load_balancer(&t);
    listeners(&t);
  }
  for (int i = 0; i < e->nclusters; i++)
    tf_cluster(&t, e->clusters[i]);
  if (e->bastion)
    tf_bastion(&t);
  tf_parameters(&t);
  connect_namespace(&t);
  tf_export(&t, VPC_OUT_VPC_ID, NULL, vpc_id(&t));
  // An existing VPC's private subnets when it names them (check_network.c,
  // E1060: whatever runs there, instances or tasks, needs them named); the
  // instances' group where there are instances.
  if (!e->vpc.id.len || e->vpc.nprivate_ids)
    tf_export(&t, VPC_OUT_PRIVATE_SUBNETS, NULL, tf_tier_subnet_ids(&t, "private"));
  if (model_env_instances(e))
    tf_export(&t, VPC_OUT_INSTANCES_SG, NULL, jsonout_cstr("${aws_security_group.instances.id}"));
  if (e->alb) {
    tf_export(&t, VPC_OUT_ALB_HTTP_LISTENER, NULL, jsonout_cstr("${aws_lb_listener.http.arn}"));
    if (e->alb->certificate_arn.len)
      tf_export(&t, VPC_OUT_ALB_HTTPS_LISTENER, NULL, jsonout_cstr("${aws_lb_listener.https.arn}"));
    tf_export(&t, VPC_OUT_ALB_DNS, NULL, jsonout_cstr("${aws_lb.main.dns_name}"));
    tf_export(&t, VPC_OUT_ALB_SG, NULL, jsonout_cstr("${aws_security_group.alb.id}"));
    tf_export(&t, VPC_OUT_ALB_ARN_SUFFIX, NULL, jsonout_cstr("${aws_lb.main.arn_suffix}"));
  }
  connect_outputs(&t);
  tf_finish(&t);
  return jsonout_dump(t.arena, t.root);
}
