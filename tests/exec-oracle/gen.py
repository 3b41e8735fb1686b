#!/usr/bin/env python3
# tests/exec-oracle/gen.py: writes the fixtures of tests/exec-oracle.sh, one
# tree each, laid out as ecsc lays out an environment: staging/vpc (the
# cluster) and staging/services/web (an aws_ecs_service with
# enable_execute_command, its task definition, the task role and its
# policy, as ecsc writes them, and task-definition.json with an awslogs
# container). good/ must pass the oracle (tests/exec-oracle.js); each
# bad/NAME must fail it with the lines of bad/NAME/expect among its output.
# Edit this script, not the trees; run it from anywhere:
# python3 tests/exec-oracle/gen.py
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from oracle_fixtures import replaced, stmt, without, write_expect, write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ACCT = "123456789012"
REGION = "us-east-1"
GROUP = "/ecs/fixture-staging/web"
LOGS = f"arn:aws:logs:{REGION}:{ACCT}:log-group:{GROUP}"


# The statements ecsc derives (compiler/derive_iam.c, exec_channels and
# exec_session_logs).
def statements():
    return [
        stmt("EcsExec", ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                         "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], ["*"]),
        stmt("EcsExecFindLogGroup", ["logs:DescribeLogGroups"], ["*"]),
        stmt("EcsExecListLogStreams", ["logs:DescribeLogStreams"], [LOGS, f"{LOGS}:*"]),
        stmt("EcsExecWriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{LOGS}:log-stream:*"]),
    ]


def service_state(stmts):
    return {
        "provider": {"aws": {"region": REGION, "allowed_account_ids": [ACCT]}},
        "data": {
            "aws_iam_policy_document": {
                "task_assume": {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [
                    {"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]}]}]},
                "task": {"statement": stmts}},
        },
        "resource": {
            "aws_iam_role": {"task": {"name": "fixture-staging-web-task",
                                      "assume_role_policy": "${data.aws_iam_policy_document.task_assume.json}"}},
            "aws_iam_role_policy": {"task": {"name": "task", "role": "${aws_iam_role.task.id}",
                                             "policy": "${data.aws_iam_policy_document.task.json}"}},
            "aws_ecs_task_definition": {"main": {"family": "fixture-staging-web",
                                                 "task_role_arn": "${aws_iam_role.task.arn}"}},
            "aws_ecs_service": {"main": {"name": "fixture-staging-web",
                                         "task_definition": "${aws_ecs_task_definition.main.arn}",
                                         "enable_execute_command": True}},
        },
    }


def task_definition():
    return {"family": "fixture-staging-web", "containerDefinitions": [{
        "name": "web", "image": "nginx:1.27",
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": GROUP, "awslogs-region": REGION, "awslogs-stream-prefix": "web"}}}]}


def write(path, stmts, expect=None, cluster=None):
    shutil.rmtree(path, ignore_errors=True)
    vpc = {"provider": {"aws": {"region": REGION}},
           "resource": {"aws_ecs_cluster": {"main": cluster or {"name": "fixture-staging"}}}}
    for sub, doc in (("staging/vpc", vpc), ("staging/services/web", service_state(stmts))):
        write_json(os.path.join(path, sub, "main.tf.json"), doc)
    write_json(os.path.join(path, "staging/services/web/task-definition.json"), task_definition())
    write_expect(path, expect)


def main():
    write(os.path.join(HERE, "good", "exec"), statements())
    bad = os.path.join(HERE, "bad")
    cases = {
        # The error of the last review: the writes granted on the group.
        "writes-on-group": (replaced(statements(), "EcsExecWriteLogs", resources=[LOGS]),
                            [f"DENIED logs:CreateLogStream on {LOGS}:log-stream:"]),
        "no-session-log": (without(statements(), "EcsExecWriteLogs") + [], ["DENIED logs:PutLogEvents"]),
        "no-find": (without(statements(), "EcsExecFindLogGroup"), ["DENIED logs:DescribeLogGroups on *"]),
        "list-bare-group": (replaced(statements(), "EcsExecListLogStreams", resources=[LOGS]),
                            [f"DENIED logs:DescribeLogStreams on {LOGS}:log-stream:"]),
        "any-group": (replaced(statements(), "EcsExecWriteLogs", resources=[f"arn:aws:logs:{REGION}:{ACCT}:log-group:*"]),
                      ["ALLOWED logs:CreateLogStream", "another log group"]),
        "no-channels": (without(statements(), "EcsExec"), ["DENIED ssmmessages:OpenDataChannel on *"]),
    }
    shutil.rmtree(bad, ignore_errors=True)
    for name, (stmts, expect) in cases.items():
        write(os.path.join(bad, name), stmts, expect)
    write(os.path.join(bad, "cluster-override"), statements(),
          ["its logging is not simulated"],
          {"name": "fixture-staging", "configuration": [{"execute_command_configuration": [{"logging": "OVERRIDE"}]}]})


main()
