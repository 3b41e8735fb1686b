// emit_tf.h: what the Terraform emitters share, private to them. The VPC
// state is written by emit_tf_vpc.c (its clusters by emit_tf_cluster.c), a
// service's state by emit_tf_service.c, both through the helpers of
// emit_tf.c; the rest of ecsc calls emit_tf_vpc and emit_tf_service
// (emit.h).
//
// Each resource is one call that reads like the block it writes (jsonout's
// builders; Jansson keeps insertion order), its keys in the order a reviewer
// reads them: what a thing is, what it is attached to, how it behaves, tags.
// Each resource carries a "//" naming where in the DSL it came from.
#ifndef ECSC_EMIT_TF_H
#define ECSC_EMIT_TF_H

#include "emit.h"

// One state being written.
typedef struct {
  Arena *arena;    // the file's scratch (a maker's own)
  const Model *m;
  const Environment *e;
  Str root_dir;    // the root file's directory, as given: stripped from paths
  json_t *root;    // "//", terraform and provider; then locals and variable
  json_t *data, *resources, *outputs;  // the root's last three, added by tf_finish
  json_t *moved;   // moved blocks, when any: added by tf_finish after them
} Tf;

// The VPC state's outputs, one table (emit_tf.c): the VPC state writes each
// with tf_export(), and a service state reads one only by its name, with
// tf_remote().
typedef enum {
  VPC_OUT_VPC_ID, VPC_OUT_PRIVATE_SUBNETS, VPC_OUT_INSTANCES_SG, VPC_OUT_ALB_HTTP_LISTENER,
  VPC_OUT_ALB_HTTPS_LISTENER, VPC_OUT_ALB_DNS, VPC_OUT_ALB_SG, VPC_OUT_ALB_ARN_SUFFIX,
  VPC_OUT_CLUSTER_NAME, VPC_OUT_CLUSTER_ARN,
  VPC_OUT_CAPACITY_PROVIDER, VPC_OUT_BASTION_IP, VPC_OUT_PUBLIC_SUBNETS, VPC_OUT_VPC_CIDR,
  VPC_OUT_CONNECT_NAMESPACE,
  VPC_OUT_VPC_SECONDARY_CIDRS,
} VpcOutput;

// emit_tf.c: JSON helpers.
json_t *tf_lit(Tf *t, Str s);
json_t *tf_lits(Tf *t, Str *items, int n);
json_t *tf_strf(Tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
json_t *tf_block(Tf *t, json_t *section, const char *type, const char *name, Span because,
                 const char *what, ...) __attribute__((sentinel));
json_t *tf_tags(Tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *tf_ident(Tf *t, Str s);
const char *tf_id(Tf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
json_t *tf_before_destroy(void);
json_t *tf_ec2_description(const char *text);

// resource(t, TYPE, NAME, because, what, key, value, ...), and data(...)
// alike: a new block under resource.TYPE.NAME (or data.TYPE.NAME).
#define resource(t, ...) tf_block((t), (t)->resources, __VA_ARGS__, (const char *)NULL)
#define data(t, ...) tf_block((t), (t)->data, __VA_ARGS__, (const char *)NULL)

// emit_tf.c: what both kinds of state share.
json_t *tf_state_location(Tf *t, const char *state);
json_t *tf_environment_tags(Tf *t, Str name);
void tf_preamble(Tf *t, Str source, const char *what, const char *state);
void tf_finish(Tf *t);
void tf_moved(Tf *t, const char *type, const char *from, const char *to, Span because,
              const char *why);
const char *tf_output_name(Tf *t, VpcOutput o, const Cluster *k);
void tf_output(Tf *t, const char *name, json_t *value, const char *doc);
void tf_export(Tf *t, VpcOutput o, const Cluster *k, json_t *value);
json_t *tf_remote(Tf *t, VpcOutput o, const Cluster *k);
void tf_policy_document(Tf *t, const char *name, const Policy *p, Span because, const char *what);
void tf_assume_role(Tf *t, const char *name, const char *service);
json_t *tf_tier_subnet_ids(Tf *t, const char *tier);

// emit_tf_vpc.c: the HTTP listener's redirect, which a service's HTTP rule
// gives under a certificate.
json_t *tf_redirect_to_https(void);

// emit_tf_cluster.c: a cluster's resources in the VPC state, and the
// capacity provider strategy a service state gives too.
void tf_cluster(Tf *t, const Cluster *k);
json_t *tf_strategy_items(Tf *t, const Strategy *st, const Cluster *k, bool remote_state);

#endif
