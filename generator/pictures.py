"""Pictures drawn at build time as inline SVG: the timeline, the positions matrix, attendance.

Each function returns a `Picture`: one line of SVG markup (no script, nothing fetched, sized
by its viewBox), a Markdown text equivalent to sit next to it, and a plain-text title.

Everything here is pure and deterministic: the same briefing gives the same bytes, whatever
order its lists come in. Names are untrusted text: in the SVG every piece goes through
`escape.inert`, which also turns Markdown and template syntax (`*`, `_`, `[`, `{{`) into character
references, because Python-Markdown does not treat `<svg>` as a block-level element and so would
otherwise apply emphasis and links to the text inside the picture; the text versions, Markdown,
use `escape.md`.

Colours come from CSS classes (`pictures_css()`), with light-mode colours repeated as
presentation attributes so that a picture is still legible where the stylesheet is missing.
Meaning never rests on colour alone: stances carry their word or letter, attendance uses
shapes, approximate dates are dashed.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import heapq
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, cast, get_args

from generator.escape import DROPPED, inert, md
from generator.model import DATE_RE, BriefingData, EventKind, Participation, Position, Stance

Href = Callable[[str, str], str]
"""`href(kind, id)` -> relative URL of that entity's page; kind is meeting, event, actor or issue."""


@dataclass(frozen=True)
class Picture:
    svg: str
    """`<svg>…</svg>` on one line, no XML declaration; embed it inside a block-level element
    such as `<figure>` so that Markdown leaves it alone."""
    text: str
    """Markdown text equivalent (a list or a table), names escaped."""
    title: str
    """Plain, unescaped title: escape it wherever it is written."""

    def as_markdown(self) -> str:
        """The picture in a `<figure>` followed by its text equivalent, ready for a page."""
        return f'<figure class="bp-figure">{self.svg}</figure>\n\n{self.text}\n'


# --- text --------------------------------------------------------------------------------


def _clean(value: str) -> str:
    """Collapse whitespace and drop control characters and surrogates, which XML 1.0 forbids.
    Format characters (joiners, direction marks) stay: scripts and names need them."""
    return " ".join(value.translate(DROPPED).split())


@functools.lru_cache(maxsize=1 << 16)  # a page's link recurs in every picture that shows it
def _attr_url(url: str) -> str:
    """A URL in a double-quoted attribute: XML-escape only, so the href reads as given."""
    return _clean(url).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _md_url(url: str) -> str:
    """A URL as a Markdown link destination: percent-encode what would end or break it."""
    out = _clean(url)
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        out = out.replace(ch, code)
    return out


def _md_link(label: str, url: str) -> str:
    return f"[{md(label)}]({_md_url(url)})"


@functools.cache  # one entry per distinct character
def _char_width(ch: str) -> float:
    """Advance width of one character in ems, erring wide so estimates don't collide."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch in "MWmw@%…":
        return 0.9
    if ch in "il.,:;'|!()[] ":
        return 0.32
    if ch.isupper():
        return 0.7
    return 0.58


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width of `text` at `font_size` (px), from its characters."""
    return _em_width(text) * font_size


@functools.lru_cache(maxsize=16384)
def _em_width(text: str) -> float:
    # The same names are measured on many pages of a briefing.
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=1 << 16)  # the same names and dates recur across pictures
def truncate(text: str, max_width: float, font_size: float) -> str:
    """`text`, shortened with an ellipsis if its estimated width exceeds `max_width`."""
    text = _clean(text)
    if text_width(text, font_size) <= max_width:
        return text
    limit = max_width - text_width("…", font_size)
    width = 0.0
    for i, ch in enumerate(text):
        width += _char_width(ch) * font_size
        if width > limit:
            return text[:i].rstrip() + "…"
    return text  # pragma: no cover - unreachable: the whole text was too wide


