"""`briefing pdf` prints with no script running and nothing fetched but the local site.

A site built from data is served on 127.0.0.1 and opened in headless Chromium, which the sandbox
cannot always hold (as root it starts without one): so the print itself is confined. The page
below stands for a site whose escaping failed: it carries script, event handlers and requests to
another port on this machine, where a listener counts what arrives.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.browser import need_print_tools, pdf_pages
from support.built import shown
from support.cli import run
from support.hostile import hostile_briefing
from support.paths import BRIEFING, FIXTURE
from support.project import make_project

from generator.chromium import find_chromium, print_page
from generator.pdf import serve

pytestmark = pytest.mark.browser

HOSTILE_BOOK = """<!doctype html><html><head><meta charset="utf-8"><title>Book</title>
<link rel="stylesheet" href="http://127.0.0.1:{port}/by-ip.css">
<link rel="stylesheet" href="http://localhost:{port}/by-name.css">
<link rel="prefetch" href="http://127.0.0.1:{port}/prefetch">
<script>fetch('http://127.0.0.1:{port}/fetch');
document.addEventListener('DOMContentLoaded', () => {{ document.body.innerHTML = 'SCRIPT RAN'; }});</script>
</head><body><h1>The real book</h1>
<img src="local.png" alt=""><img src="http://127.0.0.1:{port}/img" alt="">
<iframe src="http://127.0.0.1:{port}/frame"></iframe>
<img src="x" onerror="document.body.innerHTML = 'HANDLER RAN'" alt="">
<details><summary>More</summary>Folded text prints</details>
<p style="background: url(http://127.0.0.1:{port}/background)">Styled</p>
</body></html>
"""


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []

    class Count(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Count)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hostile_site(tmp_path: Path, listener: tuple[int, list[str]]) -> Path:
    book = tmp_path / "site" / "mini" / "book"
    book.mkdir(parents=True)
    (book / "index.html").write_text(HOSTILE_BOOK.format(port=listener[0]), encoding="utf-8")
    return tmp_path / "site"


def test_the_print_runs_no_script_and_reaches_nothing_but_the_site(
    hostile_site: Path, listener: tuple[int, list[str]], tmp_path: Path
) -> None:
    need_print_tools()
    out = tmp_path / "book.pdf"
    result = run(BRIEFING, "pdf", FIXTURE, "--site", hostile_site, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(pdf_pages(out))
    assert "The real book" in text and "Folded text prints" in text and "Styled" in text
    assert "RAN" not in text
    assert listener[1] == []


def test_without_a_sandbox_it_says_so_and_still_prints_confined(
    hostile_site: Path, listener: tuple[int, list[str]], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """As root Chromium will not start with its sandbox; pretending not to be root makes the first
    start fail the way it does where the platform has no sandbox, so the fallback runs."""
    need_print_tools()
    if os.geteuid() != 0:
        pytest.skip("needs root, where Chromium's sandbox cannot start")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with serve(hostile_site) as base:
        data = print_page(base + "mini/book/", find_chromium(), timeout=60)
    assert data.startswith(b"%PDF")
    assert "sandbox cannot start here" in capsys.readouterr().err
    assert listener[1] == []


def test_a_sandboxed_start_is_tried_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.chromium as pdf

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.delenv("BRIEFING_CHROMIUM_SANDBOX", raising=False)
    assert pdf.sandbox_possible()
    assert "--no-sandbox" not in pdf.headless_flags(True)
    assert "--no-sandbox" in pdf.headless_flags(False)
    monkeypatch.setenv("BRIEFING_CHROMIUM_SANDBOX", "0")
    assert not pdf.sandbox_possible()
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.delenv("BRIEFING_CHROMIUM_SANDBOX")
    assert not pdf.sandbox_possible()


def test_hostile_data_prints_as_text_and_fetches_nothing(
    tmp_path: Path, listener: tuple[int, list[str]]
) -> None:
    """Every free-text field holds markup that would fetch from the listener if it were markup."""
    need_print_tools()
    port = listener[0]
    payloads = [
        f'<img src="http://127.0.0.1:{port}/img" onerror="document.body.innerHTML=1">',
        f"![x](http://127.0.0.1:{port}/markdown-image)",
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/css"><style>@import "http://127.0.0.1:{port}/i";</style>',
        f"<http://127.0.0.1:{port}/autolink> "
        f"[a](http://127.0.0.1:{port}/link 'x\" style=\"background:url(y)')",
    ]
    project = make_project(tmp_path / "project", {"hostile": hostile_briefing(payloads)})
    out = tmp_path / "book.pdf"
    result = run(BRIEFING, "pdf", "briefings/hostile", "-o", out, cwd=project, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(" ".join(pdf_pages(out)).split())
    for payload in payloads:
        assert shown(payload) in text
    assert listener[1] == []
