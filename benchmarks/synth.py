"""Synthetic briefings for benchmarks: `make(folder, n)` writes a valid briefing of N actors.

Sizes (for N actors): about 2N meetings, 5N positions, 2N quotes, N/5 sources,
max(5, N/20) issues, N/2 events, N/10 questions, N/20 figures and N/50 disputes.
Text lengths follow the real briefing: names of 2-4 words, summaries of 1-3
sentences, quotes of 10-40 words. Every reference resolves, every actor is named
somewhere and every claim has a source, so `briefing check --strict` passes.

Everything is fictional (invented names and places) and deterministic: the same
N and seed give byte-identical files.

    python benchmarks/synth.py OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

SEED = 2016
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

SYLLABLES = [
    "al",
    "ar",
    "bel",
    "cor",
    "dan",
    "der",
    "el",
    "fen",
    "gar",
    "hal",
    "is",
    "jor",
    "kal",
    "lem",
    "mar",
    "nor",
    "or",
    "pel",
    "quin",
    "ras",
    "sel",
    "tor",
    "ul",
    "ven",
    "wil",
    "yar",
    "zan",
    "bra",
    "cri",
    "dro",
    "fla",
    "gre",
    "kro",
    "lin",
    "mor",
    "nel",
    "pra",
    "sti",
    "tra",
    "vor",
]
FIRST_NAMES = [
    "Anna",
    "Boris",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Ilse",
    "Jonas",
    "Karim",
    "Lena",
    "Marek",
    "Nadia",
    "Oskar",
    "Petra",
    "Rami",
    "Sofia",
    "Tomas",
    "Ursula",
    "Viktor",
    "Yara",
    "Zoran",
    "Amir",
    "Bettina",
    "Cyril",
    "Dana",
    "Emil",
    "Fatima",
    "Igor",
]
TITLES = (
    "Foreign Minister",
    "Special Envoy",
    "Defence Minister",
    "Ambassador",
    "Deputy Foreign Minister",
    "President",
    "Prime Minister",
    "Spokesperson",
    "Chief Negotiator",
    "Commander",
    "Secretary-General",
    "Humanitarian Coordinator",
)
ORG_WORDS = ("Council", "Front", "Committee", "Union", "Alliance", "Authority", "Movement", "Commission")
PLACES = (
    "Geneva",
    "Vienna",
    "Lausanne",
    "Astana",
    "New York",
    "Moscow",
    "Washington",
    "Ankara",
    "Beirut",
    "Amman",
    "Doha",
    "Riyadh",
    "Tehran",
    "Berlin",
    "Paris",
    "London",
    "Brussels",
    "Cairo",
)
ISSUE_NOUNS = (
    "ceasefire terms",
    "humanitarian access",
    "the siege of {p}",
    "the future of {n}",
    "terrorist designations",
    "aid convoys to {p}",
    "the no-fly proposal",
    "prisoner exchanges",
    "the transition timetable",
    "air strikes near {p}",
    "monitoring mechanisms",
    "the withdrawal from {p}",
    "sanctions on {n}",
    "the evacuation corridor",
    "the constitutional process",
    "refugee returns to {p}",
)
OUTLETS = ("The Daily Ledger", "Northern Wire", "Global Dispatch", "The Evening Courier", "Press Agency East")
FIGURE_LABELS = (
    "People displaced",
    "Civilians trapped",
    "Aid trucks waiting",
    "Deaths reported",
    "Refugees who fled",
    "Air strikes counted",
    "Hospitals damaged",
    "Children out of school",
)

# A small neutral vocabulary: enough variety for search indexing and realistic word lengths.
SUBJECTS = (
    "the delegation",
    "the envoy",
    "the ministry",
    "the government",
    "the coalition",
    "the mediators",
    "the opposition",
    "the council",
    "the negotiators",
    "officials",
    "the monitors",
    "the host",
)
VERBS = (
    "proposed",
    "rejected",
    "welcomed",
    "questioned",
    "called for",
    "postponed",
    "endorsed",
    "disputed",
    "confirmed",
    "reviewed",
    "conditioned",
    "linked",
    "announced",
    "denied",
    "accepted",
    "warned against",
)
OBJECTS = (
    "a pause in the fighting",
    "a joint monitoring cell",
    "access for relief convoys",
    "a new round of talks",
    "the separation of armed groups",
    "a timetable for elections",
    "guarantees for the corridor",
    "the draft resolution",
    "a limited truce",
    "the exchange of detainees",
    "the withdrawal of heavy weapons",
    "a review of the sanctions",
    "the list of designated groups",
    "the reopening of the border crossing",
)
TAILS = (
    "before the next meeting",
    "after days of delay",
    "despite objections from its partners",
    "under pressure from its allies",
    "while fighting continued",
    "in a closed session",
    "according to two officials",
    "without setting a date",
    "as the deadline passed",
    "",
)
QUOTE_WORDS = (
    "we",
    "will",
    "not",
    "accept",
    "any",
    "plan",
    "that",
    "ignores",
    "the",
    "people",
    "of",
    "this",
    "country",
    "our",
    "position",
    "has",
    "always",
    "been",
    "clear",
    "there",
    "is",
    "no",
    "military",
    "solution",
    "ceasefire",
    "must",
    "hold",
    "everywhere",
    "and",
    "all",
    "parties",
    "respect",
    "it",
    "talks",
    "can",
    "only",
    "succeed",
    "if",
    "aid",
    "reaches",
    "those",
    "who",
    "need",
    "partners",
    "have",
    "to",
    "keep",
    "their",
    "commitments",
    "time",
    "running",
    "out",
    "for",
    "civilians",
    "trapped",
    "in",
    "city",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


class _Ids:
    """Unique slugs: a second 'anna-kortel' becomes 'anna-kortel-2'."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        base = _slug(text) or "x"
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        return base if n == 1 else f"{base}-{n}"


