"""The small pieces every page repeats: front matter, links, dates, stances, sources, quotes.

They are plain functions, not template macros: a page uses them about eighty times, and a macro
call costs ten times as much. The templates use them as filters (`mt|link`, `p|when`), which
Jinja calls directly (a function call goes through `Context.call`, which checks the callable
every time). `_macros.md.j2` hands them on as functions too (`m.front`, `m.link('meeting', mt)`…),
for site templates. Those that link read the page's own variables (`slug`, `page_dir`, `ix`)
from `ctx.parent`, the values the page is rendered with.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context

from .escape import attr, md, page_title
from .i18n import _, current, is_rtl
from .kinds import BY_MODEL, BY_NAME, BY_PLURAL, Kind
from .links import entry_path, relpath
from .words import STANCE_LABELS, format_date

# What PyYAML refuses, or reads as a line break, in front matter. One such character in a title
# made MkDocs drop the front matter and show it, unescaped, as the page's text.
_YAML_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def front_str(value: object) -> str:
    """A JSON string that YAML front matter reads back as exactly `value`."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


@pass_context
def rel(ctx: Any, target: str) -> str:
    """Relative link from the page being rendered to `target` (a page path, maybe with #anchor)."""
    path, _hash, anchor = target.partition("#")
    out = relpath(path, ctx.parent["page_dir"])
    return f"{out}#{anchor}" if anchor else out


@pass_context
def href(ctx: Any, kind: str, id_: str) -> str:
    """The link to an entry: its page, or its place on its owner's page (a quote, a position).
    In the book, its place in the book when the book shows it there already."""
    slug, k = ctx.parent["slug"], _kind(kind)
    book = ctx.parent.get("book")
    if book is not None and (f"{k.name}-{id_}" in book.anchored or id_ in book.shown.get(k.plural, ())):
        return f"#{k.name}-{id_}"
    if k.anchored:
        folder, owner_field, prefix = k.anchored
        owner = getattr(ctx.parent["ix"].entries[k.plural][id_], owner_field)
        return rel(ctx, f"{slug}/{folder}/{owner}.md#{prefix}-{id_}")
    return rel(ctx, entry_path(k.plural, slug, id_))


def _kind(kind: str) -> Kind:
    """'meeting' or 'meetings' -> the kind."""
    return BY_NAME.get(kind) or BY_PLURAL[kind]


def front(title: str, boost: int | None = None, search_exclude: bool = False) -> str:
    """A page's front matter. Themes put the title into HTML as it is (Material's header, nav,
    <title>): so it is escaped."""
    if boost:
        search = f"search:\n  boost: {boost}\n"
    else:
        search = "search:\n  exclude: true\n" if search_exclude else ""
    return f"---\ntitle: {front_str(page_title(title))}\n{search}---"


CAPTION, ROW_HEADERS = "bp-caption", "bp-row-headers"  # the classes `captions.py` looks for
CAPTIONS = "generator.captions"  # that extension, as a site's `markdown_extensions` names it


def caption(text: str, row_headers: bool = False) -> str:
    """A table's caption, written as the paragraph just before it: Markdown's tables have none, and
    `captions.py` moves it into the table (with `row_headers`, its first column becomes the rows'
    headers). `text` is Markdown: our words, and any value in it already through `md`."""
    classes = f"{CAPTION} {ROW_HEADERS}" if row_headers else CAPTION
    return f'<p class="{classes}" markdown>{text}</p>'


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
    if not how:
        return ""
    title = _("How the date was inferred")
    return f'!!! note "{title}"\n    {md(how)}\n\n'


@pass_context
def quote(ctx: Any, q: Any) -> str:
    """A quote as a block: the words, then who said them, when, where and the source."""
    if q.meeting:
        at = " · " + _("at {meeting}").format(meeting=link_to(ctx, ctx.parent["ix"].meetings[q.meeting]))
    else:
        at = f" · {md(q.occasion)}" if q.occasion else ""
    cited = f" · {source(ctx, q.source)}" if q.source else ""
    return (
        f'<div class="bp-quote"{anchor(ctx, "quote", q.id)} markdown>\n\n> {md(q.text)}\n\n'
        f'<p class="bp-quote-meta" markdown>{actor(ctx, q.speaker)} · {when(q)}{at}{cited}</p>\n\n'
        "</div>\n\n"
    )


# By label, entry (kind, briefing, id) and the linking page's folder: the target's path is made
# only on a miss (making it for every link cost as much as the rest of the link).
@functools.lru_cache(maxsize=1 << 17)
def _md_link(label: str, folder: str, slug: str, id_: str, here: str) -> str:
    return f"[{md(label)}]({relpath(entry_path(folder, slug, id_), here)})"


