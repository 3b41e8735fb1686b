#!/usr/bin/env python3
# tests/ebs-oracle/gen.py: writes the fixtures of tests/ebs-oracle.sh, one
# directory each: a service state (main.tf.json: an aws_ecs_service with a
# managed_ebs_volume, its infrastructure role, the role's trust policy and
# policy, as ecsc writes them) and its task-definition.json (Fargate, or EC2
# instances). good/ must pass the EBS oracle (tests/ebs-oracle.js); each
# bad/NAME must fail it with the lines of bad/NAME/expect among its output.
# Edit this script, not the trees; run it from anywhere:
# python3 tests/ebs-oracle/gen.py
import copy
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from oracle_fixtures import cond, stmt, write_expect, write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ACCT = "123456789012"
REGION = "us-east-1"
ROLE = "fixture-infra"
KEY = f"arn:aws:kms:{REGION}:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SNAPSHOT = "snap-0123456789abcdef0"
VOLUMES = f"arn:aws:ec2:{REGION}:{ACCT}:volume/*"
TASKS = f"arn:aws:ecs:{REGION}:{ACCT}:task/*"
# The oracle's stand-in for the account of a Fargate task's host.
AWS_ACCOUNT = "999988887777"


TAGGED = [cond("ArnLike", "aws:RequestTag/AmazonECSCreated", TASKS),
          cond("StringEquals", "aws:RequestTag/AmazonECSManaged", "true")]
VIA = [cond("StringEquals", "kms:CallerAccount", ACCT),
       cond("StringEquals", "kms:ViaService", f"ec2.{REGION}.amazonaws.com"),
       cond("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", "aws:ebs:id")]


# The statements ecsc derives (compiler/derive_iam.c, ecs_volumes and
# ecs_volume_key) for a volume on Fargate or on the cluster's instances.
def statements(fargate, key, snapshot):
    host = "*" if fargate else ACCT
    out = [
        stmt("CreateEBSManagedVolume", ["ec2:CreateVolume"], [VOLUMES], *TAGGED),
        stmt("TagOnCreateVolume", ["ec2:CreateTags"], [VOLUMES], *TAGGED,
             cond("StringEquals", "ec2:CreateAction", "CreateVolume")),
        stmt("DescribeVolumesForLifecycle",
             ["ec2:DescribeAvailabilityZones", "ec2:DescribeInstances", "ec2:DescribeVolumes"], ["*"],
             cond("StringEquals", "ec2:Region", REGION)),
        stmt("ManageEBSVolumeLifecycle", ["ec2:AttachVolume", "ec2:DetachVolume"], [VOLUMES],
             cond("StringEquals", "aws:ResourceTag/AmazonECSManaged", "true")),
        stmt("ManageVolumeAttachmentsForEC2", ["ec2:AttachVolume", "ec2:DetachVolume"],
             [f"arn:aws:ec2:{REGION}:{host}:instance/*"]),
        stmt("DeleteEBSManagedVolume", ["ec2:DeleteVolume"], [VOLUMES],
             cond("ArnLike", "aws:ResourceTag/AmazonECSCreated", TASKS),
             cond("StringEquals", "aws:ResourceTag/AmazonECSManaged", "true")),
    ]
    if snapshot:
        out.insert(1, stmt("CreateEBSManagedVolumeFromSnapshot", ["ec2:CreateVolume"],
                           [f"arn:aws:ec2:{REGION}::snapshot/{SNAPSHOT}"]))
    if key:
        data = ["kms:GenerateDataKey*"] + (["kms:ReEncryptFrom", "kms:ReEncryptTo"] if snapshot else [])
        out += [
            stmt("DescribeVolumeKey", ["kms:DescribeKey"], [KEY]),
            stmt("EncryptVolume", data, [KEY], *VIA),
            stmt("GrantVolumeKey", ["kms:CreateGrant"], [KEY], *VIA,
                 cond("Bool", "kms:GrantIsForAWSResource", "true")),
        ]
    return out


TRUST = {"effect": "Allow", "actions": ["sts:AssumeRole"],
         "principals": [{"type": "Service", "identifiers": ["ecs.amazonaws.com"]}]}


