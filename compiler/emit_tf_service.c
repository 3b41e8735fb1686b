// emit_tf_service.c: a service's state: its target group and listener
// rules, roles, task definition, ECS service, security group rules and
// autoscaling, reading the VPC state's outputs through tf_remote.
#include "emit_tf.h"

#include <limits.h>
#include <string.h>


//
// A service's state
//

// One condition of a listener rule: { FIELD: { values: [...] } }.
static json_t *rule_condition(Tf *t, const char *field, Str *values, int n) {
  return jsonout_obj(field, jsonout_obj("values", tf_lits(t, values, n)));
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
           "vpc_id", tf_remote(t, VPC_OUT_VPC_ID, NULL),
           "deregistration_delay", tf_strf(t, "%lld", (long long)(r->deregistration_ms / 1000)),
           "health_check", jsonout_obj(
               "path", tf_lit(t, r->health.path),
               "protocol", jsonout_cstr("HTTP"),
               "matcher", jsonout_str(r->health.matcher),
               "interval", jsonout_int(r->health.interval_ms / 1000),
               "timeout", jsonout_int(r->health.timeout_ms / 1000),
               "healthy_threshold", jsonout_int(r->health.healthy),
               "unhealthy_threshold", jsonout_int(r->health.unhealthy)),
           "tags", tf_tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
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
             "listener_arn", tf_remote(t, VPC_OUT_ALB_HTTPS_LISTENER, NULL),
             "priority", jsonout_int(s->route->priority),
             "action", rule_action(s),
             "condition", conditions_of(t, s->route),
             "tags", tf_tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
             "lifecycle", jsonout_obj(
                 "create_before_destroy", jsonout_bool(true),
                 "ignore_changes", ecs_moves_action(shifted)));
  resource(t, "aws_lb_listener_rule", "http", at,
           https ? "the service's rule on HTTP: its requests redirected to HTTPS"
                 : shifted ? ecs_moves : "the service's listener rule",
           "listener_arn", tf_remote(t, VPC_OUT_ALB_HTTP_LISTENER, NULL),
           "priority", jsonout_int(s->route->priority),
           "action", https ? tf_redirect_to_https() : rule_action(s),
           "condition", conditions_of(t, s->route),
           "tags", tf_tags(t, "%.*s-%.*s", S(t->e->prefix), S(s->name)),
           "lifecycle", https || !shifted ? NULL : jsonout_obj(
               "ignore_changes", ecs_moves_action(shifted)),
           "depends_on", https ? jsonout_arr(jsonout_cstr("aws_lb_listener_rule.https")) : NULL);
  tf_moved(t, "aws_lb_listener_rule", "main", strchr(forwarding_rule(s), '.') + 1,
           s->route->at.block,
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
  tf_assume_role(t, "ecs_assume", "ecs.amazonaws.com");
  tf_policy_document(t, tf, p, at, does);
  resource(t, "aws_iam_role", tf, at, what,
           "name", jsonout_str(name),
           "assume_role_policy", jsonout_cstr("${data.aws_iam_policy_document.ecs_assume.json}"));
  resource(t, "aws_iam_role_policy", tf, at, "",
           "name", jsonout_cstr(policy_name),
           "role", tf_strf(t, "${aws_iam_role.%s.id}", tf),
           "policy", tf_strf(t, "${data.aws_iam_policy_document.%s.json}", tf));
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
         "snapshot_ids", jsonout_arr(tf_lit(t, v->snapshot_id)));
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
               snap ? tf_strf(t, "the key that would encrypt volume %.*s, snapshot %.*s's own if it "
                              "is encrypted (aws ec2 describe-snapshots), else the account's EBS "
                              "default key (aws ec2 get-ebs-default-kms-key-id), is customer "
                              "managed, and ECS would use it through the infrastructure role, "
                              "which ecsc grants no key it cannot name: set kms_key to that "
                              "key's ARN in the volume's ebs block%s",
                           S(s->ebs->name), S(v->snapshot_id),
                           v->encrypted ? "" : " and remove encrypted = false")
                    : tf_strf(t, "the account's EBS default key (aws ec2 get-ebs-default-kms-key-id) "
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
  tf_assume_role(t, "ecs_tasks_assume", "ecs-tasks.amazonaws.com");
  tf_policy_document(t, "execution", &s->exec_policy, s->span,
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
    tf_policy_document(t, "task", &s->task_policy, s->span, "what the application may do");
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
  json_t *j = tf_lit(t, s);
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
          "image", tf_strf(t, "%.*s:${var.image_tag}", S(escaped(t, r->name)))),
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
    return tf_strf(t, "${jsonencode([for c in local.task_definition.containerDefinitions : "
                   "c.name == %.*s ? merge(c, { image = local.image }) : c])}", S(buf_str(&names)));
  return tf_strf(t, "${jsonencode([for c in local.task_definition.containerDefinitions : "
                 "contains([%.*s], c.name) ? merge(c, { image = local.image }) : c])}",
              S(buf_str(&names)));
}

