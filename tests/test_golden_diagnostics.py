"""Golden diagnostics: each tests/golden/diagnostics/<case>.yaml holds a briefing and the exact report.

A case has `files:` (file name -> YAML text of one briefing folder), optionally `snapshots:` (stored
source texts, for quote verification) and `expected:` (the formatted diagnostics, in the order
`briefing check` prints them). `pytest --update-goldens` rewrites `expected:` from what the code
reports now; review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from support import paths
from support.data import write_files

from generator.errors import Report
from generator.validate import load_and_validate
from generator.verify import verify_quotes

GOLDEN = paths.GOLDEN / "diagnostics"
CASES = sorted(GOLDEN.glob("*.yaml"))


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # File bodies read best as literal blocks; PyYAML falls back to quotes when a block can't hold them.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def dump_case(spec: dict[str, Any]) -> str:
    return yaml.dump(spec, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def run_case(spec: dict[str, Any], root: Path) -> list[str]:
    """The diagnostics for a case's files, with `root` as the working directory."""
    folder = write_files(root / "demo", spec["files"])
    report = Report()
    validated = load_and_validate(folder, report, root)
    if "snapshots" in spec:
        write_files(root / "snapshots", spec["snapshots"])
        verify_quotes(validated, Path("snapshots"), report, record=False)
    return [d.format() for d in report.sorted()]


def check_case(case: Path, root: Path, *, update: bool) -> tuple[list[str], list[str]]:
    """(actual, expected) for one golden file; with `update`, first rewrite its expected list."""
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    actual = run_case(spec, root)
    if update and spec.get("expected") != actual:
        spec["expected"] = actual
        case.write_text(dump_case(spec), encoding="utf-8")
    return actual, spec["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_diagnostics(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    actual, expected = check_case(case, tmp_path, update=update_goldens)
    assert actual == expected, f"{case.name}: diagnostics changed (pytest --update-goldens to accept)"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 8
    assert (GOLDEN / "everything-wrong.yaml") in CASES
    assert (GOLDEN / "clean.yaml") in CASES


def test_everything_wrong_is_reported_in_one_pass() -> None:
    spec = yaml.safe_load((GOLDEN / "everything-wrong.yaml").read_text(encoding="utf-8"))
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in spec["expected"]}
    assert codes >= {
        "yaml-tab",
        "yaml-duplicate-key",
        "file-unknown",
        "key-unknown",
        "key-missing",
        "value-enum",
        "id-invalid",
        "date-invalid",
        "value-empty",
        "type-invalid",
        "id-duplicate",
        "ref-unknown",
        "date-order",
        "attendance-conflict",
        "source-missing",
        "check-skipped",  # with actors, meetings… broken, "appears nowhere" is not asked (no cascade)
        "question-unlinked",
    }
    reported = {line.split(":", 1)[0] for line in spec["expected"]}
    assert reported == {f"demo/{name}" for name in spec["files"]}, "every damaged file is reported"


def test_clean_case_reports_nothing() -> None:
    spec = yaml.safe_load((GOLDEN / "clean.yaml").read_text(encoding="utf-8"))
    assert spec["expected"] == []


def test_update_goldens_rewrites_only_the_expected_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = GOLDEN / "values.yaml"
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    stale = tmp_path / "case.yaml"
    stale.write_text(dump_case({**spec, "expected": ["stale line"]}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run").mkdir()
    actual, expected = check_case(stale, tmp_path / "run", update=True)
    assert actual == expected == spec["expected"]
    assert yaml.safe_load(stale.read_text(encoding="utf-8")) == spec


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_files_are_written_as_update_writes_them(case: Path) -> None:
    """So that --update-goldens shows only real changes in a diff."""
    text = case.read_text(encoding="utf-8")
    assert dump_case(yaml.safe_load(text)) == text
