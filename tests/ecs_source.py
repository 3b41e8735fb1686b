"""tests/ecs_source.py: what tests/readme.py and tests/reference.py both read
in ecsc source written in fmt's layout."""
import os
import re


# The top-level blocks of a source in fmt's layout: "KIND" or 'KIND "LABEL"'
# to the text from the block's leading comments to its closing brace.
def top_blocks(source):
    blocks, start = {}, 0
    for m in re.finditer(r'^(\w+(?: "[^"]*")?) \{\n.*?^\}\n', source, re.S | re.M):
        lead = source.rfind("\n\n", start, m.start())
        blocks[m.group(1)] = (lead + 2 if lead >= 0 else start, m.end())
        start = m.end()
    return blocks


# The shared validators (../shared/tools/README.md) to run on a tree ecsc
# built, as tests/build.sh runs them on its trees: (name, argv) pairs; none
# when ../shared is absent (tests/build.sh says so).
def validator_runs(root, out):
    tools = os.path.join(os.path.dirname(root), "shared", "tools")
    if not os.access(os.path.join(tools, "tfjson-check"), os.X_OK):
        return []
    taskdefs = sorted(os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs
                      if f == "task-definition.json")
    runs = [("tfjson-check", [out]), ("iam-check", [out])]
    runs += [("taskdef-check", taskdefs)] if taskdefs else []
    return [(tool, [os.path.join(tools, tool)] + args) for tool, args in runs]
