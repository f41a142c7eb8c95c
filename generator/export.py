"""The validated briefing as JSON (Popolo-style names) or JSON-LD (schema.org types)."""

from __future__ import annotations

from typing import Any

from .model import BriefingData


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
        "issues": _dump(data.issues),
        "positions": _dump(data.positions),
        "quotes": _dump(data.quotes),
        "disputes": _dump(data.disputes),
        "figures": _dump(data.figures),
        "questions": _dump(data.questions),
        "sources": _dump(data.sources),
    }


def to_jsonld(data: BriefingData) -> dict[str, Any]:
    def ref(kind: str, id_: str) -> dict[str, str]:
        return {"@id": f"#{kind}-{id_}"}

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
    return {
        "@context": {"@vocab": "https://schema.org/", "sha256": "https://schema.org/sha256"},
        "@id": f"#briefing-{data.slug}",
        "name": data.briefing.title,
        "description": data.briefing.summary,
        "dateModified": data.briefing.as_of,
        "@graph": graph,
    }
