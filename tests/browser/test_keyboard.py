"""The site with the keyboard and as a screen reader hears it: a skip link first on every page kind,
which takes the next Tab past the header and the navigation; stance badges read as their words."""

from __future__ import annotations

import pytest
from support.built import one_of_each_kind

from .conftest import Site, Tab

OUTER = "e => e.outerHTML.slice(0, 80)"
# The element focused next comes after the skip link's target, and not in the header or the sidebars.
AFTER_TARGET = """([e, id]) => {
  const target = document.getElementById(decodeURIComponent(id));
  return !!target && !!e && !e.closest(".md-header, .md-sidebar")
    && !!(target.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def test_a_skip_link_comes_first_and_leads_into_the_content(tab: Tab, site: Site) -> None:
    page = tab.page
    wrong = {}
    for url in one_of_each_kind(site.folder):
        tab.goto(url)
        page.keyboard.press("Tab")
        skip = page.evaluate_handle("document.activeElement")
        if not skip.evaluate("e => e.matches('a.md-skip')"):
            wrong[url] = "Tab does not reach a skip link first: " + skip.evaluate(OUTER)
            continue
        box = skip.evaluate("e => [e.offsetWidth, e.offsetHeight, e.getBoundingClientRect().top]")
        if box[0] < 10 or box[1] < 10 or box[2] < 0:
            wrong[url] = f"the focused skip link is not shown: {box}"
            continue
        target = skip.evaluate("e => e.hash.slice(1)")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        if not page.evaluate(f"({AFTER_TARGET})([document.activeElement, {target!r}])"):
            focused = page.evaluate(f"({OUTER})(document.activeElement)")
            wrong[url] = f"after the skip link, Tab goes to {focused}"
    assert wrong == {}


@pytest.mark.parametrize("stance", ["favor", "against", "mixed", "neutral", "unclear"])
def test_a_stance_badge_reads_as_its_word(tab: Tab, stance: str) -> None:
    """The badge shows a mark before its word; the accessibility tree has the word alone. Every
    stance's badge, as the site's style sheet draws it (the demo holds only some stances)."""
    tab.goto("demo/positions/")
    tab.page.evaluate(
        """s => { const p = document.createElement("p"); p.id = "badge";
                  p.innerHTML = `<span class="bp-stance bp-stance-${s}">Word</span>`;
                  document.querySelector("article").append(p); }""",
        stance,
    )
    badge = tab.page.locator("#badge span")
    mark = badge.evaluate("e => getComputedStyle(e, '::before').content")
    assert mark.startswith('"') and mark.split('"')[1].strip(), mark  # a mark is shown
    assert tab.page.locator("#badge").aria_snapshot() == "- paragraph: Word"
