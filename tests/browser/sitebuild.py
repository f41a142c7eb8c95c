"""A tiny copy of the site project, built with the real `mkdocs`, and a GitHub-Pages-like test server.

Used by the browser tests (tests/browser/) and by the publishing test (tests/test_publish.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# GitHub serves a project site under /<repository name>/: the tests serve the build under the same sub-path.
REPO_NAME = "briefing-site"
BIN = Path(sys.executable).parent
# The scaffold's alias "The Minister" shares a word with the name, so a search for it proves little;
# this one appears nowhere but in other_names.
DISTINCT_ALIAS = "Old Quillfeather"
COMMAND_TIMEOUT = 180


def tool_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command, fail with its whole output if it fails, and return its output."""
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env or tool_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {proc.returncode}:\n{output}")
    return output


def make_project(dest: Path) -> Path:
    """The repository's mkdocs.yml, docs/ and templates/ with the demo briefing instead of the real data."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("docs", "templates", "overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    run([BIN / "briefing", "new", "demo", "--root", "briefings", "--schemas", "schemas"], cwd=dest)
    actors = dest / "briefings" / "demo" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    old = 'other_names: ["The Minister"]'
    assert old in text, f"`briefing new` no longer writes {old!r}; update tests/browser/sitebuild.py"
    actors.write_text(text.replace(old, f'other_names: ["The Minister", "{DISTINCT_ALIAS}"]'), "utf-8")
    return dest


def build(project: Path, site_url: str, out: Path) -> Path:
    """`mkdocs build --strict` of `project` with `site_url` overridden (INHERIT keeps every other setting)."""
    config = project / "mkdocs.test.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n", encoding="utf-8")
    run([BIN / "mkdocs", "build", "--strict", "-f", config, "-d", out], cwd=project)
    return out


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
    """Serves `root` (the folder that holds `<repo>/`) on 127.0.0.1 and a free port, in a thread.

    The socket is bound at construction, so the port is known before the site is built with it.
    """

    def __init__(self, root: Path, repo: str = REPO_NAME) -> None:
        handler = type("Handler", (PagesHandler,), {"not_found_page": root / repo / "404.html"})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base_url = f"{self.origin}/{repo}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="pages-server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=10)
        self.httpd.server_close()
