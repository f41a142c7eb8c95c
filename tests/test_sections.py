"""A long page converted in parts while serving gives exactly what converting it whole gives: the
HTML, the table of contents and the anchors; a change converts only the parts it touched; and
where parts cannot be told apart from the whole, the page is converted whole."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from support.paths import MKDOCS_YML, REAL, REPO

from generator.build import build_pages
from generator.errors import Report
from generator.reuse import Passthrough
from generator.sections import Sections, split


def _config(**changes: object) -> MkDocsConfig:
    config = load_config(str(MKDOCS_YML), **changes)  # type: ignore[arg-type]
    config.plugins._current_plugin = "briefing"  # as inside a plugin event, for File.generated
    return config


def _whole(config: MkDocsConfig, files: Files, path: str, markdown: str) -> Page:
    page = Page(None, File.generated(config, path, content=markdown), config)
    page.markdown, page.meta = markdown, {}
    page.render(config, files)
    return page


def _books(tmp_path: Path) -> list[tuple[Files, str, str, MkDocsConfig]]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    synth.make(tmp_path / "briefings" / "synthetic", 150)
    shutil.copytree(REAL, tmp_path / "briefings" / "syria")
    plan = build_pages(tmp_path / "briefings", None, Report())
    assert plan is not None
    config = _config()
    files = Files([File.generated(config, p, content=plan[p]) for p in plan])
    return [(files, p, Passthrough().set_aside(p, plan[p]), config) for p in plan if p.endswith("/book.md")]


def test_parts_give_what_the_whole_gives_and_a_change_converts_one_part(tmp_path: Path) -> None:
    books = _books(tmp_path)
    assert len(books) == 2
    for files, path, markdown, config in books:
        assert "\n".join(split(markdown)) == markdown
        assert len(split(markdown)) > 20
        whole = _whole(config, files, path, markdown)
        sections = Sections()
        got = sections.convert(whole, markdown, files, config)
        assert got is not None, path
        html, toc, anchors = got
        assert html == whole.content
        assert str(toc) == str(whole.toc) and [t.level for t in toc] == [t.level for t in whole.toc]
        assert anchors == whole.present_anchor_ids
        assert sections.converted == len(split(markdown))
        # One entry's section changed: that part alone is converted again, and still equals the whole.
        at = markdown.index("\n### ", len(markdown) // 2)
        edited = markdown[:at] + "\n\nA sentence added to one section." + markdown[at:]
        got = sections.convert(whole, edited, files, config)
        assert got is not None and sections.converted == 1
        assert got[0] == _whole(config, files, path, edited).content


@pytest.mark.parametrize(
    "markdown",
    [
        "# Book\n\n## Part\n\ntext\n\n## Part\n\nmore\n",  # the whole would number the second "part_1"
        "# Book\n\n## One { #x }\n\n## Two { #x }\n",
    ],
)
def test_ids_two_parts_share_convert_the_page_whole(markdown: str) -> None:
    config = _config()
    files = Files([])
    page = _whole(config, files, "b/book.md", markdown)
    assert Sections().convert(page, markdown, files, config) is None


def test_extensions_that_act_across_the_page_convert_it_whole() -> None:
    config = _config(markdown_extensions=["footnotes"])
    markdown = "# Book\n\ntext[^1]\n\n## Part\n\n[^1]: a note\n"
    page = _whole(config, Files([]), "b/book.md", markdown)
    assert Sections().convert(page, markdown, Files([]), config) is None


def test_no_cut_inside_a_fence_or_a_markdown_div() -> None:
    text = "# A\n\n```\n\n## not a heading\n```\n\n<div markdown>\n\n## inside\n\n</div>\n\n## B\n"
    assert split(text) == [
        "# A\n\n```\n\n## not a heading\n```\n\n<div markdown>\n\n## inside\n\n</div>\n",
        "## B\n",
    ]
