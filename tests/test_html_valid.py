"""Valid HTML and CSS, as the Nu HTML Checker (vnu, from npm; Java from Debian) reads them: no
error on any page of the real briefing's site and of the demo's, or in the style sheets the plugin
adds, except the one Material writes that README's "Accessibility" lists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import skip_or_fail
from support.cli import mkdocs_build, run
from support.paths import DOCS, REAL, TEMPLATES, TESTS
from support.project import demo_project, make_project

VNU = TESTS / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Material's own: `autocomplete="off"` on its drawer and search toggles (checkboxes), which keeps
# Firefox from restoring them open on going back. Known by the message and the element it is on.
MATERIAL = [("Attribute “autocomplete” is only allowed when the input type is", '<input class="md-toggle"')]


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        skip_or_fail("needs java (apt-get install default-jre-headless)")
    if not VNU.is_file():
        skip_or_fail("the Nu HTML Checker not found: run `npm install --prefix tests/tools`")
    return [java, "-jar", str(VNU)]


@pytest.fixture(scope="module", params=["real", "demo"])
def built(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    tmp = tmp_path_factory.mktemp(f"valid-{request.param}")
    if request.param == "real":
        project = make_project(tmp / "project", {"syria-2016": REAL}, docs=DOCS, templates=TEMPLATES)
    else:
        project = demo_project(tmp / "project")
    result = mkdocs_build(project, "-d", tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def errors(vnu: list[str], files: list[Path]) -> list[str]:
    """'file:line: message' for each error the checker reports that is not Material's known one."""
    proc = run(
        *vnu,
        "--errors-only",
        "--also-check-css",
        "--format",
        "json",
        *files,
        cwd=files[0].parent,
        timeout=300,
    )
    found = []
    for m in json.loads(proc.stderr)["messages"]:
        extract = m.get("extract", "")
        if not any(m["message"].startswith(text) and element in extract for text, element in MATERIAL):
            where = f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}"
            found.append(f"{where}: {m['message']} {extract.strip()!r}")
    return found


def test_every_page_and_style_sheet_is_valid(vnu: list[str], built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    sheets = sorted((built / "assets" / "briefing").glob("*.css"))
    assert len(pages) > 20 and {p.name for p in sheets} == {"briefing.css", "print.css", "pictures.css"}
    found = errors(vnu, [*pages, *sheets])
    assert not found, "\n".join(found)


def test_the_checker_reports_what_we_fixed(vnu: list[str], tmp_path: Path) -> None:
    """The check can fail: a `<style>` in the body, an empty tabindex and a skipped heading level are
    reported (the errors the pages had before)."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><h1>a</h1><p>x</p>'
        '<style>p{color:red}</style><label tabindex="">l</label><h3>b</h3></body></html>',
        encoding="utf-8",
    )
    found = errors(vnu, [page])
    assert len(found) == 3, found
