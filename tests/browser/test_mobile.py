"""On a phone (375x812) the pages fit the screen width and the menu opens the navigation.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import Tab

PAGES = {
    "home": "",
    "overview": "demo/",
    "actor": "demo/actors/example-minister/",
    "meeting": "demo/meetings/example-talks/",
    "positions": "demo/positions/",
    "timeline": "demo/timeline/",
    "book": "demo/book/",
}

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.closest('.md-typeset__scrollwrap, .md-sidebar, .md-search, pre'))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return {
    width,
    docScroll: document.documentElement.scrollWidth,
    bodyScroll: document.body.scrollWidth,
    wide,
  };
}"""


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_page_fits_and_has_a_menu(phone_tab: Tab, artifacts: Path, name: str) -> None:
    page = phone_tab.page
    phone_tab.goto(PAGES[name])
    page.screenshot(path=artifacts / f"phone-{name}.png", full_page=True)
    menu = page.locator("label.md-header__button[for='__drawer']")
    expect(menu).to_be_visible()
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["width"] == 375
    assert sizes["bodyScroll"] <= sizes["width"], f"body overflows the screen: {sizes}"
    assert sizes["docScroll"] <= sizes["width"], f"page scrolls sideways: {sizes}"
    assert phone_tab.console_errors == []


def test_phone_menu_opens_the_navigation(phone_tab: Tab, artifacts: Path) -> None:
    page = phone_tab.page
    phone_tab.goto("demo/actors/example-minister/")
    nav = page.locator(".md-sidebar--primary")
    expect(nav).not_to_be_in_viewport()
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(nav).to_be_in_viewport()
    expect(nav.get_by_role("link", name="Meetings", exact=True).first).to_be_visible()
    page.screenshot(path=artifacts / "phone-menu-open.png")
    nav.get_by_role("link", name="Meetings", exact=True).first.click()
    expect(page).to_have_url(phone_tab.site.url("demo/meetings/"))
    assert phone_tab.console_errors == []
