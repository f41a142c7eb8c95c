"""The pictures as a reader meets them in Chromium: every label whole inside its picture and at least
12 px tall at a laptop's width, readable against what is behind it in the light and dark palettes,
and every link in a picture reached with Tab and ringed when it has the focus.

Two sites: the demo briefing, and one of long names (a synthetic briefing whose meetings, issues,
events and actors are given long and Chinese names) next to the Arabic test briefing, whose
pictures are drawn right to left.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page
from support.paths import DOCS, REPO, TESTS
from support.project import make_project

from .conftest import Site, Tab, build, open_tab, served_site

LONG_MEETING = (
    "Second round of the ministerial contact group on regional security, the exchange of prisoners"
    " and the reopening of the northern harbour to shipping"
)
LONG_ISSUE = "The phased withdrawal of heavy weapons from the northern harbour district"
LONG_ACTOR = "Joint Standing Committee of the Northern Provinces on Harbour Access and Coastal Shipping"
CHINESE_ACTOR = "北方港口与航运事务联合特别委员会代表团"


def long_names() -> dict[str, str]:
    """A synthetic briefing (benchmarks/synth.py, 8 actors) with names as long as real ones get."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    data = synth.build(8)
    for i, meeting in enumerate(data["meetings"]):
        meeting["name"] = [LONG_MEETING, f"{meeting['name']} and on what follows", meeting["name"]][i % 3]
    data["issues"][0]["name"] = LONG_ISSUE
    data["actors"][0]["name"] = LONG_ACTOR
    data["actors"][1]["name"] = CHINESE_ACTOR
    data["events"][0]["name"] = LONG_MEETING.replace("Second round", "Announcement")
    return {
        f"{kind}.yaml": yaml.safe_dump(part, allow_unicode=True, sort_keys=False)
        for kind, part in data.items()
    }


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("long-names-site")
    briefings = {"long": long_names(), "ar": TESTS / "languages" / "ar"}
    with served_site(
        tmp, lambda url, out: build(make_project(tmp / "project", briefings, docs=DOCS), url, out)
    ) as served:
        yield served


def actor_page(site: Site, slug: str) -> str:
    """The first actor page of `slug` that draws a picture."""
    for html in sorted((site.folder / slug / "actors").glob("*/index.html")):
        if 'class="bp-pic' in html.read_text(encoding="utf-8"):
            return html.parent.relative_to(site.folder).as_posix() + "/"
    raise AssertionError(f"no actor page of {slug} has a picture")


def picture_pages(site: Site, slug: str) -> list[str]:
    return [f"{slug}/", f"{slug}/positions/", f"{slug}/timeline/", actor_page(site, slug)]


# Each <text> of each picture on the page: where it is drawn against its picture, how large it is on
# the screen, its tooltip, its colour and the colours painted behind it (the rects drawn before it
# under its middle, on the page's background), as computed [colour, opacity] pairs.
MEASURE = """() => [...document.querySelectorAll('svg.bp-pic')].map(svg => {
  const paint = el => { const s = getComputedStyle(el);
    return s.fill === 'none' || s.fill.startsWith('url') ? null : [s.fill, Number(s.fillOpacity)]; };
  let page = 'rgb(255, 255, 255)';
  for (let el = svg.parentElement; el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { page = bg; break; }
  }
  const box = svg.getBoundingClientRect(), figure = svg.closest('figure');
  const within = r => r.left >= box.left - 1 && r.right <= box.right + 1
    && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const rects = [...svg.querySelectorAll('rect')];
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect(), cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    const behind = rects.filter(rect => {
      const b = rect.getBoundingClientRect();
      return paint(rect) && rect.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING
        && b.left <= cx && cx <= b.right && b.top <= cy && cy <= b.bottom;
    }).map(paint);
    const link = t.closest('a'), title = link && link.querySelector(':scope > title');
    return {
      text: t.textContent, inside: within(r),
      px: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width,
      tooltip: title ? title.textContent : null, colour: paint(t), behind: [[page, 1], ...behind],
    };
  });
  return {
    kind: svg.getAttribute('class'), texts,
    scrolls: box.width <= figure.clientWidth + 1
      || (getComputedStyle(figure).overflowX === 'auto' && figure.scrollWidth >= box.width - 1),
  };
})"""


def measure(page: Page) -> list[dict[str, Any]]:
    pictures: list[dict[str, Any]] = page.evaluate(MEASURE)
    assert pictures, f"no picture on {page.url}"
    return pictures


