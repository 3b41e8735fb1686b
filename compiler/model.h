// model.h: the deployment as resolved: every reference bound, templates and
// per-environment overrides merged, defaults applied, each value with the
// place it was written. resolve.c builds it from the syntax trees; derive.c
// computes what ecsc decides (AWS names, ARNs, priorities, IAM policies);
// the checks judge it and the emitters write it, and neither sees a syntax
// tree: where a value was written is a Span, and the block path the output's
// "//" notes cite is model.c's answer (model_origin), from an index resolve
// leaves behind.
#ifndef ECSC_MODEL_H
#define ECSC_MODEL_H

#include "syntax.h"

typedef struct Environment Environment;
typedef struct Cluster Cluster;
typedef struct Service Service;
typedef struct Container Container;

//
// IAM policies, derived by derive_iam.c
//

// One condition of a statement: all of a statement's must hold.
typedef struct {
  Str op, key;           // "StringEquals", "kms:ViaService"
  Str *values;           // sorted
  int nvalues;
} Condition;

// One Allow statement. ARNs name the account when the environment pins it
// (account = "..."), else the Terraform expression of the caller's account.
typedef struct {
  Str sid;               // "ReadSecrets": stable, for diffs and reviewers
  Str *actions, *resources;  // sorted
  int nactions, nresources;
  Condition *conditions;
  int nconditions;
  Span because;          // the DSL line that called for it
  const char *why;       // what that line is: "the secret BAR reads parameter FOO"
  bool literal;          // the user's own text (a grant): never a Terraform template
} Statement;

typedef struct {
  Statement *statements;
  int n;
} Policy;

//
// The AWS facts, from the stdlib (std/aws/...)
//

typedef enum { ARCH_X86_64, ARCH_ARM64 } Arch;

typedef struct {
  Str name;        // "t3.small"
  int vcpu;
  int64_t memory;  // bytes, as EC2 advertises it; ECS registers less
  Arch arch;
  int awsvpc_tasks;  // tasks with an interface of their own it holds; -1: unknown
  int trunk_tasks;   // the same with ENI trunking; 0: not supported
  Str hypervisor;    // "nitro" or "xen"; {0}: unknown (bare metal, or not given)
} InstanceType;

// The ECS agent's settings, one table: agent_keys.h (generated from the
// agent's documentation and code, and Bottlerocket's settings).
typedef enum {
  AGENT_BOOL,          // Go's strconv.ParseBool
  AGENT_DURATION,      // Go's time.ParseDuration
  AGENT_UINT,          // a whole number, at most the key's max
  AGENT_ENUM,          // one of the key's words
  AGENT_STRING,        // free text, one line
  AGENT_PORTS,         // a JSON list of port numbers
  AGENT_JSON_LIST,     // a JSON list of strings
  AGENT_JSON_MAP,      // a JSON object of strings
  AGENT_LOG_DRIVERS,   // a JSON list of logging drivers the agent knows
  AGENT_RATE_PAIR,     // "rate,burst", two whole numbers
  AGENT_CREDENTIALS,   // registry credentials, JSON: user data shows them
  AGENT_OWNED,         // ecsc writes it itself
  AGENT_NOT_LINUX,     // documented as Windows-only, or as set by ecs-init
} AgentForm;

typedef enum {
  TOML_NONE,           // Bottlerocket has no setting for it
  TOML_STRING, TOML_BOOL, TOML_BOOL_NEGATED, TOML_INT, TOML_LIST, TOML_TABLE,
} TomlType;

typedef struct {
  const char *name;          // "ECS_RESERVED_MEMORY"
  AgentForm form;
  const char *words;         // AGENT_ENUM: "a|b"
  int64_t max;               // AGENT_UINT
  const char *bottlerocket;  // the setting under settings., "ecs.reserved-memory"; NULL if none
  TomlType toml;
} AgentKey;

// agent.c
const AgentKey *agent_key(Str name);  // NULL: not an agent setting
int agent_bool(Str value);            // as the agent parses a boolean: 1, 0, or -1 for neither
// A value as a JSON list of strings, a JSON object of strings (keys and
// values in order), a list of whole numbers in [lo, hi], a list of ports
// (copied into the arena, as ECS_RESERVED_PORTS), any JSON object: false
// when it is not one. Strings are copied into the arena.
bool agent_json_list(Arena *a, Str text, Str **items, int *n);
bool agent_json_map(Arena *a, Str text, Str **keys, Str **values, int *n);
bool agent_json_ints(Str text, int64_t lo, int64_t hi);
bool agent_json_ports(Arena *a, Str text, int **ports, int *n);
bool agent_json_object(Str text);

typedef struct {
  Str name;        // "us-east-1"
  Str *azs;
  int nazs;
} Region;

// An AWS partition (partitions.h, from the AWS SDKs' partition data): a
// group of regions whose accounts, ARNs and endpoints are its own.
typedef struct {
  const char *id;            // in ARNs: "aws-cn"
  const char *dns_suffix;    // of its service endpoints: "amazonaws.com.cn"
  const char *region_regex;  // its region names: "^cn\\-\\w+\\-\\d+$"
} Partition;

typedef struct {
  Str name;        // canonical, as Joda-Time names it: "America/New_York"
  Str *aliases;    // other names Joda-Time reads as it: "US/Eastern"
  int naliases;
} Timezone;

typedef struct {
  Str name;        // "al2023"
  Str ssm[2];      // public SSM parameter of the latest id, by Arch ({0} if none)
  Str end_of_life; // the day AWS ended its support, or {0}
} AmiFamily;

// The ECS agent's dynamic host ports: the instances' security group opens
// exactly this range to the load balancer, and user data gives the agent the
// same (ECS Developer Guide, "Amazon ECS container agent configuration":
// ECS_DYNAMIC_HOST_PORT_RANGE; the seed's 32768-61000 is Docker's default).
enum { DYNAMIC_PORT_FIRST = 32768, DYNAMIC_PORT_LAST = 61000 };

//
// Places: where in the source each value a later stage reports on was set
//

// Each model object records, beside its values, the span of each value as
// written (after merging: the one that won), or {0} when the value was not
// written and has its default. So a check points at `s->at.memory`, never at
// a name looked up by string, and "was it set" is `s->at.count.src`. For a
// variable (var.NAME), the place is the reference, in the .ecs source.
// span_or (base.h) gives a fallback for what was not written.

// A list's CIDR block and its element's place.
typedef struct {
  Cidr cidr;
  Span at;
} CidrAt;

