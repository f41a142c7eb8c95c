"""The same site from MkDocs and from ProperDocs (the maintained continuation of MkDocs 1.x), with
the plugin as it is: the same pages, the same search entries, every internal link resolving, and
nothing printed but the build's own lines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from support.cli import render_for_zensical, run
from support.paths import BRIEFING, DOCS, MKDOCS, PROPERDOCS, REAL, REPO
from support.project import make_project

pytestmark = pytest.mark.slow


def _build(project: Path, engine: Path, out: Path) -> str:
    result = run(engine, "build", "--strict", "-f", project / "mkdocs.yml", "-d", out, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _search(site: Path) -> set[tuple[str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {(d["location"], d["title"]) for d in index["docs"]}


def _dead_links(site: Path, mount: str = "/briefing-site/") -> list[str]:
    """Links to pages or anchors that are not there (the 404 page's are absolute, under `mount`)."""
    dead = []
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a[href]"):
            href = str(a["href"])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
                continue
            path = unquote(parts.path)
            base = site if path.startswith(mount) else page.parent
            target = (base / path.removeprefix(mount)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(f"{page.relative_to(site)} -> {href}")
                continue
            if parts.fragment:
                there = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                if there.find(id=unquote(parts.fragment)) is None:
                    dead.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return dead


def test_properdocs_builds_the_site_mkdocs_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"syria-2016": REAL}, docs=DOCS)
    mkdocs_site, properdocs_site = tmp_path / "mkdocs-site", tmp_path / "properdocs-site"
    _build(project, MKDOCS, mkdocs_site)
    said = _build(project, PROPERDOCS, properdocs_site)
    # Only the plugin's line per build: no warning, no "rename mkdocs.yml", no list of pages
    # left out of the navigation.
    lines = [line for line in said.splitlines() if line.strip()]
    assert len(lines) == 1 and re.match(r"INFO\s+-\s+built \d+ briefing pages in", lines[0]), said
    assert _pages(properdocs_site) == _pages(mkdocs_site)
    assert len(_pages(properdocs_site)) > 130
    assert _search(properdocs_site) == _search(mkdocs_site)
    assert _dead_links(properdocs_site) == []
    # The stance badges and pictures carry their styles: the plugin's style sheets are there and
    # every page links them.
    kerry = properdocs_site / "syria-2016" / "actors" / "john-kerry" / "index.html"
    page = kerry.read_text(encoding="utf-8")
    for sheet in ("briefing.css", "print.css", "pictures.css"):
        assert f"assets/briefing/{sheet}" in page
        assert (properdocs_site / "assets" / "briefing" / sheet).is_file()
    assert 'class="bp-stance bp-stance-' in page and "<svg" in page


def test_properdocs_reads_the_repositorys_own_config(tmp_path: Path) -> None:
    """`properdocs build` in the repository, with no `-f`: it takes properdocs.yml (which inherits
    mkdocs.yml), so it says nothing of renaming mkdocs.yml."""
    project = tmp_path / "repo"
    project.mkdir()
    for name in ("mkdocs.yml", "properdocs.yml"):
        shutil.copy(REPO / name, project / name)
    for name in ("docs", "templates"):
        shutil.copytree(REPO / name, project / name)
    shutil.copytree(REAL, project / "briefings" / "syria-2016")
    result = run(PROPERDOCS, "build", "-d", tmp_path / "site", cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "renamed" not in out and "WARNING" not in out, out
    assert (tmp_path / "site" / "syria-2016" / "actors" / "john-kerry" / "index.html").is_file()


ZENSICAL = PROPERDOCS.parent / "zensical"


def _render_project(tmp_path: Path) -> tuple[Path, Path]:
    """The repository's site (its mkdocs.yml and docs) around the real briefing, rendered with
    `--config`: the project folder and its configuration."""
    site = make_project(tmp_path / "site", {"syria-2016": REAL}, docs=DOCS)
    return site, render_for_zensical(site, tmp_path / "plain")


def test_zensical_builds_the_rendered_project_as_the_site(tmp_path: Path) -> None:
    """`briefing render --config` gives Zensical what the plugin gives MkDocs: the same pages,
    links that resolve, the style sheets, the small navigation and the aliases in search."""
    site, config = _render_project(tmp_path)
    mkdocs_site, zensical_site = tmp_path / "mkdocs-site", tmp_path / "zensical-site"
    _build(site, MKDOCS, mkdocs_site)
    result = run(ZENSICAL, "build", "-f", config, cwd=config.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.move(config.parent / "site", zensical_site)
    assert _pages(zensical_site) == _pages(mkdocs_site)
    assert _dead_links(zensical_site) == []
    kerry = (zensical_site / "syria-2016" / "actors" / "john-kerry" / "index.html").read_text(
        encoding="utf-8"
    )
    soup = BeautifulSoup(kerry, "html.parser")
    for sheet in ("briefing.css", "print.css", "pictures.css"):
        assert soup.select_one(f'link[href$="assets/briefing/{sheet}"]') is not None, sheet
        assert (zensical_site / "assets" / "briefing" / sheet).is_file()
    # The navigation is the briefing's sections and the site's pages, never every entry.
    nav = {str(a["href"]) for a in soup.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert "../../positions/" in nav and "../" in nav and "../../../about/" in nav, sorted(nav)
    assert len(nav) <= 16, sorted(nav)  # the home, ten sections, the site's pages: no entry
    # Search finds an actor by the other name the data gives him.
    index = (zensical_site / "search.json").read_text(encoding="utf-8")
    assert "Secretary Kerry" in index


def test_render_config_never_replaces_what_it_did_not_write(tmp_path: Path) -> None:
    site, config = _render_project(tmp_path)
    again = run(
        BRIEFING,
        "render",
        site / "briefings",
        "--out",
        config.parent / "docs",
        "--config",
        config,
        "--site",
        site / "mkdocs.yml",
        "--templates",
        site / "templates",
        cwd=site,
    )
    assert again.returncode == 0 and ": 0 written," in again.stdout, again.stdout + again.stderr
    assert (config.parent / "docs" / "about.md").read_bytes() == (site / "docs" / "about.md").read_bytes()
    theirs = tmp_path / "theirs.yml"
    theirs.write_text("site_name: mine\n", encoding="utf-8")
    refused = run(
        BRIEFING,
        "render",
        site / "briefings",
        "--out",
        tmp_path / "other",
        "--config",
        theirs,
        "--site",
        site / "mkdocs.yml",
        cwd=site,
    )
    assert refused.returncode != 0 and "was not written by `briefing render`" in refused.stderr
    assert theirs.read_text(encoding="utf-8") == "site_name: mine\n" and not (tmp_path / "other").exists()
    inside = run(
        BRIEFING,
        "render",
        site / "briefings",
        "--out",
        tmp_path / "x",
        "--config",
        tmp_path / "x" / "m.yml",
        cwd=site,
    )
    assert inside.returncode != 0 and "inside" in inside.stderr and "Traceback" not in inside.stderr
