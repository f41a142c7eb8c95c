"""Material's search (a web worker over search_index.json) finds actors by alias and by quoted words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support.project import DISTINCT_ALIAS

from .conftest import Tab

ACTOR_PAGE = "demo/actors/example-minister/"


def search(tab: Tab, query: str) -> None:
    tab.goto("demo/")
    box = tab.page.locator("input.md-search__input")
    box.click()
    # Material queries on key events, not on a programmatic fill.
    box.press_sequentially(query, delay=20)
    # Results appear once the worker has loaded the index and answered.
    expect(tab.page.locator(".md-search-result__item").first).to_be_visible()


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(DISTINCT_ALIAS.split()[-1], id="alias"),
        pytest.param("speaker said verbatim", id="quote-fragment"),
    ],
)
def test_search_finds_the_actor_and_opens_their_page(tab: Tab, query: str) -> None:
    search(tab, query)
    hit = tab.page.locator(f".md-search-result__item a[href*='{ACTOR_PAGE}']").first
    expect(hit).to_be_visible()
    hit.click()
    # search.highlight adds ?h=<terms> to mark the matches on the page.
    expect(tab.page).to_have_url(re.compile(re.escape(tab.site.url(ACTOR_PAGE)) + r"(\?h=[^#]*)?(#.*)?$"))
    expect(tab.page.locator("h1")).to_have_text(re.compile(r"^Example Minister\b"))
    assert tab.console_errors == []


def test_alias_search_ranks_the_actor_first(tab: Tab) -> None:
    """The alias is on one page only, so that page is the first and only result."""
    search(tab, DISTINCT_ALIAS)
    items = tab.page.locator(".md-search-result__item > .md-search-result__link")
    expect(items.first).to_have_attribute("href", re.compile(re.escape(ACTOR_PAGE)))


def test_quote_search_shows_the_quoted_words(tab: Tab) -> None:
    search(tab, "speaker said verbatim")
    results = tab.page.locator(".md-search-result")
    expect(results).to_contain_text("Words the speaker said, verbatim.")