// The task's own size: numbers as the API's strings (ECS API Reference,
// RegisterTaskDefinition: cpu and memory are strings), in units and MiB.
static json_t *task_cpu_of(Tf *t, const Service *s) {
  return s->task_cpu ? tf_strf(t, "%d", s->task_cpu) : NULL;
}

static json_t *task_memory_of(Tf *t, const Service *s) {
  return s->task_memory ? tf_strf(t, "%lld", (long long)(s->task_memory >> 20)) : NULL;
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
    jsonout_putn(o, kv[i].name, tf_lit(t, kv[i].value));
  return o;
}

static json_t *tf_efs_block(Tf *t, const EfsVolume *f) {
  bool auth = f->access_point_id.len || f->iam;
  return jsonout_arr(jsonout_obj(
      "file_system_id", tf_lit(t, f->file_system_id),
      "root_directory", f->root_directory.len ? tf_lit(t, f->root_directory) : NULL,
      "transit_encryption", jsonout_cstr(f->transit_encryption ? "ENABLED" : "DISABLED"),
      "transit_encryption_port",
      f->transit_encryption_port ? jsonout_int(f->transit_encryption_port) : NULL,
      "authorization_config", auth ? jsonout_arr(jsonout_obj(
          "access_point_id", f->access_point_id.len ? tf_lit(t, f->access_point_id) : NULL,
          "iam", jsonout_cstr(f->iam ? "ENABLED" : "DISABLED"))) : NULL));
}

static json_t *tf_docker_block(Tf *t, const DockerVolume *k) {
  return jsonout_arr(jsonout_obj(
      "scope", tf_lit(t, k->scope),
      "autoprovision", k->autoprovision ? jsonout_bool(true) : NULL,
      "driver", k->driver.len ? tf_lit(t, k->driver) : NULL,
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
        "name", tf_lit(t, v->name),
        "host_path", v->kind == VOLUME_HOST ? tf_lit(t, v->host_path) : NULL,
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
           "description", tf_ec2_description(why),
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
  return tf_id(t, "%s_%d", name, s->connect->port);
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
           "for_each", tf_strf(t, "${toset(data.terraform_remote_state.vpc.outputs.%s)}",
                               tf_output_name(t, VPC_OUT_VPC_SECONDARY_CIDRS, NULL)),
           "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
           "description", tf_ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(cn->port),
           "to_port", jsonout_int(cn->port),
           "cidr_ipv4", jsonout_cstr("${each.value}"),
           "lifecycle", tf_before_destroy());
  tf_moved(t, "aws_vpc_security_group_ingress_rule", "task_from_connect_secondary", name, cn->span,
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
           "description", tf_ec2_description(why),
           "ip_protocol", jsonout_cstr("tcp"),
           "from_port", jsonout_int(cn->port),
           "to_port", jsonout_int(cn->port),
           "cidr_ipv4", tf_remote(t, VPC_OUT_VPC_CIDR, NULL),
           "lifecycle", tf_before_destroy());
  tf_moved(t, "aws_vpc_security_group_ingress_rule", "task_from_connect", name, cn->span,
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
           "description", tf_ec2_description("the tasks of one service, on awsvpc"),
           "vpc_id", tf_remote(t, VPC_OUT_VPC_ID, NULL),
           "tags", tf_tags(t, "%.*s", S(s->security_group)));
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
           "description", tf_ec2_description(out_why),
           "ip_protocol", jsonout_cstr("-1"),
           "cidr_ipv4", jsonout_cstr("0.0.0.0/0"));
  connect_ingress(t, s);
  if (!s->route)
    return;
  port_rule(t, s, s->route->port, "aws_vpc_security_group_ingress_rule", "task_from_alb",
            jsonout_cstr("${aws_security_group.task.id}"), tf_remote(t, VPC_OUT_ALB_SG, NULL),
            "the port of the service, from the load balancer only");
  port_rule(t, s, s->route->port, "aws_vpc_security_group_egress_rule", "alb_to_task",
            tf_remote(t, VPC_OUT_ALB_SG, NULL), jsonout_cstr("${aws_security_group.task.id}"),
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
      "alarm_names", tf_lits(t, s->alarms, s->nalarms),
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
      model_shifts_traffic(s) ? tf_strf(t, "%lld", (long long)(s->bake_ms / 60000)) : NULL,
      "canary_configuration", s->deploy_strategy != DEPLOY_CANARY ? NULL : jsonout_obj(
          "canary_percent", jsonout_tenths(s->canary_tenths),
          "canary_bake_time_in_minutes",
          tf_strf(t, "%lld", (long long)(s->canary_bake_ms / 60000))),
      "linear_configuration", s->deploy_strategy != DEPLOY_LINEAR ? NULL : jsonout_obj(
          "step_percent", jsonout_tenths(s->linear_tenths),
          "step_bake_time_in_minutes",
          tf_strf(t, "%lld", (long long)(s->linear_bake_ms / 60000))));
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
      "subnets",
      tf_remote(t, s->public_ip ? VPC_OUT_PUBLIC_SUBNETS : VPC_OUT_PRIVATE_SUBNETS, NULL),
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
      "namespace", tf_remote(t, VPC_OUT_CONNECT_NAMESPACE, NULL),
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
      connect ? tf_strf(t, "aws_vpc_security_group_ingress_rule.%s",
                        connect_rule(t, s, "task_from_connect")) : NULL,
      connect && t->e->vpc.id.len
          ? tf_strf(t, "aws_vpc_security_group_ingress_rule.%s",
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
      "name", tf_lit(t, s->ebs->name),
      "managed_ebs_volume", jsonout_obj(
          "role_arn", jsonout_cstr("${aws_iam_role.infrastructure.arn}"),
          "size_in_gb", v->size ? jsonout_int(v->size >> 30) : NULL,
          "volume_type", jsonout_str(v->type),
          "iops", v->iops ? jsonout_int(v->iops) : NULL,
          "throughput", v->throughput ? jsonout_int(v->throughput) : NULL,
          "file_system_type", jsonout_str(v->filesystem),
          "encrypted", jsonout_bool(v->encrypted),
          "kms_key_id", v->kms_key.len ? tf_lit(t, v->kms_key) : NULL,
          "snapshot_id", v->snapshot_id.len ? tf_lit(t, v->snapshot_id) : NULL,
          "tag_specifications", tags));
}

