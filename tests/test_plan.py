"""The kind registry and the page plan: pages as data, the navigation built from them, links that
hold whatever URLs the engine serves, and what each page declares it reads."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from support.cli import mkdocs_build
from support.data import load_valid as load
from support.paths import DOCS, FIXTURE, REAL
from support.project import make_project

from generator.build import build_pages
from generator.environment import PACKAGED, make_env
from generator.errors import Report
from generator.kinds import BY_PLURAL, KINDS, REFS
from generator.model import BriefingData
from generator.render import Renderer


def test_every_kind_is_declared_once_and_complete() -> None:
    collections = set(BriefingData.model_fields) - {"slug", "briefing"}
    assert [k.plural for k in KINDS] == list(BY_PLURAL)
    assert set(BY_PLURAL) == collections, "BriefingData and the registry disagree"
    for kind in KINDS:
        if kind.pages:  # the body its page and the book both use
            assert (PACKAGED / "body" / kind.template).is_file(), f"{kind.plural}: no body/{kind.template}"
        assert kind.label in kind.model.model_fields, f"{kind.plural}: links show '{kind.label}'"
        for ref in REFS[kind.plural]:
            assert ref.target in BY_PLURAL, f"{kind.plural}.{'.'.join(ref.path)} names an unknown kind"
            assert ref.path[0] in kind.model.model_fields


def test_the_plan_says_what_each_page_is() -> None:
    report = Report()
    plan = build_pages(FIXTURE.parent, None, report)
    assert plan is not None, report.summary()
    pages = plan.pages
    slug = FIXTURE.name
    data, _ = load(FIXTURE)
    actor = data.actors[0]
    page = pages[f"{slug}/actors/{actor.id}.md"]
    assert (page.kind, page.entry, page.title, page.template) == (
        "actors",
        actor.id,
        actor.name,
        "_entry.md.j2",
    )
    assert pages[f"{slug}/index.md"].kind == "overview"
    assert pages[f"{slug}/index.md"].title == data.briefing.title
    assert pages["index.md"].kind == "home"
    # every entry of a kind with pages has one, and nothing else is an entry page
    want = {(k.plural, e.id) for k in KINDS if k.pages for e in getattr(data, k.plural)}
    assert {(p.kind, p.entry) for p in pages.values() if p.entry} == want
    assert dict(plan) == {path: p.markdown for path, p in pages.items()}


def test_the_navigation_comes_from_the_plan_not_the_markdown(tmp_path: Path) -> None:
    """A site's overview with a plain YAML title (not the JSON string ours writes) builds, and the
    navigation still names the briefing by its title."""
    project = tmp_path / "p"
    make_project(project, {FIXTURE.name: FIXTURE}, docs=DOCS)
    (project / "templates" / "overview.md.j2").write_text(
        "---\ntitle: Overview, in a site's own words\n---\n\n# {{ b.title|md }}\n", encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr  # one line for the build, not MkDocs' three
    assert re.search(r"built \d+ briefing pages in \d+\.\d s", said) and "Documentation built in" not in said
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    data, _ = load(FIXTURE)
    nav_text = " ".join(home.select_one("nav.md-nav--primary").stripped_strings)
    assert data.briefing.title in nav_text
    for label in ("Overview", "Actors", "Meetings", "Issues", "Positions", "Timeline", "Briefing book"):
        assert label in nav_text
    # A related kind's list ends before the page goes on: the sources line is not one of its items.
    event = BeautifulSoup(
        (project / "site" / "mini" / "events" / "harbour-closure" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    related = [li for li in event.select("article li") if li.select_one('a[href*="documents/"]')]
    assert related and not any(li.select_one(".bp-sources") for li in related)
    assert event.select_one("article p > .bp-sources") is not None


def test_plan_navigation_lists_sections_in_their_declared_order() -> None:
    report = Report()
    plan = build_pages(REAL.parent, None, report)
    assert plan is not None, report.summary()
    nav = plan.nav()
    assert nav[0] == {"Briefings": "index.md"}
    ((title, sections),) = nav[1].items()
    assert title == load(REAL)[0].briefing.title  # a title with nothing to escape
    labels = [next(iter(s)) for s in sections]
    assert labels[:3] == ["Overview", "Actors", "Meetings"]
    assert labels[-1] == "Briefing book"
    assert labels.index("Positions") < labels.index("Timeline") < labels.index("Open questions")
    for section in sections:
        (path,) = section.values()
        assert path in plan, path


def _internal_targets(html_file: Path, site: Path, base: str) -> list[tuple[str, Path, str]]:
    """(href, file it should resolve to, anchor) for each internal link, SVG links included."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    out = []
    for a in soup.find_all("a"):
        href = a.get("href") or a.get("xlink:href")
        if not href:
            continue
        parts = urlsplit(str(href))
        if parts.scheme or parts.netloc or not parts.path:
            continue
        path = unquote(parts.path)
        if path.startswith("/"):  # the 404 page links from the site's root, by `site_url`
            assert path.startswith(base), href
            path = str(site) + "/" + path.removeprefix(base)
        target = Path(posixpath.normpath(posixpath.join(str(html_file.parent), path)))
        if str(href).endswith("/") or target.is_dir():
            target = target / "index.html"
        out.append((str(href), target, parts.fragment))
    return out


