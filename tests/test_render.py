"""The Markdown pages of the fixture briefing against golden files, and `briefing render --out`.

`pytest --update-goldens` rewrites tests/golden/markdown/ from the current templates: review the diff.
"""

from __future__ import annotations

import difflib
import itertools
import posixpath
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jinja2 import Environment
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from support import paths
from support.cli import run
from support.data import write_files
from support.paths import BRIEFING, FIXTURE, REPO
from support.project import listing, write_config

from generator.build import build_pages, render_site
from generator.cli import cli
from generator.environment import _env, make_env
from generator.errors import Report
from generator.links import page_url as _page_url
from generator.links import page_url_from
from generator.links import relpath as _relpath
from generator.load import load_briefing
from generator.validate import load_and_validate, validate
from generator.write import MANIFEST

GOLDEN = paths.GOLDEN / "markdown"
SUMMARY = re.compile(r"^(\d+) pages in .+: (\d+) written, (\d+) removed, (\d+) unchanged$", re.M)


def render_fixture() -> dict[str, str]:
    """The pages as the site renders them from the package's default templates."""
    report = Report()
    pages = build_pages(FIXTURE, None, report, REPO)
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]
    assert pages is not None
    return pages


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_fixture()


def golden_files() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))


# --- golden Markdown -----------------------------------------------------------------------------


def test_fixture_is_clean_under_check_strict() -> None:
    result = CliRunner().invoke(cli, ["check", "--strict", str(FIXTURE)])
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 1 briefing\n")


def test_golden_tree_has_exactly_the_rendered_pages(pages: dict[str, str], update_goldens: bool) -> None:
    if update_goldens:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
    assert {
        "new pages": sorted(set(pages) - set(golden_files())),
        "vanished pages": sorted(set(golden_files()) - set(pages)),
    } == {"new pages": [], "vanished pages": []}, "run pytest --update-goldens and review the diff"


@pytest.mark.parametrize("path", golden_files())
def test_page_matches_golden(pages: dict[str, str], path: str) -> None:
    page = pages.get(path)
    assert page is not None, f"{path} is no longer rendered"
    expected = (GOLDEN / path).read_text(encoding="utf-8")
    if page != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), page.splitlines(True), "golden", "now")
        )
        pytest.fail(f"{path} differs from its golden file (pytest --update-goldens to accept):\n{diff}")


def test_rendering_twice_gives_identical_pages(pages: dict[str, str]) -> None:
    assert render_fixture() == pages


def test_render_site_on_the_model_gives_the_same_pages(pages: dict[str, str]) -> None:
    report = Report()
    data = validate(load_briefing(FIXTURE, report, REPO), report).data
    assert data is not None
    assert render_site([data]) == pages


def test_relative_links_are_posixpaths_own() -> None:
    """Links are worked out on strings (posixpath asks the system for the working folder)."""
    dirs = [".", "s", "s/actors", "s/actors/x", "t", "t/actors"]
    for path, start in itertools.product([*dirs, "s/actors/a.md", "t/index.md"], dirs):
        assert _relpath(path, start) == posixpath.relpath(path, start)
    pages = [
        "index.md",
        "s/index.md",
        "s/book.md",
        "s/actors/index.md",
        "s/actors/a.md",
        "t/timeline/page-2.md",
    ]
    for here, target in itertools.product(pages, pages):
        want = posixpath.relpath(_page_url(target) or ".", _page_url(here) or ".")
        assert page_url_from(here, target) == ("./" if want == "." else want + "/")


