"""Browser tests: the demo briefing built once per session, served under /briefing-site/ like a GitHub
project site, and driven with Playwright through Debian's Chromium (never a browser Playwright downloads).

Without Chromium (or Playwright) the tests that need a browser are skipped with a plain reason;
with BRIEFING_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead. Tests that only need the built
site and the HTTP server (link crawl, 404 links) always run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from support.cli import mkdocs_build
from support.paths import TESTS
from support.project import demo_project
from support.server import REPO_NAME, PagesServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

ARTIFACTS = TESTS / "artifacts"
TIMEOUT_MS = 15_000
EXPECT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class Site:
    """The built demo site on disk and the server in front of it."""

    root: Path  # the folder the server serves: it holds <repo>/
    folder: Path  # root / <repo>: the build output
    origin: str  # http://127.0.0.1:<port>
    base_url: str  # origin + /<repo>/

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    def html_pages(self) -> list[Path]:
        return sorted(self.folder.rglob("*.html"))

    def page_url(self, html: Path) -> str:
        rel = html.relative_to(self.folder).as_posix()
        return self.url(rel.removesuffix("index.html"))


def build(project: Path, site_url: str, out: Path) -> Path:
    """`mkdocs build --strict` of `project` with `site_url` overridden (INHERIT keeps every other setting)."""
    (project / "mkdocs.test.yml").write_text(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n", encoding="utf-8")
    result = mkdocs_build(project, "-d", out, config="mkdocs.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@contextlib.contextmanager
def served_site(tmp: Path, make: Callable[[str, Path], None]) -> Iterator[Site]:
    """A site `make(base_url, out)` builds into `out`, served like a GitHub project site; the
    server is bound first, so the build can use its port in site_url."""
    root = tmp / "site"
    root.mkdir()
    server = PagesServer(root)
    try:
        make(server.base_url, root / REPO_NAME)
        server.start()
        yield Site(root, root / REPO_NAME, server.origin, server.base_url)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("browser-site")
    with served_site(tmp, lambda url, out: build(demo_project(tmp / "project"), url, out)) as served:
        yield served


@dataclass
class Tab:
    """A page with everything it asked for and everything it complained about."""

    page: Page
    site: Site
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)  # "<status> <url>" for every 4xx/5xx

    def goto(self, path: str = "") -> Response:
        response = self.page.goto(self.site.url(path), wait_until="load")
        assert response is not None
        return response

    def foreign_requests(self) -> list[str]:
        """Requests to any origin but the test server (data: and blob: URLs never leave the machine)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.site.origin
        ]


def open_tab(browser: Browser, site: Site, **context_args: Any) -> tuple[Tab, Any]:
    context = browser.new_context(**context_args)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, site)

    def on_request(request: Request) -> None:
        tab.requests.append(request.url)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            tab.failed_responses.append(f"{response.status} {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.console_errors.append(f"{page.url}: {message.text} ({message.location.get('url')})")

    def on_page_error(error: Exception) -> None:
        tab.console_errors.append(f"{page.url}: uncaught {error}")

    # Count requests from service and shared workers too (Material's search runs in a worker).
    context.on("request", on_request)
    context.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return tab, context


@contextlib.contextmanager
def desktop_tab(browser: Browser, site: Site) -> Iterator[Tab]:
    """A desktop-sized page (1280x800) on `site`, closed after."""
    opened, context = open_tab(browser, site, viewport={"width": 1280, "height": 800})
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[Tab]:
    """A desktop-sized page (1280x800)."""
    with desktop_tab(browser, site) as opened:
        yield opened


@pytest.fixture
def phone_tab(browser: Browser, site: Site) -> Iterator[Tab]:
    """A phone-sized page (375x812, touch, 2x pixels)."""
    opened, context = open_tab(
        browser,
        site,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored): screenshots to look at after a run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
