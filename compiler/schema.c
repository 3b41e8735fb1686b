// schema.c: every block and attribute of the language, in one table: type,
// whether required, default, allowed range or form, and a one-line doc.
// schema_check.c enforces it, `ecsc schema` prints it, and grammar/README.md's
// attribute reference is generated from it (make docs), so the three agree.
//
// Ranges cite their AWS source where AWS sets them; the rest are sanity bounds.
#include "syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB (1LL << 10)
#define MIB (1LL << 20)
#define GIB (1LL << 30)
#define SEC 1000LL
#define MIN (60 * SEC)
#define DAY (86400 * SEC)

#define STRING {T_STRING, 0, NULL}
#define INT {T_INT, 0, NULL}
#define BOOL {T_BOOL, 0, NULL}
#define SIZE {T_SIZE, 0, NULL}
#define DURATION {T_DURATION, 0, NULL}
#define PERCENT {T_PERCENT, 0, NULL}
#define CIDR {T_CIDR, 0, NULL}
#define ANY {T_ANY, 0, NULL}
#define COMMAND {T_COMMAND, 0, NULL}
#define LIST(e) {T_LIST, e, NULL}
#define MAP(e) {T_MAP, e, NULL}
#define ENUM(c) {T_ENUM, 0, c}
#define REF(k) {T_REF, 0, k}
#define MAP_REF(k) {T_MAP, T_REF, k}
#define RANGE(lo, hi) .ranged = true, .min = (lo), .max = (hi)
#define EACH(lo, hi) .each_ranged = true, .each_min = (lo), .each_max = (hi)
#define END {.name = NULL}
#define DEF_INT(n) .def = {T_INT, .i = (n)}
#define DEF_BOOL(b) .def = {T_BOOL, .i = (b)}
#define DEF_SIZE(n) .def = {T_SIZE, .i = (n)}
#define DEF_DURATION(n) .def = {T_DURATION, .i = (n)}
#define DEF_PERCENT(n) .def = {T_PERCENT, .i = (n)}
#define DEF_STRING(text) .def = {T_STRING, .s = (text)}
#define DEF_CIDRS(block) .def = {T_LIST, .s = (block)}
#define DEF_PROSE(text) .def = {T_ANY, .prose = (text)}

static const char *const region_form = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$";
static const char *const name_form = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
static const char *const instance_form = "^[a-z][a-z0-9-]*\\.[a-z0-9]+$";
static const char *const az_form = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9][a-z]$";

//
// project "NAME" { ... }
//

static const SchemaAttr state_attrs[] = {
    {"bucket", STRING, .required = true,
     // S3 bucket naming rules: 3-63 characters, lowercase, digits, dots, hyphens.
     .pattern = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
     .pattern_doc = "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens",
     .doc = "S3 bucket that holds every state of the project"},
    {"region", STRING, .pattern = region_form, .pattern_doc = "an AWS region such as us-east-1",
     DEF_PROSE("the project's region"), .doc = "region of the state bucket"},
    {"lock_table", STRING, .pattern = "^[a-zA-Z0-9_.-]{3,255}$",
     .pattern_doc = "a DynamoDB table name: 3 to 255 letters, digits, _ . and -",
     .doc = "deprecated: a DynamoDB table locked beside S3's own lock file, only while "
            "migrating off it (Terraform 1.11 deprecates DynamoDB locking)"},
    END,
};

static const SchemaBlock state_block = {
    "state", 0, NULL, .required = true, .attrs = state_attrs,
    .doc = "where Terraform keeps its states: one S3 key per environment and service",
};

static const SchemaAttr project_attrs[] = {
    {"region", STRING, .required = true, .pattern = region_form,
     .pattern_doc = "an AWS region such as us-east-1",
     .doc = "AWS region every environment deploys to unless it names its own"},
    {"tags", MAP(T_STRING), .doc = "tags on every resource (the provider's default_tags)"},
    END,
};

static const SchemaBlock *const project_blocks[] = {&state_block, NULL};

static const SchemaBlock project_block = {
    "project", 1, "the project's name, the first part of every AWS name", .attrs = project_attrs,
    .blocks = project_blocks, .doc = "the project: its name, region and Terraform state",
};

//
// variable "NAME" { ... }
//

static const char *const variable_types[] = {"string", "int",  "bool",    "size", "duration",
                                             "percent", "cidr", "list", NULL};
// The type each of those names, in the same order.
static const ValueType variable_value_types[] = {T_STRING,   T_INT,     T_BOOL, T_SIZE,
                                                 T_DURATION, T_PERCENT, T_CIDR, T_LIST};
_Static_assert(countof(variable_types) == countof(variable_value_types) + 1,
               "a type for each variable type name");

ValueType schema_variable_type(Str name) {
  for (int i = 0; variable_types[i]; i++)
    if (str_eq_c(name, variable_types[i]))
      return variable_value_types[i];
  return T_ANY;
}

static const SchemaAttr variable_attrs[] = {
    {"type", ENUM(variable_types), .required = true, .doc = "the type values must have"},
    {"default", ANY, .doc = "value when neither a values file nor --set gives one"},
    {"description", STRING, .doc = "what the variable is for"},
    END,
};

static const SchemaBlock variable_block = {
    "variable", 1, "referred to as var.NAME", .repeatable = true, .attrs = variable_attrs,
    .doc = "an input set by --set or a values file (--values) and referred to as var.NAME",
};

//
// environment "NAME" { vpc { } alb { } bastion { } cluster "NAME" { } }
//

static const char *const nat_modes[] = {"single", "per_az", "none", NULL};

// EC2 resource ids: the type's prefix, a hyphen, then 8 or (since 2018) 17
// hexadecimal characters (Amazon EC2 User Guide, "Resource IDs"; the form
// AWS's API models give, e.g. WorkSpaces' SubnetId:
// ^(subnet-([0-9a-f]{8}|[0-9a-f]{17}))$).
static const char *const vpc_id_form = "^vpc-([0-9a-f]{8}|[0-9a-f]{17})$";
static const char *const subnet_id_form = "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$";

// Two forms: a VPC ecsc builds (cidr, azs, subnets as CIDR blocks, nat), or
// one it does not manage (id and the subnets' ids), which it reads with data
// sources. check_network.c refuses the two mixed (E0990).
static const SchemaAttr vpc_attrs[] = {
    // VPC CIDR blocks range from /16 to /28 (Amazon VPC User Guide, "VPC CIDR blocks").
    {"cidr", CIDR, .required = true, RANGE(16, 28), .unless = "id",
     .doc = "the VPC's IPv4 CIDR block"},
    {"azs", LIST(T_STRING), .required = true, RANGE(1, 6), .pattern = az_form,
     .pattern_doc = "an availability zone such as us-east-1a", .unless = "id",
     .doc = "availability zones, one subnet of each tier in each"},
    {"public_subnets", LIST(T_CIDR), .required = true, RANGE(1, 6), .unless = "id",
     .doc = "public subnets (load balancer, bastion, NAT), one per AZ in order"},
    {"private_subnets", LIST(T_CIDR), .required = true, RANGE(1, 6), .unless = "id",
     .doc = "private subnets (container instances), one per AZ in order"},
    {"database_subnets", LIST(T_CIDR), RANGE(1, 6), .unless = "id",
     .doc = "database subnets, one per AZ in order; none when absent"},
    {"nat", ENUM(nat_modes), DEF_STRING("single"), .unless = "id",
     .doc = "NAT gateways: one shared, one per AZ, or none (then the VPC endpoints of ECS, ECR, "
            "CloudWatch Logs, SSM and Secrets Manager that the instances and the tasks without "
            "assign_public_ip need, and their images from ECR only)"},
    {"id", STRING, .pattern = vpc_id_form, .pattern_doc = "a VPC id such as vpc-0a1b2c3d4e5f67890",
     .doc = "an existing VPC ecsc does not manage: it reads the VPC and its subnets and "
            "builds no network (no subnets, gateways, NAT, routes or VPC endpoints)"},
    // Subnets per load balancer: at least two zones, one subnet per zone
    // (ELB User Guide, "Availability Zones and subnets"); 6 as for CIDRs.
    // The zones are proved at plan time (emit_tf_vpc.c, alb_zones), and the
    // routes to the internet (emit_tf_vpc.c, public_routes).
    {"public_subnet_ids", LIST(T_STRING), RANGE(1, 6), .pattern = subnet_id_form,
     .pattern_doc = "a subnet id such as subnet-0a1b2c3d4e5f67890", .only_with = "id",
     .doc = "the existing VPC's public subnets (load balancer, bastion), each in its own zone "
            "(the plan refuses two in one zone, and one with no route to an internet gateway)"},
    // Required by what runs there, instances or tasks without a public
    // address (check_network.c, E1060), not by the form. With a routed
    // service there, each in a zone of the load balancer (emit_tf_vpc.c,
    // alb_zones).
    {"private_subnet_ids", LIST(T_STRING), RANGE(1, 6),
     .pattern = subnet_id_form, .pattern_doc = "a subnet id such as subnet-0a1b2c3d4e5f67890",
     .only_with = "id",
     .doc = "the existing VPC's private subnets (container instances, awsvpc tasks without "
            "assign_public_ip), which reach ECS, ECR and CloudWatch Logs by the VPC's own NAT "
            "or endpoints; needed when something runs there; when a routed service does, each "
            "in a zone of public_subnet_ids (the plan refuses others: the load balancer sends "
            "them no traffic)"},
    END,
};

static const SchemaBlock vpc_block = {
    "vpc", 0, NULL, .required = true, .attrs = vpc_attrs,
    .doc = "the environment's network: VPC, subnets, gateways and routes; or an existing VPC "
           "by its id",
};

static const SchemaAttr alb_attrs[] = {
    // Idle timeout 1-4000 seconds (ELB User Guide, "Connection idle timeout").
    {"idle_timeout", DURATION, DEF_DURATION(60 * SEC), RANGE(1 * SEC, 4000 * SEC),
     .doc = "how long an idle connection stays open"},
    {"ingress_cidrs", LIST(T_CIDR), DEF_CIDRS("0.0.0.0/0"), RANGE(1, 60),
     .doc = "who may connect to the listeners"},
    {"certificate_arn", STRING, .pattern = "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$",
     .pattern_doc = "an ACM certificate ARN", .doc = "serve HTTPS on 443 with this certificate "
     "and redirect HTTP to it"},
    {"ssl_policy", STRING, DEF_STRING("ELBSecurityPolicy-TLS13-1-2-2021-06"),
     .pattern = "^ELBSecurityPolicy-[A-Za-z0-9-]+$", .pattern_doc = "an ELB security policy name",
     .doc = "TLS policy of the HTTPS listener"},
    {"deletion_protection", BOOL, DEF_BOOL(false), .doc = "refuse to delete the load balancer"},
    END,
};

static const SchemaBlock alb_block = {
    "alb", 0, NULL, .attrs = alb_attrs,
    .doc = "the environment's application load balancer, internet-facing, in the public subnets",
};

