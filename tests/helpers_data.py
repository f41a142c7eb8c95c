"""Helpers for the data-layer tests: write tiny briefings, run the loader and validator, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.errors import Report
from generator.scaffold import new_briefing
from generator.validate import Validated, load_and_validate

# The console script installed next to the interpreter running the tests (.venv/bin/briefing).
BRIEFING_EXE = Path(sys.executable).with_name("briefing")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

BRIEFING_YAML = 'title: "Harbour talks"\nsummary: "Who met whom about the harbour."\nas_of: 2016-10-20\n'

# A small briefing with no diagnostics at all, written for these tests (fictional people and places).
# Tests swap one file for a damaged one and assert the exact diagnostics that follow.
CLEAN: dict[str, str] = {
    "briefing.yaml": BRIEFING_YAML,
    "actors.yaml": """\
- id: ana-reyes
  name: "Ana Reyes"
  classification: person
  memberships:
    - organization: northland
- id: northland
  name: "Northland"
  classification: state
""",
    "issues.yaml": """\
- id: harbour-access
  name: "Harbour access"
""",
    "meetings.yaml": """\
- id: harbour-talks
  name: "Harbour talks"
  start_date: 2016-10-15
  format: bilateral
  host: northland
  attendees:
    - actor: ana-reyes
  issues: [harbour-access]
  sources: [gazette-report]
""",
    "quotes.yaml": """\
- id: reyes-on-harbour
  speaker: ana-reyes
  text: "The harbour stays open."
  source: gazette-report
""",
    "sources.yaml": """\
- id: gazette-report
  title: "Harbour talks end"
""",
}


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (name -> text or bytes, names may hold subfolders) into `folder`, byte for byte."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8", newline="")
    return folder


def load(root: Path, files: Mapping[str, str | bytes], slug: str = "demo") -> tuple[Validated, Report]:
    """Write a briefing folder `root/slug` and run the loader and validator on it."""
    folder = write_files(root / slug, files)
    report = Report()
    return load_and_validate(folder, report, root), report


def diagnose(root: Path, files: Mapping[str, str | bytes], slug: str = "demo") -> list[str]:
    """The formatted diagnostics for a briefing folder, in the order `briefing check` prints them."""
    _, report = load(root, files, slug)
    return [d.format() for d in report.sorted()]


def scaffold(root: Path, slug: str = "demo") -> Path:
    """A valid briefing folder as `briefing new` writes it, at `root/slug`."""
    return new_briefing(root, slug, root / "schemas")


def run(
    *args: str | Path, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command, output as text; a hang past `timeout` raises, and so fails the test."""
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def run_briefing(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the real console script."""
    return run(BRIEFING_EXE, *args, cwd=cwd, timeout=timeout)
