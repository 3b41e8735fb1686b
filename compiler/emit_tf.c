// emit_tf.c: what the Terraform JSON of both kinds of state is made with
// (emit_tf.h): the JSON helpers, each resource's "//", the preamble and the
// end every state shares, the VPC state's outputs, IAM policy documents.
//
// The two kinds of state split as the seed's do: the VPC state
// (emit_tf_vpc.c, emit_tf_cluster.c) owns the network, the load balancer and
// its listeners, the clusters and their instances; each service state
// (emit_tf_service.c) owns its target group, listener rule, log group, roles,
// task definition and ECS service, and reads what it needs of the VPC state
// through terraform_remote_state: by the outputs' one table, which the VPC
// state writes from, so a service can read only an output that exists.
#include "emit_tf.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

//
// JSON helpers
//

// A string from the source, which Terraform must not read as a template:
// in Terraform's JSON every string is one, so "${" becomes "$${" and "%{"
// becomes "%%{" (an IAM variable such as ${aws:username} in a grant stays
// what IAM sees).
json_t *tf_lit(Tf *t, Str s) {
  Buf b = {.arena = t->arena};
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if ((s.ptr[i] == '$' || s.ptr[i] == '%') && i + 1 < s.len && s.ptr[i + 1] == '{')
      buf_putc(&b, s.ptr[i]);
    buf_putc(&b, s.ptr[i]);
  }
  return jsonout_str(buf_str(&b));
}

json_t *tf_lits(Tf *t, Str *items, int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, tf_lit(t, items[i]));
  return a;
}

json_t *tf_strf(Tf *t, const char *fmt, ...) {
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
json_t *tf_block(Tf *t, json_t *section, const char *type, const char *name, Span because,
                 const char *what, ...) {
  Str from = where(t, because);
  json_t *note = NULL;
  if (from.len && *what)
    note = tf_strf(t, "%s, from %.*s", what, S(from));
  else if (from.len)
    note = tf_strf(t, "from %.*s", S(from));
  json_t *b = jsonout_obj("//", note);
  va_list ap;
  va_start(ap, what);
  jsonout_vmembers(b, ap);
  va_end(ap);
  jsonout_put(child_object(section, type), name, b);
  return b;
}


json_t *tf_tags(Tf *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Str name = str_vfmt(t->arena, fmt, ap);
  va_end(ap);
  return jsonout_obj("Name", jsonout_str(name));
}

// A Terraform name, NUL-terminated for resource() and "%s".
const char *tf_ident(Tf *t, Str s) {
  return str_cstr(t->arena, derive_tf_ident(t->arena, s));
}

const char *tf_id(Tf *t, const char *fmt, ...) {
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
json_t *tf_state_location(Tf *t, const char *state) {
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
json_t *tf_environment_tags(Tf *t, Str name) {
  const Environment *e = t->e;
  json_t *o = jsonout_obj(
      "Name", name.len ? jsonout_str(name) : NULL,
      "project", jsonout_str(t->m->project->name),
      "environment", jsonout_str(e->name),
      "managed-by", jsonout_cstr("ecsc"));
  for (int i = 0; i < e->ntags; i++)
    jsonout_putn(o, e->tags[i].name, tf_lit(t, e->tags[i].value));
  if (name.len)  // in its place, first
    jsonout_put(o, "Name", jsonout_str(name));
  return o;
}

json_t *emit_tf_default_tags(Arena *a, const Model *m, const Environment *e) {
  Tf t = {.arena = a, .m = m, .e = e};
  return tf_environment_tags(&t, (Str){0});
}

// terraform { required_version, required_providers, backend "s3" } and the
// provider, its region and default tags: the same in every root.
void tf_preamble(Tf *t, Str source, const char *what, const char *state) {
  Project *p = t->m->project;
  const Environment *e = t->e;
  t->root_dir = dir_of(source);
  t->root = jsonout_obj(
      "//", tf_strf(t, "Generated by ecsc from %.*s: %s of environment \"%.*s\". Do not edit: "
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
              "s3", jsonout_put(tf_state_location(t, state),
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
              "default_tags", jsonout_obj("tags", tf_environment_tags(t, (Str){0})))));
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
void tf_finish(Tf *t) {
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
void tf_moved(Tf *t, const char *type, const char *from, const char *to, Span because,
              const char *why) {
  if (!t->moved)
    t->moved = json_array();
  Str origin = where(t, because);
  json_array_append_new(t->moved, jsonout_obj(
      "//", origin.len ? tf_strf(t, "%s, from %.*s", why, S(origin)) : jsonout_cstr(why),
      "from", tf_strf(t, "%s.%s", type, from),
      "to", tf_strf(t, "%s.%s", type, to)));
}


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

const char *tf_output_name(Tf *t, VpcOutput o, const Cluster *k) {
  const char *name = vpc_outputs[o].name, *hole = strstr(name, "%s");
  if (!k || !hole)
    return name;
  return str_fmt(t->arena, "%.*s%.*s%s", (int)(hole - name), name, S(k->tf_name), hole + 2).ptr;
}

void tf_output(Tf *t, const char *name, json_t *value, const char *doc) {
  if (!t->outputs)
    t->outputs = json_object();
  jsonout_put(t->outputs, name, jsonout_obj(
      "description", jsonout_cstr(doc),
      "value", value));
}

void tf_export(Tf *t, VpcOutput o, const Cluster *k, json_t *value) {
  tf_output(t, tf_output_name(t, o, k), value, vpc_outputs[o].doc);
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
      "actions", s->literal ? tf_lits(t, s->actions, s->nactions)
                            : jsonout_strs(s->actions, s->nactions),
      "resources", s->literal ? tf_lits(t, s->resources, s->nresources)
                              : jsonout_strs(s->resources, s->nresources),
      "condition", s->nconditions ? statement_conditions(s) : NULL);
}

// An IAM policy document as data.aws_iam_policy_document: statements as
// blocks a reviewer can read, not an escaped JSON string.
void tf_policy_document(Tf *t, const char *name, const Policy *p, Span because, const char *what) {
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
void tf_assume_role(Tf *t, const char *name, const char *service) {
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
                               tf_strf(t, "arn:%.*s:ecs:%.*s:%.*s:*", S(e->partition),
                                       S(e->region), S(account)))))));
}

