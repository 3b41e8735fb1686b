#!/usr/bin/env python3
"""tests/apply-order/check.py CASE LOG: what Terraform's apply log (LOG, from
`terraform apply -no-color` of standin.py's stand-ins) must show, in order.

  nat-split   nat = "single" -> "per_az": nothing is destroyed, the first
              zone's address is kept, and each private subnet's association
              is updated only after its new table's NAT route is created
  nat-join    nat = "per_az" -> "single": the first zone's address is kept,
              and every association is updated before any address, gateway,
              route table or route is destroyed
  sc-port     a new Service Connect port: the new rule is created before the
              ECS service is updated, and the old one destroyed after
Prints one line per problem; exits 1 if any."""
import re
import sys

case, log = sys.argv[1], sys.argv[2]
events = []  # (line, stand-in, what)
with open(log, encoding="utf-8") as f:
    for i, line in enumerate(f):
        m = re.match(r"terraform_data\.(\w+): (Creating\.\.\.|Creation complete|Modifying\.\.\.|"
                     r"Modifications complete|Destroying\.\.\.|Destruction complete)", line)
        if m:
            events.append((i, m.group(1), m.group(2).rstrip(".")))
problems = []


def at(name, what):
    return [i for i, n, w in events if n == name and w == what]


def kind(name):
    return name.split("__", 1)[0]


def first_zone_address_kept():
    for i, n, w in events:
        if n == "aws_eip__nat_us_east_1a":
            problems.append(f"line {i + 1}: the first zone's Elastic IP: {w}")


if case == "nat-split":
    first_zone_address_kept()
    for i, n, w in events:
        if w.startswith("Destr"):
            problems.append(f"line {i + 1}: {n} destroyed")
    for i, n, w in events:
        if kind(n) == "aws_route_table_association" and w == "Modifying":
            zone = n.split("__private_", 1)[1]
            done = at(f"aws_route__private_{zone}_nat", "Creation complete")
            if done and done[0] > i:  # none: the route was there (moved)
                problems.append(f"line {i + 1}: {n} moves before its table's NAT route is made")
elif case == "nat-join":
    first_zone_address_kept()
    dropped = 0
    for i, n, w in events:
        if w == "Destroying" and kind(n) in ("aws_eip", "aws_nat_gateway", "aws_route_table", "aws_route"):
            dropped += 1
            zone = re.search(r"[a-z]{2}_[a-z]+_\d[a-z]", n).group(0)
            moved = at(f"aws_route_table_association__private_{zone}", "Modifications complete")
            if not moved or moved[0] > i:
                problems.append(f"line {i + 1}: {n} destroyed before the zone's subnet moved")
    if not dropped:
        problems.append("no zone's NAT dropped")
elif case == "sc-port":
    new = at("aws_vpc_security_group_ingress_rule__task_from_connect_9090", "Creation complete")
    old = at("aws_vpc_security_group_ingress_rule__task_from_connect_8080", "Destroying")
    start = at("aws_ecs_service__main", "Modifying")
    end = at("aws_ecs_service__main", "Modifications complete")
    if not (new and old and start and end):
        problems.append(f"missing events: new rule {new}, old rule {old}, service {start} {end}")
    else:
        if new[0] > start[0]:
            problems.append("the service is updated before the new port's rule exists")
        if old[0] < end[0]:
            problems.append("the old port's rule is destroyed before the service's update ends")
else:
    problems.append(f"unknown case {case}")
for p in problems:
    print(f"{case}: {p}")
sys.exit(1 if problems else 0)