//
// The project
//

typedef struct {
  Str name;        // the parameter.NAME of references
  Str path;        // as declared: "/basic-app/FOO"
  bool secure;
  Str kms_key;     // {0}: the AWS managed key aws/ssm
  Str value;       // a plain parameter ecsc manages; {0} when managed elsewhere
  Str description;
  Str external;    // managed elsewhere: its full name or ARN, as is; {0}: path
  Span span;       // its label
  struct {
    Span path, value, kms_key, external;
  } at;
  bool read;       // some service's secrets name it
  Str tf_name;     // computed: its Terraform name (derive_tf_ident)
  int index;       // in Model.params, and in each Environment's ssm_names
} Parameter;

// A Secrets Manager secret a service reads: ecsc never creates one.
typedef struct {
  Str name;        // the secret.NAME of references
  Str arn;         // as declared; {0} when named
  Str secret_name; // as declared ("prod/db"); {0} with an ARN
  Str key, version_stage, version_id;  // valueFrom's JSON key, version stage and id
  Str kms_key;     // a customer managed key; {0}: aws/secretsmanager
  Span span;       // its label
  struct {
    Span arn, name, kms_key;
  } at;
  bool read;       // some container's secrets name it
  int index;       // in Model.sm_secrets, and in each Environment's sm_value_from
} SmSecret;

// An entry of a map (env, tags, agent): its key's and its value's places,
// {0} for one ecsc adds itself.
typedef struct {
  Str name, value;
  Span key_at, at;
} KeyValue;

typedef struct {
  Str name;
  Span span;
  Str bucket, region, lock_table;  // the Terraform state
  Span lock_table_span;
  KeyValue *tags;
  int ntags;
} Project;

//
// An environment and what it holds
//

// NAT_EXISTING: a VPC ecsc does not manage, whose private subnets reach
// AWS by its own routes (NAT or endpoints), which ecsc neither sees nor makes.
typedef enum { NAT_SINGLE, NAT_PER_AZ, NAT_NONE, NAT_EXISTING } NatMode;

// An existing subnet, by its id, and its list element's place.
typedef struct {
  Str id;                // "subnet-0a1b2c3d4e5f67890"
  Span at;
  Str tf_name;           // computed: its data source's name, TIER_ID (derive_tf_ident)
} SubnetId;

typedef struct {
  // An existing VPC (id given): read with data sources, nothing of its
  // network made; cidr, azs and the CIDR tiers are then empty.
  Str id;                // {0}: ecsc builds the VPC
  SubnetId *public_ids, *private_ids;  // in the order written
  int npublic_ids, nprivate_ids;
  Cidr cidr;
  Str *azs;
  Span *az_at;           // each zone's place in the list
  int nazs;
  CidrAt *public_subnets, *private_subnets, *database_subnets;
  int npublic, nprivate, ndatabase;
  NatMode nat;
  bool declared;         // the environment has a vpc block (E0304 otherwise)
  struct {
    Span cidr, azs, public_subnets, private_subnets, database_subnets, nat;
    Span id, public_subnet_ids, private_subnet_ids;
  } at;
} Vpc;

typedef struct {
  int64_t idle_timeout_ms;
  CidrAt *ingress;
  int ningress;
  Str certificate_arn;   // {0}: HTTP only
  Str ssl_policy;
  bool deletion_protection;
  Str name;              // computed: PREFIX-alb
  Span span;             // the block's name
  struct {
    Span ingress_cidrs, certificate_arn;
  } at;
} Alb;

typedef struct {
  Str instance_type;
  CidrAt *ssh;
  int nssh;
  Str key_name;
  Str name;              // computed
  Span span;             // the block's name
  struct {
    Span ssh_cidrs;
  } at;
} Bastion;

// spot { }: the autoscaling group's mixed instances policy (Amazon EC2 Auto
// Scaling API Reference, MixedInstancesPolicy and InstancesDistribution).
typedef struct {
  int on_demand_base;     // OnDemandBaseCapacity
  int on_demand_percent;  // OnDemandPercentageAboveBaseCapacity
  Str allocation;         // SpotAllocationStrategy: "price-capacity-optimized", ...
  Span span;              // the block's name
  struct {
    Span instance_types, on_demand_percent;
  } at;
} Spot;

// managed_scaling { }: the capacity provider's (ECS API Reference,
// ManagedScaling); the schema's defaults, AWS's, when the block is absent.
typedef struct {
  bool enabled;           // status ENABLED
  bool given;             // the block was written: ecsc then emits every setting
  int target_capacity;    // targetCapacity, percent
  int min_step, max_step; // minimumScalingStepSize, maximumScalingStepSize
  int64_t warmup_ms;      // instanceWarmupPeriod
  Span span;              // the block's name; {0} when absent
  struct {
    Span enabled, min_step, max_step;
  } at;
} ManagedScaling;

// A capacity provider strategy (ECS API Reference,
// CapacityProviderStrategyItem): strategy "PROVIDER" { base, weight } blocks
// in order, a later one of a provider replacing the earlier in its place.
// PROVIDER_GROUP: one of the cluster's group "NAME" blocks, by its name.
typedef enum {
  PROVIDER_EC2, PROVIDER_FARGATE, PROVIDER_FARGATE_SPOT, PROVIDER_UNKNOWN, PROVIDER_GROUP,
} Provider;

typedef struct {
  Provider provider;
  Str name;               // as written: "ec2", "fargate", "fargate_spot", a group's (or unknown)
  Cluster *group;         // PROVIDER_GROUP: the group
  int base, weight;
  Span span;              // the label
  struct {
    Span base, weight;
  } at;
} StrategyItem;

typedef struct {
  StrategyItem *items;    // none: ecsc's own (the cluster's provider, or the service's capacity)
  int n;
} Strategy;