static void ecs_service(Tf *t, const Service *s) {
  deployment_variable(t);
  resource(t, "aws_ecs_service", "main", s->span, "the ECS service",
           "name", jsonout_str(s->family),
           "cluster", tf_remote(t, VPC_OUT_CLUSTER_ARN, s->cluster),
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
           s->strategy.n ? tf_strategy_items(t, &s->strategy, s->cluster, true)
                         : jsonout_arr(jsonout_obj(
                               "capacity_provider",
                               s->runs_on == RUN_FARGATE ? jsonout_cstr("FARGATE")
                               : s->runs_on == RUN_FARGATE_SPOT
                                   ? jsonout_cstr("FARGATE_SPOT")
                                   : tf_remote(t, VPC_OUT_CAPACITY_PROVIDER, s->cluster),
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
           "tags", tf_tags(t, "%.*s", S(s->family)),
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
  return tf_strf(t, "${data.terraform_remote_state.vpc.outputs.%s}/"
                 "${aws_lb_target_group.main.arn_suffix}",
              tf_output_name(t, VPC_OUT_ALB_ARN_SUFFIX, NULL));
}

// ScalableTargetAction: either bound may be left as it is. The provider
// reads them as strings (its schema's scalable_target_action).
static json_t *bound(Tf *t, int n) {
  return n >= 0 ? tf_strf(t, "%d", n) : NULL;
}

static const char *scheduled_action(Tf *t, const char *prev, const Schedule *h) {
  resource(t, "aws_appautoscaling_scheduled_action", str_cstr(t->arena, h->tf_name), h->span,
           "a scheduled change of the scaling's bounds",
           "name", jsonout_str(h->aws_name),
           "service_namespace", jsonout_cstr("${aws_appautoscaling_target.main.service_namespace}"),
           "resource_id", jsonout_cstr("${aws_appautoscaling_target.main.resource_id}"),
           "scalable_dimension", jsonout_cstr("${aws_appautoscaling_target.main.scalable_dimension}"),
           "schedule", tf_strf(t, "cron(%.*s)", S(h->cron)),
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
           "resource_id", tf_strf(t, "service/${data.terraform_remote_state.vpc.outputs.%s}/"
                                  "${aws_ecs_service.main.name}",
                               tf_output_name(t, VPC_OUT_CLUSTER_NAME, s->cluster)),
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
       "config", tf_state_location(t, "vpc"));
}

static void log_group(Tf *t, const Service *s) {
  resource(t, "aws_cloudwatch_log_group", "main", span_or(s->at.logs, s->span),
           "the service's logs",
           "name", jsonout_str(s->log_group),
           "retention_in_days", jsonout_int(s->log_retention_ms / 86400000));
}

Str emit_tf_service(const Emitter *em, const Service *s) {
  Tf t = {.arena = em->arena, .m = em->model, .e = s->env};
  tf_preamble(&t, em->source, str_fmt(em->arena, "the state of service \"%.*s\"", S(s->name)).ptr,
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
  tf_output(&t, "service_name", jsonout_cstr("${aws_ecs_service.main.name}"), "the ECS service");
  tf_output(&t, "task_definition_arn", jsonout_cstr("${aws_ecs_task_definition.main.arn}"),
            "the task definition revision deployed");
  if (s->route)
    tf_output(&t, "target_group_arn", jsonout_cstr("${aws_lb_target_group.main.arn}"),
              "the service's target group");
  // What a resource ecsc does not own lets the tasks in by: an EFS file
  // system's mount targets, NFS on TCP 2049 (grammar reference, "Volumes").
  if (s->network == NET_AWSVPC)
    tf_output(&t, "security_group_id", jsonout_cstr("${aws_security_group.task.id}"),
              "the tasks' own security group (awsvpc)");
  tf_finish(&t);
  return jsonout_dump(t.arena, t.root);
}
