"""Headless Chromium: found, started (in its sandbox when it can be), and asked over the DevTools
protocol (`--remote-debugging-pipe`) to load one page and print it to PDF, as often as needed, with
script off and every request but the page's own origin refused. Standard library only."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


class Page:
    """A page loaded in a confined Chromium (`open_page`): printed as often as needed, and changed
    between prints by DevTools' own evaluation, which runs while the page's script stays off."""

    def __init__(self, tools: DevTools, session: str) -> None:
        self.tools = tools
        self.session = session

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` (JSON-able, awaited if a promise) in the page."""
        reply = self.tools.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=self.session,
        )
        if "exceptionDetails" in reply:
            raise PdfError(f"Chromium could not prepare the page: {reply['exceptionDetails'].get('text')}")
        return reply["result"].get("value")

    def print(self, paper: str = "a4") -> bytes:
        """The page as PDF bytes, with an outline (bookmarks) from its headings."""
        width, height = PAPER[paper]
        result = self.tools.call(
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
            session=self.session,
        )
        return base64.b64decode(result["data"])


@contextlib.contextmanager
def open_page(url: str, chromium: str, *, timeout: float = 120.0) -> Iterator[Page]:
    """The page at `url`, loaded the way a reader's browser would print it, with no script running
    and nothing fetched from anywhere but the origin of `url`; Chromium ends on leaving."""
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
            page = Page(tools, session)
            # Fonts settled, and <details> opened for browsers without ::details-content (print.css).
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true);"
                "document.fonts.ready.then(() => true)"
            )
            yield page
        finally:
            tools.close()


def print_page(url: str, chromium: str, *, paper: str = "a4", timeout: float = 120.0) -> bytes:
    """The page at `url` as PDF bytes, printed once as `open_page` loads it."""
    with open_page(url, chromium, timeout=timeout) as page:
        return page.print(paper)


__all__ = [
    "DevTools",
    "Page",
    "PdfError",
    "find_chromium",
    "headless_flags",
    "open_page",
    "print_page",
    "sandbox_possible",
]
