"""A reader clicks from an actor to a meeting to a source and back; no page complains in the console, and
nothing is fetched from any host but the site's own."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import Site, Tab


def heading(page: Page, text: str) -> None:
    expect(page.locator("h1")).to_have_text(re.compile(rf"^{re.escape(text)}\b"))


def click_in_content(page: Page, name: str) -> None:
    page.locator("article.md-content__inner").get_by_role("link", name=name, exact=True).first.click()


def test_actor_meeting_source_and_back(tab: Tab) -> None:
    page = tab.page
    tab.goto("demo/actors/")
    heading(page, "Actors")
    click_in_content(page, "Example Minister")
    expect(page).to_have_url(tab.site.url("demo/actors/example-minister/"))
    heading(page, "Example Minister")
    click_in_content(page, "Example talks")
    expect(page).to_have_url(tab.site.url("demo/meetings/example-talks/"))
    heading(page, "Example talks")
    click_in_content(page, "Example article")
    expect(page).to_have_url(tab.site.url("demo/sources/example-source/"))
    heading(page, "Example article")
    page.go_back()
    expect(page).to_have_url(tab.site.url("demo/meetings/example-talks/"))
    heading(page, "Example talks")
    page.go_back()
    expect(page).to_have_url(tab.site.url("demo/actors/example-minister/"))
    heading(page, "Example Minister")
    assert tab.console_errors == []


def test_no_console_error_and_no_foreign_request_on_any_page(tab: Tab, site: Site) -> None:
    """Every built page, loaded until the network is idle, then a search (which starts the worker)."""
    pages = [p for p in site.html_pages() if p.name != "404.html"]
    assert len(pages) > 10
    for html in pages:
        tab.page.goto(site.page_url(html), wait_until="networkidle")
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("minister", delay=20)
    expect(tab.page.locator(".md-search-result__item").first).to_be_visible()
    tab.page.wait_for_load_state("networkidle")
    assert any(url.endswith("search/search_index.json") for url in tab.requests)
    assert tab.console_errors == []
    assert tab.failed_responses == []
    assert tab.foreign_requests() == []


def test_foreign_requests_are_caught(tab: Tab) -> None:
    """The recorder itself: a request to another origin (a second loopback address) is reported."""
    tab.goto("demo/")
    tab.page.evaluate("() => fetch('http://127.0.0.2:9/probe.js').catch(() => null)")
    tab.page.wait_for_load_state("networkidle")
    assert tab.foreign_requests() == ["http://127.0.0.2:9/probe.js"]


def test_no_page_references_another_host_for_a_resource(site: Site) -> None:
    """Scripts, styles, images and frames in the built HTML all come from the site (links may go out)."""
    from bs4 import BeautifulSoup

    leaks = []
    for html in site.html_pages():
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                value = str(el.get(attr) or "")
                if tag == "link" and not {"stylesheet", "preload", "icon", "preconnect"} & set(
                    el.get("rel") or []
                ):
                    continue  # rel=canonical and friends are not fetched
                if re.match(r"^(https?:)?//", value) and not value.startswith(site.origin):
                    leaks.append(f"{html.relative_to(site.folder)}: <{tag} {attr}={value!r}>")
    assert leaks == []
