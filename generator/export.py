"""The validated briefing as JSON (Popolo-style names) or JSON-LD (schema.org types)."""

from __future__ import annotations

from typing import Any

from .kinds import BY_PLURAL, KINDS, REFS
from .model import BriefingData

_POPOLO = ("actors", "meetings", "events")  # persons, organizations, memberships and events


def _dump(items: list[Any]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", exclude_none=True, exclude_defaults=False) for item in items]


def to_json(data: BriefingData) -> dict[str, Any]:
    people = [a for a in data.actors if a.classification == "person"]
    others = [a for a in data.actors if a.classification != "person"]
    memberships = [
        {
            "person_id" if a.classification == "person" else "member_id": a.id,
            **m.model_dump(exclude_none=True),
        }
        for a in data.actors
        for m in a.memberships
    ]
    for m in memberships:
        m["organization_id"] = m.pop("organization")
    return {
        "id": data.slug,
        **data.briefing.model_dump(mode="json", exclude_none=True),
        "persons": _dump(people),
        "organizations": _dump(others),
        "memberships": memberships,
        "events": [{**e, "classification": "meeting"} for e in _dump(data.meetings)]
        + [{**e, "classification": e.pop("kind")} for e in _dump(data.events)],
        # The other kinds under their own names, as they are written.
        **{k.plural: _dump(getattr(data, k.plural)) for k in KINDS if k.plural not in _POPOLO},
    }


# Kinds with a mapping of their own to schema.org below.
_JSONLD = ("actors", "meetings", "events", "issues", "positions", "quotes", "sources")


def ref_id(kind: str, id_: str) -> dict[str, str]:
    return {"@id": f"#{kind}-{id_}"}


def to_jsonld(data: BriefingData) -> dict[str, Any]:
    ref = ref_id

    def clean(node: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in node.items() if v not in (None, [], "")}

    graph: list[dict[str, Any]] = []
    for a in data.actors:
        graph.append(
            clean(
                {
                    **ref("actor", a.id),
                    "@type": "Person" if a.classification == "person" else "Organization",
                    "name": a.name,
                    "alternateName": a.other_names,
                    "jobTitle": a.role,
                    "description": a.summary,
                    "memberOf": [ref("actor", m.organization) for m in a.memberships],
                    "sameAs": [
                        f"https://www.wikidata.org/wiki/{i.identifier}"
                        for i in a.identifiers
                        if i.scheme == "wikidata"
                    ],
                }
            )
        )
    for m in data.meetings:
        graph.append(
            clean(
                {
                    **ref("meeting", m.id),
                    "@type": "Event",
                    "name": m.name,
                    "startDate": m.start_date,
                    "endDate": m.end_date,
                    "location": m.location,
                    "description": m.summary,
                    "organizer": ref("actor", m.host) if m.host else None,
                    "attendee": [ref("actor", a.actor) for a in m.attendees],
                    "about": [ref("issue", i) for i in m.issues],
                    "citation": [ref("source", s) for s in m.sources],
                }
            )
        )
    for e in data.events:
        graph.append(
            clean(
                {
                    **ref("event", e.id),
                    "@type": "Event",
                    "name": e.name,
                    "startDate": e.start_date,
                    "endDate": e.end_date,
                    "location": e.location,
                    "description": e.summary,
                    "additionalType": e.kind,
                    "actor": [ref("actor", a) for a in e.actors],
                    "citation": [ref("source", s) for s in e.sources],
                }
            )
        )
    for i in data.issues:
        graph.append(
            clean({**ref("issue", i.id), "@type": "Thing", "name": i.name, "description": i.summary})
        )
    for p in data.positions:
        graph.append(
            clean(
                {
                    **ref("position", p.id),
                    "@type": "Claim",
                    "author": ref("actor", p.actor),
                    "about": ref("issue", p.issue),
                    "text": p.summary,
                    "dateCreated": p.date,
                    "keywords": p.stance,
                    "citation": [ref("source", s) for s in p.sources],
                }
            )
        )
    for q in data.quotes:
        graph.append(
            clean(
                {
                    **ref("quote", q.id),
                    "@type": "Quotation",
                    "text": q.text,
                    "creator": ref("actor", q.speaker),
                    "dateCreated": q.date,
                    "isBasedOn": ref("source", q.source) if q.source else None,
                }
            )
        )
    for s in data.sources:
        graph.append(
            clean(
                {
                    **ref("source", s.id),
                    "@type": "CreativeWork",
                    "name": s.title,
                    "author": s.author,
                    "publisher": s.outlet,
                    "datePublished": s.date,
                    "url": s.url,
                    "sha256": s.sha256,
                }
            )
        )
    # The kinds without a mapping above, as their declared type, linked to what they name.
    for kind in KINDS:
        if kind.plural in _JSONLD:
            continue
        for x in getattr(data, kind.plural):
            named: dict[str, list[dict[str, str]]] = {}
            for field in REFS[kind.plural]:
                prop = "citation" if field.target == "sources" else "mentions"
                for value, _ in field.values(x):
                    node = ref_id(BY_PLURAL[field.target].name, value)
                    if node not in named.setdefault(prop, []):
                        named[prop].append(node)
            graph.append(
                clean(
                    {
                        **ref_id(kind.name, x.id),
                        "@type": kind.export,
                        "name": getattr(x, kind.label),
                        "description": getattr(x, "summary", None),
                        "dateCreated": getattr(x, "date", None),
                        **named,
                    }
                )
            )
    return {
        "@context": {"@vocab": "https://schema.org/", "sha256": "https://schema.org/sha256"},
        "@id": f"#briefing-{data.slug}",
        "name": data.briefing.title,
        "description": data.briefing.summary,
        "dateModified": data.briefing.as_of,
        "@graph": graph,
    }
