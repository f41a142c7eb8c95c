"""A built site served on 127.0.0.1 as GitHub Pages serves a project site."""

from __future__ import annotations

import socket
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# GitHub serves a project site under /<repository name>/: the tests serve the build under the same sub-path.
REPO_NAME = "briefing-site"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PagesHandler(SimpleHTTPRequestHandler):
    """Static files, and for a missing path the project's 404.html with status 404, as GitHub Pages does."""

    not_found_page: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND or not self.not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found_page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output readable
        pass


class PagesServer:
    """Serves `root` on 127.0.0.1 and a free port, in a thread; the site is `root/<repo>/` (with
    `repo` empty, `root` itself).

    The socket is bound at construction, so the port is known before the site is built with it.
    """

    def __init__(self, root: Path, repo: str = REPO_NAME) -> None:
        handler = type("Handler", (PagesHandler,), {"not_found_page": root / repo / "404.html"})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base_url = f"{self.origin}/{repo}/" if repo else f"{self.origin}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="pages-server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=10)
        self.httpd.server_close()
