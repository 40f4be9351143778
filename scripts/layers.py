#!/usr/bin/env python3
"""Fails if the server's top-level modules import each other in a cycle (`make lint`).

The server's layers point one way (http -> service -> store, letters; config and clock are
leaves); a `use crate::x` that points back would tie two layers together. Comments are skipped,
so a doc link to another module is not an import.
"""
import os
import re
import sys

src = os.path.join(os.path.dirname(__file__), "..", "server", "src")
graph = {}
for root, _, files in os.walk(src):
    for name in files:
        if not name.endswith(".rs"):
            continue
        path = os.path.join(root, name)
        top = os.path.relpath(path, src).split(os.sep)[0].removesuffix(".rs")
        if top in ("lib", "main"):
            continue
        with open(path, encoding="utf-8") as f:
            code = "\n".join(l for l in f if not l.strip().startswith("//"))
        graph.setdefault(top, set()).update(
            m for m in re.findall(r"crate::([a-z_]+)", code) if m != top
        )


def cycle_from(node, path):
    for nxt in sorted(graph.get(node, ())):
        if nxt in path:
            return path[path.index(nxt):] + [nxt]
        found = cycle_from(nxt, path + [nxt])
        if found:
            return found
    return None


for node in sorted(graph):
    cycle = cycle_from(node, [node])
    if cycle:
        sys.exit("server/src: modules import each other in a cycle: " + " -> ".join(cycle))
print("server/src: no import cycle among " + ", ".join(sorted(graph)))
