"""The timeline: every kind the registry puts on it (meetings, documents, events…) on lanes along a
date axis, labels packed so none collide."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast, get_args

from ..escape import inert, md
from ..i18n import _, ngettext, skeleton
from ..kinds import BY_NAME, KINDS
from ..model import BriefingData, EventKind
from ..words import LANE_TITLES, short_range, word
from .dates import _EM, _date_key, date_span
from .style import _DOCUMENT_COLOUR, _EVENT_COLOUR, _MEETING_COLOUR
from .svg import (
    _BOLD,
    _FONT,
    Href,
    Picture,
    _link,
    _listed,
    _md_link,
    _num,
    _svg,
    _text,
    _wrap,
    text_width,
)

_EVENT_KINDS = cast(tuple[str, ...], get_args(EventKind))
# Marks by kind; a kind without a colour of its own is drawn in the text's colour.
_COLOURS = {"meeting": _MEETING_COLOUR, "document": _DOCUMENT_COLOUR, "event": _EVENT_COLOUR}

_TL_WIDTH = 680.0  # the page's column on a laptop's screen, where it is drawn at its own size
_TL_GUTTER = 108.0  # a lane's title takes two lines where one is too short
_TL_RIGHT = 12.0
_TL_AXIS = 34.0
_TL_ROW = 26.0
_TL_LANE_PAD = 8.0
# Label widths to try, widest first: a crowded lane gets shorter labels before more rows.
_TL_LABEL_WIDTHS = (230.0, 170.0, 120.0)
_TL_LABEL_LINES = 2
_TL_LEADING = 14.0
_TL_ROWS_WANTED = 8
_TL_RADIUS = 4.5


# --- entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    lane: str
    kind: str  # the kind's name: "meeting", "event"…
    id: str
    name: str
    start: date
    end: date
    imprecise: bool
    ranged: bool
    when: str
    start_key: tuple[int, int, str]


def _lane_title(lane: str) -> str:
    """A lane's title: its words, else its kind's title."""
    return LANE_TITLES.get(lane) or next(_(k.title) for k in KINDS if k.name == lane)


def _timeline_items(data: BriefingData) -> list[_Item]:
    items: list[_Item] = []
    dated: list[tuple[str, str, str, str, str, str | None]] = []
    for k in KINDS:
        if not k.timeline:
            continue
        for e in getattr(data, k.plural):
            start = getattr(e, "start_date", None) or e.date
            if start:  # an undated entry has no place on the axis
                lane = e.kind if k.name == "event" else k.name  # events: a lane per kind of event
                end = getattr(e, "end_date", None)
                dated.append((lane, k.name, e.id, getattr(e, k.label), start, end))
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
                when=short_range(start, end),
                start_key=_date_key(start),
            )
        )
    items.sort(key=lambda it: (it.start_key, it.end, it.kind, it.id))
    return items


# --- axis --------------------------------------------------------------------------------


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
            out.append((d, skeleton("MMMd", d)))
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
            label = skeleton("y", d)
        elif d.month == 1 or first_month_tick:
            label = skeleton("yMMM", d)
        else:
            label = skeleton("MMM", d)
        first_month_tick = False
        out.append((d, label))
        d = _month_add(d, step)
    return out


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


_Placed = tuple[_Item, tuple[str, ...], float, float, float]
"""An entry laid out: item, its label's lines, mark's x0 and x1, label's x."""


def _layout_lane(items: Sequence[_Item], x_of: Callable[[date], float]) -> tuple[list[_Placed], list[int]]:
    """Labels and rows for one lane: each label sits under its mark, and rows are packed so
    that no two labels (or marks) overlap. A label takes two lines where one is too short, and is
    narrowed only where that saves rows: entries piled on one date need a row each, however
    narrow their labels."""
    layouts: list[tuple[list[_Placed], list[int]]] = []
    for max_width in _TL_LABEL_WIDTHS:
        placed: list[_Placed] = []
        boxes: list[tuple[float, float]] = []
        for it in items:
            label = _wrap(it.name, max_width, _FONT, _TL_LABEL_LINES)
            width = max(text_width(line, _FONT) for line in label)
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


