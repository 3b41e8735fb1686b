# tests/oracle_fixtures.py: what the fixture generators of the request
# oracles share (tests/deploy-oracle/gen.py, tests/ebs-oracle/gen.py,
# tests/exec-oracle/gen.py): IAM statements as ecsc writes them in an
# aws_iam_policy_document, a statement list with one statement dropped or
# changed, and the files of a fixture, written as ecsc writes JSON.
import copy
import json
import os


def cond(test, variable, *values):
    return {"test": test, "variable": variable, "values": list(values)}


def stmt(sid, actions, resources, *conditions):
    st = {"sid": sid, "effect": "Allow", "actions": actions, "resources": resources}
    if conditions:
        st["condition"] = list(conditions)
    return st


def without(statements, sid):
    return [s for s in statements if s["sid"] != sid]


# The statements with sid's changed: each key set, or removed when None.
def replaced(statements, sid, **changes):
    out = copy.deepcopy(statements)
    for s in out:
        if s["sid"] == sid:
            s.update(changes)
            for k in [k for k, v in changes.items() if v is None]:
                del s[k]
    return out


def write_json(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


# The lines a bad fixture's oracle output must hold (tests/oracle-fixtures.sh).
def write_expect(directory, lines):
    if lines:
        with open(os.path.join(directory, "expect"), "w") as f:
            f.write("".join(line + "\n" for line in lines))
