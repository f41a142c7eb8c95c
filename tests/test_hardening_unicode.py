"""Cyrillic, Arabic and accented names: rendered, isolated when right-to-left, sorted, found by search."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support.built import search_docs, soup, text_of
from support.cli import mkdocs_build, run
from support.data import dump, write_files
from support.paths import BRIEFING
from support.project import make_project

from generator.escape import md
from generator.kinds import name_key

pytestmark = pytest.mark.slow

LAVROV, MUALLEM = "Сергей Лавров", "وليد المعلم"
ACTORS = [
    {"id": "sergei-lavrov", "name": LAVROV, "other_names": ["Sergei Lavrov"], "classification": "person",
     "role": "Министр иностранных дел", "memberships": [{"organization": "russia"}]},
    {"id": "walid-muallem", "name": MUALLEM, "other_names": ["Walid Muallem", "Walid al-Moallem"],
     "classification": "person", "role": "Foreign minister (وزير الخارجية)",
     "memberships": [{"organization": "syria"}]},
    {"id": "mevlut-cavusoglu", "name": "Mevlüt Çavuşoğlu", "classification": "person",
     "memberships": [{"organization": "turkey"}]},
    {"id": "elysee", "name": "Élysée Palace", "classification": "government-body"},
    {"id": "russia", "name": "Russia", "classification": "state"},
    {"id": "syria", "name": "Syria", "classification": "state"},
    {"id": "turkey", "name": "Turkey", "classification": "state"},
    {"id": "ana-reyes", "name": "ana reyes", "classification": "person"},
]  # fmt: skip
MEETING = {
    "id": "lausanne",
    "name": "Lausanne talks",
    "start_date": "2016-10-15",
    "format": "multilateral",
    "summary": f"{MUALLEM} (Syria) did not attend; {LAVROV} did, with 3 aides.",
    "attendees": [{"actor": a["id"]} for a in ACTORS if a["classification"] != "state"],
    "sources": ["src"],
}
FILES = {
    "briefing.yaml": dump(
        {"title": "Сирия 2016", "summary": "Names in three scripts.", "as_of": "2016-12-01"}
    ),
    "actors.yaml": dump(ACTORS),
    "meetings.yaml": dump([MEETING]),
    "sources.yaml": dump([{"id": "src", "title": "Источник: مصدر"}]),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("unicode"), {"scripts": FILES})
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def test_each_name_is_its_page_heading_and_title(site: Path) -> None:
    for actor in ACTORS:
        page = soup(site, f"scripts/actors/{actor['id']}")
        assert text_of(page.select_one("article h1")) == actor["name"]
        assert page.title is not None and page.title.get_text().startswith(actor["name"] + " - ")


def test_right_to_left_values_are_isolated_and_left_to_right_ones_are_not(site: Path) -> None:
    page = soup(site, "scripts/actors/walid-muallem")
    h1 = page.select_one("article h1")
    assert h1 is not None and [text_of(b) for b in h1.find_all("bdi")] == [MUALLEM]
    facts = page.select_one("article .bp-facts")
    assert facts is not None and [text_of(b) for b in facts.find_all("bdi")] == ["وزير الخارجية"]
    meeting = soup(site, "scripts/meetings/lausanne")
    names = {text_of(a): a for a in meeting.select("article table a")}
    assert names[MUALLEM].find("bdi") is not None
    assert names[LAVROV].find("bdi") is None and names["Mevlüt Çavuşoğlu"].find("bdi") is None


def test_md_isolates_each_right_to_left_run_and_nothing_else() -> None:
    assert md(MUALLEM) == f"<bdi>{MUALLEM}</bdi>"
    assert md("שלום 2016") == "<bdi>שלום</bdi> 2016"
    assert md(f"{MUALLEM} (Syria) met {LAVROV}") == f"<bdi>{MUALLEM}</bdi> (Syria) met {LAVROV}"
    assert md(LAVROV) == LAVROV
    assert md("Mevlüt Çavuşoğlu") == "Mevlüt Çavuşoğlu"
    assert md("<b>" + MUALLEM) == f"&lt;b&gt;<bdi>{MUALLEM}</bdi>"


def test_actors_index_sorts_latin_with_accents_then_other_scripts(site: Path) -> None:
    page = soup(site, "scripts/actors")
    names = [text_of(row.find("td")) for row in page.select("article table tbody tr")]
    assert names == [
        "ana reyes",
        "Élysée Palace",
        "Mevlüt Çavuşoğlu",
        "Russia",
        "Syria",
        "Turkey",
        LAVROV,
        MUALLEM,
    ]
    assert names == sorted(names, key=name_key)


def test_search_index_holds_names_and_aliases_in_every_script(site: Path) -> None:
    def page_text(url: str) -> tuple[set[str], str]:
        docs = [d for d in search_docs(site) if d["location"].split("#")[0] == url]
        return {d["title"] for d in docs}, " ".join(d["text"] for d in docs)

    titles, text = page_text("scripts/actors/sergei-lavrov/")
    assert LAVROV in titles and "Sergei Lavrov" in text
    titles, text = page_text("scripts/actors/walid-muallem/")
    assert MUALLEM in titles and "Walid Muallem" in text
    assert any(MUALLEM in d["text"] and LAVROV in d["text"] for d in search_docs(site))


def test_navigation_shows_a_cyrillic_briefing_title(site: Path) -> None:
    page = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Сирия 2016" in [text_of(el) for el in page.select(".md-nav__link")]


def test_a_look_alike_letter_in_an_id_is_named_in_the_check_output(tmp_path: Path) -> None:
    """An id with a Cyrillic ie for its 'e', printed as written, looked exactly like the id it was
    refused for, and "did you mean" offered the look-alike back for every reference to 'john-kerry'."""
    ie = "\u0435"
    files = {
        "briefing.yaml": 'title: "T"\nsummary: "S"\nas_of: 2016-12-01\n',
        "actors.yaml": (
            f"- id: john-k{ie}rry\n  name: John Kerry\n  classification: person\n"
            f"- id: sergei-lavrov\n  name: {LAVROV}\n  classification: person\n"
        ),
        "meetings.yaml": (
            "- id: lausanne\n  name: Lausanne talks\n  start_date: 2016-10-15\n  format: multilateral\n"
            f"  attendees:\n    - actor: john-kerry\n    - actor: s{ie}rgei-lavrov\n  sources: [src]\n"
        ),
        "sources.yaml": "- id: src\n  title: Source\n",
    }
    write_files(tmp_path / "demo", files)
    result = run(BRIEFING, "check", "demo", cwd=tmp_path, timeout=30)
    assert "Traceback" not in result.stderr, result.stderr
    invalid = "is not a valid id: use lowercase letters, digits and hyphens (like 'john-kerry'); did you mean"
    assert result.stdout.splitlines() == [
        # The meeting naming Lavrov (through a look-alike) is not read: no false "appears nowhere".
        "demo/actors.yaml:1:1: warning: not checked whether 1 actor appears anywhere: actors, meetings "
        "could not be read in full; fix the errors there first [check-skipped]",
        f"demo/actors.yaml:1:7: error: 'john-k\\u0435rry' (U+0435 CYRILLIC SMALL LETTER IE at position 7) "
        f"{invalid} 'john-kerry'? [id-invalid]",
        f"demo/meetings.yaml:7:14: error: 's\\u0435rgei-lavrov' (U+0435 CYRILLIC SMALL LETTER IE at position "
        f"2) {invalid} 'sergei-lavrov'? [id-invalid]",
        "2 errors, 1 warning in 1 briefing",
    ]