struct Cluster {
  Str name;              // cluster.NAME
  Environment *env;
  Span span;
  struct {
    Span instance_type, size, min_size, max_size, ami, ami_id, key_name, fargate;
    Span termination_protection, architecture;
    Span root_volume, detailed_monitoring, agent;
  } at;
  InstanceType *type;    // NULL when the type is unknown (reported)
  Str instance_type;
  int size, min_size, max_size;
  AmiFamily *ami;
  Str ami_id;            // pinned; {0} when the family's SSM parameter is used
  Str key_name;
  int64_t root_volume;
  Str container_insights;
  bool detailed_monitoring;
  bool fargate;          // FARGATE and FARGATE_SPOT beside its own capacity provider
  Arch arch;             // architecture = "...", when written (at.architecture)
  Spot *spot;            // NULL: on-demand instances of instance_type only
  ManagedScaling scaling;
  Strategy strategy;     // the default capacity provider strategy
  bool termination_protection;  // managed, with the group's protect_from_scale_in
  // Every instance type the group may launch: instance_type, then the spot
  // block's others in order, each once; an unknown one (reported) is NULL.
  InstanceType **types;
  Str *type_names;
  Span *type_at;         // each one's place: instance_type's, or its list element's
  int ntypes;
  bool spot_draining;    // computed: the agent drains on a Spot interruption notice
  KeyValue *agent;       // sorted by name
  int nagent;
  Str aws_name;          // computed: the ECS cluster's name, and its launch template's
  Str asg_name;          // computed: its autoscaling group's
  Str tf_name;           // computed: its Terraform name (derive_tf_ident)
  Str capacity_provider; // computed: cp-CLUSTER (none may start with aws, ecs or fargate)
  Str instance_role;     // computed: the container instances' role
  Policy instance_policy;  // iam.c: the ECS agent's actions, nothing else
  Service **services;    // those that run on it
  int nservices;
  // group "NAME" { }: further autoscaling groups, each a capacity provider of
  // its own, in order. A group is a Cluster of its instances: its fields from
  // instance_type to termination_protection, types and spot_draining are its
  // own; the rest (name, env, agent, ami, services, ...) are its cluster's,
  // its outer. A cluster without instance_type has no instances of its own
  // (model_has_instances): only groups, or Fargate alone.
  Cluster **groups;
  int ngroups;
  Cluster *outer;        // a group's cluster; NULL for a cluster
  Str group;             // a group's label; {0} for a cluster
  Span group_at;         // a group's label; {0} for a cluster
  Str template_name;     // computed: its launch template's (a cluster's: aws_name)
  Str userdata_name;     // computed: its user data file's (emit_userdata.c)
};

struct Environment {
  Str name;
  Span span;
  struct {
    Span prefix, region;  // region: the environment's, else the project's
  } at;
  Str prefix;            // of every AWS name: "ecs-example-staging"
  // Computed: the VPC state's security groups' names (PREFIX-instances, ...).
  Str sg_instances, sg_alb, sg_bastion, sg_endpoints;
  Str region;
  Region *region_info;   // NULL when the region is unknown (reported)
  Str account;           // {0} when not pinned
  bool production;       // declared, else named production, prod or prd (resolve.c)
  Span production_at;    // where it was declared; {0}: from the name
  // connect_namespace = true: the VPC state keeps the Service Connect
  // namespace though no service joins it (rebuild_retire.c, E1051).
  bool connect_namespace;
  Span connect_namespace_at;
  // Computed (derive.c, connect_endpoints): a digest of the endpoints its
  // services serve in the Service Connect namespace, which each service of
  // the namespace carries in its task definition; {0} without one.
  Str connect_endpoints;
  // Computed: its partition ("aws", "aws-cn", "aws-us-gov") and the account in
  // its ARNs: the pinned one, else the Terraform expression of the account
  // the plan runs in (the emitters declare data.aws_caller_identity).
  Str partition, arn_account;
  // Computed, by Parameter.index: each parameter's full name in this
  // environment ("/PREFIX/PATH") and its ARN (the account pinned, or the
  // Terraform expression of the caller's).
  Str *ssm_names, *ssm_arns;
  // Computed, by SmSecret.index: each secret's valueFrom (its ARN, a partial
  // one for a name, then :KEY:STAGE:ID when any is given) and the ARN IAM
  // grants on (a name's with -?????? for the six characters AWS adds).
  Str *sm_value_from, *sm_resources;
  KeyValue *tags;        // project tags merged with the environment's, sorted
  int ntags;
  Vpc vpc;
  Alb *alb;              // NULL when none
  Bastion *bastion;      // NULL when none
  Cluster **clusters;
  int nclusters;
  Service **services;    // in the order of declaration
  int nservices;
};

//
// A service in one environment, settings merged
//

typedef enum { NET_BRIDGE, NET_AWSVPC, NET_HOST } NetworkMode;

// Where a service's tasks run: its cluster's instances, or Fargate's
// capacity providers (FARGATE, FARGATE_SPOT) in its cluster.
typedef enum { RUN_EC2, RUN_FARGATE, RUN_FARGATE_SPOT } RunsOn;

typedef struct {
  Str name;              // the environment variable
  Parameter *param;      // one of the two: a parameter,
  SmSecret *sm;          // or a Secrets Manager secret
  Span at;               // the map entry's key
} Secret;

typedef struct {
  bool shell;            // a string: CMD-SHELL; a list: CMD
  Str *command;
  int ncommand;
  int64_t interval_ms, timeout_ms, start_period_ms;
  int retries;
  struct {
    Span block, command, timeout;  // block: the block's name
  } at;
} HealthCheck;

typedef struct {
  Str path, matcher;
  int64_t interval_ms, timeout_ms;
  int healthy, unhealthy;
} TargetHealth;

// deployment { strategy } (ECS API Reference, DeploymentConfiguration:
// strategy ROLLING, BLUE_GREEN, LINEAR, CANARY).
typedef enum { DEPLOY_ROLLING, DEPLOY_BLUE_GREEN, DEPLOY_CANARY, DEPLOY_LINEAR } DeployStrategy;
// Each as deployment { strategy } writes it: "rolling", "blue-green", ... (model.c).
extern const char *const model_strategy_names[];

typedef struct {
  Str *paths, *hosts;
  int npaths, nhosts;
  int priority;          // declared, or assigned by resolve.c from the route alone
  bool priority_declared;
  int64_t deregistration_ms;
  TargetHealth health;
  Str target_group;      // computed name, at most 32 characters
  Str alternate_group;   // a traffic-shifting deployment's second group (derive.c); {0}: none
  Container *container;  // the container that receives the traffic (resolve.c)
  int port;              // its port; 0: it has none (E0543)
  struct {
    Span block, paths, priority, health_check, health_timeout, container;  // blocks: their names
  } at;
} Route;

//
// Containers: a service's own attributes describe its main container (the
// short form); `container "NAME"` blocks add others to its tasks.
//

typedef enum { DEPEND_START, DEPEND_COMPLETE, DEPEND_SUCCESS, DEPEND_HEALTHY } DependCondition;