static const SchemaAttr bastion_attrs[] = {
    {"instance_type", STRING, DEF_STRING("t3.micro"), .pattern = instance_form,
     .pattern_doc = "an EC2 instance type such as t3.micro", .doc = "EC2 instance type"},
    {"ssh_cidrs", LIST(T_CIDR), .required = true, RANGE(1, 60), .doc = "who may connect over SSH"},
    {"key_name", STRING, .doc = "EC2 key pair for SSH"},
    END,
};

static const SchemaBlock bastion_block = {
    "bastion", 0, NULL, .attrs = bastion_attrs,
    .doc = "an SSH jump host (Amazon Linux 2023) in the first public subnet, with an Elastic IP; "
           "it may reach the instances over SSH and its package repositories (S3) over HTTPS, "
           "nothing else",
};

static const char *const ami_families[] = {"al2023", "al2", "bottlerocket", NULL};
// EC2's names of the two architectures (DescribeInstanceTypes,
// ProcessorInfo.SupportedArchitectures), as the stdlib's instance types
// and a cluster's architecture say them.
static const char *const architectures[] = {"x86_64", "arm64", NULL};
static const char *const insights_modes[] = {"enabled", "enhanced", "disabled", NULL};

// Every setting the ECS agent documents (agent_keys.h): check_agent.c
// refuses those ecsc writes itself and checks the form of the others.
static const char *const agent_keys[] = {
#define AGENT_KEY(name, ...) #name,
#include "agent_keys.h"
#undef AGENT_KEY
    NULL,
};

// A cluster has instances of its own with instance_type (its "ec2" capacity
// provider), more in group blocks, Fargate's with fargate = true, or any of
// these together; one of them at least (check_instances.c, E0994). Without
// instance_type the settings of its own group are refused (E0995).
static const SchemaAttr cluster_attrs[] = {
    {"instance_type", STRING, .pattern = instance_form,
     .pattern_doc = "an EC2 instance type such as t3.small",
     .doc = "EC2 instance type of the container instances; none: the cluster has only its "
            "groups' instances, or Fargate's capacity"},
    {"size", INT, .required = true, RANGE(0, 1000), .only_with = "instance_type",
     .doc = "desired number of instances"},
    {"min_size", INT, RANGE(0, 1000), DEF_PROSE("`size`"), .only_with = "instance_type",
     .doc = "fewest instances the group keeps"},
    {"max_size", INT, RANGE(0, 1000), DEF_PROSE("`size`"), .only_with = "instance_type",
     .doc = "most instances the group runs"},
    {"ami", ENUM(ami_families), DEF_STRING("al2023"),
     .doc = "ECS-optimized AMI family, resolved through its public SSM parameter"},
    {"ami_id", STRING, .pattern = "^ami-([0-9a-f]{8}|[0-9a-f]{17})$",
     .pattern_doc = "an AMI id such as ami-0abcdef1234567890",
     .doc = "pin an exact AMI instead of the latest of the family"},
    {"key_name", STRING, .doc = "EC2 key pair for SSH through the bastion"},
    // The ECS-optimized AMIs need a 30 GiB root volume; EBS gp3 volumes reach 16 TiB.
    {"root_volume", SIZE, DEF_SIZE(30 * GIB), RANGE(30 * GIB, 16384 * GIB),
     .doc = "size of the encrypted root volume"},
    {"container_insights", ENUM(insights_modes), DEF_STRING("enabled"),
     .doc = "CloudWatch Container Insights for the cluster"},
    {"detailed_monitoring", BOOL, DEF_BOOL(false), .doc = "EC2 detailed (one-minute) monitoring"},
    {"fargate", BOOL, DEF_BOOL(false),
     .doc = "Fargate and Fargate Spot capacity beside the instances, for services with "
            "capacity = \"fargate\" or \"fargate_spot\""},
    // ECS API Reference, RuntimePlatform: cpuArchitecture ARM64 "is available
    // for tasks that run on Linux Amazon EC2 instance or Linux containers on
    // Fargate", X86_64 by default. A cluster's instances say it by their
    // types; a cluster of Fargate alone says it here (check_spot.c, E1243).
    {"architecture", ENUM(architectures), DEF_PROSE("instance_type's, else `\"x86_64\"`"),
     .doc = "processor architecture of the task definitions of the cluster's services, on "
            "its instances and on Fargate; with instances, that of their types"},
    // AutoScalingGroupProvider's managedTerminationProtection; ecsc sets the
    // group's protect_from_scale_in with it, which AWS requires beside it.
    {"termination_protection", BOOL, DEF_BOOL(false), .only_with = "instance_type",
     .doc = "managed termination protection: scale-in never terminates an instance running "
            "tasks (needs managed scaling; sets the group's protect_from_scale_in)"},
    {"agent", MAP(T_STRING), .keys = agent_keys,
     .doc = "ECS agent settings written to /etc/ecs/ecs.config"},
    END,
};

// Amazon EC2 Auto Scaling API Reference, InstancesDistribution:
// SpotAllocationStrategy's valid values (its default, lowest-price, "might lead
// to high interruption rates"; price-capacity-optimized is the recommended one).
static const char *const spot_allocations[] = {
    "price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized",
    "lowest-price", NULL,
};

static const SchemaAttr spot_attrs[] = {
    // "The maximum number of instance types that can be associated with an
    // Auto Scaling group is 40" (AWS CDK's MixedInstancesPolicy, citing the
    // Amazon EC2 Auto Scaling User Guide's quotas).
    {"instance_types", LIST(T_STRING), .required = true, RANGE(1, 40), .pattern = instance_form,
     .pattern_doc = "an EC2 instance type such as t3.small",
     .doc = "instance types the group may launch beside instance_type, all of its architecture"},
    // InstancesDistribution: OnDemandBaseCapacity, OnDemandPercentageAboveBaseCapacity (0-100).
    {"on_demand_base", INT, DEF_INT(0), RANGE(0, 1000),
     .doc = "instances launched on demand before any Spot instance"},
    {"on_demand_percent", PERCENT, DEF_PERCENT(0), RANGE(0, 100),
     .doc = "share of the instances above the base launched on demand; the rest are Spot"},
    {"allocation", ENUM(spot_allocations), DEF_STRING("price-capacity-optimized"),
     .doc = "how the group picks Spot pools (InstancesDistribution's SpotAllocationStrategy)"},
    END,
};

static const SchemaBlock spot_block = {
    "spot", 0, NULL, .attrs = spot_attrs,
    .doc = "Spot and on-demand instances of several types: the group's mixed instances policy, "
           "with Spot draining on",
};

// ECS API Reference, ManagedScaling: targetCapacity "greater than 0 and
// less than or equal to 100"; minimumScalingStepSize and
// maximumScalingStepSize 1-10000 (defaults 1 and 10000);
// instanceWarmupPeriod 0-10000 seconds (default 300).
static const SchemaAttr managed_scaling_attrs[] = {
    {"enabled", BOOL, DEF_BOOL(true),
     .doc = "ECS scales the group to its tasks' needs; off, nothing scales it"},
    {"target_capacity", PERCENT, DEF_PERCENT(100), RANGE(1, 100),
     .doc = "how full ECS keeps the instances; below 100% it keeps spare ones"},
    {"min_step", INT, DEF_INT(1), RANGE(1, 10000),
     .doc = "fewest instances ECS adds in one scale-out"},
    {"max_step", INT, DEF_INT(10000), RANGE(1, 10000),
     .doc = "most instances ECS adds in one scale-out"},
    {"warmup", DURATION, DEF_DURATION(300 * SEC), RANGE(0, 10000 * SEC),
     .doc = "how long after its launch an instance counts in the group's metrics"},
    END,
};

static const SchemaBlock managed_scaling_block = {
    "managed_scaling", 0, NULL, .attrs = managed_scaling_attrs,
    .doc = "the capacity provider's managed scaling of the autoscaling group (on by default)",
};

// A capacity provider strategy's item (ECS API Reference,
// CapacityProviderStrategyItem): base 0-100000, weight 0-1000, both 0 by
// default. check_provider.c checks the strategy as a whole (E0982-E0986).
static const SchemaAttr strategy_attrs[] = {
    {"base", INT, DEF_INT(0), RANGE(0, 100000),
     .doc = "tasks placed on this provider first; one provider of a strategy at most has a base"},
    {"weight", INT, DEF_INT(0), RANGE(0, 1000),
     .doc = "this provider's share of the tasks beyond the base, relative to the others'"},
    END,
};

static const SchemaBlock strategy_block = {
    "strategy", 1, "a capacity provider: \"ec2\" (the cluster's instances), a group's name, "
                   "\"fargate\" or \"fargate_spot\"",
    .repeatable = true, .attrs = strategy_attrs,
    .doc = "an item of the cluster's default capacity provider strategy, for tasks started "
           "without one (ecsc's services always give theirs); a later one of a provider "
           "replaces an earlier",
};

// The same items, a service's own strategy: the providers of its capacity
// only (E0986), and in place of capacity's one item.
static const SchemaBlock service_strategy_block = {
    "strategy", 1, "a capacity provider of the service's capacity: \"ec2\" and the cluster's "
                   "groups, or \"fargate\" and \"fargate_spot\"",
    .repeatable = true, .attrs = strategy_attrs,
    .doc = "an item of the service's own capacity provider strategy, over the one item of its "
           "capacity; a later one of a provider (an `in` block's) replaces an earlier",
};

// group "NAME" { }: another autoscaling group of the cluster, its own
// capacity provider, which strategies name by the label. The cluster's
// other settings (ami, root_volume, agent, ...) are its groups' too.
static const SchemaAttr group_attrs[] = {
    {"instance_type", STRING, .required = true, .pattern = instance_form,
     .pattern_doc = "an EC2 instance type such as t3.small",
     .doc = "EC2 instance type of the group's instances"},
    {"size", INT, .required = true, RANGE(0, 1000), .doc = "desired number of instances"},
    {"min_size", INT, RANGE(0, 1000), DEF_PROSE("`size`"), .doc = "fewest instances the group keeps"},
    {"max_size", INT, RANGE(0, 1000), DEF_PROSE("`size`"), .doc = "most instances the group runs"},
    {"termination_protection", BOOL, DEF_BOOL(false),
     .doc = "managed termination protection of the group's instances (as the cluster's)"},
    END,
};

static const SchemaBlock *const group_blocks[] = {&spot_block, &managed_scaling_block, NULL};

static const SchemaBlock group_block = {
    "group", 1, "the group's capacity provider, as strategies name it", .repeatable = true,
    .attrs = group_attrs, .blocks = group_blocks,
    .doc = "another autoscaling group of container instances, a capacity provider of its own "
           "(on-demand beside Spot, or another instance type)",
};

static const SchemaBlock *const cluster_blocks[] = {
    &spot_block, &managed_scaling_block, &strategy_block, &group_block, NULL,
};

static const SchemaBlock cluster_block = {
    "cluster", 1, "referred to as cluster.NAME", .repeatable = true, .attrs = cluster_attrs,
    .blocks = cluster_blocks,
    .doc = "an ECS cluster: EC2 container instances in autoscaling groups, Fargate, or both",
};

