// check_volumes.c: the rules of a task's volumes and its containers' mounts:
// names ECS accepts, every volume mounted, EFS's transit encryption, access
// point and IAM rules, Docker volumes and instance paths off Fargate, one
// mount per path; EBS volumes' sizes, performance, keys and capacity, one
// per task. resolve.c binds each mount
// to its volume (E0913) and schema.c checks the ids' and paths' forms.
// Reports E0914-E0921, E1080-E1089, W0910-W0911, W1080 and W1120;
// EFS's mount helper and EBS's driver on Bottlerocket, E1141 and E1142.
#include "model.h"

#include <string.h>

// ECS API Reference, "Volume": name, "Up to 255 letters (uppercase and
// lowercase), numbers, underscores, and hyphens are allowed".
static bool volume_name_ok(Str name) {
  if (name.len < 1 || name.len > 255)
    return false;
  for (ptrdiff_t i = 0; i < name.len; i++) {
    char ch = name.ptr[i];
    if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') && !(ch >= '0' && ch <= '9') &&
        ch != '_' && ch != '-')
      return false;
  }
  return true;
}

static void volume_name(Compilation *c, const Service *s, const Volume *v) {
  if (volume_name_ok(v->name))
    return;
  Diag *d = diag_at(c, E0914, v->span, "volume name \"%.*s\" of service \"%.*s\" is not one ECS "
                    "accepts", S(v->name), S(s->name));
  diag_help(c, d, "use at most 255 letters, digits, underscores and hyphens");
}

// A volume no container mounts is never mounted (ECS API Reference,
// "MountPoint": containers mount a task's volumes by name), and its EFS
// grants would be unused: derive_iam.c gives it none.
static void unmounted(Compilation *c, const Service *s, const Volume *v) {
  if (v->nmounts)
    return;
  // ECS Developer Guide, "Defer volume configuration to launch time in an
  // Amazon ECS task definition": "You must specify mount points to attach
  // an Amazon EBS volume directly to an Amazon ECS task".
  if (v->kind == VOLUME_EBS) {
    Diag *d = diag_at(c, E1081, v->span, "EBS volume \"%.*s\" of service \"%.*s\" is mounted by "
                      "no container", S(v->name), S(s->name));
    diag_help(c, d, "mount it in a container, mount \"%.*s\" { path = \"/...\" }, or remove it",
              S(v->name));
    return;
  }
  Diag *d = diag_at(c, W0910, v->span, "volume \"%.*s\" of service \"%.*s\" is mounted by no "
                    "container", S(v->name), S(s->name));
  diag_help(c, d, "mount it in a container, mount \"%.*s\" { path = \"/...\" }, or remove it",
            S(v->name));
}

