"""Print a briefing book to PDF with headless Chromium, using only the standard library.

The site is built with MkDocs (or taken ready-built), served on 127.0.0.1 from a thread, and the book
page printed through the DevTools protocol over `--remote-debugging-pipe`: that waits for the page to
load, and gives a PDF outline (bookmarks) from the headings. The running head and the page numbers
come from the site's print CSS (@page margin boxes), so a book printed from the browser looks the same.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shlex
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .chromium import PdfError, find_chromium, print_page
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
        data = print_page(book_url(base, site, book.slug), chromium, paper=paper, timeout=timeout)
    if not data.startswith(b"%PDF"):
        raise PdfError("Chromium returned something that is not a PDF")
    write_atomic(output, data)  # refuses a link, device or pipe; keeps the mode of what it replaces
    return len(data)


__all__ = ["PdfError", "build_site", "find_chromium", "make_pdf", "print_page", "serve"]
