"""The package's imports → whether any stage imports a later one (see docs/utvikler/architecture.md).

    python tools/layers.py      # prints each import that goes the wrong way; exit 1 if any

The stages, in the order data flows through them: a module may import the shared base
modules and modules of its own stage or an earlier one, never a later one. Imports inside
functions count too: a late import is still a dependency.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

#: The stages, first to last (folders of generator/).
STAGES = ("domain", "load", "check", "compose", "render", "verify", "publish", "commands", "cli")
#: Shared by every stage, importing only each other: errors and findings, the project folder, the
#: document tree, the cache of verdicts, the speed tricks, the package itself.
BASE = ("generator", "generator.errors", "generator.findings", "generator.folder", "generator.tree",
        "generator.xmltext", "generator.cache", "generator.speed")


def stage(module: str) -> int:
    """Return a module's place in STAGES (-1 for the base; len(STAGES) for the entry point)."""
    if module in BASE:
        return -1
    if module == "generator.__main__":
        return len(STAGES)
    return STAGES.index(module.split(".")[1])


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """Return the package's modules a file imports (`from generator.x import y` counts x.y if it is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in known else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "generator"}
    return found


def wrong_way() -> list[str]:
    """Return every import from a stage to a later one, as «importer → imported»."""
    known = modules()
    found = []
    for name, path in known.items():
        for imported in sorted(imports(path, set(known))):
            if imported != name and stage(imported) > stage(name):
                found.append(f"{name} → {imported}")
    return found


if __name__ == "__main__":
    problems = wrong_way()
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
