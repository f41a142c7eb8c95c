"""Hostile text in every field renders as the same literal text: pages, search index, book, exports.

One briefing holds HTML, Markdown, Jinja and JavaScript payloads in names, summaries, quotes, places,
reasons and titles; the site is built once with the real `mkdocs build` and every page is scanned.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from support.built import html_pages, search_docs, shown, soup, table_shapes, text_of, titled
from support.cli import mkdocs_build, run
from support.hostile import HOSTILE_URLS, PAYLOADS, hostile_briefing, unsafe_markup
from support.paths import BRIEFING, MKDOCS_YML
from support.project import make_project

from generator.build import build_pages
from generator.errors import Report
from generator.escape import md
from generator.parts import front_str
from generator.validate import load_and_validate

pytestmark = pytest.mark.slow
SLUG = "hostile"
KS = range(len(PAYLOADS))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("hostile"), {SLUG: hostile_briefing()})


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    result = mkdocs_build(project, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, BeautifulSoup]:
    return dict(html_pages(site))


def test_the_hostile_briefing_is_valid_data(project: Path) -> None:
    report = Report()
    result = load_and_validate(project / "briefings" / SLUG, report)
    assert [d.format() for d in report.errors] == []
    assert result.data is not None


def test_no_page_carries_script_handlers_frames_or_javascript_links(pages: dict[str, BeautifulSoup]) -> None:
    assert len(pages) > 7 * len(PAYLOADS)
    found = {rel: bad for rel, page in pages.items() if (bad := unsafe_markup(page))}
    assert found == {}


def test_every_table_keeps_its_column_count(pages: dict[str, BeautifulSoup]) -> None:
    broken = {
        rel: shapes
        for rel, page in pages.items()
        if (shapes := [s for s in table_shapes(page) if any(n != s[0] for n in s[1])])
    }
    assert broken == {}


def test_the_front_matter_reads_back_for_every_title(project: Path) -> None:
    report = Report()
    rendered = build_pages(project / "briefings", None, report)
    assert rendered is not None, report.summary()
    for k in KS:
        text = rendered[f"{SLUG}/actors/a-{k}.md"]
        front = yaml.safe_load(text.split("---\n")[1])
        assert html.unescape(front["title"]) == titled(PAYLOADS[k])


@pytest.mark.parametrize("k", KS)
def test_actor_page_shows_the_payload_as_text(site: Path, k: int) -> None:
    page = soup(site, f"{SLUG}/actors/a-{k}")
    expected = shown(PAYLOADS[k])
    article = page.select_one("article")
    assert article is not None
    assert text_of(article.select_one("h1")) == expected
    assert page.title is not None and page.title.get_text().startswith(titled(PAYLOADS[k]) + " - ")
    topic = page.select(".md-header__topic")[-1]
    assert text_of(topic) == titled(PAYLOADS[k])
    assert text_of(article.select_one(".bp-facts")) == f"Person · {expected}"
    quote = article.select_one(f"#quote-q-{k} blockquote")
    assert quote is not None and text_of(quote) == expected
    assert "49" not in text_of(article) or "49" in expected


@pytest.mark.parametrize(
    "kind", ["meetings/m", "issues/i", "events/e", "sources/s", "disputes/d", "questions/qn"]
)
def test_other_pages_show_the_payload_as_their_heading(site: Path, kind: str) -> None:
    for k in KS:
        page = soup(site, f"{SLUG}/{kind}-{k}")
        assert text_of(page.select_one("article h1")) == shown(PAYLOADS[k])


def test_actors_index_lists_each_payload_in_its_own_cell(site: Path) -> None:
    page = soup(site, f"{SLUG}/actors")
    rows = page.select("article table tbody tr")
    names = [text_of(r.find_all("td")[0]) for r in rows]
    aliases = [text_of(r.find_all("td")[1]) for r in rows]
    for k in KS:
        assert shown(PAYLOADS[k]) in names
        assert shown(PAYLOADS[k]) in aliases


def test_meeting_tables_keep_payloads_inside_their_cells(site: Path) -> None:
    for k in KS:
        page = soup(site, f"{SLUG}/meetings/m-{k}")
        first = page.select("article table")[0].select("tbody tr td")
        assert text_of(first[1]) == shown(PAYLOADS[k])  # Where
        absent = page.select("article table")[-1].select("tbody tr td")
        assert text_of(absent[1]) == shown(PAYLOADS[k])  # Why


def test_briefing_title_in_navigation_is_text(site: Path) -> None:
    page = soup(site, "")
    labels = [text_of(el) for el in page.select(".md-nav__item--section > label, .md-nav__link")]
    assert shown(PAYLOADS[0]) in labels


def test_source_links_are_only_http(site: Path) -> None:
    for k, url in enumerate(HOSTILE_URLS):
        page = soup(site, f"{SLUG}/sources/s-{k}")
        table = page.select_one("article table")
        assert table is not None
        link_cell = table.select("tbody tr td")[-1]
        hrefs = [a.get("href", "") for a in link_cell.find_all("a")]
        if url.startswith("https://"):
            assert hrefs == [url.replace('"', "%22")] or hrefs == [url]
        else:
            assert hrefs == []
            assert text_of(link_cell) == shown(url)


def test_search_index_holds_payloads_as_escaped_text(site: Path) -> None:
    docs = search_docs(site)
    for doc in docs:
        blob = doc["title"] + doc["text"]
        for tag in ("<script", "<img", "<iframe", "<svg", "<b ", "<!--"):
            assert tag not in blob, (doc["location"], blob[:200])
    for k in KS:
        entries = [d for d in docs if d["location"].split("#")[0] == f"{SLUG}/actors/a-{k}/"]
        escaped = html.escape(shown(PAYLOADS[k]), quote=False)
        assert escaped in {d["title"] for d in entries}
        assert escaped in " ".join(d["text"] for d in entries)


def test_the_book_page_shows_payloads_as_text(pages: dict[str, BeautifulSoup]) -> None:
    book = pages[f"{SLUG}/book/index.html"]
    assert unsafe_markup(book) == []
    article = book.select_one("article")
    assert article is not None
    text = text_of(article)
    for p in PAYLOADS:
        assert shown(p) in text


def test_markdown_of_each_value_is_escaped_inline_text() -> None:
    for p in PAYLOADS:
        out = md(p)
        assert "\n" not in out
        assert "<" not in out.removeprefix("<bdi>").removesuffix("</bdi>")


def test_front_str_is_json_and_yaml_for_any_text() -> None:
    for p in [*PAYLOADS, "\ufeff\ufffe\U0001f600\x85\u2028\u2029\x1b"]:
        out = front_str(p)
        assert json.loads(out) == p
        assert yaml.safe_load(f"title: {out}")["title"] == p


@pytest.fixture(scope="module")
def exports(project: Path) -> Iterator[dict[str, object]]:
    out = {}
    for fmt in ("json", "jsonld"):
        result = run(BRIEFING, "export", "--format", fmt, f"briefings/{SLUG}", cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
        out[fmt] = json.loads(result.stdout)
    yield out


def test_json_export_round_trips_the_exact_strings(
    exports: dict[str, dict[str, list[dict[str, object]]]],
) -> None:
    doc = exports["json"]
    names = {p["id"]: p["name"] for p in doc["persons"]}
    quotes = {q["id"]: q["text"] for q in doc["quotes"]}
    for k in KS:
        assert names[f"a-{k}"] == PAYLOADS[k]
        assert quotes[f"q-{k}"] == PAYLOADS[k]


def test_jsonld_export_round_trips_the_exact_strings(
    exports: dict[str, dict[str, list[dict[str, object]]]],
) -> None:
    graph = {node["@id"]: node for node in exports["jsonld"]["@graph"]}
    for k in KS:
        assert graph[f"#actor-a-{k}"]["name"] == PAYLOADS[k]
        assert graph[f"#quote-q-{k}"]["text"] == PAYLOADS[k]


def test_materials_html_tooltips_stay_off() -> None:
    """With content.tooltips, Material re-inserts a truncated nav title's text as HTML on hover."""
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    assert "content.tooltips" not in config["theme"].get("features", [])
