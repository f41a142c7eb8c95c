"""The real briefing built by each engine, looked at in Chromium: the stance badges and the pictures
carry the plugin's styles (computed, not just linked), in MkDocs', ProperDocs' and Zensical's
builds alike."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from support.cli import render_for_zensical, run
from support.paths import DOCS, MKDOCS, PROPERDOCS, REAL
from support.project import make_project

from .conftest import Site, desktop_tab, served_site

ZENSICAL = PROPERDOCS.parent / "zensical"
KERRY = "syria-2016/actors/john-kerry/"


def _engine_site(engine: str, tmp: Path, out: Path) -> None:
    project = make_project(tmp / "project", {"syria-2016": REAL}, docs=DOCS)
    if engine == "zensical":
        plain = tmp / "plain"
        render_for_zensical(project, plain)
        built = run(ZENSICAL, "build", "-f", plain / "mkdocs.yml", cwd=plain)
        assert built.returncode == 0, built.stdout + built.stderr
        shutil.move(plain / "site", out)
        return
    binary = MKDOCS if engine == "mkdocs" else PROPERDOCS
    built = run(binary, "build", "-f", project / "mkdocs.yml", "-d", out, cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr


@pytest.fixture(scope="module", params=["mkdocs", "properdocs", "zensical"])
def engine_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(f"engine-{request.param}")
    with served_site(tmp, lambda url, out: _engine_site(request.param, tmp, out)) as site:
        yield site


def test_badges_and_pictures_are_styled(browser: Browser, engine_site: Site) -> None:
    with desktop_tab(browser, engine_site) as tab:
        tab.goto(KERRY)
        page = tab.page
        favor = page.locator(".bp-stance-favor").first
        assert favor.evaluate("e => getComputedStyle(e).color") == "rgb(23, 114, 58)"  # --bp-favor
        assert favor.evaluate("e => getComputedStyle(e, '::before').content") == '"✓ " / ""'
        figure = page.locator("figure.bp-figure").first
        assert figure.evaluate("e => getComputedStyle(e).display") == "block"
        mark = page.locator("svg.bp-pic .bp-att-in-person").first
        assert mark.evaluate("e => getComputedStyle(e).fill") not in ("", "none")
        assert tab.failed_responses == []
