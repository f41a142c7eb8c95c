"""Cross-references, computed once before any page is rendered (templates only read them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .model import (
    Actor,
    BriefingData,
    Dispute,
    Event,
    Figure,
    Issue,
    Meeting,
    Position,
    Question,
    Quote,
    Source,
)


def date_key(date: str | None) -> str:
    """Partial ISO dates sort by their text; undated things go last."""
    return date or "9999"


@dataclass
class Index:
    data: BriefingData
    actors: dict[str, Actor] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    disputes: dict[str, Dispute] = field(default_factory=dict)
    # actor id -> ...
    attended: dict[str, list[tuple[Meeting, Any]]] = field(default_factory=lambda: defaultdict(list))
    absent: dict[str, list[tuple[Meeting, Any]]] = field(default_factory=lambda: defaultdict(list))
    hosted: dict[str, list[Meeting]] = field(default_factory=lambda: defaultdict(list))
    delegated: dict[str, list[tuple[Meeting, Any]]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, list[tuple[Actor, Any]]] = field(default_factory=lambda: defaultdict(list))
    actor_positions: dict[str, list[Position]] = field(default_factory=lambda: defaultdict(list))
    actor_quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    actor_events: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    actor_disputes: dict[str, list[Dispute]] = field(default_factory=lambda: defaultdict(list))
    actor_questions: dict[str, list[Question]] = field(default_factory=lambda: defaultdict(list))
    # meeting id -> ...
    meeting_quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    meeting_positions: dict[str, list[Position]] = field(default_factory=lambda: defaultdict(list))
    meeting_events: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    meeting_questions: dict[str, list[Question]] = field(default_factory=lambda: defaultdict(list))
    meeting_disputes: dict[str, list[Dispute]] = field(default_factory=lambda: defaultdict(list))
    # issue id -> ...
    issue_positions: dict[str, list[Position]] = field(default_factory=lambda: defaultdict(list))
    issue_quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    issue_meetings: dict[str, list[Meeting]] = field(default_factory=lambda: defaultdict(list))
    issue_events: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    issue_disputes: dict[str, list[Dispute]] = field(default_factory=lambda: defaultdict(list))
    issue_questions: dict[str, list[Question]] = field(default_factory=lambda: defaultdict(list))
    issue_figures: dict[str, list[Figure]] = field(default_factory=lambda: defaultdict(list))
    event_questions: dict[str, list[Question]] = field(default_factory=lambda: defaultdict(list))
    # source id -> kind -> things citing it
    cited_by: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    meetings_by_date: list[Meeting] = field(default_factory=list)
    meeting_order: dict[str, int] = field(default_factory=dict)
    timeline: list[tuple[str, Meeting | Event]] = field(default_factory=list)
    matrix_actors: list[Actor] = field(default_factory=list)
    matrix_issues: list[Issue] = field(default_factory=list)
    key_figures: list[Figure] = field(default_factory=list)

    def prev_next(self, meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
        i = self.meeting_order[meeting.id]
        before = self.meetings_by_date[i - 1] if i > 0 else None
        after = self.meetings_by_date[i + 1] if i + 1 < len(self.meetings_by_date) else None
        return before, after

    def latest(self, actor_id: str, issue_id: str, as_of: str | None = None) -> Position | None:
        """The actor's most recent position on the issue, on or before `as_of`."""
        found = None
        for p in self.actor_positions[actor_id]:
            if p.issue == issue_id and (as_of is None or p.date[: len(as_of)] <= as_of):
                found = p
        return found

    def history(self, actor_id: str, issue_id: str) -> list[Position]:
        return [p for p in self.actor_positions[actor_id] if p.issue == issue_id]

    def actor_sources(self, actor: Actor) -> list[str]:
        """The sources behind an actor's page: its positions, its quotes and its own, sorted."""
        cited = dict.fromkeys(s for p in self.actor_positions[actor.id] for s in p.sources)
        cited.update(dict.fromkeys(q.source for q in self.actor_quotes[actor.id] if q.source))
        cited.update(dict.fromkeys(actor.sources))
        return sorted(cited)

    def shifts(self, actor_id: str, issue_id: str) -> bool:
        return len({p.stance for p in self.history(actor_id, issue_id)}) > 1


