"""Rebuilds while serving: a save re-converts only the pages it changed, and the site that comes out
is the one a fresh `mkdocs build` makes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support.paths import DOCS, REAL
from support.project import make_project

from generator.build import build_pages
from generator.errors import Report
from generator.plugin import BriefingPlugin

pytestmark = pytest.mark.slow
EDITED = "syria-2016/actors/john-kerry.md"
MARKER = "Marker-word-for-the-rebuild test."


def build_site(config_file: Path, site_dir: Path, command: str | None) -> BriefingPlugin:
    """One build as MkDocs runs it; `command` starts a session (`mkdocs serve` or `build`), None is
    a rebuild inside the running one."""
    config = load_config(str(config_file), site_dir=str(site_dir))
    if command is not None:
        config.plugins.on_startup(command=command, dirty=False)
    build(config)
    plugin = config.plugins["briefing"]
    assert isinstance(plugin, BriefingPlugin)
    return plugin


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_rebuild_reconverts_only_what_changed_and_matches_a_fresh_build(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project", {"syria-2016": REAL}, docs=DOCS) / "mkdocs.yml"
    served, fresh = tmp_path / "served", tmp_path / "fresh"
    plugin = build_site(config, served, "serve")
    pages = len(plugin.conversions.done)
    assert pages > 100

    actors = tmp_path / "project" / "briefings" / "syria-2016" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    start = text.index("- id: john-kerry")
    at = text.index("  summary: ", start)
    rest = text[at:].split("\n", 1)[1]
    actors.write_text(text[:at] + f"  summary: {MARKER}\n" + rest, encoding="utf-8")

    plugin = build_site(config, served, None)
    done, previous = plugin.conversions.done, plugin.conversions.previous
    reconverted = sorted(u for u, c in done.items() if previous.get(u) is not c)
    assert EDITED in reconverted
    # The actor's own page, and the few that show the summary; not the other hundred-odd.
    assert 0 < len(reconverted) <= pages // 5, reconverted
    print(f"{len(reconverted)} of {pages} pages re-converted: {reconverted}")
    assert MARKER in (served / "syria-2016/actors/john-kerry/index.html").read_text(encoding="utf-8")

    build_site(config, fresh, "build")
    got, want = site_files(served), site_files(fresh)
    assert got.keys() == want.keys()
    assert [name for name in want if got[name] != want[name]] == []


def test_pictures_and_print_styles_are_back_in_every_page(tmp_path: Path) -> None:
    """Pictures and the running head's style skip Markdown and the search index, then go back
    into the finished pages, every one of them."""
    config = make_project(tmp_path / "project", {"syria-2016": REAL}, docs=DOCS) / "mkdocs.yml"
    build_site(config, tmp_path / "site", "build")
    html = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")}
    assert not [p for p, text in html.items() if "data-bp-aside" in text]
    pages = build_pages(tmp_path / "project" / "briefings", None, Report())
    assert pages is not None
    for opening, at_least in (
        ('<figure class="bp-figure" data-search-exclude><svg ', 20),
        ("<style>@media print", 100),
    ):
        in_markdown = sum(text.count(opening) for text in pages.values())
        assert in_markdown > at_least  # pictures: overview, timeline, matrix, actors who met someone
        assert sum(text.count(opening) for text in html.values()) == in_markdown
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<svg" not in index and "bp-att" not in index and "@top-left" not in index


def test_theme_files_are_listed_once_but_the_override_folder_every_build(tmp_path: Path) -> None:
    """While serving, the installed theme's file list is kept from the first build; a file added
    to or removed from the site's override folder (`custom_dir`) is copied, or not, at once."""
    project = make_project(tmp_path / "project", {"syria-2016": REAL})
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1))
    assert "custom_dir: overrides" in config.read_text(encoding="utf-8")
    extra = project / "overrides" / "assets" / "extra.css"
    extra.parent.mkdir(parents=True)
    served, fresh = tmp_path / "served", tmp_path / "fresh"
    plugin = build_site(config, served, "serve")
    assert plugin.theme_files.listed  # kept for the next build
    assert not (served / "assets" / "extra.css").exists()

    extra.write_text("body { color: black }\n", encoding="utf-8")
    build_site(config, served, None)
    assert (served / "assets" / "extra.css").read_bytes() == extra.read_bytes()
    extra.unlink()
    build_site(config, served, None)
    assert not (served / "assets" / "extra.css").exists()

    build_site(config, fresh, "build")
    assert site_files(served).keys() == site_files(fresh).keys()
