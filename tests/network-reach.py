#!/usr/bin/env python3
# tests/network-reach.py TREE...: what the security groups of ecsc's output
# must let through, judged on the built trees (tests/build.sh runs it on the
# golden ones):
#  - a bastion's group lets it out to HTTPS on its region's S3 prefix list
#    (com.amazonaws.REGION.s3), where Amazon Linux 2023's package
#    repositories are (emit_tf_vpc.c, bastion_updates_rule);
#  - on an existing VPC, a port served with Service Connect is open to every
#    IPv4 block of the VPC: its primary one and, one rule each, the secondary
#    ones the VPC state exports (emit_tf_service.c, connect_ingress_secondary);
#  - on an existing VPC whose public subnets face the internet (the load
#    balancer, the bastion, tasks with public addresses), the plan reads each
#    one's route table, its own association or else the VPC's main table,
#    and stops unless it routes to an internet gateway, a VPC endpoint, a
#    network interface or an instance (emit_tf_vpc.c, public_routes; ELB
#    troubleshooting: "A public subnet has a route to the Internet Gateway").
#  - a port served with Service Connect stays open while a deployment moves
#    the service to a new one (emit_tf_service.c, connect_rule): each rule is named
#    by its port, create_before_destroy, and the ECS service depends on it.
# Prints one line per problem; exits 1 if there is any.
import glob
import json
import os
import sys

problems = []


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def bastion(path, tf):
    res, data = tf.get("resource", {}), tf.get("data", {})
    if "bastion" not in res.get("aws_instance", {}):
        return
    region = tf["provider"]["aws"]["region"]
    pl = data.get("aws_ec2_managed_prefix_list", {}).get("s3", {})
    if pl.get("name") != f"com.amazonaws.{region}.s3":
        problems.append(f"{path}: no data.aws_ec2_managed_prefix_list.s3 named com.amazonaws.{region}.s3")
    out = [r for r in res.get("aws_vpc_security_group_egress_rule", {}).values()
           if r["security_group_id"] == "${aws_security_group.bastion.id}"
           and r.get("prefix_list_id") == "${data.aws_ec2_managed_prefix_list.s3.id}"
           and r["ip_protocol"] == "tcp" and r.get("from_port") == 443 and r.get("to_port") == 443]
    if len(out) != 1:
        problems.append(f"{path}: the bastion's group has no way out to HTTPS on S3 (its package repositories)")


def connect_rules(path, tf, rules):
    """The Service Connect rules of a service state, by kind, each checked
    to be the port's own rule, kept until the service has moved off it."""
    found = {}
    service = tf["resource"].get("aws_ecs_service", {}).get("main", {})
    moved = {m["to"]: m["from"] for m in tf.get("moved", [])}
    for name, rule in rules.items():
        kinds = ("task_from_connect", "task_from_connect_secondary")
        kind = name if name in kinds else name.rsplit("_", 1)[0]
        if kind not in kinds:
            continue
        found[kind] = rule
        address = "aws_vpc_security_group_ingress_rule." + name
        port = rule.get("from_port")
        if name != f"{kind}_{port}" or rule.get("to_port") != port:
            problems.append(f"{path}: {address} is not named by its port")
        if rule.get("lifecycle", {}).get("create_before_destroy") is not True:
            problems.append(f"{path}: {address} is not create_before_destroy: "
                            "a new port closes the old at once")
        if address not in service.get("depends_on", []):
            problems.append(f"{path}: aws_ecs_service.main does not depend on {address}: "
                            "the old port may close before the service moves")
        if moved.get(address) != "aws_vpc_security_group_ingress_rule." + kind:
            problems.append(f"{path}: no moved block from {kind}, "
                            f"the name earlier builds gave {address}")
    return found


def connect(vpc_path, vpc, services):
    for path in services:
        tf = load(path)
        rules = tf.get("resource", {}).get("aws_vpc_security_group_ingress_rule", {})
        found = connect_rules(path, tf, rules)
        if "task_from_connect" not in found or "aws_vpc" not in vpc.get("data", {}):
            continue  # a VPC ecsc makes has one block, the primary
        if "vpc_secondary_cidr_blocks" not in vpc.get("output", {}):
            problems.append(f"{vpc_path}: Service Connect on an existing VPC, but no vpc_secondary_cidr_blocks output")
        second = found.get("task_from_connect_secondary", {})
        want = "${toset(data.terraform_remote_state.vpc.outputs.vpc_secondary_cidr_blocks)}"
        if second.get("for_each") != want or second.get("cidr_ipv4") != "${each.value}" \
                or second.get("from_port") != found["task_from_connect"]["from_port"]:
            problems.append(f"{path}: the Service Connect port is not open to the VPC's secondary IPv4 blocks")


PUBLIC_ROUTE = ('${anytrue([for r in self.routes : try(startswith(r.gateway_id, "igw-"), false) || '
                'try(length(r.vpc_endpoint_id) > 0, false) || try(length(r.network_interface_id) > 0, false) || '
                'try(length(r.instance_id) > 0, false)])}')


def public_routes(vpc_path, vpc, services):
    data, res = vpc.get("data", {}), vpc.get("resource", {})
    if "aws_vpc" not in data:
        return  # a VPC ecsc makes routes its public subnets to its own gateway
    used = "main" in res.get("aws_lb", {}) or "bastion" in res.get("aws_instance", {})
    for path in services:
        for svc in load(path).get("resource", {}).get("aws_ecs_service", {}).values():
            for nc in svc.get("network_configuration") or []:
                used = used or nc.get("assign_public_ip") is True
    if not used:
        return
    tables, own = data.get("aws_route_table", {}), data.get("aws_route_tables", {})
    main = tables.get("main", {})
    if main.get("vpc_id") != "${data.aws_vpc.main.id}" or main.get("filter") != [
            {"name": "association.main", "values": ["true"]}]:
        problems.append(f"{vpc_path}: no data.aws_route_table.main, the VPC's main route table")
    for name, subnet in data.get("aws_subnet", {}).items():
        if not name.startswith("public_"):
            continue
        if own.get(name, {}).get("filter") != [{"name": "association.subnet-id", "values": [subnet["id"]]}]:
            problems.append(f"{vpc_path}: public subnet {subnet['id']}: its own route table is not looked up")
        table = tables.get(name, {})
        want = f"${{try(data.aws_route_tables.{name}.ids[0], data.aws_route_table.main.id)}}"
        posts = (table.get("lifecycle") or {}).get("postcondition") or []
        if table.get("route_table_id") != want or not any(p.get("condition") == PUBLIC_ROUTE for p in posts):
            problems.append(f"{vpc_path}: public subnet {subnet['id']} is not proved to route to the internet")


for tree in sys.argv[1:]:
    for vpc_path in sorted(glob.glob(os.path.join(tree, "**", "vpc", "main.tf.json"), recursive=True)):
        vpc = load(vpc_path)
        bastion(vpc_path, vpc)
        env = os.path.dirname(os.path.dirname(vpc_path))
        services = sorted(glob.glob(os.path.join(env, "services", "*", "main.tf.json")))
        connect(vpc_path, vpc, services)
        public_routes(vpc_path, vpc, services)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
