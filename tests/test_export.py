"""`briefing export`: Popolo-style JSON and schema.org JSON-LD of a validated briefing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support.data import BRIEFING_YAML, CLEAN, write_files

from generator.cli import cli

FILES = {
    **CLEAN,
    "actors.yaml": """\
- id: ana-reyes
  name: "Ana Reyes"
  classification: person
  role: "Harbour minister"
  memberships:
    - organization: northland
      role: "Harbour minister"
  identifiers:
    - scheme: wikidata
      identifier: Q000001
- id: northland
  name: "Northland"
  classification: state
- id: sudland
  name: "Südland"
  classification: state
""",
    "events.yaml": """\
- id: harbour-closed
  name: "Harbour closed"
  kind: decision
  start_date: 2016-10
  actors: [sudland]
  sources: [gazette-report]
""",
}


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path / "demo", FILES)
    return tmp_path


def export(*args: str) -> Result:
    return CliRunner().invoke(cli, ["export", *args])


def refs(node: Any) -> Iterator[str]:
    """Every {"@id": ...} reference nested inside a node."""
    if isinstance(node, dict):
        if set(node) == {"@id"}:
            yield node["@id"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_json_uses_popolo_names(cwd: Path) -> None:
    result = export("demo", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert (doc["id"], doc["title"], doc["as_of"]) == ("demo", "Harbour talks", "2016-10-20")
    assert [p["id"] for p in doc["persons"]] == ["ana-reyes"]
    assert [o["id"] for o in doc["organizations"]] == ["northland", "sudland"]
    assert doc["memberships"] == [
        {"person_id": "ana-reyes", "organization_id": "northland", "role": "Harbour minister"}
    ]
    assert [(e["id"], e["classification"]) for e in doc["events"]] == [
        ("harbour-talks", "meeting"),
        ("harbour-closed", "decision"),
    ]
    assert [q["text"] for q in doc["quotes"]] == ["The harbour stays open."]
    assert [s["id"] for s in doc["sources"]] == ["gazette-report"]


def test_json_is_the_default_format(cwd: Path) -> None:
    assert export("demo").output == export("demo", "--format", "json").output


def test_jsonld_uses_schema_org_types(cwd: Path) -> None:
    result = export("demo", "--format", "jsonld")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    assert (doc["@id"], doc["name"], doc["dateModified"]) == ("#briefing-demo", "Harbour talks", "2016-10-20")
    nodes = {n["@id"]: n for n in doc["@graph"]}
    assert {i: n["@type"] for i, n in nodes.items()} == {
        "#actor-ana-reyes": "Person",
        "#actor-northland": "Organization",
        "#actor-sudland": "Organization",
        "#meeting-harbour-talks": "Event",
        "#event-harbour-closed": "Event",
        "#issue-harbour-access": "Thing",
        "#quote-reyes-on-harbour": "Quotation",
        "#source-gazette-report": "CreativeWork",
    }
    assert nodes["#meeting-harbour-talks"]["attendee"] == [{"@id": "#actor-ana-reyes"}]
    assert nodes["#meeting-harbour-talks"]["organizer"] == {"@id": "#actor-northland"}
    assert nodes["#quote-reyes-on-harbour"]["creator"] == {"@id": "#actor-ana-reyes"}
    assert nodes["#quote-reyes-on-harbour"]["isBasedOn"] == {"@id": "#source-gazette-report"}
    assert nodes["#actor-ana-reyes"]["memberOf"] == [{"@id": "#actor-northland"}]
    assert nodes["#actor-ana-reyes"]["sameAs"] == ["https://www.wikidata.org/wiki/Q000001"]
    referenced = {r for n in doc["@graph"] for r in refs({k: v for k, v in n.items() if k != "@id"})}
    assert referenced - set(nodes) == set()


def test_output_keeps_non_ascii_and_is_stable(cwd: Path) -> None:
    first = export("demo", "--format", "jsonld").output
    assert '"name": "Südland"' in first
    assert export("demo", "--format", "jsonld").output == first


def test_output_file_holds_the_same_json(cwd: Path) -> None:
    result = export("demo", "--format", "jsonld", "-o", "out.json")
    assert (result.output, result.exit_code) == ("", 0)
    assert (cwd / "out.json").read_text(encoding="utf-8") == export("demo", "--format", "jsonld").output


def test_folder_of_briefings_exports_a_list(cwd: Path) -> None:
    write_files(cwd / "briefings" / "beta", FILES)
    write_files(cwd / "briefings" / "alpha", FILES)
    docs = json.loads(export("briefings").output)
    assert [d["id"] for d in docs] == ["alpha", "beta"]


def test_warnings_do_not_stop_export(cwd: Path) -> None:
    write_files(cwd / "demo", {"questions.yaml": "- id: q\n  question: When?\n"})
    result = export("demo")
    assert result.exit_code == 0
    assert [q["id"] for q in json.loads(result.stdout)["questions"]] == ["q"]


def test_errors_stop_export_and_write_nothing(cwd: Path) -> None:
    write_files(cwd / "demo", {"briefing.yaml": BRIEFING_YAML + "titel: x\n"})
    result = export("demo", "-o", "out.json")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "demo/briefing.yaml:4:1: error: unknown key 'titel' in briefing [key-unknown]",
        "1 error, 0 warnings: nothing exported",
    ]
    assert not (cwd / "out.json").exists()


def test_export_errors_go_to_stderr_not_into_the_data(cwd: Path) -> None:
    write_files(cwd / "demo", {"briefing.yaml": BRIEFING_YAML + "titel: x\n"})
    result = export("demo")
    assert result.stdout == ""
    assert "[key-unknown]" in result.stderr
