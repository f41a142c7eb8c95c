"""Printing: the briefing book as a PDF (`briefing pdf`), and site pages printed from the browser.

Browser tests need Chromium and poppler's pdftotext/pdftoppm; they skip without them, unless
BRIEFING_REQUIRE_BROWSER=1 (CI), where a missing tool is a failure. One site is built per module.
"""

from __future__ import annotations

import base64
import contextlib
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.browser import need_print_tools, pdf_pages
from support.cli import run
from support.paths import MKDOCS_YML, REAL, REPO, TESTS

import generator.pdf as pdf
from generator import i18n
from generator.chromium import DevTools, Page, headless_flags, print_page, sandbox_possible
from generator.cli import cli
from generator.environment import make_env
from generator.errors import Report
from generator.model import Actor, Attendee, Briefing, BriefingData, Issue, Meeting, Position
from generator.pdf import UnreadablePdf, build_site, named_destinations, serve
from generator.render import Renderer
from generator.scaffold import new_briefing
from generator.validate import load_and_validate

# Words only the theme's chrome prints: header, search, sidebars, footer, palette toggle, nav labels.
CHROME = [
    "Skip to content",
    "Initializing search",
    "Table of contents",
    "Made with",
    "Material for MkDocs",
    "Switch to dark mode",
    "Switch to light mode",
    "Back to top",
    "How to read these briefings",  # a nav label: the docs page of this repository
    "¶",  # permalinks
]
# The book's chapters, in the contents' order.
CHAPTERS = [
    "Overview",
    "Actors",
    "Meetings",
    "Other events",
    "Documents",
    "Issues",
    "Positions",
    "Timeline",
    "Disputed accounts",
    "Open questions",
    "Sources",
]
BOOK_SECTIONS = ["Contents", *CHAPTERS, "Key figures", "Latest developments"]


def assert_no_chrome(text: str) -> None:
    found = [word for word in CHROME if word in text]
    assert not found, f"site chrome printed: {found}"
    assert not re.search(r"\bSearch\b", text), "the search box printed"


# Marks pdftotext puts around right-to-left and embedded left-to-right runs.
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))


def page_lines(pdf: Path, n: int) -> list[str]:
    """The text lines of page `n` (from 1), as `pdftotext -f n -l n` reads them: the running head
    first, the page number last."""
    out = run("pdftotext", "-f", str(n), "-l", str(n), pdf, "-", cwd=pdf.parent, check=True).stdout
    return [" ".join(line.translate(BIDI_MARKS).split()) for line in out.splitlines() if line.strip()]


def contents(pdf: Path) -> list[tuple[str, int]]:
    """The book's contents as printed on page 2: each entry's title (without its list number or
    count) and the page number it gives. pdftotext reads each entry as two lines, title then number."""
    lines = page_lines(pdf, 2)[2:-1]  # below the running head and the heading, above the page number
    assert len(lines) % 2 == 0 and lines, f"not a contents of titles and numbers: {lines}"
    entries = []
    for title, number in zip(lines[::2], lines[1::2], strict=True):
        assert re.fullmatch(r"\d+", number), f"{title!r} has no page number but {number!r}"
        # "2. Actors (44)"; right to left, pdftotext gives ".2<title> ()6".
        title = re.sub(r"^\.?\d+\.? ?|\s*\(\)?\d+\)?$", "", title)
        entries.append((title, int(number)))
    return entries


def assert_contents_give_the_pages(pdf: Path) -> None:
    """Each contents entry's section starts on the page it gives: its heading is the first line
    under the running head there (chapters start a page), in the page footer's numerals."""
    entries = contents(pdf)
    footer = page_lines(pdf, 2)[-1]
    zeros = {ord(c) - unicodedata.digit(c) for c in footer if c.isdigit()}
    for title, page in entries:
        assert {ord(c) - unicodedata.digit(c) for c in str(page)} <= zeros, "numerals unlike the footer's"
        lines = page_lines(pdf, page)
        assert lines[1] == title, f"contents give page {page} for {title!r}, which starts with {lines[1]!r}"
    assert [page for _, page in entries] == sorted(page for _, page in entries)
    assert entries[0][1] == 3, "the overview follows the cover and the contents"


