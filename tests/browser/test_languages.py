"""Search in a site of briefings in several languages: each briefing's words are found in its own
language, stemmed (a Russian word in another case) and, for Chinese, split into words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from support.paths import DOCS, TESTS
from support.project import make_project

from .conftest import Site, Tab, build, desktop_tab, served_site


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("languages-site")
    # Every shipped language but English, built strictly (`build` runs `mkdocs build --strict`).
    briefings = {code: TESTS / "languages" / code for code in ("fr", "es", "ru", "ar", "zh", "de")}
    with served_site(
        tmp, lambda url, out: build(make_project(tmp / "project", briefings, docs=DOCS), url, out)
    ) as site:
        yield site


@pytest.fixture
def language_tab(browser: Browser, languages_site: Site) -> Iterator[Tab]:
    with desktop_tab(browser, languages_site) as opened:
        yield opened


@pytest.mark.parametrize(
    ("code", "query", "page"),
    [
        pytest.param("fr", "pourparlers", "fr/actors/ana-reyes/", id="french"),
        # "переговоры" (nominative) finds the summary's "переговорах" (prepositional): Russian stemming.
        pytest.param("ru", "переговоры", "ru/actors/ana-reyes/", id="russian-stemmed"),
        pytest.param("ar", "الميناء", "ar/actors/ana-reyes/", id="arabic"),
        # "率领" (leads) inside "在港口会谈中率领北方国一方": found only when the text is split.
        pytest.param("zh", "率领", "zh/actors/ana-reyes/", id="chinese-segmented"),
    ],
)
def test_search_finds_words_in_each_briefings_language(
    language_tab: Tab, code: str, query: str, page: str
) -> None:
    language_tab.goto(f"{code}/")
    box = language_tab.page.locator("input.md-search__input")
    box.click()
    box.fill(query)  # (typing Arabic key by key does not reach the field)
    box.press("End")  # Material queries on key events
    hit = language_tab.page.locator(f".md-search-result__item a[href*='{page}']").first
    expect(hit).to_be_visible()
    assert language_tab.console_errors == []