def problems(pictures: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """What a reader would miss: a label cut off by its picture's edge, too small to read, or faint
    against what is behind it; a label shortened with no tooltip saying it whole; a picture wider
    than its figure that cannot be scrolled to."""
    found = []
    for pic in pictures:
        if not pic["scrolls"]:
            found.append((pic["kind"], "", "wider than its figure, which does not scroll"))
        for t in pic["texts"]:
            if not t["inside"]:
                found.append((pic["kind"], t["text"], "outside the picture"))
            if t["px"] < 11.95:
                found.append((pic["kind"], t["text"], f"{t['px']:.1f} px"))
            if (ratio := contrast(t["colour"], t["behind"])) < 4.5:
                found.append((pic["kind"], t["text"], f"contrast {ratio:.2f}"))
            shortened = t["text"].endswith("…") and t["text"].rstrip("…").strip()
            if shortened and shortened not in (t["tooltip"] or ""):
                found.append((pic["kind"], t["text"], "shortened, and no tooltip says it whole"))
    return found


@contextlib.contextmanager
def palette_tab(browser: Browser, site: Site, scheme: str) -> Iterator[Tab]:
    """A laptop-sized page (1280x800) in the light or dark palette (Material follows the system's)."""
    opened, context = open_tab(browser, site, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    try:
        yield opened
    finally:
        context.close()


def check_pages(tab: Tab, pages: list[str], scheme: str) -> None:
    found = []
    for path in pages:
        tab.goto(path)
        palette = tab.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert palette == {"light": "default", "dark": "slate"}[scheme]
        found += [(path, *problem) for problem in problems(measure(tab.page))]
    assert found == []
    assert tab.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_pictures_are_whole_and_readable(browser: Browser, site: Site, scheme: str) -> None:
    with palette_tab(browser, site, scheme) as tab:
        check_pages(tab, picture_pages(site, "demo"), scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_long_names_and_arabic_pictures_are_whole_and_readable(
    browser: Browser, long_site: Site, scheme: str
) -> None:
    with palette_tab(browser, long_site, scheme) as tab:
        check_pages(tab, [*picture_pages(long_site, "long"), *picture_pages(long_site, "ar")], scheme)
        # The Chinese name fits whole, and so does the long issue's, on six lines.
        tab.goto("long/")
        said = {t["text"] for pic in measure(tab.page) for t in pic["texts"]}
        assert CHINESE_ACTOR in said
        tab.goto("long/positions/")
        heading = [t for pic in measure(tab.page) for t in pic["texts"] if t["tooltip"] == LONG_ISSUE]
        assert " ".join(t["text"] for t in heading) == LONG_ISSUE


KINDS = {"attendance": "demo/", "timeline": "demo/timeline/", "matrix": "demo/positions/"}

FOCUSED = """kind => {
  const a = document.activeElement, svg = a && a.closest('svg.bp-pic');
  if (!svg || !svg.classList.contains('bp-' + kind)) return null;
  const s = getComputedStyle(a), r = a.getBoundingClientRect();
  return {tag: a.tagName.toLowerCase(), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          colour: s.outlineColor, box: [r.left, r.top, r.width, r.height]};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_tab_reaches_a_link_in_the_picture_and_rings_it(
    browser: Browser, site: Site, artifacts: Path, kind: str, scheme: str
) -> None:
    with palette_tab(browser, site, scheme) as tab:
        page = tab.page
        tab.goto(KINDS[kind])
        for _press in range(400):
            page.keyboard.press("Tab")
            if (focused := page.evaluate(FOCUSED, kind)) is not None:
                break
        else:
            pytest.fail(f"Tab never reached a link in the {kind} picture")
        assert focused["tag"] == "a"
        assert focused["style"] == "solid" and focused["width"] >= 2
        x, y, w, h = focused["box"]
        clip = {"x": max(0, x - 6), "y": max(0, y - 6), "width": w + 12, "height": h + 12}
        ringed = page.screenshot(clip=clip, path=artifacts / f"focus-{kind}-{scheme}.png")
        page.evaluate("document.activeElement.blur()")
        assert page.screenshot(clip=clip) != ringed, "the focus ring is not drawn"
        # The ring has the text's colour, which stands out from the page (3:1 at least).
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert contrast((focused["colour"], 1.0), [(background, 1.0)]) >= 3, (focused["colour"], background)


Paint = tuple[str, float]  # a computed CSS colour and the opacity it is painted with


def contrast(top: Paint, layers: list[Paint]) -> float:
    """WCAG contrast of `top` painted over `layers` (the lowest first) with what is under it."""

    def rgba(paint: Paint) -> list[float]:
        colour, opacity = paint
        values = [float(v) for v in colour[colour.index("(") + 1 : -1].replace("/", ",").split(",")]
        return [*values[:3], (values[3] if len(values) > 3 else 1.0) * opacity]

    def over(fg: list[float], bg: list[float]) -> list[float]:
        return [fg[i] * fg[3] + bg[i] * (1 - fg[3]) for i in range(3)] + [1.0]

    def luminance(rgb: list[float]) -> float:
        lin = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    under = [255.0, 255.0, 255.0, 1.0]
    for layer in layers:
        under = over(rgba(layer), under)
    high, low = sorted((luminance(over(rgba(top), under)), luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)
