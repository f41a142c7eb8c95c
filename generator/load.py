"""Read a briefing folder: safe YAML to plain data, keeping the line and column of every node.

Scalars stay strings (no YAML 1.1 surprises: `no` is not False, `2016-10-15` is not a
date object); a plain `null`, `~` or empty value becomes None.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Report, did_you_mean
from .model import COLLECTIONS, SLUG_RE

MAX_FILE_BYTES = 5 * 1024 * 1024
# Extra nodes that aliases may add on top of the file's own size: bounds "billion laughs".
ALIAS_BUDGET = 100_000
MAX_DEPTH = 64
# A longer value is a paste gone wrong, and Python-Markdown's time grows with the square of a run
# of escaped characters (20,000 `<` take seconds per page).
MAX_SCALAR_CHARS = 10_000
# libyaml's composer recurses in C: some 30,000 nested `[` overflow the stack and kill the process.
# Every level needs a bracket or a block indicator, so a file whose count of those stays under this
# is composed directly; any other is first walked event by event (the parser does not recurse).
COMPOSE_SAFE_DEPTH = 1000
_LINE_PREFIX = re.compile(r"(?:^|[\n\r\x85\u2028\u2029])[ \t?:-]*")

Path_ = tuple[str | int, ...]
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
    """One YAML file as plain data, with where each value and key stands (1-based)."""

    path: str
    data: Any
    locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    fs_path: Path | None = None  # where it is on disk (`path` is for display)

    def loc(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The nearest known place for `path`: the node itself, else its closest parent."""
        for n in range(len(path), -1, -1):
            if key and path[:n] in self.key_locs:
                return self.key_locs[path[:n]]
            if path[:n] in self.locs:
                return self.locs[path[:n]]
        return (1, 1)


@dataclass
class RawBriefing:
    slug: str
    folder: Path
    briefing: RawFile | None
    collections: dict[str, list[RawFile]]
    failed: set[str] = field(default_factory=set)  # collections with a file that could not be read


class _Stop(Exception):
    pass


