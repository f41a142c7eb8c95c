"""Read one YAML file: safe YAML to plain data, keeping the line and column of every node.

Scalars stay strings (no YAML 1.1 surprises: `no` is not False, `2016-10-15` is not a
date object); a plain `null`, `~` or empty value becomes None. Only regular files of at most
MAX_FILE_BYTES are opened; every problem is reported at its place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from .errors import Report
from .hints import explain

MAX_FILE_BYTES = 5 * 1024 * 1024
# Extra nodes that aliases may add on top of the file's own size: bounds "billion laughs".
ALIAS_BUDGET = 100_000
MAX_DEPTH = 64
# A longer value is a paste gone wrong, and Python-Markdown's time grows with the square of a run
# of escaped characters (20,000 `<` take seconds per page).
MAX_SCALAR_CHARS = 10_000
# Python-Markdown handles escaped characters one at a time, at a cost that grows with the value:
# 10,000 `[` in one value cost a quarter of a second on every page that shows it. A value holding
# more than this many is markup pasted by mistake (or on purpose), not prose.
MAX_MARKUP_CHARS = 300
_MARKUP_CHARS = '\\`*_{}[]#|<>&"'
_NO_MARKUP = str.maketrans(dict.fromkeys(_MARKUP_CHARS))

Path_ = tuple[str | int, ...]
_Places = tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]  # nodes', keys'
SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
NULL_TAG = "tag:yaml.org,2002:null"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class RawFile:
    """One YAML file as plain data, with where each value and key stands (1-based).

    The places are worked out when first asked for, by reading the text again: a file that
    loads cleanly is read once, at about half the cost."""

    path: str
    data: Any
    fs_path: Path | None = None  # where it is on disk (`path` is for display)
    text: str | None = None  # what `data` was read from, for the places
    # Each entry's model, once made: kept while serving, with the file, for as long as it is unchanged.
    models: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)
    _places: _Places | None = field(default=None, repr=False, compare=False)

    @property
    def locs(self) -> dict[Path_, tuple[int, int]]:
        return self._find()[0]

    @property
    def key_locs(self) -> dict[Path_, tuple[int, int]]:
        return self._find()[1]

    def _find(self) -> _Places:
        if self._places is None:
            self._places = ({}, {})
            if self.text is not None:  # it loaded without a problem once, so it does again
                _parse(_Builder(self, Report(), len(self.text) + ALIAS_BUDGET, self._places), self.text)
        return self._places

    def loc(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The nearest known place for `path`: the node itself, else its closest parent."""
        locs, key_locs = self._find()
        for n in range(len(path), -1, -1):
            if key and path[:n] in key_locs:
                return key_locs[path[:n]]
            if path[:n] in locs:
                return locs[path[:n]]
        return (1, 1)


class _Stop(Exception):
    pass


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_MERGE_KEY = "<<"


