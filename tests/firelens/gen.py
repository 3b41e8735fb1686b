#!/usr/bin/env python3
# tests/firelens/gen.py: writes the fixtures of tests/firelens.sh, one
# directory each: a state (main.tf.json: the task role and its policy, as
# ecsc writes them) and its task-definition.json, a container logging through
# awsfirelens and a Fluent Bit router. good/ must pass the oracle
# (tests/firelens-oracle.js); each bad/NAME must fail it with the lines of
# bad/NAME/expect among its output. Edit this script, not the trees; run it
# from anywhere: python3 tests/firelens/gen.py
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ACCT = "123456789012"
LOGS = f"arn:aws:logs:us-east-1:{ACCT}:log-group:"
ROLE = "fixture-task"


def state(statements, role=True):
    doc = {
        "provider": {"aws": {"region": "us-east-1", "allowed_account_ids": [ACCT]}},
        "data": {"aws_iam_policy_document": {"task": {"statement": [
            {"sid": sid, "effect": "Allow", "actions": actions, "resources": resources}
            for sid, actions, resources in statements]}}},
        "resource": {},
    }
    if role:
        doc["resource"] = {
            "aws_iam_role": {"task": {"name": ROLE, "assume_role_policy": "{}"}},
            "aws_iam_role_policy": {"task": {"name": "grants", "role": "${aws_iam_role.task.id}",
                                             "policy": "${data.aws_iam_policy_document.task.json}"}},
        }
    return doc


def taskdef(outputs, role=True):
    containers = [{"name": name, "image": "app:1", "essential": True, "memory": 128,
                   "logConfiguration": {"logDriver": "awsfirelens", "options": options}}
                  for name, options in outputs]
    containers.append({"name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
                       "essential": True, "memory": 64, "firelensConfiguration": {"type": "fluentbit"}})
    doc = {"family": "fixture", "containerDefinitions": containers}
    if role:
        doc["taskRoleArn"] = f"arn:aws:iam::{ACCT}:role/{ROLE}"
    return doc


WRITE = ["logs:CreateLogStream", "logs:PutLogEvents"]
CW = {"Name": "cloudwatch_logs", "region": "us-east-1", "log_group_name": "/app/web",
      "log_stream_prefix": "web-", "auto_create_group": "true", "log_retention_days": "14"}
CW_GRANTS = [("Write", WRITE, [LOGS + "/app/web:log-stream:web-*"]),
             ("Group", ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], [LOGS + "/app/web", LOGS + "/app/web:*"])]
GO = {"Name": "cloudwatch", "region": "us-east-1", "log_group_name": "/app/go",
      "log_stream_name": "$(tag)", "auto_create_group": "true"}
GO_GRANTS = [("Write", WRITE, [LOGS + "/app/go:log-stream:*"]),
             ("Group", ["logs:CreateLogGroup", "logs:DescribeLogStreams"], [LOGS + "/app/go", LOGS + "/app/go:*"])]
FH = {"Name": "kinesis_firehose", "region": "us-east-1", "delivery_stream": "app-logs"}
KIN = {"Name": "kinesis_streams", "region": "us-west-2", "stream": "app-events"}
S3 = {"Name": "s3", "bucket": "app-archive", "canned_acl": "bucket-owner-full-control"}
DEST_GRANTS = [
    ("Firehose", ["firehose:PutRecordBatch"], [f"arn:aws:firehose:us-east-1:{ACCT}:deliverystream/app-logs"]),
    ("Kinesis", ["kinesis:PutRecords"], [f"arn:aws:kinesis:us-west-2:{ACCT}:stream/app-events"]),
    ("S3", ["s3:PutObject"], ["arn:aws:s3:::app-archive/*"]),
]

GOOD = {
    "cloudwatch": ([("web", CW)], CW_GRANTS),
    "go-cloudwatch": ([("go", GO)], GO_GRANTS),
    "destinations": ([("fh", FH), ("kin", KIN), ("arc", S3)], DEST_GRANTS),
    # A group template whose key ends at the "." (record accessor syntax).
    "template": ([("web", dict(CW, log_group_template="/app/$team.web"))],
                 [("Write", WRITE, [LOGS + "/app/web:log-stream:web-*", LOGS + "/app/*.web:log-stream:web-*"]),
                  ("Group", ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                   [LOGS + "/app/web", LOGS + "/app/web:*", LOGS + "/app/*.web", LOGS + "/app/*.web:*"])]),
    # The Go plugin: a record key in a name (its default names for a record
    # without it) and tags on the groups it creates.
    "role-arn": ([("web", dict(CW, role_arn="arn:aws:iam::999999999999:role/central-logs"))],
                 [("Assume", ["sts:AssumeRole"], ["arn:aws:iam::999999999999:role/central-logs"])]),
    "go-record-key": (
        [("go", dict(GO, log_group_name="/app/$(team)", log_stream_name="$(level)", new_log_group_tags="team=core"))],
        [("Write", WRITE, [LOGS + "/app/*:log-stream:*", LOGS + "fluentbit-default:log-stream:*"]),
         ("Group", ["logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:TagResource"],
          [LOGS + "/app/*", LOGS + "/app/*:*", LOGS + "fluentbit-default", LOGS + "fluentbit-default:*"])]),
}

