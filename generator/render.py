"""Model to the page plan: every page of a briefing, rendered to Markdown through Jinja.

Nothing here knows about MkDocs; the same pages feed the plugin and `briefing render --out`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from . import pictures
from .i18n import _
from .index import build_index
from .kinds import BY_MODEL, BY_NAME, KINDS, Kind
from .links import entry_path, page_dir, sources_from, urls_from
from .model import BriefingData, partial_date_parts
from .parts import Book
from .plan import VIEW_PATHS, VIEWS, Entry, Page, reads_of

PAGE_SIZE = 100  # entries per index page, so no page grows with the briefing
VIEW_LABELS = {name: label for name, label, _path, _place in VIEWS}  # marked N_: shown with `_()`


@dataclass(frozen=True)
class Paged:
    """One page of a long list, with the paths of all its sibling pages."""

    items: Any  # a slice of a list, or a MatrixBlock
    number: int
    paths: list[str]


def paginate(items: Sequence[Any], first: str) -> list[tuple[str, Paged]]:
    chunks = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [items]
    stem = first.removesuffix("index.md")
    paths = [first] + [f"{stem}page-{n}.md" for n in range(2, len(chunks) + 1)]
    return [(p, Paged(chunk, n, paths)) for n, (p, chunk) in enumerate(zip(paths, chunks, strict=True), 1)]


@dataclass(frozen=True)
class MatrixBlock:
    actors: Sequence[Any]
    issues: Sequence[Any]


@dataclass(frozen=True)
class Chapter:
    """A chapter of the briefing book: a kind's entries (`kind` set) or a view (`anchor` names it)."""

    place: int
    title: str
    anchor: str
    kind: Kind | None
    entries: list[Any]
    total: int


# A fence, an entry's heading ("### Name { #actor-x .bp-entry }") or a heading inside one.
_HEADINGS = re.compile(
    r"^(?:[ ]{0,3}(?P<fence>```|~~~).*"
    r"|### .*\{ #(?P<entry>[^\s}]+)[^}]*\}[ \t]*"
    r"|(?P<level>#{4,6}) (?P<text>.*?)[ \t]*)$",
    re.M,
)


def explicit_ids(markdown: str) -> str:
    """Every heading inside an entry's section of the book given an id of its own, from the
    section's ("actor-john-kerry-affiliations"), where Markdown would number the twentieth
    "Affiliations" of the book "affiliations_19": so a section's HTML does not hang on how many
    came before it (see `sections.py`), and a link to it keeps working when others are added."""
    entry, used, fenced = "", set[str](), False

    def one(m: re.Match[str]) -> str:
        nonlocal entry, fenced
        if m.group("fence"):
            fenced = not fenced
        elif fenced:
            pass
        elif m.group("entry"):
            entry = m.group("entry")
        elif entry and not m.group("text").endswith("}"):
            base = f"{entry}-{_slug(m.group('text')) or 'section'}"
            anchor, n = base, 1
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            return f"{m.group('level')} {m.group('text')} {{ #{anchor} }}"
        return m.group()

    return _HEADINGS.sub(one, markdown)


def _slug(text: str) -> str:
    """Letters and digits of a heading's Markdown, lowercased, in runs joined by hyphens."""
    return "-".join(re.findall(r"[^\W_]+", re.sub(r"&#?\w+;", " ", text).lower()))


_HOVER_NOTE = re.compile(r'(<span class="bp-inferred") title="[^"]*"')
BOOK_VIEWS = ("positions", "timeline")  # the views with a chapter in the book (the overview opens it)
BOOK_INNER = 15  # entries of each list inside a book entry
# How much book/timeline.md.j2 and book/positions.md.j2 show: the latest timeline entries (the
# book's latest developments are among them) and the matrix's first actors and issues.
BOOK_TIMELINE, BOOK_MATRIX = 80, (60, 18)

MATRIX_ROWS, MATRIX_COLS = 50, 10
MATRIX_MAX_ACTORS, MATRIX_MAX_ISSUES = 100, 20
OVERVIEW_TIMELINE, OVERVIEW_MEETINGS, OVERVIEW_ACTORS = 40, 16, 14


