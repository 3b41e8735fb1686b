#!/usr/bin/env python3
# tests/deploy-oracle/gen.py: writes the fixtures of tests/deploy-oracle.sh,
# one tree each, laid out as ecsc lays out an environment: staging/vpc
# (the load balancer) and staging/services/web (an aws_ecs_service with a
# load_balancer's advanced_configuration, its two target groups, the
# weighted listener rule, the load balancer role, its trust policy and
# policy, as ecsc writes them). good/ must pass the oracle
# (tests/deploy-oracle.js); each bad/NAME must fail it with the lines of
# bad/NAME/expect among its output. Edit this script, not the trees; run it
# from anywhere: python3 tests/deploy-oracle/gen.py
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from oracle_fixtures import cond, replaced, stmt, without, write_expect, write_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ACCT = "123456789012"
REGION = "us-east-1"
LB = "fixture-staging-alb"
MAIN = "fixture-staging-web-033acc"
ALT = "fixture-staging-web-43c8c2"
TAG = "fixture-staging-web"
ELB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}"


# The statements ecsc derives (compiler/derive_iam.c, shift_traffic).
def statements():
    return [
        stmt("ELBReadOperations",
             ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
              "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
             ["*"], cond("StringEquals", "aws:RequestedRegion", REGION)),
        stmt("TargetGroupOperations",
             ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
             [f"{ELB}:targetgroup/{MAIN}/*", f"{ELB}:targetgroup/{ALT}/*"]),
        stmt("ALBModifyRules", ["elasticloadbalancing:ModifyRule"],
             [f"{ELB}:listener-rule/app/{LB}/*/*/*"], cond("StringEquals", "aws:ResourceTag/Name", TAG)),
    ]


def trust(*services):
    return {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"],
                           "principals": [{"type": "Service", "identifiers": list(services)}]}]}


def group(name):
    return {"name": name, "port": 8080, "protocol": "HTTP", "target_type": "ip", "vpc_id": "vpc-0123456789abcdef0"}


def service_state(stmts, trust_doc):
    return {
        "provider": {"aws": {"region": REGION, "allowed_account_ids": [ACCT]}},
        "data": {
            "aws_caller_identity": {"current": {}},
            "aws_iam_policy_document": {"ecs_assume": trust_doc, "deploy": {"statement": stmts}},
        },
        "resource": {
            "aws_iam_role": {"deploy": {"name": "fixture-staging-web-deploy",
                                        "assume_role_policy": "${data.aws_iam_policy_document.ecs_assume.json}"}},
            "aws_iam_role_policy": {"deploy": {"name": "deploy", "role": "${aws_iam_role.deploy.id}",
                                               "policy": "${data.aws_iam_policy_document.deploy.json}"}},
            "aws_lb_target_group": {"main": group(MAIN), "alternate": group(ALT)},
            "aws_lb_listener_rule": {"main": {
                "listener_arn": f"{ELB}:listener/app/{LB}/50dc6c495c0c9188/f2f7dc8efc522ab2",
                "priority": 47808,
                "action": [{"type": "forward", "forward": {"target_group": [
                    {"arn": "${aws_lb_target_group.main.arn}", "weight": 100},
                    {"arn": "${aws_lb_target_group.alternate.arn}", "weight": 0}]}}],
                "condition": [{"path_pattern": {"values": ["/*"]}}],
                "tags": {"Name": TAG},
                "lifecycle": {"ignore_changes": ["action"]}}},
            "aws_ecs_service": {"main": {
                "name": "fixture-staging-web",
                "load_balancer": [{
                    "target_group_arn": "${aws_lb_target_group.main.arn}",
                    "container_name": "web", "container_port": 8080,
                    "advanced_configuration": {
                        "alternate_target_group_arn": "${aws_lb_target_group.alternate.arn}",
                        "production_listener_rule": "${aws_lb_listener_rule.main.arn}",
                        "role_arn": "${aws_iam_role.deploy.arn}"}}],
                "deployment_configuration": {"strategy": "CANARY", "bake_time_in_minutes": "10",
                                             "canary_configuration": {"canary_percent": 10,
                                                                      "canary_bake_time_in_minutes": "5"}}}},
        },
    }


def write(path, stmts, trust_doc, expect=None):
    shutil.rmtree(path, ignore_errors=True)
    for sub, doc in (("staging/vpc", {"provider": {"aws": {"region": REGION}},
                                      "resource": {"aws_lb": {"main": {"name": LB, "load_balancer_type": "application"}}}}),
                     ("staging/services/web", service_state(stmts, trust_doc))):
        write_json(os.path.join(path, sub, "main.tf.json"), doc)
    write_expect(path, expect)


def main():
    ecs = trust("ecs.amazonaws.com")
    write(os.path.join(HERE, "good", "canary"), statements(), ecs)
    bad = os.path.join(HERE, "bad")
    cases = {
        # The managed policy's rule grant: every rule of every ALB.
        "rules-any": (replaced(statements(), "ALBModifyRules", resources=[f"{ELB}:listener-rule/app/*/*/*/*"], condition=None), ecs,
                      ["ALLOWED elasticloadbalancing:ModifyRule", "another service's rule"]),
        "groups-any": (replaced(statements(), "TargetGroupOperations", resources=[f"{ELB}:targetgroup/*/*"]), ecs,
                       ["ALLOWED elasticloadbalancing:RegisterTargets", "another service's target group"]),
        "no-alternate": (replaced(statements(), "TargetGroupOperations", resources=[f"{ELB}:targetgroup/{MAIN}/*"]), ecs,
                         [f"DENIED elasticloadbalancing:RegisterTargets on {ELB}:targetgroup/{ALT}/"]),
        "no-describe": (without(statements(), "ELBReadOperations"), ecs, ["DENIED elasticloadbalancing:DescribeRules on *"]),
        "listener-too": (statements() + [stmt("ALBModifyListeners", ["elasticloadbalancing:ModifyListener"],
                                              [f"{ELB}:listener/app/*/*/*"])], ecs,
                         ["ALLOWED elasticloadbalancing:ModifyListener", "every service shares"]),
        "no-rule": (without(statements(), "ALBModifyRules"), ecs, ["DENIED elasticloadbalancing:ModifyRule"]),
        "trust-tasks-too": (statements(), trust("ecs.amazonaws.com", "ecs-tasks.amazonaws.com"),
                            ["ALLOWED sts:AssumeRole by ecs-tasks.amazonaws.com"]),
    }
    shutil.rmtree(bad, ignore_errors=True)
    for name, (stmts, trust_doc, expect) in cases.items():
        write(os.path.join(bad, name), stmts, trust_doc, expect)


main()