def build_index(data: BriefingData) -> Index:
    ix = Index(data)
    for name in (
        "actors",
        "meetings",
        "events",
        "issues",
        "positions",
        "quotes",
        "sources",
        "questions",
        "figures",
        "disputes",
    ):
        getattr(ix, name).update((e.id, e) for e in getattr(data, name))

    cited: set[tuple[str, str, str]] = set()  # by id: comparing whole models is slow

    def cite(kind: str, obj: Any, sources: list[str]) -> None:
        for s in sources:
            if (s, kind, obj.id) not in cited:
                cited.add((s, kind, obj.id))
                ix.cited_by[s][kind].append(obj)

    ix.meetings_by_date = sorted(data.meetings, key=lambda m: (m.start_date, m.id))
    ix.meeting_order = {m.id: i for i, m in enumerate(ix.meetings_by_date)}
    for m in ix.meetings_by_date:
        for att in m.attendees:
            ix.attended[att.actor].append((m, att))
            if att.via:  # the delegate was there too, for someone else
                ix.delegated[att.via].append((m, att))
        for ab in m.absentees:
            ix.absent[ab.actor].append((m, ab))
        if m.host:
            ix.hosted[m.host].append(m)
        for i in m.issues:
            ix.issue_meetings[i].append(m)
        cite("meetings", m, m.sources)
    for actor in data.actors:
        for ms in actor.memberships:
            ix.members[ms.organization].append((actor, ms))
        cite("actors", actor, actor.sources)
    for issue in data.issues:
        cite("issues", issue, issue.sources)
    for p in sorted(data.positions, key=lambda p: (p.date, p.id)):
        ix.actor_positions[p.actor].append(p)
        ix.issue_positions[p.issue].append(p)
        if p.meeting:
            ix.meeting_positions[p.meeting].append(p)
        cite("positions", p, p.sources)
    quote_issues: dict[str, set[str]] = defaultdict(set)
    for p in data.positions:
        for q_id in p.quotes:
            quote_issues[q_id].add(p.issue)
    for q in sorted(data.quotes, key=lambda q: (date_key(q.date), q.id)):
        ix.actor_quotes[q.speaker].append(q)
        if q.meeting:
            ix.meeting_quotes[q.meeting].append(q)
        issues = set(q.issues) | quote_issues[q.id]
        for i in sorted(issues):
            ix.issue_quotes[i].append(q)
        if q.source:
            cite("quotes", q, [q.source])
    for e in sorted(data.events, key=lambda e: (e.start_date, e.id)):
        for a in e.actors:
            ix.actor_events[a].append(e)
        for i in e.issues:
            ix.issue_events[i].append(e)
        for m_id in e.meetings:
            ix.meeting_events[m_id].append(e)
        cite("events", e, e.sources)
    for d in data.disputes:
        for actor_id in dict.fromkeys(acc.actor for acc in d.accounts):
            ix.actor_disputes[actor_id].append(d)
        for acc in d.accounts:
            cite("disputes", d, acc.sources)
        if d.issue:
            ix.issue_disputes[d.issue].append(d)
        if d.meeting:
            ix.meeting_disputes[d.meeting].append(d)
        cite("disputes", d, d.sources)
    for f in data.figures:
        for i in f.issues:
            ix.issue_figures[i].append(f)
        cite("figures", f, f.sources)
    for qn in data.questions:
        for a in qn.actors:
            ix.actor_questions[a].append(qn)
        for i in qn.issues:
            ix.issue_questions[i].append(qn)
        for m_id in qn.meetings:
            ix.meeting_questions[m_id].append(qn)
        for e_id in qn.events:
            ix.event_questions[e_id].append(qn)
        cite("questions", qn, qn.sources)
    ix.timeline = sorted(
        [(m.start_date, m) for m in data.meetings] + [(e.start_date, e) for e in data.events],
        key=lambda t: (t[0], t[1].id),
    )
    with_positions = {p.actor for p in data.positions}
    ix.matrix_actors = sorted(
        (a for a in data.actors if a.id in with_positions), key=lambda a: a.name.casefold()
    )
    ix.matrix_issues = sorted(
        (i for i in data.issues if ix.issue_positions[i.id]),
        key=lambda i: (-len(ix.issue_positions[i.id]), i.name),
    )
    # Counted figures first, largest first; then the rest by label.
    ix.key_figures = sorted(
        data.figures, key=lambda f: (f.number is None, -(f.number or 0), f.label.casefold())
    )
    return ix
