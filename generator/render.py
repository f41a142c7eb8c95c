"""Model to Markdown pages through Jinja templates: {page path: Markdown}.

Nothing here knows about MkDocs; the same pages feed the plugin and `briefing render --out`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.bccache import Bucket

from . import pictures
from .errors import Report
from .escape import attr, css_string, md, page_title, web_url
from .index import Index, build_index
from .kinds import BY_MODEL, BY_NAME, BY_PLURAL, KINDS
from .model import BriefingData, Meeting
from .validate import find_briefings, load_and_validate, no_cyclic_gc

PAGE_SIZE = 100  # entries per index page, so no page grows with the briefing
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
STANCE_LABELS = {
    "favor": "For",
    "against": "Against",
    "mixed": "Mixed",
    "neutral": "Neutral",
    "unclear": "Unclear",
}
PARTICIPATION_LABELS = {
    "in-person": "in person",
    "video-link": "by video link",
    "phone": "by phone",
    "delegate": "through a delegate",
    "observer": "as observer",
}
# What PyYAML refuses, or reads as a line break, in front matter. One such character in a title
# made MkDocs drop the front matter and show it, unescaped, as the page's text.
_YAML_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def front_str(value: object) -> str:
    """A JSON string that YAML front matter reads back as exactly `value`."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


@functools.lru_cache(maxsize=4096)  # a briefing's dates recur on page after page
def format_date(value: str | None) -> str:
    if not value:
        return "undated"
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def slug_path(kind: str, slug: str, id_: str) -> str:
    return f"{slug}/{kind}/{id_}.md"


def _page_url(path: str) -> str:
    """'a/b.md' is served at 'a/b/', 'a/index.md' at 'a/' (MkDocs' directory URLs)."""
    stem = path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("/index") or stem == "index" else stem + "/"


def page_url_from(here: str, target: str) -> str:
    rel = _relpath(_page_url(target).rstrip("/") or ".", _page_url(here).rstrip("/") or ".")
    return "./" if rel == "." else rel + "/"


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


PACKAGED = Path(__file__).parent / "templates"


def make_env(templates_dir: Path | None = None) -> Environment:
    """An environment kept while the templates are unchanged, so `mkdocs serve` rebuilds without
    recompiling them. A template added, removed or edited, the site's or ours, gives a new one.
    (Jinja's own reload check would miss an added override, and costs two system calls a page.)"""
    return _env(templates_dir, _signature(templates_dir) + _signature(PACKAGED))


def _signature(folder: Path | None) -> tuple[tuple[str, int], ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))


