"""The structure of every built page, as assistive technology reads it: headings that form an
outline.

One site, built once with `mkdocs build --strict`: the real briefing, the one `briefing new` writes,
and one with most kinds empty. Only the article counts (`article.md-content__inner`), not the
theme's chrome around it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from support.built import html_pages, resolve
from support.cli import mkdocs_build, run
from support.data import load_valid, write_files
from support.paths import BRIEFING, DOCS, REAL, TEMPLATES
from support.project import make_project

from generator.index import Index
from generator.model import BriefingData
from generator.scaffold import examples

pytestmark = pytest.mark.slow


def _sparse() -> dict[str, str]:
    """A briefing with actors, one meeting and its source: no issues, positions, quotes, events,
    disputes, figures, questions or documents."""
    new = examples()
    meeting = new["meetings"].replace("  issues: [example-issue]\n", "")
    return {f"{k}.yaml": new[k] for k in ("briefing", "actors", "sources")} | {"meetings.yaml": meeting}


@dataclass
class Built:
    root: Path
    briefings: dict[str, tuple[BriefingData, Index]]

    def pages(self) -> Iterator[tuple[str, Tag]]:
        """Each page's article: its own content, without the theme's navigation and header; its
        links to other pages made site-relative ("/demo/actors/x/")."""
        for path, page in html_pages(self.root):
            article = page.select_one("article.md-content__inner")
            if article is not None:
                yield path, _rooted(article, path.removesuffix("index.html"))

    def article(self, url: str) -> Tag:
        page = BeautifulSoup((self.root / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article.md-content__inner")
        assert article is not None, url
        return _rooted(article, url)


def _rooted(article: Tag, url: str) -> Tag:
    for a in article.find_all("a", href=True):
        target = resolve(url, str(a["href"]))
        if target is not None:
            a["href"] = "/" + target
    return article


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = make_project(
        tmp_path_factory.mktemp("structure") / "p", {"syria-2016": REAL}, docs=DOCS, templates=TEMPLATES
    )
    write_files(project / "briefings" / "sparse", _sparse())
    run(BRIEFING, "new", "demo", "--root", "briefings", "--schemas", "schemas", cwd=project, check=True)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    slugs = ("syria-2016", "sparse", "demo")
    return Built(project / "site", {slug: load_valid(project / "briefings" / slug) for slug in slugs})


# --- headings ------------------------------------------------------------------------------------


def outline_problems(article: Tag) -> list[str]:
    """Where the headings stop forming an outline: not one h1, first; a level skipped going down."""
    levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
    problems = []
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"want one h1, first: {levels[:8]}")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{after} after h{before}")
    return problems


def test_every_page_is_an_outline_of_headings(site: Built) -> None:
    checked, problems = 0, []
    for path, article in site.pages():
        problems += [f"{path}: {p}" for p in sorted(set(outline_problems(article)))]
        checked += 1
    assert checked > 150
    assert problems == [], "\n".join(problems)


def test_the_outline_check_sees_a_skipped_level() -> None:
    page = BeautifulSoup(
        "<article><h1>A</h1><h2>B</h2><h3>C</h3><h5>D</h5><h2>E</h2></article>", "html.parser"
    )
    assert outline_problems(page) == ["h5 after h3"]
    twice = BeautifulSoup("<article><h2>A</h2><h1>B</h1><h1>C</h1></article>", "html.parser")
    assert outline_problems(twice) == ["want one h1, first: [2, 1, 1]"]