static const SchemaAttr environment_attrs[] = {
    {"prefix", STRING, DEF_PROSE("`PROJECT-ENVIRONMENT`"), .pattern = name_form,
     .pattern_doc = "lowercase letters, digits and hyphens, not starting or ending with a hyphen",
     .doc = "first part of every AWS name in the environment"},
    {"region", STRING, DEF_PROSE("the project's region"), .pattern = region_form,
     .pattern_doc = "an AWS region such as us-east-1", .doc = "AWS region of the environment"},
    {"account", STRING, .pattern = "^[0-9]{12}$", .pattern_doc = "a 12-digit AWS account id",
     .doc = "the only AWS account Terraform may apply the environment to"},
    {"production", BOOL, DEF_PROSE("true for an environment named production, prod or prd"),
     .doc = "serves real users: lint warns of what should not be open there (ECS Exec)"},
    {"tags", MAP(T_STRING), .doc = "tags on every resource of the environment"},
    // rebuild_retire.c's E1051 and check_connect.c's W1050: the first of two builds that remove
    // Service Connect from an environment.
    {"connect_namespace", BOOL, DEF_BOOL(false),
     .doc = "keep the environment's Service Connect namespace though no service joins it: the "
            "first build of two that remove Service Connect"},
    END,
};

static const SchemaBlock *const environment_blocks[] = {
    &vpc_block, &alb_block, &bastion_block, &cluster_block, NULL,
};

static const SchemaBlock environment_block = {
    "environment", 1, "the environment's name, such as \"staging\"", .repeatable = true,
    .attrs = environment_attrs, .blocks = environment_blocks,
    .doc = "a deployment of the project: a VPC, its load balancer, bastion and clusters",
};

//
// parameter "NAME" { ... }
//

static const SchemaAttr parameter_attrs[] = {
    // SSM parameter names: a-zA-Z0-9_.-/ (Systems Manager User Guide,
    // "Requirements and constraints for parameter names").
    {"path", STRING, .pattern = "^(/[a-zA-Z0-9_.-]+)+$",
     .pattern_doc = "a path such as /basic-app/DB_PASSWORD: / then letters, digits, _ . -",
     .doc = "name below the environment's prefix: /app/KEY becomes /PREFIX/app/KEY (or "
            "external); a new path replaces a managed parameter, which build refuses while "
            "services read the old one (E1235)"},
    // A parameter ecsc does not manage, by its full name or ARN (ECS API
    // Reference, "Secret": valueFrom, "the full ARN or name of the parameter").
    // A name is a hierarchy, with its leading slash, or a simple name
    // without any (SSM API Reference, "PutParameter": Name, "For parameters
    // in a hierarchy, you must include a leading forward slash"), such as
    // the SQL_PASS an AWS Copilot manifest names.
    {"external", STRING,
     .pattern = "^((/[a-zA-Z0-9_.-]+)+|[a-zA-Z0-9_.-]+|"
                "arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[a-zA-Z0-9_./-]+)$",
     .pattern_doc = "a parameter's full name such as /shared/db/url or DB_URL, or its ARN",
     .doc = "a parameter managed elsewhere, named as is: no prefix, and ecsc creates nothing"},
    {"secure", BOOL, DEF_BOOL(false), .doc = "a SecureString, encrypted with KMS"},
    {"kms_key", STRING, .pattern = "^(alias/[a-zA-Z0-9/_-]+|[0-9a-f-]{36}|arn:aws[a-z-]*:kms:.+)$",
     .pattern_doc = "a KMS key id, key ARN or alias/NAME",
     DEF_STRING("alias/aws/ssm"), .doc = "KMS key of a secure parameter"},
    {"value", STRING, .doc = "value of a plain parameter, which the VPC state makes (its "
                             "readers carry its digest, so a new value deploys them); without "
                             "one, as for every secure parameter, ecsc makes none: put it in "
                             "each environment before its readers' first apply"},
    {"description", STRING, .doc = "what the parameter holds: written to a parameter the VPC "
                                   "state makes, for one you put a note of what to put"},
    END,
};

static const SchemaBlock parameter_block = {
    "parameter", 1, "referred to as parameter.NAME", .repeatable = true, .attrs = parameter_attrs,
    .doc = "an SSM Parameter Store value a service reads",
};

//
// secret "NAME" { ... }: a Secrets Manager secret ecsc reads, never creates
//

// Secrets Manager User Guide, "Quotas": a secret name is at most 512
// characters of letters, digits and /_+=.@-; the ARN ends in the name, a
// hyphen and six random characters. ECS API Reference, "Secret": valueFrom
// is the secret's full ARN, then optionally :json-key:version-stage:version-id.
static const SchemaAttr secret_attrs[] = {
    {"arn", STRING,
     .pattern = "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}$",
     .pattern_doc = "a Secrets Manager secret ARN", .doc = "the secret, by its ARN"},
    {"name", STRING, .pattern = "^[A-Za-z0-9/_+=.@-]{1,512}$",
     .pattern_doc = "a secret name: letters, digits and /_+=.@-",
     .doc = "the secret, by its name, in the environment's account and region; a name that "
            "ends in a hyphen and six characters needs its arn (E1210)"},
    {"key", STRING, .pattern = "^[^:]{1,1024}$", .pattern_doc = "a JSON key, without :",
     .doc = "a key of the secret's JSON object: the variable gets its value alone"},
    {"version_stage", STRING, .pattern = "^[^:]{1,256}$", .pattern_doc = "a staging label, without :",
     .doc = "the version with this staging label; the current one when absent"},
    {"version_id", STRING, .pattern = "^[a-zA-Z0-9-]{32,64}$", .pattern_doc = "a version id",
     .doc = "this exact version"},
    {"kms_key", STRING, .pattern = "^(alias/[a-zA-Z0-9/_-]+|[0-9a-f-]{36}|arn:aws[a-z-]*:kms:.+)$",
     .pattern_doc = "a KMS key id, key ARN or alias/NAME",
     .doc = "the customer managed key the secret is encrypted with; aws/secretsmanager when absent"},
    END,
};

static const SchemaBlock secret_block = {
    "secret", 1, "referred to as secret.NAME", .repeatable = true, .attrs = secret_attrs,
    .doc = "a Secrets Manager secret a service reads (by ARN, or by name in the environment's account)",
};

//
// service "NAME" { ... }, template "NAME" { ... }, and in "ENV" { ... }
//

static const SchemaAttr health_attrs[] = {
    {"command", COMMAND, .required = true,
     .doc = "a string runs in a shell (CMD-SHELL); a list runs directly (CMD)"},
    // HealthCheck: interval 5-300 s, timeout 2-60 s, retries 1-10, start
    // period 0-300 s (ECS API Reference, "HealthCheck").
    {"interval", DURATION, DEF_DURATION(30 * SEC), RANGE(5 * SEC, 300 * SEC), .range_code = E0524,
     .doc = "time between checks"},
    {"timeout", DURATION, DEF_DURATION(5 * SEC), RANGE(2 * SEC, 60 * SEC), .range_code = E0524,
     .doc = "time a check may take"},
    {"retries", INT, DEF_INT(3), RANGE(1, 10), .range_code = E0524,
     .doc = "failures before the container is unhealthy"},
    {"start_period", DURATION, DEF_DURATION(0), RANGE(0, 300 * SEC), .range_code = E0524,
     .doc = "grace period after start during which failures do not count"},
    END,
};

static const SchemaBlock health_block = {
    "health", 0, NULL, .attrs = health_attrs,
    .doc = "the container's own health check, run by the ECS agent",
};

static const SchemaAttr health_check_attrs[] = {
    {"path", STRING, DEF_STRING("/"), .pattern = "^/[^ ]{0,1023}$",
     .pattern_doc = "a URL path starting with /", .doc = "HTTP path the load balancer requests"},
    // Target group health checks (Application Load Balancers User Guide,
    // "Health checks for Application Load Balancer target groups",
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html):
    // HealthCheckIntervalSeconds "The range is 5–300 seconds",
    // HealthCheckTimeoutSeconds "The range is 2–120 seconds",
    // HealthyThresholdCount and UnhealthyThresholdCount "The range is 2–10".
    // The timeout below the interval: check.c, target_health.
    {"interval", DURATION, DEF_DURATION(30 * SEC), RANGE(5 * SEC, 300 * SEC), .range_code = E0525,
     .doc = "time between checks"},
    {"timeout", DURATION, DEF_DURATION(5 * SEC), RANGE(2 * SEC, 120 * SEC), .range_code = E0525,
     .doc = "time a check may take"},
    {"healthy_threshold", INT, DEF_INT(3), RANGE(2, 10), .range_code = E0525,
     .doc = "successes before a target is healthy"},
    {"unhealthy_threshold", INT, DEF_INT(3), RANGE(2, 10), .range_code = E0525,
     .doc = "failures before a target is unhealthy"},
    // ELB API Reference, CreateTargetGroup, Matcher: "For target groups with
    // a protocol of HTTP or HTTPS, the range is 200-499" (the ALB's target
    // groups are HTTP).
    {"matcher", STRING, DEF_STRING("200"), .pattern = "^[2-4][0-9]{2}(-[2-4][0-9]{2})?(,[2-4][0-9]{2}(-[2-4][0-9]{2})?)*$",
     .pattern_doc = "HTTP codes from 200 to 499 such as 200, 200,302 or 200-299",
     .doc = "HTTP codes that mean healthy"},
    END,
};

static const SchemaBlock health_check_block = {
    "health_check", 0, NULL, .attrs = health_check_attrs,
    .doc = "the load balancer's health check of the service's targets",
};

static const SchemaAttr route_attrs[] = {
    // Listener rules: at most 5 condition values, each at most 128 characters
    // (ELB User Guide, "Listener rules for your Application Load Balancer").
    {"paths", LIST(T_STRING), RANGE(1, 5), .pattern = "^/[^ ]{0,127}$",
     .pattern_doc = "a path pattern starting with /, at most 128 characters",
     .doc = "path patterns such as /api/*"},
    // ELB API Reference, HostHeaderConditionConfig (Terraform's host_header):
    // "You must include at least one \".\" character. You can include only
    // alphabetical characters after the final \".\" character"; RuleCondition:
    // A-Z, a-z, 0-9, - . * ?, up to 128 characters.
    {"hosts", LIST(T_STRING), RANGE(1, 5), .pattern = "^(?=.{1,128}$)[A-Za-z0-9*?.-]*\\.[A-Za-z]+$",
     .pattern_doc = "a host name pattern such as api.example.com or *.example.com, ending in a "
                    "dot and letters",
     .doc = "host header patterns"},
    // Rule priorities are 1-50000 (ELB API Reference, "CreateRule").
    {"priority", INT, RANGE(1, 50000), DEF_PROSE("from 1000, by specificity and name"),
     .doc = "listener rule priority; lower wins"},
    {"deregistration_delay", DURATION, DEF_DURATION(30 * SEC), RANGE(0, 3600 * SEC), .range_code = E0526,
     .doc = "how long a stopping target keeps its connections"},
    {"container", STRING, .pattern = "^[a-zA-Z0-9_-]{1,255}$",
     .pattern_doc = "a container name: letters, digits, hyphens and underscores",
     DEF_PROSE("the service's own container, else the one container with a port"),
     .doc = "the container the load balancer sends the traffic to"},
    END,
};

static const SchemaBlock *const route_blocks[] = {&health_check_block, NULL};

