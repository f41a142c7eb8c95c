"""Partial dates (`2016`, `2016-10`, `2016-10-08`): the days they name and their order (their words
are `words.short_date`'s)."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..model import partial_date_parts

Precision = Literal["day", "month", "year"]
_DASH = "\u2013"
_EM = "\u2014"


@dataclass(frozen=True)
class DateSpan:
    """The days a partial date names: `start` inclusive, `end` exclusive."""

    start: date
    end: date
    precision: Precision


@functools.lru_cache(maxsize=4096)  # a briefing's dates recur in picture after picture
def date_span(value: str) -> DateSpan:
    """`2016` is the year, `2016-10` the month, `2016-10-08` the day."""
    year, month, day = partial_date_parts(value)
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
