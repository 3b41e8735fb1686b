// emit_tf.c: the Terraform JSON of an environment's VPC state and of each
// service's state, from the model alone.
//
// The two kinds of state split as the seed's do: the VPC state owns the
// network, the load balancer and its listeners, the clusters and their
// instances; each service state owns its target group, listener rule, log
// group, roles, task definition and ECS service, and reads what it needs of
// the VPC state through terraform_remote_state: by the outputs' one table,
// which the VPC state writes from, so a service can read only an output that
// exists.
//
// Each resource is one call that reads like the block it writes (jsonout's
// builders; Jansson keeps insertion order), its keys in the order a reviewer
// reads them: what a thing is, what it is attached to, how it behaves, tags.
// Each resource carries a "//" naming where in the DSL it came from.
#include "emit.h"

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  Arena *arena;    // the file's scratch (a maker's own)
  const Model *m;
  const Environment *e;
  Str root_dir;    // the root file's directory, as given: stripped from paths
  json_t *root;    // "//", terraform and provider; then locals and variable
  json_t *data, *resources, *outputs;  // the root's last three, added by finish
  json_t *moved;   // moved blocks, when any: added by finish after them
} Tf;

//
// JSON helpers
//

// A string from the source, which Terraform must not read as a template:
// in Terraform's JSON every string is one, so "${" becomes "$${" and "%{"
// becomes "%%{" (an IAM variable such as ${aws:username} in a grant stays
// what IAM sees).
static json_t *lit(Tf *t, Str s) {
  Buf b = {.arena = t->arena};
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if ((s.ptr[i] == '$' || s.ptr[i] == '%') && i + 1 < s.len && s.ptr[i + 1] == '{')
      buf_putc(&b, s.ptr[i]);
    buf_putc(&b, s.ptr[i]);
  }
  return jsonout_str(buf_str(&b));
}

static json_t *lits(Tf *t, Str *items, int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, lit(t, items[i]));
  return a;
}

__attribute__((format(printf, 2, 3))) static json_t *strf(Tf *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str s = str_vfmt(t->arena, fmt, ap);
  va_end(ap);
  return jsonout_str(s);
}

static json_t *child_object(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!v) {
    v = json_object();
    json_object_set_new_nocheck(o, key, v);
  }
  return v;
}

// A source's path relative to the root file's directory, so that the output
// is the same bytes from whatever directory ecsc runs in; as UTF-8, which a
// file name need not be.
static Str relative(Tf *t, Str path) {
  if (t->root_dir.len && str_starts_with(path, t->root_dir) && path.len > t->root_dir.len &&
      path.ptr[t->root_dir.len] == '/')
    path = (Str){path.ptr + t->root_dir.len + 1, path.len - t->root_dir.len - 1};
  return source_utf8_clean(t->arena, path);
}

// The place in the DSL a resource came from, for its "//": the blocks and
// attribute that made it (model_origin), after the file's name when that
// is not the root file. No line numbers: a comment added at the top of
// env.ecs must change no generated file.
static Str where(Tf *t, Span s) {
  Str path = model_origin(t->m, t->arena, s);
  if (!path.len || s.src->index == 0)
    return path;
  return str_fmt(t->arena, "%.*s: %.*s", S(relative(t, s.src->path)), S(path));
}

static Str dir_of(Str path) {
  ptrdiff_t i = path.len;
  while (i > 0 && path.ptr[i - 1] != '/')
    i--;
  return (Str){path.ptr, i > 0 ? i - 1 : 0};
}

// A new block under resource.TYPE.NAME (or data.TYPE.NAME): its "//", then
// the members that follow `what`, key, value, ..., as jsonout_obj takes
// them. Called through resource() and data(), which add the terminator.
static json_t *tf_block(Tf *t, json_t *section, const char *type, const char *name, Span because,
                     const char *what, ...) __attribute__((sentinel));
static json_t *tf_block(Tf *t, json_t *section, const char *type, const char *name, Span because,
                     const char *what, ...) {
  Str from = where(t, because);
  json_t *note = NULL;
  if (from.len && *what)
    note = strf(t, "%s, from %.*s", what, S(from));
  else if (from.len)
    note = strf(t, "from %.*s", S(from));
  json_t *b = jsonout_obj("//", note);
  va_list ap;
  va_start(ap, what);
  jsonout_vmembers(b, ap);
  va_end(ap);
  jsonout_put(child_object(section, type), name, b);
  return b;
}

// resource(t, TYPE, NAME, because, what, key, value, ...), and data(...) alike.
#define resource(t, ...) tf_block((t), (t)->resources, __VA_ARGS__, (const char *)NULL)
#define data(t, ...) tf_block((t), (t)->data, __VA_ARGS__, (const char *)NULL)

