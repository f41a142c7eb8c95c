"""Printed, a page is its content: the site chrome (header, sidebars, search, footer) is not shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.paths import REPO

from .conftest import Tab

PRINT_CSS = REPO / "generator" / "assets" / "print.css"
CHROME = {
    "header": ".md-header",
    "navigation sidebar": ".md-sidebar--primary",
    "table of contents sidebar": ".md-sidebar--secondary",
    "search": ".md-search",
    "footer": ".md-footer",
    "back-to-top button": ".md-top",
}


@pytest.mark.xfail(
    not PRINT_CSS.is_file(),
    reason="generator/assets/print.css is not written yet (a colleague is on it)",
    strict=False,
)
@pytest.mark.parametrize("path", ["demo/actors/example-minister/", "demo/book/", "demo/positions/"])
def test_print_hides_site_chrome(tab: Tab, path: str) -> None:
    tab.goto(path)
    # On screen the chrome is there, so the check below is not vacuous.
    expect(tab.page.locator(".md-header")).to_be_visible()
    expect(tab.page.locator(".md-sidebar--primary")).to_be_visible()
    tab.page.emulate_media(media="print")
    shown = [name for name, selector in CHROME.items() if tab.page.locator(selector).first.is_visible()]
    assert shown == [], f"visible when printed: {', '.join(shown)}"
    expect(tab.page.locator("article.md-content__inner h1")).to_be_visible()
    assert tab.console_errors == []