static const SchemaBlock route_block = {
    "route", 0, NULL, .attrs = route_attrs, .blocks = route_blocks,
    .doc = "traffic from the environment's load balancer: a target group and a listener rule",
};

static const char *const deployment_strategies[] = {"rolling", "blue-green", "canary", "linear",
                                                     NULL};

static const SchemaAttr deployment_attrs[] = {
    // Deployment configuration of a replica service's rolling update. The ECS
    // API Reference ("DeploymentConfiguration",
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html)
    // and the Developer Guide ("Deploy Amazon ECS services by replacing
    // tasks") give the defaults, 100 % and 200 %, and the rounding, and type
    // maximumPercent "Integer" with no bound; the one refusal on record,
    // ECS's "The daemon scheduling strategy does not support values above
    // 100 for maximumPercent" (InvalidParameterException, aws/aws-cdk#2209),
    // is not for ecsc's replica services. So max_percent
    // goes up to the Integer's largest (ECS starts at most the count beside
    // the old tasks, so above 200 % it runs as 200 %: model_surge_percent).
    // min_healthy 0-100 % and max_percent from 100 % are ecsc's own bounds.
    {"min_healthy", PERCENT, DEF_PERCENT(100), RANGE(0, 100), .range_code = E0530,
     .doc = "share of tasks kept running during a rolling deployment"},
    {"max_percent", PERCENT, DEF_PERCENT(200), RANGE(100, 2147483647), .range_code = E0530,
     .doc = "share of tasks that may run during a rolling deployment (above 200% as 200%: ECS "
            "starts at most the count beside the old tasks)"},
    {"circuit_breaker", BOOL, DEF_BOOL(true),
     .doc = "stop a failing deployment and roll back to the last good one"},
    // Deployment alarms (ECS API Reference, DeploymentAlarms; check_deployment.c,
    // E1094-E1095). CloudWatch API Reference, PutMetricAlarm: AlarmName, "Minimum
    // length of 1. Maximum length of 255", "The name must contain only
    // UTF-8 characters, and can't contain ASCII control characters".
    {"alarms", LIST(T_STRING), RANGE(0, 100), .pattern = "^[^\\x{00}-\\x{1f}\\x{7f}]{1,255}$",
     .pattern_doc = "a CloudWatch alarm name: 1 to 255 characters, no control characters",
     // 100: a sanity bound (AWS documents none); an empty list in an `in`
     // block takes the service's away.
     .doc = "existing CloudWatch alarms: the deployment fails when one goes into ALARM "
            "(alarms made elsewhere, in the environment's account and region)"},
    {"alarm_rollback", BOOL, DEF_BOOL(true), .only_with = "alarms",
     .doc = "roll a deployment the alarms failed back to the last completed one"},
    // The deployment strategy (ECS API Reference, DeploymentConfiguration:
    // strategy, "ROLLING" by default, BLUE_GREEN, LINEAR or CANARY;
    // bakeTimeInMinutes, "You must provide this parameter when you use the
    // BLUE_GREEN deployment strategy"; the provider validates it 0-1440,
    // terraform-provider-aws internal/service/ecs/service.go). Behind the
    // load balancer ECS shifts the traffic itself, with the second target
    // group, the listener rule's weights and the role emit_tf_service.c makes, and
    // in Service Connect through its proxies; canary and linear need one of
    // the two (check_deployment.c, E1172-E1179).
    {"strategy", ENUM(deployment_strategies), DEF_STRING("rolling"),
     .doc = "how ECS replaces the tasks: rolling (a batch at a time), blue-green (a new set "
            "beside the old, all traffic moved at once), canary (canary_percent of the traffic "
            "first, the rest after canary_bake) or linear (linear_step of the traffic each "
            "linear_bake)"},
    {"bake", DURATION, DEF_PROSE("none: blue-green, canary and linear need one"),
     RANGE(0, 1440 * MIN), .range_code = E1172,
     .doc = "blue-green, canary, linear: how long the old tasks keep running once all the "
            "traffic is on the new ones, before they stop (whole minutes)"},
    // CanaryConfiguration and LinearConfiguration (ECS API Reference):
    // canaryPercent, a Double, "Valid values are multiples of 0.1 from 0.1
    // to 100.0. The default value is 5.0"; canaryBakeTimeInMinutes "0 to
    // 1440 minutes", default 10; stepPercent, a Double, "multiples of 0.1
    // from 3.0 to 100.0", default 10.0; stepBakeTimeInMinutes "0 to 1440
    // minutes", default 6. The provider takes both percentages as floats
    // (canary_percent FloatBetween(0.1, 100.0), step_percent
    // FloatBetween(3.0, 100.0): terraform-provider-aws
    // internal/service/ecs/service.go). ecsc takes them in tenths of a
    // percent, 2.5%, as AWS does: the ranges and defaults count tenths.
    {"canary_percent", PERCENT, DEF_PERCENT(50), RANGE(1, 1000), .tenths = true,
     .range_code = E1175,
     .doc = "canary: the share of the traffic the new tasks get first (tenths of a percent "
            "allowed, 2.5%)"},
    {"canary_bake", DURATION, DEF_DURATION(10 * MIN), RANGE(0, 1440 * MIN), .range_code = E1172,
     .doc = "canary: how long the canary share runs before the rest of the traffic moves "
            "(whole minutes)"},
    {"linear_step", PERCENT, DEF_PERCENT(100), RANGE(30, 1000), .tenths = true,
     .range_code = E1176,
     .doc = "linear: the share of the traffic moved to the new tasks at each step (tenths of "
            "a percent allowed, 7.5%)"},
    {"linear_bake", DURATION, DEF_DURATION(6 * MIN), RANGE(0, 1440 * MIN), .range_code = E1172,
     .doc = "linear: how long each step runs before the next (whole minutes)"},
    END,
};

static const SchemaBlock deployment_block = {
    "deployment", 0, NULL, .attrs = deployment_attrs,
    .doc = "how ECS replaces tasks when the service changes",
};

static const SchemaAttr logs_attrs[] = {
    {"retention", DURATION, DEF_DURATION(30 * DAY), RANGE(1 * DAY, 3653 * DAY), .range_code = E0527,
     .doc = "how long CloudWatch keeps the log events"},
    {"stream_prefix", STRING, DEF_PROSE("the service name"), .pattern = "^[^:*]{1,512}$",
     .pattern_doc = "at most 512 characters, without : or *", .doc = "log stream name prefix"},
    END,
};

static const SchemaBlock logs_block = {
    "logs", 0, NULL, .attrs = logs_attrs,
    .doc = "the service's CloudWatch log group",
};

static const SchemaAttr grant_attrs[] = {
    {"actions", LIST(T_STRING), .required = true, RANGE(1, 100),
     .pattern = "^[a-z0-9-]+:[A-Za-z0-9*?]+$", .pattern_doc = "an IAM action such as s3:GetObject",
     .doc = "IAM actions the service's task role may perform"},
    {"resources", LIST(T_STRING), .required = true, RANGE(1, 100),
     .pattern = "^(\\*|arn:.+)$", .pattern_doc = "an ARN or *", .doc = "ARNs they apply to"},
    END,
};

static const SchemaBlock grant_block = {
    "grant", 0, NULL, .repeatable = true, .attrs = grant_attrs,
    .doc = "a permission of the service's task role, beyond what ecsc derives",
};

// Application Auto Scaling API Reference, PutScheduledAction, Timezone:
// "the canonical names of the IANA time zones supported by Joda-Time";
// std/aws/timezones lists them (compiler/gen/timezones.py), check_scaling.c
// reads a schedule's timezone against them (E1202, W1200).
#define TIMEZONE_FORM "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"

// Service auto scaling: Application Auto Scaling's scalable target over the
// service's desired count (ecs:service:DesiredCount), target tracking
// policies and scheduled actions (Application Auto Scaling API Reference,
// RegisterScalableTarget, PutScalingPolicy, PutScheduledAction).
static const SchemaAttr schedule_attrs[] = {
    // check_scaling.c checks the fields (E0953).
    {"cron", STRING, .required = true,
     .doc = "when: six fields, minutes hours day-of-month month day-of-week year, such as "
            "\"0 22 ? * MON-FRI *\" (EventBridge's cron syntax)"},
    // check_scaling.c checks it against std/aws/timezones (E1202, W1200).
    {"timezone", STRING, .pattern = TIMEZONE_FORM,
     .pattern_doc = "an IANA time zone such as Europe/Paris or Etc/GMT+9",
     DEF_PROSE("UTC"),
     .doc = "the time zone the fields are read in: a canonical name of std/aws/timezones"},
    {"min", INT, RANGE(0, MAX_TASKS), DEF_PROSE("unchanged"), .doc = "the scaling's new minimum"},
    {"max", INT, RANGE(0, MAX_TASKS), DEF_PROSE("unchanged"), .doc = "the scaling's new maximum"},
    END,
};

static const SchemaBlock schedule_block = {
    // check_names.c: a Terraform name (E0554), and FAMILY-NAME a
    // ScheduledActionName (E1200).
    "schedule", 1,
    "the scheduled action's name, such as \"nightly\" or \"at-10pm\": it starts with a letter "
    "or _ and holds letters, digits, _, . and -", .repeatable = true,
    .attrs = schedule_attrs,
    .doc = "a scheduled action: from its time on, the scaling's min and max are these "
           "(a bound a schedule sets is then the schedules', not the next apply's: see "
           "\"Scaling and its schedules\")",
};

static const SchemaAttr scaling_attrs[] = {
    // As count: above 5,000 (Tasks per service) W1123 warns (MAX_TASKS).
    {"min", INT, .required = true, RANGE(0, MAX_TASKS), .doc = "fewest tasks the scaling leaves"},
    {"max", INT, .required = true, RANGE(0, MAX_TASKS), .doc = "most tasks the scaling starts"},
    // The targets of ECSServiceAverageCPUUtilization and
    // ECSServiceAverageMemoryUtilization: TargetValue is a Double, "in the
    // range of -2^360 to 2^360" and "a valid number based on the choice of
    // metric ... a percent value" (Application Auto Scaling API Reference,
    // TargetTrackingScalingPolicyConfiguration; botocore's MetricScale,
    // "double"); the provider's target_value is a number (provider 6.25's
    // schema), a TypeFloat without a ValidateFunc in the copies of
    // terraform-provider-aws appautoscaling/policy.go ecsc's authors read
    // (SDK v1 era: whether a later one validates it is unknown). ecsc
    // takes them in tenths of a percent, 70.5%, as deployment percentages
    // (the ranges count tenths, up to the int that holds them), from 0.1%:
    // a policy scales out "when the specified metric is above the target
    // value" (ECS Developer Guide, "Target tracking scaling policies"), so
    // 0% or less would scale out on any use at all. Above 100% only where
    // the metric goes there, and no higher than it can: check_scaling.c
    // (E1143, E1217; W1144 at 100% where it cannot pass it).
    {"cpu", PERCENT, RANGE(1, 2147483647), .tenths = true, .range_code = E1143,
     .doc = "keep the service's average CPU use near this (ECSServiceAverageCPUUtilization; "
            "tenths of a percent allowed, 70.5%; above 100% only with container cpu on EC2)"},
    {"memory", PERCENT, RANGE(1, 2147483647), .tenths = true, .range_code = E1143,
     .doc = "keep the service's average memory use near this "
            "(ECSServiceAverageMemoryUtilization; tenths of a percent allowed, 62.5%; above "
            "100% only with a memory_reservation below the memory)"},
    // ALBRequestCountPerTarget's target is the same Double ("the optimal
    // average request count per target during any one-minute interval",
    // TargetValue above), but ecsc reads a decimal only as a percentage in
    // tenths (literal.c, tenths_percent): a bare 1000.5 is E0107, and no
    // literal reads it as a count. So whole requests, from 1: a target
    // below one request a minute per task cannot be written.
    {"requests_per_target", INT, RANGE(1, 1000000),
     .doc = "keep the load balancer's requests per task per minute near this "
            "(ALBRequestCountPerTarget); needs a route"},
    // Application Auto Scaling API Reference, TargetTrackingScalingPolicyConfiguration:
    // 300 seconds for ECS services unless given; the upper bound is a sanity bound.
    {"scale_in_cooldown", DURATION, DEF_DURATION(300 * SEC), RANGE(0, 86400 * SEC),
     .doc = "time after a scale-in before the next scale-in"},
    {"scale_out_cooldown", DURATION, DEF_DURATION(300 * SEC), RANGE(0, 86400 * SEC),
     .doc = "time after a scale-out before the next scale-out"},
    END,
};

