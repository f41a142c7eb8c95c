"""The words pages and pictures write about the data: stances, ways of taking part, dates.

One vocabulary, so a page, its picture and the book say the same thing the same way.
"""

from __future__ import annotations

import functools

from .model import partial_date_parts

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
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STANCE_LABELS = {
    "favor": "For",
    "against": "Against",
    "mixed": "Mixed",
    "neutral": "Neutral",
    "unclear": "Unclear",
}
STANCE_LETTERS = {"favor": "F", "against": "A", "mixed": "M", "neutral": "N", "unclear": "U"}
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


# How the attendance picture's legend names its marks (video link and phone share one).
MARK_LEGEND = {
    "in-person": PARTICIPATION_LABELS["in-person"],
    "remote": "video link or phone",
    "delegate": PARTICIPATION_LABELS["delegate"],
    "observer": PARTICIPATION_LABELS["observer"],
    "absent": "absent or excluded",
}
# The timeline's lanes: meetings, then one per kind of event.
LANE_TITLES = {
    "meeting": "Meetings",
    "document": "Documents",
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


def short_date(value: str) -> str:
    """A date in a picture: '8 Oct 2016', 'Oct 2016 (month only)', '2016 (year only)'."""
    year, month, day = partial_date_parts(value)
    if month is None:
        return f"{year} (year only)"
    if day is None:
        return f"{SHORT_MONTHS[month - 1]} {year} (month only)"
    return f"{day} {SHORT_MONTHS[month - 1]} {year}"


@functools.lru_cache(maxsize=1 << 16)  # the same dates recur across pictures
def short_range(start: str, end: str | None) -> str:
    return (
        short_date(start) if end is None or end == start else f"{short_date(start)} \u2013 {short_date(end)}"
    )


# What each chapter of the briefing book opens with, by kind (its plural).
BOOK_INTROS = {
    "meetings": "In date order. Who was there, how they took part, who stayed away, and what came of it.",
    "events": "Other events, in date order.",
    "documents": "Agreements, resolutions, statements and plans, in date order.",
    "disputes": "Where actors give opposing versions of the same facts, side by side.",
    "sources": "Every source the briefing draws on, with what each supports.",
}


# The words for the data's closed choices (classification, meeting format, kinds of event and
# document, statuses, a party's role), as a reader sees them.
CHOICE_WORDS = {
    "person": "person",
    "state": "state",
    "government-body": "government body",
    "international-organization": "international organization",
    "organization": "organization",
    "opposition-body": "opposition body",
    "armed-group": "armed group",
    "coalition": "coalition",
    "bilateral": "bilateral",
    "trilateral": "trilateral",
    "multilateral": "multilateral",
    "ministerial": "ministerial",
    "summit": "summit",
    "security-council": "security council",
    "other": "other",
    "veto": "veto",
    "attack": "attack",
    "ceasefire": "ceasefire",
    "offer": "offer",
    "deployment": "deployment",
    "report": "report",
    "statement": "statement",
    "decision": "decision",
    "open": "open",
    "partly-answered": "partly answered",
    "answered": "answered",
    "agreement": "agreement",
    "resolution": "resolution",
    "draft-resolution": "draft resolution",
    "plan": "plan",
    "proposal": "proposal",
    "proposed": "proposed",
    "agreed": "agreed",
    "adopted": "adopted",
    "rejected": "rejected",
    "vetoed": "vetoed",
    "lapsed": "lapsed",
    "broken": "broken",
    "drafted": "drafted",
    "signed": "signed",
    "endorsed": "endorsed",
    "supported": "supported",
}


def word(value: str) -> str:
    """A closed choice as words: 'government-body' -> 'government body'."""
    return CHOICE_WORDS[value]