def _wrap(text: str, max_width: float, font_size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines, the last one truncated."""
    words = _clean(text).split(" ")
    lines: list[str] = []
    current = ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font_size) <= max_width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    lines.append(current)
    return [truncate(line, max_width, font_size) for line in lines]


# --- dates -------------------------------------------------------------------------------

Precision = Literal["day", "month", "year"]
_DASH = "\u2013"
_EM = "\u2014"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class DateSpan:
    """The days a partial date names: `start` inclusive, `end` exclusive."""

    start: date
    end: date
    precision: Precision


@functools.lru_cache(maxsize=4096)  # a briefing's dates recur in picture after picture
def date_span(value: str) -> DateSpan:
    """`2016` is the year, `2016-10` the month, `2016-10-08` the day."""
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    if month is None:
        return DateSpan(date(year, 1, 1), date(year + 1, 1, 1), "year")
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return DateSpan(date(year, month, 1), date(year, month, last) + timedelta(days=1), "month")
    start = date(year, month, day)
    return DateSpan(start, start + timedelta(days=1), "day")


@functools.lru_cache(maxsize=1 << 16)  # the same names and dates recur across pictures
def _date_key(value: str) -> tuple[int, int, str]:
    """Sort partial dates by the start of what they name; the coarser first on a tie."""
    span = date_span(value)
    return (span.start.toordinal(), len(value), value)


def _human_date(value: str) -> str:
    span = date_span(value)
    d = span.start
    if span.precision == "year":
        return f"{d.year} (year only)"
    if span.precision == "month":
        return f"{_MONTHS[d.month - 1]} {d.year} (month only)"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


@functools.lru_cache(maxsize=1 << 16)  # the same names and dates recur across pictures
def _human_range(start: str, end: str | None) -> str:
    return (
        _human_date(start)
        if end is None or end == start
        else f"{_human_date(start)} {_DASH} {_human_date(end)}"
    )


# --- SVG scaffolding ---------------------------------------------------------------------

_NS = "http://www.w3.org/2000/svg"
_BOLD = 1.12  # bold text runs this much wider than `text_width` estimates for regular
_FONT = 12.0

# Light-mode colours, repeated as presentation attributes (CSS classes override them).
_STANCE_FILL: dict[str, str] = {
    "favor": "#8cc5e3",
    "against": "#f2a07b",
    "mixed": "#d4b9da",
    "neutral": "#e3e3e3",
    "unclear": "#ffffff",
    "none": "none",
}
# The words the pages use for stances (render.STANCE_LABELS), so picture and table agree.
_STANCE_WORD: dict[str, str] = {
    "favor": "For",
    "against": "Against",
    "mixed": "Mixed",
    "neutral": "Neutral",
    "unclear": "Unclear",
}
_STANCE_LETTER: dict[str, str] = {
    "favor": "F",
    "against": "A",
    "mixed": "M",
    "neutral": "N",
    "unclear": "U",
}
_STANCES = cast(tuple[str, ...], get_args(Stance))
_EVENT_KINDS = cast(tuple[str, ...], get_args(EventKind))
_PARTICIPATIONS = cast(tuple[str, ...], get_args(Participation))
_MEETING_COLOUR = "#1f5fa8"
_EVENT_COLOUR = "#b4441c"


@functools.lru_cache(maxsize=1 << 14)  # a picture's grid repeats its coordinates
def _num(value: float) -> str:
    """Coordinates with at most one decimal, so output is short and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(kind: str, title: str, desc: str, width: float, height: float, body: Iterable[str]) -> str:
    inner = "".join(body)
    # Ids only need to be unique on a page; a digest of the content is, and stays stable.
    digest = hashlib.sha256(f"{title}\0{desc}\0{inner}".encode()).hexdigest()[:10]
    ident = f"bp-{kind}-{digest}"
    w, h = _num(width), _num(height)
    return (
        f'<svg xmlns="{_NS}" class="bp-pic bp-{kind}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {w} {h}" width="100%" '
        f'style="max-width:{w}px;height:auto" fill="currentColor" font-family="sans-serif" '
        f'font-size="{_num(_FONT)}">'
        f'<title id="{ident}-title">{inert(title)}</title><desc id="{ident}-desc">{inert(desc)}</desc>'
        f"{inner}</svg>"
    )


def _link(url: str, tooltip: str, inner: str, extra: str = "") -> str:
    return f'<a href="{_attr_url(url)}"{extra}><title>{inert(tooltip)}</title>{inner}</a>'


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start", extra: str = "") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}"{anchor_attr}{extra}>{inert(text)}</text>'


def _stance_rect(
    x: float, y: float, w: float, h: float, stance: str, cls: str, tooltip: str | None = None
) -> str:
    dash = ' stroke-dasharray="3 2"' if stance in ("unclear", "none") else ""
    rect = (
        f'<rect class="{cls} bp-stance-{stance}" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
        f'height="{_num(h)}" fill="{_STANCE_FILL[stance]}" stroke="#8a8a8a" stroke-width="0.75"{dash}'
    )
    return f"{rect}/>" if tooltip is None else f"{rect}><title>{inert(tooltip)}</title></rect>"


class _Names:
    """Display names by (kind, id); an unknown id (validation reports it) shows as itself."""

    def __init__(self, data: BriefingData) -> None:
        self._names = _names(data)

    def __call__(self, kind: str, ident: str) -> str:
        return self._names.get((kind, ident), ident)

    def sort_key(self, kind: str) -> Callable[[str], tuple[str, str]]:
        return lambda ident: (_clean(self(kind, ident)).casefold(), ident)


def _names(data: BriefingData) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    names.update({("actor", a.id): a.name for a in data.actors})
    names.update({("issue", i.id): i.name for i in data.issues})
    names.update({("meeting", m.id): m.name for m in data.meetings})
    names.update({("event", e.id): e.name for e in data.events})
    return names


# --- layout ------------------------------------------------------------------------------


def pack_rows(boxes: Sequence[tuple[float, float]], gap: float = 8.0) -> list[int]:
    """Greedy interval packing: the row index for each (x0, x1) box, boxes in one row at
    least `gap` apart. Boxes are taken left to right, each into the first row with room,
    which uses the fewest rows possible for intervals."""
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i][0], boxes[i][1], i))
    rows = [0] * len(boxes)
    # Boxes come left to right, so a row with room for one has room for every later one until it
    # takes one: rows still busy by where they end, rows with room by number (the first wins).
    busy: list[tuple[float, int]] = []
    free: list[int] = []
    count = 0
    for i in order:
        x0, x1 = boxes[i]
        while busy and busy[0][0] + gap <= x0:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            r = heapq.heappop(free)
        else:
            r, count = count, count + 1
        rows[i] = r
        heapq.heappush(busy, (x1, r))
    return rows


# --- timeline ----------------------------------------------------------------------------

_LANE_TITLES = {
    "meeting": "Meetings",
    "veto": "Vetoes",
    "attack": "Attacks",
    "ceasefire": "Ceasefires",
    "offer": "Offers",
    "deployment": "Deployments",
    "report": "Reports",
    "statement": "Statements",
    "decision": "Decisions",
    "other": "Other events",
}
_TL_WIDTH = 960.0
_TL_GUTTER = 108.0
_TL_RIGHT = 12.0
_TL_AXIS = 34.0
_TL_ROW = 26.0
_TL_LANE_PAD = 8.0
# Label widths to try, widest first: a crowded lane gets shorter labels before more rows.
_TL_LABEL_WIDTHS = (230.0, 170.0, 120.0)
_TL_ROWS_WANTED = 8
_TL_RADIUS = 4.5


@dataclass(frozen=True)
class _Item:
    lane: str
    kind: Literal["meeting", "event"]
    id: str
    name: str
    start: date
    end: date
    imprecise: bool
    ranged: bool
    when: str
    start_key: tuple[int, int, str]


