"""Shared pytest configuration. Keep this generic; data-layer helpers live in helpers_data.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the expected output stored in golden test files instead of comparing against it.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --update-goldens."""
    return bool(request.config.getoption("--update-goldens"))


def _chromium() -> str | None:
    """Debian's chromium, or the executable named by BRIEFING_CHROMIUM (which then is the only choice)."""
    named = os.environ.get("BRIEFING_CHROMIUM")
    for candidate in [named] if named else ["/usr/bin/chromium", shutil.which("chromium")]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get("BRIEFING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BRIEFING_REQUIRE_BROWSER=1: browser tests are mandatory here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run: Playwright's sync API allows one instance per process at a time."""
    chromium = _chromium()
    if chromium is None:
        _skip_or_fail("Chromium not found: apt-get install chromium to run browser tests")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _skip_or_fail("Playwright not installed: .venv/bin/pip install -e '.[test]' to run browser tests")
    expect.set_options(timeout=10_000)
    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=60_000
        )
        try:
            yield launched
        finally:
            launched.close()