// ECS API Reference, "EFSAuthorizationConfig": accessPointId, "If an
// access point is specified, the root directory value specified in the
// EFSVolumeConfiguration must either be omitted or set to /" and "If an
// access point is used, transit encryption must be on"; iam, "If it is
// turned on, transit encryption must be turned on". AWS Knowledge Center,
// "How do I mount an Amazon EFS file system on an Amazon ECS container or
// task running on Fargate?": "Fargate platform versions 1.3.0 or earlier
// don't support persistent storage using Amazon EFS", which no service
// can pin any more (check_fargate.c, E0963).
static void efs_rules(Compilation *c, const Service *s, const Volume *v) {
  const EfsVolume *f = &v->efs;
  if (!f->transit_encryption && (f->access_point_id.len || f->iam)) {
    bool ap = f->access_point_id.len;
    Diag *d = diag_at(c, E0915, span_or(f->at.transit_encryption, f->span),
                      "EFS volume \"%.*s\" turns transit encryption off, but %s needs it",
                      S(v->name), ap ? "its access point" : "IAM authorization");
    diag_note(c, d, ap ? f->at.access_point_id : f->at.iam, "%s here",
              ap ? "the access point is given" : "IAM authorization is turned on");
    diag_help(c, d, "remove transit_encryption = false: ECS mounts through an access point or "
                    "with the task role only over TLS");
  }
  if (f->access_point_id.len && f->root_directory.len && !str_eq_c(f->root_directory, "/")) {
    Diag *d = diag_at(c, E0916, f->at.root_directory, "EFS volume \"%.*s\" has a root_directory "
                      "and an access point", S(v->name));
    diag_note(c, d, f->at.access_point_id, "the access point fixes the directory the task sees");
    diag_help(c, d, "remove root_directory and set the directory on the access point");
  }
  // ECS API Reference, "EFSVolumeConfiguration": transitEncryptionPort,
  // "The port to use when sending encrypted data between the Amazon ECS
  // host and the Amazon EFS server"
  // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html):
  // without transit encryption there is no encrypted tunnel to give a port.
  // AWS documents no refusal of the pair, so a warning: the port does
  // nothing, and was likely written meaning TLS.
  if (f->transit_encryption_port && !f->transit_encryption) {
    Diag *d = diag_at(c, W1120, f->at.transit_encryption_port, "EFS volume \"%.*s\" has a "
                      "transit_encryption_port, but transit encryption is off", S(v->name));
    diag_note(c, d, f->at.transit_encryption, "transit encryption is turned off here");
    diag_help(c, d, "remove transit_encryption_port, or transit_encryption = false (TLS is "
                    "ecsc's default)");
  }
  if (f->root_access && !f->iam) {
    Diag *d = diag_at(c, E0919, f->at.root_access, "EFS volume \"%.*s\" asks for root access "
                      "without IAM authorization", S(v->name));
    diag_help(c, d, "add iam = true (EFS consults the task role's grants only then), or remove "
                    "root_access");
  }
}

// Whether the service's tasks may land on its cluster's Bottlerocket
// instances (ami = "bottlerocket"): its own or a group's, which share the
// cluster's AMI family, as check_connect.c's E1050 reads it.
static bool on_bottlerocket(const Service *s) {
  const Cluster *k = s->cluster;
  return model_bottlerocket(k) && model_on_instances(s);
}

// EFS with IAM authorization, an access point or transit encryption on
// Bottlerocket: the ECS agent mounts such a volume only through the ECS
// volume plugin and amazon-efs-utils, and advertises
// ecs.capability.efsAuth only from ECS_VOLUME_PLUGIN_CAPABILITIES
// (aws/amazon-ecs-agent, agent/config/parse.go and
// agent/taskresource/volume/dockervolume_efs.go, where without the plugin
// the mount is Docker's plain NFS: no "tls", "iam" or "accesspoint"
// option), which ecs-init sets on the ECS-optimized AMI
// (ecs-init/docker/docker.go: ["efsAuth"]). Bottlerocket has no ecs-init,
// and its agent patch comments the capability out
// (bottlerocket-os/bottlerocket-core-kit,
// packages/ecs-agent/0002-bottlerocket-remove-unsupported-capabilities.patch,
// "support efs auth on ecs capabilities"); bottlerocket-os/bottlerocket
// issue 1080, "[ECS] EFS encryption and IAM authentication support" (open):
// "This will require the functionality provided by amazon-efs-utils. This
// package is written in Python, which is not included in Bottlerocket".
// ECS then finds no instance with the attribute, and never places the task.
// Still so (read 2026-12): the issue is open (status/icebox, its last
// comment of 2025-12 asks for news), ecs-agent.spec at 4e91d94 (agent
// 1.105.1) still applies patch 0002, and the core kit's package list at
// v16.1.0 (kits/bottlerocket-core-kit/Cargo.toml, 01487c2) has no
// amazon-efs-utils. Patch 0002's text was read at a10182f (2024-10) only.
static void efs_bottlerocket(Compilation *c, const Service *s, const Volume *v) {
  const EfsVolume *f = &v->efs;
  if (!on_bottlerocket(s) || (!f->iam && !f->access_point_id.len && !f->transit_encryption))
    return;
  const char *what = f->iam ? "IAM authorization"
                     : f->access_point_id.len ? "an access point"
                     : f->at.transit_encryption.src ? "transit encryption"
                                                    : "transit encryption, ecsc's default";
  Span at = f->iam ? f->at.iam
            : f->access_point_id.len ? f->at.access_point_id
                                     : span_or(f->at.transit_encryption, f->span);
  const Cluster *k = s->cluster;
  Diag *d = diag_at(c, E1141, at, "EFS volume \"%.*s\" of service \"%.*s\" uses %s, which "
                    "cluster \"%.*s\"'s Bottlerocket instances cannot mount", S(v->name),
                    S(s->name), what, S(k->name));
  diag_note(c, d, span_or(k->at.ami, k->span), "the cluster's AMI family is chosen here");
  diag_help(c, d, "run the service on Fargate (capacity = \"fargate\") or use ami = \"al2023\" "
            "in cluster \"%.*s\"; or, if plain NFS will do, remove iam and access_point_id "
            "and set transit_encryption = false (the data then crosses the network "
            "unencrypted, and EFS no longer checks the task role)", S(k->name));
}

