"""Tiny briefings for the data-layer tests: written to a folder, loaded and validated."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Report
from generator.index import Index, build_index
from generator.model import BriefingData
from generator.validate import Validated, load_and_validate

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


def dump(data: Any) -> str:
    # Double-quoted throughout: PyYAML writes a raw NEL or LS into single quotes, and YAML folds it.
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_style='"')


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


def check_folder(folder: Path, root: Path | None = None) -> tuple[Validated, Report]:
    """The loader and validator run on a briefing folder (paths in diagnostics relative to `root`)."""
    report = Report()
    return load_and_validate(folder, report, root), report


def load(root: Path, files: Mapping[str, str | bytes], slug: str = "demo") -> tuple[Validated, Report]:
    """Write a briefing folder `root/slug` and run the loader and validator on it."""
    return check_folder(write_files(root / slug, files), root)


def diagnose(root: Path, files: Mapping[str, str | bytes], slug: str = "demo") -> list[str]:
    """The formatted diagnostics for a briefing folder, in the order `briefing check` prints them."""
    _, report = load(root, files, slug)
    return [d.format() for d in report.sorted()]


def load_valid(folder: Path) -> tuple[BriefingData, Index]:
    """A briefing folder that must be valid: its data and its index."""
    validated, report = check_folder(folder)
    assert validated.data is not None, [d.format() for d in report.diagnostics]
    return validated.data, build_index(validated.data)
