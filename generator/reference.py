"""The field reference (README, "Field reference"): every kind's file and fields, from the
registry and the model. `briefing reference` prints it; a test keeps the README equal to it."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .kinds import KINDS
from .model import SLUG_RE, Briefing


class SectionError(Exception):
    pass


_SECTION = re.compile(r"^### Field reference\n.*?(?=^#{1,3} )", re.M | re.S)


def replace_section(path: Path) -> None:
    """Put the field reference in place of the file's own "### Field reference" section (up to the
    next heading of that level or higher), leaving the rest as it is."""
    from .verify import write_atomic

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SectionError(f"cannot read {path}: {e}") from None
    if not _SECTION.search(text):
        raise SectionError(
            f"{path} has no '### Field reference' section followed by another heading; nothing was written"
        )
    write_atomic(path, _SECTION.sub(lambda _: field_reference().rstrip("\n") + "\n\n", text, count=1))


def field_reference() -> str:
    out = [
        "### Field reference",
        "",
        "The tables below are the model (`generator/model.py`) and the kinds (`generator/kinds.py`); "
        "`briefing reference` prints them (`--into README.md` writes them here).",
        "",
    ]
    nested: dict[type[BaseModel], str] = {}  # in the order first met, with where
    files: list[tuple[type[BaseModel], str, str]] = [(Briefing, "briefing", "`briefing.yaml`: a mapping.")]
    for kind in KINDS:
        where = f"`{kind.plural}.yaml` (or a folder `{kind.plural}/` of such files): a list."
        files.append((kind.model, kind.plural, f"{where} {kind.model.__doc__}"))
    for model, name, intro in files:
        out += _table(model, intro)
        for sub in _models_in(model):
            nested.setdefault(sub, name)
    for model, name in nested.items():
        out += _table(model, f"Nested, inside {name}.")
    return "\n".join(out)


def _table(model: type[BaseModel], intro: str) -> list[str]:
    rows = [
        f"#### {model.__name__}",
        "",
        intro,
        "",
        "| Field | Type | Required | Meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, info in model.model_fields.items():
        required = "yes" if info.is_required() else ""
        rows.append(f"| `{name}` | {_type(info)} | {required} | {info.description or ''} |")
    return [*rows, ""]


def _models_in(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for info in model.model_fields.values():
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found.append(arg)
    return found


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Literal or not args:
        return [annotation]
    return [a for arg in args for a in _flatten(arg)]


def _type(info: FieldInfo) -> str:
    shown = _name(info.annotation, info.metadata)
    default = info.default
    if not info.is_required() and default is not None and isinstance(default, str):
        shown += f" (default `{default}`)"
    return shown


def _name(annotation: Any, metadata: list[Any]) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return _name(next(a for a in args if a is not type(None)), metadata)
    if origin is typing.Annotated:
        return _name(args[0], list(annotation.__metadata__))
    if origin is list:
        return f"list of {_name(args[0], [])}"
    if origin is Literal:
        return " / ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__.lower()
    if annotation is int:
        return "number"
    pattern = next((getattr(m, "pattern", None) for m in metadata if getattr(m, "pattern", None)), None)
    if pattern == SLUG_RE:
        return "id"
    if pattern:
        return "sha256"
    if any(getattr(m, "func", None) is not None for m in metadata):
        return "date"
    return "text"