// ECS API Reference, "Volume": dockerVolumeConfiguration, "Docker volumes
// aren't supported by tasks run on Fargate"; "DockerVolumeConfiguration":
// autoprovision, "This field is only used if the scope is shared".
static void docker_rules(Compilation *c, const Service *s, const Volume *v) {
  const DockerVolume *k = &v->docker;
  if (s->runs_on != RUN_EC2) {
    Diag *d = diag_at(c, E0917, k->span, "volume \"%.*s\" is a Docker volume, but service "
                      "\"%.*s\" runs on Fargate", S(v->name), S(s->name));
    if (s->at.capacity.src)
      diag_note(c, d, s->at.capacity, "the service runs on Fargate here");
    diag_help(c, d, "Fargate has no Docker volumes: use volume \"%.*s\" {} (the task's own "
                    "storage) or an efs block", S(v->name));
  }
  if (k->autoprovision && str_eq_c(k->scope, "task")) {
    Diag *d = diag_at(c, W0911, k->at.autoprovision, "autoprovision of volume \"%.*s\" does "
                      "nothing: its scope is task", S(v->name));
    diag_help(c, d, "set scope = \"shared\" to keep the volume between tasks, or remove "
                    "autoprovision");
  }
}

// ECS API Reference, "HostVolumeProperties": sourcePath, "If you're using
// the Fargate launch type, the sourcePath parameter is not supported"; ECS
// Developer Guide, "Use bind mounts with Amazon ECS": only "for tasks that
// are hosted on Amazon EC2 instances, the data can be tied to the lifecycle
// of the host Amazon EC2 instance by specifying a host and optional
// sourcePath". A Fargate task's bind mounts are its own storage.
static void host_rules(Compilation *c, const Service *s, const Volume *v) {
  if (s->runs_on == RUN_EC2)
    return;
  Diag *d = diag_at(c, E0921, v->host_path_at, "volume \"%.*s\" binds a path of the instance, "
                    "but service \"%.*s\" runs on Fargate", S(v->name), S(s->name));
  if (s->at.capacity.src)
    diag_note(c, d, s->at.capacity, "the service runs on Fargate here");
  diag_help(c, d, "Fargate has no instance paths: remove host_path (volume \"%.*s\" {} is the "
                  "task's own storage) or use an efs block for storage that outlives the task",
            S(v->name));
}

//
// EBS volumes ECS creates for each task (volume "NAME" { ebs { } })
//

