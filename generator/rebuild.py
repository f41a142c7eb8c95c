"""While serving: each build reads again only the files that changed and renders again only the
pages a change can reach, from what the last build read and rendered; the pages are the ones a
full build makes (the test suite compares them after every kind of save)."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .errors import Diagnostic, Report
from .index import Index
from .kinds import KINDS
from .load import RawBriefing
from .model import BriefingData
from .plan import Entry, Page, near_readers, readers_of
from .read import MAX_FILE_BYTES, RawFile, load_file
from .render import Renderer, Section
from .validate import Validated, validate


class ReadFiles:
    """`load_file` behind a cache of each file's bytes: an unchanged file gives the same `RawFile`
    (with the models made of it) and the same diagnostics, without being parsed again."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[bytes, RawFile | None, list[Diagnostic]]] = {}

    def __call__(self, path: Path, display: str, report: Report) -> RawFile | None:
        try:  # as `load_file` opens it: a regular file only, never waiting on a pipe
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return load_file(path, display, report)  # which says what is wrong
            with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return load_file(path, display, report)
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError:
            return load_file(path, display, report)
        key = hashlib.blake2b(f"{display}\0".encode() + data).digest()
        kept = self.kept.get(str(path))
        if kept is not None and kept[0] == key:
            report.diagnostics.extend(kept[2])
            return kept[1]
        own = Report()
        raw = load_file(path, display, own)
        report.diagnostics.extend(own.diagnostics)
        self.kept[str(path)] = (key, raw, own.diagnostics)
        return raw


class Validations:
    """`validate` behind a cache: a briefing whose every file gave the same `RawFile` as last time
    (so is unchanged), with the same files failed and as many loading errors, gives the same result
    and diagnostics without being checked again."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[list[object], tuple[object, ...], Validated, list[Diagnostic]]] = {}
        self.memos: dict[str, dict[str, Any]] = {}  # each folder's `validate` memo

    def __call__(self, raw: RawBriefing, report: Report, errors_before: int | None = None) -> Validated:
        files: list[object] = [raw.briefing, *(f for fs in raw.collections.values() for f in fs)]
        before = len(report.errors) if errors_before is None else errors_before
        key = (raw.slug, tuple(sorted(raw.failed)), len(report.errors) - before)
        kept = self.kept.get(str(raw.folder))
        if (
            kept is not None
            and kept[1] == key
            and len(kept[0]) == len(files)
            and all(a is b for a, b in zip(kept[0], files, strict=True))  # the objects, kept alive
        ):
            report.diagnostics.extend(kept[3])
            return kept[2]
        start = len(report.diagnostics)
        result = validate(raw, report, before, self.memos.setdefault(str(raw.folder), {}))
        self.kept[str(raw.folder)] = (files, key, result, report.diagnostics[start:])
        return result


@dataclass
class _Rendered:
    env: Environment
    directory_urls: bool | None
    data: BriefingData
    ix: Index
    pages: list[Page]
    shapes: dict[str, Any]
    sections: dict[Entry, Section]


def changed_entries(old: BriefingData, new: BriefingData) -> tuple[set[Entry], set[Entry]]:
    """The entries added, removed or changed (every entry of a kind whose order changed); and,
    apart, those changed in their `summary` alone, where that is not what links to them show."""
    changed: set[Entry] = set()
    summaries: set[Entry] = set()
    for kind in KINDS:
        before, after = getattr(old, kind.plural), getattr(new, kind.plural)
        summarised = kind.label != "summary" and "summary" in kind.model.model_fields
        if [e.id for e in before] != [e.id for e in after]:
            changed.update((kind.plural, e.id) for e in (*before, *after))
            continue
        for a, b in zip(before, after, strict=True):
            if a is b or a == b:
                continue
            if summarised and a.model_copy(update={"summary": b.summary}) == b:
                summaries.add((kind.plural, a.id))
            else:
                changed.add((kind.plural, a.id))
    return changed, summaries


class Pages:
    """Each briefing's pages as last rendered: a briefing none of whose entries changed keeps them
    all; otherwise its entry pages are rendered again only for the entries that read a changed
    one, before or after the change (`readers_of`), and its other pages all."""

    def __init__(self) -> None:
        self.kept: dict[str, _Rendered] = {}

    def render(
        self, env: Environment, data: BriefingData, directory_urls: bool | None, partial: bool = True
    ) -> list[Page]:
        """`partial` False (a site that overrides templates, which may show anything): a briefing
        with a changed entry is rendered whole."""
        last = self.kept.get(data.slug)
        if (
            last is None
            or not partial
            or last.env is not env
            or last.directory_urls != directory_urls
            or last.data.briefing != data.briefing
        ):
            renderer = Renderer(env, data, directory_urls)
            pages = renderer.render()
        elif not any(changes := changed_entries(last.data, data)):
            return last.pages
        else:
            # An entry's summary shows only where the entry does in full: its page, the pages of
            # what it names (a position's on its issue's), the index pages and views listing it.
            renderer = Renderer(env, data, directory_urls)
            changed, summaries = changes
            fresh = readers_of(last.ix, changed) | readers_of(renderer.ix, changed)
            fresh |= near_readers(renderer.ix, summaries)
            renderer.last = ({p.path: p for p in last.pages}, last.shapes, fresh)
            renderer.last_sections = last.sections
            pages = renderer.render(fresh)
            ids = {(k.plural, e.id) for k in KINDS if k.pages for e in getattr(data, k.plural)}
            pages += [
                p
                for p in last.pages
                if p.entry is not None and (p.kind, p.entry) in ids and (p.kind, p.entry) not in fresh
            ]
        self.kept[data.slug] = _Rendered(
            env, directory_urls, data, renderer.ix, pages, renderer.shapes, renderer.sections
        )
        return pages

    def keep_only(self, slugs: set[str]) -> None:
        for slug in set(self.kept) - slugs:
            del self.kept[slug]