static const SchemaBlock *const scaling_blocks[] = {&schedule_block, NULL};

static const SchemaBlock scaling_block = {
    "scaling", 0, NULL, .attrs = scaling_attrs, .blocks = scaling_blocks,
    .doc = "service auto scaling: the count moves between min and max with the load and the "
           "schedules; count is then the first count only",
};

// Service Connect: the tasks join the environment's Cloud Map namespace (an
// HTTP namespace the VPC state makes, named after the environment's prefix)
// and, with a port_name, serve one container's port in it. Patterns from
// the ECS API Reference: PortMapping name and ServiceConnectService
// discoveryName "up to 64 characters ... lowercase letters, numbers,
// underscores (_), and hyphens (-). The name can't start with a hyphen";
// ServiceConnectClientAlias dnsName "up to 127 characters ... lowercase
// letters, numbers, underscores (_), hyphens (-), and periods (.)", port
// "Minimum value of 0. Maximum value of 65535"; PortMapping appProtocol
// (ApplicationProtocol: http, http2, grpc, in the ECS API model).
// check_connect.c checks the rest (E1020-E1024).
static const char *const connect_name = "^[a-z0-9_][a-z0-9_-]{0,63}$";
static const char *const connect_name_doc =
    "at most 64 lowercase letters, digits, _ and -, not starting with -";
static const char *const app_protocols[] = {"http", "http2", "grpc", NULL};

static const SchemaAttr client_alias_attrs[] = {
    {"port", INT, RANGE(0, 65535), DEF_PROSE("the served container's port"),
     .doc = "the port clients connect to, on every task of the namespace"},
    {"dns_name", STRING, .pattern = "^[a-z0-9_.][a-z0-9_.-]{0,126}$",
     .pattern_doc = "at most 127 lowercase letters, digits, _ - and ., not starting with -",
     DEF_PROSE("`discovery_name`"), .doc = "the name clients connect to"},
    END,
};

static const SchemaBlock client_alias_block = {
    "client_alias", 0, NULL, .attrs = client_alias_attrs,
    .doc = "the name and port clients of the namespace reach the service by (one per service, "
           "as ECS allows)",
};

static const SchemaAttr connect_attrs[] = {
    {"port_name", STRING, .pattern = connect_name, .pattern_doc = connect_name_doc,
     .doc = "serve a container's port in the namespace under this name (its port mapping's); "
            "without it the service is a client only"},
    {"container", STRING, .pattern = "^[a-zA-Z0-9_-]{1,255}$",
     .pattern_doc = "a container name: letters, digits, hyphens and underscores",
     DEF_PROSE("the one container listening on `port` when it is given, else the service's own "
               "container, else the one container with a port"),
     .doc = "the container whose port is served"},
    {"port", INT, RANGE(1, 65535), .range_code = E0520, DEF_PROSE("the container's `port`"),
     .doc = "the port served: the container's port or one of its ports"},
    {"discovery_name", STRING, .pattern = connect_name, .pattern_doc = connect_name_doc,
     DEF_PROSE("the service's name, lowercased"),
     .doc = "the Cloud Map service's name, unique in the environment's namespace; clients "
            "reach the service at http://DISCOVERY_NAME:PORT unless client_alias says otherwise"},
    {"app_protocol", ENUM(app_protocols),
     .doc = "the port's application protocol, for the proxy's handling and metrics; plain "
            "TCP when absent"},
    END,
};

static const SchemaBlock *const connect_blocks[] = {&client_alias_block, NULL};

// One block per service, though ECS takes several: a service's
// serviceConnectConfiguration.services is a list, "names and aliases (also
// known as endpoints) that are used by other Amazon ECS services to connect
// to this service", each of which "selects a port from the task definition"
// (ECS API Reference, ServiceConnectConfiguration), and the provider's
// service_connect_configuration.service block is a list with no maximum
// (aws-provider-schema.json, aws_ecs_service). ecsc's block is one of them:
// one named port mapping (emit_taskdef.c), one ingress rule, and the
// checks of check_connect.c, so a second block is E1244, not E0305.
static const SchemaBlock connect_block = {
    "connect", 0, NULL, .attrs = connect_attrs, .blocks = connect_blocks,
    .doc = "Service Connect: the tasks reach the environment's services by their aliases "
           "through ECS's proxy, and with a port_name serve a port there. ECS adds the proxy "
           "to each task, which needs a task memory above its containers' (AWS recommends 256 "
           "CPU units and 64 MiB left for it); it logs to the service's group. One per "
           "service: ECS serves several ports of a service, ecsc one (E1244)",
    .twice_code = E1244,
    .twice_help = "ecsc serves one port of a service with Service Connect (ECS takes several): "
                  "keep one connect block, the port its clients need",
};

// Task size (ECS API Reference, RegisterTaskDefinition: cpu, "between 128
// CPU units (0.125 vCPUs) and 196608 CPU units (192 vCPUs)" on EC2; memory;
// ephemeralStorage, Fargate's, from fargate_sizes.h). On Fargate only the
// combinations of fargate_sizes.h (check_fargate.c, E0962).
#define FARGATE_SIZE(cpu, memory, platform)
#include "fargate_sizes.h"
#undef FARGATE_SIZE

static const SchemaAttr task_attrs[] = {
    {"cpu", INT, RANGE(128, 196608), .doc = "CPU units of the whole task (1024 per vCPU)"},
    {"memory", SIZE, RANGE(6 * MIB, 1024 * GIB),
     .doc = "memory of the whole task; with it, no container needs a memory of its own (the "
            "service's own included)"},
    {"ephemeral_storage", SIZE,
     RANGE(FARGATE_STORAGE_MIN_GIB * GIB, FARGATE_STORAGE_MAX_GIB * GIB),
     .doc = "Fargate only: the size of the task's ephemeral storage"},
    END,
};

static const SchemaBlock task_block = {
    "task", 0, NULL, .attrs = task_attrs,
    .doc = "the task's size: on Fargate required, one of the combinations Fargate offers",
};

static const char *const capacities[] = {"ec2", "fargate", "fargate_spot", NULL};
static const char *const cluster_kind[] = {"cluster", NULL};
static const char *const parameter_kind[] = {"parameter", "secret", NULL};
static const char *const template_kind[] = {"template", NULL};
static const char *const network_modes[] = {"bridge", "awsvpc", "host", NULL};
// POSIX environment variable names: what a shell or a program can read back.
static const char *const env_name = "^[A-Za-z_][A-Za-z0-9_]*$";
static const char *const env_name_doc = "a variable name: letters, digits and _, not starting "
                                        "with a digit";

static const char *const depend_conditions[] = {"START", "COMPLETE", "SUCCESS", "HEALTHY", NULL};
// ECS API Reference, "ContainerDefinition": name, up to 255 letters,
// numbers, hyphens and underscores (dependsOn names containers so).
static const char *const container_name = "^[a-zA-Z0-9_-]{1,255}$";

// A container's settings: a service's own (its main container, the short
// form) and those of each `container "NAME"` block beside it. A sidecar's
// memory is not required as such: it needs memory or memory_reservation
// (ECS API Reference, "ContainerDefinition": with the EC2 launch type "you
// must specify either a task-level memory value or a container-level memory
// value"), checked after merging (E0906).
#define CONTAINER_ATTRS(memory_required)                                                           \
  {"image", STRING, .required = true, .pattern = "^[^ ]{1,255}$",                                  \
   .pattern_doc = "an image reference without spaces, at most 255 characters",                     \
   .doc = "container image, such as an ECR repository URL with a tag"},                            \
  /* ECS API Reference, ContainerDefinition, cpu: no bound of its own beyond                       \
     the task's (E0966); "the maximum valid CPU share value that the Linux                         \
     kernel allows is 262144", and the agent passes more as 262144. */                             \
  {"cpu", INT, RANGE(0, 262144), .doc = "CPU units reserved for the container (1024 per vCPU)"},   \
  /* Container memory: at least 6 MiB (ECS API Reference, "ContainerDefinition"). */               \
  {"memory", SIZE, .required = (memory_required), RANGE(6 * MIB, 1024 * GIB), .range_code = E0521, \
   .doc = "hard memory limit: the container is killed above it"},                                  \
  {"memory_reservation", SIZE, RANGE(6 * MIB, 1024 * GIB), .range_code = E0521,                    \
   .doc = "soft limit the scheduler reserves on the instance"},                                    \
  /* Ports (ECS API Reference, "PortMapping"). */                                                  \
  {"port", INT, RANGE(1, 65535), .range_code = E0520, .doc = "the port the container listens on"}, \
  {"host_port", INT, RANGE(0, 65535), .range_code = E0520, DEF_INT(0),                             \
   .doc = "a fixed port on the instance; 0 picks one from the dynamic range"},                     \
  /* Further ports (PortMapping too): check_containers.c, E0905. */                               \
  {"ports", LIST(T_INT), EACH(1, 65535), .range_code = E0520,                                      \
   .doc = "further TCP ports the container listens on (metrics, admin), each mapped as port is "  \
          "(in bridge mode to a dynamic host port); never routed, open to nothing unless "         \
          "connect serves one"},                                                                   \
  /* ECS API Reference, ContainerDefinition, stopTimeout (Type: Integer,                          \
     seconds): "For tasks that use the Fargate launch type, the max stop                           \
     timeout value is 120 seconds" (check_fargate.c, E1120); on EC2 only the                       \
     Integer bounds it, the agent's ECS_CONTAINER_STOP_TIMEOUT being the                           \
     default when it is not set.                                                                   \
     https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html */     \
  {"stop_timeout", DURATION, DEF_DURATION(30 * SEC), RANGE(0, 2147483647 * SEC),                   \
   .doc = "time between SIGTERM and SIGKILL when a task stops (on Fargate at most 120s)"},         \
  {"command", LIST(T_STRING), .doc = "arguments that replace the image's CMD"},                    \
  {"entrypoint", LIST(T_STRING), .doc = "replaces the image's ENTRYPOINT"},                        \
  {"user", STRING, .doc = "user (and group) the container runs as; a FireLens router's is \"0\" "      \
                           "(written when not set, as ECS stores it)"},                          \
  {"env", MAP(T_STRING), .key_pattern = env_name, .key_doc = env_name_doc,                         \
   .doc = "plain environment variables"},                                                          \
  {"secrets", MAP_REF(parameter_kind), .key_pattern = env_name, .key_doc = env_name_doc,           \
   .doc = "environment variables read from parameters or secrets at start-up"},                    \
  /* ECS API Reference, EnvironmentFile (botocore's ecs service-2.json): "You */                   \
  /* can specify up to ten environment files. The file must have a .env file */                    \
  /* extension"; its value is "The Amazon Resource Name (ARN) of the Amazon S3 */                  \
  /* object containing the environment variable file". */                                          \
  {"env_files", LIST(T_STRING), RANGE(1, 10),                                                      \
   .pattern = "^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^ ]*\\.env$",                   \
   .pattern_doc = "an S3 object ARN ending in .env, such as arn:aws:s3:::bucket/app.env",          \
   .doc = "files of VAR=value lines in S3, read at start-up"},                                     \
  /* ECS API Reference, "ContainerDefinition": essential, dependsOn, */                            \
  /* readonlyRootFilesystem, workingDirectory; "LinuxParameters": initProcessEnabled. */           \
  {"essential", BOOL, DEF_BOOL(true),                                                              \
   .doc = "the task stops when this container stops; at least one container is essential"},        \
  {"depends_on", {T_MAP, T_ENUM, depend_conditions}, .key_pattern = container_name,                \
   .key_doc = "a container name: letters, digits, hyphens and underscores",                        \
   .doc = "containers this one waits for, and for what: START, COMPLETE, SUCCESS or HEALTHY"},     \
  /* ECS API Reference, "ContainerDefinition": links, bridge networking only */                     \
  /* (check_containers.c, E0954-E0956). */                                                          \
  {"links", LIST(T_STRING), .pattern = container_name,                                             \
   .pattern_doc = "a container name: letters, digits, hyphens and underscores",                    \
   .doc = "bridge networking: containers of the task this one reaches by their names (each "       \
          "starts before it)"},                                                                    \
  {"read_only_root", BOOL, DEF_BOOL(false), .doc = "mount the container's root file system read-only"}, \
  {"init", BOOL, DEF_BOOL(false),                                                                  \
   .doc = "run an init process as PID 1 that forwards signals and reaps zombies; unwritten, on "   \
          "in a service with exec = true (AWS recommends it for ECS Exec's processes)"},          \
  {"working_directory", STRING, .pattern = "^/.{0,4095}$", .pattern_doc = "an absolute path",      \
   .doc = "directory the command runs in"}

