"""The words pages and pictures write about the data: stances, ways of taking part, dates.

One vocabulary, so a page, its picture and the book say the same thing the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from .i18n import N_, NN_, _, current, date_text
from .model import partial_date_parts


class Words(Mapping[str, str]):
    """A closed vocabulary, declared in English (so the catalog lists it) and read in the language
    being written: `STANCE_LABELS["favor"]` is "For" in English, "Pour" in French."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def __getitem__(self, key: str) -> str:
        return _(self.words[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


STANCE_LABELS = Words(
    {
        "favor": N_("For"),
        "against": N_("Against"),
        "mixed": N_("Mixed"),
        "neutral": N_("Neutral"),
        "unclear": N_("Unclear"),
    }
)
# The marks a stance carries where colour alone would not tell it (the badges' too, in briefing.css):
# the same in every language.
STANCE_MARKS = {
    "favor": "\u2713",
    "against": "\u2717",
    "mixed": "\u00b1",
    "neutral": "\u25cb",
    "unclear": "?",
}
PARTICIPATION_LABELS = Words(
    {
        "in-person": N_("in person"),
        "video-link": N_("by video link"),
        "phone": N_("by phone"),
        "delegate": N_("through a delegate"),
        "observer": N_("as observer"),
    }
)


def format_date(value: str | None) -> str:
    """A date as the briefing's language writes it: "12 February 2016", "February 2016", "2016"."""
    return _format_date(value, current())


@functools.lru_cache(maxsize=1 << 14)  # a briefing's dates recur on page after page
def _format_date(value: str | None, language: str) -> str:
    if not value:
        return _("undated")
    return date_text(*partial_date_parts(value))


# How the attendance picture's legend names its marks (video link and phone share one).
MARK_LEGEND = Words(
    {
        "in-person": PARTICIPATION_LABELS.words["in-person"],
        "remote": N_("video link or phone"),
        "delegate": PARTICIPATION_LABELS.words["delegate"],
        "observer": PARTICIPATION_LABELS.words["observer"],
        "absent": N_("absent or excluded"),
    }
)
# The timeline's lanes: meetings, then one per kind of event.
LANE_TITLES = Words(
    {
        "meeting": N_("Meetings"),
        "document": N_("Documents"),
        "veto": N_("Vetoes"),
        "attack": N_("Attacks"),
        "ceasefire": N_("Ceasefires"),
        "offer": N_("Offers"),
        "deployment": N_("Deployments"),
        "report": N_("Reports"),
        "statement": N_("Statements"),
        "decision": N_("Decisions"),
        "other": N_("Other events"),
    }
)


def short_date(value: str) -> str:
    """A date in a picture: '8 Oct 2016', 'Oct 2016 (month only)', '2016 (year only)'."""
    return _short_date(value, current())


@functools.lru_cache(maxsize=1 << 14)
def _short_date(value: str, language: str) -> str:
    year, month, day = partial_date_parts(value)
    text = date_text(year, month, day, short=True)
    if month is None:
        return _("{date} (year only)").format(date=text)
    if day is None:
        return _("{date} (month only)").format(date=text)
    return text


def short_range(start: str, end: str | None) -> str:
    return _short_range(start, end, current())


@functools.lru_cache(maxsize=1 << 16)  # the same dates recur across pictures
def _short_range(start: str, end: str | None, language: str) -> str:
    return (
        short_date(start) if end is None or end == start else f"{short_date(start)} \u2013 {short_date(end)}"
    )


# What each chapter of the briefing book opens with, by kind (its plural).
BOOK_INTROS = Words(
    {
        "meetings": N_(
            "In date order. Who was there, how they took part, who stayed away, and what came of it."
        ),
        "events": N_("Other events, in date order."),
        "documents": N_("Agreements, resolutions, statements and plans, in date order."),
        "disputes": N_("Where actors give opposing versions of the same facts, side by side."),
        "sources": N_("Every source the briefing draws on, with what each supports."),
    }
)

# How many entries of a kind, by its name: the book's cover ("12 actors · 30 meetings").
KIND_COUNTS: dict[str, tuple[str, str]] = {
    "actor": NN_("{n} actor", "{n} actors"),
    "meeting": NN_("{n} meeting", "{n} meetings"),
    "issue": NN_("{n} issue", "{n} issues"),
    "position": NN_("{n} position", "{n} positions"),
    "quote": NN_("{n} quote", "{n} quotes"),
    "event": NN_("{n} event", "{n} events"),
    "dispute": NN_("{n} dispute", "{n} disputes"),
    "figure": NN_("{n} figure", "{n} figures"),
    "question": NN_("{n} question", "{n} questions"),
    "document": NN_("{n} document", "{n} documents"),
    "source": NN_("{n} source", "{n} sources"),
}


# The words for the data's closed choices (classification, meeting format, kinds of event and
# document, statuses, a party's role), as a reader sees them.
CHOICE_WORDS = Words(
    {
        "person": N_("person"),
        "state": N_("state"),
        "government-body": N_("government body"),
        "international-organization": N_("international organization"),
        "organization": N_("organization"),
        "opposition-body": N_("opposition body"),
        "armed-group": N_("armed group"),
        "coalition": N_("coalition"),
        "bilateral": N_("bilateral"),
        "trilateral": N_("trilateral"),
        "multilateral": N_("multilateral"),
        "ministerial": N_("ministerial"),
        "summit": N_("summit"),
        "security-council": N_("security council"),
        "other": N_("other"),
        "veto": N_("veto"),
        "attack": N_("attack"),
        "ceasefire": N_("ceasefire"),
        "offer": N_("offer"),
        "deployment": N_("deployment"),
        "report": N_("report"),
        "statement": N_("statement"),
        "decision": N_("decision"),
        "open": N_("open"),
        "partly-answered": N_("partly answered"),
        "answered": N_("answered"),
        "agreement": N_("agreement"),
        "resolution": N_("resolution"),
        "draft-resolution": N_("draft resolution"),
        "plan": N_("plan"),
        "proposal": N_("proposal"),
        "proposed": N_("proposed"),
        "agreed": N_("agreed"),
        "adopted": N_("adopted"),
        "rejected": N_("rejected"),
        "vetoed": N_("vetoed"),
        "lapsed": N_("lapsed"),
        "broken": N_("broken"),
        "drafted": N_("drafted"),
        "signed": N_("signed"),
        "endorsed": N_("endorsed"),
        "supported": N_("supported"),
    }
)


def word(value: str) -> str:
    """A closed choice as words: 'government-body' -> 'government body'."""
    return CHOICE_WORDS[value]


# How the positions picture's legend names the stances: the data's own words ("favor"), where the
# cells say "For".
STANCE_LEGEND = Words(
    {
        "favor": N_("favor"),
        "against": N_("against"),
        "mixed": N_("mixed"),
        "neutral": N_("neutral"),
        "unclear": N_("unclear"),
    }
)