def _at(event: yaml.Event) -> tuple[int, int]:
    """1-based line and column where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent


class _Builder:
    """Plain data straight from libyaml's parse events; with `places`, also where each node
    and key stands.

    No recursion in C (libyaml's own composer recurses there and can crash on deep nesting),
    and no resolver: every scalar is text, except a plain null.
    """

    def __init__(self, raw: RawFile, report: Report, budget: int, places: _Places | None = None) -> None:
        self.raw = raw
        self.report = report
        self.budget = self.initial_budget = budget
        self.places = places
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, how many nodes it holds)

    def fail(self, event: yaml.Event, message: str, code: str) -> None:
        self.report.error(self.raw.path, *_at(event), message, code)

    def build(self, events: Iterator[yaml.Event]) -> tuple[Any, yaml.Event | None]:
        """The first document's data; and the first node event of a second document, if any."""
        for event in events:
            if isinstance(event, yaml.NodeEvent):
                value, _ = self.node(event, events, (), 0)
                for later in events:
                    if isinstance(later, yaml.NodeEvent):
                        return value, later
                return value, None
        raise _Empty

    def node(self, event: Any, events: Iterator[yaml.Event], path: Path_, depth: int) -> tuple[Any, int]:
        """Build the node that starts with `event`; returns it and how many nodes it holds.
        `path` is only kept up when places are."""
        if depth > MAX_DEPTH:
            self.fail(event, f"nesting deeper than {MAX_DEPTH} levels", "yaml-depth")
            raise _Stop
        if self.places is not None:
            self.places[0][path] = _at(event)
        kind = type(event)
        if kind is _Alias:
            if event.anchor not in self.anchors:
                self.fail(event, f"alias '*{event.anchor}' names no anchor before it", "yaml-alias")
                raise _Stop
            shared, size = self.anchors[event.anchor]
            self.spend(event, size)
            return shared, size
        self.spend(event, 1)
        tag: str | None = event.tag
        bad_tag = tag is not None and tag != "!" and tag not in SAFE_TAGS
        if bad_tag:
            what = "Python tags are refused" if "python" in str(tag) else "custom tags are not supported"
            self.fail(event, f"tag '{tag}': {what}; write plain YAML", "yaml-tag")
        value: Any
        if kind is _Scalar:
            value, size = self.scalar(event), 1
        elif kind is _SeqStart:
            value, size = [], 1
            track = self.places is not None
            for child in events:
                if type(child) is _SeqEnd:
                    break
                if not track and depth < MAX_DEPTH and self.budget > 0 and _plain(child):
                    self.budget -= 1
                    text = child.value
                    value.append(None if child.implicit[0] and text in _NULLS else text)
                    size += 1
                    continue
                item, n = self.node(child, events, (*path, len(value)) if track else path, depth + 1)
                value.append(item)
                size += n
        else:
            assert kind is _MapStart
            value, size = self.mapping(events, path, depth)
        if bad_tag:
            value = None
        if event.anchor:
            self.anchors[event.anchor] = (value, size)
        return value, size

    def scalar(self, event: yaml.ScalarEvent) -> str | None:
        text = event.value
        if len(text) > MAX_SCALAR_CHARS:
            self.fail(event, _too_long(text), "value-too-long")
            return None
        if (markup := _markup(text)) > MAX_MARKUP_CHARS:
            self.fail(
                event,
                f"value with {markup:,} of the characters {_MARKUP_CHARS}, which pages have to "
                f"escape one by one; the limit is {MAX_MARKUP_CHARS:,}: write text, not markup",
                "value-markup",
            )
            return None
        if (event.implicit[0] and event.tag is None and text in _NULLS) or event.tag == NULL_TAG:
            return None
        return text

    def mapping(self, events: Iterator[yaml.Event], path: Path_, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Event] = {}
        size = 1
        key_locs = self.places[1] if self.places is not None else None
        for key_event in events:
            if type(key_event) is _MapEnd:
                break
            key = None
            if type(key_event) is not _Scalar:
                self.fail(key_event, "keys must be plain words, not lists or mappings", "yaml-key")
                self.node(key_event, events, (*path, "?"), depth + 1)
            elif len(key_event.value) > MAX_SCALAR_CHARS:
                self.fail(key_event, _too_long(key_event.value), "value-too-long")
            elif key_event.value == _MERGE_KEY and key_event.implicit[0]:
                self.fail(key_event, "merge keys (<<) are not supported; write the keys out", "yaml-merge")
            elif key_event.value in first:
                line = _at(first[key_event.value])[0]
                self.fail(
                    key_event,
                    f"duplicate key '{key_event.value}' (first given on line {line})",
                    "yaml-duplicate-key",
                )
            else:
                key = key_event.value
                first[key] = key_event
            value_event = next(events)
            if key is None:  # still read the value, for its own problems, but keep nothing
                self.node(value_event, events, (*path, "?"), depth + 1)
                continue
            if key_locs is None:
                if depth < MAX_DEPTH and self.budget > 0 and _plain(value_event):
                    self.budget -= 1
                    text = value_event.value
                    out[key] = None if value_event.implicit[0] and text in _NULLS else text
                    size += 1
                    continue
                out[key], n = self.node(value_event, events, path, depth + 1)
            else:
                key_path = (*path, key)
                key_locs[key_path] = _at(key_event)
                out[key], n = self.node(value_event, events, key_path, depth + 1)
            size += n
        return out, size

    def spend(self, event: yaml.Event, nodes: int) -> None:
        self.budget -= nodes
        if self.budget < 0:
            self.fail(
                event, "aliases expand to too many nodes (an alias bomb?); write the data out", "yaml-alias"
            )
            raise _Stop


class _Empty(Exception):
    pass


def _parse(builder: _Builder, text: str) -> tuple[Any, yaml.Event | None]:
    """The builder's data from `text`, and the first event of a second document, if any.

    libyaml (in PyYAML 6.0.2 and later) refuses flow nesting past 1,000 levels while it scans
    ahead of the events the builder has taken, so on a line of 1,000 `[` it stops before the
    builder's own depth check sees level 65. On that one error the text is parsed again with
    PyYAML's Python parser, which has no such limit: the builder then stops at the level that
    crossed MAX_DEPTH, with its own diagnostic, whichever PyYAML is installed."""
    mark = len(builder.report.diagnostics)
    try:
        return _events(builder, text, Loader)
    except yaml.MarkedYAMLError as e:
        if Loader is yaml.SafeLoader or "maximum nesting depth" not in str(e.problem):
            raise
    del builder.report.diagnostics[mark:]  # the same problems would be reported twice
    fresh = _Builder(builder.raw, builder.report, builder.initial_budget, builder.places)
    return _events(fresh, text, yaml.SafeLoader)


def _events(builder: _Builder, text: str, loader: type[yaml.SafeLoader]) -> tuple[Any, yaml.Event | None]:
    parser = loader(text)
    try:
        return builder.build(iter(parser.get_event, None))
    finally:
        parser.dispose()


def _plain(event: yaml.Event) -> TypeGuard[yaml.ScalarEvent]:
    """Most values: a short string, plain or quoted, with no tag or anchor, which a builder takes
    as it is (what `_Builder.node` would make of it, without its checks)."""
    if type(event) is not _Scalar or event.tag is not None or event.anchor is not None:
        return False
    text: str = event.value
    return len(text) <= MAX_MARKUP_CHARS or (
        len(text) <= MAX_SCALAR_CHARS and _markup(text) <= MAX_MARKUP_CHARS
    )


def _markup(text: str) -> int:
    """How many characters of `text` Markdown would need escaped (0 for a short value: no count)."""
    return 0 if len(text) <= MAX_MARKUP_CHARS else len(text) - len(text.translate(_NO_MARKUP))


def _too_long(value: str) -> str:
    return (
        f"value of {len(value):,} characters; the limit is {MAX_SCALAR_CHARS:,}: "
        "quote a short passage and keep long texts in the source"
    )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _report_tabs(text: str, display: str, report: Report) -> bool:
    """Report lines indented with tabs; True if there were any."""
    found = False
    for n, line_text in enumerate(text.splitlines(), 1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            report.error(
                display,
                n,
                indent.index("\t") + 1,
                "tab in indentation; YAML indents with spaces only",
                "yaml-tab",
            )
            found = True
    return found


def load_file(path: Path, display: str, report: Report) -> RawFile | None:
    """Parse one YAML file; on any problem, report it and return None."""
    raw = RawFile(display, None, fs_path=path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe would wait for a writer: never open one
            report.error(display, 1, 1, _not_a_file(info.st_mode), "file-special")
            return None
        if info.st_size > MAX_FILE_BYTES:
            report.error(display, 1, 1, _TOO_BIG, "file-size")
            return None
        # Should it have been swapped for a pipe since, opening does not wait, and fstat tells.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            data = f.read(MAX_FILE_BYTES + 1) if stat.S_ISREG(mode) else None
    except OSError as e:
        report.error(display, 1, 1, f"cannot read file: {e.strerror}", "file-read")
        return None
    if data is None:
        report.error(display, 1, 1, _not_a_file(mode), "file-special")
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew since stat()
        report.error(display, 1, 1, _TOO_BIG, "file-size")
        return None
    for bom, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if data.startswith(bom):
            report.error(display, 1, 1, f"this file is {name} text; save it as UTF-8", "file-encoding")
            return None
    if b"\x00" in data:
        line, col = _position(data, data.index(b"\x00"))
        report.error(display, line, col, "this is a binary file, not YAML text", "file-binary")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _position(data, e.start)
        report.error(
            display,
            line,
            col,
            f"bytes that are not UTF-8 (0x{data[e.start]:02x}); save the file as UTF-8",
            "file-encoding",
        )
        return None
    own = len(report.diagnostics)  # where this file's diagnostics start
    try:
        raw.data, second = _parse(_Builder(raw, report, len(text) + ALIAS_BUDGET), text)
    except _Empty:
        report.error(display, 1, 1, "file is empty: write the entries, or delete the file", "file-empty")
        return None
    except _Stop:
        return None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if _report_tabs(text, display, report):  # the usual cause; name every tabbed line
            return None
        what = " ".join(str(p) for p in (e.context, e.problem) if p)
        if mark and text[mark.index : mark.index + 1] == "\t":
            what = "a tab character where YAML expects spaces"
        elif advice := explain(text, e.context, e.context_mark, e.problem, e.problem_mark):
            line, col, plain = advice
            what = f"{plain} (YAML: {what})"
        report.error(display, line, col, f"YAML syntax: {what}", "yaml-syntax")
        return None
    except yaml.reader.ReaderError as e:
        # libyaml counts UTF-8 bytes here, PyYAML characters; the column is in characters.
        prefix = (
            text.encode()[: e.position].decode(errors="ignore")
            if Loader is not yaml.SafeLoader
            else text[: e.position]
        )
        line, col = prefix.count("\n") + 1, len(prefix) - prefix.rfind("\n")
        char = e.character if isinstance(e.character, int) else ord(e.character)
        report.error(
            display,
            line,
            col,
            f"character U+{char:04X} is not allowed in YAML text; delete it",
            "yaml-character",
        )
        return None
    except yaml.YAMLError as e:
        report.error(display, 1, 1, f"YAML could not be read: {' '.join(str(e).split())}", "yaml-syntax")
        return None
    raw.text = text
    if second is not None:
        report.error(
            display, *_at(second), "more than one YAML document ('---') in one file", "yaml-documents"
        )
        return None
    # Only this file's diagnostics: counting all errors for each file made many files cost N².
    return None if any(d.severity == "error" for d in report.diagnostics[own:]) else raw


_TOO_BIG = f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it"


def _not_a_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    else:
        what = "something else"
    return f"this is {what}, not a regular file, so it is not read: put a YAML file here, or delete it"