# Without a key of its own the volume is encrypted with the account's EBS
# default key, or from an encrypted snapshot with the snapshot's key:
# ecsc's plan reads that key and holds it AWS managed (compiler/emit_tf_service.c,
# ebs_default_key), which the oracle requires.
def default_key_guard(encrypted, snapshot):
    holds = '${self.key_manager == "AWS"}'
    key = "${data.aws_ebs_default_kms_key.current.key_arn}"
    data = {"aws_ebs_default_kms_key": {"current": {}}}
    if snapshot:
        data["aws_ebs_snapshot"] = {"volume": {"snapshot_ids": [SNAPSHOT]}}
        key = ("${data.aws_ebs_snapshot.volume.encrypted ? data.aws_ebs_snapshot.volume.kms_key_id : "
               "data.aws_ebs_default_kms_key.current.key_arn}")
    if not encrypted:
        data["aws_ebs_encryption_by_default"] = {"current": {}}
        holds = '${!data.aws_ebs_encryption_by_default.current.enabled || self.key_manager == "AWS"}'
        if snapshot:
            holds = ('${!(data.aws_ebs_encryption_by_default.current.enabled || '
                     'data.aws_ebs_snapshot.volume.encrypted) || self.key_manager == "AWS"}')
    data["aws_kms_key"] = {"ebs_default": {
        "key_id": key,
        "lifecycle": {"postcondition": [{"condition": holds, "error_message": "customer managed"}]}}}
    return data


def fixture(fargate=True, key=True, snapshot=True, encrypted=True):
    volume = {"role_arn": "${aws_iam_role.infrastructure.arn}", "size_in_gb": 20, "volume_type": "gp3",
              "file_system_type": "ext4", "encrypted": encrypted}
    if key:
        volume["kms_key_id"] = KEY
    if snapshot:
        volume["snapshot_id"] = SNAPSHOT
    state = {
        "provider": {"aws": {"region": REGION, "allowed_account_ids": [ACCT]}},
        "data": {"aws_iam_policy_document": {
            "ecs_assume": {"statement": [copy.deepcopy(TRUST)]},
            "infrastructure": {"statement": statements(fargate, key, snapshot)},
        }},
        "resource": {
            "aws_iam_role": {"infrastructure": {
                "name": ROLE, "assume_role_policy": "${data.aws_iam_policy_document.ecs_assume.json}"}},
            "aws_iam_role_policy": {"infrastructure": {
                "name": "volumes", "role": "${aws_iam_role.infrastructure.id}",
                "policy": "${data.aws_iam_policy_document.infrastructure.json}"}},
            "aws_ecs_service": {"main": {"name": "fixture", "volume_configuration": [
                {"name": "data", "managed_ebs_volume": [volume]}]}},
        },
    }
    if not key:
        state["data"].update(default_key_guard(encrypted, snapshot))
    taskdef = {"family": "fixture", "requiresCompatibilities": ["FARGATE" if fargate else "EC2"],
               "volumes": [{"name": "data", "configuredAtLaunch": True}],
               "containerDefinitions": [{"name": "app", "image": "app:1", "essential": True, "memory": 128}]}
    return state, taskdef


def policy(state):
    return state["data"]["aws_iam_policy_document"]["infrastructure"]["statement"]


def find(state, sid):
    return next(st for st in policy(state) if st["sid"] == sid)


def trust_source_account(state):
    state["data"]["aws_iam_policy_document"]["ecs_assume"]["statement"][0]["condition"] = [
        cond("StringEquals", "aws:SourceAccount", ACCT)]


def trust_tasks_too(state):
    state["data"]["aws_iam_policy_document"]["ecs_assume"]["statement"][0]["principals"][0]["identifiers"].append(
        "ecs-tasks.amazonaws.com")


def without(sid):
    def edit(state):
        state["data"]["aws_iam_policy_document"]["infrastructure"]["statement"] = [
            st for st in policy(state) if st["sid"] != sid]
    return edit


def set_field(sid, field, value):
    def edit(state):
        find(state, sid)[field] = value
    return edit


def without_guard(state):
    del state["data"]["aws_kms_key"]


def guard_key(key_id):
    def edit(state):
        state["data"]["aws_kms_key"]["ebs_default"]["key_id"] = key_id
    return edit


def guard_condition(condition):
    def edit(state):
        state["data"]["aws_kms_key"]["ebs_default"]["lifecycle"]["postcondition"][0]["condition"] = condition
    return edit


def drop_condition(sid, variable):
    def edit(state):
        st = find(state, sid)
        st["condition"] = [c for c in st["condition"] if c["variable"] != variable]
    return edit


GOOD = {
    "fargate-key-snapshot": {},
    "fargate-new-volume": {"key": True, "snapshot": False},
    "instances-ebs-key": {"fargate": False, "key": False, "snapshot": False},
    "fargate-unencrypted": {"key": False, "snapshot": False, "encrypted": False},
    "instances-snapshot-key": {"fargate": False, "key": False},
    "fargate-snapshot-unencrypted": {"key": False, "encrypted": False},
}

UNGUARDED = "no managed_ebs_volume kms_key_id, and the plan does not prove the EBS default key AWS managed"
SNAPSHOT_UNGUARDED = ("no managed_ebs_volume kms_key_id, and the plan does not prove the key of the volume from "
                      f"snapshot {SNAPSHOT} AWS managed")

