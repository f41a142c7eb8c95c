"""Debian's Chromium and poppler's print tools, found once; a test without them skips, unless
BRIEFING_REQUIRE_BROWSER=1 (set by .ci/run), where it fails instead (see `skip_or_fail`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import skip_or_fail
from .cli import run

# Flags for a throwaway headless Chromium: no sandbox, no GPU, no background traffic, no first-run set-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The Debian package that holds each tool.
PACKAGES = {"chromium": "chromium", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils"}


def find_chromium() -> str | None:
    """Debian's chromium, or the executable named by BRIEFING_CHROMIUM (which then is the only choice)."""
    named = os.environ.get("BRIEFING_CHROMIUM")
    for candidate in [named] if named else ["/usr/bin/chromium", shutil.which("chromium")]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def need_chromium(*tools: str) -> str:
    """Chromium's path, once it and each of `tools` (on PATH) are found; else skip or fail, naming
    everything missing and the packages that hold it."""
    chromium = find_chromium()
    missing = [*([] if chromium else ["chromium"]), *(t for t in tools if shutil.which(t) is None)]
    if missing:
        packages = " ".join(dict.fromkeys(PACKAGES.get(t, t) for t in missing))
        skip_or_fail(f"needs {', '.join(missing)} (apt-get install {packages})")
    assert chromium is not None
    return chromium


def need_print_tools() -> str:
    """Chromium's path, with pdftotext and pdftoppm to read what it prints."""
    return need_chromium("pdftotext", "pdftoppm")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    out = run("pdftotext", pdf, "-", cwd=pdf.parent, check=True).stdout
    pages = [" ".join(page.split()) for page in out.split("\f")]
    return [p for p in pages if p] if pages[-1] == "" else pages
