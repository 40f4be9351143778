#!/usr/bin/env python3
"""Fails if modules import each other in a cycle (`make lint`), at every level: the top-level
modules of each crate (the server's layers point one way: http -> service -> store, letters;
config and clock are leaves), and the files inside each module (`http/manage.rs` may use
`http/shared.rs`, never the other way too). A `use` that points back would tie two of them
together, and a change to either would be a change to both.

Read: `crate::x` names module `x` of the crate's root; `super::x` names a sibling of the file's
own module, and `super::{x, y::z}` several. Comments are skipped, so a doc link to another
module is not an import.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..")
CRATES = ["server/src", "src", "domain/src", "organiser/src", "e2e/src"]


def code_of(path):
    with open(path, encoding="utf-8") as f:
        return "\n".join(l for l in f if not l.strip().startswith("//"))


def names_after(prefix, code):
    """The module names a file reaches through `prefix::` (single or in braces)."""
    found = set(re.findall(prefix + r"::([a-z_][a-z0-9_]*)", code))
    for group in re.findall(prefix + r"::\{([^}]*)\}", code):
        for item in group.split(","):
            head = item.strip().split("::")[0].strip()
            if re.fullmatch(r"[a-z_][a-z0-9_]*", head):
                found.add(head)
    return found - {"self"}


def cycle_in(graph):
    def walk(node, path):
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                return path[path.index(nxt):] + [nxt]
            found = walk(nxt, path + [nxt])
            if found:
                return found
        return None

    for node in sorted(graph):
        found = walk(node, [node])
        if found:
            return found
    return None


checked = []
for crate in CRATES:
    src = os.path.join(ROOT, crate)
    if not os.path.isdir(src):
        continue
    # One graph per folder: its files are the nodes (a folder `x/` and a file `x.rs` beside it
    # are the same module, seen from its parent).
    graphs = {}
    for folder, _, files in os.walk(src):
        rel = os.path.relpath(folder, src)
        for name in files:
            if not name.endswith(".rs") or name in ("mod.rs",):
                continue
            module = name.removesuffix(".rs")
            if rel == "." and module in ("lib", "main"):
                continue
            code = code_of(os.path.join(folder, name))
            # A top-level module reaches its siblings through `crate::`, a file in a folder
            # through `super::`.
            edges = names_after("crate" if rel == "." else "super", code)
            graphs.setdefault(rel, {}).setdefault(module, set()).update(e for e in edges if e != module)
        # Files under a top-level module's folder count toward that module's edges too.
        if rel != "." and os.sep not in rel:
            for name in files:
                if name.endswith(".rs"):
                    code = code_of(os.path.join(folder, name))
                    graphs.setdefault(".", {}).setdefault(rel, set()).update(
                        e for e in names_after("crate", code) if e != rel
                    )
    for rel, graph in sorted(graphs.items()):
        # Only edges between the folder's own modules.
        graph = {k: {e for e in v if e in graph} for k, v in graph.items()}
        where = crate if rel == "." else f"{crate}/{rel}"
        found = cycle_in(graph)
        if found:
            sys.exit(f"{where}: modules import each other in a cycle: " + " -> ".join(found))
        checked.append(f"{where} ({len(graph)})")
print("no import cycle in " + ", ".join(checked))
