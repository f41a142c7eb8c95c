"""The core is engine-free: only the MkDocs adapter's modules import MkDocs, Material or Python-
Markdown, so another engine (or none: `briefing render --out`) runs the rest unchanged."""

from __future__ import annotations

import ast

from support.paths import REPO

# pdf: builds the site to print the book; captions: the Python-Markdown extension the plugin adds.
ADAPTER = {"plugin", "reuse", "steer", "sections", "pdf", "captions"}
ENGINES = ("mkdocs", "material", "markdown")


def test_only_the_adapter_imports_the_engine() -> None:
    found = {}
    for path in sorted((REPO / "generator").rglob("*.py")):
        names: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
        engines = sorted({n for n in names if n.split(".")[0] in ENGINES})
        if engines:
            found[path.stem] = engines
    assert set(found) <= ADAPTER, found
    assert {"plugin", "steer"} <= set(found)
