"""tests/ecs_source.py: what tests/readme.py and tests/reference.py both read
in ecsc source written in fmt's layout."""
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
