"""The README's field reference documents every field of the model, so analysts can trust it."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from support.paths import README

from generator.kinds import COLLECTIONS
from generator.model import Briefing

pytestmark = pytest.mark.skipif(not README.exists(), reason="README.md is not written yet")


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def documented_models() -> list[type[BaseModel]]:
    """Briefing, every collection's class, and every class nested in them (Period, Attendee, …)."""
    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [Briefing, *COLLECTIONS.values()]
    while todo:
        model = todo.pop(0)
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            todo += _models_in(info.annotation)
    return found


def field_reference() -> str:
    """The README's 'Field reference' section, up to the next heading of the same or a higher level."""
    text = README.read_text(encoding="utf-8")
    start = re.search(r"^(#+) Field reference\s*$", text, re.MULTILINE | re.IGNORECASE)
    assert start, "README.md has no 'Field reference' heading"
    level = len(start[1])
    end = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE).search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def class_section(reference: str, name: str) -> str | None:
    """The subsection headed by the class name ('#### Actor'), if the reference has one."""
    start = re.search(rf"^(#+) `?{name}`?\s*$", reference, re.MULTILINE)
    if not start:
        return None
    end = re.compile(rf"^#{{1,{len(start[1])}}} ", re.MULTILINE).search(reference, start.end())
    return reference[start.end() : end.start() if end else len(reference)]


def test_every_nested_model_is_found() -> None:
    names = {m.__name__ for m in documented_models()}
    assert {"Briefing", "Actor", "Meeting", "Period", "Membership", "Attendee", "Absentee"} <= names


@pytest.mark.parametrize("model", documented_models(), ids=lambda m: m.__name__)
def test_readme_documents_every_field(model: type[BaseModel]) -> None:
    reference = field_reference()
    section = class_section(reference, model.__name__)
    where = f"the '{model.__name__}' subsection" if section is not None else "the field reference"
    body = section if section is not None else reference
    # In a class's own table each field is written as code; elsewhere, any mention counts.
    pattern = "`{}`" if section is not None else r"\b{}\b"
    missing = [f for f in model.model_fields if not re.search(pattern.format(re.escape(f)), body)]
    assert missing == [], (
        f"README.md: {where} does not mention {missing}: run `briefing reference --into README.md`"
    )


def test_readme_field_reference_is_the_generated_one() -> None:
    """The README's tables are `briefing reference`'s output, so a new kind or field shows there."""
    from generator.reference import field_reference as generated

    text = README.read_text(encoding="utf-8")
    assert generated().strip() in text, (
        "README.md: replace 'Field reference' with `briefing reference`'s output"
    )


def test_briefing_reference_writes_into_a_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli
    from generator.reference import field_reference as generated

    doc = tmp_path / "doc.md"
    doc.write_text("# Doc\n\n### Field reference\n\nold tables\n\n## Next\n\nkept\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["reference", "--into", str(doc)])
    assert result.exit_code == 0, result.output
    text = doc.read_text(encoding="utf-8")
    assert "old tables" not in text and generated().strip() in text and text.endswith("## Next\n\nkept\n")
    other = tmp_path / "other.md"
    other.write_text("# Nothing here\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["reference", "--into", str(other)])
    assert result.exit_code == 1 and "no '### Field reference' section" in result.output
    assert other.read_text(encoding="utf-8") == "# Nothing here\n"
