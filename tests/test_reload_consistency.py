"""`mkdocs serve --dirty` rebuilds only what a save changed, and the served site stays exactly what
a clean `mkdocs build` of the same files makes: after every save of a scripted series (the issue's:
a summary, a rename, an added and referenced actor, a deleted position, a deleted meeting, a broken
file and its fix, a site template, a new briefing), every page as served, the set of pages and the
search index are compared with a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import DOCS, FIXTURE
from support.project import make_project
from support.reload import clean_build, differences, saves, serving

pytestmark = pytest.mark.slow


def test_served_site_equals_a_clean_build_after_every_save(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"mini": FIXTURE}, docs=DOCS)
    folder = project / "briefings" / "mini"
    with serving(project, "--dirty") as served:
        problems = differences(served, clean_build(project, served, tmp_path / "clean"))
        assert problems == [], problems
        for name, save in saves(folder, project, "mini"):
            served.save(save)
            if name == "save a broken file":
                status, page = served.page("")
                assert status == 200 and b"The last save was not taken" in page
                continue
            problems = differences(served, clean_build(project, served, tmp_path / "clean"))
            assert problems == [], f"after '{name}': {problems[:20]}"
        log = served.log.read_text(encoding="utf-8", errors="replace")
    assert "dirty" not in log.lower(), log  # MkDocs' warning on dirty builds is not shown