# NAME: (fixture options, edit of the state, lines the oracle must print)
BAD = {
    "trust-source-account": ({}, trust_source_account,
                             ["DENIED sts:AssumeRole by ecs.amazonaws.com"]),
    "trust-tasks-too": ({}, trust_tasks_too,
                        ["ALLOWED sts:AssumeRole by ecs-tasks.amazonaws.com"]),
    "fargate-no-host": ({}, without("ManageVolumeAttachmentsForEC2"),
                        [f"DENIED ec2:AttachVolume on arn:aws:ec2:{REGION}:{AWS_ACCOUNT}:instance/",
                         f"DENIED ec2:DetachVolume on arn:aws:ec2:{REGION}:{AWS_ACCOUNT}:instance/"]),
    "instances-any-account": ({"fargate": False, "key": False, "snapshot": False},
                              set_field("ManageVolumeAttachmentsForEC2", "resources",
                                        ["arn:aws:ec2:*:*:instance/*"]),
                              [f"ALLOWED ec2:AttachVolume on arn:aws:ec2:{REGION}:{AWS_ACCOUNT}:instance/",
                               "ALLOWED ec2:AttachVolume on arn:aws:ec2:us-west-2:"]),
    "untagged-volumes": ({}, set_field("CreateEBSManagedVolume", "condition", []),
                         ["(should be denied: a volume without ECS's tags)"]),
    "key-decrypt": ({}, set_field("EncryptVolume", "actions",
                                  ["kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncryptFrom", "kms:ReEncryptTo"]),
                    [f"ALLOWED kms:Decrypt on {KEY}"]),
    "key-plaintext-only": ({}, set_field("EncryptVolume", "actions",
                                         ["kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]),
                           [f"DENIED kms:GenerateDataKeyWithoutPlaintext on {KEY}"]),
    "key-any-context": ({}, drop_condition("EncryptVolume", "kms:EncryptionContextKeys"),
                        ["(should be denied: a data key for something else than an EBS volume)"]),
    "key-any-service": ({}, drop_condition("GrantVolumeKey", "kms:ViaService"),
                        [f"ALLOWED kms:CreateGrant on {KEY} (should be denied: the key through another service)"]),
    "key-grant-any": ({}, drop_condition("GrantVolumeKey", "kms:GrantIsForAWSResource"),
                      [f"ALLOWED kms:CreateGrant on {KEY} (should be denied: a grant not for an AWS resource)"]),
    "key-every-key": ({}, set_field("DescribeVolumeKey", "resources", [f"arn:aws:kms:{REGION}:{ACCT}:key/*"]),
                      ["ALLOWED kms:DescribeKey on arn:aws:kms:us-east-1:123456789012:key/99999999-"]),
    "key-reencrypt-new-volume": ({"snapshot": False}, set_field("EncryptVolume", "actions",
                                                               ["kms:GenerateDataKey*", "kms:ReEncrypt*"]),
                                 [f"ALLOWED kms:ReEncryptFrom on {KEY}"]),
    "key-no-grant": ({}, without("GrantVolumeKey"),
                     [f"DENIED kms:CreateGrant on {KEY}"]),
    "default-key-unchecked": ({"key": False, "snapshot": False}, without_guard, [UNGUARDED]),
    "default-key-any-manager": ({"key": False, "snapshot": False},
                                guard_condition('${self.key_manager != ""}'), [UNGUARDED]),
    "default-key-lenient-guard": (
        {"key": False, "snapshot": False},
        guard_condition('${!data.aws_ebs_encryption_by_default.current.enabled || '
                        'self.key_manager == "AWS"}'), [UNGUARDED]),
    # From an encrypted snapshot the snapshot's key encrypts the volume, not
    # the default key: a guard of the default key alone proves nothing.
    "snapshot-default-key-only": ({"fargate": False, "key": False},
                                  guard_key("${data.aws_ebs_default_kms_key.current.key_arn}"),
                                  [SNAPSHOT_UNGUARDED]),
    "snapshot-unencrypted-lenient-guard": (
        {"key": False, "encrypted": False},
        guard_condition('${!data.aws_ebs_encryption_by_default.current.enabled || '
                        'self.key_manager == "AWS"}'), [SNAPSHOT_UNGUARDED]),
}


def write(path, state, taskdef, expect=None):
    os.makedirs(path)
    for name, doc in (("main.tf.json", state), ("task-definition.json", taskdef)):
        write_json(os.path.join(path, name), doc)
    write_expect(path, expect)


def main():
    for kind in ("good", "bad"):
        shutil.rmtree(os.path.join(HERE, kind), ignore_errors=True)
    for name, opts in GOOD.items():
        write(os.path.join(HERE, "good", name), *fixture(**opts))
    for name, (opts, edit, expect) in BAD.items():
        state, taskdef = fixture(**opts)
        edit(state)
        write(os.path.join(HERE, "bad", name), state, taskdef, expect)


if __name__ == "__main__":
    main()
