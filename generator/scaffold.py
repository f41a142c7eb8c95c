"""`briefing new SLUG`: a briefing folder with one example of each kind, valid as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .kinds import COLLECTIONS
from .model import SLUG_RE, Briefing

EXAMPLE: dict[str, str] = {
    "briefing": """\
title: "New briefing"
summary: "One paragraph: what this file is about and why it matters now."
as_of: 2016-10-20
period:
  start_date: 2016-01
  end_date: 2016-12
tags: ["example"]
""",
    "actors": """\
- id: example-minister
  name: "Example Minister"
  other_names: ["The Minister"]
  classification: person
  role: "Foreign minister"
  memberships:
    - organization: example-state
      role: "Foreign minister"
- id: example-state
  name: "Example State"
  classification: state
""",
    "issues": """\
- id: example-issue
  name: "Example issue"
  summary: "What is in dispute, in one line."
""",
    "meetings": """\
- id: example-talks
  name: "Example talks"
  start_date: 2016-10-15
  date_inferred: "The source says 'Saturday' and is dated 15 October 2016."
  location: "Geneva"
  format: bilateral
  host: example-state
  attendees:
    - actor: example-minister
      participation: in-person
  outcomes: ["Agreed to meet again."]
  issues: [example-issue]
  sources: [example-source]
""",
    "events": """\
- id: example-event
  name: "Example announcement"
  kind: statement
  start_date: 2016-10
  actors: [example-state]
  sources: [example-source]
""",
    "positions": """\
- id: example-minister-on-example-issue
  actor: example-minister
  issue: example-issue
  stance: favor
  summary: "Supports it, in the analyst's own words."
  date: 2016-10-15
  meeting: example-talks
  quotes: [example-quote]
  sources: [example-source]
""",
    "quotes": """\
- id: example-quote
  speaker: example-minister
  text: "Words the speaker said, verbatim."
  date: 2016-10-15
  meeting: example-talks
  source: example-source
""",
    "disputes": """\
- id: example-dispute
  name: "Who broke the truce"
  issue: example-issue
  accounts:
    - actor: example-minister
      summary: "Blames the other side."
      sources: [example-source]
    - actor: example-state
      summary: "Denies it."
      sources: [example-source]
""",
    "figures": """\
- id: example-figure
  label: "People displaced"
  value: "about 1,000"
  number: 1000
  sources: [example-source]
""",
    "questions": """\
- id: example-question
  question: "Will the talks resume?"
  why_it_matters: "Why an answer would change the picture."
  what_would_answer: "What to watch for."
  actors: [example-state]
  meetings: [example-talks]
""",
    "sources": """\
- id: example-source
  title: "Example article"
  outlet: "Example Times"
  date: 2016-10-15
""",
}


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema for each file kind, from the model classes."""
    out: dict[str, dict[str, Any]] = {"briefing": Briefing.model_json_schema()}
    for name, cls in COLLECTIONS.items():
        item = cls.model_json_schema()
        defs = item.pop("$defs", {})
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": name.capitalize(),
            "type": "array",
            "items": item,
            **({"$defs": defs} if defs else {}),
        }
    out["briefing"]["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


def schema_line(kind: str, schema_dir: str) -> str:
    return f"# yaml-language-server: $schema={schema_dir}/{kind}.schema.json\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas().items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


class ScaffoldError(Exception):
    pass


def new_briefing(root: Path, slug: str, schema_dir: Path) -> Path:
    """Create `root/slug` whole, or nothing; never overwrite."""
    if not re.match(SLUG_RE, slug):
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens")
    target = root / slug
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists; nothing was written")
    root.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(schema_dir, target).replace(os.sep, "/")
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{slug}."))
    try:
        for kind, body in EXAMPLE.items():
            (tmp / f"{kind}.yaml").write_text(schema_line(kind, rel) + body, encoding="utf-8")
        os.rename(tmp, target)  # fails rather than replaces if target appeared meanwhile
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ScaffoldError(f"could not create {target}: {e.strerror}") from None
    if not schema_dir.exists():
        write_schemas(schema_dir)
    return target
