"""Cross-references, computed once before any page is rendered (templates only read them)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .kinds import BY_PLURAL, KINDS, REFS, date_key
from .model import Actor, BriefingData, Figure, Issue, Meeting, Position, Quote

__all__ = ["Index", "build_index", "date_key"]

Entry = tuple[str, str]  # (kind's plural, id)


@dataclass
class Index:
    """Each kind's entries by id (`ix.actors[id]`), and the reverse indexes the registry's
    references name (`ix.attended[actor_id]`, `ix.issue_positions[issue_id]`…), read as
    attributes."""

    data: BriefingData
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # plural -> id -> entry
    reverse: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # index name -> id -> entries
    # source id -> kind -> things citing it
    cited_by: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    # (kind's plural, id) -> a `related` kind's plural -> its entries naming it, in its order
    related_to: dict[tuple[str, str], dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    issue_quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    sequences: dict[str, list[Any]] = field(default_factory=dict)  # a `sequence` kind's entries, in order
    positions_in: dict[str, dict[str, int]] = field(default_factory=dict)  # and where each one is
    meetings_by_date: list[Meeting] = field(default_factory=list)
    timeline: list[tuple[str, Any]] = field(default_factory=list)
    matrix_actors: list[Actor] = field(default_factory=list)
    matrix_issues: list[Issue] = field(default_factory=list)
    key_figures: list[Figure] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        # Reached only for a name `build_index` did not set: the kinds' tables and the reverse
        # indexes are plain attributes. Declared so that they type as Any, not as missing.
        raise AttributeError(name)

    @functools.cached_property
    def links(self) -> tuple[dict[Entry, set[Entry]], dict[Entry, set[Entry]]]:
        """(what each entry names, the entries naming each), as (kind's plural, id): made the first
        time a page's `reads` are asked for, which a plain build does not."""
        names: dict[Entry, set[Entry]] = defaultdict(set)
        named_by: dict[Entry, set[Entry]] = defaultdict(set)
        for kind in KINDS:
            for entry in getattr(self.data, kind.plural):
                me = (kind.plural, entry.id)
                for ref in REFS[kind.plural]:
                    for value, _ in ref.values(entry):
                        names[me].add((ref.target, value))
                        named_by[(ref.target, value)].add(me)
        return names, named_by

    def prev_next(self, meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
        return self.neighbours("meetings", meeting.id)

    def neighbours(self, plural: str, id_: str) -> tuple[Any, Any]:
        """The entries before and after this one, in its kind's order (a `sequence` kind's)."""
        entries, i = self.sequences[plural], self.positions_in[plural][id_]
        return (entries[i - 1] if i > 0 else None), (entries[i + 1] if i + 1 < len(entries) else None)

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
    for kind in KINDS:
        ix.entries[kind.plural] = {e.id: e for e in getattr(data, kind.plural)}
        for ref in kind.refs:
            if ref.index:
                ix.reverse[ref.index] = defaultdict(list)
    # Also as plain attributes, which templates read without a call to `__getattr__`.
    ix.__dict__.update(ix.entries)
    ix.__dict__.update(ix.reverse)

    cited: set[tuple[str, str, str]] = set()  # by id: comparing whole models is slow
    for kind in KINDS:
        for entry in kind.sort(getattr(data, kind.plural)):
            listed: set[tuple[str, str]] = set()  # an entry is listed once under each id it names
            related: set[tuple[str, str]] = set()
            for ref in REFS[kind.plural]:
                target = ref.target
                for value, holder in ref.values(entry):
                    if kind.related and (target, value) not in related:
                        related.add((target, value))
                        ix.related_to[(target, value)][kind.plural].append(entry)
                    if target == "sources" and (value, kind.plural, entry.id) not in cited:
                        cited.add((value, kind.plural, entry.id))
                        ix.cited_by[value][kind.plural].append(entry)
                    if ref.index is None:
                        continue
                    if ref.pairs:
                        ix.reverse[ref.index][value].append((entry, holder))
                    elif (ref.index, value) not in listed:
                        listed.add((ref.index, value))
                        ix.reverse[ref.index][value].append(entry)

    for kind in KINDS:
        if kind.sequence:
            ix.sequences[kind.plural] = kind.sort(getattr(data, kind.plural))
            ix.positions_in[kind.plural] = {e.id: i for i, e in enumerate(ix.sequences[kind.plural])}
    ix.meetings_by_date = ix.sequences["meetings"]
    # A quote bears on its own issues and on those of the positions it backs.
    quote_issues: dict[str, set[str]] = defaultdict(set)
    for p in data.positions:
        for q_id in p.quotes:
            quote_issues[q_id].add(p.issue)
    for q in BY_PLURAL["quotes"].sort(data.quotes):
        for i in sorted(set(q.issues) | quote_issues[q.id]):
            ix.issue_quotes[i].append(q)
    dated = (
        (getattr(e, "start_date", None) or e.date, e)
        for k in KINDS
        if k.timeline
        for e in getattr(data, k.plural)
    )
    ix.timeline = sorted(((d, e) for d, e in dated if d), key=lambda t: (t[0], t[1].id))
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
