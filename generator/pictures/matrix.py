"""The positions matrix: actors by issues, each cell the latest stance with its history beneath."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast, get_args

from ..escape import inert, md
from ..i18n import NN_, _, ngettext
from ..kinds import BY_NAME
from ..model import BriefingData, Position, Stance
from ..words import STANCE_LABELS, STANCE_LEGEND, STANCE_MARKS, short_date
from .dates import _DASH, _date_key, date_span
from .style import _STANCE_FILL
from .svg import (
    _BOLD,
    _FONT,
    Href,
    Picture,
    _link,
    _md_link,
    _Names,
    _num,
    _svg,
    _text,
    _wrap,
    text_width,
    truncate,
)

_STANCES = cast(tuple[str, ...], get_args(Stance))
_MX_COL = 128.0  # room for an issue's name in a few lines of a word or two
_MX_CELL_H = 54.0
_MX_SEG_H = 16.0  # a strip segment, tall enough for its letter
_MX_HEAD_LINES = 6  # an issue's name wraps onto up to this many lines above its column
_MX_LEADING = 14.0
_MX_NAME_MAX = 300.0


def _stance_rect(
    x: float, y: float, w: float, h: float, stance: str, cls: str, tooltip: str | None = None
) -> str:
    dash = ' stroke-dasharray="3 2"' if stance in ("unclear", "none") else ""
    rect = (
        f'<rect class="{cls} bp-stance-{stance}" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
        f'height="{_num(h)}" fill="{_STANCE_FILL[stance]}" stroke="#8a8a8a" stroke-width="0.75"{dash}'
    )
    return f"{rect}/>" if tooltip is None else f"{rect}><title>{inert(tooltip)}</title></rect>"


def matrix_dates(data: BriefingData) -> list[str]:
    """The distinct dates of positions, in date order: the key dates for `matrix_svg(as_of=…)`."""
    return sorted({p.date for p in data.positions}, key=_date_key)


def _history(positions: Iterable[Position]) -> list[Position]:
    return sorted(positions, key=lambda p: (_date_key(p.date), p.id))


def _issue_order(data: BriefingData, names: _Names) -> list[str]:
    """Issues as the positions page's table has them: the most discussed first, then by name."""
    count: dict[str, int] = {}
    for p in data.positions:
        count[p.issue] = count.get(p.issue, 0) + 1
    by_name = names.sort_key("issue")
    return sorted(count, key=lambda i: (-count[i], by_name(i)))


