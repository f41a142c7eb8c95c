"""The typed briefing model: one pydantic class per kind of entity.

These classes are the schema: validation, `briefing schema` (JSON Schema) and the
field reference in the README are all derived from them.
"""

from __future__ import annotations

import calendar
import functools
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date_parts(value: str) -> tuple[int, int | None, int | None]:
    """Year, month and day of YYYY, YYYY-MM or YYYY-MM-DD (month and day None where not given)."""
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    return year, month, day


@functools.lru_cache(maxsize=1 << 14)  # by the text: a briefing's dates recur (meetings, positions, quotes)
def check_partial_date(value: str) -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD, and only dates that exist."""
    year, month, day = partial_date_parts(value)
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{value}' is not a date: there is no month {month}")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if day == 0:
            raise ValueError(f"'{value}' is not a date: there is no day 0")
        if not 1 <= day <= last:
            raise ValueError(f"'{value}' is not a date: {calendar.month_name[month]} {year} has {last} days")
    return value


Id = Annotated[str, StringConstraints(pattern=SLUG_RE, max_length=100)]
Date = Annotated[str, AfterValidator(check_partial_date)]
Text = Annotated[str, StringConstraints(min_length=1)]
# Names and titles appear in links on many pages: short, so one pasted paragraph costs one page.
Name = Annotated[str, StringConstraints(min_length=1, max_length=300)]

Classification = Literal[
    "person",
    "state",
    "government-body",
    "international-organization",
    "organization",
    "opposition-body",
    "armed-group",
    "coalition",
]
Stance = Literal["favor", "against", "mixed", "neutral", "unclear"]
Participation = Literal["in-person", "video-link", "phone", "delegate", "observer"]
MeetingFormat = Literal[
    "bilateral", "trilateral", "multilateral", "ministerial", "summit", "security-council", "other"
]
EventKind = Literal[
    "veto", "attack", "ceasefire", "offer", "deployment", "report", "statement", "decision", "other"
]
QuestionStatus = Literal["open", "partly-answered", "answered"]
DocumentKind = Literal[
    "agreement", "resolution", "draft-resolution", "statement", "plan", "proposal", "other"
]
DocumentStatus = Literal["proposed", "agreed", "adopted", "rejected", "vetoed", "lapsed", "broken"]
PartyRole = Literal[
    "proposed", "drafted", "signed", "agreed", "adopted", "endorsed", "supported", "rejected", "vetoed"
]


class Entry(BaseModel):
    """Fields every entity has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id = Field(description="Unique slug: lowercase letters, digits and hyphens.")
    notes: str | None = Field(None, description="Analyst's notes, e.g. how a fact was inferred.")


class Sourced(Entry):
    sources: list[Id] = Field(default_factory=list, description="Ids of the sources behind this.")


class Dated(BaseModel):
    date_inferred: str | None = Field(
        None, description="Set when the date is inferred, not stated: say how it was inferred."
    )


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start_date: Date
    end_date: Date | None = None