@pytest.mark.parametrize("directory_urls", [True, False])
def test_no_dead_link_in_pages_or_pictures_whatever_the_url_style(
    tmp_path: Path, directory_urls: bool
) -> None:
    project = tmp_path / "p"
    config = make_project(project, {REAL.name: REAL}, docs=DOCS) / "mkdocs.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["use_directory_urls"] = directory_urls
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    base = urlsplit(settings["site_url"]).path
    dead: list[str] = []
    svg_links = 0
    ids: dict[Path, set[str]] = {}
    for html_file in sorted(site.rglob("*.html")):
        text = html_file.read_text(encoding="utf-8")
        svg_links += len(re.findall(r"<svg\b.*?</svg>", text, re.S) and re.findall(r"<a href=", text))
        for href, target, anchor in _internal_targets(html_file, site, base):
            if not target.is_file():
                dead.append(f"{html_file.relative_to(site)}: {href}")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {
                        str(t["id"])
                        for t in BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").select(
                            "[id]"
                        )
                    }
                if anchor not in ids[target]:
                    dead.append(f"{html_file.relative_to(site)}: {href} (no #{anchor})")
    assert svg_links > 0
    assert dead == [], "\n".join(dead[:30])


def _render(data: BriefingData) -> dict[str, str]:
    return {p.path: p.markdown for p in Renderer(make_env(None), data).render()}


def _variants() -> list[BriefingData]:
    """The fixture, and the fixture with every quote at a meeting and cited, and every account
    quoting: quote blocks show their speaker, meeting and source, reached through positions and
    accounts too."""
    data, _ = load(FIXTURE)
    meeting, source = data.meetings[-1].id, data.sources[-1].id
    quotes = [q.model_copy(update={"meeting": meeting, "source": source}) for q in data.quotes]
    disputes = [
        d.model_copy(
            update={"accounts": [a.model_copy(update={"quotes": [quotes[0].id]}) for a in d.accounts]}
        )
        for d in data.disputes
    ]
    positions = [p.model_copy(update={"quotes": [quotes[-1].id]}) for p in data.positions]
    return [data, data.model_copy(update={"quotes": quotes, "disputes": disputes, "positions": positions})]


@pytest.mark.parametrize("variant", [0, 1])
def test_an_entry_page_changes_only_with_what_it_declares_it_reads(variant: int) -> None:
    """Each entry in turn gets a new name or label: every entry page whose Markdown changes with it
    must list it among the entries it reads (what an incremental rebuild relies on)."""
    data = _variants()[variant]
    before = Renderer(make_env(None), data).render()
    baseline = {p.path: p for p in before}
    checked = 0
    for kind in KINDS:
        for i, entry in enumerate(getattr(data, kind.plural)):
            renamed = entry.model_copy(update={kind.label: f"Renamed {kind.name} {i}"})
            items = list(getattr(data, kind.plural))
            items[i] = renamed
            after = _render(data.model_copy(update={kind.plural: items}))
            for path, markdown in after.items():
                page = baseline[path]
                if page.entry is None or page.markdown == markdown:
                    continue
                checked += 1
                assert page.reads is not None and (kind.plural, entry.id) in page.reads, (
                    f"{path} changed when {kind.name} '{entry.id}' changed, but does not say it reads it"
                )
    assert checked > 20


def test_reverse_index_names_are_unique_and_free() -> None:
    """Two references with one index name would merge their lists without a word."""
    from generator.index import Index

    names = [ref.index for kind in KINDS for ref in kind.refs if ref.index]
    assert len(names) == len(set(names))
    taken = set(Index.__dataclass_fields__) | {k.plural for k in KINDS} | set(dir(Index))
    assert not set(names) & taken


def test_a_kind_listed_without_pages_has_its_own_index_template() -> None:
    """The plain index page links each entry to its page: a kind without pages needs its own."""
    for kind in KINDS:
        if kind.listing and not kind.pages:
            assert (PACKAGED / kind.listing_template).is_file(), kind.plural
