"""Whole-site builds with `mkdocs build --strict`, checked with a few structural selectors.

One build per briefing, shared by the module: the hand-written fixture, and the real briefing
when it is there and clean. Builds meant to fail (bad data, broken links) are separate, on purpose.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.built import Site
from support.cli import DIAGNOSTIC, mkdocs_build, run, warning_lines
from support.data import load_valid
from support.paths import BRIEFING, DOCS, FIXTURE, MKDOCS, REAL, REPO, TEMPLATES
from support.project import listing, make_project, write_config

from generator.index import Index
from generator.model import BriefingData
from generator.words import STANCE_LABELS, format_date

pytestmark = pytest.mark.slow
MAX_NAV_LINKS = 30
ENTITY_FOLDERS = ("actors", "meetings", "events", "issues", "questions", "sources", "disputes")


@dataclass
class Built:
    site: Site
    data: BriefingData
    ix: Index
    docs_before: dict[str, Any]
    docs_after: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.data.slug

    def url(self, kind: str, id_: str) -> str:
        return f"{self.slug}/{kind}/{id_}/"


def _skip_unless_clean(folder: Path) -> None:
    if not (folder / "briefing.yaml").is_file():
        pytest.skip(f"{folder.relative_to(REPO)} does not exist yet")
    check = run(BRIEFING, "check", "--strict", folder, cwd=REPO)
    if check.returncode != 0:
        summary = (check.stdout.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"{folder.relative_to(REPO)} fails `briefing check --strict`: {summary}")


@pytest.fixture(scope="module")
def build_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    """Builds each briefing at most once per module run."""
    done: dict[str, Built] = {}

    def build(name: str) -> Built:
        if name not in done:
            folder = FIXTURE if name == "mini" else REAL
            if folder is REAL:
                _skip_unless_clean(folder)
            project = tmp_path_factory.mktemp(f"site-{name}")
            # The fixture builds with the package's default templates, the real briefing with the site's.
            templates = project / "no-templates" if folder is FIXTURE else TEMPLATES
            write_config(project, folder, templates)
            docs_before = listing(DOCS)
            result = mkdocs_build(project)
            data, ix = load_valid(folder)
            site = Site(project / "site", result.stdout, result.stderr, result.returncode)
            done[name] = Built(site, data, ix, docs_before, listing(DOCS))
        return done[name]

    return build


@pytest.fixture(scope="module", params=["mini", "syria-2016"])
def built(request: pytest.FixtureRequest, build_of: Callable[[str], Built]) -> Built:
    b = build_of(request.param)
    assert b.site.returncode == 0, b.site.stderr
    return b


@pytest.fixture(scope="module")
def mini(build_of: Callable[[str], Built]) -> Built:
    b = build_of("mini")
    assert b.site.returncode == 0, b.site.stderr
    return b


def text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


# --- the build itself ----------------------------------------------------------------------------


def test_strict_build_succeeds_without_warnings(built: Built) -> None:
    output = built.site.stderr + built.site.stdout
    assert warning_lines(output) == []
    assert "Traceback" not in output


def test_the_build_does_not_list_the_generated_pages_as_missing_from_the_nav(built: Built) -> None:
    """They are off the navigation on purpose; a hundred lines saying so buried what mattered."""
    output = built.site.stderr + built.site.stdout
    assert 'not included in the "nav" configuration' not in output
    assert len(output.splitlines()) < 10, output


def test_plugin_writes_nothing_into_docs_dir(built: Built) -> None:
    assert built.docs_after == built.docs_before


def test_every_entity_has_a_page(built: Built) -> None:
    for kind in ENTITY_FOLDERS:
        for item in getattr(built.data, kind):
            assert (built.site.root / built.url(kind, item.id) / "index.html").is_file(), (kind, item.id)


# --- cross references ----------------------------------------------------------------------------


def test_actor_pages_link_to_each_of_their_meetings(built: Built) -> None:
    for actor in built.data.actors:
        expected = {built.url("meetings", m.id) for m, _ in built.ix.attended[actor.id]}
        expected |= {built.url("meetings", m.id) for m, _ in built.ix.absent[actor.id]}
        expected |= {built.url("meetings", m.id) for m in built.ix.hosted[actor.id]}
        missing = expected - built.site.links(built.url("actors", actor.id))
        assert not missing, f"{actor.id}'s page does not link to {sorted(missing)}"


def test_meeting_pages_link_to_everyone_there_or_absent(built: Built) -> None:
    for meeting in built.data.meetings:
        expected = {built.url("actors", a.actor) for a in meeting.attendees}
        expected |= {built.url("actors", a.via) for a in meeting.attendees if a.via}
        expected |= {built.url("actors", a.actor) for a in meeting.absentees}
        missing = expected - built.site.links(built.url("meetings", meeting.id))
        assert not missing, f"{meeting.id}'s page does not link to {sorted(missing)}"


def test_delegate_page_lists_the_meeting_they_attended_for_someone(mini: Built) -> None:
    # Boris Lind went to the second harbour talks as Southland's delegate.
    assert mini.url("meetings", "harbour-talks-2") in mini.site.links(mini.url("actors", "boris-lind"))


def rows(b: Built, page: str) -> dict[str, str]:
    """First cell -> whole row, for every table row on the page."""
    return {
        text(row.select_one("td")): text(row)
        for row in b.site.content(page).select("tr")
        if row.select_one("td")
    }


def test_meeting_page_says_how_each_took_part_and_why_others_did_not(mini: Built) -> None:
    call = rows(mini, mini.url("meetings", "council-call"))
    assert "by video link" in call["Boris Lind"]
    assert "in person" in call["Ana Reyes"]
    assert "Not invited by the council" in call["Coastal Front"]
    second = rows(mini, mini.url("meetings", "harbour-talks-2"))
    assert "through a delegate" in second["Southland"] and "Boris Lind" in second["Southland"]
    assert "not stated" in second["Harbour Council"]  # absent, no reason given


def test_quotes_show_speaker_date_and_a_link_to_their_source(built: Built) -> None:
    for q in built.data.quotes:
        page = built.url("actors", q.speaker)
        block = built.site.soup(page).select_one(f"#quote-{q.id}")
        assert block is not None, f"quote {q.id} is not on {page}"
        assert html.unescape(" ".join(q.text.split())) in text(block)
        meta = block.select_one(".bp-quote-meta")
        assert meta is not None
        targets = built.site.links(page, f"#quote-{q.id} .bp-quote-meta a[href]")
        assert built.url("actors", q.speaker) in targets
        if q.date:
            assert format_date(q.date) in text(meta)
        if q.source:
            assert built.url("sources", q.source) in targets


def test_meeting_page_shows_what_was_said_there(built: Built) -> None:
    for q in built.data.quotes:
        if q.meeting:
            assert built.site.soup(built.url("meetings", q.meeting)).select_one(f"#quote-{q.id}"), q.id


def test_stances_read_as_words(built: Built) -> None:
    pages = [f"{built.slug}/positions/"] + [built.url("actors", a.id) for a in built.data.actors]
    pages += [built.url("issues", i.id) for i in built.data.issues]
    seen = 0
    for page in pages:
        for span in built.site.soup(page).select(".bp-stance"):
            stance = next(c.removeprefix("bp-stance-") for c in span["class"] if c != "bp-stance")
            assert text(span) == STANCE_LABELS[stance], (page, str(span))
            seen += 1
    assert seen >= len(built.data.positions)


def test_a_shifting_stance_is_flagged(mini: Built) -> None:
    matrix = mini.site.content(f"{mini.slug}/positions/")
    row = next(r for r in matrix.select("tr") if "Boris Lind" in text(r) and r.select_one(".bp-stance"))
    assert "Mixed" in text(row) and row.select_one(".bp-shift")
    issue = mini.site.content(mini.url("issues", "harbour-access"))
    assert "shifted" in rows(mini, mini.url("issues", "harbour-access"))["Boris Lind"]
    over_time = issue.select_one("h2#over-time").find_next_sibling("ul")
    boris = [text(li) for li in over_time.select("li") if "Boris Lind" in text(li)]
    assert [("Against" in b, "Mixed" in b) for b in boris] == [(True, False), (False, True)]
    assert boris[0].startswith("10 September 2016") and boris[1].startswith("3 October 2016")


def test_dispute_shows_both_accounts_side_by_side(mini: Built) -> None:
    accounts = mini.site.content(mini.url("disputes", "was-the-harbour-closed")).select(".bp-account")
    assert [text(a.select_one("h2")).removesuffix("¶").strip() for a in accounts] == [
        "Ana Reyes's account",
        "Boris Lind's account",
    ]
    assert "The gates were shut in our faces." in text(accounts[0])
    assert "Nothing was closed." in text(accounts[1])


def test_overview_shows_figure_and_open_question(mini: Built) -> None:
    overview = text(mini.site.content(f"{mini.slug}/"))
    assert "more than 40" in overview
    assert "Will the harbour reopen before winter?" in overview
    assert mini.url("questions", "reopen-before-winter") in mini.site.links(f"{mini.slug}/")


# --- navigation and search -----------------------------------------------------------------------


def test_nav_lists_sections_not_entities(built: Built) -> None:
    for page in (f"{built.slug}/", built.url("actors", built.data.actors[0].id)):
        nav = built.site.soup(page).select("nav.md-nav--primary a[href]")
        assert 0 < len(nav) < MAX_NAV_LINKS
        targets = built.site.links(page, "nav.md-nav--primary a[href]")
        entity = re.compile(rf"{built.slug}/({'|'.join(ENTITY_FOLDERS)})/[^/]+/")
        assert {t for t in targets if entity.fullmatch(t)} == set()
        assert f"{built.slug}/actors/" in targets and f"{built.slug}/meetings/" in targets


def test_search_finds_actors_by_their_aliases(built: Built) -> None:
    index = json.loads((built.site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: html.unescape(d["title"] + " " + d["text"]) for d in index["docs"]}
    with_aliases = [a for a in built.data.actors if a.other_names]
    assert with_aliases
    for actor in with_aliases:
        entry = entries.get(built.url("actors", actor.id))
        assert entry is not None, f"no search entry for {actor.id}"
        for alias in actor.other_names:
            assert " ".join(alias.split()) in " ".join(entry.split()), (actor.id, alias)


# --- builds that must fail -----------------------------------------------------------------------


def test_broken_cross_reference_fails_strict(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_project(project, {"mini": FIXTURE}, docs=DOCS)
    (project / "templates" / "actor.md.j2").write_text(
        "# {{ it.name|md }}\n\nSee the [dossier](../dossiers/{{ it.id }}.md).\n", encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    warnings = warning_lines(result.stderr)
    assert any("dossiers/ana-reyes.md" in w for w in warnings), result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def bad_data_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    make_project(project, {"mini": FIXTURE}, docs=DOCS)
    meetings = project / "briefings" / "mini" / "meetings.yaml"
    meetings.write_text(
        meetings.read_text(encoding="utf-8").replace("- actor: coastal-front", "- actor: coastal-frnt"),
        encoding="utf-8",
    )
    return project


def test_bad_data_fails_the_build_with_a_located_diagnostic(bad_data_project: Path) -> None:
    docs = bad_data_project / "docs"
    before = listing(docs)
    result = mkdocs_build(bad_data_project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [m.groupdict() for m in DIAGNOSTIC.finditer(result.stderr) if m["severity"] == "error"]
    assert errors == [
        {
            "path": "briefings/mini/meetings.yaml",
            "line": "30",
            "col": "14",
            "severity": "error",
            "message": "unknown actor 'coastal-frnt' in absentees; did you mean 'coastal-front'?",
            "code": "ref-unknown",
        }
    ]
    assert listing(docs) == before


def test_bad_data_fails_a_plain_build_too(bad_data_project: Path) -> None:
    result = run(MKDOCS, "build", cwd=bad_data_project)
    assert result.returncode != 0
    assert "briefings/mini/meetings.yaml:30:14: error:" in result.stderr
    assert "Traceback" not in result.stderr
