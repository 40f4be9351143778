#!/usr/bin/env python3
"""Fails if a relative link in the README or docs/ leads nowhere (`make lint`): the file it
names must exist, and a `#fragment` must be one of that page's headings, as GitHub makes
their anchors (lower case, spaces to hyphens, punctuation dropped). Links to other sites are
not followed: the machines that check this have no internet.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PAGES = ["README.md", "CHANGELOG.md"] + [
    os.path.join("docs", f) for f in sorted(os.listdir(os.path.join(ROOT, "docs"))) if f.endswith(".md")
]


def anchors(path):
    found, fenced = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fenced = not fenced
            m = None if fenced else re.match(r"^#{1,6} (.*)", line)
            if m:
                text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
                found.add(text.replace(" ", "-"))
    return found


broken = []
for page in PAGES:
    path = os.path.join(ROOT, page)
    if not os.path.exists(path):
        broken.append(f"{page}: missing")
        continue
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"```.*?```", "", f.read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
        if not os.path.exists(dest):
            broken.append(f"{page}: {target} (no such file)")
        elif fragment and dest.endswith(".md") and fragment not in anchors(dest):
            broken.append(f"{page}: {target} (no such heading)")
if broken:
    sys.exit("links that lead nowhere:\n  " + "\n  ".join(broken))
print(f"every relative link resolves in {len(PAGES)} pages")
