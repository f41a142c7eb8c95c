"""Raw YAML data to the typed model, with every problem found in one pass."""

from __future__ import annotations

import contextlib
import gc
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import i18n
from .errors import Diagnostic, Report, Suggester, did_you_mean, quoted, skeleton
from .escape import web_url
from .kinds import BY_PLURAL, COLLECTIONS, REFS, walk
from .load import RawBriefing, Reader, load_briefing
from .model import SLUG_RE, SYNONYMS, Briefing, BriefingData, Entry
from .read import Path_, RawFile, load_file


@dataclass
class Where:
    file: RawFile
    base: Path_

    def at(self, *path: str | int, key: bool = False) -> tuple[str, int, int]:
        line, col = self.file.loc((*self.base, *path), key=key)
        return self.file.path, line, col


@dataclass
class Validated:
    """The model plus where each entry came from, for later stages' diagnostics."""

    data: BriefingData | None
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    briefing_where: Where | None = None  # briefing.yaml, when there is one


def _model_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    for part in loc:
        if isinstance(part, int) or part not in cls.model_fields:
            continue
        inner = _find_model(cls.model_fields[part].annotation)
        if inner is None:
            break
        cls = inner
    return cls


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found:
            return found
    return None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _drop_none(value: Any) -> Any:
    """An empty `key:` reads as if the key were absent: optional fields default, required ones say so.
    (Most values are text, taken as they are without a call.)"""
    if isinstance(value, dict):
        return {k: v if type(v) is str else _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [v if type(v) is str else _drop_none(v) for v in value]
    return value


def _raw_at(where: Where, loc: tuple[Any, ...]) -> Any:
    node: Any = where.file.data
    for part in (*where.base, *loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _synonym(word: str, free: set[str]) -> str:
    for field_name in SYNONYMS.get(word.lower(), ()):
        if field_name in free:
            return f"; did you mean '{field_name}'?"
    return ""


def report_validation(
    err: ValidationError, cls: type[BaseModel], what: str, where: Where, report: Report
) -> None:
    present_at: dict[tuple[Any, ...], set[str]] = {}  # one set per mapping, not per error in it
    for e in err.errors(include_url=False):
        loc = tuple(e["loc"])
        name = next((p for p in reversed(loc) if isinstance(p, str)), what)
        kind, value = e["type"], e.get("input")
        owner = _model_at(cls, loc[:-1])
        owner_name = what if owner is cls else owner.__name__.lower()
        at = where.at(*loc)
        if loc[:-1] not in present_at:
            parent = _raw_at(where, loc[:-1])
            present_at[loc[:-1]] = set(parent) if isinstance(parent, dict) else set()
        present = present_at[loc[:-1]]
        if kind == "extra_forbidden":
            at = where.at(*loc, key=True)
            free = set(owner.model_fields) - present
            message = f"unknown key {quoted(str(loc[-1]))} in {owner_name}"
            message += _synonym(str(loc[-1]), free) or did_you_mean(str(loc[-1]), free)
            code = "key-unknown"
        elif kind == "missing" and loc[-1] in present:  # written, but left empty
            at = where.at(*loc, key=True)
            message, code = f"'{name}' is empty in {owner_name}", "value-empty"
        elif kind == "missing":
            at = where.at(*loc[:-1])
            message, code = f"missing required key '{name}' in {owner_name}", "key-missing"
        elif kind == "literal_error":
            choices = [c.strip(" '") for c in e["ctx"]["expected"].replace(" or ", ", ").split(",")]
            message = f"{quoted(str(value))} is not a valid {name}: use one of {', '.join(choices)}"
            message += did_you_mean(str(value), choices)
            code = "value-enum"
        elif kind == "string_pattern_mismatch" and e["ctx"]["pattern"] == SLUG_RE:
            message = (
                f"{quoted(str(value))} is not a valid id: use lowercase letters, digits and hyphens "
                "(like 'john-kerry')"
            )
            imitated = skeleton(str(value))
            if imitated != value and re.fullmatch(SLUG_RE, imitated):  # look-alike letters from other scripts
                message += f"; did you mean '{imitated}'?"
            code = "id-invalid"
        elif kind == "value_error":
            message, code = str(e["msg"]).removeprefix("Value error, "), "date-invalid"
        elif kind in ("string_too_short", "too_short"):
            needs = e.get("ctx", {}).get("min_length", 1)
            message, code = (
                f"'{name}' is empty"
                if kind == "string_too_short"
                else f"'{name}' needs at least {needs} entries",
                "value-empty",
            )
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            message = (
                f"'{name}' should be {e['msg'].removeprefix('Input should be ')}, not {_describe(value)}"
            )
            code = "type-invalid"
        else:
            message, code = f"'{name}': {e['msg']}", "value-invalid"
        report.error(*at, message, code)


def _date_order(start: str | None, end: str | None) -> bool:
    """False when `end` is before `start` at the precision both give."""
    if not start or not end:
        return True
    n = min(len(start), len(end))
    return end[:n] >= start[:n]


def _check_language(code: str, where: Where, report: Report) -> None:
    """A code no locale has is an error; a language without a catalog writes English, said once."""
    if i18n.parse(code) is None:
        report.error(
            *where.at("language"),
            f"language {quoted(code)} is not a language code: use one such as en, fr, es, ru, ar, zh, de",
            "language-invalid",
        )
    elif i18n.shipped(code) is None:
        report.warning(
            *where.at("language"),
            f"no catalog for language {quoted(code)}: the pages are written in English; catalogs: "
            + ", ".join(i18n.available())
            + " (README, Languages, says how to add one)",
            "language-no-catalog",
        )


def validate(
    raw: RawBriefing, report: Report, errors_before: int | None = None, memo: dict[str, Any] | None = None
) -> Validated:
    """`errors_before`: how many errors in `report` are not this briefing's (its loading's are).
    `memo`: kept from one call to the next on the same folder while serving (see below)."""
    before = len(report.errors) if errors_before is None else errors_before
    result = Validated(None)
    briefing: Briefing | None = None
    if raw.briefing is not None:
        where = Where(raw.briefing, ())
        result.briefing_where = where
        if not isinstance(raw.briefing.data, dict):
            report.error(
                *where.at(), "briefing.yaml should be a mapping of title, summary, as_of…", "type-invalid"
            )
        else:
            try:
                briefing = Briefing.model_validate(_drop_none(raw.briefing.data))
            except ValidationError as e:
                report_validation(e, Briefing, "briefing", where, report)
            if (
                briefing
                and briefing.period
                and not _date_order(briefing.period.start_date, briefing.period.end_date)
            ):
                report.error(*where.at("period", "end_date"), "end_date is before start_date", "date-order")
            if briefing:
                _check_language(briefing.language, where, report)

    entries: dict[str, list[Entry]] = {name: [] for name in COLLECTIONS}
    ids: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    imitated_ids: dict[str, set[str]] = {name: set() for name in COLLECTIONS}  # ASCII of refused ones
    incomplete: set[str] = set()  # kinds with an entry or a file that could not be taken in
    for name, files in raw.collections.items():
        cls, what = COLLECTIONS[name], BY_PLURAL[name].name
        for f in files:
            if not isinstance(f.data, list):
                report.error(
                    f.path,
                    *f.loc(()),
                    f"expected a list of {name} (each starting with '- id:'), not {_describe(f.data)}",
                    "type-invalid",
                )
                incomplete.add(name)
                continue
            for i, item in enumerate(f.data):
                where = Where(f, (i,))
                if not isinstance(item, dict):
                    report.error(
                        *where.at(),
                        f"each entry should be a mapping ({what} fields), not {_describe(item)}",
                        "type-invalid",
                    )
                    incomplete.add(name)
                    continue
                item_id = item.get("id")
                if isinstance(item_id, str) and item_id in ids[name]:
                    first = result.where.get((name, item_id))
                    was = f" (first at {first.at('id')[0]}:{first.at('id')[1]})" if first else ""
                    message = f"duplicate {what} id {quoted(item_id)}{was}"
                    report.error(*where.at("id"), message, "id-duplicate")
                    continue
                if isinstance(item_id, str):
                    ids[name].add(item_id)  # known even if invalid, so references to it don't cascade
                    if not item_id.isascii():  # nor references to the ASCII id it imitates
                        imitated_ids[name].add(skeleton(item_id))
                    result.where[(name, item_id)] = where
                obj = f.models.get(i)
                if obj is None:
                    try:
                        obj = f.models[i] = cls.model_validate(_drop_none(item))
                    except ValidationError as e:
                        report_validation(e, cls, what, where, report)
                        incomplete.add(name)
                        continue
                entries[name].append(obj)

    referenced: set[tuple[str, str]] = set()
    # One for each kind, for all its unknown references: built per reference, the work was N².
    suggest = {name: Suggester(ids[name]) for name in COLLECTIONS}
    # While serving (`memo`): with the same ids known as last time, an entry made from the same
    # text (the same model object) names the same entries and gets the same diagnostics again.
    same_ids = (*map(frozenset, ids.values()), *map(frozenset, imitated_ids.values()), frozenset(raw.failed))
    checked: dict[int, tuple[Any, list[tuple[str, str]], list[Diagnostic]]] = {}
    now_checked: dict[int, tuple[Any, list[tuple[str, str]], list[Diagnostic]]] = {}
    if memo is not None:
        if memo.get("ids") == same_ids:
            checked = memo["checked"]
        memo["ids"], memo["checked"] = same_ids, now_checked
    for name, objs in entries.items():
        for obj in objs:
            if (hit := checked.get(id(obj))) is not None and hit[0] is obj:
                referenced.update(hit[1])
                report.diagnostics.extend(hit[2])
                if memo is not None:
                    now_checked[id(obj)] = hit
                continue
            start, names = len(report.diagnostics), list[tuple[str, str]]()
            where = result.where[(name, obj.id)]
            for ref in REFS[name]:
                target, known, imitated = ref.target, ids[ref.target], imitated_ids[ref.target]
                found = [value for value, _ in ref.values(obj)]
                names += [(target, value) for value in found]
                if (
                    target in raw.failed
                    or known.issuperset(found)
                    or all(v in known or v in imitated for v in found)
                ):
                    continue  # no cascade from a broken file; and the usual case, all known
                for value, concrete, _ in walk(obj, ref.path):  # the slow way, for where each one is
                    if value not in known and value not in imitated:
                        report.error(
                            *where.at(*concrete),
                            f"unknown {BY_PLURAL[target].name} '{value}' in {ref.path[0]}"
                            + did_you_mean(value, suggest[target]),
                            "ref-unknown",
                        )
            _check_entry(name, obj, where, report)
            referenced.update(names)
            if memo is not None:
                now_checked[id(obj)] = (obj, names, report.diagnostics[start:])

    # An entry that could not be read may be the one naming an actor: "appears nowhere" would then
    # be a false alarm, listed before the real error. Said once instead, with where to look.
    naming = {name for name, refs in REFS.items() if any(ref.target == "actors" for ref in refs)}
    unread = sorted(naming & (raw.failed | incomplete))
    unused = [a for a in entries["actors"] if ("actors", a.id) not in referenced]
    if unused and unread:
        report.warning(
            raw.collections["actors"][0].path,
            1,
            1,
            f"not checked whether {len(unused)} {'actor appears' if len(unused) == 1 else 'actors appear'} "
            f"anywhere: {', '.join(unread)} could not be read in full; fix the errors there first",
            "check-skipped",
        )
    for actor in [] if unread else unused:
        report.warning(
            *result.where[("actors", actor.id)].at("id"),
            f"actor '{actor.id}' appears nowhere: no {_NAMING_ACTORS} names it",
            "actor-unused",
        )

    if briefing is not None and len(report.errors) == before:
        result.data = BriefingData(slug=raw.slug, briefing=briefing, **entries)
    return result


def _naming(target: str) -> str:
    """'meeting, position, … or membership': what can name an entry of the target kind."""
    naming = [name for name, refs in REFS.items() if any(r.target == target for r in refs)]
    words = [BY_PLURAL[name].name for name in naming if name != target]
    words += ["membership"] if target in naming else []  # an actor naming another: a membership
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


_NAMING_ACTORS = _naming("actors")

# Each collection's fields: asking a model for one it lacks costs an exception.
FIELDS = {name: frozenset(cls.model_fields) for name, cls in COLLECTIONS.items()}


def _check_entry(name: str, obj: Any, where: Where, report: Report) -> None:
    kind = BY_PLURAL[name]
    what, fields = kind.name, FIELDS[name]
    cited = (v for ref in REFS[name] if ref.target == "sources" for v, _ in ref.values(obj))
    if kind.claim and next(cited, None) is None:
        field_name = "sources" if "sources" in fields else "source"
        report.warning(
            *where.at("id"), f"{what} '{obj.id}' has no source: add '{field_name}'", "source-missing"
        )
    if name == "questions" and not (obj.actors or obj.issues or obj.meetings or obj.events):
        report.warning(
            *where.at("id"),
            f"question '{obj.id}' is linked to nothing: add actors, issues, meetings or events",
            "question-unlinked",
        )
    if name == "sources" and obj.url is not None and web_url(obj.url) is None:
        report.warning(
            *where.at("url"),
            f"url of source '{obj.id}' is not an http or https address with a host, so it is shown "
            "as text, not linked: write the full address, e.g. https://example.org/article",
            "url-invalid",
        )
    if "start_date" in fields and not _date_order(obj.start_date, obj.end_date):
        report.error(
            *where.at("end_date"),
            f"end_date {obj.end_date} is before start_date {obj.start_date}",
            "date-order",
        )
    for i, m in enumerate(obj.memberships if "memberships" in fields else []):
        if not _date_order(m.start_date, m.end_date):
            report.error(
                *where.at("memberships", i, "end_date"), "end_date is before start_date", "date-order"
            )
    if name == "meetings":
        seen: set[str] = set()
        for i, a in enumerate(obj.attendees):
            if a.actor in seen:
                report.error(
                    *where.at("attendees", i, "actor"),
                    f"'{a.actor}' is listed twice as attendee",
                    "attendance-conflict",
                )
            seen.add(a.actor)
        for i, ab in enumerate(obj.absentees):
            if ab.actor in seen:
                report.error(
                    *where.at("absentees", i, "actor"),
                    f"'{ab.actor}' is listed both as attendee and as absent",
                    "attendance-conflict",
                )


def is_briefing(path: Path) -> bool:
    """A folder with briefing.yaml or any collection file (a lost briefing.yaml is then reported)."""
    names = {"briefing", *COLLECTIONS}
    return any((path / f"{n}.yaml").is_file() or (path / f"{n}.yml").is_file() for n in names) or any(
        (path / n).is_dir() for n in COLLECTIONS
    )


def find_briefings(path: Path) -> list[Path]:
    """`path` is one briefing folder, or a folder of them."""
    if is_briefing(path):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects that all live on; the cyclic garbage
    collector would scan them again and again (a quarter of the time at 1,000 actors) for nothing.
    They are frozen at the end, so the rest of the build does not scan them either, and thawed at
    the next load (`mkdocs serve`), when what they became is garbage."""
    outermost = gc.isenabled()
    if outermost:
        gc.unfreeze()
        gc.disable()
    try:
        yield
    finally:
        if outermost:
            gc.freeze()
            gc.enable()


def load_and_validate(
    folder: Path, report: Report, root: Path | None = None, read: Reader = load_file
) -> Validated:
    before = len(report.errors)
    with no_cyclic_gc():
        return validate(load_briefing(folder, report, root, read), report, before)


__all__ = ["Validated", "Where", "find_briefings", "load_and_validate", "no_cyclic_gc", "validate"]