// One entry of depends_on: this container starts once `target` has reached
// `condition` (ECS API Reference, "ContainerDependency").
typedef struct {
  Str name;              // as written
  DependCondition condition;
  Container *target;     // NULL when it names no container (reported)
  Span at, condition_at; // the entry's key, its value
} Dependency;

// One entry of links (ECS API Reference, "ContainerDefinition": links,
// "only supported if the network mode of a task definition is set to
// bridge"): under bridge networking each container has a network namespace
// of its own, and a link lets this one reach `target` by its name.
typedef struct {
  Str name;              // as written
  Container *target;     // NULL when it names no container (reported)
  Span at;               // the list element
} Link;

typedef struct {
  Str name;              // "nofile", among ECS's UlimitName
  int64_t soft, hard;
  Span at, soft_at;      // the block's label, its soft limit
} Ulimit;

// Volumes: a task's storage (ECS API Reference, "Volume"), declared by
// `volume "NAME"` blocks of the service and mounted by its containers'
// `mount "NAME"` blocks (mountPoints). A volume is a bind mount of the
// task's own scratch space unless it names a path of the instance
// (host_path), an EFS file system, a Docker volume or an EBS volume.
typedef enum { VOLUME_BIND, VOLUME_HOST, VOLUME_EFS, VOLUME_DOCKER, VOLUME_EBS } VolumeKind;

// efs { } (ECS API Reference, "EFSVolumeConfiguration", "EFSAuthorizationConfig").
typedef struct {
  Str file_system_id;    // "fs-0123456789abcdef0"
  Str access_point_id;   // {0}: none
  Str root_directory;    // {0}: not written (the file system's root)
  bool transit_encryption, iam, root_access;
  int64_t transit_encryption_port;  // 0: the EFS mount helper chooses
  Span span;             // the block's name
  struct {
    Span file_system_id, access_point_id, root_directory, transit_encryption, iam, root_access;
    Span transit_encryption_port;
  } at;
} EfsVolume;

// docker { } (ECS API Reference, "DockerVolumeConfiguration").
typedef struct {
  Str scope;             // "task" or "shared"
  bool autoprovision;
  Str driver;            // {0}: Docker's default
  KeyValue *driver_opts, *labels;  // sorted by name
  int ndriver_opts, nlabels;
  Span span;             // the block's name
  struct {
    Span scope, autoprovision;
  } at;
} DockerVolume;

// ebs { }: an Amazon EBS volume ECS creates for each task and deletes with
// it, configured at launch (ECS API Reference, "Volume": configuredAtLaunch;
// "ServiceManagedEBSVolumeConfiguration"), with the service's
// infrastructure role (Service.infra_role).
typedef struct {
  int64_t size;          // bytes, whole GiB; 0: the snapshot's size
  Str type;              // volumeType: "gp3", ...
  int iops, throughput;  // 0: not set (the type's default)
  Str filesystem;        // filesystemType: "xfs", "ext4" or "ext3"
  bool encrypted;
  Str kms_key;           // a key ARN; {0}: the snapshot's key, else EBS's default
  Str snapshot_id;       // {0}: a new, empty volume
  Str *propagate_tags;   // "service", "task_definition": a tag specification each
  int npropagate_tags;
  Span span;             // the block's name
  struct {
    Span size, type, iops, throughput, encrypted, kms_key, snapshot_id;
  } at;
} EbsVolume;

typedef struct {
  Str name;              // its label: mountPoints' sourceVolume
  Span span;             // its label
  VolumeKind kind;
  Str host_path;         // VOLUME_HOST: the instance's path (host.sourcePath)
  Span host_path_at;     // VOLUME_HOST: its value
  EfsVolume efs;         // VOLUME_EFS
  DockerVolume docker;   // VOLUME_DOCKER
  EbsVolume ebs;         // VOLUME_EBS
  int nmounts;           // resolve.c: the mounts of it, in every container
  bool read_write;       // resolve.c: one of them is read-write
} Volume;

// mount "VOLUME" { path, read_only } in a container (ECS API Reference,
// "MountPoint"): a volume of the task at a path of the container.
typedef struct {
  Str name;              // the volume's, as written
  Str path;              // containerPath
  bool read_only;
  Volume *volume;        // NULL when it names no volume (reported)
  Span at, path_at;      // its label, its path
} Mount;
// A container's log configuration (ECS API Reference, "LogConfiguration"),
// as written in its log block; options sorted by name.
typedef struct {
  Str driver;            // "awslogs", "awsfirelens", ... (schema.c's log_drivers)
  KeyValue *options;     // sorted by name
  int noptions;
  Span at, driver_at, options_at;  // the block's name, the driver's value, the options attribute
} LogConfig;

// A FireLens log router (ECS API Reference, "FirelensConfiguration").
typedef struct {
  Str type;              // "fluentbit" or "fluentd"
  KeyValue *options;     // sorted by name
  int noptions;
  Span at, options_at;   // the block's name, the options attribute
} Firelens;

// A container's restart policy (ECS API Reference, "ContainerRestartPolicy").
typedef struct {
  bool enabled;
  int64_t *ignored_exit_codes;  // in the order written
  int nignored_exit_codes;
  int64_t attempt_period_ms;
  Span at;               // the block's name
} RestartPolicy;