def matrix_svg(
    data: BriefingData,
    href: Href,
    as_of: str | None = None,
    *,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
) -> Picture:
    """Actors (rows) by issues (columns): each cell the latest stance on or before `as_of`,
    with a strip beneath it of every stance taken so far, oldest first.

    A partial `as_of` includes all it names: `2016-10` means by the end of October 2016.
    Rows and columns are the same for every `as_of`, so the pictures can be compared: the
    `actors` and `issues` given, in their order (a page's table's), else every actor with a
    position by name and every issue with one, the most discussed first.
    """
    cutoff = date_span(as_of).end if as_of is not None else None
    names = _Names(data)
    if actors is None:
        actor_ids = sorted({p.actor for p in data.positions}, key=names.sort_key("actor"))
    else:
        actor_ids = list(actors)
    issue_ids = _issue_order(data, names) if issues is None else list(issues)
    by_cell: dict[tuple[str, str], list[Position]] = {}
    for p in data.positions:
        if cutoff is None or date_span(p.date).start < cutoff:
            by_cell.setdefault((p.actor, p.issue), []).append(p)
    history = {key: _history(ps) for key, ps in by_cell.items()}

    actor_label = {a: truncate(names("actor", a), _MX_NAME_MAX, _FONT) for a in actor_ids}
    gutter = max([text_width(t, _FONT) for t in actor_label.values()] + [60.0]) + 16
    heads = {i: _wrap(names("issue", i), _MX_COL - 8, _FONT * _BOLD, _MX_HEAD_LINES) for i in issue_ids}
    head = max([len(lines) for lines in heads.values()] + [1]) * _MX_LEADING + 16
    width = gutter + max(1, len(issue_ids)) * _MX_COL + 8
    body: list[str] = []
    on = _("{actor} on {issue}: {stance} ({date}): {summary}")
    on_of = NN_(
        "{actor} on {issue}: {stance} ({date}): {summary} ({n} position recorded)",
        "{actor} on {issue}: {stance} ({date}): {summary} ({n} positions recorded)",
    )

    for c, issue in enumerate(issue_ids):
        cx = gutter + c * _MX_COL + _MX_COL / 2
        lines = heads[issue]
        texts = "".join(
            _text(
                cx,
                head - 8 - (len(lines) - 1 - i) * _MX_LEADING,
                line,
                "bp-col-head",
                "middle",
                ' font-weight="bold"',
            )
            for i, line in enumerate(lines)
        )
        issue_attr = f' data-issue="{inert(issue)}"'
        body.append(_link(href("issue", issue), names("issue", issue), texts, issue_attr))

    for r, actor in enumerate(actor_ids):
        top = head + r * _MX_CELL_H
        actor_name = names("actor", actor)
        body.append(
            _link(
                href("actor", actor),
                actor_name,
                _text(gutter - 10, top + _MX_CELL_H / 2 + 4, actor_label[actor], "bp-row-head", "end"),
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
                    + _text(left + _MX_COL / 2, top + _MX_CELL_H / 2 + 4, _DASH, "bp-word bp-empty", "middle")
                    + "</g>"
                )
                continue
            latest = hist[-1]
            parts = [
                _stance_rect(left + 2, top + 2, _MX_COL - 4, _MX_CELL_H - 4, latest.stance, "bp-fill"),
                _text(
                    left + _MX_COL / 2,
                    top + 21,
                    STANCE_LABELS[latest.stance],
                    "bp-word",
                    "middle",
                    ' font-weight="bold"',
                ),
            ]
            strip_x, strip_w = left + 8, _MX_COL - 16
            seg_w = strip_w / len(hist)
            for k, p in enumerate(hist):
                sx = strip_x + k * seg_w
                tip = f"{short_date(p.date)}: {STANCE_LABELS[p.stance]}: {p.summary}"
                parts.append(_stance_rect(sx, top + 30, seg_w, _MX_SEG_H, p.stance, "bp-seg", tip))
                if seg_w >= _FONT:  # room for its letter
                    letter = STANCE_MARKS[p.stance]
                    parts.append(_text(sx + seg_w / 2, top + 26 + _MX_SEG_H, letter, "bp-letter", "middle"))
            said = {
                "actor": actor_name,
                "issue": issue_name,
                "stance": STANCE_LABELS[latest.stance],
                "date": short_date(latest.date),
                "summary": latest.summary,
            }
            n = len(hist)
            tooltip = ngettext(*on_of, n).format(n=n, **said) if n > 1 else on.format(**said)
            body.append(
                _link(
                    href("actor", actor),
                    tooltip,
                    f'<g class="bp-cell"{data_attrs} data-stance="{latest.stance}">'
                    + "".join(parts)
                    + "</g>",
                )
            )

    ly = head + max(1, len(actor_ids)) * _MX_CELL_H + 24
    if not actor_ids:
        body.append(_text(gutter, head + 24, _("No positions recorded."), "bp-label"))
    legend = ['<g class="bp-legend">']
    lx = 8.0
    for stance in _STANCES:
        legend.append(_stance_rect(lx, ly - 13, 16, _MX_SEG_H, stance, "bp-seg"))
        legend.append(_text(lx + 8, ly, STANCE_MARKS[stance], "bp-letter", "middle"))
        legend.append(_text(lx + 21, ly, STANCE_LEGEND[stance], "bp-legend-text"))
        lx += 26 + text_width(STANCE_LEGEND[stance], _FONT) + 12
    strip = _("Strip: one segment per stated position, oldest first.")
    legend.append(_text(lx + 8, ly, strip, "bp-legend-text"))
    legend.append("</g>")
    height = ly + 8
    width = max(width, lx + 8 + text_width(strip, _FONT) + 8)

    counts = {
        "actors": BY_NAME["actor"].count(len(actor_ids)),
        "issues": BY_NAME["issue"].count(len(issue_ids)),
    }
    if as_of:
        title = _("Positions on issues, as of {date}").format(date=short_date(as_of))
        desc = _(
            "{actors} by {issues}. Each cell names the latest stance on or before {date}; the strip beneath"
            " shows every stance taken, oldest first. The same table follows as text."
        ).format(date=short_date(as_of), **counts)
    else:
        title = _("Positions on issues")
        desc = _(
            "{actors} by {issues}. Each cell names the latest stance; the strip beneath shows every stance"
            " taken, oldest first. The same table follows as text."
        ).format(**counts)
    svg = _svg("matrix", title, desc, width, height, [*body, *legend])

    if not actor_ids:
        return Picture(svg=svg, text=_("No positions recorded."), title=title)
    heading = _("Actor")
    header = f"| {heading} | " + " | ".join(_md_link(names("issue", i), href("issue", i)) for i in issue_ids)
    rows = [f"{md(title)}:", "", header + " |", "|---" * (len(issue_ids) + 1) + "|"]
    earlier = _("{now} (earlier: {before})")
    for actor in actor_ids:
        cells = [_md_link(names("actor", actor), href("actor", actor))]
        for issue in issue_ids:
            hist = history.get((actor, issue), [])
            if not hist:
                cells.append(_DASH)
                continue
            now = hist[-1]
            cell = f"{STANCE_LABELS[now.stance]}, {short_date(now.date)}"
            if len(hist) > 1:
                before = "; ".join(f"{STANCE_LABELS[p.stance]}, {short_date(p.date)}" for p in hist[-2::-1])
                cell = earlier.format(now=cell, before=before)
            cells.append(md(cell))
        rows.append("| " + " | ".join(cells) + " |")
    return Picture(svg=svg, text="\n".join(rows), title=title)