class _Text:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def person(self) -> str:
        words = [self.rng.choice(FIRST_NAMES)] + [self.word() for _ in range(self.rng.choice((1, 1, 2, 3)))]
        return " ".join(words)  # 2-4 words

    def state(self) -> str:
        return self.rng.choice(("Republic of {w}", "{w}", "Kingdom of {w}", "Federation of {w}")).format(
            w=self.word()
        )

    def body(self) -> str:
        return f"{self.word()} {self.rng.choice(ORG_WORDS)}" + self.rng.choice(("", "", " for Peace"))

    def sentence(self) -> str:
        s = " ".join(
            p
            for p in (
                self.rng.choice(SUBJECTS),
                self.rng.choice(VERBS),
                self.rng.choice(OBJECTS),
                self.rng.choice(TAILS),
            )
            if p
        )
        return s[0].upper() + s[1:] + "."

    def summary(self, lo: int = 1, hi: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def quote(self) -> str:
        words = [self.rng.choice(QUOTE_WORDS) for _ in range(self.rng.randint(10, 40))]
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def date(self, lo: int = 1, hi: int = 12) -> str:
        month = self.rng.randint(lo, hi)
        return f"2016-{month:02d}-{self.rng.randint(1, 28):02d}"


def _pick(rng: random.Random, items: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(items), min(k, len(items)))


def build(n: int, seed: int = SEED) -> dict[str, Any]:
    """The briefing as plain data: {'briefing': {...}, 'actors': [...], ...}."""
    if n < 5:
        raise ValueError("n must be at least 5")
    rng = random.Random(f"{seed}:{n}")
    t = _Text(rng)
    ids = _Ids()
    counts = {
        "meetings": 2 * n,
        "positions": 5 * n,
        "quotes": 2 * n,
        "sources": max(3, n // 5),
        "issues": max(5, n // 20),
        "events": max(2, n // 2),
        "questions": max(2, n // 10),
        "figures": max(3, n // 20),
        "disputes": max(1, n // 50),
    }

    sources = []
    for _ in range(counts["sources"]):
        title = t.summary(1, 1).rstrip(".")
        date = t.date()
        sid = ids(f"src {title[:40]}")
        sources.append(
            {
                "id": sid,
                "title": title,
                "outlet": rng.choice(OUTLETS),
                "author": t.person(),
                "date": date,
                "url": f"https://news.example.org/{date.replace('-', '/')}/{sid}",
            }
        )
    source_ids = [s["id"] for s in sources]

    def cite(k: int = 2) -> list[str]:
        return _pick(rng, source_ids, rng.randint(1, k))

    issues = []
    for _ in range(counts["issues"]):
        name = rng.choice(ISSUE_NOUNS).format(p=rng.choice(PLACES), n=t.word())
        name = name[0].upper() + name[1:]
        issue: dict[str, Any] = {"id": ids(name), "name": name, "summary": t.summary(1, 2), "sources": cite()}
        if rng.random() < 0.3:
            issue["other_names"] = [f"the {t.word()} file"]
        issues.append(issue)
    issue_ids = [i["id"] for i in issues]

    # Actors: a fifth are bodies (states, organizations, groups) that the people belong to.
    n_bodies = max(2, n // 5)
    actors: list[dict[str, Any]] = []
    body_kinds: list[tuple[str, Callable[[], str]]] = [
        ("state", t.state),
        ("state", t.state),
        ("organization", t.body),
        ("government-body", t.body),
        ("international-organization", t.body),
        ("armed-group", t.body),
        ("opposition-body", t.body),
        ("coalition", t.body),
    ]
    for _ in range(n_bodies):
        kind, make_name = rng.choice(body_kinds)
        name = make_name()
        actor: dict[str, Any] = {
            "id": ids(name),
            "name": name,
            "classification": kind,
            "summary": t.summary(),
            "sources": cite(),
        }
        if rng.random() < 0.4:
            words = name.split()
            actor["other_names"] = ["".join(w[0] for w in words) if len(words) > 1 else f"{name} government"]
        if rng.random() < 0.5:
            actor["identifiers"] = [{"scheme": "wikidata", "identifier": f"Q{rng.randint(1000, 9_999_999)}"}]
        actors.append(actor)
    body_ids = [a["id"] for a in actors]
    for _ in range(n - n_bodies):
        name = t.person()
        title = rng.choice(TITLES)
        org = rng.choice(body_ids)
        actor = {
            "id": ids(name),
            "name": name,
            "classification": "person",
            "role": title,
            "memberships": [{"organization": org, "role": title}],
            "summary": t.summary(),
            "sources": cite(),
        }
        if rng.random() < 0.3:
            actor["other_names"] = [name.split()[-1]]
        actors.append(actor)
    actor_ids = [a["id"] for a in actors]

    meetings: list[dict[str, Any]] = []
    attended: dict[str, list[tuple[str, str]]] = {a: [] for a in actor_ids}  # actor -> [(meeting, date)]
    for k in range(counts["meetings"]):
        place = rng.choice(PLACES)
        date = t.date()
        fmt = rng.choice(
            (
                "bilateral",
                "bilateral",
                "trilateral",
                "multilateral",
                "ministerial",
                "summit",
                "security-council",
                "other",
            )
        )
        size = {"bilateral": 2, "trilateral": 3}.get(fmt, rng.randint(3, 8))
        # Walk the actor list so everyone attends something, with random company.
        first = actor_ids[(k * 3) % len(actor_ids)]
        people = [first, *_pick(rng, [a for a in actor_ids if a != first], size - 1)]
        topic = rng.choice(issues)["name"]
        name = f"{place} talks on {topic[0].lower()}{topic[1:]}"
        meeting: dict[str, Any] = {
            "id": ids(f"{name} {date}"),
            "name": name,
            "start_date": date,
            "location": place,
            "format": fmt,
            "host": rng.choice(people),
            "summary": t.summary(),
            "attendees": [
                {
                    "actor": a,
                    "participation": rng.choice(
                        ("in-person", "in-person", "in-person", "video-link", "phone", "observer")
                    ),
                }
                for a in people
            ],
            "issues": _pick(rng, issue_ids, rng.randint(1, 3)),
            "outcomes": [t.sentence() for _ in range(rng.randint(0, 3))],
            "sources": cite(),
        }
        if rng.random() < 0.3:
            meeting["agenda"] = [t.sentence() for _ in range(rng.randint(1, 4))]
        others = [a for a in actor_ids[k % 7 :: 7] if a not in people]
        if others and rng.random() < 0.3:
            meeting["absentees"] = [{"actor": rng.choice(others), "reason": t.sentence()}]
        if rng.random() < 0.15:
            meeting["date_inferred"] = "The source gives the weekday only; date taken from its dateline."
        meetings.append(meeting)
        for a in people:
            attended[a].append((meeting["id"], date))
    meeting_ids = [m["id"] for m in meetings]

    quotes: list[dict[str, Any]] = []
    said: dict[str, list[str]] = {a: [] for a in actor_ids}
    for k in range(counts["quotes"]):
        speaker = actor_ids[(k * 7) % len(actor_ids)] if k % 2 else rng.choice(actor_ids)
        quote: dict[str, Any] = {"id": ids(f"{speaker} quote {k + 1}"), "speaker": speaker, "text": t.quote()}
        if attended[speaker] and rng.random() < 0.6:
            mid, date = rng.choice(attended[speaker])
            quote["meeting"], quote["date"] = mid, date
        else:
            quote["date"] = t.date()
            quote["occasion"] = rng.choice(
                ("press conference", "television interview", "statement", "briefing to reporters")
            )
        quote["source"] = rng.choice(source_ids)
        quote["issues"] = _pick(rng, issue_ids, 1)
        quotes.append(quote)
        said[speaker].append(quote["id"])

    positions: list[dict[str, Any]] = []
    for actor_id in actor_ids:
        # 5 dated positions over 2-4 issues: repeated issues show a stance moving over time.
        held = _pick(rng, issue_ids, rng.randint(2, 4))
        for j in range(5):
            issue_id = held[j % len(held)]
            pos: dict[str, Any] = {
                "id": ids(f"{actor_id} on {issue_id} {j + 1}"),
                "actor": actor_id,
                "issue": issue_id,
                "stance": rng.choice(("favor", "against", "against", "mixed", "neutral", "unclear")),
                "summary": t.sentence(),
                "date": t.date(),
                "sources": cite(),
            }
            if attended[actor_id] and rng.random() < 0.3:
                pos["meeting"], pos["date"] = rng.choice(attended[actor_id])
            if said[actor_id] and rng.random() < 0.4:
                pos["quotes"] = _pick(rng, said[actor_id], 1)
            positions.append(pos)

    events = []
    kinds = ("veto", "attack", "ceasefire", "offer", "deployment", "report", "statement", "decision", "other")
    for _ in range(counts["events"]):
        kind = rng.choice(kinds)
        name = f"{kind.capitalize()} near {rng.choice(PLACES)}"
        date = t.date()
        event: dict[str, Any] = {
            "id": ids(f"{name} {date}"),
            "name": name,
            "kind": kind,
            "start_date": date,
            "summary": t.summary(),
            "actors": _pick(rng, actor_ids, rng.randint(1, 3)),
            "issues": _pick(rng, issue_ids, 1),
            "sources": cite(),
        }
        if rng.random() < 0.3:
            event["meetings"] = _pick(rng, meeting_ids, 1)
        events.append(event)
    event_ids = [e["id"] for e in events]

    questions = []
    for k in range(counts["questions"]):
        q = f"Will {rng.choice(SUBJECTS)} agree to {rng.choice(OBJECTS)}?"
        questions.append(
            {
                "id": ids(f"question {k + 1} {q[:40]}"),
                "question": q,
                "status": rng.choice(("open", "open", "partly-answered", "answered")),
                "why_it_matters": t.summary(1, 2),
                "what_would_answer": t.sentence(),
                "actors": _pick(rng, actor_ids, rng.randint(1, 3)),
                "issues": _pick(rng, issue_ids, 1),
                "meetings": _pick(rng, meeting_ids, rng.randint(0, 2)),
                "events": _pick(rng, event_ids, rng.randint(0, 1)),
                "sources": cite(),
            }
        )

    figures = []
    for k in range(counts["figures"]):
        number = rng.randint(10, 500) * 1000
        figures.append(
            {
                "id": ids(f"figure {k + 1}"),
                "label": rng.choice(FIGURE_LABELS),
                "value": f"more than {number:,}",
                "number": number,
                "date": t.date(),
                "place": rng.choice(PLACES),
                "issues": _pick(rng, issue_ids, 1),
                "sources": cite(),
            }
        )

    disputes = []
    for k in range(counts["disputes"]):
        a, b = _pick(rng, actor_ids, 2)
        disputes.append(
            {
                "id": ids(f"dispute {k + 1}"),
                "name": f"Who is to blame for the {rng.choice(kinds)} near {rng.choice(PLACES)}",
                "date": t.date(),
                "issue": rng.choice(issue_ids),
                "accounts": [{"actor": x, "summary": t.sentence(), "sources": cite(1)} for x in (a, b)],
                "sources": cite(1),
            }
        )

    briefing = {
        "title": f"Synthetic briefing ({n} actors)",
        "summary": "Generated for benchmarks by benchmarks/synth.py; every name in it is invented. "
        + t.summary(2, 2),
        "as_of": "2016-12-31",
        "period": {"start_date": "2016-01", "end_date": "2016-12"},
        "tags": ["synthetic", "benchmark"],
    }
    return {
        "briefing": briefing,
        "actors": actors,
        "issues": issues,
        "meetings": meetings,
        "events": events,
        "positions": positions,
        "quotes": quotes,
        "disputes": disputes,
        "figures": figures,
        "questions": questions,
        "sources": sources,
    }


def make(folder: str | Path, n: int, seed: int = SEED) -> Path:
    """Write a synthetic briefing of `n` actors into `folder` (replaced if it exists)."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for kind, data in build(n, seed).items():
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (folder / f"{kind}.yaml").write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="briefing folder to write (replaced if it exists)")
    parser.add_argument("n", type=int, help="number of actors")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    folder = make(args.out_dir, args.n, args.seed)
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
    print(f"wrote {folder}: {len(sizes)} files, {sum(sizes.values()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
