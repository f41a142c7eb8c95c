"""The real briefing: clean under --strict, and every quote verbatim in its stored source text."""

from __future__ import annotations

import os
from pathlib import Path

from support import skip_or_fail
from support.cli import run
from support.paths import BRIEFING, REAL, REPO


def seeds() -> Path:
    """The stored article texts live outside the repository (../shared/seeds, or $BRIEFING_SEEDS)."""
    folder = Path(os.environ.get("BRIEFING_SEEDS", REPO.parent / "shared" / "seeds"))
    if not folder.is_dir():
        skip_or_fail(f"stored source texts not found at {folder}: set BRIEFING_SEEDS to verify the quotes")
    return folder


def test_real_briefing_is_clean_and_every_quote_is_verbatim() -> None:
    sources_yaml = (REAL / "sources.yaml").read_bytes()
    proc = run(BRIEFING, "check", REAL, "--strict", "--sources", seeds(), cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "0 errors, 0 warnings in 1 briefing"
    # Every source's hash is committed, so checking writes nothing.
    assert (REAL / "sources.yaml").read_bytes() == sources_yaml
    assert "recorded" not in proc.stdout


def test_no_page_names_a_stored_file_instead_of_its_source() -> None:
    """A reader knows a source by its title, never by the name of the file its text is kept in
    ("article 003", "004_17f8….txt")."""
    import re

    from generator.build import build_pages
    from generator.errors import Report

    report = Report()
    pages = build_pages(REAL.parent, None, report)
    assert pages is not None, report.summary()
    internal = re.compile(r"\barticles? \d{3}\b|\b\d{3}_[0-9a-f]{16}\b", re.I)
    found = {path: m.group() for path, text in pages.items() if (m := internal.search(text))}
    assert found == {}, found
