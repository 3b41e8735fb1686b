#!/usr/bin/env python3
"""tests/protection-agree.py STATE_DIR...: in a VPC state, each capacity
provider's managed termination protection and its autoscaling group's
scale-in protection go together, and the protection has managed scaling.

ECS API Reference, AutoScalingGroupProvider: with managed termination
protection "The Auto Scaling group and each instance in the Auto Scaling group
must have instance protection from scale-in actions on", and "When using
managed termination protection, managed scaling must also be used otherwise
managed termination protection doesn't work" (E0980 refuses the source that
asks for it). ecsc derives protect_from_scale_in from termination_protection
(emit_tf_cluster.c); a golden tree pins one output, this pins the rule in all of them.
Prints one line per disagreement; exit 1 if any."""
import json
import re
import sys


def check(state):
    tf = json.load(open(f"{state}/main.tf.json"))
    res = tf.get("resource", {})
    groups = res.get("aws_autoscaling_group", {})
    bad = []
    for name, cp in res.get("aws_ecs_capacity_provider", {}).items():
        p = cp["auto_scaling_group_provider"]
        m = re.fullmatch(r"\$\{aws_autoscaling_group\.([^.]+)\.arn\}", p["auto_scaling_group_arn"])
        if not m or m.group(1) not in groups:
            bad.append(f"{state}: capacity provider {name}: no group of this state")
            continue
        protected = p.get("managed_termination_protection") == "ENABLED"
        scale_in = groups[m.group(1)].get("protect_from_scale_in") is True
        if protected != scale_in:
            bad.append(f"{state}: capacity provider {name}: managed termination protection "
                       f"{'on' if protected else 'off'}, its group's protect_from_scale_in "
                       f"{'on' if scale_in else 'off'}")
        scaling = (p.get("managed_scaling") or {}).get("status")
        if protected and scaling != "ENABLED":
            bad.append(f"{state}: capacity provider {name}: managed termination protection "
                       f"without managed scaling")
    return bad


def main():
    bad = [line for state in sys.argv[1:] for line in check(state)]
    for line in bad:
        print(line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