// Each volume type's sizes, IOPS, throughput and Fargate: ebs_limits.h,
// generated from the ECS API Reference's "ServiceManagedEBSVolumeConfiguration"
// (sizeInGiB, "The following are the supported volume size values for each
// volume type"; iops, "The following are the supported values for each
// volume type" and "This parameter is required for io1 and io2 volume
// types"; throughput, "only supported for the gp3 volume type"; volumeType,
// "The magnetic volume type is not supported on Fargate").
typedef struct {
  const char *type;
  int64_t min_gib, max_gib;
  int min_iops, max_iops;  // 0: the type takes none
  bool iops_required, throughput, fargate;
} EbsType;

static const EbsType ebs_types[] = {
#define EBS_TYPE(type, min_gib, max_gib, min_iops, max_iops, iops_required, throughput, fargate) \
  {type, min_gib, max_gib, min_iops, max_iops, iops_required, throughput, fargate},
#include "ebs_limits.h"
#undef EBS_TYPE
};

static const EbsType *ebs_type(Str name) {
  for (int i = 0; i < countof(ebs_types); i++)
    if (str_eq_c(name, ebs_types[i].type))
      return &ebs_types[i];
  return NULL;  // not the schema's (reported)
}

// ECS API Reference, "ServiceManagedEBSVolumeConfiguration": sizeInGiB,
// "You must specify either a volume size or a snapshot ID", and the sizes
// of each type (ebs_types).
static void ebs_size(Compilation *c, const Volume *v, const EbsType *t) {
  const EbsVolume *b = &v->ebs;
  if (!b->size && !b->snapshot_id.len) {
    Diag *d = diag_at(c, E1083, b->span, "EBS volume \"%.*s\" has neither a size nor a "
                      "snapshot_id", S(v->name));
    diag_help(c, d, "add size = 10 GiB (or the size each task needs), or snapshot_id = "
                    "\"snap-...\" to start from a snapshot");
    return;
  }
  int64_t gib = b->size >> 30;
  if (!b->size || (gib >= t->min_gib && gib <= t->max_gib))
    return;
  Diag *d = diag_at(c, E1082, b->at.size, "EBS volume \"%.*s\" is %lld GiB, but %s volumes are "
                    "%lld to %lld GiB", S(v->name), (long long)gib, t->type,
                    (long long)t->min_gib, (long long)t->max_gib);
  if (b->at.type.src)
    diag_note(c, d, b->at.type, "the type is set here");
  diag_help(c, d, "choose a size from %lld to %lld GiB, or another type", (long long)t->min_gib,
            (long long)t->max_gib);
}

// iops: the ranges of ebs_types, required where ebs_types says; the ECS
// API Reference gives no range for gp2, and EC2 API Reference,
// CreateVolume: Iops, "This parameter is not supported for gp2, st1, sc1,
// or standard volumes". throughput: the types ebs_types says (gp3 alone,
// "This parameter is only supported for the gp3 volume type").
static void ebs_performance(Compilation *c, const Volume *v, const EbsType *t) {
  const EbsVolume *b = &v->ebs;
  if (!t->max_iops && b->iops) {
    Diag *d = diag_at(c, E1084, b->at.iops, "EBS volume \"%.*s\" is %s, which takes no iops",
                      S(v->name), t->type);
    diag_help(c, d, "remove iops, or use gp3, io1 or io2 for provisioned IOPS");
  } else if (t->iops_required && !b->iops) {
    Diag *d = diag_at(c, E1084, span_or(b->at.type, b->span), "EBS volume \"%.*s\" is %s, which "
                      "needs iops", S(v->name), t->type);
    diag_help(c, d, "add iops = %d (%d to %d)", t->min_iops, t->min_iops, t->max_iops);
  } else if (b->iops && (b->iops < t->min_iops || b->iops > t->max_iops)) {
    Diag *d = diag_at(c, E1084, b->at.iops, "EBS volume \"%.*s\" asks for %d IOPS, but %s "
                      "volumes take %d to %d", S(v->name), b->iops, t->type, t->min_iops,
                      t->max_iops);
    diag_help(c, d, "choose iops from %d to %d", t->min_iops, t->max_iops);
  }
  if (b->throughput && !t->throughput) {
    Diag *d = diag_at(c, E1085, b->at.throughput, "EBS volume \"%.*s\" is %s, but only gp3 "
                      "volumes take a throughput", S(v->name), t->type);
    diag_help(c, d, "remove throughput, or set type = \"gp3\"");
  }
}