@pass_context
def link(ctx: Any, kind: str, obj: Any, label: object = None) -> str:
    """A Markdown link to an entity's page, labelled with its name (or `label`)."""
    k = _kind(kind)
    if k.anchored:
        return f"[{md(label or getattr(obj, k.label))}]({href(ctx, kind, obj.id)})"
    return _page_link(ctx, k.plural, obj.id, label or getattr(obj, k.label))


def _page_link(ctx: Any, folder: str, id_: str, label: Any) -> str:
    page = ctx.parent
    book = page.get("book")
    if book is not None and id_ in book.shown.get(folder, ()):
        return f"[{md(label)}](#{BY_PLURAL[folder].name}-{id_})"
    return _md_link(label, folder, page["slug"], id_, page["page_dir"])


@pass_context
def anchor(ctx: Any, kind: str, id_: str) -> str:
    """` id="quote-…"`, for an entry shown inside another's page. In the book, where it may be shown
    twice (a quote at its meeting and with its speaker), only the first time."""
    book, name = ctx.parent.get("book"), f"{kind}-{id_}"
    if book is not None:
        if name in book.anchored:
            return ""
        book.add(name)
    return f' id="{name}"'


@pass_context
def link_to(ctx: Any, obj: Any, label: object = None) -> str:
    """`obj|link`: the same link, the kind taken from the entry itself."""
    kind = BY_MODEL[type(obj)]
    if kind.anchored:
        return link(ctx, kind.name, obj, label)
    return _page_link(ctx, kind.plural, obj.id, label or getattr(obj, kind.label))


@pass_context
def actor(ctx: Any, id_: str) -> str:
    return _page_link(ctx, "actors", id_, ctx.parent["ix"].actors[id_].name)


@pass_context
def source(ctx: Any, id_: str) -> str:
    return _page_link(ctx, "sources", id_, ctx.parent["ix"].sources[id_].title)


@pass_context
def sources(ctx: Any, ids: Sequence[str]) -> str:
    return ", ".join([source(ctx, s) for s in ids])


@pass_context
def sourced(ctx: Any, ids: Sequence[str]) -> str:
    if not ids:
        return '<span class="bp-sources bp-unsourced">' + _("No source given") + "</span>"
    listed = _("Sources: {sources}").format(sources=sources(ctx, ids))
    return f'<span class="bp-sources">{listed}</span>'


def stance(value: str) -> str:
    return _stance(value, current())


@functools.lru_cache(maxsize=64)
def _stance(value: str, language: str) -> str:
    return f'<span class="bp-stance bp-stance-{value}">{STANCE_LABELS[value]}</span>'


def _inferred(obj: Any) -> str:
    how = getattr(obj, "date_inferred", None)
    if not how:
        return ""
    mark = _("(inferred)")
    return f' <span class="bp-inferred" title="{attr(how)}">{mark}</span>'


def when(obj: Any, field: str = "date") -> str:
    """A date as people read it, marked when it was inferred."""
    return format_date(getattr(obj, field)) + _inferred(obj)


def span(obj: Any) -> str:
    """The first and last day, with an en dash between, marked when inferred (an entry with one
    `date`: that day)."""
    if not hasattr(obj, "start_date"):
        return when(obj)
    start, end = obj.start_date, obj.end_date
    shown = format_date(start) + (f" \u2013 {format_date(end)}" if end and end != start else "")
    return shown + _inferred(obj)


def timeline_label(obj: Any) -> str:
    """What the timeline says an entry is."""
    kind = BY_MODEL[type(obj)]
    return kind.timeline_label(obj) if kind.timeline_label else kind.as_word()


@pass_context
def entry_line(ctx: Any, x: Any) -> str:
    """An entry as a list item: its link, its date when it has one, its summary when it has one."""
    date = f" ({when(x)})" if getattr(x, "date", None) else ""
    summary = f": {md(x.summary)}" if getattr(x, "summary", None) else ""
    return f"- {link_to(ctx, x)}{date}{summary}"


@pass_context
def related(ctx: Any, obj: Any) -> list[tuple[Kind, list[Any]]]:
    """The entries of `related` kinds naming `obj`, by kind: for its page's own sections."""
    found = ctx.parent["ix"].related_to.get((BY_MODEL[type(obj)].plural, obj.id), {})
    return [(BY_PLURAL[plural], entries) for plural, entries in found.items()]


def kind_name(obj: Any) -> str:
    """An entry's kind, singular: 'meeting'."""
    return BY_MODEL[type(obj)].name


def label(obj: Any) -> str:
    """What links to an entry show: its name, title, label or question."""
    return str(getattr(obj, BY_MODEL[type(obj)].label))


