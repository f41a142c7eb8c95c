"""Print a briefing book to PDF with headless Chromium, using only the standard library.

The site is built with MkDocs (or taken ready-built), served on 127.0.0.1 from a thread, and the book
page printed through the DevTools protocol over `--remote-debugging-pipe`: that waits for the page to
load, and gives a PDF outline (bookmarks) from the headings. The running head and the page numbers
come from the site's print CSS (@page margin boxes), so a book printed from the browser looks the same.

The contents' page numbers take a second print of the same loaded page: the first says on which page
each section starts (the PDF's named destinations, which Chromium writes for every in-page link's
target), the numbers are written into the contents' empty slots, and the second print is checked to
start each section on the page it says (else printed again, with the numbers it gave).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import shlex
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .chromium import Page, PdfError, find_chromium, open_page, print_page
from .errors import Report, command
from .validate import find_briefings, load_and_validate
from .verify import check_target, write_atomic

# A stand-in mkdocs.yml for folders that have none: the theme and extensions the templates need.
DEFAULT_CONFIG = """\
site_name: Briefing book
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - briefing
markdown_extensions:
  - tables
  - attr_list
  - md_in_html
  - admonition
  - toc:
      permalink: true
"""


@dataclass(frozen=True)
class BookInfo:
    slug: str
    folder: Path


def find_book(path: Path) -> BookInfo:
    """The one briefing under `path` (a briefing folder, or a folder holding exactly one)."""
    folders = find_briefings(path) if path.is_dir() else []
    if not folders:
        raise PdfError(f"no briefing found in {path}: give a folder holding briefing.yaml")
    if len(folders) > 1:
        names = ", ".join(f.name for f in folders)
        raise PdfError(f"{path} holds {len(folders)} briefings ({names}): give one, e.g. {folders[0]}")
    report = Report()
    result = load_and_validate(folders[0], report)
    if report.errors or result.data is None:
        fix = command(f"check {shlex.quote(str(folders[0]))}")
        raise PdfError(
            "\n".join(d.format() for d in report.sorted() if d.severity == "error")
            + f"\n{report.summary()}: fix the data first (`{fix}`)"
        )
    return BookInfo(result.data.slug, folders[0].resolve())


def build_site(briefing: Path, site_dir: Path, config_file: Path | None, *, strict: bool = False) -> None:
    """Build the site for one briefing folder into `site_dir` with MkDocs, in this process.

    `config_file` is the project's mkdocs.yml (theme, extensions, other docs); without one a minimal
    configuration is used. Either way the briefing plugin is pointed at `briefing` alone.
    """
    # MkDocs is only needed here; the rest of the package does not depend on it.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with tempfile.TemporaryDirectory(prefix="briefing-pdf-cfg-") as tmp:
        if config_file is None:
            config_file = Path(tmp) / "mkdocs.yml"
            config_file.write_text(DEFAULT_CONFIG, encoding="utf-8")
            (Path(tmp) / "docs").mkdir()
        handler = _EchoHandler()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(handler)
        try:
            cfg = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
            plugin = cfg.plugins.get("briefing")
            if plugin is None:
                raise PdfError(f"{config_file} does not use the briefing plugin: add `- briefing` to plugins")
            plugin.config.briefings_dir = str(briefing)
            build(cfg)
        except MkDocsException as e:
            raise PdfError(f"the site did not build: {e}") from None
        finally:
            mkdocs_log.removeHandler(handler)


class _EchoHandler(logging.Handler):
    """MkDocs' warnings and errors on stderr, as `mkdocs build` would print them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        print(f"{record.levelname}: {record.getMessage()}", file=sys.stderr)


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 at a free port for the duration; yields the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="briefing-pdf-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def book_url(base: str, site_dir: Path, slug: str) -> str:
    """The book page's URL, with or without MkDocs' directory URLs."""
    if (site_dir / slug / "book" / "index.html").is_file():
        return f"{base}{slug}/book/"
    if (site_dir / slug / "book.html").is_file():
        return f"{base}{slug}/book.html"
    raise PdfError(f"{site_dir} has no briefing book for '{slug}': is it the site of this briefing?")


# The anchor each slot for a page number in the contents stands for (its entry's link), and the
# numbers written into the slots. A site built before the slots has none: it is printed once.
CONTENTS_ANCHORS = """[...document.querySelectorAll('.bp-contents .bp-page')].map(
  slot => slot.closest('li')?.querySelector('a[href^="#"]')?.hash.slice(1))"""
FILL_CONTENTS = """{
  const pages = new Map(%s);
  for (const slot of document.querySelectorAll('.bp-contents .bp-page')) {
    const link = slot.closest('li')?.querySelector('a[href^="#"]');
    slot.textContent = link && pages.has(link.hash.slice(1)) ? String(pages.get(link.hash.slice(1))) : '';
  }
}"""
# Prints after the first before giving up on the contents' numbers settling: a contents that grows by
# a line with its numbers moves every section after it, and the next print numbers them again.
SETTLE_PRINTS = 3


def print_book(url: str, chromium: str, *, paper: str = "a4", timeout: float = 120.0) -> bytes:
    """The book at `url` as PDF, its contents saying the page each section starts on."""
    with open_page(url, chromium, timeout=timeout) as page:
        data = page.print(paper)
        found = page.evaluate(CONTENTS_ANCHORS)
        anchors = [a for a in found if isinstance(a, str) and a] if isinstance(found, list) else []
        if not anchors:
            return data
        plain = data  # the first print: its contents' slots are empty
        for _ in range(SETTLE_PRINTS):
            try:
                starts = section_pages(data, anchors)
                if not starts:
                    raise UnreadablePdf("it names none of the contents' sections")
                numbered = _numbered(page, starts, paper)
                if section_pages(numbered, anchors) == starts:
                    return numbered
            except UnreadablePdf as e:
                print(f"warning: the contents are printed without page numbers: {e}", file=sys.stderr)
                return plain
            data = numbered
        print("warning: the contents' page numbers did not settle; they are left out", file=sys.stderr)
        return _numbered(page, {}, paper)


