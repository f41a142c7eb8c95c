"""The kinds of entry a briefing holds, declared once.

Every stage asks this registry, never a kind's name: what a collection file holds
(`load`), which fields name which kinds and which entries are claims needing sources
(`validate`), the reverse indexes (`index`), the pages and the navigation (`plan`), the
export (`export`), `briefing new`'s examples (`scaffold`) and the JSON Schemas. A new kind
is a model class, one `Kind` here and its page template (see the README, "Adding a kind").
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .i18n import N_, _, ngettext
from .model import (
    Actor,
    Dispute,
    Document,
    Entry,
    Event,
    Figure,
    Issue,
    Meeting,
    Position,
    Question,
    Quote,
    Source,
)
from .words import KIND_COUNTS, word


def name_key(name: str) -> str:
    """Alphabetical order that files "Émile" under E, not after Z; other scripts follow Latin."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def date_key(date: str | None) -> str:
    """Partial ISO dates sort by their text; undated things go last."""
    return date or "9999"


@dataclass(frozen=True)
class Ref:
    """A field of one kind holding ids of another: `path` walks the entry ("*" for each item of
    a list), `target` is the plural of the kind named.

    `index`, when set, names the reverse index `Index` keeps for it (`ix.attended[actor_id]`):
    the entries naming that id, in their kind's `order`; with `pairs`, each as
    (entry, the list item holding the id), e.g. (meeting, attendee)."""

    path: tuple[str, ...]
    target: str
    index: str | None = None
    pairs: bool = False

    @functools.cached_property
    def values(self) -> Callable[[Any], list[tuple[str, Any]]]:
        """`ref.values(entry)`: the ids at `path` in `entry`, each with the item holding it, as
        `walk` gives them but without where they are: a function made for the path's shape (the
        index and the checks ask every entry, so the generic walk would cost a second at 1,000
        actors)."""
        return _accessor(self.path)


@dataclass(frozen=True)
class Kind:
    name: str  # singular, as in messages: "actor"
    plural: str  # the collection: `<plural>.yaml` or `<plural>/`, and the pages' folder
    model: type[Entry]
    title: str  # the section's heading and its label in the navigation (N_: shown with `_()`)
    refs: tuple[Ref, ...] = ()
    claim: bool = False  # a statement of fact: warned about when it has no source
    label: str = "name"  # the field a link to an entry shows
    pages: bool = True  # one page per entry (else its entries live on other pages)
    # An index page listing every entry, `<plural>/index.md`. Like its line on the overview, its place
    # in the navigation and its chapter in the book, only when the briefing has entries of the kind.
    listing: bool = True
    place: int = 0  # order in the navigation and the book, among the kinds and `plan.VIEWS`
    nav: bool = False  # the index page is in each briefing's navigation
    book_cap: int = 80  # the book shows this many entries (the latest, for kinds on the timeline)
    book_inner: int = 15  # and this many of each list inside an entry
    # The order of the index page, and of the reverse indexes (None: as written).
    order: Callable[[Any], Any] | None = None
    listing_order: Callable[[Any], Any] | None = None  # the index page's, when not `order`
    search_boost: int | None = None  # how much search favours its pages
    timeline: bool = False  # on the timeline, by `start_date` or `date`
    sequence: bool = False  # each entry's page links to the one before and after it, in `order`
    # Listed on the page of every entry it names (`_related.md.j2`), and on the overview.
    related: bool = False
    # What the timeline's "Kind" column says of an entry.
    timeline_label: Callable[[Any], str] | None = None
    export: str = "Thing"  # schema.org type in the JSON-LD export
    # Shown on another kind's page instead of its own: (owner's plural, owner field, anchor prefix).
    anchored: tuple[str, str, str] | None = None
    # The kind as a reader reads it (`name` is an id, in CSS classes and anchors), each marked for
    # the catalog and shown with `_()`: in a sentence ("meeting") and as a label ("Meeting"). How
    # it is counted ("1 meeting", "12 meetings") is `words.KIND_COUNTS`'.
    word: str = ""
    singular: str = ""

    def as_word(self) -> str:
        """The kind in a sentence, singular, in the language being written: "meeting"."""
        return _(self.word) if self.word else self.name

    def as_label(self) -> str:
        """The kind as a label, singular: "Meeting"."""
        return _(self.singular) if self.singular else self.name.capitalize()

    def count(self, n: int) -> str:
        """`n` entries of the kind: "1 meeting", "12 meetings"."""
        pair = KIND_COUNTS.get(self.name)
        return ngettext(*pair, n).format(n=n) if pair else f"{n} {self.plural}"

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"

    @property
    def listing_template(self) -> str:
        return f"{self.plural}.md.j2"

    def sort(self, items: list[Any]) -> list[Any]:
        return sorted(items, key=self.order) if self.order else list(items)

    def listed(self, items: list[Any]) -> list[Any]:
        """In the order of its index page (`listing_order`, else `order`)."""
        return sorted(items, key=self.listing_order) if self.listing_order else self.sort(items)