// What of a reference Docker's grammar refuses (image.c, image_fault), and
// which part: a slice of the image (check_images.c, E1075).
typedef enum {
  IMAGE_FAULT_NONE,
  IMAGE_FAULT_IDENTIFIER,        // 64 hex digits: an image ID, not a name
  IMAGE_FAULT_DOMAIN,            // the registry is no host[:port]
  IMAGE_FAULT_UPPERCASE,         // a path component, lowercase would do
  IMAGE_FAULT_COMPONENT,         // a path component, not even lowercase
  IMAGE_FAULT_EMPTY,             // an empty path component: the "/" too many
  IMAGE_FAULT_LONG,              // the path, over 255 characters
  IMAGE_FAULT_TAG_EMPTY,         // the ":" of an empty tag
  IMAGE_FAULT_TAG_LONG,          // the tag, over 128 characters
  IMAGE_FAULT_TAG,               // the tag, a character it may not hold
  IMAGE_FAULT_DIGEST,            // the digest, not ALGORITHM:HEX
  IMAGE_FAULT_DIGEST_ALGORITHM,  // its algorithm, none Docker knows
  IMAGE_FAULT_DIGEST_LENGTH,     // its encoded part, the wrong length
  IMAGE_FAULT_DIGEST_HEX,        // its encoded part, not lowercase hex
  IMAGE_FAULT_REFERENCE,         // none of these, and still not the grammar
} ImageFaultKind;
typedef struct {
  ImageFaultKind kind;
  Str part;
  int limit;  // the most the part may be (_LONG) or the length it must be (_LENGTH)
} ImageFault;
// What an image reference is made of (image.c), read once by resolve.c so
// that the ECR pull grant (derive_iam.c), the registry's checks
// (check_images.c, check.c) and both emitters read the same parts.
typedef struct {
  Str name;              // without tag and digest: "nginx", "registry:5000/team/app"
  Str tag, digest;       // {0}: not written
  Str registered;        // as task definitions register it: with ":latest" when
                         // it has neither tag nor digest (Docker's default tag)
  // A registry that looks like ECR's (ecr_like): its parts as written,
  // {0} where one is missing; ecr when they are ECR's documented form,
  // when the image is a private ECR repository's (its pull grant).
  bool ecr_like, ecr;
  bool dual_stack;       // ecr, in the dual-stack form ACCOUNT.dkr-ecr.REGION.on.aws
  ImageFault fault;      // what Docker's grammar refuses of it, if anything
  Str account, endpoint, region, domain, port, repository;  // endpoint: "dkr.ecr"
} ImageRef;

struct Container {
  Str name;              // the service's name for its own
  Span span;             // its label; the service's for its own
  bool main;             // the service's own container
  bool essential;
  Str image;
  ImageRef ref;          // image's parts (image.c)
  int cpu;               // 0: not set
  int64_t memory, memory_reservation;  // bytes; 0: not set
  int port;              // its main port, the one a route or Service Connect reaches; 0: none
  int host_port;         // 0: dynamic
  // ports: further TCP ports it listens on, as written (a metrics or admin
  // port); each a port mapping as the main port, with a dynamic host port
  // in bridge mode, never routed (model_port walks them after port).
  int *ports;
  Span *port_spans;      // each element's place
  int nports;
  int64_t stop_timeout_ms;
  Str *command, *entrypoint;
  int ncommand, nentrypoint;
  Str user, working_directory;
  KeyValue *env_vars;    // sorted by name
  int nenv_vars;
  Secret *secrets;       // sorted by name
  int nsecrets;
  HealthCheck *health;   // NULL: none declared
  Str *env_files;        // S3 object ARNs
  int nenv_files;
  bool read_only_root;
  bool init;             // initProcessEnabled (lint.c's W0903 asks for it with ECS Exec)
  Ulimit *ulimits;       // in the order written
  int nulimits;
  Dependency *depends_on;  // sorted by name
  int ndepends_on;
  Link *links;           // in the order written
  int nlinks;
  Mount *mounts;         // one per volume, in the order their names first appear
  int nmounts;
  int fixed_port;        // computed: the port its main port takes on an instance
                         // (Service.fixed_port); model_fixed_port gives every one
  // Computed (derive.c, parameter_values): a digest of the values of ecsc's
  // plain parameters it reads, which its task definition carries as a
  // Docker label; {0} when it reads none.
  Str parameter_values;
  struct {
    Span image, cpu, memory, memory_reservation, port, host_port, essential;
    Span ports;                     // the list
    Span env, secrets, depends_on;  // maps: the attribute
    Span env_files, user, read_only_root, links;  // links: the attribute
    Span stop_timeout, init;
  } at;
  LogConfig *log;        // NULL: awslogs into the service's log group (no log block)
  Firelens *firelens;    // NULL: not a log router
  RestartPolicy *restart;  // NULL: none (ECS does not restart the container)
};

typedef struct {
  Str *actions, *resources;
  Span *action_at, *resource_at;  // each element's place (the list's, for a variable)
  int nactions, nresources;
  Span at;               // the grant block's name
} Grant;

// Service auto scaling (Application Auto Scaling): a scalable target over
// the service's desired count, a target tracking policy per metric given,
// and scheduled actions that move the target's bounds.
typedef struct {
  Str name;              // its label
  Str cron;              // the six fields, as written: "0 22 ? * MON-FRI *"
  Str timezone;          // {0}: UTC
  int min, max;          // -1: left as it is
  Str aws_name;          // computed: FAMILY-NAME
  Str tf_name;           // computed: its Terraform name (tf_ident)
  Span span;             // its label
  struct {
    Span cron, timezone, min, max;
  } at;
} Schedule;

typedef struct {
  int min, max;          // the target's bounds
  int cpu, memory;       // target utilisation in tenths of a percent (70.5%: 705);
                         // 0: no such policy
  int requests;          // ALB requests per target per minute; 0: no such policy
  int64_t scale_in_cooldown_ms, scale_out_cooldown_ms;
  Schedule *schedules;   // in order of declaration; a later one of a name replaces
  int nschedules;
  int peak;              // computed: the most tasks any bound allows, schedules' too
  Span peak_at;          // computed: the max that gives it
  Str cpu_policy, memory_policy, requests_policy;  // computed policy names
  Span span;             // the block's name
  struct {
    Span min, max, requests_per_target, cpu, memory;
  } at;
} Scaling;

// Service Connect (ECS API Reference, ServiceConnectConfiguration,
// ServiceConnectService, ServiceConnectClientAlias): the service's tasks
// join the environment's Cloud Map namespace; with a port name, they also
// serve one container's port in it under a discovery name and one alias.
typedef struct {
  Str port_name;         // its port mapping's name; {0}: a client only
  Container *container;  // the container whose port it serves (resolve.c); NULL for a client
  int port;              // the port it serves: connect's port, else the container's main one
  Str discovery_name;    // the Cloud Map service's name: the service's, lowercased, unless given
  Str app_protocol;      // "http", "http2", "grpc"; {0}: plain TCP
  int alias_port;        // the client alias's port: the container's unless given
  Str dns_name;          // the client alias's name: discovery_name unless given
  Span span;             // the block's name
  struct {
    Span port_name, container, port, discovery_name, app_protocol, client_alias, alias_port,
        dns_name;
  } at;
} Connect;

