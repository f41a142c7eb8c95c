"""Pictures drawn at build time as inline SVG: the timeline, the positions matrix, attendance.

Each drawing returns a `Picture`: one line of SVG markup (no script, nothing fetched, sized
by its viewBox), a Markdown text equivalent to sit next to it, and a plain-text title.

Everything here is pure and deterministic: the same briefing gives the same bytes, whatever
order its lists come in.

- `timeline`: meetings and events on lanes along a date axis (`timeline_svg`).
- `matrix`: actors by issues, the stance in each cell and its history (`matrix_svg`).
- `attendance`: actors by meetings, one shape per way of taking part (`attendance_svg`).
- `style`: the colours and the stylesheet the drawings' classes need (`pictures_css`).
- `svg` and `dates`: what the drawings share: text measured and escaped, SVG elements, the
  `Picture` itself; partial dates, their order and their words.
"""

from __future__ import annotations

from .attendance import Mark, attendance_svg
from .dates import DateSpan, Precision, date_span
from .matrix import matrix_dates, matrix_svg
from .style import pictures_css
from .svg import Href, Picture, text_width, truncate
from .timeline import pack_rows, timeline_svg

__all__ = [
    "DateSpan",
    "Href",
    "Mark",
    "Picture",
    "Precision",
    "attendance_svg",
    "date_span",
    "matrix_dates",
    "matrix_svg",
    "pack_rows",
    "pictures_css",
    "text_width",
    "timeline_svg",
    "truncate",
]