def _by_name(x: Any) -> Any:
    return (name_key(x.name), x.id)


_BY_START = lambda x: (x.start_date, x.id)  # noqa: E731
_BY_DATE = lambda x: (x.date, x.id)  # noqa: E731


# In the order of the navigation.
KINDS: tuple[Kind, ...] = (
    Kind(
        "actor",
        "actors",
        Actor,
        N_("Actors"),
        word=N_("actor"),
        singular=N_("Actor"),
        refs=(Ref(("memberships", "*", "organization"), "actors", "members", pairs=True),),
        search_boost=3,
        place=10,
        nav=True,
        listing_order=_by_name,
    ),
    Kind(
        "meeting",
        "meetings",
        Meeting,
        N_("Meetings"),
        word=N_("meeting"),
        singular=N_("Meeting"),
        refs=(
            Ref(("host",), "actors", "hosted"),
            Ref(("attendees", "*", "actor"), "actors", "attended", pairs=True),
            Ref(("attendees", "*", "via"), "actors", "delegated", pairs=True),
            Ref(("absentees", "*", "actor"), "actors", "absent", pairs=True),
            Ref(("issues", "*"), "issues", "issue_meetings"),
        ),
        claim=True,
        place=20,
        nav=True,
        search_boost=2,
        order=_BY_START,
        timeline=True,
        sequence=True,
        timeline_label=lambda m: _("meeting ({format})").format(format=word(m.format)),
        export="Event",
    ),
    Kind(
        "issue",
        "issues",
        Issue,
        N_("Issues"),
        word=N_("issue"),
        singular=N_("Issue"),
        place=30,
        nav=True,
        listing_order=_by_name,
        book_cap=30,
        search_boost=2,
    ),
    Kind(
        "position",
        "positions",
        Position,
        N_("Positions"),
        word=N_("position"),
        singular=N_("Position"),
        refs=(
            Ref(("actor",), "actors", "actor_positions"),
            Ref(("issue",), "issues", "issue_positions"),
            Ref(("meeting",), "meetings", "meeting_positions"),
            Ref(("quotes", "*"), "quotes"),
        ),
        claim=True,
        label="summary",
        pages=False,
        listing=False,
        order=_BY_DATE,
        export="Claim",
        anchored=("actors", "actor", "position"),
    ),
    Kind(
        "quote",
        "quotes",
        Quote,
        N_("Quotes"),
        word=N_("quote"),
        singular=N_("Quote"),
        refs=(
            Ref(("speaker",), "actors", "actor_quotes"),
            Ref(("meeting",), "meetings", "meeting_quotes"),
            Ref(("source",), "sources"),
            Ref(("issues", "*"), "issues"),  # indexed with the issues of its positions
        ),
        claim=True,
        label="text",
        pages=False,
        listing=False,
        order=lambda q: (date_key(q.date), q.id),
        export="Quotation",
        anchored=("actors", "speaker", "quote"),
    ),
    Kind(
        "event",
        "events",
        Event,
        N_("Other events"),
        word=N_("event"),
        singular=N_("Event"),
        refs=(
            Ref(("actors", "*"), "actors", "actor_events"),
            Ref(("issues", "*"), "issues", "issue_events"),
            Ref(("meetings", "*"), "meetings", "meeting_events"),
        ),
        claim=True,
        place=22,
        search_boost=2,
        order=_BY_START,
        timeline=True,
        timeline_label=lambda e: word(e.kind),
        export="Event",
    ),
    Kind(
        "dispute",
        "disputes",
        Dispute,
        N_("Disputed accounts"),
        word=N_("dispute"),
        singular=N_("Dispute"),
        refs=(
            Ref(("issue",), "issues", "issue_disputes"),
            Ref(("meeting",), "meetings", "meeting_disputes"),
            Ref(("accounts", "*", "actor"), "actors", "actor_disputes"),
            Ref(("accounts", "*", "quotes", "*"), "quotes"),
            Ref(("accounts", "*", "sources", "*"), "sources"),
        ),
        claim=True,
        place=50,
        listing_order=lambda x: (x.date or "", x.id),
        export="Claim",
    ),
    Kind(
        "figure",
        "figures",
        Figure,
        N_("Figures"),
        word=N_("figure"),
        singular=N_("Figure"),
        refs=(Ref(("issues", "*"), "issues", "issue_figures"),),
        claim=True,
        label="label",
        pages=False,
        listing_order=lambda x: (x.label.casefold(), x.id),
        export="Observation",
    ),
    Kind(
        "question",
        "questions",
        Question,
        N_("Open questions"),
        word=N_("question"),
        singular=N_("Question"),
        refs=(
            Ref(("actors", "*"), "actors", "actor_questions"),
            Ref(("issues", "*"), "issues", "issue_questions"),
            Ref(("meetings", "*"), "meetings", "meeting_questions"),
            Ref(("events", "*"), "events", "event_questions"),
        ),
        label="question",
        place=60,
        nav=True,
        listing_order=lambda q: (q.status != "open", q.id),
        export="Question",
    ),
    Kind(
        "document",
        "documents",
        Document,
        N_("Documents"),
        word=N_("document"),
        singular=N_("Document"),
        refs=(
            Ref(("parties", "*", "actor"), "actors"),
            Ref(("issues", "*"), "issues"),
            Ref(("meetings", "*"), "meetings"),
            Ref(("events", "*"), "events"),
        ),
        claim=True,
        label="title",
        place=25,
        nav=True,
        search_boost=2,
        order=lambda d: (date_key(d.date), d.id),
        timeline=True,
        timeline_label=lambda d: _("document ({kind})").format(kind=word(d.kind)),
        related=True,
        export="CreativeWork",
    ),
    Kind(
        "source",
        "sources",
        Source,
        N_("Sources"),
        word=N_("source"),
        singular=N_("Source"),
        label="title",
        place=70,
        book_inner=5,
        nav=True,
        listing_order=lambda x: (x.date or "", x.id),
        export="CreativeWork",
    ),
)