struct Service {
  Str name;
  Environment *env;
  Span span;             // the service's label
  struct {
    Span image, count, cpu, memory, memory_reservation, port, host_port, network_mode;
    Span env, secrets;                               // maps: the attribute
    Span deployment, max_percent, logs, retention;  // blocks: their names
    Span scaling;                                    // the block's name
    Span capacity, platform_version, task, task_cpu, task_memory, ephemeral_storage;
  } at;
  Cluster *cluster;      // NULL when unresolved (reported)
  Str image;
  int count;
  int cpu;               // 0: not set
  int64_t memory, memory_reservation;  // bytes; reservation 0: not set
  int port;              // 0: none
  int host_port;         // 0: dynamic
  int fixed_port;        // computed: the port its tasks take on an instance (a host_port in
                         // bridge mode, the port in host mode); 0: none (dynamic, awsvpc)
  NetworkMode network;
  int64_t stop_timeout_ms;
  Str *command, *entrypoint;
  int ncommand, nentrypoint;
  Str user;
  KeyValue *env_vars;    // sorted by name
  int nenv_vars;
  Secret *secrets;       // sorted by name
  int nsecrets;
  HealthCheck *health;   // NULL: none declared
  Route *route;          // NULL: not behind the load balancer
  int min_healthy, max_percent;
  bool circuit_breaker;
  int64_t log_retention_ms;
  Str stream_prefix;
  Grant *grants;
  int ngrants;
  Scaling *scaling;      // NULL: a fixed count
  RunsOn runs_on;
  Strategy strategy;     // its own capacity provider strategy, over capacity's one item
  Str platform_version;  // Fargate's; "LATEST" by default
  int task_cpu;          // task { }: 0 when not set
  int64_t task_memory, ephemeral_storage;  // bytes; 0 when not set
  bool exec;             // ECS Exec: enable_execute_command, ssmmessages on the task role
  Span exec_at;
  Connect *connect;      // NULL: not in the environment's Service Connect namespace
  bool public_ip;        // assign_public_ip: its tasks' interfaces in the public subnets, with
  Span public_ip_at;     // a public address each (awsvpc only)
  // Every container of its tasks, the service's own first: the fields above
  // from image to health are containers[0]'s, which resolve.c reads once and
  // the service-level rules (capacity, routes, names) read there.
  Container **containers;
  int ncontainers;
  Volume *volumes;       // in the order their names first appear; blocks of a name merged
  int nvolumes;
  // Computed: what the task's containers reserve on an instance, in all
  // (memoryReservation, else memory, in bytes; cpu units).
  int64_t reserved_memory;
  int reserved_cpu;
  // Computed AWS names
  Str family;            // task family and ECS service name
  Str container;
  Str log_group;
  Str exec_role, task_role;
  Str security_group;    // its tasks' own, under awsvpc; {0} otherwise
  Policy exec_policy;    // iam.c: pull the image, read the secrets, write the logs
  Policy task_policy;    // iam.c: the service's grants, nothing else
  // An EBS volume's (volume "NAME" { ebs { } }): the role ECS manages it
  // with, and what derive_iam.c lets it do; {0} without one.
  Volume *ebs;           // its first EBS volume (check_volumes.c refuses a second)
  Str infra_role;
  Policy infra_policy;
  // Computed: its tasks run on ARM64, its cluster's architecture, on the
  // instances or on Fargate (derive.c, service_arch; runtimePlatform).
  bool arm64;
  // Existing security groups its awsvpc tasks join beside their own
  // (security_groups: check_groups.c), AZ rebalancing and deployment
  // alarms (check_deployment.c).
  Str *security_groups;  // in the order written; ids "sg-..."
  Span *security_group_at;  // each element's place
  int nsecurity_groups;
  Span security_groups_at;  // the list; {0}: not written
  int az_rebalancing;    // 1: ENABLED, -1: DISABLED, 0: not written (ECS decides)
  Span az_rebalancing_at;
  Str *alarms;           // deployment { alarms }: CloudWatch alarm names, in the order written
  Span *alarm_at;
  int nalarms;
  bool alarm_rollback;   // roll back a deployment an alarm failed
  Span alarm_rollback_at;  // {0}: not written
  Span alarms_at;        // the list; {0}: not written
  // deployment { strategy, bake } (check_deployment.c, E1172-E1174)
  int64_t bake_ms;       // -1: not written
  Span strategy_at, bake_at;  // {0}: not written
  // deployment { canary_percent, canary_bake, linear_step, linear_bake }
  // (check_deployment.c, E1175-E1178), AWS's defaults where not written;
  // the shares in tenths of a percent, as AWS takes them (2.5%: 25).
  DeployStrategy deploy_strategy;
  int canary_tenths, linear_tenths;
  int64_t canary_bake_ms, linear_bake_ms;
  Span canary_percent_at, canary_bake_at, linear_step_at, linear_bake_at;
  // A routed service with a traffic-shifting deployment: the role ECS
  // moves the listener rule's weights and registers targets with, and what
  // derive_iam.c lets it do; {0} otherwise.
  Str lb_role;
  Policy lb_policy;
};

typedef struct {
  Project *project;      // NULL for a file that declares none (a module)
  Environment **envs;
  int nenvs;
  Parameter **params;
  int nparams;
  SmSecret **sm_secrets;
  int nsm_secrets;
  InstanceType **instance_types;
  int ninstance_types;
  Region **regions;
  int nregions;
  AmiFamily **amis;
  int namis;
  Timezone **timezones;
  int ntimezones;
  struct ModelSyntax *syntax;  // model.c's, for model_origin only
} Model;

//
// values.c: --values FILE.yaml and --set, the values of declared variables
//

typedef struct Values Values;

// Parses a values file; NULL (after reporting) when it is not one.
Values *values_load(Compilation *c, Source *src);
// Adds one --set (string: --set-string) argument, src's text, to *v (made
// when NULL); reports a malformed one. Later arguments win.
void values_set(Compilation *c, Values **v, Source *src, bool string);
// The value of NAME in environment ENV ({0}: outside any), or NULL.
Node *values_lookup(Values *v, Str name, Str env);
// Reports keys that name no declared variable or environment.
void values_check(Compilation *c, Values *v, const Str *vars, int nvars, const Str *envs,
                  int nenvs);

//
// resolve.c
//

Model *resolve(Compilation *c, File **files, ptrdiff_t nfiles, Values *values);

//
// model.c: the model's queries, for every stage after resolve
//