ROLE_ = ROLE
BAD = {
    # The class of the last review's bug: the stream actions granted on the group.
    "stream-actions-on-group-arn": (
        [("web", CW)], [("Write", WRITE, [LOGS + "/app/web"]), CW_GRANTS[1]],
        [f"{ROLE_}: DENIED logs:CreateLogStream on {LOGS}/app/web:log-stream:web-web-firelens-0123456789abcdef0123456789abcdef",
         f"{ROLE_}: DENIED logs:PutLogEvents on {LOGS}/app/web:log-stream:web-web-firelens-0123456789abcdef0123456789abcdef"]),
    "no-create-stream": (
        [("web", CW)], [("Write", ["logs:PutLogEvents"], [LOGS + "/app/web:log-stream:web-*"]), CW_GRANTS[1]],
        [f"{ROLE_}: DENIED logs:CreateLogStream on {LOGS}/app/web:log-stream:web-web-firelens-"]),
    # The prefix is the stream name's start: "web" alone does not match "web-...".
    "stream-without-prefix-wildcard": (
        [("web", CW)], [("Write", WRITE, [LOGS + "/app/web:log-stream:web-"]), CW_GRANTS[1]],
        [f"{ROLE_}: DENIED logs:PutLogEvents on {LOGS}/app/web:log-stream:web-web-firelens-"]),
    # AWS authorizes CreateLogGroup on log-group:NAME:log-stream: too.
    "create-group-bare-arn-only": (
        [("web", CW)], [CW_GRANTS[0], ("Group", ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], [LOGS + "/app/web"])],
        [f"{ROLE_}: DENIED logs:CreateLogGroup on {LOGS}/app/web:log-stream: "]),
    # fluent-bit reads auto_create_group "On" as true (flb_utils_bool).
    "auto-create-group-on": (
        [("web", dict(CW, auto_create_group="On", log_retention_days="0"))], [CW_GRANTS[0]],
        [f"{ROLE_}: DENIED logs:CreateLogGroup on {LOGS}/app/web "]),
    # "$team/web" reads the record key "team/web": the group is /app/VALUE.
    "template-key-to-slash": (
        [("web", dict(CW, log_group_template="/app/$team/web"))],
        [("Write", WRITE, [LOGS + "/app/web:log-stream:web-*", LOGS + "/app/*/web:log-stream:web-*"]),
         ("Group", ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
          [LOGS + "/app/web", LOGS + "/app/web:*", LOGS + "/app/*/web", LOGS + "/app/*/web:*"])],
        [f"{ROLE_}: DENIED logs:PutLogEvents on {LOGS}/app/sample-a:log-stream:web-web-firelens-"]),
    # A template granted for one value only.
    "template-one-value": (
        [("web", dict(CW, log_group_template="/app/$team.web"))],
        [("Write", WRITE, [LOGS + "/app/web:log-stream:web-*", LOGS + "/app/sample-a.web:log-stream:web-*"]),
         ("Group", ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
          [LOGS + "/app/web", LOGS + "/app/web:*", LOGS + "/app/sample-a.web", LOGS + "/app/sample-a.web:*"])],
        [f"{ROLE_}: DENIED logs:PutLogEvents on {LOGS}/app/sample-b.web:log-stream:web-web-firelens-"]),
    "go-without-describe": (
        [("go", GO)], [GO_GRANTS[0], ("Group", ["logs:CreateLogGroup"], [LOGS + "/app/go", LOGS + "/app/go:*"])],
        [f"{ROLE_}: DENIED logs:DescribeLogStreams on {LOGS}/app/go "]),
    "firehose-other-stream": (
        [("fh", FH)], [("Firehose", ["firehose:PutRecordBatch"], [f"arn:aws:firehose:us-east-1:{ACCT}:deliverystream/other"])],
        [f"{ROLE_}: DENIED firehose:PutRecordBatch on arn:aws:firehose:us-east-1:{ACCT}:deliverystream/app-logs"]),
    "kinesis-other-region": (
        [("kin", KIN)], [("Kinesis", ["kinesis:PutRecords"], [f"arn:aws:kinesis:us-east-1:{ACCT}:stream/app-events"])],
        [f"{ROLE_}: DENIED kinesis:PutRecords on arn:aws:kinesis:us-west-2:{ACCT}:stream/app-events"]),
    "s3-bucket-arn": (
        [("arc", S3)], [("S3", ["s3:PutObject"], ["arn:aws:s3:::app-archive"])],
        [f"{ROLE_}: DENIED s3:PutObject on arn:aws:s3:::app-archive/fluent-bit-logs/arc-firelens-"]),
    "logs-on-every-group": (
        [("web", CW)], [("Write", WRITE, [LOGS + "*"]), CW_GRANTS[1]],
        [f"{ROLE_}: ALLOWED logs:PutLogEvents on {LOGS}firelens-oracle-unrelated:log-stream:x"]),
    "stream-name-any-stream": (
        [("web", {k: v for k, v in dict(CW, log_stream_name="web").items() if k != "log_stream_prefix"})], [("Write", WRITE, [LOGS + "/app/web:*"]), CW_GRANTS[1]],
        [f"{ROLE_}: ALLOWED logs:PutLogEvents on {LOGS}/app/web:log-stream:firelens-oracle-unrelated"]),
    "s3-every-bucket": (
        [("arc", S3)], [("S3", ["s3:PutObject"], ["arn:aws:s3:::*"])],
        ["ALLOWED s3:PutObject on arn:aws:s3:::firelens-oracle-unrelated/x"]),
    "no-task-role": ([("web", CW)], CW_GRANTS, ["no task role"]),
    # role_arn: the output assumes that role, and that one only.
    "assume-any-role": (
        [("web", dict(CW, role_arn="arn:aws:iam::999999999999:role/central-logs"))],
        [("Assume", ["sts:AssumeRole"], ["arn:aws:iam::*:role/*"])],
        [f"{ROLE_}: ALLOWED sts:AssumeRole on arn:aws:iam::{ACCT}:role/firelens-oracle-unrelated"]),
    "assume-no-grant": (
        [("web", dict(CW, role_arn="arn:aws:iam::999999999999:role/central-logs"))], CW_GRANTS,
        [f"{ROLE_}: DENIED sts:AssumeRole on arn:aws:iam::999999999999:role/central-logs"]),
    # The Go plugin: a record key that a record may lack sends it to
    # default_log_stream_name; tags on the group it creates need TagResource.
    "go-record-key-no-default": (
        [("go", dict(GO, log_stream_name="$(level)"))], GO_GRANTS[1:] + [("Write", WRITE, [LOGS + "/app/go:log-stream:sample-*"])],
        [f"{ROLE_}: DENIED logs:PutLogEvents on {LOGS}/app/go:log-stream:/fluentbit-default"]),
    "go-tags-no-tag-resource": (
        [("go", dict(GO, new_log_group_tags="team=core"))], GO_GRANTS,
        [f"{ROLE_}: DENIED logs:TagResource on {LOGS}/app/go "]),
    "retention-without-create": (
        [("web", dict(CW, auto_create_group="false"))], CW_GRANTS,
        [f"{ROLE_}: ALLOWED logs:PutRetentionPolicy on {LOGS}/app/web (should be denied"]),
}


def write(kind, name, outputs, grants, expect=None):
    d = os.path.join(HERE, kind, name)
    os.makedirs(d)
    role = name != "no-task-role"
    with open(os.path.join(d, "main.tf.json"), "w") as f:
        json.dump(state(grants, role), f, indent=2)
        f.write("\n")
    with open(os.path.join(d, "task-definition.json"), "w") as f:
        json.dump(taskdef(outputs, role), f, indent=2)
        f.write("\n")
    if expect:
        with open(os.path.join(d, "expect"), "w") as f:
            f.write("".join(line + "\n" for line in expect))


for kind in ("good", "bad"):
    shutil.rmtree(os.path.join(HERE, kind), ignore_errors=True)
for name, (outputs, grants) in GOOD.items():
    write("good", name, outputs, grants)
for name, (outputs, grants, expect) in BAD.items():
    write("bad", name, outputs, grants, expect)