def test_a_second_build_reuses_the_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: dict[str, str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # where Jinja keeps them
    (tmp_path / "tmp").mkdir()
    compiled: list[str] = []
    compile_ = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name or "")
        return compile_(self, source, name, *args)

    monkeypatch.setattr(Environment, "compile", counting)
    data = load_and_validate(FIXTURE, Report()).data
    assert data is not None
    try:
        _env.cache_clear()  # a new environment, as in a new process
        assert render_site([data]) == pages
        assert len(compiled) == len(set(compiled)) > 10
        used = set(compiled)  # every template the pages use, each compiled once
        compiled.clear()
        _env.cache_clear()
        assert render_site([data]) == pages
        assert compiled == []
        # A site's own template is compiled every time, and leaves nothing in the cache.
        kept = sorted((tmp_path / "tmp").rglob("*.cache"))
        assert len(kept) == len(used)
        site = tmp_path / "site"
        site.mkdir()
        (site / "question.md.j2").write_text("# {{ it.question|md }}\n", encoding="utf-8")
        for _ in (1, 2):
            _env.cache_clear()
            render_site([data], site)
        assert compiled == ["question.md.j2"] * 2
        assert sorted((tmp_path / "tmp").rglob("*.cache")) == kept
        # A cache folder cleaned away under a running build, or one that cannot be made, costs
        # compiling the templates, not the build.
        shutil.rmtree(tmp_path / "tmp")
        (tmp_path / "tmp").mkdir()
        _env.cache_clear()
        make_env(None)  # its cache folder is made now…
        shutil.rmtree(tmp_path / "tmp")  # …and gone before a template is compiled into it
        assert render_site([data]) == pages and compiled
        (tmp_path / "tmp").write_text("not a folder")
        _env.cache_clear()
        assert render_site([data]) == pages
    finally:
        _env.cache_clear()


def test_pages_do_not_depend_on_the_process(tmp_path: Path, pages: dict[str, str]) -> None:
    """Two runs with different hash seeds write byte-identical trees: no set order leaks into a page."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        result = run(BRIEFING, "render", FIXTURE, "--out", out, cwd=tmp_path, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout + result.stderr
        trees.append({p: (out / p).read_bytes() for p in listing(out)})
    assert trees[0] == trees[1]
    assert {p: t.decode() for p, t in trees[0].items() if p != MANIFEST} == pages


# --- briefing render --out -----------------------------------------------------------------------


def render(briefing: Path, out: Path) -> tuple[int, str]:
    """`briefing render` as a user runs it (in-process, for speed) from a folder without site templates."""
    result = CliRunner().invoke(cli, ["render", str(briefing), "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def counts(output: str) -> tuple[int, ...]:
    """(pages, written, removed, unchanged) from the summary line."""
    found = SUMMARY.search(output)
    assert found, output
    return tuple(int(n) for n in found.groups())


def plugin_pages(config_file: Path) -> dict[str, str]:
    """The Markdown pages the MkDocs plugin adds to a build, run in-process up to on_files."""
    config = load_config(str(config_file))
    config.plugins.run_event("startup", command="build", dirty=False)
    config = config.plugins.run_event("config", config)
    files = config.plugins.run_event("files", get_files(config), config=config)
    return {
        f.src_uri: f.content_string
        for f in files
        if f.generated_by == "briefing" and f.src_uri.endswith(".md")
    }


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "out"


def markdown_tree(out: Path) -> dict[str, str]:
    return {p: (out / p).read_text(encoding="utf-8") for p in listing(out) if p != MANIFEST}


def test_render_out_writes_the_pages_the_plugin_serves(tmp_path: Path, out: Path) -> None:
    code, output = render(FIXTURE, out)
    assert code == 0, output
    written = markdown_tree(out)
    assert counts(output) == (len(written), len(written), 0, 0)
    assert written == plugin_pages(write_config(tmp_path / "project", FIXTURE))


def test_second_run_writes_no_page(out: Path) -> None:
    assert render(FIXTURE, out)[0] == 0
    before = listing(out)
    code, output = render(FIXTURE, out)
    assert code == 0, output
    pages = len(before) - 1  # the manifest
    assert counts(output) == (pages, 0, 0, pages)
    assert {p: v for p, v in listing(out).items() if p != MANIFEST} == {
        p: v for p, v in before.items() if p != MANIFEST
    }


def test_second_run_touches_no_file_at_all(out: Path) -> None:
    assert render(FIXTURE, out)[0] == 0
    before = listing(out)
    assert render(FIXTURE, out)[0] == 0
    assert listing(out) == before


def test_refuses_to_overwrite_a_file_it_did_not_write(out: Path) -> None:
    mine = out / "mini" / "actors" / "ana-reyes.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("My own notes on Ana Reyes.\n", encoding="utf-8")
    before = listing(out)
    code, output = render(FIXTURE, out)
    assert code == 1
    assert "error:" in output and "mini/actors/ana-reyes.md" in output and "nothing was written" in output
    assert listing(out) == before
    assert mine.read_text(encoding="utf-8") == "My own notes on Ana Reyes.\n"


def test_refuses_to_overwrite_a_page_edited_since(out: Path) -> None:
    assert render(FIXTURE, out)[0] == 0
    page = out / "mini" / "meetings" / "council-call.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn analyst's addition.\n", encoding="utf-8")
    before = listing(out)
    code, output = render(FIXTURE, out)
    assert code == 1
    assert "mini/meetings/council-call.md" in output and "nothing was written" in output
    assert listing(out) == before


def test_removes_stale_pages_it_wrote_and_keeps_other_files(tmp_path: Path, out: Path) -> None:
    briefing = tmp_path / "mini"
    shutil.copytree(FIXTURE, briefing)
    assert render(briefing, out)[0] == 0
    (out / "README.txt").write_text("not a page\n", encoding="utf-8")
    stale = out / "mini" / "actors" / "coastal-front.md"
    assert stale.is_file()
    # The analyst deletes the Coastal Front (the actor and the one absence that names it).
    actors = (briefing / "actors.yaml").read_text(encoding="utf-8")
    (briefing / "actors.yaml").write_text(actors[: actors.index("- id: coastal-front")], encoding="utf-8")
    meetings = (briefing / "meetings.yaml").read_text(encoding="utf-8")
    absentee = '  absentees:\n    - actor: coastal-front\n      reason: "Not invited by the council"\n'
    assert absentee in meetings
    (briefing / "meetings.yaml").write_text(meetings.replace(absentee, ""), encoding="utf-8")

    code, output = render(briefing, out)
    assert code == 0, output
    assert counts(output)[2] == 1
    assert not stale.exists()
    assert (out / "README.txt").read_text(encoding="utf-8") == "not a page\n"
    assert "coastal-front" not in (out / "mini" / "meetings" / "council-call.md").read_text(encoding="utf-8")


# --- dates over a span -------------------------------------------------------------------------

# Meetings whose last to begin is not the last to end, and dates given only to the month or year.
SPANNING = {
    "briefing.yaml": 'title: "Spans"\nsummary: "Meetings that run on."\nas_of: 2017-01-31\n',
    "actors.yaml": """\
