"""Where things are: the repository, its folders, and the console scripts of the running interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The scripts installed next to the interpreter running the tests (.venv/bin/briefing, .venv/bin/mkdocs).
BIN = Path(sys.executable).parent
BRIEFING = BIN / "briefing"
MKDOCS = BIN / "mkdocs"
PROPERDOCS = BIN / "properdocs"

MKDOCS_YML = REPO / "mkdocs.yml"
PYPROJECT = REPO / "pyproject.toml"
DOCS = REPO / "docs"
TEMPLATES = REPO / "templates"
SCHEMAS = REPO / "schemas"
README = REPO / "README.md"
TESTS = REPO / "tests"
FIXTURE = TESTS / "fixtures" / "mini"  # the hand-written briefing the site tests build
GOLDEN = TESTS / "golden"
REAL = REPO / "briefings" / "syria-2016"
