"""The words pages and pictures write about the data: stances, ways of taking part, dates.

One vocabulary, so a page, its picture and the book say the same thing the same way.
"""

from __future__ import annotations

import functools

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


@functools.lru_cache(maxsize=4096)  # a briefing's dates recur on page after page
def format_date(value: str | None) -> str:
    if not value:
        return "undated"
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