// A read of one of the VPC state's outputs, through the table the VPC state
// writes them from: a service state reads nothing the VPC state does not
// export, and no ARN is ever copied by hand between states. (The load
// balancer's outputs exist where a service has a route: check_routes.c,
// E0543.)
json_t *tf_remote(Tf *t, VpcOutput o, const Cluster *k) {
  return tf_strf(t, "${data.terraform_remote_state.vpc.outputs.%s}", tf_output_name(t, o, k));
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
json_t *tf_before_destroy(void) {
  return jsonout_obj("create_before_destroy", jsonout_bool(true));
}

// A security group's or a rule's description, which EC2 takes as "Up to 255
// characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and
// ._-:/()#,@[]+=&;{}!$*" (Amazon EC2 API Reference, CreateSecurityGroup:
// GroupDescription; IpRange, UserIdGroupPair: Description) and refuses at
// apply otherwise: no apostrophe, no quote. The provider does not check it,
// so neither does terraform validate; ecsc's texts are its own constants,
// held to the rule here and, in every build test, by tests/api-strings.py.
json_t *tf_ec2_description(const char *text) {
  assert(strlen(text) <= 255 && strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789 ._-:/()#,@[]+=&;{}!$*") == strlen(text));
  return jsonout_cstr(text);
}

//
// The VPC state's subnets, which its load balancer, endpoints and clusters'
// groups take
//

// An existing VPC's subnets, by the data sources that read them.
static json_t *existing_ids(Tf *t, const SubnetId *ids, int n) {
  json_t *out = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(out, tf_strf(t, "${data.aws_subnet.%.*s.id}", S(ids[i].tf_name)));
  return out;
}

// A tier's subnets, in zone order (an existing VPC's in the order given).
json_t *tf_tier_subnet_ids(Tf *t, const char *tier) {
  const Vpc *v = &t->e->vpc;
  if (v->id.len)
    return strcmp(tier, "public") == 0 ? existing_ids(t, v->public_ids, v->npublic_ids)
                                       : existing_ids(t, v->private_ids, v->nprivate_ids);
  json_t *ids = json_array();
  for (int i = 0; i < v->nazs; i++)
    json_array_append_new(ids, tf_strf(t, "${aws_subnet.%s_%s.id}", tier, tf_ident(t, v->azs[i])));
  return ids;
}
