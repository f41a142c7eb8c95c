"""Attendance: who met whom, actors by meetings, one shape per way of taking part."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Literal, cast, get_args

from ..escape import inert, md
from ..i18n import _, ngettext
from ..kinds import BY_NAME
from ..model import BriefingData, Participation
from ..words import MARK_LEGEND, PARTICIPATION_LABELS, short_range
from .dates import _EM, _date_key
from .style import _ABSENT_COLOUR, _PRESENT_COLOUR
from .svg import _FONT, Href, Picture, _link, _md_link, _Names, _num, _svg, _text, _wrap, text_width, truncate

_PARTICIPATIONS = cast(tuple[str, ...], get_args(Participation))

Mark = Literal["in-person", "remote", "delegate", "observer", "absent"]
_MARK_OF: dict[str, Mark] = {
    "in-person": "in-person",
    "video-link": "remote",
    "phone": "remote",
    "delegate": "delegate",
    "observer": "observer",
}
_AT_COL = 30.0
_AT_COL_WRAPPED = 42.0  # two lines of a heading, leaning, need this much between columns to read as one
_AT_ROW = 28.0
_AT_HEAD_LINE = 270.0  # a heading's line; a longer heading takes two, a longer still is shortened
_AT_HEAD_LINES = 2
_AT_LEADING = 13.0
_AT_ANGLE = 55.0
_AT_COS, _AT_SIN = math.cos(math.radians(_AT_ANGLE)), math.sin(math.radians(_AT_ANGLE))
_AT_NAME_MAX = 300.0


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
    absent, absent_for = MARK_LEGEND["absent"], _("absent or excluded: {reason}")
    via, role = _("{how} ({via})"), _("{how}, as {role}")
    for m in data.meetings:
        absentees, attendees = m.absentees, m.attendees
        if actor_id is not None:
            absentees = [a for a in absentees if a.actor == actor_id]
            attendees = [a for a in attendees if a.actor == actor_id]
        for ab in sorted(absentees, key=lambda a: (a.actor, a.reason or "")):
            words = absent_for.format(reason=ab.reason) if ab.reason else absent
            seats.setdefault((ab.actor, m.id), _Seat("absent", words))
        for at in sorted(attendees, key=lambda a: (_PARTICIPATIONS.index(a.participation), a.actor)):
            words = PARTICIPATION_LABELS[at.participation]
            if at.via:
                words = via.format(how=words, via=names("actor", at.via))
            if at.role:
                words = role.format(how=words, role=at.role)
            if (at.actor, m.id) not in seats or seats[(at.actor, m.id)].mark == "absent":
                seats[(at.actor, m.id)] = _Seat(_MARK_OF[at.participation], words)
    return seats


@functools.lru_cache(maxsize=1 << 14)  # a meeting heads a column on the page of everyone there
def _column_head(start: str, name: str) -> tuple[str, ...]:
    """A meeting's column heading: its date and name on one line, or two of about the same length;
    shortened only past two full lines (the link's tooltip and the text version say it all)."""
    return _wrap(f"{start} {name}", _AT_HEAD_LINE, _FONT, _AT_HEAD_LINES)


def _column_texts(lines: tuple[str, ...], cx: float, bottom: float) -> tuple[str, float]:
    """A leaning heading's lines, and how far right they reach. The last line starts just above
    the grid by its column; the ones before it a line's height further up and to the left."""
    step_x, step_y = _AT_LEADING * _AT_SIN, _AT_LEADING * _AT_COS
    last_x = cx + 3 + (len(lines) - 1) * step_x / 2
    texts, right, angle = [], 0.0, _num(_AT_ANGLE)
    for k, line in zip(range(len(lines) - 1, -1, -1), lines, strict=True):
        x, y = _num(last_x - k * step_x), _num(bottom - k * step_y)
        texts.append(f'<text class="bp-col-head" x="{x}" y="{y}" transform="rotate(-{angle} {x} {y})">')
        texts.append(f"{inert(line)}</text>")
        # The line's far end, and its letters' descent beyond it.
        right = max(right, last_x - k * step_x + text_width(line, _FONT) * _AT_COS + 0.25 * _FONT * _AT_SIN)
    return "".join(texts), right


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
        actor_ids = sorted({a for a, _m in seats}, key=names.sort_key("actor"))

    labels = {a: truncate(names("actor", a), _AT_NAME_MAX, _FONT) for a in actor_ids}
    gutter = max([text_width(t, _FONT) for t in labels.values()] + [60.0]) + 16
    heads = {m.id: _column_head(m.start_date, m.name) for m in meetings}
    deepest = max([len(h) for h in heads.values()] + [1])
    col = _AT_COL_WRAPPED if deepest > 1 else _AT_COL
    longest = max([text_width(line, _FONT) for h in heads.values() for line in h] + [40.0])
    # From the grid up: the slanted lines (the first is the highest) and the letters' ascent.
    head = longest * _AT_SIN + (deepest - 1) * _AT_LEADING * _AT_COS + 6 + 0.8 * _FONT * _AT_COS + 6
    grid_w = max(1, len(meetings)) * col
    body: list[str] = []
    right = gutter + grid_w

    # Per meeting, what every row repeats: its link, dates and escaped id.
    cols = [(href("meeting", m.id), short_range(m.start_date, m.end_date), inert(m.id), m) for m in meetings]
    at = _("{actor} at {meeting} ({date}): {how}")
    for c, (url, when, mid, m) in enumerate(cols):
        texts, reach = _column_texts(heads[m.id], gutter + c * col + col / 2, head - 6)
        body.append(_link(url, f"{m.name} {_EM} {when}", texts, f' data-meeting="{mid}"'))
        right = max(right, reach)
    width = max(right + 8, 360.0)
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
                    at.format(actor=actor_name, meeting=m.name, date=when, how=seat.words),
                    _mark_svg(seat.mark, gutter + c * col + col / 2, top + _AT_ROW / 2),
                    f' data-actor="{aid}" data-meeting="{mid}" data-mark="{seat.mark}"',
                )
            )
    y1, y2 = _num(head), _num(head + len(actor_ids) * _AT_ROW)
    for c in range(len(meetings) + 1):
        gx = _num(gutter + c * col)
        body.append(
            f'<line class="bp-grid" x1="{gx}" x2="{gx}" y1="{y1}" y2="{y2}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
        )
    grid_bottom = head + max(1, len(actor_ids)) * _AT_ROW
    if not meetings:
        body.append(_text(gutter, head + 18, _("No meetings recorded."), "bp-label"))

    shown = {m.id for m in meetings}
    used = {s.mark for (a, mid), s in seats.items() if a in actor_ids and mid in shown}
    ly = grid_bottom + 24
    lx = 8.0
    legend = ['<g class="bp-legend">']
    for mark in cast(tuple[Mark, ...], get_args(Mark)):
        if mark not in used:
            continue
        legend.append(_mark_svg(mark, lx + 7, ly - 4))
        legend.append(_text(lx + 19, ly, MARK_LEGEND[mark], "bp-legend-text"))
        lx += 19 + text_width(MARK_LEGEND[mark], _FONT) + 16
    legend.append("</g>")
    width = max(width, lx)
    height = ly + 12

    marks = {key.replace("-", "_"): MARK_LEGEND[key] for key in MARK_LEGEND}
    n = len(meetings)
    if actor_id is None:
        title = _("Attendance at meetings")
        counts = {"actors": BY_NAME["actor"].count(len(actor_ids)), "meetings": BY_NAME["meeting"].count(n)}
        desc = _(
            "{actors} by {meetings} in date order. A filled circle is attendance {in_person}, a ring by"
            " {remote}, a ring with a dot {delegate}, a square {observer}, a cross {absent}. The same list"
            " follows as text."
        ).format(**counts, **marks)
    else:
        actor_name = names("actor", actor_id)
        title = _("Meetings: {actor}").format(actor=actor_name)
        desc = ngettext(
            "{n} meeting {actor} attended or was absent from, in date order. A filled circle is"
            " {in_person}, a ring by {remote}, a ring with a dot {delegate}, a square {observer}, a cross"
            " {absent}. The same list follows as text.",
            "{n} meetings {actor} attended or was absent from, in date order. A filled circle is"
            " {in_person}, a ring by {remote}, a ring with a dot {delegate}, a square {observer}, a cross"
            " {absent}. The same list follows as text.",
            n,
        ).format(n=n, actor=actor_name, **marks)
    svg = _svg("attendance", title, desc, width, height, [*body, *legend])

    lines = [f"{md(title)}:", ""]
    for m in meetings if with_text else ():
        present = [(a, seats[(a, m.id)]) for a in actor_ids if (a, m.id) in seats]
        who = "; ".join(
            (_md_link(names("actor", a), href("actor", a)) + " " + md(s.words)) for a, s in present
        )
        when = md(short_range(m.start_date, m.end_date))
        lines.append(f"- {when}: {_md_link(m.name, href('meeting', m.id))}: {who}")
    if not meetings:
        lines.append("- " + _("No meetings recorded."))
    return Picture(svg=svg, text="\n".join(lines) if with_text else "", title=title)
