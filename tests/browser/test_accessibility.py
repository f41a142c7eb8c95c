"""WCAG 2.2 AA as axe-core checks it: no violation on a page of every kind, in the light and the
dark palette, at a desktop and a phone width, for the real briefing's site and the demo's; and
the search overlay open with results. axe-core comes from npm (`npm install --prefix tests/tools`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support import skip_or_fail
from support.built import one_of_each_kind
from support.paths import DOCS, REAL, TEMPLATES, TESTS
from support.project import make_project

from .conftest import Site, build, desktop_tab, served_site

AXE = TESTS / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 390}
RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.flatMap(v => v.nodes.map(
    n => `${v.id}: ${n.target.join(" ")}: ${n.failureSummary.split("\\n").slice(1, 2).join("").trim()}`));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        skip_or_fail("axe-core not found: run `npm install --prefix tests/tools`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("a11y-real")

    def make(url: str, out: Path) -> None:
        build(make_project(tmp / "project", {"syria-2016": REAL}, docs=DOCS, templates=TEMPLATES), url, out)

    with served_site(tmp, make) as served:
        yield served


@pytest.fixture(scope="module", params=["real", "demo"])
def any_site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue("real_site" if request.param == "real" else "site")


SETTLED = """() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))
  .then(() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))))"""
VIEWS = [(scheme, width) for scheme in ("default", "slate") for width in WIDTHS]  # Material's light, dark


def violations(page: Page, axe: str) -> list[str]:
    """'rule: element: what is wrong' for each node axe finds at fault on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe)
    found: list[str] = page.evaluate(RUN_AXE, TAGS)
    return found


def show(page: Page, scheme: str, width: str) -> None:
    """The palette and width a reader picks: Material's toggle sets the scheme on <body>."""
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    # Material fades colours in: wait for the transitions the change started, or axe sees them halfway.
    page.evaluate(SETTLED)


def test_every_page_kind_has_no_axe_violation(browser: Browser, any_site: Site, axe_source: str) -> None:
    urls = one_of_each_kind(any_site.folder)
    assert {"", "404.html"} <= set(urls) and len(urls) > 15, urls
    found = []
    with desktop_tab(browser, any_site) as tab:
        for url in urls:
            tab.goto(url)
            for scheme, width in VIEWS:
                show(tab.page, scheme, width)
                found += [f"{url} ({scheme}, {width}) {v}" for v in violations(tab.page, axe_source)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("scheme", "width"), VIEWS)
def test_the_search_overlay_with_results_has_no_axe_violation(
    browser: Browser, any_site: Site, axe_source: str, scheme: str, width: str
) -> None:
    with desktop_tab(browser, any_site) as tab:
        tab.goto("")
        show(tab.page, scheme, width)
        page = tab.page
        button = page.locator("label.md-header__button[for='__search']")
        (button if button.is_visible() else page.locator("input.md-search__input")).click()
        box = page.locator("input.md-search__input")
        box.press_sequentially("actors", delay=20)
        items = page.locator(".md-search-result__item")
        try:
            expect(items.first).to_be_visible(timeout=5_000)
        except AssertionError:  # typed before the worker had the index: type the last key again
            box.press("Backspace")
            box.press_sequentially("s", delay=20)
            expect(items.first).to_be_visible(timeout=10_000)
        found = violations(page, axe_source)
    assert not found, "\n".join(found)