BY_PLURAL: dict[str, Kind] = {k.plural: k for k in KINDS}
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_MODEL: dict[type[Entry], Kind] = {k.model: k for k in KINDS}
# Collection name -> entity class. Each collection lives in `<name>.yaml` (a list of entries) or
# in a folder `<name>/` of such files, for briefings that grow large.
COLLECTIONS: dict[str, type[Entry]] = {k.plural: k.model for k in KINDS}


def refs(kind: Kind) -> tuple[Ref, ...]:
    """The kind's references, its `sources` included."""
    if "sources" not in kind.model.model_fields:
        return kind.refs
    return (*kind.refs, Ref(("sources", "*"), "sources"))


REFS: dict[str, tuple[Ref, ...]] = {k.plural: refs(k) for k in KINDS}


def walk(obj: Any, path: tuple[str, ...]) -> Iterator[tuple[str, tuple[str | int, ...], Any]]:
    """Each id at `path` in `obj`: (the id, where it is, the item of the first list on the way, or
    `obj` itself when there is none): for ("attendees", "*", "actor"), the attendee."""
    for value, concrete, holder in _walk(obj, path, (), None):
        yield value, concrete, obj if holder is None else holder


def _walk(
    obj: Any, path: tuple[str, ...], concrete: tuple[str | int, ...], holder: Any
) -> Iterator[tuple[str, tuple[str | int, ...], Any]]:
    if obj is None:
        return
    if not path:
        yield obj, concrete, holder
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, item in enumerate(obj):
            yield from _walk(item, rest, (*concrete, i), item if holder is None else holder)
    else:
        yield from _walk(getattr(obj, head), rest, (*concrete, head), holder)


def _accessor(path: tuple[str, ...]) -> Callable[[Any], list[tuple[str, Any]]]:
    match path:
        case (name,):
            return lambda obj: [] if (v := getattr(obj, name)) is None else [(v, obj)]
        case (name, "*"):
            return lambda obj: [(v, v) for v in getattr(obj, name)]
        case (name, "*", inner):
            return lambda obj: [(v, it) for it in getattr(obj, name) if (v := getattr(it, inner)) is not None]
        case _:
            return lambda obj: [(value, holder) for value, _where, holder in walk(obj, path)]