def assert_no_lone_sources_line(pdf: Path, lang: str = "en") -> None:
    """No page starts with an entry's closing "Sources: …" line, cut off from the text it sources
    (above all, no page holding nothing else)."""
    with i18n.language(lang):
        prefix = i18n._("Sources: {sources}").split("{sources}")[0].strip()
    out = run("pdftotext", pdf, "-", cwd=pdf.parent, check=True).stdout.translate(BIDI_MARKS)
    for n, page in enumerate(out.split("\f")[:-1], 1):
        body = [line.strip() for line in page.splitlines() if line.strip()][1:-1]
        assert body, f"page {n} is blank"
        assert not body[0].startswith(prefix), f"page {n} starts with a sources line: {body[:2]}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The example briefing (`briefing new`) and its site, built strictly with the repository's mkdocs.yml."""
    need_print_tools()
    root = tmp_path_factory.mktemp("print")
    folder = new_briefing(root / "briefings", "demo", root / "schemas")
    site = root / "site"
    build_site(folder, site, MKDOCS_YML, strict=True)
    yield folder, site


@pytest.fixture(scope="module")
def demo_book(demo: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, site = demo
    out = tmp_path_factory.mktemp("book") / "book.pdf"
    result = CliRunner().invoke(cli, ["pdf", str(folder), "--site", str(site), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    return out


@pytest.mark.browser
def test_book_pdf_holds_every_section_and_no_chrome(demo_book: Path) -> None:
    pages = pdf_pages(demo_book)
    text = " ".join(pages)
    for heading in BOOK_SECTIONS:
        assert heading in text, heading
    for value in [
        "New briefing",  # cover
        "One paragraph: what this file is about and why it matters now.",
        "People displaced",
        "about 1,000",
        "Example Minister",
        "The Minister",  # alias
        "Foreign minister",
        "Example talks",
        "Geneva",
        "Agreed to meet again.",
        "Words the speaker said, verbatim.",  # quote
        "Supports it, in the analyst's own words.",  # position
        "Example issue",
        "Example announcement",  # timeline event
        "Who broke the truce",
        "Blames the other",  # accounts sit side by side: the text wraps in its column
        "Denies it.",
        "Will the talks resume?",
        "What to watch for.",
        "Example article",  # sources appendix
        "Example Times",
    ]:
        assert value in text, value
    assert_no_chrome(text)
    assert 2 <= len(pages) < 40
    for n, page in enumerate(pages, 1):
        assert "New briefing · As of 20 October 2016" in page, f"page {n} lacks the running head"
        assert f"Page {n} of {len(pages)}" in page, f"page {n} lacks its number"
    assert b"/Outlines" in demo_book.read_bytes(), "no PDF outline (bookmarks)"


@pytest.mark.browser
def test_book_contents_give_each_sections_page(demo_book: Path, demo: tuple[Path, Path]) -> None:
    assert_contents_give_the_pages(demo_book)
    assert [title for title, _ in contents(demo_book)] == CHAPTERS
    # On the site, and printed from the browser, the slots stay empty: no number that could be wrong.
    html = (demo[1] / "demo" / "book" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<span class="bp-page">(.*?)</span>', html) == [""] * len(CHAPTERS)


@pytest.mark.browser
def test_a_site_built_before_the_slots_prints_once(
    demo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--site` with a site whose contents have links but no slots for numbers: nothing to number."""
    chromium = need_print_tools()
    _, site = demo
    book = (site / "demo" / "book" / "index.html").read_text(encoding="utf-8")
    old = site / "demo" / "old-book" / "index.html"
    old.parent.mkdir(exist_ok=True)
    old.write_text(book.replace('<span class="bp-page"></span>', ""), encoding="utf-8")
    prints = []
    real = Page.print
    monkeypatch.setattr(Page, "print", lambda self, paper="a4": prints.append(paper) or real(self, paper))
    with serve(site) as base:
        assert pdf.print_book(f"{base}demo/old-book/", chromium).startswith(b"%PDF")
    assert prints == ["a4"]


@pytest.mark.browser
def test_book_keeps_sources_lines_with_their_entry(demo_book: Path) -> None:
    assert_no_lone_sources_line(demo_book)


@pytest.mark.browser
def test_right_to_left_book_contents(tmp_path: Path) -> None:
    """An Arabic book: the contents' numbers on the left, in the footer's numerals, each right."""
    need_print_tools()
    out = tmp_path / "ar.pdf"
    result = CliRunner().invoke(
        cli, ["pdf", str(TESTS / "languages" / "ar"), "--config", str(MKDOCS_YML), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert_contents_give_the_pages(out)
    assert len(contents(out)) == len(CHAPTERS)
    # The list's numbers print, on the right (pdftotext: ".1<title>"), not cut off past the margin.
    for n, line in enumerate(page_lines(out, 2)[2:-1:2], 1):
        assert re.match(rf"\.{n}(?!\d)", line), f"entry {n} lost its number: {line!r}"
    assert_no_lone_sources_line(out, "ar")


# An entry closing on its sources line, with a paragraph or a list before it, as the book's are.
ENTRY = """<h2 class="bp-chapter" id="case-{n}">Case {n}</h2>
<div style="height: {height}mm"></div>
<h3 class="bp-entry" id="entry-{n}">Entry {n}</h3>
{body}
<p><span class="bp-sources">Sources: <a href="#case-{n}">Source {n}</a></span></p>
"""
PARAGRAPH = "<p>" + "Words of the entry, as an analyst would write them. " * 12 + "</p>"
LIST = "<h4>Related</h4><ul>" + "<li>A related entry</li>" * 4 + "</ul>"


@pytest.mark.browser
def test_a_sources_line_is_never_cut_off_from_its_entry(demo: tuple[Path, Path]) -> None:
    """Entries pushed down their page a millimetre at a time, so that for some of them a page would
    end just before the sources line: the book page's own styles, with other content."""
    chromium = need_print_tools()
    _, site = demo
    book = (site / "demo" / "book" / "index.html").read_text(encoding="utf-8")
    cases = "".join(
        ENTRY.format(n=f"{kind}-{height}", height=height, body=body)
        for kind, body in [("p", PARAGRAPH), ("ul", LIST)]
        for height in range(200, 250)
    )
    start = book.index(">", book.index('<article class="md-content__inner')) + 1
    head = re.search(r"<style>@media print \{ @page.*?</style>", book)  # the running head
    assert head is not None
    page = site / "demo" / "cases" / "index.html"  # as deep as the book: its links to styles hold
    page.parent.mkdir(exist_ok=True)
    page.write_text(book[:start] + head[0] + cases + book[book.index("</article>") :], encoding="utf-8")
    out = site.parent / "cases.pdf"
    with serve(site) as base:
        out.write_bytes(print_page(f"{base}demo/cases/", chromium))
    assert len(pdf_pages(out)) >= 100
    assert_no_lone_sources_line(out)


@pytest.mark.browser
def test_book_pdf_written_whole_with_usual_permissions(demo_book: Path) -> None:
    assert demo_book.read_bytes().startswith(b"%PDF")
    assert not list(demo_book.parent.glob(".*.tmp")), "temporary file left behind"
    assert demo_book.stat().st_mode & 0o044, "PDF readable only by its owner"


@pytest.mark.browser
def test_meeting_page_prints_content_only(demo: tuple[Path, Path], tmp_path: Path) -> None:
    """Plain browser printing (print media, no DevTools) of a site page: the meeting, and nothing else."""
    chromium = need_print_tools()
    _, site = demo
    out = tmp_path / "meeting.pdf"
    with serve(site) as base:
        run(
            chromium,
            *headless_flags(sandbox_possible()),
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            f"{base}demo/meetings/example-talks/",
            cwd=tmp_path,
            timeout=120,
            check=True,
        )
    pages = pdf_pages(out)
    text = " ".join(pages)
    for value in [
        "Example talks",
        "15 October 2016",
        "Geneva",
        "Who took part",
        "Example Minister",
        "in person",
        "Agreed to meet again.",
        "Words the speaker said, verbatim.",
        "Example article",
    ]:
        assert value in text, value
    assert_no_chrome(text)
    assert len(pages) <= 3
    assert f"Page 1 of {len(pages)}" in pages[0]


def _mean_grey(pdf_bytes: bytes, workdir: Path) -> float:
    """Mean brightness (0 black - 255 white) of page 1, read from pdftoppm's binary PGM."""
    pdf = workdir / "page.pdf"
    pdf.write_bytes(pdf_bytes)
    run("pdftoppm", "-gray", "-r", "20", "-f", "1", "-l", "1", pdf, workdir / "g", cwd=workdir, check=True)
    pgm = next(workdir.glob("g*.pgm")).read_bytes()
    magic, width, height, maxval, pixels = pgm.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    data = pixels[: int(width) * int(height)]
    return sum(data) / len(data)


@pytest.mark.browser
def test_dark_mode_prints_light(demo: tuple[Path, Path], tmp_path: Path) -> None:
    chromium = need_print_tools()
    _, site = demo
    with serve(site) as base, tempfile.TemporaryDirectory() as profile:
        tools = DevTools(chromium, Path(profile), timeout=60, sandbox=sandbox_possible())
        try:
            target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            tools.call("Page.enable", session=session)
            tools.call(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
                session=session,
            )
            tools.call("Page.navigate", {"url": f"{base}demo/meetings/example-talks/"}, session=session)
            tools.wait_event("Page.loadEventFired", session)
            scheme = tools.call(
                "Runtime.evaluate",
                {"expression": "document.body.getAttribute('data-md-color-scheme')"},
                session=session,
            )["result"]["value"]
            assert scheme == "slate", "the page did not switch to dark mode; the test proves nothing"
            pdf = tools.call("Page.printToPDF", {"printBackground": True}, session=session)["data"]
        finally:
            tools.close()
    assert _mean_grey(base64.b64decode(pdf), tmp_path) > 230, "dark background printed"


def test_pdf_without_chromium_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = new_briefing(tmp_path / "briefings", "demo", tmp_path / "schemas")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("BRIEFING_CHROMIUM", raising=False)
    result = CliRunner().invoke(cli, ["pdf", str(folder), "-o", str(tmp_path / "book.pdf")])
    assert result.exit_code == 1
    assert "apt-get install chromium" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "book.pdf").exists()

    monkeypatch.setenv("BRIEFING_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = CliRunner().invoke(cli, ["pdf", str(folder), "-o", str(tmp_path / "book.pdf")])
    assert result.exit_code == 1
    assert "BRIEFING_CHROMIUM" in result.output and "apt-get install chromium" in result.output


def test_pdf_of_broken_data_reports_and_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = new_briefing(tmp_path / "briefings", "demo", tmp_path / "schemas")
    (folder / "meetings.yaml").write_text("- id: talks\n  name: Talks\n  start_date: 2016-13\n  format: x\n")
    monkeypatch.setenv("BRIEFING_CHROMIUM", shutil.which("true") or "/bin/true")  # found, never run
    result = CliRunner().invoke(cli, ["pdf", str(folder), "-o", str(tmp_path / "book.pdf")])
    assert result.exit_code == 1
    assert "meetings.yaml:3:" in result.output
    assert "briefing check" in result.output


@pytest.mark.browser
def test_named_destinations_read_as_poppler_reads_them(demo_book: Path) -> None:
    out = run("pdfinfo", "-dests", demo_book, cwd=demo_book.parent, check=True).stdout
    poppler = {name: int(page) for page, name in re.findall(r'^\s*(\d+) \[.*\] "(.*)"$', out, re.MULTILINE)}
    assert len(poppler) > 20
    assert named_destinations(demo_book.read_bytes()) == poppler


def test_a_pdf_not_laid_out_as_chromium_writes_them_is_refused() -> None:
    for data in [b"%PDF-1.4\nnothing\n%%EOF", b"%PDF-1.7\ntrailer\n<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"]:
        with pytest.raises(UnreadablePdf):
            named_destinations(data)


class FakePage:
    """A loaded book that records the numbers written into its contents and prints `prints` in turn:
    each print is the sections' pages it would have."""

    def __init__(self, prints: list[dict[str, int]]) -> None:
        self.prints = prints
        self.printed = 0
        self.written: list[str] = []

    def evaluate(self, expression: str) -> Any:
        if expression == pdf.CONTENTS_ANCHORS:
            return ["overview", "actors"]
        self.written.append(expression)
        return None

    def print(self, paper: str) -> bytes:
        self.printed += 1
        return str(min(self.printed, len(self.prints)) - 1).encode()  # which of `prints` this is


def _fake_book(monkeypatch: pytest.MonkeyPatch, prints: list[dict[str, int]]) -> tuple[FakePage, bytes]:
    page = FakePage(prints)
    monkeypatch.setattr(pdf, "open_page", lambda *a, **k: contextlib.nullcontext(page))
    monkeypatch.setattr(pdf, "section_pages", lambda data, anchors: page.prints[int(data)])
    return page, pdf.print_book("http://127.0.0.1:1/book/", "chromium")


def test_contents_numbers_are_printed_again_until_they_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbers that move the sections they number (a contents grown by a line) are written again."""
    page, data = _fake_book(
        monkeypatch,
        [{"overview": 3, "actors": 5}, {"overview": 4, "actors": 6}, {"overview": 4, "actors": 6}],
    )
    assert page.printed == 3
    assert data == b"2", "not the print whose numbers held"
    assert '[["actors", 6], ["overview", 4]]' in page.written[-1]


def test_contents_numbers_that_never_hold_are_left_out(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    shifting = [{"overview": 3 + i} for i in range(10)]
    page, _ = _fake_book(monkeypatch, shifting)
    assert "did not settle" in capsys.readouterr().err
    assert "new Map([])" in page.written[-1], "the last print's slots are not emptied"
    assert page.printed == 1 + pdf.SETTLE_PRINTS + 1


def test_a_pdf_naming_no_section_prints_without_numbers_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    page, data = _fake_book(monkeypatch, [{}])
    assert "without page numbers" in capsys.readouterr().err
    assert (data, page.printed, page.written) == (b"0", 1, [])


def test_a_numbered_print_that_cannot_be_read_falls_back_to_the_first(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    page = FakePage([{"overview": 3, "actors": 5}, {}])  # the second print is b"1"
    monkeypatch.setattr(pdf, "open_page", lambda *a, **k: contextlib.nullcontext(page))

    def pages(data: bytes, anchors: list[str]) -> dict[str, int]:
        if data != b"0":
            raise pdf.UnreadablePdf("a layout Chromium did not write before")
        return page.prints[0]

    monkeypatch.setattr(pdf, "section_pages", pages)
    data = pdf.print_book("http://127.0.0.1:1/book/", "chromium")
    assert "without page numbers: a layout" in capsys.readouterr().err
    assert data == b"0", "not the first print, whose slots are empty"


# --- The book's Markdown: bounded, and every in-page link lands (no browser needed) ---


def _big(n: int) -> BriefingData:
    actors = [Actor(id=f"actor-{i}", name=f"Actor {i:05d}", classification="person") for i in range(n)]
    issues = [Issue(id=f"issue-{i}", name=f"Issue {i}") for i in range(max(5, n // 20))]
    meetings = [
        Meeting(
            id=f"meeting-{i}",
            name=f"Meeting {i}",
            start_date=f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}",
            format="bilateral",
            attendees=[Attendee(actor="actor-0"), Attendee(actor=f"actor-{i % n}")],
        )
        for i in range(2 * n)
    ]
    positions = [
        Position(
            id=f"position-{i}",
            actor=f"actor-{i % n}",
            issue=issues[i % len(issues)].id,
            stance="favor" if i % 2 else "against",
            summary="A stance.",
            date=f"2016-{1 + i % 12:02d}",
        )
        for i in range(3 * n)
    ]
    briefing = Briefing(title="Big", summary="Many actors.", as_of="2016-10")
    return BriefingData(
        slug="big", briefing=briefing, actors=actors, issues=issues, meetings=meetings, positions=positions
    )


def _book(data: BriefingData) -> str:
    return Renderer(make_env(), data).book_page().markdown


def _dangling_anchors(markdown: str) -> set[str]:
    targets = set(re.findall(r"\]\(#([^)]+)\)", markdown))
    present = set(re.findall(r"\{ #([\w-]+)", markdown)) | set(re.findall(r'id="([^"]+)"', markdown))
    return targets - present


def test_book_is_capped_and_says_so() -> None:
    small, large = _book(_big(1500)), _book(_big(3000))
    assert "First 80 of 3000 actors" in large
    assert "The latest 80 of 6000 meetings" in large
    assert "First 30 of 150 issues" in large
    assert "Actor 00079" in large and "Actor 00080" not in large.split("## Meetings")[0]
    assert len(large) < 1.1 * len(small), "the book grows with the briefing"
    assert len(large) < 3_000_000
    assert not _dangling_anchors(large)


def test_book_links_land_in_the_book() -> None:
    data = _big(30)
    book = _book(data)
    assert "First 80" not in book and "The latest" not in book
    assert not _dangling_anchors(book)
    for a in data.actors:
        assert f"{{ #actor-{a.id} " in book
    for mt in data.meetings:
        assert f"{{ #meeting-{mt.id} " in book


@pytest.mark.browser
@pytest.mark.slow
def test_real_briefing_book(tmp_path: Path) -> None:
    if not (REAL / "briefing.yaml").is_file():
        pytest.skip(f"{REAL} is not there")
    report = Report()
    result = load_and_validate(REAL, report, REPO)
    if report.errors or result.data is None:
        pytest.skip(f"{REAL} does not validate yet ({report.summary()})")
    need_print_tools()
    data = result.data
    out = tmp_path / "syria.pdf"
    cli_result = CliRunner().invoke(cli, ["pdf", str(REAL), "--config", str(MKDOCS_YML), "-o", str(out)])
    assert cli_result.exit_code == 0, cli_result.output
    pages = pdf_pages(out)
    text = " ".join(pages)
    for heading in BOOK_SECTIONS:
        assert heading in text, heading
    assert_no_chrome(text)
    head = " ".join(data.briefing.title.split())
    assert all(head in page for page in pages), "running head missing from a page"
    for items, field in [(data.actors, "name"), (data.meetings, "name"), (data.sources, "title")]:
        for item in items[:5]:
            words = " ".join(str(getattr(item, field)).split())
            assert words in text, words
    for q in data.quotes[:5]:
        assert " ".join(q.text.split())[:40] in text, q.id
    assert 2 <= len(pages) < 300
    assert_contents_give_the_pages(out)
    assert_no_lone_sources_line(out)
