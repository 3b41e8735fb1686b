#!/usr/bin/env python3
"""tests/api-strings.py TREE: the strings of an ecsc output tree that AWS's
APIs constrain and neither the provider schema nor terraform validate checks
(a bad one fails at apply, after other resources were made). Prints one line
per string that breaks its constraint; exit 1 if any.

- EC2 security group descriptions (CreateSecurityGroup: GroupDescription) and
  rule descriptions (IpRange, Ipv6Range, PrefixListId, UserIdGroupPair,
  SecurityGroupRuleRequest: Description): "Up to 255 characters in length.
  Allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
  (Amazon EC2 API Reference, each shape's Description). An apostrophe, a
  double quote or a non-ASCII character makes the API refuse the rule
  (InvalidParameterValue)."""
import json
import pathlib
import re
import sys

EC2_TEXT = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{0,255}")
EC2_DESCRIBED = ("aws_security_group", "aws_vpc_security_group_ingress_rule",
                 "aws_vpc_security_group_egress_rule", "aws_security_group_rule")


def check(path):
    doc = json.loads(path.read_text())
    for kind in EC2_DESCRIBED:
        for name, body in (doc.get("resource", {}).get(kind) or {}).items():
            text = body.get("description")
            if text is not None and "${" not in text and not EC2_TEXT.fullmatch(text):
                bad = sorted({c for c in text if not EC2_TEXT.fullmatch(c)})
                yield (f"{path}: {kind}.{name}.description {text!r}: EC2 allows only "
                       f"a-z A-Z 0-9 space ._-:/()#,@[]+=&;{{}}!$* (up to 255); "
                       f"not {''.join(bad) or 'its length'}")


problems = [p for tree in sys.argv[1:] for f in sorted(pathlib.Path(tree).rglob("*.tf.json"))
            for p in check(f)]
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
