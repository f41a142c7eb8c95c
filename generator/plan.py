"""The page plan: every page of the site as data, which the engines and the navigation read.

Rendering yields `Page` objects (where, what, from which entries, its Markdown); the MkDocs
plugin builds its navigation from them and `briefing render --out` writes them with the
navigation, so no stage learns what a page is by reading its Markdown.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .escape import page_title
from .i18n import N_, _, language
from .index import Index
from .kinds import BY_PLURAL, KINDS, REFS, Kind
from .model import BriefingData

# A briefing's pages that are not one kind's: (name, section label, path in the briefing, place in
# the navigation). The kinds' index pages take their places from `Kind.nav`.
VIEWS: tuple[tuple[str, str, str, int], ...] = (
    ("overview", N_("Overview"), "index.md", 0),
    ("positions", N_("Positions"), "positions.md", 35),
    ("timeline", N_("Timeline"), "timeline/index.md", 40),
    ("book", N_("Briefing book"), "book.md", 100),
)
VIEW_PATHS = {name: path for name, _label, path, _place in VIEWS}

Entry = tuple[str, str]  # (kind's plural, id)


@dataclass(frozen=True)
class Page:
    path: str  # source path in the site: "syria-2016/actors/john-kerry.md"
    kind: str  # a kind's plural (its entry or index pages), or a view: "overview", "book", "home"…
    title: str  # as a reader sees it
    template: str
    markdown: str
    briefing: str = ""  # the briefing's slug; "" for the site's home page
    entry: str | None = None  # the entry an entry page is about
    number: int = 1  # of an index page split into several
    # What `reads` is made from, when it is asked for (a plain build never asks).
    depends: Callable[[], frozenset[Entry]] | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def reads(self) -> frozenset[Entry] | None:
        """The entries whose change may change this page; None: any entry of its briefing."""
        return None if self.depends is None else self.depends()


def reads_of(ix: Index, kind: Kind, entry: Any) -> frozenset[Entry]:
    """What an entry's page shows: the entry, the entries it names, those naming it, and the
    entries these name (a meeting's page shows its positions, and the issues they are on); and,
    for quotes and positions among those, what they name in turn (a quote block shows its
    speaker, meeting and source). An edit can change what a page reads: the entries a page shows
    after an edit are the union of its reads before and after."""
    me = (kind.plural, entry.id)
    names, named_by = ix.links
    near = {me, *named_by.get(me, ())}
    if kind.sequence:
        near.update((kind.plural, e.id) for e in ix.neighbours(kind.plural, entry.id) if e is not None)
    far = near.union(*(names.get(e, ()) for e in near))
    shown_whole = [e for e in far if BY_PLURAL[e[0]].anchored]  # blocks that show what they name
    return frozenset(far.union(*(names.get(e, ()) for e in shown_whole)))


def readers_of(ix: Index, changed: Iterable[Entry]) -> set[Entry]:
    """The entries whose pages read any of `changed`: `reads_of` turned round. An entry e reads c
    when c is near e (e itself, an entry naming e, e's neighbour), is named by an entry near e, or
    is named by an anchored entry among those; so e is found from c through what c names, c's
    neighbours, and the entries naming c (and, for anchored ones, the entries naming those)."""
    changed = list(changed)
    if not changed:
        return set()
    names, named_by = ix.links
    near_of = functools.partial(_near_of, ix, names=names)

    def far_of(c: Entry) -> set[Entry]:  # the e with c near e or named by an entry near e
        return near_of(c).union(*(near_of(x) for x in named_by.get(c, ())))

    found: set[Entry] = set()
    for c in changed:
        found |= far_of(c)
        for y in named_by.get(c, ()):
            if BY_PLURAL[y[0]].anchored:
                found |= far_of(y)
    return found


def _near_of(ix: Index, x: Entry, names: dict[Entry, set[Entry]] | None = None) -> set[Entry]:
    """The entries e with x near e (see `reads_of`): x, what x names, x's neighbours. Without
    `names` (`ix.links`'), what x names is read off the entry itself."""
    if names is not None:
        out = {x, *names.get(x, ())}
    else:
        entry = getattr(ix, x[0]).get(x[1])
        out = {x} if entry is None else {x, *((r.target, v) for r in REFS[x[0]] for v, _ in r.values(entry))}
    if BY_PLURAL[x[0]].sequence and x[1] in ix.positions_in[x[0]]:
        out.update((x[0], n.id) for n in ix.neighbours(*x) if n is not None)
    return out


def near_readers(ix: Index, changed: Iterable[Entry]) -> set[Entry]:
    """The entries whose pages show any of `changed` in full, not only by a link to it."""
    return set().union(*(_near_of(ix, c) for c in changed))


def nav(pages: Iterable[Page], briefings: Iterable[BriefingData]) -> list[Any]:
    """Each briefing's section pages, in their declared order, under the briefing's title: never
    every entry (those pages are off the navigation on purpose), and a kind only when the briefing
    has entries of it. Titles are escaped as front matter's are: themes put them into HTML as
    they are."""
    places = {view: place for view, _label, _path, place in VIEWS}
    labels = {view: label for view, label, _path, _place in VIEWS}
    places.update((k.plural, k.place) for k in KINDS if k.nav)
    labels.update((k.plural, k.title) for k in KINDS)
    datas = {d.slug: d for d in briefings}
    sections: dict[str, list[tuple[int, str, str]]] = {slug: [] for slug in datas}
    for page in pages:
        place = places.get(page.kind)
        if place is None or page.number != 1 or page.entry is not None or page.briefing not in datas:
            continue
        if page.kind in BY_PLURAL and not getattr(datas[page.briefing], page.kind):
            continue
        sections[page.briefing].append((place, labels[page.kind], page.path))
    out: list[Any] = [{"Briefings": "index.md"}]
    for slug, data in datas.items():
        with language(data.briefing.language):
            entries = [{_(label): path} for _place, label, path in sorted(sections[slug])]
        out.append({page_title(data.briefing.title): entries})
    return out


class Plan(Mapping[str, str]):
    """The site's pages by path, sorted; as a mapping, each path's Markdown."""

    def __init__(self, pages: Iterable[Page], briefings: Iterable[BriefingData]) -> None:
        self.pages = {p.path: p for p in sorted(pages, key=lambda p: p.path)}
        self.briefings = list(briefings)

    def __getitem__(self, path: str) -> str:
        return self.pages[path].markdown

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)

    def nav(self) -> list[Any]:
        return nav(self.pages.values(), self.briefings)

    def describe(self) -> dict[str, dict[str, Any]]:
        """Each page without its Markdown, for `render --out`'s manifest."""
        return {
            path: {
                k: v
                for k, v in (
                    ("kind", p.kind),
                    ("title", p.title),
                    ("briefing", p.briefing),
                    ("entry", p.entry),
                    ("number", p.number),
                    ("template", p.template),
                )
                if v not in (None, "")
            }
            for path, p in self.pages.items()
        }