def _numbered(page: Page, starts: dict[str, int], paper: str) -> bytes:
    """The page printed with `starts` written into its contents (none: the slots emptied)."""
    page.evaluate(FILL_CONTENTS % json.dumps(sorted(starts.items())))
    return page.print(paper)


def section_pages(pdf: bytes, anchors: list[str]) -> dict[str, int]:
    """The page (from 1) each of `anchors` is on, for those the PDF has a destination for."""
    found = named_destinations(pdf)
    return {a: found[a] for a in anchors if a in found}


class UnreadablePdf(ValueError):
    """The PDF is not laid out as Chromium writes them: its page numbers cannot be read."""


_OBJECT_REF = rb"(\d+)\s+\d+\s+R"
_NAME_TO_PAGE = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*\[\s*" + _OBJECT_REF)


def named_destinations(pdf: bytes) -> dict[str, int]:
    """Each named destination in `pdf` with the number of its page (from 1), read the way Chromium
    (Skia) writes a PDF: a cross-reference table, and the catalog's /Dests dictionary of names to
    `[page /XYZ x y zoom]`. Names are as the links spell them (`actor-x`, `a-%D8%A7`)."""
    tail = re.search(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$", pdf[-4096:], re.S)
    if tail is None:
        raise UnreadablePdf("no trailer")
    offsets = _cross_references(pdf, int(tail[2]))
    catalog = _object(pdf, offsets, _ref(tail[1], b"Root"))
    page_numbers = _page_numbers(pdf, offsets, _ref(catalog, b"Pages"))
    dests = re.search(rb"/Dests\s+" + _OBJECT_REF, catalog)
    if dests is None:
        return {}  # no in-page links
    names = _object(pdf, offsets, int(dests[1]))
    found: dict[str, int] = {}
    for name, ref in _NAME_TO_PAGE.findall(names):
        if int(ref) in page_numbers:
            found[_name(name)] = page_numbers[int(ref)]
    return found


def _cross_references(pdf: bytes, offset: int) -> dict[int, int]:
    """Object number -> byte offset, from the classic table at `offset` (`xref`, then sections of
    `first count` and 20-byte entries)."""
    start = re.compile(rb"xref\s+").match(pdf, offset)
    if start is None:
        raise UnreadablePdf("no cross-reference table where the trailer points")
    offsets: dict[int, int] = {}
    pos = start.end()
    section = re.compile(rb"(\d+) (\d+)\s+")
    while (m := section.match(pdf, pos)) is not None:
        first, count = int(m[1]), int(m[2])
        pos = m.end()
        for n in range(first, first + count):
            entry = pdf[pos : pos + 20]
            pos += 20
            if entry[17:18] == b"n":
                offsets[n] = int(entry[:10])
    return offsets


def _object(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    """The text of object `number` (one without a stream: a dictionary or array)."""
    at = offsets.get(number)
    if at is None or not pdf.startswith(b"%d 0 obj" % number, at):
        raise UnreadablePdf(f"object {number} is not where the table says")
    end = pdf.find(b"endobj", at)
    return pdf[at:end] if end > 0 else pdf[at:]


def _ref(text: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb"\s+" + _OBJECT_REF, text)
    if found is None:
        raise UnreadablePdf(f"no /{key.decode()}")
    return int(found[1])


def _page_numbers(pdf: bytes, offsets: dict[int, int], root: int) -> dict[int, int]:
    """Page object number -> page number, walking the page tree's /Kids in order."""
    numbers: dict[int, int] = {}
    todo, seen = [root], set()
    while todo:
        number = todo.pop()
        if number in seen:
            raise UnreadablePdf("the page tree loops")
        seen.add(number)
        node = _object(pdf, offsets, number)
        if re.search(rb"/Type\s*/Pages\b", node):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", node)
            todo.extend(reversed([int(k) for k in re.findall(_OBJECT_REF, kids[1] if kids else b"")]))
        else:
            numbers[number] = len(numbers) + 1
    return numbers


def _name(raw: bytes) -> str:
    """A PDF name's text: `#xx` escapes undone."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw).decode("utf-8", "replace")


def make_pdf(
    path: Path,
    output: Path,
    *,
    site: Path | None = None,
    config_file: Path | None = None,
    paper: str = "a4",
    timeout: float = 120.0,
) -> int:
    """Build (or take) the site of the briefing at `path` and print its book to `output`; returns its size."""
    check_target(output)  # before the build: a link, device or pipe is never replaced
    chromium = find_chromium()
    book = find_book(path)
    if output.parent and not output.parent.is_dir():
        raise PdfError(f"no such folder for the PDF: {output.parent}")
    with contextlib.ExitStack() as stack:
        if site is None:
            site = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="briefing-pdf-site-")))
            build_site(book.folder, site, config_file)
        base = stack.enter_context(serve(site))
        data = print_book(book_url(base, site, book.slug), chromium, paper=paper, timeout=timeout)
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium returned something that is not a PDF")
    write_atomic(output, data)  # refuses a link, device or pipe; keeps the mode of what it replaces
    return len(data)


__all__ = [
    "PdfError",
    "build_site",
    "find_chromium",
    "make_pdf",
    "named_destinations",
    "print_book",
    "print_page",
    "serve",
]