// Amazon EBS User Guide, "Amazon EBS volume types", gp3: "The maximum
// ratio of provisioned IOPS to provisioned volume size is 500 IOPS per GiB.
// The maximum ratio of provisioned throughput to provisioned IOPS is .25
// MiB/s per IOPS"; without iops a gp3 volume has its baseline, "a
// consistent baseline rate of 3,000 IOPS". (A size taken from a snapshot is
// not known here.)
static void gp3_ratios(Compilation *c, const Volume *v) {
  const EbsVolume *b = &v->ebs;
  int iops = b->iops ? b->iops : 3000;
  int64_t gib = b->size >> 30;
  if (b->iops && gib && (int64_t)b->iops > 500 * gib) {
    Diag *d = diag_at(c, E1089, b->at.iops, "EBS volume \"%.*s\" asks for %d IOPS, more than the "
                      "500 per GiB a %lld GiB gp3 volume takes", S(v->name), b->iops,
                      (long long)gib);
    diag_note(c, d, b->at.size, "the size is set here");
    diag_help(c, d, "lower iops to %lld, or make the volume at least %d GiB",
              (long long)(500 * gib), (b->iops + 499) / 500);
  }
  if (b->throughput && b->throughput * 4 > iops) {
    Diag *d = diag_at(c, E1089, b->at.throughput, "EBS volume \"%.*s\" asks for %d MiB/s, more than "
                      "the 0.25 MiB/s per IOPS its %d IOPS allow", S(v->name), b->throughput, iops);
    if (b->at.iops.src)
      diag_note(c, d, b->at.iops, "the IOPS are set here");
    diag_help(c, d, "raise iops to %d, or lower throughput to %d", b->throughput * 4, iops / 4);
  }
}

// EC2 API Reference, CreateVolume: KmsKeyId, "If KmsKeyId is specified,
// the encrypted state must be true" (ECS's kmsKeyId "maps 1:1" to it).
static void ebs_key(Compilation *c, const Volume *v) {
  const EbsVolume *b = &v->ebs;
  if (!b->kms_key.len || b->encrypted)
    return;
  Diag *d = diag_at(c, E1087, b->at.kms_key, "EBS volume \"%.*s\" has a kms_key but is not "
                    "encrypted", S(v->name));
  diag_note(c, d, b->at.encrypted, "encryption is turned off here");
  diag_help(c, d, "remove encrypted = false (ecsc encrypts by default), or remove kms_key");
}

// ECS Developer Guide, "Use Amazon EBS volumes with Amazon ECS",
// "Supported operating systems and capacity": on Fargate, "Amazon EBS
// volumes are supported on platform version 1.4.0 or later (Linux)", every
// version Fargate still runs (check_fargate.c, E0963); on
// EC2, "on ECS-optimized AMI 20231219 or later" (the family's recommended
// AMI, unless ami_id pins one: W1080). Considerations: "The magnetic
// (standard) Amazon EBS volume type is not supported for tasks hosted on
// Fargate"; "To use Amazon EBS volumes with Amazon ECS services, the
// deployment controller must be ECS", which ecsc's services always have.
static void ebs_capacity(Compilation *c, const Service *s, const Volume *v) {
  const EbsVolume *b = &v->ebs;
  if (s->runs_on == RUN_EC2) {
    const Cluster *k = s->cluster;
    if (!model_on_instances(s) || !k || !k->ami_id.len)
      return;
    Diag *d = diag_at(c, W1080, b->span, "EBS volume \"%.*s\" needs an ECS-optimized AMI of "
                      "2023-12-19 or later, and cluster \"%.*s\" pins its AMI", S(v->name),
                      S(k->name));
    diag_note(c, d, k->at.ami_id, "the AMI is pinned here");
    diag_help(c, d, "check that the pinned AMI's name is dated 20231219 or later, or remove "
                    "ami_id to use the family's recommended AMI");
    return;
  }
  const EbsType *t = ebs_type(b->type);
  if (t && !t->fargate) {
    Diag *d = diag_at(c, E1086, b->at.type, "EBS volume \"%.*s\" is %s, a type Fargate does not "
                      "support", S(v->name), t->type);
    if (s->at.capacity.src)
      diag_note(c, d, s->at.capacity, "the service runs on Fargate here");
    diag_help(c, d, "use another type, such as gp3 (ecsc's default)");
  }
}

