"""`briefing schema`: JSON Schema for each file kind, and the committed copies kept in step with the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.paths import SCHEMAS

from generator.cli import cli
from generator.errors import Report
from generator.kinds import COLLECTIONS
from generator.read import load_file
from generator.scaffold import examples

KINDS = ["briefing", *COLLECTIONS]


def schema(*args: str) -> Result:
    return CliRunner().invoke(cli, ["schema", *args])


def test_schema_prints_one_json_schema_per_kind() -> None:
    result = schema()
    assert result.exit_code == 0
    schemas = json.loads(result.output)
    assert sorted(schemas) == sorted(KINDS)
    for kind, body in schemas.items():
        assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema", kind
    assert schemas["briefing"]["type"] == "object"
    assert set(schemas["briefing"]["required"]) == {"title", "summary", "as_of"}
    for kind in COLLECTIONS:
        items = schemas[kind]["items"]
        assert schemas[kind]["type"] == "array", kind
        assert items["additionalProperties"] is False, kind
        assert "id" in items["required"], kind


def test_schema_out_matches_the_committed_schemas(tmp_path: Path) -> None:
    """If this fails, the model changed: run `briefing schema --out schemas` and commit the result."""
    result = schema("--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"wrote {tmp_path / 'out' / kind}.schema.json" for kind in KINDS]
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(written) == sorted(committed)
    for name, text in written.items():
        assert text == committed[name], f"schemas/{name} is out of date"


@pytest.mark.parametrize("kind", KINDS)
def test_scaffold_example_keys_are_known_to_the_schema(kind: str, tmp_path: Path) -> None:
    """Editors use these schemas; the example `briefing new` writes must not be flagged by them."""
    body = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    path = tmp_path / f"{kind}.yaml"
    path.write_text(examples()[kind], encoding="utf-8")
    raw = load_file(path, path.name, Report())
    assert raw is not None
    entries, item = ([raw.data], body) if kind == "briefing" else (raw.data, body["items"])
    for entry in entries:
        assert set(entry) <= set(item["properties"]), kind
        assert set(item.get("required", [])) <= set(entry), kind