// Existing security groups (check_groups.c: E1090-E1092). Security group
// ids: sg- then 8 or 17 hexadecimal characters (Amazon EC2 User Guide,
// "Resource IDs"; the form AWS's API models give, e.g. WorkSpaces'
// WorkspaceCreationProperties CustomSecurityGroupId:
// ^(sg-([0-9a-f]{8}|[0-9a-f]{17}))$). ECS API Reference,
// AwsVpcConfiguration: securityGroups, "There's a limit of 5 security
// groups that can be specified", the group ecsc makes for the tasks
// included (E1091); an empty list in an `in` block takes the service's
// away. AZ rebalancing (check_deployment.c: E1093): CreateService,
// availabilityZoneRebalancing, ENABLED or DISABLED; unwritten, ECS enables
// it on a new service that allows it (emit_tf_service.c writes DISABLED where
// max_percent is 100%: tf_az_rebalancing).
static const char *const security_group_form = "^sg-([0-9a-f]{8}|[0-9a-f]{17})$";

#define SERVICE_NETWORK_ATTRS                                                                      \
  {"security_groups", LIST(T_STRING), RANGE(0, 5), .pattern = security_group_form,                 \
   .pattern_doc = "a security group id such as sg-0a1b2c3d4e5f67890",                              \
   .doc = "awsvpc: existing security groups the tasks' interfaces join beside the one ecsc "       \
          "makes for them (at most 4 more: AWS allows 5)"},                                        \
  {"availability_zone_rebalancing", BOOL,                                                          \
   DEF_PROSE("ECS's (on for a new service, unchanged on an update); off with "                     \
             "max_percent 100%"),                                                                  \
   .doc = "ECS moves tasks to even out the zones when they are unbalanced; not with "              \
          "deployment max_percent 100%"}

#define SERVICE_ATTRS                                                                              \
  {"cluster", REF(cluster_kind), .required = true, .doc = "the cluster the service runs on"},      \
  /* desiredCount is 0 or more (ECS API Reference, CreateService); above                          \
     the adjustable quota "Tasks per service", 5,000 by default, W1123                             \
     warns (check.c); MAX_TASKS is ecsc's own bound. */                                            \
  {"count", INT, DEF_INT(1), RANGE(0, MAX_TASKS), .range_code = E0532,                             \
   .doc = "desired number of tasks (with scaling, the first; then scaling.min by default)"},       \
  {"network_mode", ENUM(network_modes), DEF_STRING("bridge"), .doc = "Docker networking mode"},    \
  /* ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec". */                         \
  {"exec", BOOL, DEF_BOOL(false),                                                                  \
   .doc = "ECS Exec: aws ecs execute-command may open a shell in the service's containers; "      \
          "the task role opens its channels and logs each session to the service's log group"},    \
  CONTAINER_ATTRS(true),                                                                           \
  {"capacity", ENUM(capacities), DEF_STRING("ec2"),                                                \
   .doc = "where the tasks run: the cluster's instances, Fargate or Fargate Spot"},                 \
  /* ECS API Reference, CreateService: platformVersion, for Fargate only; the */                  \
  /* versions Fargate still runs: check_fargate.c (E0963, E1220). */                               \
  {"platform_version", STRING, DEF_STRING("LATEST"), .pattern = "^(LATEST|[0-9]+\\.[0-9]+\\.[0-9]+)$", \
   .pattern_doc = "LATEST or a version such as 1.4.0",                                             \
   .doc = "the Fargate Linux platform version the tasks run on: 1.4.0, or LATEST (1.4.0); "       \
          "AWS deprecated 1.0.0 to 1.2.0 and retired 1.3.0"},                                      \
  /* ECS API Reference, AwsVpcConfiguration: assignPublicIp (check_connect.c). */                  \
  {"assign_public_ip", BOOL, DEF_BOOL(false),                                                      \
   .doc = "awsvpc on Fargate: the tasks' interfaces in the public subnets, each with a public "    \
          "address (the way out without NAT)"},                                                   \
  SERVICE_NETWORK_ATTRS


// ECS API Reference, "Ulimit": the names of UlimitName; soft and hard limits.
static const SchemaAttr ulimit_attrs[] = {
    {"soft", INT, .required = true, RANGE(0, 2147483647), .doc = "the soft limit"},
    {"hard", INT, .required = true, RANGE(0, 2147483647), .doc = "the hard limit, at least the soft one"},
    END,
};

static const SchemaBlock ulimit_block = {
    "ulimit", 1, "the resource: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, "
    "nproc, rss, rtprio, rttime, sigpending or stack", .repeatable = true, .attrs = ulimit_attrs,
    .doc = "a resource limit of the container's processes",
};

//
// Volumes: volume "NAME" { efs { } | docker { } | ebs { } } in a service, mount "NAME"
// { } in its containers (check_volumes.c judges them)
//

// EFS ids (Amazon EFS API Reference, DescribeAccessPoints: FileSystemId
// ^(arn:...:file-system/fs-[0-9a-f]{8,40}|fs-[0-9a-f]{8,40})$ and
// AccessPointId likewise with fsap-): ECS takes the ids, and IAM's ARNs are
// built from them, so the id form alone.
static const SchemaAttr efs_attrs[] = {
    {"file_system_id", STRING, .required = true, .pattern = "^fs-[0-9a-f]{8,40}$",
     .pattern_doc = "an EFS file system id such as fs-0123456789abcdef0",
     .doc = "the EFS file system"},
    {"access_point_id", STRING, .pattern = "^fsap-[0-9a-f]{8,40}$",
     .pattern_doc = "an EFS access point id such as fsap-0123456789abcdef0",
     .doc = "mount through this access point, with its user and directory"},
    {"root_directory", STRING, .pattern = "^/.{0,4095}$", .pattern_doc = "an absolute path",
     DEF_PROSE("the file system's root, or the access point's directory"),
     .doc = "the directory of the file system the volume is"},
    {"transit_encryption", BOOL, DEF_BOOL(true),
     .doc = "TLS between the task and EFS; needed by access_point_id and iam"},
    {"iam", BOOL, DEF_BOOL(false),
     .doc = "mount with the task role: ecsc grants it elasticfilesystem:ClientMount, and "
            "ClientWrite unless every mount is read-only"},
    {"root_access", BOOL, DEF_BOOL(false),
     .doc = "with iam: grant elasticfilesystem:ClientRootAccess too (root keeps its identity)"},
    // ECS API Reference, "EFSVolumeConfiguration": transitEncryptionPort,
    // "If you do not specify a transit encryption port, it will use the port
    // selection strategy that the Amazon EFS mount helper uses"; a TCP port.
    {"transit_encryption_port", INT, RANGE(1, 65535),
     DEF_PROSE("the EFS mount helper's choice"),
     .doc = "with transit_encryption: the local port the TLS tunnel to EFS uses"},
    END,
};

static const SchemaBlock efs_block = {
    "efs", 0, NULL, .attrs = efs_attrs,
    .doc = "the volume is an Amazon EFS file system",
};

static const char *const docker_scopes[] = {"task", "shared", NULL};

static const SchemaAttr docker_attrs[] = {
    {"scope", ENUM(docker_scopes), DEF_STRING("task"),
     .doc = "task: made and removed with each task; shared: kept on the instance"},
    {"autoprovision", BOOL, DEF_BOOL(false),
     .doc = "with scope shared: create the volume when it does not exist"},
    {"driver", STRING, .pattern = "^[^ ]{1,255}$", .pattern_doc = "a Docker volume driver's name",
     DEF_PROSE("Docker's local driver"), .doc = "the Docker volume driver"},
    {"driver_opts", MAP(T_STRING), .doc = "options passed to the driver"},
    {"labels", MAP(T_STRING), .doc = "labels of the Docker volume"},
    END,
};

static const SchemaBlock docker_block = {
    "docker", 0, NULL, .attrs = docker_attrs,
    .doc = "the volume is a Docker volume (instances only, not Fargate)",
};

// ebs { }: an Amazon EBS volume ECS creates for each task of the service
// and deletes with it (ECS API Reference, "ServiceManagedEBSVolumeConfiguration",
// each field "maps 1:1" with EC2's CreateVolume). Its types and the ranges
// every type shares are ebs_limits.h's, generated from that documentation;
// those of one type are check_volumes.c's (E1082-E1086). Throughput's least:
// EC2 API Reference, CreateVolume: Throughput, "Valid Range: Minimum value of
// 125".
#include "ebs_limits.h"