// Whether a service places tasks on instance set k of its cluster (the
// cluster's own instances or a group): its strategy names k, or without one
// it runs on the cluster's own (check_capacity.c reads strategies alike).
static bool places_on(const Service *s, const Cluster *k) {
  if (!s->strategy.n)
    return !k->outer;
  for (int i = 0; i < s->strategy.n; i++) {
    const StrategyItem *it = &s->strategy.items[i];
    if ((it->base || it->weight) && ((it->provider == PROVIDER_EC2 && !k->outer) ||
                                     (it->provider == PROVIDER_GROUP && it->group == k)))
      return true;
  }
  return false;
}

// ECS Developer Guide, "Use Amazon EBS volumes with Amazon ECS",
// "Supported operating systems and capacity": on EC2, "Amazon EBS volumes
// are supported for tasks hosted on Nitro-based instances". An instance
// type's hypervisor is the standard library's (EC2 InstanceTypeInfo:
// Hypervisor, nitro or xen); one of unknown hypervisor is not judged.
static void ebs_nitro(Compilation *c, const Service *s, const Volume *v) {
  if (!s->cluster || !model_on_instances(s))
    return;
  int n;
  const Cluster **sets = model_instance_sets(&c->arena, s->cluster, &n);
  for (int i = 0; i < n; i++) {
    const Cluster *k = sets[i];
    if (!places_on(s, k))
      continue;
    for (int j = 0; j < k->ntypes; j++) {
      const InstanceType *t = k->types[j];
      if (!t || !str_eq_c(t->hypervisor, "xen"))
        continue;
      Diag *d = diag_at(c, E1088, k->type_at[j], "EBS volume \"%.*s\" of service \"%.*s\" needs "
                        "Nitro-based instances, but %.*s may launch %.*s, a Xen instance type",
                        S(v->name), S(s->name), S(model_instances_name(&c->arena, k)),
                        S(t->name));
      diag_note(c, d, v->ebs.span, "the EBS volume is declared here");
      diag_help(c, d, "use a Nitro-based instance type (t3, m5, c5 and later), or place the "
                      "service on instances that have one (strategy)");
      break;
    }
  }
}

// EBS on Bottlerocket: the ECS agent advertises
// ecs.capability.storage.ebs-task-volume-attach only when the EBS CSI
// driver's image is on the instance, at
// /var/lib/ecs/deps/daemons/ebs-csi-driver/ebs-csi-driver.tar
// (aws/amazon-ecs-agent, agent/app/agent_capability.go,
// appendEBSTaskAttachCapabilities; ecs-agent/manageddaemon, defaultImportAll),
// and it formats and mounts the attached volume through that driver
// (agent/ebs, the EBS watcher: csiClient.NodeStageVolume). No Bottlerocket ECS
// variant builds the image: bottlerocket-os/bottlerocket-core-kit's package
// list (kits/bottlerocket-core-kit/Cargo.toml at 01487c2, the v16.1.0 kit of
// 2026-09-03) has no EBS CSI driver, its packages/ecs-agent/ecs-agent.spec
// (4e91d94, agent 1.105.1) installs the agent, the pause image and their
// configuration only, nothing under /var/lib/ecs/deps, and
// bottlerocket-os/bottlerocket's variants/aws-ecs-3 and aws-ecs-4
// (Cargo.toml, included-packages) add none. So the task never starts.
static void ebs_bottlerocket(Compilation *c, const Service *s, const Volume *v) {
  if (!on_bottlerocket(s))
    return;
  const Cluster *k = s->cluster;
  Diag *d = diag_at(c, E1142, v->ebs.span, "EBS volume \"%.*s\" of service \"%.*s\" cannot "
                    "attach on cluster \"%.*s\"'s Bottlerocket instances", S(v->name),
                    S(s->name), S(k->name));
  diag_note(c, d, span_or(k->at.ami, k->span), "the cluster's AMI family is chosen here");
  diag_help(c, d, "run the service on Fargate (capacity = \"fargate\") or use ami = \"al2023\" "
            "in cluster \"%.*s\": Bottlerocket ships no EBS CSI driver, which the ECS agent "
            "attaches the volume with", S(k->name));
}

