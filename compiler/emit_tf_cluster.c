// emit_tf_cluster.c: a cluster's resources in its environment's VPC state:
// the ECS cluster, the instances' role, launch templates and autoscaling
// groups (on-demand, Spot, mixed), the capacity providers and the default
// strategy; and the strategy items a service state gives too.
#include "emit_tf.h"


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
  tf_assume_role(t, tf_id(t, "instance_assume_%s", n), "ec2.amazonaws.com");
  tf_policy_document(t, tf_id(t, "instance_%s", n), &k->instance_policy, k->span,
                     "the ECS agent's actions, on this cluster only");
  resource(t, "aws_iam_role", tf_id(t, "instance_%s", n), k->span, "the container instances' role",
           "name", jsonout_str(k->instance_role),
           "assume_role_policy",
           tf_strf(t, "${data.aws_iam_policy_document.instance_assume_%s.json}", n));
  resource(t, "aws_iam_role_policy", tf_id(t, "instance_%s", n), k->span, "",
           "name", jsonout_cstr("ecs-agent"),
           "role", tf_strf(t, "${aws_iam_role.instance_%s.id}", n),
           "policy", tf_strf(t, "${data.aws_iam_policy_document.instance_%s.json}", n));
  resource(t, "aws_iam_instance_profile", n, k->span, "",
           "name", jsonout_str(k->instance_role),
           "role", tf_strf(t, "${aws_iam_role.instance_%s.name}", n));
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
  data(t, "aws_ssm_parameter", tf_id(t, "ami_%s", n), span_or(k->at.ami, k->span),
       "the latest ECS-optimized AMI",
       "name", jsonout_str(ami_parameter(k)));
  return tf_strf(t, "${data.aws_ssm_parameter.ami_%s.insecure_value}", n);
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
                  "tags", tf_environment_tags(t, k->asg_name)),
      jsonout_obj("resource_type", jsonout_cstr("volume"),
                  "tags", tf_environment_tags(t, k->asg_name)));
}

// A group's instances take its cluster's instance profile.
static void launch_template(Tf *t, const Cluster *k, const char *n) {
  json_t *ami = image(t, k, n);
  const char *profile = k->outer ? str_cstr(t->arena, k->outer->tf_name) : n;
  resource(t, "aws_launch_template", n, k->span, "the container instances",
           "name", jsonout_str(k->template_name),
           "image_id", ami,
           "instance_type", jsonout_str(k->instance_type),
           "key_name", k->key_name.len ? tf_lit(t, k->key_name) : NULL,
           "vpc_security_group_ids", jsonout_arr(jsonout_cstr("${aws_security_group.instances.id}")),
           "iam_instance_profile", jsonout_obj(
               "arn", tf_strf(t, "${aws_iam_instance_profile.%s.arn}", profile)),
           "user_data", tf_strf(t, "${filebase64(\"${path.module}/%.*s\")}",
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
  json_t *all = jsonout_put(tf_environment_tags(t, k->asg_name),
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
      id_key, tf_strf(t, "${aws_launch_template.%s.id}", n),
      "version", tf_strf(t, "${aws_launch_template.%s.latest_version}", n));
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
           "vpc_zone_identifier", tf_tier_subnet_ids(t, "private"),
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
           "depends_on", jsonout_arr(tf_strf(t, "aws_ecs_cluster.%s", cluster_tf_name(t, k, n))));
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

// A capacity provider of a cluster's instances (its own, or a group's):
// in the VPC state the resource's name, in a service state the VPC state's
// output of it.
static json_t *provider_ref(Tf *t, const Cluster *k, bool remote_state) {
  if (remote_state)
    return tf_remote(t, VPC_OUT_CAPACITY_PROVIDER, k);
  return tf_strf(t, "${aws_ecs_capacity_provider.%.*s.name}", S(k->tf_name));
}

// strategy "PROVIDER" { base, weight }: the items in order, "ec2" as the
// cluster k's own provider, a group's as its, Fargate's by their AWS names.
json_t *tf_strategy_items(Tf *t, const Strategy *st, const Cluster *k, bool remote_state) {
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
               "auto_scaling_group_arn", tf_strf(t, "${aws_autoscaling_group.%s.arn}", n),
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
    return tf_strategy_items(t, &k->strategy, k, false);
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
           "cluster_name", tf_strf(t, "${aws_ecs_cluster.%s.name}", n),
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
void tf_cluster(Tf *t, const Cluster *k) {
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
  tf_export(t, VPC_OUT_CLUSTER_NAME, k, tf_strf(t, "${aws_ecs_cluster.%s.name}", n));
  tf_export(t, VPC_OUT_CLUSTER_ARN, k, tf_strf(t, "${aws_ecs_cluster.%s.arn}", n));
  for (int i = 0; i < nsets; i++)
    tf_export(t, VPC_OUT_CAPACITY_PROVIDER, sets[i], provider_ref(t, sets[i], false));
}