static const char *const ebs_volume_types[] = {
#define EBS_TYPE(type, ...) type,
#include "ebs_limits.h"
#undef EBS_TYPE
    NULL,
};

// filesystemType: "The available Linux filesystem types are ext3, ext4,
// and xfs. If no value is specified, the xfs filesystem type is used".
static const char *const ebs_filesystems[] = {"xfs", "ext4", "ext3", NULL};

static const SchemaAttr ebs_attrs[] = {
    {"size", SIZE, RANGE(EBS_SIZE_MIN_GIB * GIB, EBS_SIZE_MAX_GIB * GIB),
     DEF_PROSE("the snapshot's size"),
     .doc = "the size of each task's volume, in whole GiB; required without snapshot_id"},
    {"type", ENUM(ebs_volume_types), DEF_STRING("gp3"), .doc = "the EBS volume type"},
    {"iops", INT, RANGE(EBS_IOPS_MIN, EBS_IOPS_MAX), DEF_PROSE("the type's (3000 for gp3)"),
     .doc = "provisioned I/O operations per second: gp3, io1 and io2 (required for io1 and io2)"},
    {"throughput", INT, RANGE(125, EBS_THROUGHPUT_MAX), DEF_PROSE("the type's baseline"),
     .doc = "provisioned throughput in MiB/s: gp3 only"},
    {"filesystem", ENUM(ebs_filesystems), DEF_STRING("xfs"),
     .doc = "the file system ECS makes on a new volume (a snapshot's must match it)"},
    {"encrypted", BOOL, DEF_BOOL(true), .doc = "encrypt the volume (with kms_key, or EBS's key)"},
    // kmsKeyId: "The Amazon Resource Name (ARN) identifier of the AWS Key
    // Management Service key": the key's ARN, which IAM grants name.
    {"kms_key", STRING, .pattern = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]{1,128}$",
     .pattern_doc = "a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-...",
     DEF_PROSE("an encrypted snapshot's key, else EBS's default key; the plan requires it to "
               "be AWS managed"),
     .doc = "a customer managed key to encrypt with: ecsc grants the infrastructure role its use"},
    // EC2 resource ids: "snap-" and 8 or 17 hexadecimal characters (Amazon
    // EC2 User Guide, "Resource IDs").
    {"snapshot_id", STRING, .pattern = "^snap-([0-9a-f]{8}|[0-9a-f]{17})$",
     .pattern_doc = "an EBS snapshot id such as snap-0123456789abcdef0",
     DEF_PROSE("none: a new, empty volume"), .doc = "create each task's volume from this snapshot"},
    // tagSpecifications: one EBSTagSpecification, its propagateTags. ECS API
    // Reference, EBSTagSpecification: resourceType's only valid value is
    // "volume", and propagateTags is one value ("TASK_DEFINITION | SERVICE
    // | NONE"): one source. Of two specifications ECS uses the first only
    // ("This is undocumented behavior, but AWS support confirmed",
    // kayac/ecspresso#661), so a second source would be silently dropped.
    {"propagate_tags", LIST(T_STRING), RANGE(0, 1), .pattern = "^(service|task_definition)$",
     .pattern_doc = "\"service\" or \"task_definition\"", DEF_PROSE("[\"service\"]"),
     .doc = "tag the volumes with the service's tags or the task definition's"},
    END,
};

static const SchemaBlock ebs_block = {
    "ebs", 0, NULL, .attrs = ebs_attrs,
    .doc = "the volume is an Amazon EBS volume ECS creates for each task (configured at launch) "
           "and deletes with it",
};

static const SchemaBlock *const volume_blocks[] = {&efs_block, &docker_block, &ebs_block, NULL};

// ECS API Reference, "HostVolumeProperties": sourcePath, "the path on the
// host container instance that's presented to the container"; "If you're
// using the Fargate launch type, the sourcePath parameter is not
// supported" (check_volumes.c, E0921). The path is the instance's, so
// absolute.
static const SchemaAttr volume_attrs[] = {
    {"host_path", STRING, .pattern = "^/.{0,4095}$", .pattern_doc = "an absolute path",
     DEF_PROSE("none: the task's own scratch space"),
     .doc = "on instances only: bind this directory of the instance, which outlives the task"},
    END,
};

static const SchemaBlock volume_block = {
    "volume", 1, "the volume's name, as mounts name it", .repeatable = true,
    .attrs = volume_attrs, .blocks = volume_blocks,
    .doc = "storage of the task its containers mount: empty, the task's own scratch space "
           "(a bind mount); with host_path, a directory of the instance; with efs, docker or "
           "ebs, that file system, Docker volume or EBS volume",
};

// ECS API Reference, "MountPoint": containerPath, readOnly.
static const SchemaAttr mount_attrs[] = {
    {"path", STRING, .required = true, .pattern = "^/.{0,4095}$", .pattern_doc = "an absolute path",
     .doc = "where the container sees the volume"},
    {"read_only", BOOL, DEF_BOOL(false), .doc = "the container may read the volume, not write it"},
    END,
};

static const SchemaBlock mount_block = {
    "mount", 1, "the volume's name", .repeatable = true, .attrs = mount_attrs,
    .doc = "a volume of the task mounted in the container",
};

// Log routing: a container's log driver and its options (ECS API Reference,
// "LogConfiguration": logDriver among LogDriver's values, options a string
// map, checked per driver by check_logging.c), and a FireLens log router
// (ECS API Reference, "FirelensConfiguration": type fluentd or fluentbit;
// options enable-ecs-log-metadata, config-file-type and config-file-value).
static const char *const log_drivers[] = {"awslogs", "awsfirelens", "fluentd", "gelf", "journald",
                                          "json-file", "splunk", "syslog", NULL};
static const char *const firelens_types[] = {"fluentbit", "fluentd", NULL};
static const char *const firelens_options[] = {"config-file-type", "config-file-value",
                                               "enable-ecs-log-metadata", NULL};

static const SchemaAttr log_attrs[] = {
    {"driver", ENUM(log_drivers), DEF_STRING("awslogs"),
     .doc = "the log driver: awslogs writes to the service's log group; awsfirelens sends to "
            "the task's FireLens router"},
    {"options", MAP(T_STRING),
     DEF_PROSE("awslogs: the service's group, region and stream prefix"),
     .doc = "the driver's options; for awsfirelens, the router's output (Name = "
            "\"cloudwatch_logs\", ...)"},
    END,
};

static const SchemaBlock log_block = {
    "log", 0, NULL, .attrs = log_attrs,
    .doc = "where the container's output goes: its log driver and the driver's options",
};

static const SchemaAttr firelens_attrs[] = {
    {"type", ENUM(firelens_types), .required = true, .doc = "the router: fluentbit or fluentd"},
    {"options", MAP(T_STRING), .keys = firelens_options,
     .doc = "enable-ecs-log-metadata, or a configuration file: config-file-type (s3 or file) and "
            "config-file-value"},
    END,
};

static const SchemaBlock firelens_block = {
    "firelens", 0, NULL, .attrs = firelens_attrs,
    .doc = "this container is the task's FireLens log router: awsfirelens sends the other "
           "containers' logs to it",
};

// A container's restart policy (ECS API Reference, "ContainerRestartPolicy":
// enabled; ignoredExitCodes, "a maximum of 50 container exit codes";
// restartAttemptPeriod, "a minimum restartAttemptPeriod of 60 seconds and a
// maximum restartAttemptPeriod of 1800 seconds. By default, a container must
// run for 300 seconds before it can be restarted").
static const SchemaAttr restart_attrs[] = {
    {"enabled", BOOL, DEF_BOOL(true),
     .doc = "ECS restarts the container when it exits, without replacing the task"},
    {"ignored_exit_codes", LIST(T_INT), RANGE(1, 50),
     .doc = "exit codes after which the container is not restarted, such as 0 (a success)"},
    {"attempt_period", DURATION, DEF_DURATION(300 * SEC), RANGE(60 * SEC, 1800 * SEC),
     .doc = "how long the container must have run before a restart; one restart per period"},
    END,
};

static const SchemaBlock restart_block = {
    "restart", 0, NULL, .attrs = restart_attrs,
    .doc = "the container's restart policy: ECS restarts it in place when it exits (on Fargate, "
           "from platform 1.4.0)",
};

static const SchemaAttr container_attrs[] = {CONTAINER_ATTRS(false), END};

static const SchemaBlock *const container_blocks[] = {
    &health_block, &ulimit_block, &mount_block, &log_block, &firelens_block, &restart_block, NULL,
};

// A container's required settings are checked after merging (resolve.c): a
// template's container may be completed by a service's or an override's.
static const SchemaBlock container_block = {
    "container", 1, "the container's name", .repeatable = true, .merged = true,
    .attrs = container_attrs, .blocks = container_blocks,
    .doc = "another container of the service's tasks (a sidecar, an agent, a proxy); blocks of "
           "the same name in templates and overrides merge",
};

static const SchemaAttr override_attrs[] = {SERVICE_ATTRS, END};

static const SchemaAttr service_attrs[] = {
    {"extends", REF(template_kind), .doc = "a template whose settings this one starts from"},
    SERVICE_ATTRS,
    {"environments", LIST(T_STRING), RANGE(1, 100), DEF_PROSE("every environment"),
     .doc = "the environments the service runs in"},
    END,
};

static const SchemaBlock *const override_blocks[] = {
    &health_block, &route_block, &deployment_block, &logs_block, &grant_block, &scaling_block,
    &task_block, &ulimit_block, &container_block, &service_strategy_block, &volume_block,
    &mount_block, &connect_block, &log_block, NULL,
};

static const SchemaBlock in_block = {
    "in", 1, "an environment's name", .repeatable = true, .partial = true,
    .attrs = override_attrs, .blocks = override_blocks,
    .doc = "settings that differ in one environment; they override the service's own",
    .shares = "the attributes and blocks of `service`, except `extends`, `environments` and `in`",
};

static const SchemaBlock *const service_blocks[] = {
    &health_block, &route_block, &deployment_block, &logs_block, &grant_block, &scaling_block,
    &task_block, &ulimit_block, &container_block, &service_strategy_block, &volume_block,
    &mount_block, &connect_block, &log_block, &restart_block, &in_block, NULL,
};

// A service's required settings are checked after merging (resolve.c): its
// template or its `in` blocks may supply them.
static const SchemaBlock service_block = {
    "service", 1, "the service's name", .repeatable = true, .merged = true, .attrs = service_attrs,
    .blocks = service_blocks, .doc = "an ECS service: its container (and others beside it), its routes and its settings",
};

static const SchemaBlock template_block = {
    "template", 1, "referred to as template.NAME", .repeatable = true, .partial = true,
    .attrs = service_attrs, .blocks = service_blocks,
    .doc = "settings services share through extends = template.NAME",
    .shares = "the attributes and blocks of `service`, `in` included",
};

//
// The facts about AWS the checker needs, declared in the stdlib (std/aws/...)
// and open to users for what it lacks: instance types, regions and AMI
// families. (The IAM reference is compiled in: aws_iam_table.c.)
//

// The fields of EC2 DescribeInstanceTypes (VCpuInfo, MemoryInfo, ProcessorInfo,
// NetworkInfo) and of the ECS Developer Guide's ENI trunking table; the
// ranges are sanity bounds wide enough for every published type.
static const char *const hypervisors[] = {"nitro", "xen", NULL};