static void ebs_rules(Compilation *c, const Service *s, const Volume *v) {
  const EbsType *t = ebs_type(v->ebs.type);
  if (!t)
    return;
  ebs_size(c, v, t);
  ebs_performance(c, v, t);
  if (!strcmp(t->type, "gp3"))
    gp3_ratios(c, v);
  ebs_key(c, v);
  ebs_capacity(c, s, v);
  ebs_nitro(c, s, v);
  ebs_bottlerocket(c, s, v);
}

// ECS API Reference, "Volume": "The volume configuration may contain
// multiple volumes but only one volume configured at launch is supported";
// CreateService's volumeConfigurations, one per service (AWS provider,
// aws_ecs_service: volume_configuration, a single block).
static void one_ebs(Compilation *c, const Service *s) {
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    if (v->kind != VOLUME_EBS || v == s->ebs)
      continue;
    Diag *d = diag_at(c, E1080, v->ebs.span, "service \"%.*s\" has a second EBS volume, "
                      "\"%.*s\"", S(s->name), S(v->name));
    diag_note(c, d, s->ebs->ebs.span, "its first, \"%.*s\"", S(s->ebs->name));
    diag_help(c, d, "ECS attaches one EBS volume to a task: keep one ebs block");
  }
}

// Two mounts at one path of a container: Docker refuses to create it
// ("Duplicate mount point"), so the task never starts.
static void mount_paths(Compilation *c, const Container *k) {
  for (int i = 1; i < k->nmounts; i++) {
    for (int j = 0; j < i; j++) {
      if (!str_eq(k->mounts[i].path, k->mounts[j].path))
        continue;
      Diag *d = diag_at(c, E0920, span_or(k->mounts[i].path_at, k->mounts[i].at),
                        "container \"%.*s\" mounts \"%.*s\" and \"%.*s\" both at %.*s",
                        S(k->name), S(k->mounts[j].name), S(k->mounts[i].name),
                        S(k->mounts[i].path));
      diag_note(c, d, span_or(k->mounts[j].path_at, k->mounts[j].at), "the first mount there");
      diag_help(c, d, "mount each volume at a path of its own");
      break;
    }
  }
}

void check_volumes(Compilation *c, const Service *s) {
  for (int i = 0; i < s->nvolumes; i++) {
    const Volume *v = &s->volumes[i];
    volume_name(c, s, v);
    unmounted(c, s, v);
    if (v->kind == VOLUME_EFS) {
      efs_rules(c, s, v);
      efs_bottlerocket(c, s, v);
    }
    if (v->kind == VOLUME_DOCKER)
      docker_rules(c, s, v);
    if (v->kind == VOLUME_HOST)
      host_rules(c, s, v);
    if (v->kind == VOLUME_EBS)
      ebs_rules(c, s, v);
  }
  if (s->ebs)
    one_ebs(c, s);
  for (int i = 0; i < s->ncontainers; i++)
    mount_paths(c, s->containers[i]);
}