// The index model_origin searches, of the files' top-level blocks (resolve.c).
struct ModelSyntax *model_index_syntax(Arena *a, File **files, ptrdiff_t nfiles);
// The entry of a map setting (env, tags, agent: sorted by name) by its key.
const KeyValue *model_kv_find(const KeyValue *v, int n, Str name);
// The partition of a region, as the AWS SDKs find it (aws when none claims it).
const Partition *model_partition_of(Str region);
Str model_partition(Str region);  // its id: "aws", "aws-cn", "aws-us-gov", ...
// Part n of an ARN, arn:PARTITION(0):SERVICE(1):REGION(2):ACCOUNT(3):...;
// {0} when it has fewer.
Str model_arn_part(Str arn, int n);
bool model_region_listed(Str region);  // in AWS's partition data (partitions.h)
const Partition *model_partition_named(Str id);  // NULL: no partition has that id
const Partition *model_partitions(int *n);       // all of them, aws first
// Whether ecsc can write a partition's names, ARNs and endpoints: aws, aws-cn,
// aws-us-gov (check_regions.c refuses the others, E1214).
bool model_partition_supported(const Partition *p);

// image.c: an image reference's parts
ImageRef image_read(Compilation *c, Str image);
ImageFault image_fault(Compilation *c, Str image);
// ECR's repository names (Amazon ECR API Reference, CreateRepository:
// repositoryName, "Minimum length of 2. Maximum length of 256", and its
// pattern): part of ECR's form (image.c), and what check_images.c explains.
#define IMAGE_ECR_REPOSITORY \
  "(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
// A log option's value by its name, in any case; {0} when not given.
Str model_log_option(const LogConfig *l, const char *name);
// The option itself (its spans), in any case; NULL when not given.
const KeyValue *model_log_kv(const LogConfig *l, const char *name);

// Fluent Bit's AWS outputs (model.c, fluent_outputs): the one table that
// check_logging.c (the options each refuses to start without, E0940),
// derive.c (each gets a region) and derive_iam.c (the task role's grant on
// its destination) read, so that the three cannot disagree.
typedef enum {
  FLUENT_LOGS,      // CloudWatch Logs: a log group and its streams
  FLUENT_FIREHOSE,  // a Firehose delivery stream
  FLUENT_KINESIS,   // a Kinesis data stream
  FLUENT_S3,        // an S3 bucket's objects
} FluentDestination;

typedef struct {
  const char *option;     // required
  const char *or_option;  // accepted in its place; NULL: none
} FluentRequired;

typedef struct {
  const char *name;                // the output's Name, lower-case
  FluentDestination destination;
  FluentRequired required[2];      // what it refuses to start without; the first
                                   // names the destination ({0}: no more)
  bool describes_streams;          // also calls logs:DescribeLogStreams
  bool templates;                  // $(...) in its names is filled in per record
} FluentOutput;

// The AWS output named NAME (Fluent Bit matches output names in any case);
// NULL for another output, whose destination ecsc does not know.
const FluentOutput *model_fluent_output(Str name);
// For a name that is none of them, the one it is a typo of ({0}: none is
// near, a third-party output such as datadog or loki).
Str model_fluent_output_near(Arena *a, Str name);
// Where the Fluent Bit record accessor at t.ptr[i] (a '$') ends, as
// fluent-bit reads a template (model.c says where): "$TAG" and "$TAG[n]"
// the tag, any other "$" a record key up to the next ".", " ", "," or '"'
// outside quotes, so "$ecs_cluster/web" is the key "ecs_cluster/web".
ptrdiff_t model_record_accessor_end(Str t, ptrdiff_t i);
// The template with each accessor as *: the names it can make.
Str model_record_pattern(Arena *a, Str t);
// Where a span is in the source, as its blocks and attribute name it:
// `service "basic-app" › route › paths`. The emitters' "//" notes name
// their source so, since a line number would change when unrelated lines
// move, and rewrite every state of every environment with it.
Str model_origin(const Model *m, Arena *a, Span s);
// A cluster has instances of its own when it names an instance_type; a
// group always does. Without them and without groups it is Fargate's only.
bool model_has_instances(const Cluster *k);
// Its AMI family is Bottlerocket (ami = "bottlerocket"), a group's its cluster's; false for NULL.
bool model_bottlerocket(const Cluster *k);
// The cluster's own instances, if any, then its groups (each a Cluster), in
// order; *n says how many.
const Cluster **model_instance_sets(Arena *a, const Cluster *k, int *n);
// The instance type of a cluster's first instances (its own, else its
// first group's), whose architecture its task definitions name unless the
// cluster sets architecture (model_cluster_arch); NULL for Fargate only or
// an unknown type.
const InstanceType *model_first_type(const Cluster *k);
// The architecture of a cluster's task definitions: its architecture
// setting, else its first instances' type's (E1243 keeps them one), else
// x86_64 (Fargate's default, RuntimePlatform).
Arch model_cluster_arch(const Cluster *k);
// Where a cluster's architecture comes from, for a note: the span of its
// architecture setting or of its first instances' instance_type, and *why
// says so ("instance_type \"t4g.small\" of cluster \"main\" is arm64, ...").
Span model_arch_origin(Arena *a, const Cluster *k, Str *why);
// Whether service `client`'s state is applied after service `server`'s for
// Service Connect (model.c says why): the order graph.c and emit_changes.c
// give the states.
bool model_connect_waits(const Service *client, const Service *server);
// A health check's test word NONE: Docker disables the check (Docker Engine
// API, HealthConfig.Test: ["NONE"] "disable healthcheck"). Both the compose
// importer (a compose test of NONE) and the checks (E0902) ask this.
bool model_health_word_disables(Str first);
// The container has a health check Docker runs: a health block whose
// command is not ["NONE"] (a string is a shell command, run as CMD-SHELL).
bool model_health_checked(const Container *k);
bool model_connect_serves(const Service *s);  // connect { port_name = ... }
// A container's ports, its main port first, then `ports` in order: the
// i-th and where it is written (*at may be NULL), 0 past the last.
int model_port(const Container *k, int i, Span *at);
bool model_maps_port(const Container *k, int port);  // its port or one of its ports
// The i-th port a container of s takes on its instance (a host_port in
// bridge mode; in host mode each port it listens on; none under awsvpc or
// with dynamic host ports), and where; 0 past the last.
int model_fixed_port(const Service *s, const Container *k, int i, Span *at);
bool model_parameter_valued(const Parameter *p);  // ecsc creates it with its value
bool model_on_instances(const Service *s);    // its tasks may run on its cluster's instances
bool model_on_fargate(const Service *s);      // its tasks may run on Fargate (or Fargate Spot)
// strategy "blue-green", "canary" or "linear": ECS's traffic-shifting family
// (BLUE_GREEN, CANARY, LINEAR), not ROLLING
bool model_shifts_traffic(const Service *s);
int model_surge_percent(const Service *s);    // max_percent, at most 200: what a deployment runs
bool model_connect_namespace(const Environment *e);  // the VPC state makes the namespace
// The most tasks a service may run: its count, or its scaling's highest max
// (a schedule's too), where that is written, and how a message names it,
// for the checks of a tasks per service limit (W1123, E1181).
typedef struct {
  int n;
  Span at;
  const char *what;   // "its count", "its scaling's highest max"
  const char *bound;  // what to keep below the limit: "count", "the scaling's max"
} TaskPeak;
TaskPeak model_task_peak(const Service *s);
// How diagnostics name a cluster's instances: `cluster "a"`, or a group's
// `group "spot" of cluster "a"`.
Str model_instances_name(Arena *a, const Cluster *k);
// What runs in an environment's private subnets (model.c says why): the
// container instances of any cluster, and every task without a public
// address; the first instance set found, or NULL for Fargate only.
const Cluster *model_env_instances(const Environment *e);
bool model_in_private_subnets(const Service *s);  // no assign_public_ip
bool model_private_interfaces(const Service *s);  // awsvpc, its interfaces there