class _TemplateCache(FileSystemBytecodeCache):
    """Our own templates only: a site's few overrides compile in no time, and keeping them would
    leave a file behind for every project folder they were ever in. A cache that cannot be
    written to (a full disk, a folder cleaned away) costs a compile, never the build."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern=pattern)
        self.elsewhere: set[str] = set()  # keys of templates that are not ours

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = super().get_cache_key(name, filename)
        if filename is None or not Path(filename).resolve().is_relative_to(PACKAGED.resolve()):
            self.elsewhere.add(key)
        return key

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self.elsewhere:
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self.elsewhere:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)


def _bytecode_cache() -> BytecodeCache | None:
    """Jinja's cache of compiled templates, in the system's temporary folder (keyed by each
    template's path, checked against its text): a build after the first skips compiling them.
    What a template compiles to also depends on the environment and filters set up here, so the
    cache's file names carry a digest of this module too."""
    tag = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    try:
        return _TemplateCache(pattern=f"__briefing_{tag}_%s.cache")
    except (OSError, RuntimeError):  # no private folder to be had there: compile every time
        return None


@functools.lru_cache(maxsize=4)
def _env(templates_dir: Path | None, signature: tuple[tuple[str, int], ...]) -> Environment:
    loaders: list[Any] = []
    if templates_dir is not None:
        loaders.append(FileSystemLoader(templates_dir))
    loaders.append(PackageLoader("generator", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # make_env's signature does it
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        md=md,
        attr=attr,
        web_url=web_url,
        css=css_string,
        date=format_date,
        tojson=front_str,
        link=link_to,
        grouped=grouped,
        **{f.__name__: f for f in (actor, source, sources, sourced, stance, when, span)},
    )
    env.globals.update(
        stance_labels=STANCE_LABELS,
        participation_labels=PARTICIPATION_LABELS,
        href=_href,
        rel=_rel,
        **{
            f.__name__: f
            for f in (front, quote, date_note, link, actor, source, sources, sourced, stance, when, span)
        },
    )
    return env


@functools.lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for the generator's own page paths (relative, no `.` or `..` parts),
    without its two calls to `os.getcwd()`."""
    to, frm = ([] if p == "." else p.split("/") for p in (path, start))
    n = 0
    for a, b in zip(to, frm, strict=False):
        if a != b:
            break
        n += 1
    return "/".join([".."] * (len(frm) - n) + to[n:]) or "."


@pass_context
def _rel(ctx: Any, target: str) -> str:
    """Relative link from the page being rendered to `target` (a page path, maybe with #anchor)."""
    path, _, anchor = target.partition("#")
    out = _relpath(path, ctx.parent["page_dir"])
    return f"{out}#{anchor}" if anchor else out


@pass_context
def _href(ctx: Any, kind: str, id_: str) -> str:
    slug, k = ctx.parent["slug"], _kind(kind)
    if k.anchored:
        folder, owner_field, prefix = k.anchored
        ix: Index = ctx.parent["ix"]
        owner = getattr(ix.entries[k.plural][id_], owner_field)
        return _rel(ctx, f"{slug}/{folder}/{owner}.md#{prefix}-{id_}")
    return _rel(ctx, slug_path(k.plural, slug, id_))


def _kind(kind: str) -> Any:
    """'meeting' or 'meetings' -> the kind."""
    return BY_NAME.get(kind) or BY_PLURAL[kind]


# The small pieces every page repeats (front matter, links, dates, stances, sources) are plain
# functions, not template macros: a page uses them about eighty times, and a macro call costs ten
# times as much. The templates use them as filters (`mt|link`, `p|when`), which Jinja calls
# directly (a function call goes through `Context.call`, which checks the callable every time).
# `_macros.md.j2` hands them on as functions too (`m.front`, `m.link('meeting', mt)`…), for site
# templates. Those that link read the page's own variables (`slug`, `page_dir`, `ix`)
# from `ctx.parent`, the values the page is rendered with.


def front(title: str, boost: int | None = None, search_exclude: bool = False) -> str:
    """A page's front matter. Themes put the title into HTML as it is (Material's header, nav,
    <title>): so it is escaped."""
    if boost:
        search = f"search:\n  boost: {boost}\n"
    else:
        search = "search:\n  exclude: true\n" if search_exclude else ""
    return f"---\ntitle: {front_str(page_title(title))}\n{search}---"


def grouped(items: Sequence[Any], attribute: str) -> list[tuple[Any, list[Any]]]:
    """`items|grouped('issue')`: Jinja's `groupby` for ids, at a fraction of its cost: the groups
    in order of their key, each keeping its entries' order."""
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return sorted(groups.items(), key=lambda kv: kv[0])


def date_note(obj: Any) -> str:
    """How an entry's date was inferred, as a note; nothing when it was given."""
    how = getattr(obj, "date_inferred", None)
    return f'!!! note "How the date was inferred"\n    {md(how)}\n\n' if how else ""


@pass_context
def quote(ctx: Any, q: Any) -> str:
    """A quote as a block: the words, then who said them, when, where and the source."""
    if q.meeting:
        at = f" · at {link_to(ctx, ctx.parent['ix'].meetings[q.meeting])}"
    else:
        at = f" · {md(q.occasion)}" if q.occasion else ""
    cited = f" · {source(ctx, q.source)}" if q.source else ""
    return (
        f'<div class="bp-quote" id="quote-{q.id}" markdown>\n\n> {md(q.text)}\n\n'
        f'<p class="bp-quote-meta" markdown>{actor(ctx, q.speaker)} · {when(q)}{at}{cited}</p>\n\n'
        "</div>\n\n"
    )


@functools.lru_cache(maxsize=1 << 17)
def _md_link(label: str, target: str, here: str) -> str:
    return f"[{md(label)}]({_relpath(target, here)})"


@pass_context
def link(ctx: Any, kind: str, obj: Any, label: object = None) -> str:
    """A Markdown link to an entity's page, labelled with its name (or `label`)."""
    k = _kind(kind)
    if k.anchored:
        return f"[{md(label or getattr(obj, k.label))}]({_href(ctx, kind, obj.id)})"
    return _page_link(ctx, k.plural, obj.id, label or getattr(obj, k.label))


def _page_link(ctx: Any, folder: str, id_: str, label: Any) -> str:
    page = ctx.parent
    return _md_link(label, slug_path(folder, page["slug"], id_), page["page_dir"])


@pass_context
def link_to(ctx: Any, obj: Any, label: object = None) -> str:
    """`obj|link`: the same link, the kind taken from the entry itself."""
    return link(ctx, BY_MODEL[type(obj)].name, obj, label)


@pass_context
def actor(ctx: Any, id_: str) -> str:
    return _page_link(ctx, "actors", id_, ctx.parent["ix"].actors[id_].name)


@pass_context
def source(ctx: Any, id_: str) -> str:
    return _page_link(ctx, "sources", id_, ctx.parent["ix"].sources[id_].title)


@pass_context
def sources(ctx: Any, ids: Sequence[str]) -> str:
    return ", ".join(source(ctx, s) for s in ids)


@pass_context
def sourced(ctx: Any, ids: Sequence[str]) -> str:
    if not ids:
        return '<span class="bp-sources bp-unsourced">No source given</span>'
    return f'<span class="bp-sources">Sources: {sources(ctx, ids)}</span>'


def stance(value: str) -> str:
    return f'<span class="bp-stance bp-stance-{value}">{STANCE_LABELS[value]}</span>'


def _inferred(obj: Any) -> str:
    how = getattr(obj, "date_inferred", None)
    return f' <span class="bp-inferred" title="{attr(how)}">(inferred)</span>' if how else ""


def when(obj: Any, field: str = "date") -> str:
    """A date as people read it, marked when it was inferred."""
    return format_date(getattr(obj, field)) + _inferred(obj)


def span(obj: Any) -> str:
    """The first and last day, with an en dash between, marked when inferred."""
    start, end = obj.start_date, obj.end_date
    shown = format_date(start) + (f" \u2013 {format_date(end)}" if end and end != start else "")
    return shown + _inferred(obj)


@dataclass(frozen=True)
class MatrixBlock:
    actors: Sequence[Any]
    issues: Sequence[Any]


MATRIX_ROWS, MATRIX_COLS = 50, 10
MATRIX_MAX_ACTORS, MATRIX_MAX_ISSUES = 100, 20
OVERVIEW_TIMELINE, OVERVIEW_MEETINGS, OVERVIEW_ACTORS = 40, 16, 14


class Renderer:
    """Renders every page of one briefing."""

    def __init__(self, env: Environment, data: BriefingData) -> None:
        self.env = env
        self.data = data
        self.ix = build_index(data)
        self.slug = data.slug
        self.pages: dict[str, str] = {}
        self.base = {"b": data.briefing, "data": data, "ix": self.ix, "slug": self.slug}
        macros: Any = env.get_template("_macros.md.j2").make_module(self.base)
        self.running_head = str(macros.running_head())

    def page(self, path: str, template: str, **ctx: Any) -> None:
        text = self.env.get_template(template).render(
            **self.base, page_path=path, page_dir=posixpath.dirname(path) or ".", **ctx
        )
        self.pages[path] = f"{text.rstrip()}\n\n{self.running_head}\n"

    def urls_from(self, path: str) -> Callable[[str, str], str]:
        """Links inside a picture's SVG: raw HTML, so the final directory-style URLs."""

        up, here = page_url_from(path, f"{self.slug}/index.md"), _page_url(path)  # up: "../../"
        up = "" if up == "./" else up

        def url(kind: str, id_: str) -> str:
            return "./" if here == f"{self.slug}/{kind}s/{id_}/" else f"{up}{kind}s/{id_}/"

        return url

    def picture(
        self, draw: Callable[..., pictures.Picture], data: BriefingData, path: str, **kw: Any
    ) -> pictures.Picture:
        """Links in the SVG are raw HTML, so final URLs; the text version links to pages (.md)."""

        url = self.urls_from(path)

        def page(kind: str, id_: str) -> str:
            return _relpath(slug_path(kind + "s", self.slug, id_), posixpath.dirname(path) or ".")

        drawn, text = draw(data, url, **kw), draw(data, page, **kw)
        return pictures.Picture(svg=drawn.svg, text=text.text, title=drawn.title)

    def subset(self, **update: Any) -> BriefingData:
        """The briefing with some collections cut down, so a picture stays a readable size."""
        return self.data.model_copy(update=update)

    def overview_pictures(self, path: str) -> dict[str, pictures.Picture]:
        ix, recent = self.ix, self.ix.timeline[-OVERVIEW_TIMELINE:]
        meetings = ix.meetings_by_date[-OVERVIEW_MEETINGS:]
        return {
            "timeline_pic": self.picture(
                pictures.timeline_svg,
                self.subset(
                    meetings=[x for _, x in recent if isinstance(x, Meeting)],
                    events=[x for _, x in recent if not isinstance(x, Meeting)],
                ),
                path,
            ),
            "attendance_pic": self.picture(pictures.attendance_svg, self.subset(meetings=meetings), path),
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
        for n, (path, block) in enumerate(zip(paths, blocks, strict=True), 1):
            ids = {a.id for a in block.actors}, {i.id for i in block.issues}
            part = self.subset(
                actors=list(block.actors),
                issues=list(block.issues),
                positions=[p for p in self.data.positions if p.actor in ids[0] and p.issue in ids[1]],
            )
            self.page(
                path,
                "positions.md.j2",
                paged=Paged(block, n, paths),
                as_of=None,
                shown=(len(actors), len(issues)),
                matrix_pic=pictures.matrix_svg(part, self.urls_from(path)),  # the table below is its text
            )

    def actor_attendance(self, actor: Any, path: str) -> pictures.Picture | None:
        ix = self.ix
        meetings = [m for m, _ in ix.attended[actor.id]] + [m for m, _ in ix.absent[actor.id]]
        if not meetings:
            return None
        # Only what this one row needs, with the names of those who stood in for the actor; the
        # meetings tables under it on the page are its text version.
        vias = sorted({att.via for _, att in ix.attended[actor.id] if att.via} - {actor.id})
        part = self.subset(
            meetings=meetings, actors=[actor, *(ix.actors[v] for v in vias)], events=[], issues=[]
        )
        return pictures.attendance_svg(part, self.urls_from(path), actor.id, with_text=False)

    def pictures_for(self, plural: str, item: Any, path: str) -> dict[str, Any]:
        """An entry page's pictures, by kind."""
        return {"attendance_pic": self.actor_attendance(item, path)} if plural == "actors" else {}

    def render(self) -> dict[str, str]:
        s, ix, d = self.slug, self.ix, self.data
        self.page(f"{s}/index.md", "overview.md.j2", **self.overview_pictures(f"{s}/index.md"))
        self.page(f"{s}/book.md", "book.md.j2")
        self.matrix_pages()
        for kind in KINDS:
            items = getattr(d, kind.plural)
            if kind.listing:
                ordered = sorted(items, key=kind.listing_order) if kind.listing_order else kind.sort(items)
                for path, paged in paginate(ordered, f"{s}/{kind.plural}/index.md"):
                    self.page(path, kind.listing_template, paged=paged)
            if not kind.pages:
                continue
            for item in items:
                path = slug_path(kind.plural, s, item.id)
                self.page(path, kind.template, it=item, **self.pictures_for(kind.plural, item, path))
        for path, paged in paginate(ix.timeline, f"{s}/timeline/index.md"):
            part = self.subset(
                meetings=[x for _, x in paged.items if isinstance(x, Meeting)],
                events=[x for _, x in paged.items if not isinstance(x, Meeting)],
            )
            self.page(
                path,
                "timeline.md.j2",
                paged=paged,
                timeline_pic=pictures.timeline_svg(part, self.urls_from(path)),  # so is this page's table
            )
        return self.pages


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def render_site(briefings: list[BriefingData], templates_dir: Path | None = None) -> dict[str, str]:
    env = make_env(templates_dir)
    pages: dict[str, str] = {}
    for data in briefings:
        pages.update(Renderer(env, data).render())
    pages["index.md"] = env.get_template("home.md.j2").render(
        briefings=briefings, page_path="index.md", page_dir=".", slug=""
    )
    return dict(sorted(pages.items()))


def build_pages(
    briefings_dir: Path, templates_dir: Path | None, report: Report, root: Path | None = None
) -> dict[str, str] | None:
    """Load, validate and render every briefing; None when any has errors (all reported)."""
    if not briefings_dir.is_dir():
        report.error(str(briefings_dir), 1, 1, "briefings folder not found", "briefings-missing")
        return None
    with no_cyclic_gc():  # rendering, too, only adds objects that live until the build ends
        results = [load_and_validate(folder, report, root) for folder in find_briefings(briefings_dir)]
        if report.errors:
            return None
        datas = [r.data for r in results if r.data is not None]
        return _render(datas, templates_dir, report, root)


def _render(
    datas: list[BriefingData], templates_dir: Path | None, report: Report, root: Path | None
) -> dict[str, str] | None:
    try:
        return render_site(datas, templates_dir)
    except TemplateSyntaxError as e:
        name = _shown(e.filename or e.name or "template", root)
        report.error(name, e.lineno, 1, f"template syntax: {e.message}", "template")
    except TemplateNotFound as e:
        line, name = _template_line(e, root)
        report.error(name, line, 1, f"template not found: {e.name}", "template")
    except Exception as e:
        line, name = _template_line(e, root)
        if name == "template":  # not raised from a template: a bug of ours, not the site's
            raise
        message = e.message if isinstance(e, TemplateError) and e.message else f"{type(e).__name__}: {e}"
        report.error(name, line, 1, f"template: {message}", "template")
    return None


def _shown(filename: str, root: Path | None) -> str:
    """A template's path as a user knows it: relative to the project when it is inside."""
    path = Path(filename)
    if root is not None and path.is_absolute() and path.is_relative_to(root.resolve()):
        return path.relative_to(root.resolve()).as_posix()
    return filename


def _template_line(exc: BaseException, root: Path | None) -> tuple[int, str]:
    """The innermost template frame of a rendering error: where a site's template went wrong."""
    tb, found = exc.__traceback__, (1, "template")
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (tb.tb_lineno, _shown(filename, root))
        tb = tb.tb_next
    return found


__all__ = ["build_pages", "format_date", "md", "render_site"]
