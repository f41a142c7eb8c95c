"""Print a briefing book to PDF with headless Chromium, using only the standard library.

The site is built with MkDocs (or taken ready-built), served on 127.0.0.1 from a thread, and the book
page printed through the DevTools protocol over `--remote-debugging-pipe`: that waits for the page to
load, and gives a PDF outline (bookmarks) from the headings. The running head and the page numbers
come from the site's print CSS (@page margin boxes), so a book printed from the browser looks the same.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import json
import logging
import os
import selectors
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Report, command
from .validate import find_briefings, load_and_validate
from .verify import check_target, write_atomic

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = (
    "headless Chromium is needed to print the PDF: install it (Debian/Ubuntu: `apt-get install chromium`) "
    "or set BRIEFING_CHROMIUM to the browser's path"
)
# Inches, as the DevTools protocol wants them.
PAPER = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
# Flags for a quiet, self-contained headless run (no sync, updates or first-run UI). Names resolve
# to nothing but 127.0.0.1, where the book is served: a page cannot reach another host by name.
HEADLESS_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)
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


class PdfError(Exception):
    """Printing failed for a reason the user can act on; the message says what to do."""


def find_chromium() -> str:
    """$BRIEFING_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH."""
    wanted = os.environ.get("BRIEFING_CHROMIUM")
    if wanted:
        found = shutil.which(wanted)
        if found is None:
            raise PdfError(
                f"BRIEFING_CHROMIUM is set to {wanted!r}, which is not an executable; {INSTALL_HINT}"
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfError(f"no Chromium found on PATH (looked for {', '.join(CHROMIUM_NAMES)}); {INSTALL_HINT}")


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


_TRAMPOLINE = (
    "import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); "
    "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w); os.execvp(sys.argv[3], sys.argv[3:])"
)


class DevTools:
    """The DevTools protocol over Chromium's --remote-debugging-pipe: NUL-separated JSON messages."""

    def __init__(self, chromium: str, profile: Path, timeout: float, *, sandbox: bool) -> None:
        self.timeout = timeout
        self.allowed = ""  # the origin requests may go to, once `confine` has been called
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands from fd 3 and writes replies to fd 4. subprocess cannot place fds at
        # given numbers without preexec_fn (unsafe with the server thread running), so a tiny Python
        # trampoline moves them there and execs the browser. Numbers >= 10 keep the moves from clashing.
        child_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        args = [
            chromium,
            *headless_flags(sandbox),
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _TRAMPOLINE, str(child_r), str(child_w), *args],
                pass_fds=(child_r, child_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        finally:
            os.close(child_r)
            os.close(child_w)
        assert self.proc.stderr is not None
        # Chromium is chatty on stderr (dbus, GPU); drain it so it never blocks, keep the tail for errors.
        self.stderr_tail: list[bytes] = []
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    def _drain(self, stream: Any) -> None:
        for line in stream:
            self.stderr_tail = [*self.stderr_tail[-19:], line]

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command; its reply is read later (or, for `_answer`'s, dropped)."""
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.to_chrome, data) :]
        return self.next_id

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        sent = self.send(method, params, session)
        reply = self._read_until(lambda m: m.get("id") == sent, method)
        if "error" in reply:
            raise PdfError(f"Chromium refused {method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method and ev.get("sessionId") == session:
                return self.events.pop(i)
        return self._read_until(lambda m: m.get("method") == method and m.get("sessionId") == session, method)

    def _read_until(self, wanted: Any, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.from_chrome, selectors.EVENT_READ)
            while True:
                while b"\0" in self.buffer:
                    raw, self.buffer = self.buffer.split(b"\0", 1)
                    msg = json.loads(raw)
                    if msg.get("method") == "Fetch.requestPaused":
                        self._answer(msg)
                    elif wanted(msg):
                        return dict(msg)
                    elif "method" in msg:
                        self.events.append(msg)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PdfError(f"Chromium did not answer {what} within {self.timeout:.0f}s")
                if sel.select(left):
                    chunk = os.read(self.from_chrome, 1 << 20)
                    if not chunk:
                        tail = b"".join(self.stderr_tail).decode(errors="replace").strip()
                        raise PdfError(
                            f"Chromium exited while waiting for {what}" + (f":\n{tail}" if tail else "")
                        )
                    self.buffer += chunk

    def confine(self, session: str, origin: str) -> None:
        """Script off, and every request the page makes held until `_answer` lets it through:
        only those to `origin` (the local server) are. The book needs no script, and a page that
        got hold of one could otherwise replace the PDF or send what it reads elsewhere."""
        self.allowed = origin
        self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=session)

    def _answer(self, event: dict[str, Any]) -> None:
        params = event["params"]
        url = str(params["request"]["url"])
        if self.allowed and (url == self.allowed or url.startswith(self.allowed + "/")):
            self.send("Fetch.continueRequest", {"requestId": params["requestId"]}, event.get("sessionId"))
        else:
            self.send(
                "Fetch.failRequest",
                {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                event.get("sessionId"),
            )

    def close(self) -> None:
        with contextlib.suppress(OSError, PdfError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_chrome, self.from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)


def headless_flags(sandbox: bool) -> tuple[str, ...]:
    return HEADLESS_FLAGS if sandbox else (*HEADLESS_FLAGS, "--no-sandbox")


def sandbox_possible() -> bool:
    """Chromium's sandbox, except as root, where Chromium refuses to start with it."""
    return os.geteuid() != 0 and os.environ.get("BRIEFING_CHROMIUM_SANDBOX") != "0"


def _start(chromium: str, profile: Path, timeout: float) -> DevTools:
    """Chromium with its sandbox where it starts with one; else without, saying so."""
    if sandbox_possible():
        tools = _launch(chromium, profile, timeout, sandbox=True)
        try:
            tools.call("Browser.getVersion")
            return tools
        except PdfError:
            tools.close()
        print(
            "warning: Chromium's sandbox cannot start here; printing without it "
            "(script stays off and nothing but the local site is reachable)",
            file=sys.stderr,
        )
    return _launch(chromium, profile, timeout, sandbox=False)


def _launch(chromium: str, profile: Path, timeout: float, *, sandbox: bool) -> DevTools:
    try:
        return DevTools(chromium, profile, timeout, sandbox=sandbox)
    except OSError as e:
        raise PdfError(f"could not start Chromium ({chromium}): {e.strerror}; {INSTALL_HINT}") from None


def print_page(url: str, chromium: str, *, paper: str = "a4", timeout: float = 120.0) -> bytes:
    """The page at `url` as PDF bytes, printed the way a reader's browser would print it, with no
    script running and nothing fetched from anywhere but the origin of `url`."""
    width, height = PAPER[paper]
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-profile-") as profile:
        tools = _start(chromium, Path(profile), timeout)
        try:
            target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            tools.confine(session, origin)
            tools.call("Page.enable", session=session)
            nav = tools.call("Page.navigate", {"url": url}, session=session)
            if nav.get("errorText"):
                raise PdfError(f"Chromium could not open {url}: {nav['errorText']}")
            tools.wait_event("Page.loadEventFired", session)
            # Fonts settled, and <details> opened for browsers without ::details-content (print.css).
            # DevTools' own evaluation runs with the page's script turned off.
            tools.call(
                "Runtime.evaluate",
                {
                    "expression": "document.querySelectorAll('details').forEach(d => d.open = true);"
                    "document.fonts.ready.then(() => true)",
                    "awaitPromise": True,
                },
                session=session,
            )
            result = tools.call(
                "Page.printToPDF",
                {
                    "paperWidth": width,
                    "paperHeight": height,
                    "printBackground": True,
                    "preferCSSPageSize": True,
                    "displayHeaderFooter": False,  # print.css draws the running head and page numbers
                    "generateTaggedPDF": True,
                    "generateDocumentOutline": True,
                },
                session=session,
            )
        finally:
            tools.close()
    return base64.b64decode(result["data"])


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