def _timeline_items(data: BriefingData) -> list[_Item]:
    items: list[_Item] = []
    dated: list[tuple[str, Literal["meeting", "event"], str, str, str, str | None]] = [
        ("meeting", "meeting", m.id, m.name, m.start_date, m.end_date) for m in data.meetings
    ]
    dated += [(e.kind, "event", e.id, e.name, e.start_date, e.end_date) for e in data.events]
    for lane, kind, ident, name, start, end in dated:
        first = date_span(start)
        last = date_span(end) if end else first
        stop = max(first.end, last.end)
        imprecise = first.precision != "day" or last.precision != "day"
        items.append(
            _Item(
                lane=lane,
                kind=kind,
                id=ident,
                name=name,
                start=first.start,
                end=stop,
                imprecise=imprecise,
                ranged=imprecise or (stop - first.start).days > 1,
                when=_human_range(start, end),
                start_key=_date_key(start),
            )
        )
    items.sort(key=lambda it: (it.start_key, it.end, it.kind, it.id))
    return items


def _month_add(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _domain(data: BriefingData, items: Sequence[_Item]) -> tuple[date, date]:
    """The axis: the briefing period, widened only for entries wholly outside it, so that a
    year-only date does not squeeze a four-month briefing into a corner. Without a period,
    the span of the entries."""
    period = data.briefing.period
    if period is not None:
        lo = date_span(period.start_date).start
        hi = date_span(period.end_date or data.briefing.as_of).end
        for it in items:
            if it.end <= lo or it.start >= hi:
                lo, hi = min(lo, it.start), max(hi, it.end)
    elif items:
        lo, hi = min(it.start for it in items), max(it.end for it in items)
    else:
        span = date_span(data.briefing.as_of)
        lo, hi = span.start, span.end
    lo = date(lo.year, lo.month, 1)
    hi = hi if hi.day == 1 else _month_add(hi, 1)
    if hi <= lo:
        hi = _month_add(lo, 1)
    return lo, hi


def _ticks(lo: date, hi: date, max_ticks: int) -> list[tuple[date, str]]:
    days = (hi - lo).days
    if days <= 70:
        first = lo + timedelta(days=(7 - lo.weekday()) % 7)  # Mondays
        step = 7 if days / 7 <= max_ticks else 14
        out = []
        d = first
        while d < hi:
            out.append((d, f"{d.day} {_MONTHS[d.month - 1]}"))
            d += timedelta(days=step)
        return out
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120, 240) if months / s <= max_ticks), 600)
    # Align ticks to calendar boundaries: quarters start in January, decades on round years.
    if step >= 12:
        year = lo.year if lo.month == 1 else lo.year + 1
        d = date(year + (-year) % (step // 12), 1, 1)
    else:
        d = _month_add(lo, (-(lo.month - 1)) % step)
    out = []
    first_month_tick = True
    while d < hi:
        if step >= 12:
            label = str(d.year)
        elif d.month == 1 or first_month_tick:
            label = f"{_MONTHS[d.month - 1]} {d.year}"
        else:
            label = _MONTHS[d.month - 1]
        first_month_tick = False
        out.append((d, label))
        d = _month_add(d, step)
    return out


_Placed = tuple[_Item, str, float, float, float]
"""An entry laid out: item, label, mark's x0 and x1, label's x."""


def _layout_lane(items: Sequence[_Item], x_of: Callable[[date], float]) -> tuple[list[_Placed], list[int]]:
    """Labels and rows for one lane: each label sits under its mark, and rows are packed so
    that no two labels (or marks) overlap. Labels are shortened only where that saves rows:
    entries piled on one date need a row each, however short their labels."""
    layouts: list[tuple[list[_Placed], list[int]]] = []
    for max_width in _TL_LABEL_WIDTHS:
        placed: list[_Placed] = []
        boxes: list[tuple[float, float]] = []
        for it in items:
            label = truncate(it.name, max_width, _FONT)
            width = text_width(label, _FONT)
            if it.ranged:
                m0, m1 = x_of(it.start), max(x_of(it.end), x_of(it.start) + 3)
            else:
                m0, m1 = x_of(it.start) - _TL_RADIUS, x_of(it.start) + _TL_RADIUS
            # Near the right edge a label ends under its mark instead of starting there, so
            # that late entries stay inside the picture and still spread out.
            tx = m0 if m0 + width <= _TL_WIDTH - 2 else max(2.0, m1 - width)
            placed.append((it, label, m0, m1, tx))
            boxes.append((min(m0, tx), max(m1, tx + width)))
        layouts.append((placed, pack_rows(boxes)))
    fewest = min(max(rows, default=0) + 1 for _, rows in layouts)
    enough = max(_TL_ROWS_WANTED, fewest * 5 // 4)
    return next(layout for layout in layouts if max(layout[1], default=0) + 1 <= enough)


def timeline_svg(data: BriefingData, href: Href) -> Picture:
    """Meetings and events on lanes (meetings, then one lane per event kind) along a date axis."""
    items = _timeline_items(data)
    lo, hi = _domain(data, items)
    x0, x1 = _TL_GUTTER, _TL_WIDTH - _TL_RIGHT
    total_days = (hi - lo).days

    def x_of(d: date) -> float:
        """Position on the axis; entries reaching beyond it are cut at its ends."""
        d = min(max(d, lo), hi)
        return x0 + (d - lo).days / total_days * (x1 - x0)

    lanes = [k for k in ("meeting", *_EVENT_KINDS) if any(it.lane == k for it in items)]
    body: list[str] = []
    y = _TL_AXIS
    for lane in lanes:
        lane_items = [it for it in items if it.lane == lane]
        placed, rows = _layout_lane(lane_items, x_of)
        n_rows = max(rows) + 1
        lane_h = max(2 * _TL_LANE_PAD + n_rows * _TL_ROW, 50.0)  # room for title and count
        marks: list[str] = []
        for (it, label, m0, m1, tx), row in zip(placed, rows, strict=True):
            top = y + _TL_LANE_PAD + row * _TL_ROW
            cy = top + 6
            colour = _MEETING_COLOUR if it.kind == "meeting" else _EVENT_COLOUR
            cls = f"bp-mark bp-mark-{it.kind}"
            if it.imprecise:
                shape = (
                    f'<rect class="{cls} bp-imprecise" x="{_num(m0)}" y="{_num(cy - 3.5)}" '
                    f'width="{_num(m1 - m0)}" height="7" fill="{colour}" fill-opacity="0.25" '
                    f'stroke="{colour}" stroke-dasharray="3 2"/>'
                )
            elif it.ranged:
                shape = (
                    f'<rect class="{cls}" x="{_num(m0)}" y="{_num(cy - 3.5)}" width="{_num(m1 - m0)}" '
                    f'height="7" rx="2" fill="{colour}" stroke="{colour}"/>'
                )
            else:
                shape = (
                    f'<circle class="{cls}" cx="{_num(m0 + _TL_RADIUS)}" cy="{_num(cy)}" '
                    f'r="{_num(_TL_RADIUS)}" fill="{colour}" stroke="{colour}"/>'
                )
            text = _text(tx, top + 20, label, "bp-label")
            tooltip = f"{it.name} {_EM} {it.when}"
            extra = f' data-kind="{it.kind}" data-id="{inert(it.id)}"'
            marks.append(_link(href(it.kind, it.id), tooltip, shape + text, extra))
        body.append(
            f'<g class="bp-lane" data-lane="{lane}">'
            + _text(
                8, y + _TL_LANE_PAD + 20, _LANE_TITLES[lane], "bp-lane-title", extra=' font-weight="bold"'
            )
            + _text(8, y + _TL_LANE_PAD + 34, f"{len(lane_items)}", "bp-lane-count", extra=' font-size="10"')
            + "".join(marks)
            + f'<line class="bp-rule" x1="0" x2="{_num(_TL_WIDTH)}" y1="{_num(y + lane_h)}" '
            f'y2="{_num(y + lane_h)}" stroke="currentColor" stroke-opacity="0.25"/>' + "</g>"
        )
        y += lane_h
    if not items:
        body.append(_text(x0, y + 24, "No meetings or events recorded.", "bp-label"))
        y += 40
    plot_bottom = y

    axis: list[str] = ['<g class="bp-axis">']
    for d, label in _ticks(lo, hi, max_ticks=int((x1 - x0) // 70)):
        tx = x_of(d)
        axis.append(
            f'<line class="bp-grid" x1="{_num(tx)}" x2="{_num(tx)}" y1="{_num(_TL_AXIS - 8)}" '
            f'y2="{_num(plot_bottom)}" stroke="currentColor" stroke-opacity="0.15"/>'
        )
        if tx + 3 + text_width(label, 11) <= _TL_WIDTH:
            axis.append(_text(tx + 3, _TL_AXIS - 12, label, "bp-tick", extra=' font-size="11"'))
    axis.append(
        f'<line class="bp-axis-line" x1="{_num(x0)}" x2="{_num(x1)}" y1="{_num(_TL_AXIS - 8)}" '
        f'y2="{_num(_TL_AXIS - 8)}" stroke="currentColor" stroke-opacity="0.6"/>'
    )
    as_of = date_span(data.briefing.as_of).start
    if lo <= as_of < hi:
        ax = x_of(as_of)
        axis.append(
            f'<line class="bp-asof" x1="{_num(ax)}" x2="{_num(ax)}" y1="{_num(_TL_AXIS - 8)}" '
            f'y2="{_num(plot_bottom)}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="2 3"/>'
        )
    axis.append("</g>")

    ly = plot_bottom + 22
    legend = (
        '<g class="bp-legend">'
        f'<circle class="bp-mark bp-mark-meeting" cx="{_num(x0 + 5)}" cy="{_num(ly - 4)}" r="4.5" '
        f'fill="{_MEETING_COLOUR}" stroke="{_MEETING_COLOUR}"/>'
        + _text(x0 + 14, ly, "meeting", "bp-legend-text")
        + f'<circle class="bp-mark bp-mark-event" cx="{_num(x0 + 90)}" cy="{_num(ly - 4)}" r="4.5" '
        f'fill="{_EVENT_COLOUR}" stroke="{_EVENT_COLOUR}"/>'
        + _text(x0 + 99, ly, "event: exact day", "bp-legend-text")
        + f'<rect class="bp-mark bp-mark-event" x="{_num(x0 + 215)}" y="{_num(ly - 7.5)}" width="26" '
        f'height="7" rx="2" fill="{_EVENT_COLOUR}" stroke="{_EVENT_COLOUR}"/>'
        + _text(x0 + 247, ly, "several days", "bp-legend-text")
        + f'<rect class="bp-mark bp-mark-event bp-imprecise" x="{_num(x0 + 345)}" y="{_num(ly - 7.5)}" '
        f'width="26" height="7" fill="{_EVENT_COLOUR}" fill-opacity="0.25" stroke="{_EVENT_COLOUR}" '
        'stroke-dasharray="3 2"/>'
        + _text(x0 + 377, ly, "month or year only: date approximate", "bp-legend-text")
        + "</g>"
    )
    height = ly + 12

    n_meetings = sum(it.kind == "meeting" for it in items)
    n_events = len(items) - n_meetings
    title = "Timeline of meetings and events"
    span_text = f"{_MONTHS[lo.month - 1]} {lo.year} to {_MONTHS[(hi - timedelta(days=1)).month - 1]} " + str(
        (hi - timedelta(days=1)).year
    )
    desc = (
        f"{n_meetings} meetings and {n_events} events from {span_text}, in lanes: "
        + ", ".join(_LANE_TITLES[lane] for lane in lanes)
        + ". Dates known only to the month or year are dashed bars over that month or year."
        + " The same list follows as text."
    )
    svg = _svg("timeline", title, desc, _TL_WIDTH, height, [*axis, *body, legend])

    lines = [f"Timeline, {len(items)} entries in date order:", ""]
    for it in items:
        what = "Meeting" if it.kind == "meeting" else f"Event ({it.lane})"
        lines.append(f"- {md(it.when)}: {what}: {_md_link(it.name, href(it.kind, it.id))}")
    if not items:
        lines.append("- No meetings or events recorded.")
    return Picture(svg=svg, text="\n".join(lines), title=title)


# --- positions matrix --------------------------------------------------------------------

_MX_COL = 112.0
_MX_CELL_H = 48.0
_MX_HEAD = 58.0
_MX_NAME_MAX = 210.0


def matrix_dates(data: BriefingData) -> list[str]:
    """The distinct dates of positions, in date order: the key dates for `matrix_svg(as_of=…)`."""
    return sorted({p.date for p in data.positions}, key=_date_key)


def _history(positions: Iterable[Position]) -> list[Position]:
    return sorted(positions, key=lambda p: (_date_key(p.date), p.id))


def matrix_svg(data: BriefingData, href: Href, as_of: str | None = None) -> Picture:
    """Actors (rows) by issues (columns): each cell the latest stance on or before `as_of`,
    with a strip beneath it of every stance taken so far, oldest first.

    A partial `as_of` includes all it names: `2016-10` means by the end of October 2016.
    Rows and columns are the same for every `as_of`, so the pictures can be compared.
    """
    cutoff = date_span(as_of).end if as_of is not None else None
    names = _Names(data)
    actor_ids = sorted({p.actor for p in data.positions}, key=names.sort_key("actor"))
    issue_ids = sorted({p.issue for p in data.positions}, key=names.sort_key("issue"))
    by_cell: dict[tuple[str, str], list[Position]] = {}
    for p in data.positions:
        if cutoff is None or date_span(p.date).start < cutoff:
            by_cell.setdefault((p.actor, p.issue), []).append(p)
    history = {key: _history(ps) for key, ps in by_cell.items()}

    actor_label = {a: truncate(names("actor", a), _MX_NAME_MAX, _FONT) for a in actor_ids}
    gutter = max([text_width(t, _FONT) for t in actor_label.values()] + [60.0]) + 16
    head = _MX_HEAD
    width = gutter + max(1, len(issue_ids)) * _MX_COL + 8
    body: list[str] = []

    for c, issue in enumerate(issue_ids):
        cx = gutter + c * _MX_COL + _MX_COL / 2
        name = names("issue", issue)
        lines = _wrap(name, _MX_COL - 8, _FONT * _BOLD, 3)
        texts = "".join(
            _text(
                cx, head - 8 - (len(lines) - 1 - i) * 14, line, "bp-col-head", "middle", ' font-weight="bold"'
            )
            for i, line in enumerate(lines)
        )
        body.append(_link(href("issue", issue), name, texts, f' data-issue="{inert(issue)}"'))

    for r, actor in enumerate(actor_ids):
        top = head + r * _MX_CELL_H
        actor_name = names("actor", actor)
        body.append(
            _link(
                href("actor", actor),
                actor_name,
                _text(gutter - 10, top + 22, actor_label[actor], "bp-row-head", "end"),
                f' data-actor="{inert(actor)}"',
            )
        )
        for c, issue in enumerate(issue_ids):
            left = gutter + c * _MX_COL
            hist = history.get((actor, issue), [])
            issue_name = names("issue", issue)
            data_attrs = f' data-actor="{inert(actor)}" data-issue="{inert(issue)}"'
            if not hist:
                body.append(
                    f'<g class="bp-cell"{data_attrs} data-stance="none">'
                    + _stance_rect(left + 2, top + 2, _MX_COL - 4, _MX_CELL_H - 4, "none", "bp-fill")
                    + _text(left + _MX_COL / 2, top + 22, _DASH, "bp-word bp-empty", "middle")
                    + "</g>"
                )
                continue
            latest = hist[-1]
            parts = [
                _stance_rect(left + 2, top + 2, _MX_COL - 4, _MX_CELL_H - 4, latest.stance, "bp-fill"),
                _text(
                    left + _MX_COL / 2,
                    top + 20,
                    _STANCE_WORD[latest.stance],
                    "bp-word",
                    "middle",
                    ' font-weight="bold"',
                ),
            ]
            strip_x, strip_w = left + 8, _MX_COL - 16
            seg_w = strip_w / len(hist)
            for k, p in enumerate(hist):
                sx = strip_x + k * seg_w
                tip = f"{_human_date(p.date)}: {_STANCE_WORD[p.stance]}: {p.summary}"
                parts.append(_stance_rect(sx, top + 28, seg_w, 13, p.stance, "bp-seg", tip))
                if seg_w >= 9:
                    parts.append(
                        _text(
                            sx + seg_w / 2,
                            top + 38.5,
                            _STANCE_LETTER[p.stance],
                            "bp-letter",
                            "middle",
                            ' font-size="9"',
                        )
                    )
            tooltip = (
                f"{actor_name} on {issue_name}: {_STANCE_WORD[latest.stance]} ({_human_date(latest.date)})"
            )
            tooltip += f": {latest.summary}" + (f". {len(hist)} positions recorded" if len(hist) > 1 else "")
            body.append(
                _link(
                    href("actor", actor),
                    tooltip,
                    f'<g class="bp-cell"{data_attrs} data-stance="{latest.stance}">'
                    + "".join(parts)
                    + "</g>",
                )
            )

    ly = head + max(1, len(actor_ids)) * _MX_CELL_H + 22
    if not actor_ids:
        body.append(_text(gutter, head + 24, "No positions recorded.", "bp-label"))
    legend = ['<g class="bp-legend">']
    lx = 8.0
    for stance in _STANCES:
        legend.append(_stance_rect(lx, ly - 11, 16, 14, stance, "bp-seg"))
        legend.append(_text(lx + 8, ly, _STANCE_LETTER[stance], "bp-letter", "middle", ' font-size="9"'))
        legend.append(_text(lx + 21, ly, stance, "bp-legend-text"))
        lx += 26 + text_width(stance, _FONT) + 12
    legend.append(
        _text(lx + 8, ly, "Strip: one segment per stated position, oldest first.", "bp-legend-text")
    )
    legend.append("</g>")
    height = ly + 12
    width = max(
        width, lx + 8 + text_width("Strip: one segment per stated position, oldest first.", _FONT) + 8
    )

    when = f", as of {_human_date(as_of)}" if as_of else ""
    title = f"Positions on issues{when}"
    desc = (
        f"{len(actor_ids)} actors by {len(issue_ids)} issues. Each cell names the latest stance"
        f"{' on or before ' + _human_date(as_of) if as_of else ''}; the strip beneath shows every"
        " stance taken, oldest first. The same table follows as text."
    )
    svg = _svg("matrix", title, desc, width, height, [*body, *legend])

    if not actor_ids:
        return Picture(svg=svg, text="No positions recorded.", title=title)
    header = "| Actor | " + " | ".join(_md_link(names("issue", i), href("issue", i)) for i in issue_ids)
    rows = [f"{md(title)}:", "", header + " |", "|---" * (len(issue_ids) + 1) + "|"]
    for actor in actor_ids:
        cells = [_md_link(names("actor", actor), href("actor", actor))]
        for issue in issue_ids:
            hist = history.get((actor, issue), [])
            if not hist:
                cells.append(_DASH)
                continue
            now = hist[-1]
            cell = f"{_STANCE_WORD[now.stance]}, {_human_date(now.date)}"
            if len(hist) > 1:
                cell += (
                    " (earlier: "
                    + "; ".join(f"{_STANCE_WORD[p.stance]}, {_human_date(p.date)}" for p in hist[-2::-1])
                    + ")"
                )
            cells.append(md(cell))
        rows.append("| " + " | ".join(cells) + " |")
    return Picture(svg=svg, text="\n".join(rows), title=title)


# --- attendance --------------------------------------------------------------------------

Mark = Literal["in-person", "remote", "delegate", "observer", "absent"]
_MARK_OF: dict[str, Mark] = {
    "in-person": "in-person",
    "video-link": "remote",
    "phone": "remote",
    "delegate": "delegate",
    "observer": "observer",
}
_MARK_LEGEND: dict[Mark, str] = {
    "in-person": "in person",
    "remote": "video link or phone",
    "delegate": "by a delegate",
    "observer": "as observer",
    "absent": "absent or excluded",
}
_PARTICIPATION_WORDS = {
    "in-person": "in person",
    "video-link": "by video link",
    "phone": "by phone",
    "delegate": "by a delegate",
    "observer": "as observer",
}
_AT_COL = 30.0
_AT_ROW = 28.0
_AT_HEAD_MAX = 170.0
_AT_ANGLE = 55.0
_AT_NAME_MAX = 200.0
_PRESENT_COLOUR = "#1f5fa8"
_ABSENT_COLOUR = "#b4441c"


def _mark_svg(mark: Mark, cx: float, cy: float) -> str:
    """One shape per kind of attendance, so that it reads without colour."""
    x, y = _num(cx), _num(cy)
    if mark == "in-person":
        return (
            f'<circle class="bp-att bp-att-in-person" cx="{x}" cy="{y}" r="7" '
            f'fill="{_PRESENT_COLOUR}" stroke="{_PRESENT_COLOUR}"/>'
        )
    if mark == "remote":
        return (
            f'<circle class="bp-att bp-att-remote" cx="{x}" cy="{y}" r="6" fill="none" '
            f'stroke="{_PRESENT_COLOUR}" stroke-width="2.5"/>'
        )
    if mark == "delegate":
        return (
            f'<g class="bp-att bp-att-delegate"><circle cx="{x}" cy="{y}" r="6" fill="none" '
            f'stroke="{_PRESENT_COLOUR}" stroke-width="2"/><circle cx="{x}" cy="{y}" r="2.2" '
            f'fill="{_PRESENT_COLOUR}" stroke="none"/></g>'
        )
    if mark == "observer":
        return (
            f'<rect class="bp-att bp-att-observer" x="{_num(cx - 5.5)}" y="{_num(cy - 5.5)}" width="11" '
            f'height="11" fill="none" stroke="{_PRESENT_COLOUR}" stroke-width="2"/>'
        )
    a, b, c, e = _num(cx - 5.5), _num(cx + 5.5), _num(cy - 5.5), _num(cy + 5.5)
    d = f"M{a} {c}L{b} {e}M{a} {e}L{b} {c}"
    return (
        f'<path class="bp-att bp-att-absent" d="{d}" fill="none" stroke="{_ABSENT_COLOUR}" '
        'stroke-width="2.5" stroke-linecap="round"/>'
    )


@dataclass(frozen=True)
class _Seat:
    mark: Mark
    words: str


def _seats(data: BriefingData, names: _Names, actor_id: str | None = None) -> dict[tuple[str, str], _Seat]:
    """(actor, meeting) -> how the actor took part; attending wins over a listed absence.
    With `actor_id`, that actor's seats only."""
    seats: dict[tuple[str, str], _Seat] = {}
    for m in data.meetings:
        absentees, attendees = m.absentees, m.attendees
        if actor_id is not None:
            absentees = [a for a in absentees if a.actor == actor_id]
            attendees = [a for a in attendees if a.actor == actor_id]
        for ab in sorted(absentees, key=lambda a: (a.actor, a.reason or "")):
            words = "absent or excluded" + (f": {ab.reason}" if ab.reason else "")
            seats.setdefault((ab.actor, m.id), _Seat("absent", words))
        for at in sorted(attendees, key=lambda a: (_PARTICIPATIONS.index(a.participation), a.actor)):
            words = _PARTICIPATION_WORDS[at.participation]
            if at.via:
                words += f" ({names('actor', at.via)})"
            if at.role:
                words += f", as {at.role}"
            if (at.actor, m.id) not in seats or seats[(at.actor, m.id)].mark == "absent":
                seats[(at.actor, m.id)] = _Seat(_MARK_OF[at.participation], words)
    return seats


@functools.lru_cache(maxsize=1 << 14)  # a meeting heads a column on the page of everyone there
def _column_head(start: str, name: str) -> tuple[str, float]:
    """A meeting's column heading, shortened to fit, and its width."""
    text = truncate(f"{start} {name}", _AT_HEAD_MAX, 11)
    return text, text_width(text, 11)


@functools.lru_cache(maxsize=1 << 14)
def _column_link(url: str, mid: str, tooltip: str, head: str) -> tuple[str, str]:
    """A column heading's link around its text, either side of where the text's place goes."""
    before, after = _link(url, tooltip, "\0", f' data-meeting="{mid}"').split("\0")
    return f'{before}<text class="bp-col-head" x="', f"{inert(head)}</text>{after}"


def attendance_svg(
    data: BriefingData, href: Href, actor_id: str | None = None, *, with_text: bool = True
) -> Picture:
    """Who met whom: actors (rows) by meetings (columns, in date order), one shape per kind
    of attendance. With `actor_id`, the one-row form for that actor's page: only the
    meetings they attended or were listed as absent from. `with_text=False` leaves out the text
    version, for a page whose own tables say the same."""
    names = _Names(data)
    seats = _seats(data, names, actor_id)
    meetings = sorted(data.meetings, key=lambda m: (_date_key(m.start_date), m.id))
    if actor_id is not None:
        meetings = [m for m in meetings if (actor_id, m.id) in seats]
        actor_ids = [actor_id]
    else:
        actor_ids = sorted({a for a, _ in seats}, key=names.sort_key("actor"))

    labels = {a: truncate(names("actor", a), _AT_NAME_MAX, _FONT) for a in actor_ids}
    gutter = max([text_width(t, _FONT) for t in labels.values()] + [60.0]) + 16
    heads = {m.id: _column_head(m.start_date, m.name) for m in meetings}
    longest = max([width for _, width in heads.values()] + [40.0])
    rad = math.radians(_AT_ANGLE)
    head = longest * math.sin(rad) + 16
    overhang = longest * math.cos(rad)
    grid_w = max(1, len(meetings)) * _AT_COL
    width = max(gutter + grid_w + overhang + 8, 360.0)
    body: list[str] = []

    # Per meeting, what every row repeats: its link, dates and escaped id.
    cols = [(href("meeting", m.id), _human_range(m.start_date, m.end_date), inert(m.id), m) for m in meetings]
    ty, angle = _num(head - 6), _num(_AT_ANGLE)
    for c, (url, when, mid, m) in enumerate(cols):
        x = _num(gutter + c * _AT_COL + _AT_COL / 2 + 3)
        before, after = _column_link(url, mid, f"{m.name} {_EM} {when}", heads[m.id][0])
        body.append(f'{before}{x}" y="{ty}" font-size="11" transform="rotate(-{angle} {x} {ty})">{after}')
    for r, actor in enumerate(actor_ids):
        top = head + r * _AT_ROW
        if r % 2 == 0:
            body.append(
                f'<rect class="bp-band" x="0" y="{_num(top)}" width="{_num(gutter + grid_w)}" '
                f'height="{_num(_AT_ROW)}" fill="currentColor" fill-opacity="0.06"/>'
            )
        actor_name, aid = names("actor", actor), inert(actor)
        body.append(
            _link(
                href("actor", actor),
                actor_name,
                _text(gutter - 10, top + _AT_ROW / 2 + 4, labels[actor], "bp-row-head", "end"),
                f' data-actor="{aid}"',
            )
        )
        for c, (url, when, mid, m) in enumerate(cols):
            seat = seats.get((actor, m.id))
            if seat is None:
                continue
            body.append(
                _link(
                    url,
                    f"{actor_name} at {m.name} ({when}): {seat.words}",
                    _mark_svg(seat.mark, gutter + c * _AT_COL + _AT_COL / 2, top + _AT_ROW / 2),
                    f' data-actor="{aid}" data-meeting="{mid}" data-mark="{seat.mark}"',
                )
            )
    y1, y2 = _num(head), _num(head + len(actor_ids) * _AT_ROW)
    for c in range(len(meetings) + 1):
        gx = _num(gutter + c * _AT_COL)
        body.append(
            f'<line class="bp-grid" x1="{gx}" x2="{gx}" y1="{y1}" y2="{y2}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
        )
    grid_bottom = head + max(1, len(actor_ids)) * _AT_ROW
    if not meetings:
        body.append(_text(gutter, head + 18, "No meetings recorded.", "bp-label"))

    shown = {m.id for m in meetings}
    used = {s.mark for (a, mid), s in seats.items() if a in actor_ids and mid in shown}
    ly = grid_bottom + 24
    lx = 8.0
    legend = ['<g class="bp-legend">']
    for mark in cast(tuple[Mark, ...], get_args(Mark)):
        if mark not in used:
            continue
        legend.append(_mark_svg(mark, lx + 7, ly - 4))
        legend.append(_text(lx + 19, ly, _MARK_LEGEND[mark], "bp-legend-text"))
        lx += 19 + text_width(_MARK_LEGEND[mark], _FONT) + 16
    legend.append("</g>")
    width = max(width, lx)
    height = ly + 12

    if actor_id is None:
        title = "Attendance at meetings"
        desc = (
            f"{len(actor_ids)} actors by {len(meetings)} meetings in date order. A filled circle is"
            " attendance in person, a ring by video link or phone, a ring with a dot by a delegate,"
            " a square as observer, a cross absent or excluded. The same list follows as text."
        )
    else:
        actor_name = names("actor", actor_id)
        title = f"Meetings: {actor_name}"
        desc = (
            f"{len(meetings)} meetings {actor_name} attended or was absent from, in date order."
            " A filled circle is in person, a ring by video link or phone, a ring with a dot by a"
            " delegate, a square as observer, a cross absent or excluded. The same list follows as text."
        )
    svg = _svg("attendance", title, desc, width, height, [*body, *legend])

    lines = [f"{md(title)}:", ""]
    for m in meetings if with_text else ():
        present = [(a, seats[(a, m.id)]) for a in actor_ids if (a, m.id) in seats]
        who = "; ".join(
            (_md_link(names("actor", a), href("actor", a)) + " " + md(s.words)) for a, s in present
        )
        when = md(_human_range(m.start_date, m.end_date))
        lines.append(f"- {when}: {_md_link(m.name, href('meeting', m.id))}: {who}")
    if not meetings:
        lines.append("- No meetings recorded.")
    return Picture(svg=svg, text="\n".join(lines) if with_text else "", title=title)


# --- CSS ---------------------------------------------------------------------------------

_LIGHT = {
    "favor": "#8cc5e3",
    "against": "#f2a07b",
    "mixed": "#d4b9da",
    "neutral": "#e3e3e3",
    "unclear": "#ffffff",
}
_DARK = {
    "favor": "#1f5f82",
    "against": "#8c3a1a",
    "mixed": "#5c4370",
    "neutral": "#464a54",
    "unclear": "transparent",
}
# Grayscale, distinct in lightness; the word or letter on every cell carries the meaning.
_PRINT = {
    "favor": "#ffffff",
    "against": "#9a9a9a",
    "mixed": "#c6c6c6",
    "neutral": "#e6e6e6",
    "unclear": "#ffffff",
}


def pictures_css() -> str:
    """Styles for the pictures: light (default), dark (Material's slate scheme) and print."""
    slate = '[data-md-color-scheme="slate"]'
    out = [
        ".bp-figure{margin:1em 0;overflow-x:auto}",
        ".bp-pic{display:block;height:auto;color:inherit;font-family:inherit;overflow:visible}",
        ".bp-pic a{color:inherit;text-decoration:none}",
        ".bp-pic a:hover text,.bp-pic a:focus text{text-decoration:underline}",
        ".bp-pic a:focus{outline:2px solid currentColor;outline-offset:1px}",
        ".bp-pic text{fill:currentColor}",
        ".bp-grid{stroke:currentColor;stroke-opacity:.15}",
        ".bp-rule,.bp-asof{stroke:currentColor}",
        f".bp-mark-meeting{{fill:{_MEETING_COLOUR};stroke:{_MEETING_COLOUR}}}",
        f".bp-mark-event{{fill:{_EVENT_COLOUR};stroke:{_EVENT_COLOUR}}}",
        ".bp-imprecise{fill-opacity:.25;stroke-dasharray:3 2}",
        ".bp-lane-count,.bp-tick{fill-opacity:.75}",
        ".bp-empty{fill-opacity:.5}",
        ".bp-fill,.bp-seg{stroke:#8a8a8a}",
        ".bp-stance-none{fill:none;stroke:currentColor;stroke-opacity:.3}",
        ".bp-stance-unclear{stroke-dasharray:3 2}",
        f".bp-att-in-person{{fill:{_PRESENT_COLOUR};stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-remote,.bp-att-observer{{fill:none;stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-delegate circle{{stroke:{_PRESENT_COLOUR}}}",
        f".bp-att-delegate circle+circle{{fill:{_PRESENT_COLOUR}}}",
        f".bp-att-absent{{fill:none;stroke:{_ABSENT_COLOUR}}}",
        ".bp-band{fill:currentColor;fill-opacity:.06}",
    ]
    out += [f".bp-stance-{s}{{fill:{c}}}" for s, c in _LIGHT.items()]
    out += [
        f"{slate} .bp-mark-meeting{{fill:#7fb2f0;stroke:#7fb2f0}}",
        f"{slate} .bp-mark-event{{fill:#f0905f;stroke:#f0905f}}",
        f"{slate} .bp-att-in-person{{fill:#7fb2f0;stroke:#7fb2f0}}",
        f"{slate} .bp-att-remote,{slate} .bp-att-observer{{stroke:#7fb2f0}}",
        f"{slate} .bp-att-delegate circle{{stroke:#7fb2f0}}",
        f"{slate} .bp-att-delegate circle+circle{{fill:#7fb2f0}}",
        f"{slate} .bp-att-absent{{stroke:#f0905f}}",
        f"{slate} .bp-fill,{slate} .bp-seg{{stroke:#9aa0ad}}",
    ]
    out += [f"{slate} .bp-stance-{s}{{fill:{c}}}" for s, c in _DARK.items()]
    printed = [
        ".bp-pic,{s} .bp-pic{{color:#000;-webkit-print-color-adjust:exact;print-color-adjust:exact}}",
        ".bp-mark-meeting,{s} .bp-mark-meeting,.bp-mark-event,{s} .bp-mark-event{{fill:#000;stroke:#000}}",
        ".bp-imprecise,{s} .bp-imprecise{{fill-opacity:.15}}",
        ".bp-att-in-person,{s} .bp-att-in-person{{fill:#000;stroke:#000}}",
        ".bp-att-remote,{s} .bp-att-remote,.bp-att-observer,{s} .bp-att-observer,.bp-att-absent,"
        "{s} .bp-att-absent,.bp-att-delegate circle,{s} .bp-att-delegate circle{{stroke:#000}}",
        ".bp-att-delegate circle+circle,{s} .bp-att-delegate circle+circle{{fill:#000}}",
        ".bp-fill,{s} .bp-fill,.bp-seg,{s} .bp-seg{{stroke:#000}}",
        ".bp-stance-against,{s} .bp-stance-against{{stroke-width:2}}",
        ".bp-figure,{s} .bp-figure{{overflow:visible}}",
    ]
    printed += [f".bp-stance-{st},{{s}} .bp-stance-{st}{{{{fill:{c}}}}}" for st, c in _PRINT.items()]
    out.append("@media print{" + "".join(rule.format(s=slate) for rule in printed) + "}")
    return "\n".join(out) + "\n"
