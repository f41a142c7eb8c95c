"""While serving, a build reads again only the files that changed and renders again only the pages
a change reaches: after every save of the series, the pages are those a full build makes."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.paths import FIXTURE, REAL, REPO
from support.reload import edit_entry, saves

from generator.build import build_pages
from generator.errors import Report
from generator.kinds import BY_PLURAL, KINDS
from generator.plan import Plan, near_readers, readers_of
from generator.rebuild import Pages, ReadFiles, Validations


def _full(briefings: Path, templates: Path) -> tuple[Plan, list[str]]:
    report = Report()
    plan = build_pages(briefings, templates, report)
    assert plan is not None, report.sorted()
    return plan, [d.format() for d in report.sorted()]


def _synthetic(folder: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    synth.make(folder, 100)


def _with_warnings(folder: Path) -> None:
    """The fixture with entries that draw warnings: an unsourced actor named nowhere, an unlinked
    question. Each build must say them again, whichever file a save changed."""
    shutil.copytree(FIXTURE, folder)
    edit_entry(
        folder,
        "actors",
        lambda a: a.append({"id": "lone-voice", "name": "Lone Voice", "classification": "person"}),
    )
    edit_entry(folder, "questions", lambda q: q.append({"id": "open-end", "question": "Who decides?"}))


@pytest.mark.parametrize(
    "source",
    [FIXTURE, REAL, _synthetic, _with_warnings],
    ids=["mini", "syria", "synthetic-100", "mini-with-warnings"],
)
def test_each_save_gives_the_pages_a_full_build_gives(
    tmp_path: Path, source: Path | Callable[[Path], None]
) -> None:
    briefings, templates = tmp_path / "briefings", tmp_path / "templates"
    templates.mkdir()
    folder = briefings / "b"
    if isinstance(source, Path):
        shutil.copytree(source, folder)
    else:
        source(folder)
    read, check, rendered = ReadFiles(), Validations(), Pages()

    def edit_copy() -> None:  # one briefing of two changes: the other keeps what it had
        edit_entry(briefings / "b-copy", "actors", lambda a: a[-1].update(summary="Edited in the copy."))

    series = [("first build", lambda: None), *saves(folder, tmp_path, "b"), ("edit the copy", edit_copy)]
    for name, save in series:
        save()
        report = Report()
        plan = build_pages(briefings, templates, report, read=read, rendered=rendered, check=check)
        if name == "save a broken file":
            assert plan is None and report.errors
            continue
        assert plan is not None, (name, report.sorted())
        full, diagnostics = _full(briefings, templates)
        assert [d.format() for d in report.sorted()] == diagnostics, name
        assert source is not _with_warnings or len(diagnostics) >= 2, diagnostics
        assert list(plan) == list(full), name
        assert [p for p in full if plan[p] != full[p]] == [], name
        assert plan.nav() == full.nav(), name


def test_a_summary_edit_renders_few_entry_pages(tmp_path: Path) -> None:
    briefings = tmp_path / "briefings"
    shutil.copytree(REAL, briefings / "b")
    read, rendered = ReadFiles(), Pages()
    first = build_pages(briefings, None, Report(), read=read, rendered=rendered)
    assert first is not None
    actors = briefings / "b" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    at = text.index("  summary: ", text.index("- id: john-kerry"))
    actors.write_text(text[:at] + "  summary: Edited.\n" + text[at:].split("\n", 1)[1], encoding="utf-8")
    second = build_pages(briefings, None, Report(), read=read, rendered=rendered)
    assert second is not None
    again = [p for p in second.pages.values() if p.entry is not None and p is not first.pages.get(p.path)]
    kept = [p for p in second.pages.values() if p.entry is not None and p is first.pages.get(p.path)]
    # A summary shows only where its entry does in full: exactly the pages of those entries are
    # rendered again (not those that only link to John Kerry), the rest kept as they were.
    ix = rendered.kept["b"].ix
    readers = {f"b/{kind}/{id_}.md" for kind, id_ in near_readers(ix, {("actors", "john-kerry")})}
    assert readers < {f"b/{kind}/{id_}.md" for kind, id_ in readers_of(ix, {("actors", "john-kerry")})}
    assert {p.path for p in again} == readers & set(second)
    assert "b/actors/john-kerry.md" in readers and len(kept) > len(again)


def test_a_summary_edit_of_each_kind_gives_the_pages_a_full_build_gives(tmp_path: Path) -> None:
    briefings = tmp_path / "briefings"
    shutil.copytree(REAL, briefings / "b")
    read, check, rendered = ReadFiles(), Validations(), Pages()
    assert build_pages(briefings, None, Report(), read=read, rendered=rendered, check=check)
    edited = []
    for kind in KINDS:
        path = briefings / "b" / f"{kind.plural}.yaml"
        if "summary" not in kind.model.model_fields or not path.is_file():
            continue
        edit_entry(briefings / "b", kind.plural, lambda items: items[-1].update(summary="A new summary."))
        edited.append(kind.plural)
        plan = build_pages(briefings, None, Report(), read=read, rendered=rendered, check=check)
        full, _ = _full(briefings, tmp_path / "none")
        assert plan is not None and list(plan) == list(full), kind.plural
        assert [p for p in full if plan[p] != full[p]] == [], kind.plural
    assert {"actors", "meetings", "positions", "issues"} <= set(edited)


def test_a_book_section_follows_the_anchors_written_before_it(tmp_path: Path) -> None:
    """The book quotes each quote once, where it first comes. A quote given to another speaker
    pushes an older one of hers past her list's cap in the book, so the meeting it was said at,
    further on, now quotes it: that section changes though the meeting reads no changed entry."""
    briefings = tmp_path / "briefings"
    shutil.copytree(FIXTURE, briefings / "b")
    cap = BY_PLURAL["actors"].book_inner

    def quote(id_: str, speaker: str, day: int) -> dict[str, Any]:
        return {
            "id": id_,
            "speaker": speaker,
            "text": f"Word {id_}.",
            "date": f"2016-08-{day:02d}",
            "occasion": "Press briefing",
            "source": "gazette-report",
        }

    edit_entry(
        briefings / "b",
        "quotes",
        lambda q: q.extend(
            [quote(f"reyes-early-{n}", "ana-reyes", n + 1) for n in range(cap - 1)]
            + [quote("lind-early", "boris-lind", 28)]
        ),
    )
    read, check, rendered = ReadFiles(), Validations(), Pages()
    first = build_pages(briefings, None, Report(), read=read, rendered=rendered, check=check)
    assert first is not None
    quoted, meeting = 'id="quote-reyes-stays-open"', "{ #meeting-harbour-talks-1 "
    book = first["b/book.md"]
    assert book.count(quoted) == 1 and book.index(quoted) < book.index(meeting)

    edit_entry(briefings / "b", "quotes", lambda q: q[-1].update(speaker="ana-reyes"))
    plan = build_pages(briefings, None, Report(), read=read, rendered=rendered, check=check)
    full, _ = _full(briefings, tmp_path / "none")
    assert plan is not None and plan["b/book.md"] == full["b/book.md"]
    # The quote is still in the book once, now in the meeting's section.
    book = plan["b/book.md"]
    assert book.count(quoted) == 1 and book.index(quoted) > book.index(meeting)
