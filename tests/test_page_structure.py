"""The structure of every built page, as assistive technology reads it: headings that form an
outline, and tables whose every cell sits under its own header, with a caption and header cells.

One site, built once with `mkdocs build --strict`: the real briefing, the one `briefing new` writes,
and one with most kinds empty. Only the article counts (`article.md-content__inner`), not the
theme's chrome around it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from support.built import html_pages, resolve, shown, text_of
from support.cli import mkdocs_build, run
from support.data import load_valid, write_files
from support.paths import BRIEFING, DOCS, REAL, TEMPLATES
from support.project import make_project

from generator.index import Index
from generator.kinds import BY_PLURAL
from generator.model import BriefingData
from generator.scaffold import examples
from generator.words import CHOICE_WORDS, PARTICIPATION_LABELS

pytestmark = pytest.mark.slow


def _sparse() -> dict[str, str]:
    """A briefing with actors, one meeting and its source: no issues, positions, quotes, events,
    disputes, figures, questions or documents."""
    new = examples()
    meeting = new["meetings"].replace("  issues: [example-issue]\n", "")
    return {f"{k}.yaml": new[k] for k in ("briefing", "actors", "sources")} | {"meetings.yaml": meeting}


@dataclass
class Built:
    root: Path
    briefings: dict[str, tuple[BriefingData, Index]]

    def pages(self) -> Iterator[tuple[str, Tag]]:
        """Each page's article: its own content, without the theme's navigation and header; its
        links to other pages made site-relative ("/demo/actors/x/")."""
        for path, page in html_pages(self.root):
            article = page.select_one("article.md-content__inner")
            if article is not None:
                yield path, _rooted(article, path.removesuffix("index.html"))

    def article(self, url: str) -> Tag:
        page = BeautifulSoup((self.root / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article.md-content__inner")
        assert article is not None, url
        return _rooted(article, url)


def _rooted(article: Tag, url: str) -> Tag:
    for a in article.find_all("a", href=True):
        target = resolve(url, str(a["href"]))
        if target is not None:
            a["href"] = "/" + target
    return article


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = make_project(
        tmp_path_factory.mktemp("structure") / "p", {"syria-2016": REAL}, docs=DOCS, templates=TEMPLATES
    )
    write_files(project / "briefings" / "sparse", _sparse())
    run(BRIEFING, "new", "demo", "--root", "briefings", "--schemas", "schemas", cwd=project, check=True)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    slugs = ("syria-2016", "sparse", "demo")
    return Built(project / "site", {slug: load_valid(project / "briefings" / slug) for slug in slugs})


# --- headings ------------------------------------------------------------------------------------


def outline_problems(article: Tag) -> list[str]:
    """Where the headings stop forming an outline: not one h1, first; a level skipped going down."""
    levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
    problems = []
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"want one h1, first: {levels[:8]}")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{after} after h{before}")
    return problems


def test_every_page_is_an_outline_of_headings(site: Built) -> None:
    checked, problems = 0, []
    for path, article in site.pages():
        problems += [f"{path}: {p}" for p in sorted(set(outline_problems(article)))]
        checked += 1
    assert checked > 150
    assert problems == [], "\n".join(problems)


def test_the_outline_check_sees_a_skipped_level() -> None:
    page = BeautifulSoup(
        "<article><h1>A</h1><h2>B</h2><h3>C</h3><h5>D</h5><h2>E</h2></article>", "html.parser"
    )
    assert outline_problems(page) == ["h5 after h3"]
    twice = BeautifulSoup("<article><h2>A</h2><h1>B</h1><h1>C</h1></article>", "html.parser")
    assert outline_problems(twice) == ["want one h1, first: [2, 1, 1]"]


# --- tables --------------------------------------------------------------------------------------


def header_and_rows(table: Tag) -> tuple[list[str], list[list[Tag]]]:
    head = table.select("thead tr")
    assert len(head) == 1, "one header row"
    header = [text_of(c) for c in head[0].find_all(["th", "td"], recursive=False)]
    rows = [tr.find_all(["th", "td"], recursive=False) for tr in table.select("tbody tr")]
    return header, rows


def test_every_table_has_a_caption_header_cells_and_rows_as_wide_as_its_header(site: Built) -> None:
    tables, problems = 0, []
    for path, article in site.pages():
        for table in article.find_all("table"):
            tables += 1
            caption = table.find("caption", recursive=False)
            if caption is None or not text_of(caption) or table.contents[0] is not caption:
                problems.append(f"{path}: a table without a caption first")
            head = table.select("thead tr")
            if len(head) != 1 or not head[0].find_all("th") or head[0].find_all("td"):
                problems.append(f"{path}: {text_of(caption or table)[:40]}: no header row of <th>")
                continue
            if any(th.get("scope") != "col" for th in head[0].find_all("th")):
                problems.append(f"{path}: a column header without scope=col")
            header, rows = header_and_rows(table)
            for row in rows:
                if len(row) != len(header):
                    problems.append(f"{path}: {len(row)} cells under {len(header)} headers: {header}")
    assert tables > 150
    assert problems == [], "\n".join(problems)


# What each column holds, by its header (English): every header any page writes is named here, so a
# new column comes with a rule for what belongs under it.
_DATE = r"(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}"
DATE = re.compile(rf"(?:{_DATE}(?: \u2013 {_DATE})?|undated)(?: \(inferred\))?")
Check = Callable[[Tag], bool]


def links_to(*folders: str, exactly_one: bool = True) -> Check:
    """A cell of links to entries of these kinds (their pages, or their sections in the book)."""
    pages = re.compile(rf"/[^/]+/(?:{'|'.join(folders)})/[^/#]+/")
    sections = tuple(f"#{BY_PLURAL[f].name}-" for f in folders)

    def check(cell: Tag) -> bool:
        hrefs = [str(a["href"]) for a in cell.find_all("a", href=True)]
        pointed = bool(hrefs) and all(pages.match(h) or h.startswith(sections) for h in hrefs)
        return pointed and (len(hrefs) == 1 or not exactly_one)

    return check


def plain(cell: Tag) -> bool:
    """Words of the data or ours: no link."""
    return cell.find("a") is None


def number(cell: Tag) -> bool:
    return text_of(cell).isdigit()


def date(cell: Tag) -> bool:
    return plain(cell) and DATE.fullmatch(text_of(cell)) is not None


def one_of(words: list[str], start: bool = False) -> Check:
    lowered = [w.lower() for w in words]
    return lambda cell: any(
        text_of(cell).lower().startswith(w) if start else text_of(cell).lower() == w for w in lowered
    )


def stance_or_none(cell: Tag) -> bool:
    return cell.select_one(".bp-stance") is not None or text_of(cell) == "—"


COLUMNS: dict[str, Check] = {
    "Actor": links_to("actors"),
    "Attended on behalf of": links_to("actors"),
    "Host": lambda c: links_to("actors")(c) or text_of(c) == "—",
    "Attended": links_to("meetings"),
    "Absent from": links_to("meetings"),
    "Meeting": links_to("meetings"),
    "Event": links_to("events"),
    "Issue": links_to("issues"),
    "What": links_to("meetings", "events", "documents"),
    "Source": lambda c: links_to("sources", exactly_one=False)(c) or text_of(c) == "",
    "Sources": lambda c: links_to("sources", exactly_one=False)(c) or text_of(c) == "none given",
    "Date": date,
    "When": date,
    "Since": date,
    "How": one_of(list(PARTICIPATION_LABELS.values()), start=True),
    "Format": one_of(list(CHOICE_WORDS.values())),
    "Kind": plain,  # a word of ours: "armed group", "meeting (bilateral)"
    "What they did": one_of(list(CHOICE_WORDS.values())),
    "Latest stance": lambda c: c.select_one(".bp-stance") is not None,
    "Value": lambda c: c.find("strong") is not None,
    "Meetings": number,
    "Positions": number,
    "Actors": number,
    "Took part": number,
    "Absent": number,
    "Cited by": number,
    "Link": lambda c: c.find("a") is not None or bool(text_of(c)),
    # Free text from the data; where it belongs is checked against the data below.
    **dict.fromkeys(
        ["Role", "Note", "Why", "Summary", "Also known as", "Where", "Outlet", "Author", "Figure"], plain
    ),
}


def test_every_cell_holds_what_its_header_says(site: Built) -> None:
    problems: list[str] = []
    for path, article in site.pages():
        for table in article.find_all("table"):
            header, rows = header_and_rows(table)
            head_cells = table.select("thead tr")[0].find_all("th")
            for i, (name, th) in enumerate(zip(header, head_cells, strict=True)):
                # The matrix: a column per issue (its header a link to it), a stance in each cell.
                check = stance_or_none if th.find("a") and i > 0 else COLUMNS.get(name)
                if check is None:
                    problems.append(f"{path}: no rule for what the column {name!r} holds")
                    continue
                for row in rows:
                    if i < len(row) and not check(row[i]):
                        problems.append(f"{path}: {name!r} holds {text_of(row[i])[:60]!r}")
    assert problems == [], "\n".join(problems)


def by_caption(article: Tag, caption: str) -> list[dict[str, str]]:
    """The rows of the table with this caption, each as header -> cell text."""
    for table in article.find_all("table"):
        found = table.find("caption")
        if found is not None and text_of(found) == caption:
            header, rows = header_and_rows(table)
            return [dict(zip(header, (text_of(c) for c in row), strict=True)) for row in rows]
    return []


def said(value: str | None) -> str:
    return shown(value or "")


def test_each_value_of_the_data_is_under_its_own_header(site: Built) -> None:
    """A meeting's attendees, absentees; an actor's meetings; a document's parties: each role, note
    and reason in its own column, none in another's."""
    seen = 0
    for slug, (data, ix) in site.briefings.items():
        for mt in data.meetings:
            page = site.article(f"{slug}/meetings/{mt.id}/")
            rows = by_caption(page, "Who took part")
            assert len(rows) == len(mt.attendees), mt.id
            # A Role or Note column only when it holds something.
            for column, field in (("Role", "role"), ("Note", "note")):
                shown = any(column in row for row in rows)
                assert shown == any(getattr(att, field) for att in mt.attendees), (mt.id, column)
            for row, att in zip(rows, mt.attendees, strict=True):
                assert row["Actor"] == ix.actors[att.actor].name
                assert row["How"].startswith(PARTICIPATION_LABELS[att.participation])
                assert row.get("Role", "") == said(att.role), (mt.id, row)
                assert row.get("Note", "") == said(att.note), (mt.id, row)
                seen += 1
            rows = by_caption(page, "Who was not there")
            for row, ab in zip(rows, mt.absentees, strict=True):
                assert row["Why"] == said(ab.reason) or (ab.reason is None and row["Why"] == "not stated")
        for actor in data.actors:
            attended = ix.attended[actor.id]
            rows = by_caption(site.article(f"{slug}/actors/{actor.id}/"), "Meetings attended")
            assert len(rows) == len(attended), actor.id
            for row, (mt, att) in zip(rows, attended, strict=True):
                assert row["Attended"] == mt.name and row["How"].startswith(
                    PARTICIPATION_LABELS[att.participation]
                )
                assert row.get("Role", "") == said(att.role) and row.get("Note", "") == said(att.note), row
                seen += 1
        for doc in data.documents:
            rows = by_caption(site.article(f"{slug}/documents/{doc.id}/"), "Parties")
            for row, party in zip(rows, doc.parties, strict=True):
                assert row["What they did"] == CHOICE_WORDS[party.role] and row["Note"] == said(party.note)
                seen += 1
    assert seen > 50


MATRIX_CAPTION = "Latest stance of each actor on each issue"


def test_the_matrix_names_each_row_by_its_actor(site: Built) -> None:
    """Row headers where a row is read across: the positions matrix, on its pages and in the book."""
    for url in ("syria-2016/positions/", "syria-2016/book/"):
        article = site.article(url)
        tables = [t for t in article.find_all("table") if text_of(t.caption or t) == MATRIX_CAPTION]
        assert tables, url
        for table in tables:
            for row in table.select("tbody tr"):
                first = row.find(["th", "td"])
                assert first is not None and first.name == "th" and first.get("scope") == "row"
                assert links_to("actors")(first)
