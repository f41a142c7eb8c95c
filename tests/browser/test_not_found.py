"""A project site lives under /<repo>/, and GitHub Pages answers any missing path with the site's 404.html.
That page can be served at any depth, so its links must be absolute to the sub-path (Material builds them
from site_url); the test server here answers missing paths the same way."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from playwright.sync_api import expect
from support.server import REPO_NAME

from .conftest import Site, Tab

MISSING = "no/such/page/at/all/"


def test_404_links_are_absolute_to_the_sub_path(site: Site) -> None:
    soup = BeautifulSoup((site.folder / "404.html").read_text(encoding="utf-8"), "html.parser")
    prefix = f"/{REPO_NAME}/"
    refs = [str(el.get("href") or el.get("src")) for el in soup.find_all(["a", "link", "script", "img"])]
    internal = [r for r in refs if r != "None" and not urlsplit(r).netloc and not r.startswith("#")]
    assert any(r.startswith(prefix + "assets/") for r in internal), "no stylesheet or script found"
    assert [r for r in internal if not r.startswith(prefix)] == []
    config = json.loads(soup.find("script", id="__config").get_text())
    assert config["base"].rstrip("/") == prefix.rstrip("/")
    assert config["search"].startswith(prefix)


def test_missing_page_shows_the_styled_404_with_working_links(tab: Tab, artifacts: Path) -> None:
    page = tab.page
    response = tab.goto(MISSING)
    page.screenshot(path=artifacts / "desktop-404-deep-path.png")
    assert response.status == 404
    expect(page.locator("article h1")).to_have_text(re.compile(r"^404"))
    # Styled: Material's stylesheet applied (the header is a coloured, sticky bar) and its script ran.
    header = page.locator(".md-header")
    expect(header).to_be_visible()
    assert header.evaluate("el => getComputedStyle(el).position") == "sticky"
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "")
    assert page.evaluate("() => document.documentElement.classList.contains('js')") is True
    # Every asset the page loaded came from the sub-path and was found: only the page itself is a 404.
    assert [u for u in tab.requests if not u.startswith(tab.site.base_url)] == []
    assert tab.failed_responses == [f"404 {tab.site.url(MISSING)}"]
    # The navigation works from here: open the briefing's overview, then come back.
    page.locator(".md-sidebar--primary").get_by_role("link", name="Actors", exact=True).first.click()
    expect(page).to_have_url(tab.site.url("demo/actors/"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^Actors"))
    page.go_back()
    page.locator("a.md-header__button.md-logo").click()
    expect(page).to_have_url(tab.site.url(""))
    # Chromium logs the document's own 404 status as a console error; anything else is the page's fault.
    own_status = f"status of 404 (Not Found) ({tab.site.url(MISSING)})"
    errors = [e for e in tab.console_errors if own_status not in e]
    assert errors == []


def test_search_works_from_the_404_page(tab: Tab) -> None:
    tab.goto(MISSING)
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Quillfeather", delay=20)
    hit = tab.page.locator(".md-search-result__item a[href*='demo/actors/example-minister/']").first
    expect(hit).to_be_visible()
    hit.click()
    expect(tab.page.locator("h1")).to_have_text(re.compile(r"^Example Minister\b"))