- id: ana
  name: "Ana"
  classification: person
  memberships:
    - organization: council
      role: "Chair"
      start_date: 2015-03
      end_date: 2016-11-30
    - organization: council
      end_date: 2014
- id: council
  name: "Council"
  classification: organization
""",
    "sources.yaml": '- id: s\n  title: "Report"\n',
    "meetings.yaml": """\
- id: conference
  name: "Long conference"
  start_date: 2016-02-01
  end_date: 2016-12
  format: multilateral
  attendees: [{actor: ana}]
  sources: [s]
- id: summit
  name: "Summit"
  start_date: 2016-10-01
  end_date: 2016-10-03
  format: summit
  attendees: [{actor: ana}]
  sources: [s]
- id: talks
  name: "Talks"
  start_date: 2016-11-20
  format: bilateral
  attendees: [{actor: ana}]
  sources: [s]
""",
}


@pytest.fixture(scope="module")
def spanning(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = write_files(tmp_path_factory.mktemp("spans") / "spans", SPANNING)
    data = validate(load_briefing(folder, Report(), folder.parent), Report()).data
    assert data is not None
    return render_site([data])


def test_the_overview_gives_the_meetings_from_the_first_start_to_the_last_end(
    spanning: dict[str, str],
) -> None:
    """Not the start of the meeting that began last (20 November): the long conference runs to December."""
    line = next(x for x in spanning["spans/index.md"].splitlines() if "](meetings/index.md)" in x)
    assert line == "- [Meetings](meetings/index.md): 3, from 1 February 2016 to December 2016"


def test_a_membership_shows_when_it_ended(spanning: dict[str, str]) -> None:
    page = spanning["spans/actors/ana.md"]
    assert "Chair of [Council](council.md) (from March 2015 to 30 November 2016)" in page
    assert "Member of [Council](council.md) (until 2014)" in page


def test_the_previous_and_next_meetings_show_their_whole_span(spanning: dict[str, str]) -> None:
    page = spanning["spans/meetings/summit.md"]
    assert "Previous: [Long conference](conference.md) (1 February 2016 \u2013 December 2016)" in page
    assert "Next: [Talks](talks.md) (20 November 2016)" in page


def test_the_timeline_picture_runs_to_the_last_end(spanning: dict[str, str]) -> None:
    for path in ("spans/index.md", "spans/timeline/index.md"):
        assert "3 meetings and 0 events from Feb 2016 to Dec 2016" in spanning[path], path
