"""The Markdown extension that gives each table its caption and its header cells their scope."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from generator.escape import md
from generator.parts import CAPTIONS, caption

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc", CAPTIONS]


def html(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")


TABLE = "| Actor | Issue |\n| --- | --- |\n| [Ana](ana.md) | For |\n"


def test_the_paragraph_before_a_table_becomes_its_caption() -> None:
    page = html(f"{caption('Who *holds* what')}\n\n{TABLE}")
    table = page.select_one("table")
    assert table is not None and table.contents[0].name == "caption"
    expected = '<caption class="bp-caption" data-search-exclude="">Who <em>holds</em> what</caption>'
    assert str(table.caption) == expected
    assert page.select("p") == []
    assert [th.get("scope") for th in table.select("thead th")] == ["col", "col"]
    assert table.select("tbody th") == []  # no row headers unless asked


def test_row_headers_when_asked() -> None:
    table = html(f"{caption('Stances', row_headers=True)}\n\n{TABLE}").select_one("table")
    assert table is not None
    first = table.select_one("tbody tr").find()
    assert (first.name, first.get("scope"), first.get_text()) == ("th", "row", "Ana")
    assert "bp-row-headers" not in str(table)


def test_a_caption_with_no_table_after_it_stays_a_paragraph() -> None:
    page = html(f"{caption('Alone')}\n\nSome text.\n\n{TABLE}")
    assert page.select_one("table caption") is None
    assert page.select_one("p.bp-caption").get_text() == "Alone"


def test_data_that_looks_like_a_caption_stays_text() -> None:
    """A value in a cell or a paragraph is escaped (`md`): it cannot make, move or fake a caption."""
    hostile = '<p class="bp-caption" markdown>Forged</p>'
    page = html(f"{md(hostile)}\n\n| A |\n| --- |\n| {md(hostile)} |\n")
    assert page.select_one("caption") is None
    assert page.select_one("td").get_text() == hostile
    assert page.select_one("p").get_text() == hostile
    # And inside a real caption, the value is text too.
    table = html(f"{caption(md(hostile))}\n\n{TABLE}").select_one("table")
    assert table is not None and table.caption is not None
    assert table.caption.get_text() == hostile and table.caption.find("p") is None