//
// check.c and the rule files it runs, each citing AWS beside its checks
//

void check(Compilation *c, const Model *m);
void check_names(Compilation *c, const Model *m);          // check_names.c: E050x
void check_network(Compilation *c, const Environment *e);  // check_network.c: E051x, E0990-E0993
void check_agent(Compilation *c, const Cluster *k);        // check_agent.c: E0563-E0566, W0562-W0563

void check_routes(Compilation *c, const Environment *e);   // check_routes.c: E054x
void check_capacity(Compilation *c, const Cluster *k);     // check_capacity.c: E0523, E0533, E0550
void check_scaling(Compilation *c, const Model *m, const Service *s);  // check_scaling.c: E0950-E0953, E1201, E1202, W0950, W1200
void check_fargate(Compilation *c, const Service *s);  // check_fargate.c: E0960-E0966
void check_fargate_quota(Compilation *c, const Environment *e);  // check_fargate.c: W1020
void check_fargate_cluster(Compilation *c, const Cluster *k);  // check_fargate.c: E1242
void check_spot(Compilation *c, const Cluster *k);     // check_spot.c: E0970, W0970-W0971, W1143
void check_provider(Compilation *c, const Cluster *k); // check_provider.c: E0980, E0982-E0986, E1121, W0980-W0981
void check_provider_service(Compilation *c, const Service *s);  // check_provider.c
// check_instances.c: E0994-E0997, W0991: a cluster's kinds of capacity
void check_instances(Compilation *c, const Cluster *k);
void lint_check(Compilation *c, const Model *m);           // lint.c: W057x
void check_project(Compilation *c, const Model *m);        // check_project.c: tags, environment names
void check_containers(Compilation *c, const Service *s);   // check_containers.c: E0901-E0905, E0908, E0954-E0956, W0952-W0953
void check_images(Compilation *c, const Model *m, const Service *s, const Container *k);  // check_images.c: E1070-E1076, W1140
// E1075 for an image read from at (a string literal, a YAML scalar): also
// compose import's check of the images it reads. The diagnostic, or NULL.
Diag *check_images_reference(Compilation *c, Str image, Span at);
void check_volumes(Compilation *c, const Service *s);      // check_volumes.c: E0914-E0921, E1080-E1089, E1141-E1142, W0910-W0911, W1080, W1120
void check_regions(Compilation *c, const Model *m);  // check_regions.c: E1211-E1215
bool check_region_known(Compilation *c, const Model *m, Str region, DiagCode code, Span at,
                        Str where);  // check_regions.c: E1072's and E1211's test
void check_connect(Compilation *c, const Service *s);      // check_connect.c: E1020-E1024, E1030-E1032
void check_connect_namespace(Compilation *c, const Environment *e);  // check_connect.c: E1021-E1022
void check_logging(Compilation *c, const Service *s);      // check_logging.c: E0930-E0940, W0930
void check_groups(Compilation *c, const Service *s);       // check_groups.c: E1090-E1092, W1142
void check_deployment(Compilation *c, const Service *s);   // check_deployment.c: E1093-E1095, E1172-E1179
// check_network.c: a note on d where the service's network mode comes from
// (set here, or the default, bridge), for a finding that needs awsvpc.
void check_network_mode_note(Compilation *c, Diag *d, const Service *s);

//
// derive.c: every value ecsc computes rather than reads, once
//

void derive(Arena *a, Model *m);
// A DSL name as a Terraform name: "-" and "." become "_" ("us-east-1a" is
// us_east_1a). Not injective: check_names.c reports two names it merges.
Str derive_tf_ident(Arena *a, Str name);
// The band of automatic listener rule priorities a priority is in, with its
// first and last numbers; -1 for a number outside them (a declared one).
int derive_priority_band(int priority, int *first, int *last);
// The six hex digits that end a target group's name, from the key of what
// makes AWS replace the group (derive.c, target_group_name): fixed forever.
uint32_t derive_target_group_hash(Str key);

//
// derive_iam.c: every role's policy, least privilege, from the model alone
//

void derive_iam(Arena *a, Model *m);

//
// check_iam.c: statements against AWS's Service Authorization Reference
//

// The derived policies and the grants users declare: unknown actions and
// resources no action acts on are errors, wildcards warnings, a grant that
// repeats a derived one a note.
void check_iam(Compilation *c, const Model *m);
// One statement ecsc derived: each finding is an E0607 at st->because.
void check_iam_statement(Compilation *c, const Statement *st);

//
// pipeline.c: resolve -> derive -> check, for main.c and the fuzz harnesses
//

// Reads the values (a file, --set) once the sources have passed the schema;
// NULL for none. Reports what it cannot read.
typedef Values *(*PipelineValues)(Compilation *c, const void *ctx);
// The checked model of root and what it imports; NULL after an error that
// stops the stages (reported in c).
Model *pipeline_run(Compilation *c, Source *root, PipelineValues load, const void *ctx);

//
// explain_iam.c
//

// `ecsc lint --iam`: every derived statement with the line that caused it,
// as text, or as one JSON document (json = true) for golden tests.
void explain_iam(Compilation *c, Model *m, Buf *out, bool json);

#endif