class _Converter:
    def __init__(self, raw: RawFile, report: Report, budget: int) -> None:
        self.raw = raw
        self.report = report
        self.budget = budget

    def fail(self, node: yaml.Node, message: str, code: str) -> None:
        self.report.error(self.raw.path, node.start_mark.line + 1, node.start_mark.column + 1, message, code)

    def convert(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            self.fail(
                node, "aliases expand to too many nodes (an alias bomb?); write the data out", "yaml-alias"
            )
            raise _Stop
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", "yaml-depth")
            raise _Stop
        self.raw.locs[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in SAFE_TAGS:
            what = "Python tags are refused" if "python" in node.tag else "custom tags are not supported"
            self.fail(node, f"tag '{node.tag}': {what}; write plain YAML", "yaml-tag")
            return None
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_SCALAR_CHARS:
                self.fail(node, _too_long(node.value), "value-too-long")
                return None
            if node.tag == NULL_TAG:  # quoted 'null' resolves to str, so only plain nulls land here
                return None
            return str(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "keys must be plain words, not lists or mappings", "yaml-key")
                continue
            if len(key_node.value) > MAX_SCALAR_CHARS:
                self.fail(key_node, _too_long(key_node.value), "value-too-long")
                continue
            key = str(key_node.value)
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "merge keys (<<) are not supported; write the keys out", "yaml-merge")
                continue
            if key in first:
                line = first[key].start_mark.line + 1
                self.fail(
                    key_node, f"duplicate key '{key}' (first given on line {line})", "yaml-duplicate-key"
                )
                continue
            first[key] = key_node
            self.raw.key_locs[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.convert(value_node, (*path, key), depth + 1)
        return out


def _too_long(value: str) -> str:
    return (
        f"value of {len(value):,} characters; the limit is {MAX_SCALAR_CHARS:,}: "
        "quote a short passage and keep long texts in the source"
    )


def _too_deep(text: str) -> yaml.Event | None:
    """The first node nested deeper than MAX_DEPTH, found without composing (which recurses in C)."""
    bound = text.count("[") + text.count("{") + 2 * max(map(len, _LINE_PREFIX.findall(text))) + 2
    if bound <= COMPOSE_SAFE_DEPTH:
        return None  # the composer survives this, and _Converter reports depth with the same words
    # One entry per open collection: SEQ, or for a mapping whether its next child is a key (keys are
    # not counted as a level, as in _Converter).
    SEQ, KEY, VALUE = 0, 1, 2
    open_: list[int] = []
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
        elif isinstance(event, yaml.NodeEvent):
            if len(open_) > MAX_DEPTH and open_[-1] != KEY:
                return event
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append(KEY if isinstance(event, yaml.MappingStartEvent) else SEQ)
                continue
        else:
            continue
        if open_ and open_[-1] != SEQ:  # a child just ended: a key's value comes next, or the next key
            open_[-1] = VALUE if open_[-1] == KEY else KEY
    return None


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
        if path.stat().st_size > MAX_FILE_BYTES:
            report.error(
                display, 1, 1, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; split it", "file-size"
            )
            return None
        data = path.read_bytes()
    except OSError as e:
        report.error(display, 1, 1, f"cannot read file: {e.strerror}", "file-read")
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
    try:
        deep = _too_deep(text)
        if deep is not None:
            mark = deep.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            report.error(display, line, col, f"nesting deeper than {MAX_DEPTH} levels", "yaml-depth")
            return None
        documents = list(yaml.compose_all(text, Loader=Loader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if _report_tabs(text, display, report):  # the usual cause; name every tabbed line
            return None
        what = " ".join(str(p) for p in (e.context, e.problem) if p)
        if mark and text[mark.index : mark.index + 1] == "\t":
            what = "a tab character where YAML expects spaces"
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
    except (yaml.YAMLError, RecursionError) as e:
        report.error(display, 1, 1, f"YAML could not be read: {' '.join(str(e).split())}", "yaml-syntax")
        return None
    documents = [d for d in documents if d is not None]
    if not documents:
        report.error(display, 1, 1, "file is empty: write the entries, or delete the file", "file-empty")
        return None
    if len(documents) > 1:
        second = documents[1].start_mark
        report.error(
            display,
            second.line + 1,
            second.column + 1,
            "more than one YAML document ('---') in one file",
            "yaml-documents",
        )
        return None
    before = len(report.errors)
    try:
        raw.data = _Converter(raw, report, len(text) + ALIAS_BUDGET).convert(documents[0], ())
    except _Stop:
        return None
    return raw if len(report.errors) == before else None


def load_briefing(folder: Path, report: Report, root: Path | None = None) -> RawBriefing:
    """Read `briefing.yaml` and every collection file (`actors.yaml` or `actors/*.yaml`)."""

    def display(p: Path) -> str:
        try:
            return p.relative_to(root).as_posix() if root else p.as_posix()
        except ValueError:
            return p.as_posix()

    # `briefing check .` names the folder "": the slug is its real name, and becomes the site path.
    absolute = Path(os.path.abspath(folder))
    slug = absolute.name
    raw = RawBriefing(slug, folder, None, {name: [] for name in COLLECTIONS})
    if folder.is_symlink() and not folder.resolve().is_relative_to(absolute.parent.resolve()):
        report.error(
            display(folder), 1, 1, "symbolic link points outside the briefings folder", "file-symlink"
        )
        return raw
    if not re.match(SLUG_RE, slug):
        report.error(
            display(folder),
            1,
            1,
            f"folder name '{slug}' is not a valid slug: use lowercase letters, digits and hyphens "
            "(it becomes the briefing's address on the site)",
            "slug-invalid",
        )
        return raw
    meta = folder / "briefing.yaml"
    if meta.is_symlink() and not meta.resolve().is_relative_to(folder.resolve()):
        report.error(display(meta), 1, 1, "symbolic link points outside the briefing folder", "file-symlink")
    elif not meta.is_file():
        report.error(
            display(folder),
            1,
            1,
            "no briefing.yaml in this folder (run `briefing new SLUG`)",
            "briefing-missing",
        )
    else:
        raw.briefing = load_file(meta, display(meta), report)
    known = set(COLLECTIONS) | {"briefing"}
    for entry in sorted(folder.iterdir()):
        name = entry.name.removesuffix(".yaml").removesuffix(".yml")
        if entry.name.startswith(".") or entry.name.endswith(".md") or entry.name == "briefing.yaml":
            continue
        if entry.is_symlink() and not entry.resolve().is_relative_to(folder.resolve()):
            report.error(
                display(entry), 1, 1, "symbolic link points outside the briefing folder", "file-symlink"
            )
            raw.failed.add(name)  # so references into it are not reported one by one
            continue
        if name not in known:
            report.warning(
                display(entry),
                1,
                1,
                f"'{entry.name}' is not a briefing file and is ignored" + did_you_mean(name, COLLECTIONS),
                "file-unknown",
            )
            continue
        if entry.is_dir():
            files = sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files = [entry]
        for f in files:
            if f.is_symlink() and not f.resolve().is_relative_to(folder.resolve()):
                report.error(
                    display(f), 1, 1, "symbolic link points outside the briefing folder", "file-symlink"
                )
                raw.failed.add(name)
                continue
            loaded = load_file(f, display(f), report)
            if loaded is None:
                raw.failed.add(name)
            else:
                raw.collections[name].append(loaded)
    return raw