class Briefing(BaseModel):
    """`briefing.yaml`: what the briefing is about and how current it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Name
    summary: Text
    as_of: Date = Field(description="The date the picture is current to.")
    period: Period | None = None
    tags: list[str] = Field(default_factory=list)
    language: str = Field(
        "en",
        description="The language the generated words and dates are in: en, fr, es, ru, ar, zh or de "
        "(another code writes English and says so).",
    )
    source_texts: str | None = Field(
        None,
        description="Folder of the sources' stored texts, inside the briefing folder (e.g. `texts`): "
        "every check, build and serve then checks each quote against its source's text.",
    )


class Identifier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: Text = Field(description="e.g. wikidata")
    identifier: Text


class Membership(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    organization: Id = Field(description="Actor id of the body this actor belongs to or speaks for.")
    role: str | None = None
    start_date: Date | None = None
    end_date: Date | None = None


class Actor(Sourced):
    """A person, state, organization or armed group."""

    name: Name
    other_names: list[Name] = Field(default_factory=list, description="Aliases; search finds them.")
    classification: Classification
    role: str | None = Field(None, description="Role or title during the briefing period.")
    memberships: list[Membership] = Field(default_factory=list)
    summary: str | None = None
    identifiers: list[Identifier] = Field(default_factory=list)


class Attendee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: Id
    participation: Participation = "in-person"
    via: Id | None = Field(None, description="For participation 'delegate': who represented them.")
    role: str | None = None
    note: str | None = None


class Absentee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: Id
    reason: str | None = Field(None, description="Why they were absent or excluded, if known.")


class Meeting(Sourced, Dated):
    """A meeting or round of talks."""

    name: Name
    start_date: Date
    end_date: Date | None = None
    location: str | None = None
    format: MeetingFormat
    host: Id | None = Field(None, description="Actor id of the host or organizer.")
    summary: str | None = None
    attendees: list[Attendee] = Field(default_factory=list)
    absentees: list[Absentee] = Field(default_factory=list)
    agenda: list[Text] = Field(default_factory=list)
    outcomes: list[Text] = Field(default_factory=list)
    issues: list[Id] = Field(default_factory=list)


class Event(Sourced, Dated):
    """Something else on the timeline: a veto, an attack, an offer, a deployment."""

    name: Name
    kind: EventKind
    start_date: Date
    end_date: Date | None = None
    location: str | None = None
    summary: str | None = None
    actors: list[Id] = Field(default_factory=list)
    issues: list[Id] = Field(default_factory=list)
    meetings: list[Id] = Field(default_factory=list, description="Meetings this event bears on.")


class Issue(Sourced):
    """A subject on which actors take positions."""

    name: Name
    summary: str | None = None
    other_names: list[Name] = Field(default_factory=list)


class Position(Sourced, Dated):
    """What one actor holds on one issue, as of a date."""

    actor: Id
    issue: Id
    stance: Stance
    summary: Text = Field(description="One line, in the analyst's own words.")
    date: Date
    meeting: Id | None = Field(None, description="Meeting where the position was stated.")
    quotes: list[Id] = Field(default_factory=list)


class Quote(Entry, Dated):
    """Words an actor said, verbatim, with the source that reports them."""

    speaker: Id
    text: Text = Field(description="Verbatim, as in the source.")
    date: Date | None = None
    meeting: Id | None = None
    occasion: str | None = Field(None, description="Where it was said, when not at a listed meeting.")
    source: Id | None = None
    issues: list[Id] = Field(default_factory=list)


class Question(Sourced):
    """An open question the briefing cannot yet answer."""

    question: Text
    status: QuestionStatus = "open"
    why_it_matters: str | None = None
    what_would_answer: str | None = None
    actors: list[Id] = Field(default_factory=list)
    issues: list[Id] = Field(default_factory=list)
    meetings: list[Id] = Field(default_factory=list)
    events: list[Id] = Field(default_factory=list)


class Figure(Sourced, Dated):
    """A number the sources give: displaced, trapped, dead, fled."""

    label: Name
    value: Text = Field(description="As stated, e.g. 'more than 250,000'.")
    number: int | None = Field(None, description="The figure as a plain number, for sorting.")
    date: Date | None = None
    place: str | None = None
    issues: list[Id] = Field(default_factory=list)


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: Id
    summary: Text
    quotes: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)


class Dispute(Sourced, Dated):
    """Two or more actors' opposing accounts of the same facts."""

    name: Name
    date: Date | None = None
    issue: Id | None = None
    meeting: Id | None = None
    accounts: list[Account] = Field(min_length=2)


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: Id
    role: PartyRole = Field(description="What the actor did with the document.")
    note: str | None = None


class Document(Sourced, Dated):
    """An agreement, resolution, statement or plan that actors propose, sign, endorse or reject."""

    title: Name
    kind: DocumentKind
    date: Date | None = Field(None, description="When it was made, adopted or put forward.")
    status: DocumentStatus = Field(description="Where it stood as of the briefing's date.")
    parties: list[Party] = Field(default_factory=list)
    summary: str | None = Field(None, description="What it says or does, in the analyst's own words.")
    issues: list[Id] = Field(default_factory=list)
    meetings: list[Id] = Field(default_factory=list, description="Meetings where it was made or discussed.")
    events: list[Id] = Field(default_factory=list)


class Source(Entry, Dated):
    """An article or document the briefing draws on."""

    title: Name
    outlet: str | None = None
    author: str | None = None
    date: Date | None = None
    url: str | None = None
    snapshot: str | None = Field(
        None, description="File name of the stored text, for quote verification (--sources DIR)."
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, description="SHA-256 of the stored text; recorded by `briefing check --sources`."
    )


class BriefingData(BaseModel):
    """One whole, validated briefing."""

    model_config = ConfigDict(frozen=True)

    slug: str
    briefing: Briefing
    actors: list[Actor] = []
    issues: list[Issue] = []
    meetings: list[Meeting] = []
    events: list[Event] = []
    positions: list[Position] = []
    quotes: list[Quote] = []
    disputes: list[Dispute] = []
    figures: list[Figure] = []
    questions: list[Question] = []
    documents: list[Document] = []
    sources: list[Source] = []


# The words people write first for a field, where spelling is no guide ("aliases" is nowhere near
# "other_names"). For a word, the checker suggests the first field in this order that the entry
# has and lacks ("title" is a meeting's name, an actor's role, a figure's label).
WORDS_FOR: dict[str, str] = {
    "other_names": "aliases alias aka also_known_as nicknames",
    "start_date": "date start from begin",
    "end_date": "end to until",
    "attendees": "participants attendance present",
    "absentees": "absent missing",
    "text": "quote words said",
    "speaker": "by who said_by author",
    "actor": "by who",
    "summary": "description details text",
    "location": "place venue where city",
    "classification": "type category",
    "format": "type",
    "kind": "type category",
    "name": "title",
    "stance": "position",
    "role": "title position job",
    "label": "title",
    "url": "link href",
    "source": "url link href sources",
    "sources": "source",
    "issue": "topic subject",
    "issues": "topics",
    "actors": "people",
    "host": "organizer organiser",
    "outcomes": "result results outcome",
    "value": "number amount",
}


def _by_word(words_for: dict[str, str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for field_name, words in words_for.items():
        for word in words.split():
            out[word] = (*out.get(word, ()), field_name)
    return out


SYNONYMS = _by_word(WORDS_FOR)  # word -> the fields it may mean, in order