@pass_context
def upto(ctx: Any, items: Sequence[Any]) -> Sequence[Any]:
    """A list as a page shows it: whole on an entry's page; in the book, the first `cap` entries,
    noting that the entry being written lost some."""
    book = ctx.parent.get("book")
    if book is None or len(items) <= book.cap:
        return items
    book.capped = True
    return items[: book.cap]


# These two take the context only so that Jinja never works them out while compiling a template
# (it does for a filter of constants): the titles they give are in the language being written.
@pass_context
def and_other_kinds(ctx: Any, listed: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(plural, label) pairs a template lists by hand, then every other kind's, with its title: so
    a kind added to the registry is never left out."""
    return [*listed, *_left_out(listed, lambda k: True)]


@pass_context
def others_only(ctx: Any, listed: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The kinds with an index page these (plural, label) pairs leave out, as (plural, title)."""
    return _left_out(listed, lambda k: k.listing)


def _left_out(listed: Sequence[tuple[str, str]], wanted: Callable[[Kind], bool]) -> list[tuple[str, str]]:
    named = {plural for plural, _label in listed}
    return [(k.plural, _(k.title)) for k in BY_PLURAL.values() if wanted(k) and k.plural not in named]


@pass_context
def entries(ctx: Any, ids: Sequence[str], plural: str) -> list[Any]:
    """`acc.quotes|entries('quotes')`: the entries these ids name."""
    table = ctx.parent["ix"].entries[plural]
    return [table[i] for i in ids]


@pass_context
def unshown(ctx: Any, quotes: Sequence[Any]) -> Sequence[Any]:
    """Quotes not yet in the book (each is quoted once there, where it first comes); on a page, all."""
    book = ctx.parent.get("book")
    if book is None:
        return quotes
    return [q for q in quotes if f"quote-{q.id}" not in book.anchored]


def was_capped(book: Book) -> bool:
    """Whether the entry just written lost some of a list (and start afresh for the next)."""
    capped, book.capped = book.capped, False
    return capped


@dataclass
class Book:
    """What the briefing book shows, for its links: the entries it has a section for (by kind's
    plural), the anchors written so far, and whether the entry being written lost some of a list."""

    shown: dict[str, set[str]]
    cap: int
    anchored: set[str] = field(default_factory=set)
    capped: bool = False
    # The anchors in the order written, and a digest of that order: two renders that reach a
    # point with the same digest have written the same anchors before it.
    written: list[str] = field(default_factory=list)
    trail: int = 0

    def add(self, *names: str) -> None:
        for name in names:
            self.anchored.add(name)
            self.written.append(name)
            self.trail = hash((self.trail, name))

    def begin(self, kind: Kind) -> str:
        """Start a chapter of `kind`: its lists are cut at the kind's `book_inner` entries."""
        self.cap = kind.book_inner
        return ""


# The print style `print_margins` writes; the plugin moves it into <head>, where HTML wants it.
PRINT_STYLE = r"<style>@media print \{.*?\}</style>"
_PRINT_STYLE = re.compile(PRINT_STYLE, re.S)


def style_to_head(html: str) -> str:
    """`html` with its page's print style moved from the content to the end of <head>."""
    found = _PRINT_STYLE.search(html)
    head = html.find("</head>")
    if found is None or head < 0 or found.start() < head:
        return html
    return html[:head] + found.group() + html[head : found.start()] + html[found.end() :]


def print_margins(head: str) -> str:
    """The printed sheet's margin boxes in the page's language: the running head (`head`, already
    a CSS string's text), and the page numbers where the language words them otherwise than
    print.css does ("Page 3 of 19"); a right-to-left language has them on the other sides."""
    words = _("Page {page} of {pages}")
    rtl = is_rtl(current())
    boxes = [f'@top-{"right" if rtl else "left"} {{ content: "{head}"; }}']
    if rtl:
        boxes.append("@top-left { content: none; }")
    if words != "Page {page} of {pages}" or rtl:
        parts = re.split(r"(\{page\}|\{pages\})", words)
        counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
        content = " ".join(counters.get(x) or f'"{_css_text(x)}"' for x in parts if x)
        boxes.append(f"@bottom-{'left' if rtl else 'right'} {{ content: {content}; }}")
        if rtl:
            boxes.append("@bottom-right { content: none; }")
    return f"<style>@media print {{ @page {{ {' '.join(boxes)} }} }}</style>"


def _css_text(text: str) -> str:
    """Words inside a CSS string, their spaces kept (`css_string` trims a running head's)."""
    return "".join(f"\\{ord(c):x} " if c in '\\"<{}' else c for c in text)
