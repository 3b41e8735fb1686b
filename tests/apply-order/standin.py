#!/usr/bin/env python3
"""tests/apply-order/standin.py STATE OUT SLOW TYPE...: the resources of the
given TYPEs in ecsc's STATE (a main.tf.json) as terraform_data stand-ins, in
OUT/main.tf.json, for Terraform's own graph to order without AWS or a
provider: each stand-in is named TYPE__NAME and keeps what decides the order
of operations (the references among the chosen resources, depends_on,
create_before_destroy, the moved blocks); its input is the rest of the
resource, so what would change in place changes the stand-in in place (an
ECS service's task definition: its task-definition.json). The
resources of the type SLOW take two seconds to create (a local-exec), as a
NAT gateway takes minutes: what waits for one shows it.
"""
import json
import os
import re
import sys

state_path, out, slow, types = sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:])
with open(state_path, encoding="utf-8") as f:
    tf = json.load(f)
kept = {(t, n) for t, byname in tf.get("resource", {}).items() if t in types for n in byname}


def address(t, n):
    return f"terraform_data.{t}__{n}"


REF = re.compile(r"\$\{([^}]*)\}")


def standin_text(s):
    """A reference to a kept resource reads the stand-in's output; any other
    reference (a subnet, the VPC, remote state) is kept as text: the same
    text in both builds is no change."""
    def sub(m):
        found = re.match(r"(\w+)\.(\w+)\.\w+$", m.group(1))
        if found and (found.group(1), found.group(2)) in kept:
            return "${%s.output}" % address(found.group(1), found.group(2))
        return "$$" + m.group(0)[1:]
    return REF.sub(sub, s)


def standin_value(v):
    if isinstance(v, str):
        return standin_text(v)
    if isinstance(v, list):
        return [standin_value(x) for x in v]
    if isinstance(v, dict):
        return {k: standin_value(x) for k, x in v.items()}
    return v


resources = {}
for t, n in sorted(kept):
    body = dict(tf["resource"][t][n])
    body.pop("//", None)
    for_each = body.pop("for_each", None)
    depends_on = [d for d in body.pop("depends_on", []) if tuple(d.split(".", 1)) in kept]
    lifecycle = body.pop("lifecycle", {})
    r = {"input": standin_value(body)}
    if t == "aws_ecs_service":
        # Its task_definition is a new revision's ARN whenever
        # task-definition.json changes (the file, through a local): the
        # file stands in for it.
        taskdef = os.path.join(os.path.dirname(state_path), "task-definition.json")
        if os.path.exists(taskdef):
            with open(taskdef, encoding="utf-8") as f:
                r["input"]["task_definition"] = standin_text(f.read())
    if for_each:
        r["input"]["for_each"] = standin_text(for_each)
    if depends_on:
        r["depends_on"] = [address(*d.split(".", 1)) for d in depends_on]
    if lifecycle.get("create_before_destroy"):
        r["lifecycle"] = {"create_before_destroy": True}
    if t == slow:
        r["provisioner"] = [{"local-exec": {"command": "sleep 2"}}]
    resources[f"{t}__{n}"] = r

doc = {"resource": {"terraform_data": resources}}
moved = [{"from": address(*m["from"].split(".", 1)), "to": address(*m["to"].split(".", 1))}
         for m in tf.get("moved", []) if m["from"].split(".", 1)[0] in types]
if moved:
    doc["moved"] = moved
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "main.tf.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2)