static const SchemaAttr instance_type_attrs[] = {
    {"vcpu", INT, .required = true, RANGE(1, 4096), .doc = "virtual CPUs (DefaultVCpus)"},
    {"memory", SIZE, .required = true, RANGE(256 * MIB, 65536 * GIB),
     .doc = "memory as EC2 advertises it (SizeInMiB); ECS registers less"},
    {"arch", ENUM(architectures), .required = true, .doc = "processor architecture"},
    // EC2 API Reference, InstanceTypeInfo: Hypervisor, "nitro | xen" (none
    // for bare metal types). ECS attaches EBS volumes to tasks on
    // Nitro-based instances only (check_volumes.c, E1088).
    {"hypervisor", ENUM(hypervisors), DEF_PROSE("unknown: not checked"),
     .doc = "the type's hypervisor (Hypervisor); ECS attaches EBS volumes to tasks on nitro only"},
    {"enis", INT, RANGE(1, 1024),
     .doc = "network interfaces the instance can attach, its primary one included; without it, "
            "awsvpc tasks per instance are not checked"},
    {"awsvpc_tasks", INT, RANGE(0, 1024), DEF_PROSE("`enis` - 1"),
     .doc = "awsvpc tasks an instance holds without ENI trunking"},
    {"trunk_tasks", INT, RANGE(1, 1024),
     .doc = "awsvpc tasks an instance holds with ENI trunking (awsvpcTrunking); absent where ECS "
            "does not support trunking on the type"},
    END,
};

static const SchemaBlock instance_type_block = {
    "instance_type", 1, "the EC2 instance type, such as \"t3.small\"", .repeatable = true,
    .attrs = instance_type_attrs,
    .doc = "an EC2 instance type's size and network interfaces, for the capacity checks",
};

static const SchemaAttr region_attrs[] = {
    {"azs", LIST(T_STRING), .required = true, RANGE(1, 10), .pattern = az_form,
     .pattern_doc = "an availability zone such as us-east-1a", .doc = "its availability zones"},
    END,
};

static const SchemaBlock region_block = {
    "region", 1, "the region's name, such as \"us-east-1\"", .repeatable = true,
    .attrs = region_attrs, .doc = "an AWS region and its availability zones",
};

static const SchemaAttr ami_attrs[] = {
    {"x86_64", STRING, .pattern = "^/aws/service/[A-Za-z0-9/_.-]+$",
     .pattern_doc = "a public SSM parameter name under /aws/service/",
     .doc = "SSM parameter holding the latest AMI id for x86_64 instances"},
    {"arm64", STRING, .pattern = "^/aws/service/[A-Za-z0-9/_.-]+$",
     .pattern_doc = "a public SSM parameter name under /aws/service/",
     .doc = "SSM parameter holding the latest AMI id for arm64 instances"},
    {"end_of_life", STRING, .pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", .pattern_doc = "YYYY-MM-DD",
     .doc = "the day AWS ended the family's support, when it has (lint warns: W0581)"},
    END,
};

static const SchemaBlock ami_block = {
    "ami", 1, "the AMI family, as a cluster's ami names it", .repeatable = true,
    .attrs = ami_attrs, .doc = "an ECS-optimized AMI family: where its latest ids are published",
};

static const SchemaAttr timezone_attrs[] = {
    {"aliases", LIST(T_STRING), RANGE(0, 64), .pattern = TIMEZONE_FORM,
     .pattern_doc = "a time zone name such as US/Eastern",
     .doc = "other names Joda-Time reads as this zone, which AWS does not list as valid"},
    END,
};

static const SchemaBlock timezone_block = {
    "time_zone", 1, "the canonical name, such as \"Europe/Paris\"", .repeatable = true,
    .attrs = timezone_attrs,
    .doc = "a time zone a schedule's timezone may name (Joda-Time's, as AWS reads them)",
};

static const SchemaBlock *const file_blocks[] = {
    &project_block, &variable_block, &environment_block, &parameter_block,
    &secret_block, &service_block, &template_block, &instance_type_block, &region_block,
    &ami_block, &timezone_block, NULL,
};

const SchemaBlock schema_file = {
    "file", 0, NULL, .blocks = file_blocks, .doc = "the top level of a file",
};

const SchemaAttr *schema_attr(const SchemaBlock *b, Str name) {
  for (const SchemaAttr *a = b->attrs; a && a->name; a++)
    if (str_eq_c(name, a->name))
      return a;
  return NULL;
}

const SchemaBlock *schema_block(const SchemaBlock *b, Str name) {
  for (const SchemaBlock *const *k = b->blocks; k && *k; k++)
    if (str_eq_c(name, (*k)->name))
      return *k;
  return NULL;
}

static bool names_block(const SchemaBlock *b, Str name, int depth) {
  for (const SchemaBlock *const *k = b->blocks; k && *k && depth < 8; k++)
    if (str_eq_c(name, (*k)->name) || names_block(*k, name, depth + 1))
      return true;
  return false;
}

bool schema_is_block_name(Str name) {
  return names_block(&schema_file, name, 0);
}

// A block that appears inside others ("cluster", "in"), as opposed to one
// that only stands at the top level ("service").
bool schema_is_nested_block(Str name) {
  for (const SchemaBlock *const *k = schema_file.blocks; *k; k++)
    if (names_block(*k, name, 0))
      return true;
  return false;
}

// "service.route.health_check" names a block by the path to it.
const SchemaBlock *schema_path(const char *path) {
  const SchemaBlock *b = &schema_file;
  for (const char *p = path; b && *p;) {
    const char *dot = strchr(p, '.');
    Str name = dot ? (Str){p, dot - p} : str_c(p);
    b = schema_block(b, name);
    p = dot ? dot + 1 : p + name.len;
  }
  return b;
}

// The typed default as a node, as resolve.c reads a value written in the
// file. Built once per compilation and attribute: resolve.c asks for every
// unset attribute of every service in every environment.
static Node *default_node(Arena *arena, const SchemaAttr *a) {
  static const NodeKind kinds[] = {
      [T_INT] = N_INT,         [T_BOOL] = N_BOOL,          [T_SIZE] = N_SIZE,
      [T_DURATION] = N_DURATION, [T_PERCENT] = N_PERCENT, [T_STRING] = N_STRING,
      [T_LIST] = N_LIST,
  };
  const SchemaDefault *d = &a->def;
  Node *n = new(arena, Node, 1);
  n->kind = kinds[d->type];
  n->text = schema_default_text(arena, a);
  if (d->type == T_BOOL)
    n->v.b = d->i != 0;
  else if (d->type == T_STRING)
    n->str = str_c(d->s);
  else if (d->type == T_LIST) {  // [d->s]: a list of one CIDR block
    Node *e = new(arena, Node, 1);
    e->kind = N_CIDR;
    e->text = str_c(d->s);
    if (literal_cidr(e->text, &e->v.cidr) != LIT_OK)
      abort();  // the table is wrong: tests/unit runs every default
    n->body = e;
  } else
    n->v.i = d->i;
  n->tenths = a->tenths;  // the default counts tenths as the range does
  return n;
}

Node *schema_default(Compilation *c, const SchemaAttr *a) {
  if (a->def.type == T_ANY)
    return NULL;
  Str identity = {(const char *)&a, sizeof a};  // the attribute's address
  Node *known = map_get(c->defaults, identity);
  if (known)
    return known;
  Node *n = default_node(&c->arena, a);
  *map_slot(&c->defaults, str_dup(&c->arena, identity), &c->arena) = n;
  return n;
}

// For the reference: "30s", "\"single\"", "[0.0.0.0/0]", or the prose.
Str schema_default_text(Arena *arena, const SchemaAttr *a) {
  const SchemaDefault *d = &a->def;
  switch (d->type) {
  case T_ANY: return d->prose ? str_c(d->prose) : (Str){0};
  case T_BOOL: return str_c(d->i ? "true" : "false");
  case T_STRING: return str_fmt(arena, "\"%s\"", d->s);
  case T_LIST: return str_fmt(arena, "[%s]", d->s);
  default: return schema_attr_quantity(arena, a, d->type, d->i);
  }
}

const char *schema_type_name(TypeSpec t) {
  switch (t.type) {
  case T_ANY: return "any value";
  case T_STRING: return "string";
  case T_INT: return "integer";
  case T_BOOL: return "boolean";
  case T_SIZE: return "size";
  case T_DURATION: return "duration";
  case T_PERCENT: return "percentage";
  case T_CIDR: return "CIDR block";
  case T_ENUM: return "string";
  case T_REF: return "reference";
  case T_LIST: return "list";
  case T_MAP: return "map";
  case T_COMMAND: return "command";
  }
  return "value";
}

// A quantity in its largest exact unit: 300000 ms prints as 300s, 1073741824 as 1 GiB.
Str schema_quantity(Arena *a, ValueType t, int64_t v) {
  if (t == T_DURATION) {
    // Days or seconds, as AWS documents its limits, never "5m" for 300s.
    static const struct { int64_t ms; const char *unit; } units[] = {{86400000, "d"}, {1000, "s"}};
    for (int i = 0; i < countof(units); i++)
      if (v != 0 && v % units[i].ms == 0)
        return str_fmt(a, "%lld%s", (long long)(v / units[i].ms), units[i].unit);
    return str_fmt(a, v ? "%lldms" : "%llds", (long long)v);
  }
  if (t == T_SIZE) {
    static const struct { int64_t bytes; const char *unit; } units[] = {
        {1LL << 40, "TiB"}, {1LL << 30, "GiB"}, {1LL << 20, "MiB"}, {1LL << 10, "KiB"}};
    for (int i = 0; i < countof(units); i++)
      if (v != 0 && v % units[i].bytes == 0)
        return str_fmt(a, "%lld %s", (long long)(v / units[i].bytes), units[i].unit);
    return str_fmt(a, "%lld bytes", (long long)v);
  }
  if (t == T_PERCENT)
    return str_fmt(a, "%lld%%", (long long)v);
  return str_fmt(a, "%lld", (long long)v);
}

Str schema_attr_quantity(Arena *a, const SchemaAttr *attr, ValueType t, int64_t v) {
  if (t != T_PERCENT || !attr->tenths)
    return schema_quantity(a, t, v);
  if (v % 10 == 0)
    return str_fmt(a, "%lld%%", (long long)(v / 10));
  // -0.5%: the sign of the whole, which is 0, is the value's
  return str_fmt(a, "%s%lld.%lld%%", v < 0 ? "-" : "", (long long)(v < 0 ? -(v / 10) : v / 10),
                 (long long)(v < 0 ? -(v % 10) : v % 10));
}

// Whole percentages are read in tenths where an attribute counts them: a
// value past the int64 tenths can hold is as far out of range as any.
int64_t schema_percent_tenths(const Node *n) {
  if (n->tenths)
    return n->v.i;
  if (n->v.i > INT64_MAX / 10 || n->v.i < -(INT64_MAX / 10))
    return n->v.i < 0 ? -(INT64_MAX / 10) * 10 : (INT64_MAX / 10) * 10;
  return n->v.i * 10;
}