# --- the picture -------------------------------------------------------------------------


def timeline_svg(data: BriefingData, href: Href) -> Picture:
    """Meetings and events on lanes (meetings, then one lane per event kind) along a date axis."""
    items = _timeline_items(data)
    lo, hi = _domain(data, items)
    order = ["meeting", "document", *_EVENT_KINDS, *(k.name for k in KINDS if k.timeline)]
    lanes = [k for k in dict.fromkeys(order) if any(it.lane == k for it in items)]
    titles = {lane: _wrap(_lane_title(lane), _TL_GUTTER - 16, _FONT * _BOLD, 2) for lane in lanes}
    x0, x1 = _TL_GUTTER, _TL_WIDTH - _TL_RIGHT
    total_days = (hi - lo).days

    def x_of(d: date) -> float:
        """Position on the axis; entries reaching beyond it are cut at its ends."""
        d = min(max(d, lo), hi)
        return x0 + (d - lo).days / total_days * (x1 - x0)

    body: list[str] = []
    y = _TL_AXIS
    for lane in lanes:
        lane_items = [it for it in items if it.lane == lane]
        placed, rows = _layout_lane(lane_items, x_of)
        n_rows = max(rows) + 1
        deepest = max(len(wrapped) for _it, wrapped, *_rest in placed)
        row_h = _TL_ROW + (deepest - 1) * _TL_LEADING
        heading = titles[lane]
        lane_h = max(2 * _TL_LANE_PAD + n_rows * row_h, 38.0 + _TL_LEADING * len(heading))  # title, count
        marks: list[str] = []
        for (it, wrapped, m0, m1, tx), row in zip(placed, rows, strict=True):
            top = y + _TL_LANE_PAD + row * row_h
            cy = top + 6
            colour = _COLOURS.get(it.kind, "currentColor")
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
            text = "".join(
                _text(tx, top + 20 + i * _TL_LEADING, line, "bp-label") for i, line in enumerate(wrapped)
            )
            tooltip = f"{it.name} {_EM} {it.when}"
            extra = f' data-kind="{it.kind}" data-id="{inert(it.id)}"'
            marks.append(_link(href(it.kind, it.id), tooltip, shape + text, extra))
        first = y + _TL_LANE_PAD + 20  # the title's first baseline; its count goes under its last
        bold = ' font-weight="bold"'
        titled = "".join(
            _text(8, first + k * _TL_LEADING, t, "bp-lane-title", extra=bold) for k, t in enumerate(heading)
        )
        count = _text(8, first + 2 + len(heading) * _TL_LEADING, f"{len(lane_items)}", "bp-lane-count")
        body.append(
            f'<g class="bp-lane" data-lane="{lane}">'
            + titled
            + count
            + "".join(marks)
            + f'<line class="bp-rule" x1="0" x2="{_num(_TL_WIDTH)}" y1="{_num(y + lane_h)}" '
            f'y2="{_num(y + lane_h)}" stroke="currentColor" stroke-opacity="0.25"/>' + "</g>"
        )
        y += lane_h
    if not items:
        body.append(_text(x0, y + 24, _("No meetings or events recorded."), "bp-label"))
        y += 40
    plot_bottom = y

    axis: list[str] = ['<g class="bp-axis">']
    for d, label in _ticks(lo, hi, max_ticks=int((x1 - x0) // 70)):
        tx = x_of(d)
        axis.append(
            f'<line class="bp-grid" x1="{_num(tx)}" x2="{_num(tx)}" y1="{_num(_TL_AXIS - 8)}" '
            f'y2="{_num(plot_bottom)}" stroke="currentColor" stroke-opacity="0.15"/>'
        )
        if tx + 3 + text_width(label, _FONT) <= _TL_WIDTH:
            axis.append(_text(tx + 3, _TL_AXIS - 12, label, "bp-tick"))
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
    # The legend: each mark then its word. Marks sit where English's do, moved right where the words
    # before them are longer, and onto a row of their own where they would run off the picture.
    keys: list[tuple[float, float, float, str, Callable[[float, float], str]]] = [
        # (English's place, where the word starts after it, how far left of its place it reaches, word, mark)
        (
            0.0,
            14.0,
            -0.5,
            BY_NAME["meeting"].as_word(),
            lambda x, y: (
                f'<circle class="bp-mark bp-mark-meeting" cx="{_num(x + 5)}" cy="{_num(y - 4)}" '
                f'r="4.5" fill="{_MEETING_COLOUR}" stroke="{_MEETING_COLOUR}"/>'
            ),
        ),
        (
            90.0,
            9.0,
            4.5,
            _("event: exact day"),
            lambda x, y: (
                f'<circle class="bp-mark bp-mark-event" cx="{_num(x)}" cy="{_num(y - 4)}" r="4.5" '
                f'fill="{_EVENT_COLOUR}" stroke="{_EVENT_COLOUR}"/>'
            ),
        ),
        (
            215.0,
            32.0,
            0.0,
            _("several days"),
            lambda x, y: (
                f'<rect class="bp-mark bp-mark-event" x="{_num(x)}" y="{_num(y - 7.5)}" width="26" '
                f'height="7" rx="2" fill="{_EVENT_COLOUR}" stroke="{_EVENT_COLOUR}"/>'
            ),
        ),
        (
            345.0,
            32.0,
            0.0,
            _("month or year only: date approximate"),
            lambda x, y: (
                f'<rect class="bp-mark bp-mark-event bp-imprecise" x="{_num(x)}" y="{_num(y - 7.5)}" '
                f'width="26" height="7" fill="{_EVENT_COLOUR}" fill-opacity="0.25" stroke="{_EVENT_COLOUR}" '
                'stroke-dasharray="3 2"/>'
            ),
        ),
    ]
    if "document" in lanes:
        keys.append(
            (
                635.0,
                9.0,
                4.5,
                BY_NAME["document"].as_word(),
                lambda x, y: (
                    f'<circle class="bp-mark bp-mark-document" cx="{_num(x)}" cy="{_num(y - 4)}" '
                    f'r="4.5" fill="{_DOCUMENT_COLOUR}" stroke="{_DOCUMENT_COLOUR}"/>'
                ),
            )
        )
    legend_parts = ['<g class="bp-legend">']
    end, row_y = 0.0, ly
    for place, after, reach, label, mark in keys:
        at = max(place if row_y == ly else 0.0, end + 12 + reach) if end else place
        width = text_width(label, _FONT)
        if end and x0 + at + after + width > _TL_WIDTH:  # onto the next row
            at, row_y = reach, row_y + 20
        legend_parts.append(mark(x0 + at, row_y) + _text(x0 + at + after, row_y, label, "bp-legend-text"))
        end = at + after + width
    legend = "".join(legend_parts) + "</g>"
    height = row_y + 12

    counts = [
        k.count(n)
        for k in sorted(KINDS, key=lambda k: k.name == "event")  # meetings first, events last
        if k.timeline and ((n := sum(it.kind == k.name for it in items)) or k.name in ("meeting", "event"))
    ]
    title = _("Timeline of meetings and events")
    desc = _(
        "{counts} from {start} to {end}, in lanes: {lanes}. Dates known only to the month or year are"
        " dashed bars over that month or year. The same list follows as text."
    ).format(
        counts=_listed(counts),
        start=skeleton("yMMM", lo),
        end=skeleton("yMMM", hi - timedelta(days=1)),
        lanes=_listed([_lane_title(lane) for lane in lanes], conjunction=False),
    )
    svg = _svg("timeline", title, desc, _TL_WIDTH, height, [*axis, *body, legend])

    n = len(items)
    lines = [
        ngettext("Timeline, {n} entry in date order:", "Timeline, {n} entries in date order:", n).format(n=n),
        "",
    ]
    event = _("Event ({kind})")
    for it in items:
        what = event.format(kind=word(it.lane)) if it.kind == "event" else BY_NAME[it.kind].as_label()
        lines.append(f"- {md(it.when)}: {what}: {_md_link(it.name, href(it.kind, it.id))}")
    if not items:
        lines.append("- " + _("No meetings or events recorded."))
    return Picture(svg=svg, text="\n".join(lines), title=title)
