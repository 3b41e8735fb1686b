#!/usr/bin/env python3
"""tests/doc_links.py FILE...: every link of the Markdown FILEs to a section
(`[text](#anchor)` or `[text](path.md#anchor)`, the path relative to the
linking file) names a heading the target has, by the anchor GitHub makes of
it: lower case, punctuation other than - and _ dropped, spaces made -. A
section renamed or cited by a name it never had (README.md once sent readers
to "Parameters and secrets: when a value changes", which no heading was)
fails here. Prints one line per broken link; exits 1 if any."""
import os
import re
import sys

LINK = re.compile(r"\]\(([^()\s]*?)#([^()\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.*)$", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def anchors(path, cache={}):
    if path not in cache:
        text = FENCE.sub("", open(path, encoding="utf-8").read())
        found, seen = set(), {}
        for title in HEADING.findall(text):
            slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            found.add(slug if n == 0 else f"{slug}-{n}")
        cache[path] = found
    return cache[path]


def main(files):
    broken = 0
    for path in files:
        text = FENCE.sub("", open(path, encoding="utf-8").read())
        for target, anchor in LINK.findall(text):
            if target.startswith(("http://", "https://")):
                continue
            dest = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
            if not dest.endswith(".md") or not os.path.exists(dest):
                continue
            if anchor not in anchors(dest):
                print(f"{path}: link to {target or ''}#{anchor}: no such heading in {dest}")
                broken += 1
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