static json_t *tags(Tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *tags(Tf *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str name = str_vfmt(t->arena, fmt, ap);
  va_end(ap);
  return jsonout_obj("Name", jsonout_str(name));
}

// A Terraform name, NUL-terminated for resource() and "%s".
static const char *ident(Tf *t, Str s) {
  return str_cstr(t->arena, derive_tf_ident(t->arena, s));
}

static const char *id(Tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *id(Tf *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str s = str_vfmt(t->arena, fmt, ap);
  va_end(ap);
  return s.ptr;
}

//
// What both kinds of state share
//

static Str state_key(Tf *t, const char *what) {
  return str_fmt(t->arena, "%.*s/terraform/%s/terraform.tfstate", S(t->e->prefix), what);
}

// Where a state is kept: the project's bucket, under the environment's
// prefix. What a backend writes and a terraform_remote_state reads.
static json_t *state_location(Tf *t, const char *state) {
  Project *p = t->m->project;
  return jsonout_obj(
      "bucket", jsonout_str(p->bucket),
      "key", jsonout_str(state_key(t, state)),
      "region", jsonout_str(p->region.len ? p->region : t->e->region));
}

// The tags of everything the environment makes: ecsc's three, then the
// project's and the environment's, merged and sorted (resolve.c), which
// replace ecsc's three of the same key; with ecsc's Name when one is given.
// One rule for every resource, the AWS provider's: these are the provider's
// default_tags, a resource's own tags win over them (HashiCorp, "Default
// Tags in the Terraform AWS Provider": default tags "will not supersede
// tags set on individual resources as resource tags take precedence", and
// reach "all resources except Auto Scaling Groups"), and ecsc's Name is a
// resource's own tag. Where default_tags do not reach (an
// autoscaling group's tags, a launch template's tag_specifications), ecsc
// merges the same way here: so a Name the project or the environment sets
// names only the resources ecsc names none (W1070 says so).
static json_t *environment_tags(Tf *t, Str name) {
  const Environment *e = t->e;
  json_t *o = jsonout_obj(
      "Name", name.len ? jsonout_str(name) : NULL,
      "project", jsonout_str(t->m->project->name),
      "environment", jsonout_str(e->name),
      "managed-by", jsonout_cstr("ecsc"));
  for (int i = 0; i < e->ntags; i++)
    jsonout_putn(o, e->tags[i].name, lit(t, e->tags[i].value));
  if (name.len)  // in its place, first
    jsonout_put(o, "Name", jsonout_str(name));
  return o;
}

json_t *emit_tf_default_tags(Arena *a, const Model *m, const Environment *e) {
  Tf t = {.arena = a, .m = m, .e = e};
  return environment_tags(&t, (Str){0});
}

// terraform { required_version, required_providers, backend "s3" } and the
// provider, its region and default tags: the same in every root.
static void preamble(Tf *t, Str source, const char *what, const char *state) {
  Project *p = t->m->project;
  const Environment *e = t->e;
  t->root_dir = dir_of(source);
  t->root = jsonout_obj(
      "//", strf(t, "Generated by ecsc from %.*s: %s of environment \"%.*s\". Do not edit: "
                    "change the .ecs source and run ecsc build.",
                 S(relative(t, source)), what, S(e->name)),
      "terraform", jsonout_obj(
          // S3's own lock file (use_lockfile) needs Terraform 1.10.
          "required_version", jsonout_cstr(TERRAFORM_REQUIRED_LOCKFILE),
          "required_providers", jsonout_obj(
              "aws", jsonout_obj(
                  "source", jsonout_cstr("hashicorp/aws"),
                  "version", jsonout_cstr(AWS_PROVIDER_REQUIRED))),
          "backend", jsonout_obj(
              "s3", jsonout_put(state_location(t, state),
                  "encrypt", jsonout_bool(true),
                  // State locking: S3's own lock file. DynamoDB locking is
                  // deprecated since Terraform 1.11 (Terraform documentation,
                  // "Backend Type: s3", State Locking); a declared lock_table is
                  // kept beside the lock file, the documented way to migrate
                  // off it (lint warns, W0577).
                  "use_lockfile", jsonout_bool(true),
                  "dynamodb_table", p->lock_table.len ? jsonout_str(p->lock_table) : NULL))),
      "provider", jsonout_obj(
          "aws", jsonout_obj(
              "region", jsonout_str(e->region),
              "allowed_account_ids", e->account.len ? jsonout_arr(jsonout_str(e->account)) : NULL,
              "default_tags", jsonout_obj("tags", environment_tags(t, (Str){0})))));
  t->data = json_object();
  t->resources = json_object();
  // ARNs name the pinned account, or else the one Terraform runs as.
  if (!e->account.len)
    data(t, "aws_caller_identity", "current", (Span){0}, "");
}

// Terraform does not care about the order of the root's members; reviewers
// do: what is read (data), then what is made (resources), then what is
// exported (outputs), when there are any; last, the objects a previous
// build wrote under another address (moved).
static void finish(Tf *t) {
  jsonout_put(t->root,
      "data", t->data,
      "resource", t->resources,
      "output", t->outputs,
      "moved", t->moved);
}

// A moved block: the object Terraform's state holds at TYPE.FROM, written
// by a previous build, is this build's TYPE.TO, kept rather than destroyed
// and made again. Terraform renames it before planning when the state has
// FROM and not TO, and does nothing when it has no FROM (Terraform
// documentation, "moved block reference"; internal/refactoring,
// ApplyMoves), so the block stays in every build: an output built twice
// before its apply must not lose it. FROM must not be declared
// ("Moved object still exists", ValidateMoves), and one FROM or TO has one
// block. JSON gives each address as a string (HCL's JSON syntax:
// AsTraversal).
static void moved(Tf *t, const char *type, const char *from, const char *to, Span because,
                  const char *why) {
  if (!t->moved)
    t->moved = json_array();
  Str origin = where(t, because);
  json_array_append_new(t->moved, jsonout_obj(
      "//", origin.len ? strf(t, "%s, from %.*s", why, S(origin)) : jsonout_cstr(why),
      "from", strf(t, "%s.%s", type, from),
      "to", strf(t, "%s.%s", type, to)));
}

// The VPC state's outputs, one table: the VPC state writes each with
// export(), and a service state reads one only by its name here, with
// remote(). Per cluster, %s is the cluster's Terraform name.
typedef enum {
  VPC_OUT_VPC_ID, VPC_OUT_PRIVATE_SUBNETS, VPC_OUT_INSTANCES_SG, VPC_OUT_ALB_HTTP_LISTENER,
  VPC_OUT_ALB_HTTPS_LISTENER, VPC_OUT_ALB_DNS, VPC_OUT_ALB_SG, VPC_OUT_ALB_ARN_SUFFIX,
  VPC_OUT_CLUSTER_NAME, VPC_OUT_CLUSTER_ARN,
  VPC_OUT_CAPACITY_PROVIDER, VPC_OUT_BASTION_IP, VPC_OUT_PUBLIC_SUBNETS, VPC_OUT_VPC_CIDR,
  VPC_OUT_CONNECT_NAMESPACE,
  VPC_OUT_VPC_SECONDARY_CIDRS,
} VpcOutput;

static const struct {
  const char *name, *doc;
} vpc_outputs[] = {
    [VPC_OUT_VPC_ID] = {"vpc_id", "the VPC, for target groups"},
    [VPC_OUT_PRIVATE_SUBNETS] = {"private_subnet_ids",
                                 "the private subnets, in zone order or as an existing VPC lists them"},
    [VPC_OUT_INSTANCES_SG] = {"instances_security_group_id", "the container instances' security group"},
    // One output per listener, so that a service state names the listener
    // each of its rules is on, and changes when a certificate comes or goes
    // (listener_rules).
    [VPC_OUT_ALB_HTTP_LISTENER] = {"alb_http_listener_arn",
                                   "the HTTP listener: services' rules forward, or with a "
                                   "certificate redirect to HTTPS"},
    [VPC_OUT_ALB_HTTPS_LISTENER] = {"alb_https_listener_arn",
                                    "the HTTPS listener, with a certificate: services' rules "
                                    "forward"},
    [VPC_OUT_ALB_DNS] = {"alb_dns_name", "the load balancer's address"},
    [VPC_OUT_ALB_SG] = {"alb_security_group_id",
                        "the load balancer's security group, for services on their own ports"},
    [VPC_OUT_ALB_ARN_SUFFIX] = {"alb_arn_suffix",
                                "the load balancer's ARN suffix, for request count scaling"},
    [VPC_OUT_CLUSTER_NAME] = {"cluster_%s_name", "the ECS cluster's name"},
    [VPC_OUT_CLUSTER_ARN] = {"cluster_%s_arn", "the ECS cluster's ARN"},
    [VPC_OUT_CAPACITY_PROVIDER] = {"capacity_provider_%s",
                                   "the cluster's capacity provider, for services' strategies"},
    [VPC_OUT_BASTION_IP] = {"bastion_public_ip", "where to SSH to"},
    [VPC_OUT_PUBLIC_SUBNETS] = {"public_subnet_ids",
                                "the public subnets, for tasks with public addresses"},
    [VPC_OUT_VPC_CIDR] = {"vpc_cidr_block",
                          "the VPC's primary IPv4 block, which Service Connect clients come from"},
    [VPC_OUT_CONNECT_NAMESPACE] = {"connect_namespace_arn",
                                   "the Cloud Map namespace of the services' Service Connect"},
    [VPC_OUT_VPC_SECONDARY_CIDRS] = {"vpc_secondary_cidr_blocks",
                                     "the existing VPC's secondary IPv4 blocks, which Service "
                                     "Connect clients come from too"},
};

static const char *output_name(Tf *t, VpcOutput o, const Cluster *k) {
  const char *name = vpc_outputs[o].name, *hole = strstr(name, "%s");
  if (!k || !hole)
    return name;
  return str_fmt(t->arena, "%.*s%.*s%s", (int)(hole - name), name, S(k->tf_name), hole + 2).ptr;
}

static void output(Tf *t, const char *name, json_t *value, const char *doc) {
  if (!t->outputs)
    t->outputs = json_object();
  jsonout_put(t->outputs, name, jsonout_obj(
      "description", jsonout_cstr(doc),
      "value", value));
}

static void export(Tf *t, VpcOutput o, const Cluster *k, json_t *value) {
  output(t, output_name(t, o, k), value, vpc_outputs[o].doc);
}

// A statement's conditions: [{ test, variable, values }].
static json_t *statement_conditions(const Statement *s) {
  json_t *a = json_array();
  for (int k = 0; k < s->nconditions; k++)
    json_array_append_new(a, jsonout_obj(
        "test", jsonout_str(s->conditions[k].op),
        "variable", jsonout_str(s->conditions[k].key),
        "values", jsonout_strs(s->conditions[k].values, s->conditions[k].nvalues)));
  return a;
}

static json_t *statement(Tf *t, const Statement *s) {
  return jsonout_obj(
      "sid", s->sid.len ? jsonout_str(s->sid) : NULL,
      "effect", jsonout_cstr("Allow"),
      "actions", s->literal ? lits(t, s->actions, s->nactions)
                            : jsonout_strs(s->actions, s->nactions),
      "resources", s->literal ? lits(t, s->resources, s->nresources)
                              : jsonout_strs(s->resources, s->nresources),
      "condition", s->nconditions ? statement_conditions(s) : NULL);
}

// An IAM policy document as data.aws_iam_policy_document: statements as
// blocks a reviewer can read, not an escaped JSON string.
static void policy_document(Tf *t, const char *name, const Policy *p, Span because, const char *what) {
  json_t *statements = json_array();
  for (int i = 0; i < p->n; i++)
    json_array_append_new(statements, statement(t, &p->statements[i]));
  data(t, "aws_iam_policy_document", name, because, what,
       "statement", statements);
}

static json_t *trust_condition(const char *test, const char *variable, json_t *value) {
  return jsonout_obj(
      "test", jsonout_cstr(test),
      "variable", jsonout_cstr(variable),
      "values", jsonout_arr(value));
}

// Who may assume a role. Tasks' roles are assumed by ECS on behalf of a task
// of this account and region only: AWS's confused-deputy conditions, as the
// Amazon ECS Developer Guide gives them ("Amazon ECS task IAM role" and
// "Amazon ECS task execution IAM role", trust relationship: ArnLike
// aws:SourceArn arn:aws:ecs:REGION:ACCOUNT:* and StringEquals
// aws:SourceAccount ACCOUNT). EC2 sets neither key for an instance role.
// The principals are SERVICE.amazonaws.com in every partition ecsc builds
// for (model.c, model_partition_supported, cites the table).
static void assume_role(Tf *t, const char *name, const char *service) {
  const Environment *e = t->e;
  bool task = strcmp(service, "ecs-tasks.amazonaws.com") == 0;
  Str account = task ? e->arn_account : (Str){0};
  data(t, "aws_iam_policy_document", name, (Span){0}, "",
       "statement", jsonout_arr(jsonout_obj(
           "effect", jsonout_cstr("Allow"),
           "actions", jsonout_arr(jsonout_cstr("sts:AssumeRole")),
           "principals", jsonout_arr(jsonout_obj(
               "type", jsonout_cstr("Service"),
               "identifiers", jsonout_arr(jsonout_cstr(service)))),
           "condition", !task ? NULL : jsonout_arr(
               trust_condition("StringEquals", "aws:SourceAccount", jsonout_str(account)),
               trust_condition("ArnLike", "aws:SourceArn",
                               strf(t, "arn:%.*s:ecs:%.*s:%.*s:*", S(e->partition),
                                    S(e->region), S(account)))))));
}

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

static json_t *existing_ids(Tf *t, const SubnetId *ids, int n) {
  json_t *out = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(out, strf(t, "${data.aws_subnet.%.*s.id}", S(ids[i].tf_name)));
  return out;
}

// A tier's subnets, in zone order (an existing VPC's in the order given).
static json_t *tier_subnet_ids(Tf *t, const char *tier) {
  const Vpc *v = &t->e->vpc;
  if (v->id.len)
    return strcmp(tier, "public") == 0 ? existing_ids(t, v->public_ids, v->npublic_ids)
                                       : existing_ids(t, v->private_ids, v->nprivate_ids);
  json_t *ids = json_array();
  for (int i = 0; i < v->nazs; i++)
    json_array_append_new(ids, strf(t, "${aws_subnet.%s_%s.id}", tier, ident(t, v->azs[i])));
  return ids;
}

static void tf_vpc(Tf *t, Span at) {
  const Environment *e = t->e;
  resource(t, "aws_vpc", "main", at, "the environment's VPC",
           "cidr_block", jsonout_str(literal_cidr_text(t->arena, e->vpc.cidr)),
           "enable_dns_support", jsonout_bool(true),
           "enable_dns_hostnames", jsonout_bool(true),
           "tags", tags(t, "%.*s", S(e->prefix)));
  resource(t, "aws_internet_gateway", "main", at, "the VPC's way to the internet",
           "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
           "tags", tags(t, "%.*s", S(e->prefix)));
}

static void subnets(Tf *t) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  for (int k = 0; k < 3; k++) {
    int n;
    CidrAt *cidrs = tier_subnets(v, k, &n);
    Span at = tier_at(e, k);
    for (int i = 0; i < n && i < v->nazs; i++)
      resource(t, "aws_subnet", id(t, "%s_%s", tiers[k], ident(t, v->azs[i])), at,
               id(t, "%s subnet in %.*s", tiers[k], S(v->azs[i])),
               "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
               "cidr_block", jsonout_str(literal_cidr_text(t->arena, cidrs[i].cidr)),
               "availability_zone", jsonout_str(v->azs[i]),
               "tags", jsonout_put(tags(t, "%.*s-%s-%.*s", S(e->prefix), tiers[k], S(v->azs[i])),
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
  return ident(t, t->e->vpc.azs[i]);
}

// create_before_destroy on what routes a private subnet out (the address,
// the gateway, the private tables and their NAT routes): when a switch to
// "single" drops a zone's gateway, Terraform records the setting in the
// state, and the destroy of such an object waits for the updates of what
// depended on it (internal/terraform, CBDEdgeTransformer;
// docs/destroying.md, "Update a destroyed create_before_destroy
// dependency"), here the zone's subnet association, which moves to the
// single table first (route_table_associations). Without it Terraform
// destroys first (DestroyEdgeTransformer: "connect creators to any
// destroyers on which they may depend"), and the provider deletes a route
// table by first disassociating its subnets (resourceRouteTableDelete: "Do
// all the disassociations"), which then have no way out until the gateway
// and its address are gone too and the association is made again
// (resourceRouteTableAssociationUpdate: InvalidAssociationID.NotFound,
// "just create a new one"). Both orders were seen with Terraform 1.11 on
// terraform_data stand-ins. A replacement of one of these makes the new one
// first: a table and its route are replaced only with the VPC; a gateway
// only with its public subnet (a new CIDR), and with the same address,
// which a new gateway may not take while the old one holds it (not proven;
// nor can the old order delete that subnet under its interfaces: review6
// A14). Terraform makes what they depend on create_before_destroy too
// ("Forced Create Before Destroy"), as the capacity providers already make
// the VPC and the private subnets (capacity_provider).
static json_t *before_destroy(void) {
  return jsonout_obj("create_before_destroy", jsonout_bool(true));
}

static void nat(Tf *t, Span at) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  for (int i = 0; i < nat_gateways(v); i++) {
    const char *name = nat_name(t, i);
    resource(t, "aws_eip", id(t, "nat_%s", name), at, "the NAT gateway's address",
             "domain", jsonout_cstr("vpc"),
             "tags", tags(t, "%.*s-nat-%.*s", S(e->prefix), S(v->azs[i])),
             "lifecycle", before_destroy());
    resource(t, "aws_nat_gateway", name, at, "a NAT gateway",
             "allocation_id", strf(t, "${aws_eip.nat_%s.id}", name),
             "subnet_id", strf(t, "${aws_subnet.public_%s.id}", ident(t, v->azs[i])),
             "tags", tags(t, "%.*s-nat-%.*s", S(e->prefix), S(v->azs[i])),
             "depends_on", jsonout_arr(jsonout_cstr("aws_internet_gateway.main")),
             "lifecycle", before_destroy());
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
  return private_tables_in(v, mode) == 1 ? "private" : id(t, "private_%s", ident(t, v->azs[i]));
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
  moved(t, "aws_eip", "nat_main", id(t, "nat_%s", first), at,
        "the single NAT's address, named before its zone named it");
  moved(t, "aws_nat_gateway", "main", first, at, "the single NAT, named before its zone named it");
  NatMode other = v->nat == NAT_SINGLE ? NAT_PER_AZ : NAT_SINGLE;
  const char *from = private_table_in(t, other, 0), *to = private_table(t, 0);
  if (!strcmp(from, to))
    return;  // one zone: one table either way
  const char *why = v->nat == NAT_SINGLE
                        ? "the first zone's table of nat = per_az is the single one"
                        : "the single table of nat = single is the first zone's";
  moved(t, "aws_route_table", from, to, at, why);
  moved(t, "aws_route", id(t, "%s_nat", from), id(t, "%s_nat", to), at, why);
}

static void route_tables(Tf *t, Span at, Span nat_at) {
  const Environment *e = t->e;
  const Vpc *v = &e->vpc;
  resource(t, "aws_route_table", "public", at, "routes of the public subnets",
           "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
           "tags", tags(t, "%.*s-public", S(e->prefix)));
  resource(t, "aws_route", "public_internet", at, "the public subnets reach the internet",
           "route_table_id", jsonout_cstr("${aws_route_table.public.id}"),
           "destination_cidr_block", jsonout_cstr("0.0.0.0/0"),
           "gateway_id", jsonout_cstr("${aws_internet_gateway.main.id}"));
  for (int i = 0; i < private_tables(v); i++) {
    const char *name = private_table(t, i);
    resource(t, "aws_route_table", name, at, "routes of the private subnets",
             "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
             "tags", private_tables(v) == 1
                         ? tags(t, "%.*s-private", S(e->prefix))
                         : tags(t, "%.*s-private-%.*s", S(e->prefix), S(v->azs[i])),
             "lifecycle", before_destroy());
    if (nat_gateways(v))
      resource(t, "aws_route", id(t, "%s_nat", name), nat_at,
               "the private subnets reach the internet through NAT",
               "route_table_id", strf(t, "${aws_route_table.%s.id}", name),
               "destination_cidr_block", jsonout_cstr("0.0.0.0/0"),
               "nat_gateway_id", strf(t, "${aws_nat_gateway.%s.id}", nat_name(t, i)),
               "lifecycle", before_destroy());
  }
  // No route out: databases answer the VPC and nothing else.
  if (v->ndatabase)
    resource(t, "aws_route_table", "database", span_or(v->at.database_subnets, at),
             "routes of the database subnets: none leave the VPC",
             "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
             "tags", tags(t, "%.*s-database", S(e->prefix)));
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
      const char *az = ident(t, v->azs[i]);
      const char *table = k == 0 ? "public" : k == 2 ? "database" : private_table(t, i);
      bool nat_route = k == 1 && nat_gateways(v);
      resource(t, "aws_route_table_association", id(t, "%s_%s", tiers[k], az), at, "",
               "subnet_id", strf(t, "${aws_subnet.%s_%s.id}", tiers[k], az),
               "route_table_id", strf(t, "${aws_route_table.%s.id}", table),
               "depends_on", nat_route ? jsonout_arr(strf(t, "aws_route.%s_nat", table)) : NULL);
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
         id(t, "an existing %s subnet", tier),
         "id", lit(t, ids[i].id),
         "lifecycle", jsonout_obj(
             "postcondition", jsonout_arr(jsonout_obj(
                 "condition", jsonout_cstr("${self.vpc_id == data.aws_vpc.main.id}"),
                 "error_message", strf(t, "subnet %.*s is not in %.*s, the environment's VPC",
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
    data(t, "aws_route_tables", n, at, id(t, "the route table of subnet %.*s, if it has its own",
                                           S(s->id)),
         "vpc_id", jsonout_cstr("${data.aws_vpc.main.id}"),
         "filter", jsonout_arr(jsonout_obj(
             "name", jsonout_cstr("association.subnet-id"),
             "values", jsonout_arr(lit(t, s->id)))));
    data(t, "aws_route_table", n, at,
         id(t, "the routes of public subnet %.*s: to the internet, or it is not public",
            S(s->id)),
         "route_table_id", strf(t, "${try(data.aws_route_tables.%s.ids[0], "
                                   "data.aws_route_table.main.id)}", n),
         "lifecycle", jsonout_obj(
             "postcondition", jsonout_arr(jsonout_obj(
                 "condition", jsonout_cstr(
                     "${anytrue([for r in self.routes : try(startswith(r.gateway_id, \"igw-\"), "
                     "false) || try(length(r.vpc_endpoint_id) > 0, false) || "
                     "try(length(r.network_interface_id) > 0, false) || "
                     "try(length(r.instance_id) > 0, false)])}"),
                 "error_message",
                 strf(t, "subnet %.*s of public_subnet_ids has no route to an internet gateway "
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
       "id", lit(t, v->id));
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

// A security group's or a rule's description, which EC2 takes as "Up to 255
// characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and
// ._-:/()#,@[]+=&;{}!$*" (Amazon EC2 API Reference, CreateSecurityGroup:
// GroupDescription; IpRange, UserIdGroupPair: Description) and refuses at
// apply otherwise: no apostrophe, no quote. The provider does not check it,
// so neither does terraform validate; ecsc's texts are its own constants,
// held to the rule here and, in every build test, by tests/api-strings.py.
static json_t *ec2_description(const char *text) {
  assert(strlen(text) <= 255 && strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789 ._-:/()#,@[]+=&;{}!$*") == strlen(text));
  return jsonout_cstr(text);
}

static void rule(Tf *t, const char *kind, const char *name, const char *group, int from, int to,
                 const char *cidr, const char *source_group, const char *why, Span at) {
  resource(t, kind, name, at, why,
           "security_group_id", strf(t, "${aws_security_group.%s.id}", group),
           "description", ec2_description(why),
           "ip_protocol", jsonout_cstr(from < 0 ? "-1" : "tcp"),
           "from_port", from >= 0 ? jsonout_int(from) : NULL,
           "to_port", from >= 0 ? jsonout_int(to) : NULL,
           "cidr_ipv4", cidr ? jsonout_cstr(cidr) : NULL,
           "referenced_security_group_id",
           cidr ? NULL : strf(t, "${aws_security_group.%s.id}", source_group));
}

static void security_group(Tf *t, const char *id, Str name, const char *why, Span at) {
  resource(t, "aws_security_group", id, at, why,
           "name", jsonout_str(name),
           "description", ec2_description(why),
           "vpc_id", vpc_id(t),
           "tags", tags(t, "%.*s", S(name)));
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
    rule(t, "aws_vpc_security_group_ingress_rule", id(t, "instances_from_alb_%d", ports[i]),
         "instances", ports[i], ports[i], NULL, "alb",
         id(t, "the fixed host port %d, from the load balancer only", ports[i]), e->alb->span);
    rule(t, "aws_vpc_security_group_egress_rule", id(t, "alb_to_instances_%d", ports[i]), "alb",
         ports[i], ports[i], NULL, "instances",
         id(t, "to the fixed host port %d of the tasks", ports[i]), e->alb->span);
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
      rule(t, "aws_vpc_security_group_ingress_rule", id(t, "alb_%d_%d", ports[p], i), "alb",
           ports[p], ports[p], str_cstr(a, cidr), NULL,
           id(t, "HTTP%s from %.*s", p ? "S" : "", S(cidr)), at);
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
       "name", strf(t, "com.amazonaws.%.*s.s3", S(t->e->region)));
  const char *why = "HTTPS to S3, where the Amazon Linux package repositories are";
  resource(t, "aws_vpc_security_group_egress_rule", "bastion_updates", at, why,
           "security_group_id", jsonout_cstr("${aws_security_group.bastion.id}"),
           "description", ec2_description(why),
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
    rule(t, "aws_vpc_security_group_ingress_rule", id(t, "bastion_ssh_%d", i), "bastion", 22, 22,
         str_cstr(a, cidr), NULL, id(t, "SSH from %.*s", S(cidr)), at);
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
// state reads it (remote()), so a later build without instances destroys it
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
  const char *name = ident(t, str_c(service));
  const char *type = gateway ? "Gateway" : "Interface";
  data(t, "aws_vpc_endpoint_service", name, (Span){0}, "",
       "service", jsonout_cstr(service),
       "service_type", jsonout_cstr(type));
  json_t *ep = resource(t, "aws_vpc_endpoint", name, at,
      id(t, "%s, without NAT, for %s", service, who),
      "vpc_id", jsonout_cstr("${aws_vpc.main.id}"),
      "service_name", strf(t, "${data.aws_vpc_endpoint_service.%s.service_name}", name),
      "vpc_endpoint_type", jsonout_cstr(type));
  if (gateway)
    jsonout_put(ep, "route_table_ids", jsonout_arr(jsonout_cstr("${aws_route_table.private.id}")));
  else
    jsonout_put(ep,
        "subnet_ids", tier_subnet_ids(t, "private"),
        "security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.endpoints.id}")),
        "private_dns_enabled", jsonout_bool(true));
  jsonout_put(ep, "tags", tags(t, "%.*s-%s", S(t->e->prefix), service));
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
static json_t *redirect_to_https(void) {
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
      "condition", strf(t, "${%.*s}", S(expr)),
      "error_message", lit(t, message));
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
           "subnets", tier_subnet_ids(t, "public"),
           "idle_timeout", jsonout_int(lb->idle_timeout_ms / 1000),
           "enable_deletion_protection", jsonout_bool(lb->deletion_protection),
           "drop_invalid_header_fields", jsonout_bool(true),
           "tags", tags(t, "%.*s", S(lb->name)),
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
           "default_action", redirect_to_https());
}

//
// A cluster's resources, each named after the cluster's Terraform name, n
//

static void ecs_cluster(Tf *t, const Cluster *k, const char *n) {
  resource(t, "aws_ecs_cluster", n, k->span, "an ECS cluster",
           "name", jsonout_str(k->aws_name),
           "setting", jsonout_arr(jsonout_obj(
               "name", jsonout_cstr("containerInsights"),
               "value", jsonout_str(k->container_insights))));
}

static void instance_role(Tf *t, const Cluster *k, const char *n) {
  assume_role(t, id(t, "instance_assume_%s", n), "ec2.amazonaws.com");
  policy_document(t, id(t, "instance_%s", n), &k->instance_policy, k->span,
                  "the ECS agent's actions, on this cluster only");
  resource(t, "aws_iam_role", id(t, "instance_%s", n), k->span, "the container instances' role",
           "name", jsonout_str(k->instance_role),
           "assume_role_policy",
           strf(t, "${data.aws_iam_policy_document.instance_assume_%s.json}", n));
  resource(t, "aws_iam_role_policy", id(t, "instance_%s", n), k->span, "",
           "name", jsonout_cstr("ecs-agent"),
           "role", strf(t, "${aws_iam_role.instance_%s.id}", n),
           "policy", strf(t, "${data.aws_iam_policy_document.instance_%s.json}", n));
  resource(t, "aws_iam_instance_profile", n, k->span, "",
           "name", jsonout_str(k->instance_role),
           "role", strf(t, "${aws_iam_role.instance_%s.name}", n));
}

static Str ami_parameter(const Cluster *k) {
  if (!k->ami)
    return (Str){0};
  Arch arch = k->type ? k->type->arch : ARCH_X86_64;
  return k->ami->ssm[arch];
}

// The image: the declared AMI, or the latest ECS-optimized one, which AWS
// publishes as an SSM parameter.
static json_t *image(Tf *t, const Cluster *k, const char *n) {
  if (k->ami_id.len)
    return jsonout_str(k->ami_id);
  data(t, "aws_ssm_parameter", id(t, "ami_%s", n), span_or(k->at.ami, k->span),
       "the latest ECS-optimized AMI",
       "name", jsonout_str(ami_parameter(k)));
  return strf(t, "${data.aws_ssm_parameter.ami_%s.insecure_value}", n);
}

// Amazon Linux keeps everything on its root volume. Bottlerocket boots
// from /dev/xvda and keeps images and containers on its data volume,
// /dev/xvdb: that one gets the declared size; both are encrypted.
static json_t *block_devices(const Cluster *k) {
  bool bottlerocket = model_bottlerocket(k);
  json_t *devs = json_array();
  for (int v = 0; v < (bottlerocket ? 2 : 1); v++)
    json_array_append_new(devs, jsonout_obj(
        "device_name", jsonout_cstr(v == 0 ? "/dev/xvda" : "/dev/xvdb"),
        "ebs", jsonout_obj(
            "volume_size", !bottlerocket || v == 1 ? jsonout_int(k->root_volume >> 30) : NULL,
            "volume_type", jsonout_cstr("gp3"),
            "encrypted", jsonout_cstr("true"),
            "delete_on_termination", jsonout_cstr("true"))));
  return devs;
}

// What the group launches carries the environment's tags: the provider's
// default_tags reach only what Terraform itself creates, not the instances
// an autoscaling group launches nor their volumes (AWS provider
// documentation, "Resource: aws_autoscaling_group", and the provider's
// default_tags: "not applied to ... resources created by ... autoscaling").
// Named as the group's own Name tag, which wins on the instances anyway
// (Amazon EC2 Auto Scaling User Guide, "Tag Auto Scaling groups and
// instances": the group's value takes precedence over the template's), so
// that both say the same. The volumes get their tags only here: "Tags are
// not propagated to Amazon EBS volumes. To add tags to Amazon EBS volumes,
// specify the tags in a launch template" (same guide). So a change of the
// tags is a new template version, and an instance refresh (W1234:
// rebuild_costs.c says why no other way does). The instance entry repeats
// the group's tags, which win on a shared key: dropping it would change
// nothing on an instance but would itself be a new version of every
// template, an instance refresh of every environment once.
static json_t *tag_specifications(Tf *t, const Cluster *k) {
  return jsonout_arr(
      jsonout_obj("resource_type", jsonout_cstr("instance"),
                  "tags", environment_tags(t, k->asg_name)),
      jsonout_obj("resource_type", jsonout_cstr("volume"),
                  "tags", environment_tags(t, k->asg_name)));
}

// A group's instances take its cluster's instance profile.
static void launch_template(Tf *t, const Cluster *k, const char *n) {
  json_t *ami = image(t, k, n);
  const char *profile = k->outer ? str_cstr(t->arena, k->outer->tf_name) : n;
  resource(t, "aws_launch_template", n, k->span, "the container instances",
           "name", jsonout_str(k->template_name),
           "image_id", ami,
           "instance_type", jsonout_str(k->instance_type),
           "key_name", k->key_name.len ? lit(t, k->key_name) : NULL,
           "vpc_security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.instances.id}")),
           "iam_instance_profile", jsonout_obj(
               "arn", strf(t, "${aws_iam_instance_profile.%s.arn}", profile)),
           "user_data", strf(t, "${filebase64(\"${path.module}/%.*s\")}",
                             S(emit_userdata_name(t->arena, k))),
           // IMDSv2 only; a hop limit of 1 keeps bridge-mode containers from the
           // instance's credentials (tasks get their own role from the ECS agent).
           "metadata_options", jsonout_obj(
               "http_endpoint", jsonout_cstr("enabled"),
               "http_tokens", jsonout_cstr("required"),
               "http_put_response_hop_limit", jsonout_int(1)),
           "block_device_mappings", block_devices(k),
           "monitoring", jsonout_obj("enabled", jsonout_bool(k->detailed_monitoring)),
           "tag_specifications", tag_specifications(t, k));
}

// The group's own tags, each propagated to what it launches: the
// environment's (default_tags do not reach an autoscaling group's tag
// blocks), and AmazonECSManaged, which a capacity provider with managed
// scaling requires on its group (Amazon ECS Developer Guide, "Auto Scaling
// group capacity providers").
static json_t *asg_tags(Tf *t, const Cluster *k) {
  json_t *all = jsonout_put(environment_tags(t, k->asg_name),
                            "AmazonECSManaged", jsonout_cstr("true"));
  json_t *list = json_array();
  const char *key;
  json_t *value;
  json_object_foreach(all, key, value)
    json_array_append_new(list, jsonout_obj(
        "key", jsonout_cstr(key),
        "value", json_incref(value),
        "propagate_at_launch", jsonout_bool(true)));
  json_decref(all);
  return list;
}

static json_t *template_of(Tf *t, const char *n, const char *id_key) {
  return jsonout_obj(
      id_key, strf(t, "${aws_launch_template.%s.id}", n),
      "version", strf(t, "${aws_launch_template.%s.latest_version}", n));
}

// spot { }: a mixed instances policy over the launch template, one
// override per instance type, instance_type first (Amazon EC2 Auto Scaling
// API Reference, MixedInstancesPolicy, InstancesDistribution and
// LaunchTemplateOverrides: the overrides' types replace the template's, and
// capacity-optimized-prioritized reads their order as a priority). A group
// takes either a launch template or a mixed instances policy (AWS provider
// documentation, "Resource: aws_autoscaling_group": they conflict).
static json_t *mixed_instances(Tf *t, const Cluster *k, const char *n) {
  const Spot *p = k->spot;
  json_t *overrides = json_array();
  for (int i = 0; i < k->ntypes; i++)
    json_array_append_new(overrides, jsonout_obj("instance_type", jsonout_str(k->type_names[i])));
  return jsonout_obj(
      "instances_distribution", jsonout_obj(
          "on_demand_base_capacity", jsonout_int(p->on_demand_base),
          "on_demand_percentage_above_base_capacity", jsonout_int(p->on_demand_percent),
          "spot_allocation_strategy", jsonout_str(p->allocation)),
      "launch_template", jsonout_obj(
          "launch_template_specification", template_of(t, n, "launch_template_id"),
          "override", overrides));
}

// The group waits for its cluster, whose name its user data gives the
// agent as a literal, not a reference: without it Terraform makes and
// deletes the two side by side. Deleted after the group, the cluster is
// then empty: the provider drains a group before deleting it (capacity 0,
// scale-in protection lifted, internal/service/autoscaling/group.go,
// drainGroup), and "If you terminate a running container instance, Amazon
// ECS automatically deregisters the instance from your cluster" (ECS API
// Reference, DeregisterContainerInstance); DeleteCluster refuses a cluster
// with registered instances (ClusterContainsContainerInstancesException),
// which the provider retries for 10 minutes only (internal/service/ecs/
// cluster.go), while in parallel the group is drained only after its
// capacity provider is gone (review4 U1; aws/aws-cdk#18179 for the same
// race in CloudFormation). Made before the group, the cluster is there
// when the first instance's agent registers. AWS's own CDK orders them so
// (aws-cdk-lib/aws-ecs, Cluster: the group's user data names the cluster
// by a reference, `echo ECS_CLUSTER=${this.clusterName}`), as
// hashicorp/terraform-provider-aws#11409 notes Terraform would "if the
// autoscaling group depended on the cluster". No cycle: the cluster depends
// on nothing of the group (its capacity providers are a resource of their
// own, cluster_capacity_providers).
static const char *cluster_tf_name(Tf *t, const Cluster *k, const char *n) {
  return k->outer ? str_cstr(t->arena, k->outer->tf_name) : n;
}

static void autoscaling_group(Tf *t, const Cluster *k, const char *n) {
  resource(t, "aws_autoscaling_group", n, k->span,
           "the container instances, in the private subnets",
           "name", jsonout_str(k->asg_name),
           "min_size", jsonout_int(k->min_size),
           "max_size", jsonout_int(k->max_size),
           "desired_capacity", jsonout_int(k->size),
           "vpc_zone_identifier", tier_subnet_ids(t, "private"),
           "health_check_type", jsonout_cstr("EC2"),
           // Instances that register with the cluster before their group's
           // capacity provider exists "might not be properly registered
           // with the capacity provider" (ECS Developer Guide, "Amazon ECS
           // capacity providers for EC2 workloads"), and then take no task
           // of a strategy. By default Terraform waits for min_size
           // instances in service (up to 10 minutes) before it creates the
           // provider; without the wait the provider and its association
           // follow the group at once, while the instances still boot. (An
           // empty group, AWS's advice, would leave the cluster without its
           // guaranteed size until a second apply.) The AmazonECSManaged tag
           // each instance carries from launch is the provider
           // documentation's other half ("Resource: aws_ecs_capacity_provider").
           "wait_for_capacity_timeout", jsonout_cstr("0"),
           // Managed termination protection needs the group's scale-in
           // protection on (ECS API Reference, AutoScalingGroupProvider:
           // "The Auto Scaling group and each instance in the Auto Scaling
           // group must have instance protection from scale-in actions on").
           "protect_from_scale_in", k->termination_protection ? jsonout_bool(true) : NULL,
           "launch_template", k->spot ? NULL : template_of(t, n, "id"),
           "mixed_instances_policy", k->spot ? mixed_instances(t, k, n) : NULL,
           "instance_refresh", jsonout_obj(
               "strategy", jsonout_cstr("Rolling"),
               // Launch before terminating: every instance stays until its
               // replacement is in service, so even a one-instance cluster
               // never drops to zero (the capacity provider's managed
               // draining moves the tasks).
               "preferences", jsonout_obj(
                   "min_healthy_percentage", jsonout_int(100),
                   "max_healthy_percentage", jsonout_int(200),
                   // ECS protects every instance running tasks; a refresh
                   // waits an hour for that to end and then fails, unless
                   // told to replace them (Amazon EC2 Auto Scaling API
                   // Reference, RefreshPreferences: ScaleInProtectedInstances,
                   // Wait by default). Managed draining moves their tasks.
                   "scale_in_protected_instances",
                   k->termination_protection ? jsonout_cstr("Refresh") : NULL)),
           "tag", asg_tags(t, k),
           // The capacity provider's managed scaling moves the desired count.
           "lifecycle", jsonout_obj(
               "ignore_changes", jsonout_arr(jsonout_cstr("desired_capacity"))),
           "depends_on", jsonout_arr(strf(t, "aws_ecs_cluster.%s", cluster_tf_name(t, k, n))));
}

// managed_scaling { }: AWS's defaults unless the block is written, and then
// every setting (ECS API Reference, ManagedScaling); off, only the status.
static json_t *tf_managed_scaling(const Cluster *k) {
  const ManagedScaling *m = &k->scaling;
  bool all = m->enabled && m->given;
  return jsonout_obj(
      "status", jsonout_cstr(m->enabled ? "ENABLED" : "DISABLED"),
      "target_capacity", m->enabled ? jsonout_int(m->target_capacity) : NULL,
      "minimum_scaling_step_size", all ? jsonout_int(m->min_step) : NULL,
      "maximum_scaling_step_size", all ? jsonout_int(m->max_step) : NULL,
      "instance_warmup_period", all ? jsonout_int(m->warmup_ms / 1000) : NULL);
}

static json_t *remote(Tf *t, VpcOutput o, const Cluster *k);

// A capacity provider of a cluster's instances (its own, or a group's):
// in the VPC state the resource's name, in a service state the VPC state's
// output of it.
static json_t *provider_ref(Tf *t, const Cluster *k, bool remote_state) {
  if (remote_state)
    return remote(t, VPC_OUT_CAPACITY_PROVIDER, k);
  return strf(t, "${aws_ecs_capacity_provider.%.*s.name}", S(k->tf_name));
}

// strategy "PROVIDER" { base, weight }: the items in order, "ec2" as the
// cluster k's own provider, a group's as its, Fargate's by their AWS names.
static json_t *strategy_items(Tf *t, const Strategy *st, const Cluster *k, bool remote_state) {
  json_t *items = json_array();
  for (int i = 0; i < st->n; i++) {
    const StrategyItem *it = &st->items[i];
    json_array_append_new(items, jsonout_obj(
        "capacity_provider", it->provider == PROVIDER_FARGATE        ? jsonout_cstr("FARGATE")
                             : it->provider == PROVIDER_FARGATE_SPOT ? jsonout_cstr("FARGATE_SPOT")
                             : it->provider == PROVIDER_GROUP ? provider_ref(t, it->group, remote_state)
                                                              : provider_ref(t, k, remote_state),
        "base", jsonout_int(it->base),
        "weight", jsonout_int(it->weight)));
  }
  return items;
}

// One provider per autoscaling group, and one group per provider, which
// ecsc's one group per provider keeps (ECS Developer Guide, "Amazon ECS
// capacity providers for EC2 workloads"). Its name: "Up to 255 characters
// ... letters (both upper and lowercase letters), numbers, underscores (_),
// and hyphens (-). The name can't be prefixed with "aws", "ecs", or
// "fargate"" (ECS API Reference, CreateCapacityProvider): cp-, then the
// cluster's name and a group's label (check_names.c).
//
// create_before_destroy: a provider is deleted only once its cluster has
// let it go ("Only capacity providers that aren't associated with a cluster
// can be deleted", ECS API Reference, DeleteCapacityProvider), but Terraform
// deletes a resource before it updates what referred to it, here the
// cluster's aws_ecs_cluster_capacity_providers, unless the resource is
// create_before_destroy, which reverses that order (Terraform's
// docs/destroying.md, "Resource Replacement" and "Create Before Destroy";
// hashicorp/terraform#17614, #29925; #39175 proposes updating first for a
// deletion, never for a replacement). Without it, removing or renaming a group
// fails at DeleteCapacityProvider, the provider still in its cluster
// (hashicorp/terraform-provider-aws#29152, #14393: "timeout while waiting
// for resource to be gone (last state: 'ACTIVE', timeout: 20m0s)").
// Terraform makes what it depends on create_before_destroy too, whenever
// that is replaced ("Forced Create Before Destroy"): the group, its launch
// template, the instance profile and role are replaced only for a new name,
// which the provider's changes with, so old and new never collide; the
// instances' security group for a new name or VPC, likewise; a subnet for a
// new CIDR, which must not overlap the old one (the old one could not go
// first either, with the instances in it); the cluster, which the group
// depends on (cluster_tf_name), for a new name only, which E1162 refuses while
// services run in it.
// Terraform reads the setting of a resource gone from the configuration
// from its state: E0881 (rebuild_retire.c) holds a build that deletes a
// provider whose state cannot have it yet.
static void capacity_provider(Tf *t, const Cluster *k, const char *n) {
  resource(t, "aws_ecs_capacity_provider", n, k->span,
           "the cluster's capacity: scales and drains the instances",
           "name", jsonout_str(k->capacity_provider),
           "auto_scaling_group_provider", jsonout_obj(
               "auto_scaling_group_arn", strf(t, "${aws_autoscaling_group.%s.arn}", n),
               "managed_draining", jsonout_cstr("ENABLED"),
               "managed_termination_protection",
               jsonout_cstr(k->termination_protection ? "ENABLED" : "DISABLED"),
               "managed_scaling", tf_managed_scaling(k)),
           "lifecycle", jsonout_obj("create_before_destroy", jsonout_bool(true)));
}

// The default strategy when none is written: the cluster's own instances,
// else its first group's, else FARGATE.
static json_t *default_strategy(Tf *t, const Cluster *k) {
  if (k->strategy.n)
    return strategy_items(t, &k->strategy, k, false);
  return jsonout_arr(jsonout_obj(
      "capacity_provider", model_has_instances(k) ? provider_ref(t, k, false)
                           : k->ngroups           ? provider_ref(t, k->groups[0], false)
                                                  : jsonout_cstr("FARGATE"),
      "weight", jsonout_int(1)));
}

// Every provider of the cluster: its instances' and groups', and FARGATE
// and FARGATE_SPOT, which exist in every account and need only be
// associated (ECS API Reference, CapacityProviderStrategyItem).
static void cluster_capacity_providers(Tf *t, const Cluster *k, const char *n,
                                       const Cluster **sets, int nsets) {
  json_t *providers = json_array();
  for (int i = 0; i < nsets; i++)
    json_array_append_new(providers, provider_ref(t, sets[i], false));
  if (k->fargate) {
    json_array_append_new(providers, jsonout_cstr("FARGATE"));
    json_array_append_new(providers, jsonout_cstr("FARGATE_SPOT"));
  }
  resource(t, "aws_ecs_cluster_capacity_providers", n, k->span, "",
           "cluster_name", strf(t, "${aws_ecs_cluster.%s.name}", n),
           "capacity_providers", providers,
           "default_capacity_provider_strategy", default_strategy(t, k));
}

// A cluster: the ECS cluster, the instances' role (the ECS agent's actions,
// nothing else), a launch template (IMDSv2 only, encrypted root volume), an
// autoscaling group over the private subnets with an instance refresh, and a
// capacity provider with managed draining, so scale-in never kills tasks.
// Each group the same, under its own Terraform name (CLUSTER_GROUP), with
// the cluster's role. A Fargate-only cluster is the ECS cluster and its
// association with FARGATE and FARGATE_SPOT alone.
static void tf_cluster(Tf *t, const Cluster *k) {
  const char *n = str_cstr(t->arena, k->tf_name);
  int nsets;
  const Cluster **sets = model_instance_sets(t->arena, k, &nsets);
  ecs_cluster(t, k, n);
  if (nsets)
    instance_role(t, k, n);
  for (int i = 0; i < nsets; i++) {
    const char *gn = str_cstr(t->arena, sets[i]->tf_name);
    launch_template(t, sets[i], gn);
    autoscaling_group(t, sets[i], gn);
    capacity_provider(t, sets[i], gn);
  }
  cluster_capacity_providers(t, k, n, sets, nsets);
  export(t, VPC_OUT_CLUSTER_NAME, k, strf(t, "${aws_ecs_cluster.%s.name}", n));
  export(t, VPC_OUT_CLUSTER_ARN, k, strf(t, "${aws_ecs_cluster.%s.arn}", n));
  for (int i = 0; i < nsets; i++)
    export(t, VPC_OUT_CAPACITY_PROVIDER, sets[i], provider_ref(t, sets[i], false));
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
       "name", strf(t, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-%s",
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
           "subnet_id", v->id.len ? strf(t, "${data.aws_subnet.%.*s.id}", S(v->public_ids[0].tf_name))
                                  : strf(t, "${aws_subnet.public_%s.id}", ident(t, v->azs[0])),
           "vpc_security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.bastion.id}")),
           "key_name", b->key_name.len ? lit(t, b->key_name) : NULL,
           "metadata_options", jsonout_obj("http_tokens", jsonout_cstr("required")),
           "root_block_device", jsonout_obj("encrypted", jsonout_bool(true)),
           "tags", tags(t, "%.*s", S(b->name)),
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
           "tags", tags(t, "%.*s", S(b->name)),
           // An EIP associated with an instance needs the VPC's internet
           // gateway first (AWS provider documentation, "Resource: aws_eip":
           // "EIP may require IGW to exist prior to association. Use
           // depends_on"). An existing VPC's gateway exists already.
           "depends_on", v->id.len ? NULL : jsonout_arr(jsonout_cstr("aws_internet_gateway.main")));
  export(t, VPC_OUT_BASTION_IP, NULL, jsonout_cstr("${aws_eip.bastion.public_ip}"));
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
             "insecure_value", lit(t, p->value),
             "description", p->description.len ? lit(t, p->description) : NULL);
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
           "tags", tags(t, "%.*s", S(e->prefix)));
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
    export(t, VPC_OUT_CONNECT_NAMESPACE, NULL,
           jsonout_cstr("${aws_service_discovery_http_namespace.connect.arn}"));
    export(t, VPC_OUT_VPC_CIDR, NULL, jsonout_cstr(t->e->vpc.id.len ? "${data.aws_vpc.main.cidr_block}"
                                                                    : "${aws_vpc.main.cidr_block}"));
    if (t->e->vpc.id.len)
      export(t, VPC_OUT_VPC_SECONDARY_CIDRS, NULL, secondary_cidr_blocks());
  }
  if (public_ips_used(t->e))
    export(t, VPC_OUT_PUBLIC_SUBNETS, NULL, tier_subnet_ids(t, "public"));
}

Str emit_tf_vpc(const Emitter *em, const Environment *e) {
  Tf t = {.arena = em->arena, .m = em->model, .e = e};
  Str source = em->source;
  preamble(&t, source, "the VPC state", "vpc");
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
  export(&t, VPC_OUT_VPC_ID, NULL, vpc_id(&t));
  // An existing VPC's private subnets when it names them (check_network.c,
  // E1060: whatever runs there, instances or tasks, needs them named); the
  // instances' group where there are instances.
  if (!e->vpc.id.len || e->vpc.nprivate_ids)
    export(&t, VPC_OUT_PRIVATE_SUBNETS, NULL, tier_subnet_ids(&t, "private"));
  if (model_env_instances(e))
    export(&t, VPC_OUT_INSTANCES_SG, NULL, jsonout_cstr("${aws_security_group.instances.id}"));
  if (e->alb) {
    export(&t, VPC_OUT_ALB_HTTP_LISTENER, NULL, jsonout_cstr("${aws_lb_listener.http.arn}"));
    if (e->alb->certificate_arn.len)
      export(&t, VPC_OUT_ALB_HTTPS_LISTENER, NULL, jsonout_cstr("${aws_lb_listener.https.arn}"));
    export(&t, VPC_OUT_ALB_DNS, NULL, jsonout_cstr("${aws_lb.main.dns_name}"));
    export(&t, VPC_OUT_ALB_SG, NULL, jsonout_cstr("${aws_security_group.alb.id}"));
    export(&t, VPC_OUT_ALB_ARN_SUFFIX, NULL, jsonout_cstr("${aws_lb.main.arn_suffix}"));
  }
  connect_outputs(&t);
  finish(&t);
  return jsonout_dump(t.arena, t.root);
}

//
// A service's state
//

// A read of one of the VPC state's outputs, through the table the VPC state
// writes them from: a service state reads nothing the VPC state does not
// export, and no ARN is ever copied by hand between states. (The load
// balancer's outputs exist where a service has a route: check_routes.c,
// E0543.)
static json_t *remote(Tf *t, VpcOutput o, const Cluster *k) {
  return strf(t, "${data.terraform_remote_state.vpc.outputs.%s}", output_name(t, o, k));
}

// One condition of a listener rule: { FIELD: { values: [...] } }.
static json_t *rule_condition(Tf *t, const char *field, Str *values, int n) {
  return jsonout_obj(field, jsonout_obj("values", lits(t, values, n)));
}

// The listener rule's conditions: its paths, its hosts, or, as a rule needs
// a condition, everything.
static json_t *conditions_of(Tf *t, const Route *r) {
  Str all = STR("/*");
  return jsonout_arr(
      r->npaths ? rule_condition(t, "path_pattern", r->paths, r->npaths) : NULL,
      r->nhosts ? rule_condition(t, "host_header", r->hosts, r->nhosts) : NULL,
      !r->npaths && !r->nhosts ? rule_condition(t, "path_pattern", &all, 1) : NULL);
}

// The service's targets (NAME main), and a traffic-shifting deployment's
// second group (alternate) with the same settings: ECS registers the new
// tasks in whichever of the two the production traffic is not on ("Both
// target groups should be configured with the following settings", ECS
// Developer Guide, "Application Load Balancer resources for blue/green,
// linear, and canary deployments").
static void target_group(Tf *t, const Service *s, Span at, const char *name, Str group,
                         const char *what) {
  const Route *r = s->route;
  resource(t, "aws_lb_target_group", name, at, what,
           "name", jsonout_str(group),
           "port", jsonout_int(r->port),
           "protocol", jsonout_cstr("HTTP"),
           "target_type", jsonout_cstr(s->network == NET_AWSVPC ? "ip" : "instance"),
           "vpc_id", remote(t, VPC_OUT_VPC_ID, NULL),
           "deregistration_delay", strf(t, "%lld", (long long)(r->deregistration_ms / 1000)),
           "health_check", jsonout_obj(
               "path", lit(t, r->health.path),
               "protocol", jsonout_cstr("HTTP"),
               "matcher", jsonout_str(r->health.matcher),
               "interval", jsonout_int(r->health.interval_ms / 1000),
               "timeout", jsonout_int(r->health.timeout_ms / 1000),
               "healthy_threshold", jsonout_int(r->health.healthy),
               "unhealthy_threshold", jsonout_int(r->health.unhealthy)),
           "tags", tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
           "lifecycle", jsonout_obj("create_before_destroy", jsonout_bool(true)));
}

// The rule forwards to the service's group; with a traffic-shifting
// deployment, to both, the production group weighted 100 and the
// alternate 0, which ECS moves at each deployment ("ECS blue/green rewrites
// the production listener rule to a weighted ForwardConfig" over the two
// groups, go-to-k/cdk-real-drift issue 1730, observed live). Terraform must
// not move them back: the action is ignore_changes (terraform-aws-modules/
// terraform-aws-alb issue 409: the weights "are specified as a static value
// (100 or 0)", rotated "by ECS deployment role", and "when i run terraform
// plan again, sees the drift and try to restore it to initial values").
// The conditions and the priority stay Terraform's. (The provider's issue
// 45678, "Terraform triggered deployments do not alternate target groups
// for ECS-managed blue/green", is open, with no fix to follow.)
//
// The service's own load_balancer is not under ignore_changes: ECS moves the
// rule's weights, and no AWS page says it rewrites the service's
// targetGroupArn to the alternate group (ECS Developer Guide, "Application
// Load Balancer resources for blue/green, linear, and canary deployments":
// "Amazon ECS automatically registers tasks with the appropriate target
// group", the rule's weights aside). The provider reads target_group_arn
// back from DescribeServices (flattenServiceLoadBalancers, internal/service/
// ecs/service.go), so a swap would show as a diff; the live reports seen
// show the rule's drift alone (go-to-k/cdk-real-drift issues 1730 and
// 1732, which read the service's TargetGroupArn and AlternateTargetGroupArn
// as written), and terraform-aws-modules/terraform-aws-ecs's ECS-native
// blue/green service ignores desired_count alone. CodeDeploy's blue/green
// does swap it (kayac/ecspresso issue 936): not the controller ecsc uses.
// Ignoring load_balancer would also hide ecsc's own changes to it, the
// advanced_configuration a strategy change adds or drops among them.
static json_t *rule_action(const Service *s) {
  if (!s->route->alternate_group.len)
    return jsonout_arr(jsonout_obj(
        "type", jsonout_cstr("forward"),
        "target_group_arn", jsonout_cstr("${aws_lb_target_group.main.arn}")));
  return jsonout_arr(jsonout_obj(
      "type", jsonout_cstr("forward"),
      "forward", jsonout_obj(
          "target_group", jsonout_arr(
              jsonout_obj("arn", jsonout_cstr("${aws_lb_target_group.main.arn}"),
                          "weight", jsonout_int(100)),
              jsonout_obj("arn", jsonout_cstr("${aws_lb_target_group.alternate.arn}"),
                          "weight", jsonout_int(0))))));
}

// The rule that forwards to the service's targets, the one ECS moves the
// weights of in a traffic-shifting deployment: on HTTPS when the
// environment has a certificate, else on HTTP.
static const char *forwarding_rule(const Service *s) {
  return s->env->alb && s->env->alb->certificate_arn.len ? "aws_lb_listener_rule.https"
                                                         : "aws_lb_listener_rule.http";
}

static json_t *ecs_moves_action(bool shifted) {
  return shifted ? jsonout_arr(jsonout_cstr("action")) : NULL;
}

// The service's rules, one per listener, each reading its listener by its
// own output (VPC_OUT_ALB_HTTP_LISTENER, VPC_OUT_ALB_HTTPS_LISTENER): so a
// certificate added or removed changes every routed service's state, and
// `build --changed` lists them (review6 A8: one output for "the" listener
// changed its value under byte-identical service states, whose rules stayed
// on HTTP, or went with the deleted HTTPS listener: "When you delete a
// listener, all its rules are deleted", ELB User Guide).
//
// Without a certificate, rule http forwards, on the HTTP listener. With
// one, rule https forwards on the HTTPS listener and rule http, same
// priority, same conditions, redirects to HTTPS. Priorities are per
// listener ("A listener can't have multiple rules with the same priority",
// ELB API Reference, CreateRule), and a listener tries its rules "in
// priority order, from the lowest value to the highest value. The default
// rule is evaluated last" (ELB User Guide, "Listener rules"). So the HTTP
// listener keeps every service's rule, in the same order, whichever of
// them already redirect: a request matches its own service's rule there,
// never a lower catch-all of a service not yet applied, and is served or
// sent to HTTPS, where its rule exists before it is sent there:
//
//   - certificate added: the VPC state first makes the HTTPS listener;
//     each service state then makes rule https, and only then (depends_on)
//     turns rule http's action into the redirect, in place: the action is
//     no ForceNew argument and goes by ModifyRule
//     (internal/service/elbv2/listener_rule.go, resourceListenerRuleUpdate;
//     listener_arn is the one ForceNew argument there);
//   - certificate removed: rebuild_listeners.c orders the environment's
//     service states before its VPC state; each turns rule http back to
//     forwarding, and then deletes rule https: Terraform updates a former
//     dependent before it destroys a create_before_destroy resource it
//     depended on ("Update a destroyed create_before_destroy dependency",
//     hashicorp/terraform docs/destroying.md), a setting and a dependency
//     it reads from the state for a resource gone from the configuration.
//     The VPC state, last, deletes an HTTPS listener without rules.
//
// Rule main of earlier builds, the forwarding rule on the one listener
// they exported, is the forwarding rule here (moved: Terraform renames an
// object it finds in the state at `from` before it plans, and a state
// without one, a new service's, has nothing to move; Terraform language
// documentation, "moved block reference" and "Refactoring"): a build that
// changes the certificate over such a state is refused (E1222), so the move
// never changes a listener.
static void listener_rules(Tf *t, const Service *s, Span at) {
  bool shifted = s->route->alternate_group.len > 0;
  bool https = t->e->alb->certificate_arn.len > 0;
  const char *ecs_moves = "the service's listener rule; ECS moves its weights";
  if (https)
    resource(t, "aws_lb_listener_rule", "https", at,
             shifted ? ecs_moves : "the service's listener rule",
             "listener_arn", remote(t, VPC_OUT_ALB_HTTPS_LISTENER, NULL),
             "priority", jsonout_int(s->route->priority),
             "action", rule_action(s),
             "condition", conditions_of(t, s->route),
             "tags", tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
             "lifecycle", jsonout_obj(
                 "create_before_destroy", jsonout_bool(true),
                 "ignore_changes", ecs_moves_action(shifted)));
  resource(t, "aws_lb_listener_rule", "http", at,
           https ? "the service's rule on HTTP: its requests redirected to HTTPS"
                 : shifted ? ecs_moves : "the service's listener rule",
           "listener_arn", remote(t, VPC_OUT_ALB_HTTP_LISTENER, NULL),
           "priority", jsonout_int(s->route->priority),
           "action", https ? redirect_to_https() : rule_action(s),
           "condition", conditions_of(t, s->route),
           "tags", tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
           "lifecycle", https || !shifted ? NULL : jsonout_obj(
               "ignore_changes", ecs_moves_action(shifted)),
           "depends_on", https ? jsonout_arr(jsonout_cstr("aws_lb_listener_rule.https")) : NULL);
  moved(t, "aws_lb_listener_rule", "main", strchr(forwarding_rule(s), '.') + 1, s->route->at.block,
        "the forwarding rule, named main before each listener had a rule of its own");
}

static void tf_route(Tf *t, const Service *s) {
  Span at = span_or(s->route->at.block, s->span);
  target_group(t, s, at, "main", s->route->target_group,
               "the service's targets; its name changes with its port, protocol, "
               "target type or VPC, so that a replacement is made before the old one goes");
  if (s->route->alternate_group.len)
    target_group(t, s, span_or(s->strategy_at, at), "alternate", s->route->alternate_group,
                 "the deployment's second group: ECS starts the new tasks in whichever of the "
                 "two has no production traffic");
  listener_rules(t, s, span_or(s->route->at.paths, at));
}

// A role ECS itself assumes (ecs.amazonaws.com, no condition: see
// deploy_role and infrastructure_role), named name, with the policy p as
// the inline policy policy_name; tf names its Terraform blocks.
static void ecs_role(Tf *t, const char *tf, const char *policy_name, Str name, const Policy *p,
                     Span at, const char *does, const char *what) {
  assume_role(t, "ecs_assume", "ecs.amazonaws.com");
  policy_document(t, tf, p, at, does);
  resource(t, "aws_iam_role", tf, at, what,
           "name", jsonout_str(name),
           "assume_role_policy", jsonout_cstr("${data.aws_iam_policy_document.ecs_assume.json}"));
  resource(t, "aws_iam_role_policy", tf, at, "",
           "name", jsonout_cstr(policy_name),
           "role", strf(t, "${aws_iam_role.%s.id}", tf),
           "policy", strf(t, "${data.aws_iam_policy_document.%s.json}", tf));
}

// The role ECS moves a routed service's traffic with in a blue/green,
// canary or linear deployment (ECS Developer Guide, "Amazon ECS
// infrastructure IAM role for load balancers"), with derive_iam.c's
// policy and the trust policy the guide gives ("Creating the Amazon ECS
// infrastructure role for load balancers": ecs.amazonaws.com, no
// condition; as for the EBS role below, a condition ECS does not meet
// would fail every deployment). tests/deploy-oracle.js checks its requests.
static void deploy_role(Tf *t, const Service *s) {
  if (s->lb_role.len)
    ecs_role(t, "deploy", "deploy", s->lb_role, &s->lb_policy, span_or(s->strategy_at, s->span),
             "move the listener rule's traffic between the two target groups",
             "the load balancer role (ECS's traffic shift)");
}

// The key that encrypts a volume without kms_key (ECS Developer Guide,
// "Encrypt data stored in Amazon EBS volumes attached to Amazon ECS tasks":
// the volume's key first, then the cluster's, which ecsc never sets, then
// "Amazon EBS default encryption ... If you enable Amazon EBS encryption by
// default, the default is the KMS key you specify for encryption by
// default"; with encryption by default on, "encrypted" = false still
// encrypts with it). From a snapshot it is not always that key: "If you do
// not specify a KMS key, the KMS key that is used for encryption depends on
// the encryption state of the source snapshot and its ownership", and "the
// KMS key that you selected when creating a volume encrypts the snapshots
// that you make from the volume and the volumes that you restore from those
// encrypted snapshots. ... a volume restored from an encrypted snapshot ...
// is always encrypted" (Amazon EC2 User Guide, "Amazon EBS encryption",
// "Encrypt EBS resources"). So a volume from an encrypted snapshot is
// encrypted with the snapshot's key, whatever "encrypted" says, and the
// default key decides nothing for it (the check of that key alone refused
// a snapshot under aws/ebs when the default key was customer managed, and
// let through a snapshot under a customer managed key). A snapshot shared
// by another account cannot be under its aws/ebs (EBS User Guide, "Share
// an Amazon EBS snapshot"), and its customer managed key must be shared
// with the role ("Share the KMS key used to encrypt a shared Amazon EBS
// snapshot"), which ecsc does not grant: that key is read and refused too.
//
// When the key is customer managed, "the IAM role that you use for volume
// configuration" needs kms:CreateGrant and kms:GenerateDataKey* on it (the
// ECS guide, "Customer managed KMS key policy"), which derive_iam.c grants
// only on a kms_key it can name: a key read at plan time would leave the
// role's policy unresolvable offline (iam-check judges every statement),
// and a grant on every key of the account would be wider than the one key
// EC2 uses. So the plan reads the key (AWS provider: data
// aws_ebs_default_kms_key, key_arn, from GetEbsDefaultKmsKeyId; data
// aws_ebs_snapshot, encrypted and kms_key_id, from DescribeSnapshots; then
// data aws_kms_key, whose key_id takes a key ARN or an alias name, and
// whose key_manager is KMS DescribeKey's KeyManager, AWS or CUSTOMER) and
// stops, naming the fix, unless the key is AWS managed: aws/ebs, whose key
// policy already lets the account's principals use it through EC2. The
// fix, kms_key set to that key's ARN, is the case derive_iam.c grants
// exactly. The person who plans needs ec2:GetEbsDefaultKmsKeyId,
// ec2:DescribeSnapshots with a snapshot, and kms:DescribeKey on that key.
// With encrypted = false the key matters only when encryption by default
// is on (data aws_ebs_encryption_by_default, enabled) or the snapshot is
// encrypted. With encrypted = true and encryption by default off the ECS
// guide names aws/ebs ("Otherwise, the default is the AWS managed key with
// the alias alias/aws/ebs"), but EC2, which makes the volume, uses the
// default key then too ("Without encryption by default enabled ... If you
// leave out the KmsKeyId parameter, the resulting volume is encrypted using
// your default KMS key for EBS encryption", EC2 User Guide, "Encryption
// scenarios"; CreateVolume, KmsKeyId: "your KMS key for Amazon EBS"), which
// a customer may have made customer managed (ModifyEbsDefaultKmsKeyId): the
// check stands there too.
static void ebs_default_key(Tf *t, const Service *s) {
  const EbsVolume *v = &s->ebs->ebs;
  if (v->kms_key.len)
    return;
  Span at = span_or(v->at.encrypted, v->span);
  bool snap = v->snapshot_id.len > 0;
  data(t, "aws_ebs_default_kms_key", "current", at,
       "the account's EBS default key in the region, which encrypts the volume");
  const char *key = "${data.aws_ebs_default_kms_key.current.key_arn}";
  if (snap) {
    data(t, "aws_ebs_snapshot", "volume", span_or(v->at.snapshot_id, v->span),
         "the volume's snapshot: its key, if it has one, encrypts the volume",
         "snapshot_ids", jsonout_arr(lit(t, v->snapshot_id)));
    key = "${data.aws_ebs_snapshot.volume.encrypted ? data.aws_ebs_snapshot.volume.kms_key_id : "
          "data.aws_ebs_default_kms_key.current.key_arn}";
  }
  const char *holds = "${self.key_manager == \"AWS\"}";
  if (!v->encrypted) {
    data(t, "aws_ebs_encryption_by_default", "current", at,
         "whether EBS encrypts the unencrypted volume anyway");
    holds = snap ? "${!(data.aws_ebs_encryption_by_default.current.enabled || "
                   "data.aws_ebs_snapshot.volume.encrypted) || self.key_manager == \"AWS\"}"
                 : "${!data.aws_ebs_encryption_by_default.current.enabled || "
                   "self.key_manager == \"AWS\"}";
  }
  data(t, "aws_kms_key", "ebs_default", at,
       snap ? "the key of the volume: the snapshot's, or EBS's default key; AWS managed, or the "
              "infrastructure role cannot use it"
            : "the EBS default key: AWS managed, or the infrastructure role cannot use it",
       "key_id", jsonout_cstr(key),
       "lifecycle", jsonout_obj(
           "postcondition", jsonout_arr(jsonout_obj(
               "condition", jsonout_cstr(holds),
               "error_message",
               snap ? strf(t, "the key that would encrypt volume %.*s, snapshot %.*s's own if it "
                              "is encrypted (aws ec2 describe-snapshots), else the account's EBS "
                              "default key (aws ec2 get-ebs-default-kms-key-id), is customer "
                              "managed, and ECS would use it through the infrastructure role, "
                              "which ecsc grants no key it cannot name: set kms_key to that "
                              "key's ARN in the volume's ebs block%s",
                           S(s->ebs->name), S(v->snapshot_id),
                           v->encrypted ? "" : " and remove encrypted = false")
                    : strf(t, "the account's EBS default key (aws ec2 get-ebs-default-kms-key-id) "
                              "is customer managed, and ECS would encrypt volume %.*s with it "
                              "through the infrastructure role, which ecsc grants no key it "
                              "cannot name: set kms_key to that key's ARN in the volume's ebs "
                              "block%s",
                           S(s->ebs->name),
                           v->encrypted ? "" : " and remove encrypted = false")))));
}

// The ECS infrastructure role of a service's EBS volume (ECS Developer
// Guide, "Amazon ECS infrastructure IAM role"): assumed by ECS itself,
// ecs.amazonaws.com, with derive_iam.c's policy and the trust policy the
// guide gives ("Creating the Amazon ECS infrastructure role"), which has
// no condition. Unlike the tasks' roles' (assume_role), no aws:SourceAccount
// or aws:SourceArn condition: AWS documents neither key, nor which ARN
// (service, cluster or task), as set when ECS assumes this role, and a
// condition ECS does not meet fails every volume's attachment ("Status
// reasons for Amazon EBS volume attachment to Amazon ECS tasks": "ECS was
// unable to assume the configured ECS Infrastructure Role ... Please verify
// that the role being passed has the proper trust relationship"). Both are
// global condition keys: the Service Authorization Reference lists none
// for sts:AssumeRole itself, so it decides nothing here. tests/ebs-oracle.js
// checks that ECS, and ECS alone, may assume the role.
static void infrastructure_role(Tf *t, const Service *s) {
  if (!s->ebs)
    return;
  ecs_role(t, "infrastructure", "volumes", s->infra_role, &s->infra_policy, s->ebs->ebs.span,
           "create, attach and delete each task's EBS volume",
           "the infrastructure role (ECS's EBS volumes)");
  ebs_default_key(t, s);
}

static void roles(Tf *t, const Service *s) {
  assume_role(t, "ecs_tasks_assume", "ecs-tasks.amazonaws.com");
  policy_document(t, "execution", &s->exec_policy, s->span,
                  "pull the image, read the secrets, write the logs");
  resource(t, "aws_iam_role", "execution", s->span, "the task execution role (ECS itself)",
           "name", jsonout_str(s->exec_role),
           "assume_role_policy",
           jsonout_cstr("${data.aws_iam_policy_document.ecs_tasks_assume.json}"));
  resource(t, "aws_iam_role_policy", "execution", s->span, "",
           "name", jsonout_cstr("execution"),
           "role", jsonout_cstr("${aws_iam_role.execution.id}"),
           "policy", jsonout_cstr("${data.aws_iam_policy_document.execution.json}"));
  resource(t, "aws_iam_role", "task", s->span, "the task role (the application)",
           "name", jsonout_str(s->task_role),
           "assume_role_policy",
           jsonout_cstr("${data.aws_iam_policy_document.ecs_tasks_assume.json}"));
  if (s->task_policy.n) {
    policy_document(t, "task", &s->task_policy, s->span, "what the application may do");
    resource(t, "aws_iam_role_policy", "task", s->span, "",
             "name", jsonout_cstr("grants"),
             "role", jsonout_cstr("${aws_iam_role.task.id}"),
             "policy", jsonout_cstr("${data.aws_iam_policy_document.task.json}"));
  }
  infrastructure_role(t, s);
  deploy_role(t, s);
}

// The task definition reads its containers from task-definition.json: one
// source of truth, which `aws ecs register-task-definition` takes as well.
// Only the image is Terraform's: var.image_tag, so deploying a new image is
// `terraform apply -var image_tag=...`, never an edit.
static Str escaped(Tf *t, Str s) {
  json_t *j = lit(t, s);
  Str out = str_dup(t->arena, (Str){json_string_value(j), (ptrdiff_t)json_string_length(j)});
  json_decref(j);
  return out;
}

static json_t *string_variable(const char *description, json_t *default_value) {
  return jsonout_obj(
      "description", jsonout_cstr(description),
      "type", jsonout_cstr("string"),
      "default", default_value);
}

// The image's parts are image.c's, and its default is the reference as
// task-definition.json registers it, so that with the default the two
// register the same bytes: an image without a tag is Docker's "latest"
// in both.
static void image_variable(Tf *t, const Service *s) {
  const ImageRef *r = &s->containers[0]->ref;
  json_t *from_file =
      jsonout_cstr("${jsondecode(file(\"${path.module}/task-definition.json\"))}");
  if (r->digest.len) {
    // Pinned by digest: the variable is the whole reference, digest and all,
    // as written.
    jsonout_put(t->root,
        "locals", jsonout_obj(
            "task_definition", from_file,
            "image", jsonout_cstr("${var.image}")),
        "variable", jsonout_obj(
            "image", string_variable("the image to deploy, pinned by digest; the source's is "
                                     "the default", jsonout_str(r->registered))));
    return;
  }
  jsonout_put(t->root,
      "locals", jsonout_obj(
          "task_definition", from_file,
          "image", strf(t, "%.*s:${var.image_tag}", S(escaped(t, r->name)))),
      "variable", jsonout_obj(
          "image_tag", string_variable("the image tag to deploy; the source's is the default",
                                       jsonout_str(r->tag.len ? r->tag : STR("latest")))));
}

// The image variable is the service's own image's: every container that
// runs it (the service's own, and a sidecar such as a migration that runs
// the same image with another command) takes the tag deployed, or a
// migration would run the old release before the new one starts. Other
// images stay as task-definition.json names them.
static json_t *container_definitions(Tf *t, const Service *s) {
  Buf names = {.arena = t->arena};
  int same = 0;
  for (int i = 0; i < s->ncontainers; i++) {
    // The same image, as registered ("nginx" is "nginx:latest").
    if (!str_eq(s->containers[i]->ref.registered, s->containers[0]->ref.registered))
      continue;
    // Container names: no quote, no template (check_names.c).
    buf_printf(&names, "%s\"%.*s\"", same++ ? ", " : "", S(s->containers[i]->name));
  }
  if (same == s->ncontainers)
    return jsonout_cstr("${jsonencode([for c in local.task_definition.containerDefinitions : "
                        "merge(c, { image = local.image })])}");
  if (same == 1)
    return strf(t, "${jsonencode([for c in local.task_definition.containerDefinitions : "
                   "c.name == %.*s ? merge(c, { image = local.image }) : c])}", S(buf_str(&names)));
  return strf(t, "${jsonencode([for c in local.task_definition.containerDefinitions : "
                 "contains([%.*s], c.name) ? merge(c, { image = local.image }) : c])}",
              S(buf_str(&names)));
}

// The task's own size: numbers as the API's strings (ECS API Reference,
// RegisterTaskDefinition: cpu and memory are strings), in units and MiB.
static json_t *task_cpu_of(Tf *t, const Service *s) {
  return s->task_cpu ? strf(t, "%d", s->task_cpu) : NULL;
}

static json_t *task_memory_of(Tf *t, const Service *s) {
  return s->task_memory ? strf(t, "%lld", (long long)(s->task_memory >> 20)) : NULL;
}

// The task's volumes, as task-definition.json has them (emit_taskdef.c):
// AWS provider, aws_ecs_task_definition: volume { name, host_path,
// configure_at_launch,
// efs_volume_configuration { file_system_id, root_directory,
// transit_encryption, transit_encryption_port, authorization_config {
// access_point_id, iam } },
// docker_volume_configuration { scope, autoprovision, driver, driver_opts,
// labels } }, each block a list of one.
static json_t *tf_string_map(Tf *t, const KeyValue *kv, int n) {
  json_t *o = json_object();
  for (int i = 0; i < n; i++)
    jsonout_putn(o, kv[i].name, lit(t, kv[i].value));
  return o;
}

static json_t *tf_efs_block(Tf *t, const EfsVolume *f) {
  bool auth = f->access_point_id.len || f->iam;
  return jsonout_arr(jsonout_obj(
      "file_system_id", lit(t, f->file_system_id),
      "root_directory", f->root_directory.len ? lit(t, f->root_directory) : NULL,
      "transit_encryption", jsonout_cstr(f->transit_encryption ? "ENABLED" : "DISABLED"),
      "transit_encryption_port",
      f->transit_encryption_port ? jsonout_int(f->transit_encryption_port) : NULL,
      "authorization_config", auth ? jsonout_arr(jsonout_obj(
          "access_point_id", f->access_point_id.len ? lit(t, f->access_point_id) : NULL,
          "iam", jsonout_cstr(f->iam ? "ENABLED" : "DISABLED"))) : NULL));
}

static json_t *tf_docker_block(Tf *t, const DockerVolume *k) {
  return jsonout_arr(jsonout_obj(
      "scope", lit(t, k->scope),
      "autoprovision", k->autoprovision ? jsonout_bool(true) : NULL,
      "driver", k->driver.len ? lit(t, k->driver) : NULL,
      "driver_opts", k->ndriver_opts ? tf_string_map(t, k->driver_opts, k->ndriver_opts) : NULL,
      "labels", k->nlabels ? tf_string_map(t, k->labels, k->nlabels) : NULL));
}

static json_t *tf_volume_blocks(Tf *t, const Service *s) {
  if (!s->nvolumes)
    return NULL;
  json_t *a = json_array();
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    json_array_append_new(a, jsonout_obj(
        "name", lit(t, v->name),
        "host_path", v->kind == VOLUME_HOST ? lit(t, v->host_path) : NULL,
        "configure_at_launch", v->kind == VOLUME_EBS ? jsonout_bool(true) : NULL,
        "efs_volume_configuration", v->kind == VOLUME_EFS ? tf_efs_block(t, &v->efs) : NULL,
        "docker_volume_configuration",
        v->kind == VOLUME_DOCKER ? tf_docker_block(t, &v->docker) : NULL));
  }
  return a;
}

static void task_definition(Tf *t, const Service *s) {
  image_variable(t, s);
  bool fargate = s->runs_on != RUN_EC2;
  resource(t, "aws_ecs_task_definition", "main", s->span, "the task definition",
           "family", jsonout_str(s->family),
           "container_definitions", container_definitions(t, s),
           "task_role_arn", jsonout_cstr("${aws_iam_role.task.arn}"),
           "execution_role_arn", jsonout_cstr("${aws_iam_role.execution.arn}"),
           "network_mode", jsonout_cstr(s->network == NET_AWSVPC ? "awsvpc"
                                        : s->network == NET_HOST ? "host" : "bridge"),
           "requires_compatibilities", jsonout_arr(jsonout_cstr(fargate ? "FARGATE" : "EC2")),
           "cpu", task_cpu_of(t, s),
           "memory", task_memory_of(t, s),
           "ephemeral_storage", s->ephemeral_storage
               ? jsonout_obj("size_in_gib", jsonout_int(s->ephemeral_storage >> 30))
               : NULL,
           "volume", tf_volume_blocks(t, s),
           // The image's architecture, as task-definition.json says it
           // (emit_taskdef.c), on the instances and on Fargate alike.
           "runtime_platform",
           s->arm64 ? jsonout_obj("cpu_architecture", jsonout_cstr("ARM64"),
                                  "operating_system_family", jsonout_cstr("LINUX"))
                    : NULL,
           // A new revision leaves the old one registered: a rollback (the
           // deployment circuit breaker's, or a human's) needs it, and Terraform
           // would otherwise deregister it on every change (AWS provider
           // documentation, "Resource: aws_ecs_task_definition": skip_destroy).
           "skip_destroy", jsonout_bool(true));
}

static void port_rule(Tf *t, const Service *s, int port, const char *kind, const char *name,
                      json_t *group, json_t *peer, const char *why) {
  resource(t, kind, name, s->span, why,
           "security_group_id", group,
           "description", ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(port),
           "to_port", jsonout_int(port),
           "referenced_security_group_id", peer);
}

// A new port served with Service Connect keeps the old one open until the
// service has moved. Service Connect's proxy listens on the container's
// port unless told otherwise (ECS API Reference, ServiceConnectService:
// ingressPortOverride, "In awsvpc mode, the default value is the container
// port number"; ecsc does not set it), so the running tasks serve the old
// port until the deployment has replaced them, and a rollback of it (the
// circuit breaker's) brings tasks on the old port back. A rule updated in
// place (the provider's aws_vpc_security_group_ingress_rule Update calls
// ModifySecurityGroupRules when from_port or to_port changes) would close
// it at once, before ECS starts a task on the new one. So each rule is named
// by its port, a new port is a new rule and the old one an object the
// configuration no longer has, and:
//  - create_before_destroy: Terraform records it in the state, and the
//    destroy of such an object waits for the updates of what depended on it
//    (internal/terraform, CBDEdgeTransformer reverses the edges from the
//    dependents' updates; NodeDestroyResourceInstance.CreateBeforeDestroy
//    reads the state's flag "If the resource was removed"; docs/destroying.md,
//    "Update a destroyed create_before_destroy dependency": "B is updated,
//    A is destroyed");
//  - aws_ecs_service.main depends_on the rule (service_depends_on), so the
//    new rule is made before the service is updated, and the old rule is
//    deleted after the update, which waits for the deployment to be steady
//    (wait_for_steady_state). A failed deployment fails the apply there,
//    and the old rule stays for the rolled-back tasks until an apply passes.
// Terraform makes what such a rule depends on create_before_destroy too
// (ForcedCBDTransformer): the task's group, replaced only with a new VPC
// (its name and description do not change), is then made in the new VPC
// before the old one goes, under the same name, which a group takes once
// per VPC (EC2 API Reference, CreateSecurityGroup, GroupName).
// The name without a port, which builds before this one wrote, moves to
// the current port's (moved), so the first build with it changes nothing.
static const char *connect_rule(Tf *t, const Service *s, const char *name) {
  return id(t, "%s_%d", name, s->connect->port);
}

static bool connect_rules(const Service *s) {
  return s->network == NET_AWSVPC && s->connect && s->connect->container && s->connect->port;
}

// On an existing VPC, the same port to each of its other IPv4 blocks
// (secondary_cidr_blocks in the VPC state), one rule per block: a rule takes
// one cidr_ipv4 (AWS provider, aws_vpc_security_group_ingress_rule). The
// keys are the blocks themselves, known when the service state is planned:
// terraform_remote_state, whose configuration is all literal, is read at
// plan time, and the VPC state is applied first (emit_changes.c's order).
// A block added or removed adds or removes its rule alone.
static void connect_ingress_secondary(Tf *t, const Service *s, const char *why) {
  const Connect *cn = s->connect;
  const char *name = connect_rule(t, s, "task_from_connect_secondary");
  resource(t, "aws_vpc_security_group_ingress_rule", name, cn->span,
           "the port served with Service Connect, from each other IPv4 block of the VPC",
           "for_each", strf(t, "${toset(data.terraform_remote_state.vpc.outputs.%s)}",
                            output_name(t, VPC_OUT_VPC_SECONDARY_CIDRS, NULL)),
           "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
           "description", ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(cn->port),
           "to_port", jsonout_int(cn->port),
           "cidr_ipv4", jsonout_cstr("${each.value}"),
           "lifecycle", before_destroy());
  moved(t, "aws_vpc_security_group_ingress_rule", "task_from_connect_secondary", name, cn->span,
        "the rule of the same port, named before its port named it");
}

// The port a service serves with Service Connect, open to the VPC's
// addresses: its clients are the namespace's tasks, on instances or on
// their own interfaces, whose groups this state cannot name.
static void connect_ingress(Tf *t, const Service *s) {
  if (!connect_rules(s))
    return;
  const Connect *cn = s->connect;
  const char *why = "the port served with Service Connect, from the VPC";
  const char *name = connect_rule(t, s, "task_from_connect");
  resource(t, "aws_vpc_security_group_ingress_rule", name, cn->span, why,
           "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
           "description", ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(cn->port),
           "to_port", jsonout_int(cn->port),
           "cidr_ipv4", remote(t, VPC_OUT_VPC_CIDR, NULL),
           "lifecycle", before_destroy());
  moved(t, "aws_vpc_security_group_ingress_rule", "task_from_connect", name, cn->span,
        "the rule of the same port, named before its port named it");
  if (t->e->vpc.id.len)
    connect_ingress_secondary(t, s, why);
}

// A task on awsvpc has its own network interface: it gets a group of its
// own, open on its port to the load balancer only. (Fixed host ports are
// the VPC state's: see fixed_ports.)
static void task_network(Tf *t, const Service *s) {
  if (s->network != NET_AWSVPC)
    return;
  resource(t, "aws_security_group", "task", s->span, "the tasks' own interfaces",
           "name", jsonout_str(s->security_group),
           "description", ec2_description("the tasks of one service, on awsvpc"),
           "vpc_id", remote(t, VPC_OUT_VPC_ID, NULL),
           "tags", tags(t, "%.*s", S(s->security_group)));
  // A task with a public address is in the public subnets, whatever the
  // NAT: it reaches AWS (ECR, CloudWatch Logs, its secrets) and the
  // internet through the internet gateway, and no VPC endpoint is made for
  // it (the VPC state's endpoints).
  NatMode nat = t->e->vpc.nat;
  const char *out_why = s->public_ip     ? "the tasks reach AWS and the internet with their public addresses"
                        : nat == NAT_NONE ? "the tasks reach the AWS endpoints in the VPC"
                        : nat == NAT_EXISTING ? "the tasks reach the AWS endpoints by the routes of the VPC"
                                              : "the tasks reach the AWS endpoints through NAT";
  resource(t, "aws_vpc_security_group_egress_rule", "task_out", s->span, out_why,
           "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
           "description", ec2_description(out_why),
           "ip_protocol", jsonout_cstr("-1"),
           "cidr_ipv4", jsonout_cstr("0.0.0.0/0"));
  connect_ingress(t, s);
  if (!s->route)
    return;
  port_rule(t, s, s->route->port, "aws_vpc_security_group_ingress_rule", "task_from_alb",
            jsonout_cstr("${aws_security_group.task.id}"), remote(t, VPC_OUT_ALB_SG, NULL),
            "the port of the service, from the load balancer only");
  port_rule(t, s, s->route->port, "aws_vpc_security_group_egress_rule", "alb_to_task",
            remote(t, VPC_OUT_ALB_SG, NULL), jsonout_cstr("${aws_security_group.task.id}"),
            "the load balancer reaches the port of the service");
}

// How long one deployment may take: rounds of replacement (ECS starts up
// to count * max_percent, rounded down, at most twice the count, or the
// whole count where traffic shifts (model_surge_percent: one round), and
// keeps count * min_healthy, rounded up: E0531), each a task started,
// healthy to its own check and
// the load balancer's, and an old one drained and stopped, plus ten
// minutes a round for what ecsc cannot know (an instance the capacity
// provider launches, the image pull). Never below the provider's default
// of 20 minutes (AWS provider documentation, "Resource: aws_ecs_service",
// Timeouts).
static int deployment_minutes(const Service *s) {
  int keep = (s->count * s->min_healthy + 99) / 100;
  int step = s->count * model_surge_percent(s) / 100 - keep;
  int rounds = step > 0 ? (s->count + step - 1) / step : 1;
  int64_t healthy = 0, drain = s->stop_timeout_ms / 1000;
  if (s->health)
    healthy = (s->health->start_period_ms + s->health->retries * s->health->interval_ms) / 1000;
  if (s->route) {
    int64_t seen = s->route->health.healthy * s->route->health.interval_ms / 1000;
    healthy = seen > healthy ? seen : healthy;
    drain += s->route->deregistration_ms / 1000;
  }
  int64_t seconds = (rounds > 1 ? rounds : 1) * (600 + healthy + drain);
  // With deployment alarms, ECS keeps watching them for a bake time once
  // the tasks are replaced, and the deployment stays IN_PROGRESS until it
  // ends: "The default bake time is less than 5 minutes"; "If you use
  // CloudFormation timeouts, consider increasing the timeouts" (ECS
  // Developer Guide, "How CloudWatch alarms detect Amazon ECS deployment
  // failures").
  if (s->nalarms)
    seconds += 300;
  // A blue/green deployment (a canary or linear one too, once all the
  // traffic has moved) keeps the old tasks for its bake time once the
  // new ones are running, and completes only after (ECS Developer Guide,
  // "Amazon ECS blue/green deployments": bake time, "the duration when both
  // blue and green service revisions are running simultaneously").
  if (model_shifts_traffic(s) && s->bake_ms > 0)
    seconds += s->bake_ms / 1000;
  // Before it, a canary waits its canary bake time, and a linear
  // deployment its step bake time after each step but the last: 100 /
  // step - 1 steps when the step divides 100, else 100 / step rounded down
  // (AWS CloudFormation Template Reference, "AWS::ECS::Service
  // LinearConfiguration", on the deployment's duration), in tenths.
  if (s->deploy_strategy == DEPLOY_CANARY)
    seconds += s->canary_bake_ms / 1000;
  int tenths = s->linear_tenths;
  if (s->deploy_strategy == DEPLOY_LINEAR && tenths > 0)
    seconds += (1000 % tenths ? 1000 / tenths : 1000 / tenths - 1) * (s->linear_bake_ms / 1000);
  // A stop timeout on EC2 may be as long as the Integer ECS takes (schema.c):
  // kept within an int, days beyond any apply that matters.
  int64_t minutes = (seconds + 59) / 60;
  return minutes > 20 ? (int)(minutes < INT_MAX ? minutes : INT_MAX) : 20;
}

static json_t *timeouts(Tf *t, const Service *s) {
  Str limit = str_fmt(t->arena, "%dm", deployment_minutes(s));
  return jsonout_obj(
      "create", jsonout_str(limit),
      "update", jsonout_str(limit));
}

// Spread over zones first, then instances: a zone's loss takes a share.
static json_t *placement(void) {
  return jsonout_arr(
      jsonout_obj("type", jsonout_cstr("spread"),
                  "field", jsonout_cstr("attribute:ecs.availability-zone")),
      jsonout_obj("type", jsonout_cstr("spread"),
                  "field", jsonout_cstr("instanceId")));
}

// The tasks' groups: their own, then the existing ones security_groups
// names, in the order written (ECS API Reference, AwsVpcConfiguration:
// securityGroups, at most 5 in all: check_groups.c, E1091).
static json_t *task_groups(const Service *s) {
  json_t *groups = jsonout_arr(jsonout_cstr("${aws_security_group.task.id}"));
  for (int i = 0; i < s->nsecurity_groups; i++)
    json_array_append_new(groups, jsonout_str(s->security_groups[i]));
  return groups;
}

// availability_zone_rebalancing as written. Unwritten, ECS enables it on a
// new service that allows it and keeps an existing service's value on an
// update (ECS API Reference, CreateService and UpdateService:
// availabilityZoneRebalancing; the provider leaves it to ECS: "Optional"
// and "Computed", hashicorp/terraform-provider-aws#44117). A service with
// max_percent 100% cannot have it (ECS Developer Guide, "Balancing an
// Amazon ECS service across Availability Zones": "You can't use
// Availability Zone rebalancing with services that ... Uses 100% for the
// maximumPercent value"), and one created with more and then changed to
// 100% would keep the value ECS gave it: DISABLED is written for it.
static json_t *tf_az_rebalancing(const Service *s) {
  if (s->az_rebalancing)
    return jsonout_cstr(s->az_rebalancing > 0 ? "ENABLED" : "DISABLED");
  return s->max_percent <= 100 ? jsonout_cstr("DISABLED") : NULL;
}

// deployment { alarms }: the deployment fails when one of the alarms goes
// into ALARM, and is rolled back with alarm_rollback (ECS API Reference,
// DeploymentAlarms; AWS provider documentation, "Resource:
// aws_ecs_service": alarms { alarm_names, enable, rollback }). "The
// Amazon CloudWatch alarms is only supported for Amazon ECS services that
// use the rolling update (ECS) deployment controller" (ECS Developer
// Guide, "How CloudWatch alarms detect Amazon ECS deployment failures"):
// ecsc's services have no other (CreateService: deploymentController, ECS
// unless given).
static json_t *tf_alarms(Tf *t, const Service *s) {
  if (!s->nalarms)
    return NULL;
  return jsonout_obj(
      "alarm_names", lits(t, s->alarms, s->nalarms),
      "enable", jsonout_bool(true),
      "rollback", jsonout_bool(s->alarm_rollback));
}

// deployment { strategy, bake } (ECS API Reference, DeploymentConfiguration:
// strategy, bakeTimeInMinutes; AWS provider documentation, "Resource:
// aws_ecs_service": deployment_configuration { strategy, bake_time_in_minutes }).
// ROLLING is written too, never left out: the provider keeps the block
// Optional and Computed (terraform-provider-aws internal/service/ecs/
// service.go), so a service that was blue-green and is rolling again would
// keep BLUE_GREEN, without a diff, were the block dropped. A rolling
// update has no bake time; blue-green always has one (check_deployment.c,
// E1173). The provider takes the minutes as a string (a nullable integer).
//
// From blue-green (canary, linear) back to rolling, bake_time_in_minutes is
// left out, not written "0". It is Optional and Computed too, so the plan
// keeps the state's value, shows no diff for it, and resourceServiceUpdate
// sends it beside ROLLING (it reads config["bake_time_in_minutes"], the
// planned value; canary_configuration and linear_configuration go only with
// their own strategy, expandCanaryConfiguration and
// expandLinearConfiguration behind a strategy test; same file). ECS's API
// Reference requires bakeTimeInMinutes with BLUE_GREEN and documents no
// refusal of it with another strategy (DeploymentConfiguration), so the
// request is not known to fail; what ECS answers for a rolling service is not documented (AWS
// CloudFormation Template Reference, "AWS::ECS::Service
// DeploymentConfiguration": unset, "For rolling deployments, the value is
// set to 3 hours (180 minutes)"), and a "0" ECS did not give back would be
// a diff in every plan, where a value left out never is one.
//
// Canary and linear (ECS API Reference, CanaryConfiguration,
// LinearConfiguration; the provider's canary_configuration {
// canary_percent, canary_bake_time_in_minutes } and linear_configuration {
// step_percent, step_bake_time_in_minutes }, the minutes as strings as
// bake_time_in_minutes): written with their values, the defaults AWS's
// (schema.c), so that a later change of AWS's defaults moves nothing. The
// shares are numbers (the provider's TypeFloat), whole where they are
// (5, not 5.0, as before tenths) and otherwise to the tenth (2.5):
// jsonout_tenths.
static const char *const deployment_strategy_api[] = {
    [DEPLOY_ROLLING] = "ROLLING", [DEPLOY_BLUE_GREEN] = "BLUE_GREEN",
    [DEPLOY_CANARY] = "CANARY",   [DEPLOY_LINEAR] = "LINEAR"};

static json_t *tf_deployment_configuration(Tf *t, const Service *s) {
  return jsonout_obj(
      "strategy", jsonout_cstr(deployment_strategy_api[s->deploy_strategy]),
      "bake_time_in_minutes",
      model_shifts_traffic(s) ? strf(t, "%lld", (long long)(s->bake_ms / 60000)) : NULL,
      "canary_configuration", s->deploy_strategy != DEPLOY_CANARY ? NULL : jsonout_obj(
          "canary_percent", jsonout_tenths(s->canary_tenths),
          "canary_bake_time_in_minutes",
          strf(t, "%lld", (long long)(s->canary_bake_ms / 60000))),
      "linear_configuration", s->deploy_strategy != DEPLOY_LINEAR ? NULL : jsonout_obj(
          "step_percent", jsonout_tenths(s->linear_tenths),
          "step_bake_time_in_minutes",
          strf(t, "%lld", (long long)(s->linear_bake_ms / 60000))));
}

// The task's own interface, on awsvpc: in the private subnets, in its group;
// with a public address, in the public subnets, the only ones where one
// is of use (check_connect.c, E1030-E1032).
// The subnets the tasks run in, named in the service's own text. The VPC
// state exports them, and a zone added or a subnet replaced changes that
// output's value but no line of this state, which build --changed would
// then not list: the tasks would stay in the old subnets until the state was
// applied for another reason (review6 A9). Named here, by zone and block
// (or, on an existing VPC, by id), such a change lists the service after
// its VPC state.
static json_t *subnets_note(Tf *t, const Service *s) {
  const Vpc *v = &t->e->vpc;
  Buf b = {.arena = t->arena};
  buf_printf(&b, "the environment's %s subnets: ", s->public_ip ? "public" : "private");
  if (v->id.len) {
    const SubnetId *ids = s->public_ip ? v->public_ids : v->private_ids;
    int n = s->public_ip ? v->npublic_ids : v->nprivate_ids;
    for (int i = 0; i < n; i++)
      buf_printf(&b, "%s%.*s", i ? ", " : "", S(ids[i].id));
    return jsonout_str(buf_str(&b));
  }
  const CidrAt *blocks = s->public_ip ? v->public_subnets : v->private_subnets;
  int n = s->public_ip ? v->npublic : v->nprivate;
  for (int i = 0; i < n && i < v->nazs; i++)
    buf_printf(&b, "%s%.*s %.*s", i ? ", " : "", S(v->azs[i]),
               S(literal_cidr_text(t->arena, blocks[i].cidr)));
  return jsonout_str(buf_str(&b));
}

static json_t *network_configuration(Tf *t, const Service *s) {
  if (s->network != NET_AWSVPC)
    return NULL;
  return jsonout_obj(
      "//", subnets_note(t, s),
      "subnets", remote(t, s->public_ip ? VPC_OUT_PUBLIC_SUBNETS : VPC_OUT_PRIVATE_SUBNETS, NULL),
      "security_groups", task_groups(s),
      "assign_public_ip", s->public_ip ? jsonout_bool(true) : NULL);
}

// Service Connect (AWS provider documentation, "Resource: aws_ecs_service":
// service_connect_configuration): the environment's namespace, and the port
// the service serves with its one client alias (ECS API Reference,
// ServiceConnectService: clientAliases, "The maximum number ... is 1").
// The proxy ECS adds to each task logs where its logConfiguration says, and
// nowhere without one (ECS Developer Guide, "Configure Service Connect proxy
// container": "Service Connect delivers the proxy logs to the log group you
// set in the logConfiguration of serviceConnectConfiguration"): to the
// service's own group, under its stream prefix, which the execution role
// may write (derive_iam.c, write_logs: PREFIX/*, the proxy's stream being
// PREFIX/CONTAINER/TASK_ID).
static json_t *tf_service_connect(Tf *t, const Service *s) {
  const Connect *cn = s->connect;
  if (!cn)
    return NULL;
  return jsonout_obj(
      "enabled", jsonout_bool(true),
      "namespace", remote(t, VPC_OUT_CONNECT_NAMESPACE, NULL),
      "log_configuration", jsonout_obj(
          "log_driver", jsonout_cstr("awslogs"),
          "options", jsonout_obj(
              "awslogs-group", jsonout_str(s->log_group),
              "awslogs-region", jsonout_str(s->env->region),
              "awslogs-stream-prefix", jsonout_str(s->stream_prefix))),
      "service", cn->port_name.len
          ? jsonout_arr(jsonout_obj(
                "port_name", jsonout_str(cn->port_name),
                "discovery_name", jsonout_str(cn->discovery_name),
                "client_alias", jsonout_obj(
                    "port", jsonout_int(cn->alias_port),
                    "dns_name", jsonout_str(cn->dns_name))))
          : NULL);
}

// Whether an apply replaces every task. ECS refuses a change of capacity
// provider strategy without a new deployment (UpdateService: "When
// switching from launch type to capacity provider strategy on an existing
// service, or making a change to a capacity provider strategy on a service
// that is already using one, you must force a new deployment"), and the
// provider's plan stops on it ("force_new_deployment should be true when
// capacity_provider_strategy is being updated"). But the provider sends the
// flag with every update it makes (terraform-provider-aws 6.x,
// internal/service/ecs/service.go, resourceServiceUpdate: whenever anything
// but force_delete and the tags changed, UpdateServiceInput.ForceNewDeployment
// is d.Get("force_new_deployment")), so always on it would roll every task
// for a count change. A variable, then, false by default: the apply that
// changes a strategy passes -var force_new_deployment=true (README,
// "Deploying a new image").
//
// False for a service of Service Connect too. Its tasks must be replaced
// when the namespace's endpoints change (derive.c, connect_endpoints), but
// not through the provider's triggers: triggersCustomizeDiff (same file)
// drops a change of triggers from the plan unless force_new_deployment is
// true, and with it true every later update, a count change included,
// would deploy again. The endpoints' digest is a Docker label of its task
// definition instead (emit_taskdef.c, connect_label): a new endpoint makes a
// new revision, and the provider sends a changed task_definition to ECS,
// which deploys it (ECS API Reference, UpdateService, taskDefinition: "This
// parameter triggers a new service deployment"), while a count change sends
// DesiredCount alone.
static void deployment_variable(Tf *t) {
  jsonout_put(json_object_get(t->root, "variable"),
      "force_new_deployment", jsonout_obj(
          "description", jsonout_cstr("true: this apply replaces every task, as a change of "
                                      "the capacity provider strategy requires"),
          "type", jsonout_cstr("bool"),
          "default", jsonout_bool(false)));
}

// A traffic-shifting deployment's resources (ECS API Reference,
// AdvancedConfiguration; AWS provider documentation, "Resource:
// aws_ecs_service": load_balancer { advanced_configuration {
// alternate_target_group_arn, production_listener_rule, role_arn,
// test_listener_rule } }). No test listener rule: ecsc's listener has no
// test port, and the rule is optional.
static json_t *advanced_configuration(const Service *s) {
  if (!s->route->alternate_group.len)
    return NULL;
  return jsonout_obj(
      "alternate_target_group_arn", jsonout_cstr("${aws_lb_target_group.alternate.arn}"),
      "production_listener_rule", jsonout_cstr(s->env->alb->certificate_arn.len
                                                   ? "${aws_lb_listener_rule.https.arn}"
                                                   : "${aws_lb_listener_rule.http.arn}"),
      "role_arn", jsonout_cstr("${aws_iam_role.deploy.arn}"));
}

static json_t *load_balancer_of(const Service *s) {
  if (!s->route)
    return NULL;
  return jsonout_arr(jsonout_obj(
      "target_group_arn", jsonout_cstr("${aws_lb_target_group.main.arn}"),
      "container_name", jsonout_str(s->route->container->main ? s->container
                                                              : s->route->container->name),
      "container_port", jsonout_int(s->route->port),
      "advanced_configuration", advanced_configuration(s)));
}

// Time for the load balancer to see a new task healthy (its thresholds
// times its interval), or the container's own start period if longer.
static json_t *grace_period(const Service *s) {
  if (!s->route)
    return NULL;
  int64_t seen = (int64_t)s->route->health.healthy * (s->route->health.interval_ms / 1000);
  int64_t start = s->health ? s->health->start_period_ms / 1000 : 0;
  return jsonout_int(seen > start ? seen : start);
}

// The task definition names the execution role, not its policy nor the
// log group: without these the first tasks could start before they may
// pull their image or write their log stream, and fail; and on destroy the
// policy would go before the service's tasks have stopped (AWS provider
// documentation, "Resource: aws_ecs_service": "set depends_on to the
// related aws_iam_role_policy; otherwise, the policy may be destroyed too
// soon and the ECS service will then get stuck in the DRAINING state").
// A target group joins the load balancer only through a listener rule,
// and ECS refuses a service whose target group has none.
static json_t *service_depends_on(Tf *t, const Service *s) {
  bool connect = connect_rules(s);
  return jsonout_arr(
      jsonout_cstr("aws_cloudwatch_log_group.main"),
      // The port served with Service Connect: open before the update, and
      // the old port's rule closed after it (connect_rule).
      connect ? strf(t, "aws_vpc_security_group_ingress_rule.%s",
                     connect_rule(t, s, "task_from_connect")) : NULL,
      connect && t->e->vpc.id.len
          ? strf(t, "aws_vpc_security_group_ingress_rule.%s",
                 connect_rule(t, s, "task_from_connect_secondary"))
          : NULL,
      jsonout_cstr("aws_iam_role_policy.execution"),
      // the application's grants, from its first request
      s->task_policy.n ? jsonout_cstr("aws_iam_role_policy.task") : NULL,
      s->route ? jsonout_cstr(forwarding_rule(s)) : NULL,
      // ECS Developer Guide, "Amazon ECS infrastructure IAM role": deleting
      // the role or its policy "before stopping tasks with attached Amazon
      // EBS volumes will result in the tasks getting stuck in
      // DEPROVISIONING": the service goes first on destroy.
      s->ebs ? jsonout_cstr("aws_iam_role_policy.infrastructure") : NULL,
      // The role's policy before ECS first moves traffic with it, and on
      // destroy after the service.
      s->lb_role.len ? jsonout_cstr("aws_iam_role_policy.deploy") : NULL);
}

// The task's EBS volume, configured at launch (AWS provider documentation,
// "Resource: aws_ecs_service": volume_configuration { name,
// managed_ebs_volume { role_arn, size_in_gb, volume_type, iops, throughput,
// file_system_type, encrypted, kms_key_id, snapshot_id, tag_specifications
// { resource_type, propagate_tags } } }; ECS API Reference,
// "ServiceManagedEBSVolumeConfiguration", "EBSTagSpecification":
// resourceType "volume", propagateTags TASK_DEFINITION or SERVICE).
static json_t *tf_volume_configuration(Tf *t, const Service *s) {
  if (!s->ebs)
    return NULL;
  const EbsVolume *v = &s->ebs->ebs;
  json_t *tags = v->npropagate_tags ? json_array() : NULL;  // propagate_tags = []: ECS's own
  for (int i = 0; i < v->npropagate_tags; i++)
    json_array_append_new(tags, jsonout_obj(
        "resource_type", jsonout_cstr("volume"),
        "propagate_tags", jsonout_cstr(str_eq_c(v->propagate_tags[i], "service") ? "SERVICE"
                                                                                 : "TASK_DEFINITION")));
  return jsonout_obj(
      "name", lit(t, s->ebs->name),
      "managed_ebs_volume", jsonout_obj(
          "role_arn", jsonout_cstr("${aws_iam_role.infrastructure.arn}"),
          "size_in_gb", v->size ? jsonout_int(v->size >> 30) : NULL,
          "volume_type", jsonout_str(v->type),
          "iops", v->iops ? jsonout_int(v->iops) : NULL,
          "throughput", v->throughput ? jsonout_int(v->throughput) : NULL,
          "file_system_type", jsonout_str(v->filesystem),
          "encrypted", jsonout_bool(v->encrypted),
          "kms_key_id", v->kms_key.len ? lit(t, v->kms_key) : NULL,
          "snapshot_id", v->snapshot_id.len ? lit(t, v->snapshot_id) : NULL,
          "tag_specifications", tags));
}

static void ecs_service(Tf *t, const Service *s) {
  deployment_variable(t);
  resource(t, "aws_ecs_service", "main", s->span, "the ECS service",
           "name", jsonout_str(s->family),
           "cluster", remote(t, VPC_OUT_CLUSTER_ARN, s->cluster),
           "task_definition", jsonout_cstr("${aws_ecs_task_definition.main.arn}"),
           "desired_count", jsonout_int(s->count),
           "deployment_minimum_healthy_percent", jsonout_int(s->min_healthy),
           "deployment_maximum_percent", jsonout_int(s->max_percent),
           "deployment_circuit_breaker", jsonout_obj(
               "enable", jsonout_bool(s->circuit_breaker),
               "rollback", jsonout_bool(s->circuit_breaker)),
           "alarms", tf_alarms(t, s),
           "deployment_configuration", tf_deployment_configuration(t, s),
           // Its own strategy, or one item of its capacity (a strategy
           // replaces the launch type: ECS API Reference, CreateService).
           "capacity_provider_strategy",
           s->strategy.n ? strategy_items(t, &s->strategy, s->cluster, true)
                         : jsonout_arr(jsonout_obj(
                               "capacity_provider",
                               s->runs_on == RUN_FARGATE ? jsonout_cstr("FARGATE")
                               : s->runs_on == RUN_FARGATE_SPOT
                                   ? jsonout_cstr("FARGATE_SPOT")
                                   : remote(t, VPC_OUT_CAPACITY_PROVIDER, s->cluster),
                               "weight", jsonout_int(1))),
           "force_new_deployment", jsonout_cstr("${var.force_new_deployment}"),
           // Placement strategies are the EC2 launch type's (ECS Developer
           // Guide, "Use strategies to define Amazon ECS task placement").
           "ordered_placement_strategy", s->runs_on == RUN_EC2 ? placement() : NULL,
           "availability_zone_rebalancing", tf_az_rebalancing(s),
           "platform_version", s->runs_on != RUN_EC2 ? jsonout_str(s->platform_version) : NULL,
           "network_configuration", network_configuration(t, s),
           "service_connect_configuration", tf_service_connect(t, s),
           "volume_configuration", tf_volume_configuration(t, s),
           "load_balancer", load_balancer_of(s),
           "health_check_grace_period_seconds", grace_period(s),
           "depends_on", service_depends_on(t, s),
           "propagate_tags", jsonout_cstr("SERVICE"),
           "enable_ecs_managed_tags", jsonout_bool(true),
           // ECS Exec (AWS provider documentation, "Resource: aws_ecs_service":
           // enable_execute_command); the task role may open its channels.
           "enable_execute_command", s->exec ? jsonout_bool(true) : NULL,
           "tags", tags(t, "%.*s", S(s->family)),
           // terraform apply waits for the deployment and fails unless it
           // completed: wait_for_steady_state waits for the service to be
           // stable, which a deployment the circuit breaker rolled back also
           // is, so a postcondition checks that the revision running is the
           // one applied (the workaround of terraform-provider-aws issue
           // 20858; AWS provider documentation, "Resource: aws_ecs_service":
           // wait_for_steady_state, sigint_rollback). An apply cancelled with
           // SIGINT (a CI job stopped) rolls the deployment back.
           "wait_for_steady_state", jsonout_bool(true),
           "sigint_rollback", jsonout_bool(true),
           "timeouts", timeouts(t, s),
           "lifecycle", jsonout_obj(
               // Application Auto Scaling moves the count (autoscaling()).
               "ignore_changes", s->scaling ? jsonout_arr(jsonout_cstr("desired_count")) : NULL,
               "postcondition", jsonout_arr(jsonout_obj(
                   "condition",
                   jsonout_cstr("${self.task_definition == aws_ecs_task_definition.main.arn}"),
                   "error_message",
                   jsonout_cstr("the deployment did not complete: ECS rolled the service back "
                                "to an earlier task definition (see the service's events)")))));
}

//
// Service auto scaling: a scalable target over the service's desired count,
// a target tracking policy per metric, a scheduled action per schedule
// (Application Auto Scaling API Reference: RegisterScalableTarget,
// PutScalingPolicy, PutScheduledAction; the service namespace "ecs", the
// resource service/CLUSTER/SERVICE and the dimension
// ecs:service:DesiredCount). Application Auto Scaling acts through its
// service-linked role, which it creates itself (Application Auto Scaling
// User Guide, "Service-linked roles"): no role here. The bounds a schedule
// sets are the schedules' (scheduled_bounds).
//
// One call at a time against the target: Application Auto Scaling refuses
// an update to a resource "that already has a pending update"
// (ConcurrentUpdateException, of PutScalingPolicy and PutScheduledAction
// alike), and the provider does not retry it
// (hashicorp/terraform-provider-aws#17915). Each policy and schedule
// therefore depends on the one written before it: `after`.
//

// depends_on the resource before (NULL: the first, after the target only).
static json_t *after(const char *prev) {
  return prev ? jsonout_arr(jsonout_cstr(prev)) : NULL;
}

// target: TargetValue, a Double (Application Auto Scaling API Reference,
// TargetTrackingScalingPolicyConfiguration): the utilisations in tenths of
// a percent, whole ones written as integers as before tenths
// (jsonout_tenths), the requests per target a whole number.
static const char *scaling_policy(Tf *t, const Service *s, const char *prev, const char *name,
                                  Str aws_name, const char *metric, json_t *target,
                                  json_t *label, const char *why) {
  const Scaling *sc = s->scaling;
  resource(t, "aws_appautoscaling_policy", name, sc->span, why,
           "name", jsonout_str(aws_name),
           "policy_type", jsonout_cstr("TargetTrackingScaling"),
           "service_namespace", jsonout_cstr("${aws_appautoscaling_target.main.service_namespace}"),
           "resource_id", jsonout_cstr("${aws_appautoscaling_target.main.resource_id}"),
           "scalable_dimension", jsonout_cstr("${aws_appautoscaling_target.main.scalable_dimension}"),
           "target_tracking_scaling_policy_configuration", jsonout_obj(
               "target_value", target,
               "scale_in_cooldown", jsonout_int(sc->scale_in_cooldown_ms / 1000),
               "scale_out_cooldown", jsonout_int(sc->scale_out_cooldown_ms / 1000),
               "predefined_metric_specification", jsonout_obj(
                   "predefined_metric_type", jsonout_cstr(metric),
                   "resource_label", label)),
           "depends_on", after(prev));
  return str_fmt(t->arena, "aws_appautoscaling_policy.%s", name).ptr;
}

// ALBRequestCountPerTarget names its target group by
// app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID (Application Auto Scaling API
// Reference, PredefinedMetricSpecification, ResourceLabel): the two ARN
// suffixes, joined.
static json_t *request_label(Tf *t) {
  return strf(t, "${data.terraform_remote_state.vpc.outputs.%s}/"
                 "${aws_lb_target_group.main.arn_suffix}",
              output_name(t, VPC_OUT_ALB_ARN_SUFFIX, NULL));
}

// ScalableTargetAction: either bound may be left as it is. The provider
// reads them as strings (its schema's scalable_target_action).
static json_t *bound(Tf *t, int n) {
  return n >= 0 ? strf(t, "%d", n) : NULL;
}

static const char *scheduled_action(Tf *t, const char *prev, const Schedule *h) {
  resource(t, "aws_appautoscaling_scheduled_action", str_cstr(t->arena, h->tf_name), h->span,
           "a scheduled change of the scaling's bounds",
           "name", jsonout_str(h->aws_name),
           "service_namespace", jsonout_cstr("${aws_appautoscaling_target.main.service_namespace}"),
           "resource_id", jsonout_cstr("${aws_appautoscaling_target.main.resource_id}"),
           "scalable_dimension", jsonout_cstr("${aws_appautoscaling_target.main.scalable_dimension}"),
           "schedule", strf(t, "cron(%.*s)", S(h->cron)),
           "timezone", h->timezone.len ? jsonout_str(h->timezone) : NULL,
           "scalable_target_action", jsonout_obj(
               "min_capacity", bound(t, h->min),
               "max_capacity", bound(t, h->max)),
           "depends_on", after(prev));
  return str_fmt(t->arena, "aws_appautoscaling_scheduled_action.%.*s", S(h->tf_name)).ptr;
}

// The bounds the schedules move, which Terraform leaves to them. A
// scheduled action sets the target's MinCapacity and MaxCapacity "to what is
// specified by the scheduled action" (Application Auto Scaling User Guide,
// "How scheduled scaling for Application Auto Scaling works"), and they stay
// so until another action or RegisterScalableTarget changes them. A plan
// made inside a schedule's window sees that as drift, and the apply would
// register the scaling's own min and max again (the AWS provider's
// aws_appautoscaling_target compares both to its configuration; the
// unsolved drift of terraform-aws-modules/terraform-aws-ecs issue 422):
// a nightly scale-down undone at the next apply, or a peak's raised
// minimum dropped in the middle of the peak.
//
// So ecsc chooses the schedules: a bound any schedule sets is under
// ignore_changes. The price: an edit of that bound in scaling { } reaches
// AWS when the target is created, not at the next apply; from then on the
// schedules set it, and a schedule's own min and max are updated by every
// apply (aws_appautoscaling_scheduled_action). A bound no schedule sets
// stays Terraform's. Hence the advice in the grammar reference: pair each
// schedule with one that restores the scaling's bounds ("nightly" and
// "morning"), which is where an edit of them then goes.
static json_t *scheduled_bounds(const Scaling *sc) {
  bool min = false, max = false;
  for (int i = 0; i < sc->nschedules; i++) {
    min |= sc->schedules[i].min >= 0;
    max |= sc->schedules[i].max >= 0;
  }
  if (!min && !max)
    return NULL;
  return jsonout_obj("ignore_changes", jsonout_arr(min ? jsonout_cstr("min_capacity") : NULL,
                                                   max ? jsonout_cstr("max_capacity") : NULL));
}

static void autoscaling(Tf *t, const Service *s) {
  const Scaling *sc = s->scaling;
  resource(t, "aws_appautoscaling_target", "main", sc->span,
           "the service's count, which Application Auto Scaling moves between min and max",
           "service_namespace", jsonout_cstr("ecs"),
           "resource_id", strf(t, "service/${data.terraform_remote_state.vpc.outputs.%s}/"
                                  "${aws_ecs_service.main.name}",
                               output_name(t, VPC_OUT_CLUSTER_NAME, s->cluster)),
           "scalable_dimension", jsonout_cstr("ecs:service:DesiredCount"),
           "min_capacity", jsonout_int(sc->min),
           "max_capacity", jsonout_int(sc->max),
           "lifecycle", scheduled_bounds(sc));
  const char *prev = NULL;
  if (sc->cpu)
    prev = scaling_policy(t, s, prev, "cpu", sc->cpu_policy, "ECSServiceAverageCPUUtilization",
                          jsonout_tenths(sc->cpu), NULL,
                          "keeps the tasks' average CPU use near its target");
  if (sc->memory)
    prev = scaling_policy(t, s, prev, "memory", sc->memory_policy,
                          "ECSServiceAverageMemoryUtilization", jsonout_tenths(sc->memory), NULL,
                          "keeps the tasks' average memory use near its target");
  if (sc->requests)
    prev = scaling_policy(t, s, prev, "requests", sc->requests_policy, "ALBRequestCountPerTarget",
                          jsonout_int(sc->requests), request_label(t),
                          "keeps the requests per task per minute near its target");
  for (int i = 0; i < sc->nschedules; i++)
    prev = scheduled_action(t, prev, &sc->schedules[i]);
}

// The VPC state's outputs, read through terraform_remote_state: never a
// hand-copied ARN.
static void vpc_state(Tf *t, const Service *s) {
  data(t, "terraform_remote_state", "vpc", s->env->span,
       "the environment's VPC state: its outputs, never hand-copied ARNs",
       "backend", jsonout_cstr("s3"),
       "config", state_location(t, "vpc"));
}

static void log_group(Tf *t, const Service *s) {
  resource(t, "aws_cloudwatch_log_group", "main", span_or(s->at.logs, s->span),
           "the service's logs",
           "name", jsonout_str(s->log_group),
           "retention_in_days", jsonout_int(s->log_retention_ms / 86400000));
}

Str emit_tf_service(const Emitter *em, const Service *s) {
  Tf t = {.arena = em->arena, .m = em->model, .e = s->env};
  preamble(&t, em->source, str_fmt(em->arena, "the state of service \"%.*s\"", S(s->name)).ptr,
           str_cstr(em->arena, s->name));
  vpc_state(&t, s);
  log_group(&t, s);
  roles(&t, s);
  if (s->route)
    tf_route(&t, s);
  task_network(&t, s);
  task_definition(&t, s);
  ecs_service(&t, s);
  if (s->scaling)
    autoscaling(&t, s);
  output(&t, "service_name", jsonout_cstr("${aws_ecs_service.main.name}"), "the ECS service");
  output(&t, "task_definition_arn", jsonout_cstr("${aws_ecs_task_definition.main.arn}"),
         "the task definition revision deployed");
  if (s->route)
    output(&t, "target_group_arn", jsonout_cstr("${aws_lb_target_group.main.arn}"),
           "the service's target group");
  // What a resource ecsc does not own lets the tasks in by: an EFS file
  // system's mount targets, NFS on TCP 2049 (grammar reference, "Volumes").
  if (s->network == NET_AWSVPC)
    output(&t, "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
           "the tasks' own security group (awsvpc)");
  finish(&t);
  return jsonout_dump(t.arena, t.root);
}
