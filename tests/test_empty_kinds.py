"""A briefing with none of a kind: no page of nothing, and no link, navigation entry or line in the
book's contents leading to one. Checked for every kind in turn, on the briefing `briefing new`
writes with that kind emptied (and with it every entry naming one of its entries)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from support.data import load_valid, write_files

from generator.build import render_site
from generator.index import build_index
from generator.kinds import BY_PLURAL, KINDS, REFS
from generator.model import BriefingData
from generator.plan import VIEW_PATHS, VIEWS, Plan
from generator.scaffold import examples

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_ANCHOR = re.compile(r'\{ #([^\s}]+)|\bid="([^"]+)"')


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> BriefingData:
    folder = write_files(tmp_path_factory.mktemp("new") / "demo", examples())
    data, _ = load_valid(folder)
    assert all(getattr(data, k.plural) for k in KINDS), "`briefing new` writes one entry of each kind"
    return data


def without(data: BriefingData, plurals: set[str]) -> BriefingData:
    """The briefing with no entries of these kinds, nor any entry naming an entry that is gone."""
    kept = {k.plural: list(getattr(data, k.plural)) for k in KINDS}
    for plural in plurals:
        kept[plural] = []
    while True:
        ids = {plural: {e.id for e in entries} for plural, entries in kept.items()}
        pruned = {
            plural: [
                e
                for e in entries
                if all(v in ids[r.target] for r in REFS[plural] for v, _where in r.values(e))
            ]
            for plural, entries in kept.items()
        }
        if pruned == kept:
            return data.model_copy(update=kept)
        kept = pruned


def empty_of(data: BriefingData) -> set[str]:
    """The kinds (plurals) and views a briefing has nothing of."""
    empty = {k.plural for k in KINDS if not getattr(data, k.plural)}
    if not data.positions:
        empty.add("positions")  # the view of them
    if not build_index(data).timeline:
        empty.add("timeline")
    return empty


def dead_links(plan: Plan) -> list[str]:
    """Each link (Markdown, so the pictures' text versions too) to a page not in the plan, or to
    an anchor its page does not have."""
    dead = []
    for path, page in plan.pages.items():
        text = _SVG.sub("", page.markdown)
        for target in _LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            file, _hash, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), file)) if file else path
            if resolved not in plan.pages:
                dead.append(f"{path}: {target}")
            elif anchor and anchor not in {a or b for a, b in _ANCHOR.findall(plan.pages[resolved].markdown)}:
                dead.append(f"{path}: {target} (no such anchor)")
    return dead


def assert_nothing_leads_to_nothing(data: BriefingData) -> None:
    plan = render_site([data])
    empty = empty_of(data)
    slug = data.slug
    # No page of nothing: a kind's index page only with entries, a view only with something in it.
    for page in plan.pages.values():
        if page.entry is None and page.kind in BY_PLURAL:
            assert page.kind not in empty, f"{page.path}: an index page of no {page.kind}"
    for view in ("positions", "timeline"):
        assert (f"{slug}/{VIEW_PATHS[view]}" in plan.pages) == (view not in empty), view
    # Every link leads to a page there is (and so never to one of nothing).
    assert dead_links(plan) == []
    # The navigation lists no kind or view of nothing.
    ((_title, sections),) = plan.nav()[1].items()
    listed = {path for section in sections for path in section.values()}
    for plural in empty:
        assert f"{slug}/{plural}/index.md" not in listed and f"{slug}/{plural}.md" not in listed, plural
    # The book has no chapter, nor a line in its contents, for one.
    book = plan.pages[f"{slug}/book.md"].markdown
    contents = book.split("{ #contents }", 1)[1].split("</div>", 1)[0]
    for plural in empty:
        assert f"(#{plural})" not in contents and f"{{ #{plural} .bp-chapter }}" not in book, plural
    # What there is, the overview, the navigation and the book do name.
    overview = plan.pages[f"{slug}/index.md"].markdown
    for kind in KINDS:
        if kind.listing and kind.plural not in empty:
            assert f"{slug}/{kind.plural}/index.md" in listed or not kind.nav, kind.plural
            if kind.pages:
                assert f"(#{kind.plural})" in contents, kind.plural
            if kind.plural not in ("figures", "questions"):  # these have sections of their own
                assert f"]({kind.plural}/index.md)" in overview, kind.plural


@pytest.mark.parametrize("plural", [k.plural for k in KINDS])
def test_a_briefing_with_none_of_a_kind_links_to_no_page_of_nothing(
    scaffold: BriefingData, plural: str
) -> None:
    data = without(scaffold, {plural})
    assert plural in empty_of(data)
    assert_nothing_leads_to_nothing(data)


def test_the_new_briefing_links_every_kind_and_view(scaffold: BriefingData) -> None:
    assert empty_of(scaffold) == set()
    assert_nothing_leads_to_nothing(scaffold)
    plan = render_site([scaffold])
    for _name, _label, path, _place in VIEWS:
        assert f"{scaffold.slug}/{path}" in plan.pages


def test_a_briefing_of_only_actors_and_sources(scaffold: BriefingData) -> None:
    """Most kinds empty at once, the timeline and the matrix among them."""
    data = without(scaffold, {k.plural for k in KINDS} - {"actors", "sources"})
    assert empty_of(data) == {k.plural for k in KINDS} - {"actors", "sources"} | {"positions", "timeline"}
    assert_nothing_leads_to_nothing(data)
    overview = render_site([data]).pages[f"{data.slug}/index.md"].markdown
    assert "Latest developments" not in overview and "Who met whom" not in overview


def test_the_site_of_a_briefing_folder_with_only_some_files(tmp_path: Path) -> None:
    """The same from files on disk: a briefing with no disputes, events, documents, figures,
    questions or quotes file."""
    files = {
        k: v for k, v in examples().items() if k in ("briefing", "actors", "issues", "meetings", "sources")
    }
    files = {f"{k}.yaml": v for k, v in files.items()}
    files["positions.yaml"] = examples()["positions"].replace("  quotes: [example-quote]\n", "")
    data, _ = load_valid(write_files(tmp_path / "demo", files))
    assert {"disputes", "events", "documents", "figures", "questions", "quotes"} <= empty_of(data)
    assert_nothing_leads_to_nothing(data)