@dataclass(frozen=True)
class Section:
    """One entry's section of the book as rendered, with the book's state it began in (the
    anchors written before it, the chapter's cap, a list cut short unsaid) and the anchors it wrote."""

    begun: tuple[int, int, bool]
    wrote: tuple[str, ...]
    text: str


class Renderer:
    """Renders every page of one briefing."""

    def __init__(self, env: Environment, data: BriefingData, directory_urls: bool | None = True) -> None:
        self.env = env
        self.data = data
        self.ix = build_index(data)
        self.slug = data.slug
        self.directory_urls = directory_urls
        self.pages: list[Page] = []
        self.shapes: dict[str, Any] = {}  # each index page's shape: what decides which entries it lists
        # Set while serving (`rebuild.Pages`): the last render's pages and shapes, and the entries
        # that read a changed entry; an index page showing none of them, in the same shape, is kept.
        self.last: tuple[Mapping[str, Page], Mapping[str, Any], Collection[Entry]] | None = None
        # The book's entry sections, as rendered now and (set while serving) last time.
        self.sections: dict[Entry, Section] = {}
        self.last_sections: Mapping[Entry, Section] = {}
        self.templates: dict[tuple[str, ...], str] = {}
        self.orders: dict[str, list[Any]] = {}
        self.base = {"b": data.briefing, "data": data, "ix": self.ix, "slug": self.slug}
        self.base["views"] = {name: self.shows(name) for name in VIEW_PATHS}  # which have a page
        macros: Any = env.get_template("_macros.md.j2").make_module(self.base)
        self.running_head = str(macros.running_head())

    def page(
        self,
        path: str,
        template: str,
        kind: str,
        title: str,
        *,
        entry: Any = None,
        number: int = 1,
        depends: Callable[[], frozenset[tuple[str, str]]] | None = None,
        **ctx: Any,
    ) -> None:
        text = self.env.get_template(template).render(
            **self.base, page_path=path, page_dir=page_dir(path), **ctx
        )
        self.pages.append(
            Page(
                path,
                kind,
                title,
                template,
                f"{text.rstrip()}\n\n{self.running_head}\n",
                self.slug,
                entry.id if entry is not None else None,
                number,
                depends,
            )
        )

    def shows(self, view: str) -> bool:
        """Whether a view has anything to show: the matrix some position, the timeline some entry.
        A view with nothing has no page, no place in the navigation or the book, and no link to it."""
        if view == "positions":
            return bool(self.data.positions)
        if view == "timeline":
            return bool(self.ix.timeline)
        return True

    def listed(self, kind: Kind) -> list[Any]:
        """The kind's entries in its index order, sorted once per render."""
        if kind.plural not in self.orders:
            self.orders[kind.plural] = kind.listed(getattr(self.data, kind.plural))
        return self.orders[kind.plural]

    def kept(self, path: str, shape: Any, shows: Iterable[Entry]) -> bool:
        """Whether the index page at `path`, of this shape and showing these entries, is the last
        render's (and so taken from it)."""
        self.shapes[path] = shape
        if self.last is None:
            return False
        pages, shapes, fresh = self.last
        page = pages.get(path)
        if page is None or shapes.get(path) != shape or any(e in fresh for e in shows):
            return False
        self.pages.append(page)
        return True

    def template(self, *names: str) -> str:
        """The first of these templates there is (a site's or ours): looked up once per renderer, as
        a template that is not there costs a search of every templates folder each time."""
        if names not in self.templates:
            self.templates[names] = self.env.select_template(list(names)).name or names[-1]
        return self.templates[names]

    def urls_from(self, path: str) -> Callable[[str, str], str]:
        """Links inside a picture's SVG: raw HTML, so the pages' final URLs."""
        url = urls_from(path, self.slug, self.directory_urls)
        return lambda kind, id_: url(BY_NAME[kind].plural, id_)

    def picture(
        self, draw: Callable[..., pictures.Picture], data: BriefingData, path: str, **kw: Any
    ) -> pictures.Picture:
        """Links in the SVG are raw HTML, so final URLs; the text version links to pages (.md)."""
        source = sources_from(path, self.slug)
        drawn = draw(data, self.urls_from(path), **kw)
        text = draw(data, lambda kind, id_: source(BY_NAME[kind].plural, id_), **kw)
        return pictures.Picture(svg=drawn.svg, text=text.text, title=drawn.title)

    def subset(self, **update: Any) -> BriefingData:
        """The briefing with some collections cut down, so a picture stays a readable size."""
        return self.data.model_copy(update=update)

    def on_timeline(self, items: Sequence[tuple[str, Any]]) -> BriefingData:
        """The briefing with only these timeline entries, for a picture of them."""
        kinds = [k for k in KINDS if k.timeline]
        return self.subset(**{k.plural: [x for _when, x in items if isinstance(x, k.model)] for k in kinds})

    def overview_context(self, path: str) -> dict[str, Any]:
        """The overview's pictures (none of what the briefing has none of), and the days its meetings span."""
        ix, recent = self.ix, self.ix.timeline[-OVERVIEW_TIMELINE:]
        meetings = ix.meetings_by_date[-OVERVIEW_MEETINGS:]
        timeline = self.picture(pictures.timeline_svg, self.on_timeline(recent), path) if recent else None
        attendance = self.picture(pictures.attendance_svg, self.subset(meetings=meetings), path)
        return {
            "timeline_pic": timeline,
            "attendance_pic": attendance if meetings else None,
            "meetings_range": date_range(self.data.meetings),
        }

    def matrix_extent(self) -> tuple[list[Any], list[Any]]:
        """The actors and issues the matrix shows: all of them, up to a size that stays readable
        (the most active actors, the most discussed issues); the issue pages hold the rest."""
        ix = self.ix
        actors = ix.matrix_actors
        if len(actors) > MATRIX_MAX_ACTORS:
            busiest = sorted(actors, key=lambda a: (-len(ix.actor_positions[a.id]), a.id))[:MATRIX_MAX_ACTORS]
            keep = {a.id for a in busiest}
            actors = [a for a in actors if a.id in keep]
        return actors, ix.matrix_issues[:MATRIX_MAX_ISSUES]

    def matrix_pages(self) -> None:
        """Actors x issues in blocks, so the matrix page stays small however many there are."""
        actors, issues = self.matrix_extent()
        blocks = [
            MatrixBlock(a, i) for a in _chunks(actors, MATRIX_ROWS) for i in _chunks(issues, MATRIX_COLS)
        ]
        paths = [f"{self.slug}/positions.md"] + [
            f"{self.slug}/positions/page-{n}.md" for n in range(2, len(blocks) + 1)
        ]
        shape = (tuple(a.id for a in actors), tuple(i.id for i in issues))
        for n, (path, block) in enumerate(zip(paths, blocks, strict=True), 1):
            ids = {a.id for a in block.actors}, {i.id for i in block.issues}
            positions = [p for p in self.data.positions if p.actor in ids[0] and p.issue in ids[1]]
            shows = [*(("actors", a) for a in ids[0]), *(("issues", i) for i in ids[1])]
            if self.kept(path, shape, [*shows, *(("positions", p.id) for p in positions)]):
                continue
            part = self.subset(actors=list(block.actors), issues=list(block.issues), positions=positions)
            self.page(
                path,
                "positions.md.j2",
                "positions",
                _(VIEW_LABELS["positions"]),
                number=n,
                paged=Paged(block, n, paths),
                as_of=None,
                shown=(len(actors), len(issues)),
                # The table below is its text, and the picture keeps the table's rows and columns.
                matrix_pic=pictures.matrix_svg(
                    part,
                    self.urls_from(path),
                    actors=[a.id for a in block.actors],
                    issues=[i.id for i in block.issues],
                ),
            )

    def actor_attendance(self, actor: Any, path: str) -> pictures.Picture | None:
        ix = self.ix
        meetings = [m for m, _att in ix.attended[actor.id]] + [m for m, _ab in ix.absent[actor.id]]
        if not meetings:
            return None
        # Only what this one row needs, with the names of those who stood in for the actor; the
        # meetings tables under it on the page are its text version.
        vias = sorted({att.via for _m, att in ix.attended[actor.id] if att.via} - {actor.id})
        part = self.subset(
            meetings=meetings, actors=[actor, *(ix.actors[v] for v in vias)], events=[], issues=[]
        )
        return pictures.attendance_svg(part, self.urls_from(path), actor.id, with_text=False)

    def pictures_for(self, plural: str, item: Any, path: str) -> dict[str, Any]:
        """An entry page's pictures, by kind."""
        return {"attendance_pic": self.actor_attendance(item, path)} if plural == "actors" else {}

    def book_page(self) -> Page:
        """The briefing book, one page."""
        b, ix, path = self.data.briefing, self.ix, f"{self.slug}/{VIEW_PATHS['book']}"
        context = self.book_context()
        # What decides which entries it shows (every kind's order, the timeline's, the matrix's and
        # the key figures'), and the entries it shows: those of its chapters, the latest on the
        # timeline, the matrix's actors and issues and the key figures.
        shape = (
            tuple(tuple(e.id for e in self.listed(k)) for k in KINDS),
            tuple((BY_MODEL[type(x)].plural, x.id) for _when, x in ix.timeline),
            tuple(a.id for a in ix.matrix_actors),
            tuple(i.id for i in ix.matrix_issues),
            tuple(f.id for f in ix.key_figures),
        )
        shows = [
            *((c.kind.plural, e.id) for c in context["chapters"] if c.kind for e in c.entries),
            *((BY_MODEL[type(x)].plural, x.id) for _when, x in ix.timeline[-BOOK_TIMELINE:]),
            *(("actors", a.id) for a in ix.matrix_actors[: BOOK_MATRIX[0]]),
            *(("issues", i.id) for i in ix.matrix_issues[: BOOK_MATRIX[1]]),
            *(("figures", f.id) for f in ix.key_figures),
        ]
        last_shape = self.last[1].get(path) if self.last is not None else None
        if self.kept(path, shape, shows):
            self.sections = dict(self.last_sections)
            return self.pages[-1]
        if last_shape != shape:  # other entries, or in other places: every section again
            self.last_sections = {}
        self.page(path, "book.md.j2", "book", _("{title} — briefing book").format(title=b.title), **context)
        # The book is for print, where a mark's hover text is never seen: "(inferred)" stays, its
        # note (a fifth of the book, on every position and date) goes; each entry's own note on how
        # its date was inferred is in the book in full.
        book = self.pages[-1]
        markdown = explicit_ids(_HOVER_NOTE.sub(r"\1", book.markdown))
        self.pages[-1] = dataclasses.replace(book, markdown=markdown)
        return self.pages[-1]

    def book_context(self) -> dict[str, Any]:
        """The book's chapters, in their declared places: each kind with pages has one, holding its
        first (or, on the timeline, latest) `book_cap` entries; the views fill the places between."""
        chapters: list[Chapter] = []
        shown: dict[str, set[str]] = {}
        for kind in KINDS:
            items = getattr(self.data, kind.plural)
            if not kind.pages or not items:  # no chapter, nor a line in the contents, for nothing
                continue
            ordered = self.listed(kind)
            picked = ordered[-kind.book_cap :] if kind.timeline else ordered[: kind.book_cap]
            shown[kind.plural] = {e.id for e in picked}
            chapters.append(Chapter(kind.place, _(kind.title), kind.plural, kind, picked, len(items)))
        for name, label, _path, place in VIEWS:
            if name in BOOK_VIEWS and self.shows(name):
                chapters.append(Chapter(place, _(label), name, None, [], 0))
        chapters.sort(key=lambda c: c.place)
        # No pictures in the book's entries: the text beside them says the same, and prints better.
        return {
            "chapters": chapters,
            "book": Book(shown, BOOK_INNER),
            "section": pass_context(lambda ctx, chapter, item: self.book_section(ctx, chapter, item)),
            "h": "####",
            "attendance_pic": None,
            "book_timeline": BOOK_TIMELINE,
            "book_matrix": BOOK_MATRIX,
        }

    def book_section(self, ctx: Context, chapter: Chapter, item: Any) -> str:
        """An entry's section of the book: the last render's when the entry reads no changed one
        and the book reached it in the same state; else rendered (`book/_entry.md.j2`)."""
        book: Book = ctx["book"]
        assert chapter.kind is not None
        key, begun = (chapter.kind.plural, item.id), (book.trail, book.cap, book.capped)
        fresh = self.last[2] if self.last is not None else ()
        last = self.last_sections.get(key)
        if last is not None and last.begun == begun and key not in fresh:
            book.add(*last.wrote)
            book.capped = False  # as the section's end leaves it
            done = last
        else:
            mark = len(book.written)
            template = self.env.get_template(self.template("book/_entry.md.j2"))
            text = template.render({**ctx.get_all(), "ch": chapter, "it": item})
            done = Section(begun, tuple(book.written[mark:]), text)
        self.sections[key] = done
        return done.text

    def render(self, only: Collection[Entry] | None = None) -> list[Page]:
        """Every page; with `only`, of the entry pages just those of these entries."""
        s, ix, d, b = self.slug, self.ix, self.data, self.data.briefing
        views = {name: f"{s}/{path}" for name, path in VIEW_PATHS.items()}
        overview = views["overview"]
        self.page(overview, "overview.md.j2", "overview", b.title, **self.overview_context(overview))
        self.book_page()
        if self.shows("positions"):
            self.matrix_pages()
        for kind in KINDS:
            items = getattr(d, kind.plural)
            if kind.listing and items:  # no index page listing nothing: nothing links to one
                ordered = self.listed(kind)
                shape = tuple(e.id for e in ordered)
                for path, paged in paginate(ordered, f"{s}/{kind.plural}/index.md"):
                    if self.kept(path, shape, [(kind.plural, e.id) for e in paged.items]):
                        continue
                    self.page(
                        path,
                        self.template(kind.listing_template, "_listing.md.j2"),
                        kind.plural,
                        _(kind.title),
                        number=paged.number,
                        paged=paged,
                        listed=kind,
                    )
            if not kind.pages:
                continue
            for item in items:
                if only is not None and (kind.plural, item.id) not in only:
                    continue
                path = entry_path(kind.plural, s, item.id)
                self.page(
                    path,
                    self.template(kind.template, "_entry.md.j2"),
                    kind.plural,
                    getattr(item, kind.label),
                    entry=item,
                    depends=functools.partial(reads_of, ix, kind, item),
                    it=item,
                    listed=kind,
                    **self.pictures_for(kind.plural, item, path),
                )
        shape = tuple((BY_MODEL[type(x)].plural, x.id) for _when, x in ix.timeline)
        for path, paged in paginate(ix.timeline, views["timeline"]) if self.shows("timeline") else ():
            if self.kept(path, shape, [(BY_MODEL[type(x)].plural, x.id) for _when, x in paged.items]):
                continue
            self.page(
                path,
                "timeline.md.j2",
                "timeline",
                _(VIEW_LABELS["timeline"]),
                number=paged.number,
                paged=paged,
                # so is this page's table
                timeline_pic=pictures.timeline_svg(self.on_timeline(paged.items), self.urls_from(path)),
            )
        return self.pages


def date_range(items: Iterable[Any]) -> tuple[str, str] | None:
    """The first day and the last of entries with a `start_date` and maybe an `end_date`: the
    earliest start, and the latest end (an entry's start when it has no end). A partial date stands
    for the whole month or year: it starts before any day in it and ends after any."""
    starts, ends = [], []
    for x in items:
        starts.append(x.start_date)
        ends.append(x.end_date or x.start_date)
    if not starts:
        return None
    return min(starts, key=lambda d: _day(d, 0)), max(ends, key=lambda d: _day(d, 99))


def _day(date: str, unknown: int) -> tuple[int, int, int]:
    year, month, day = partial_date_parts(date)
    return year, unknown if month is None else month, unknown if day is None else day


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


__all__ = ["Renderer"]
