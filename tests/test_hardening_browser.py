"""In a real browser: no payload runs on any page that shows it, and search finds names in any script.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; never a browser Playwright downloads.
Without it these tests skip, unless BRIEFING_REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support.built import shown
from support.cli import mkdocs_build
from support.hostile import PAYLOADS, hostile_briefing
from support.project import make_project
from support.server import PagesServer
from test_hardening_unicode import FILES as SCRIPTS_FILES
from test_hardening_unicode import LAVROV, MUALLEM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(
        tmp_path_factory.mktemp("browser"), {"hostile": hostile_briefing(), "scripts": SCRIPTS_FILES}
    )
    result = mkdocs_build(project, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = PagesServer(site, repo="")
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    tab = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    try:
        yield tab, dialogs
    finally:
        context.close()


def pwned(tab: Page) -> Any:
    return tab.evaluate("() => window.__pwned")


# In the live page, after Material's script and the events above have run: every element that
# carries an event handler, and every link or source that is script or an inline document.
UNSAFE_IN_DOM = """() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
            if (a.name.toLowerCase().startsWith('on'))
                bad.push(`<${el.localName} ${a.name}>`);
            else if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(a.name)
                     && /^(javascript|vbscript|data):/.test(value))
                bad.push(`<${el.localName} ${a.name}=${a.value.slice(0, 40)}>`);
        }
    }
    return bad;
}"""


def every_page(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))


def test_no_payload_runs_on_any_page(page: tuple[Page, list[str]], base_url: str, site: Path) -> None:
    tab, dialogs = page
    pages = every_page(site)
    assert len(pages) > 8 * len(PAYLOADS)
    ran = {}
    for path in pages:
        response = tab.goto(base_url + path, wait_until="load")
        assert response is not None and response.ok, path
        tab.wait_for_timeout(30)  # an onerror or onload handler fires right after load
        # What a reader's mouse and keyboard would do to every element: fire the events inline
        # handlers listen for (an injected onmouseover would run now).
        tab.evaluate(
            """() => document.querySelectorAll('article *, header *, nav *').forEach(el => {
                for (const type of ['mouseover', 'mouseenter', 'focus', 'pointerover', 'click'])
                    if (type !== 'click' || !el.closest('a, button, label, input'))
                        el.dispatchEvent(new Event(type, {bubbles: true}));
            })"""
        )
        unsafe = tab.evaluate(UNSAFE_IN_DOM)
        if pwned(tab) is not None or dialogs or unsafe:
            ran[path] = (pwned(tab), list(dialogs), unsafe)
            dialogs.clear()
    assert ran == {}


def search(tab: Page, base_url: str, query: str) -> list[str]:
    from playwright.sync_api import expect

    tab.goto(base_url + "scripts/", wait_until="load")
    box = tab.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)  # Material searches on key events
    items = tab.locator(".md-search-result__item")
    try:
        expect(items.first).to_be_visible(timeout=5_000)
    except AssertionError:  # typed before the worker had the index: type the last key again
        box.press("Backspace")
        box.press_sequentially(query[-1], delay=20)
        expect(items.first).to_be_visible(timeout=10_000)
    links = tab.locator(".md-search-result__item a.md-search-result__link")
    return [str(link.get_attribute("href")) for link in links.all()]


@pytest.mark.parametrize(("query", "k"), [("onerror", 1), ("paragraph", 5), ("heading", 10)])
def test_search_results_show_payloads_as_text(
    page: tuple[Page, list[str]], base_url: str, query: str, k: int
) -> None:
    tab, dialogs = page
    hrefs = search(tab, base_url, query)
    assert any(f"hostile/actors/a-{k}/" in h for h in hrefs), hrefs
    tab.wait_for_timeout(300)  # results render, with their highlighting
    for el in tab.locator(".md-search-result__item").all()[:10]:
        el.hover()
    results = tab.locator(".md-search-result")
    assert shown(PAYLOADS[k]) in " ".join(results.inner_text().split())
    assert results.locator("img, iframe, script, svg[onload], [onerror], [onclick]").count() == 0
    assert pwned(tab) is None and dialogs == []


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("Лавров", "sergei-lavrov"),
        ("Сергей", "sergei-lavrov"),
        ("Lavrov", "sergei-lavrov"),
        ("المعلم", "walid-muallem"),
        ("Muallem", "walid-muallem"),
        ("Çavuşoğlu", "mevlut-cavusoglu"),
    ],
)
def test_search_finds_names_in_every_script(
    page: tuple[Page, list[str]], base_url: str, query: str, actor: str
) -> None:
    tab, _ = page
    hrefs = search(tab, base_url, query)
    assert any(f"scripts/actors/{actor}/" in h for h in hrefs), hrefs


def test_an_arabic_name_does_not_reorder_the_text_around_it(
    page: tuple[Page, list[str]], base_url: str
) -> None:
    """'X (Syria) did not attend': the bracket stays after the name, read left to right."""
    tab, _ = page
    tab.goto(base_url + "scripts/meetings/lausanne/", wait_until="load")
    para = tab.locator("article p", has_text="did not attend").first
    boxes = para.evaluate(
        """(p) => {
            const bdi = p.querySelector('bdi');
            const range = document.createRange();
            const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.includes('(Syria)'));
            const at = text.textContent.indexOf('(Syria)');
            range.setStart(text, at);
            range.setEnd(text, at + 7);
            return {name: bdi.getBoundingClientRect().right, syria: range.getBoundingClientRect().left};
        }"""
    )
    assert boxes["syria"] >= boxes["name"] - 1, boxes
    assert MUALLEM in para.inner_text() and LAVROV in para.inner_text()
