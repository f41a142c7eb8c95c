"""Read a briefing folder: which files it holds, each read by `read.load_file`, into a RawBriefing.

Links that lead out of the folder or round in a loop, pipes and devices, files a collection folder
does not read, one kind in two places and a briefing over MAX_BRIEFING_BYTES are reported, never
followed or opened.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import Report, command, did_you_mean, quoted
from .kinds import COLLECTIONS
from .model import SLUG_RE
from .read import MAX_FILE_BYTES, RawFile, load_file

# All of a briefing's files together: reading and checking take about 0.4 s and 30 MB of memory per
# MiB (40 files of 5 MiB took 77 s and 6.6 GB), so past this nothing is read.
MAX_BRIEFING_BYTES = 50 * 1024 * 1024


@dataclass
class RawBriefing:
    slug: str
    folder: Path
    briefing: RawFile | None
    collections: dict[str, list[RawFile]]
    failed: set[str] = field(default_factory=set)  # collections with a file that could not be read


_LOOP = "symbolic link loop: the link leads back to itself, never to a file; point it at a file, or delete it"


def _link_problem(path: Path, inside: Path, what: str = "the briefing folder") -> str | None:
    """Why the symbolic link `path` must not be followed; None if it is no link, or may be."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # a loop, as Python 3.11 and 3.12 report it
        return _LOOP
    except OSError as e:
        if e.errno == errno.ELOOP:
            return _LOOP
        target = Path(os.path.realpath(path))  # it leads nowhere: reading it says so
    if not target.is_relative_to(inside.resolve()):
        return f"symbolic link points outside {what}"
    return None


def _entries(folder: Path, shown: str, report: Report) -> list[Path] | None:
    try:
        return sorted(folder.iterdir())
    except OSError as e:
        report.error(shown, 1, 1, f"cannot read folder: {e.strerror}", "file-read")
        return None


def _ignored(entry: Path) -> bool:
    """Hidden files (an editor's, the system's) and Markdown notes: left alone, without a word."""
    return entry.name.startswith(".") or entry.name.endswith(".md")


Reader = Callable[[Path, str, Report], RawFile | None]  # `load_file`, or a cache in front of it


def load_briefing(
    folder: Path, report: Report, root: Path | None = None, read: Reader = load_file
) -> RawBriefing:
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
    problem = _link_problem(folder, absolute.parent, "the briefings folder")
    if problem:
        report.error(display(folder), 1, 1, problem, "file-symlink")
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
    unknown: list[Path] = []  # folders not read: said once briefing.yaml shows which holds texts
    reads = _plan(folder, display, report, raw.failed, unknown)
    total = sum(_size(f) for _, f in reads)
    if total > MAX_BRIEFING_BYTES:
        report.error(
            display(folder),
            1,
            1,
            f"the briefing's files hold {total / 2**20:.1f} MiB; the limit is "
            f"{MAX_BRIEFING_BYTES // 2**20} MiB, so none is read: split it into several briefings",
            "briefing-size",
        )
        raw.failed.update(COLLECTIONS)
        return raw
    if all(name != "briefing" for name, _ in reads) and "briefing" not in raw.failed:
        report.error(
            display(folder),
            1,
            1,
            f"no briefing.yaml in this folder (run `{command('new SLUG')}`)",
            "briefing-missing",
        )
    for name, f in reads:
        loaded = read(f, display(f), report)
        if name == "briefing":
            raw.briefing = loaded
        elif loaded is None:
            raw.failed.add(name)
        else:
            raw.collections[name].append(loaded)
    texts = (
        raw.briefing.data.get("source_texts")
        if raw.briefing and isinstance(raw.briefing.data, dict)
        else None
    )
    texts_folder = PurePosixPath(texts).parts[0] if isinstance(texts, str) and texts.strip("/") else None
    for entry in unknown:
        if entry.name != texts_folder:  # the sources' stored texts are the briefing's, not unknown
            _unknown_entry(entry, display, report)
    return raw


def _unknown_entry(entry: Path, display: Callable[[Path], str], report: Report) -> None:
    name = entry.name.removesuffix(".yaml").removesuffix(".yml")
    report.warning(
        display(entry),
        1,
        1,
        f"{quoted(entry.name)} is not a briefing file and is ignored" + did_you_mean(name, COLLECTIONS),
        "file-unknown",
    )


def _plan(
    folder: Path, display: Callable[[Path], str], report: Report, failed: set[str], unknown: list[Path]
) -> list[tuple[str, Path]]:
    """The files to read, in order, as (kind, file), the kind 'briefing' or a collection's. Reports
    each entry that is not read, and adds to `failed` the kinds with a file that cannot be."""
    reads: list[tuple[str, Path]] = []
    first: dict[str, Path] = {}  # where each kind was found first
    for entry in _entries(folder, display(folder), report) or []:
        name = entry.name.removesuffix(".yaml").removesuffix(".yml")
        if _ignored(entry):
            continue
        problem = _link_problem(entry, folder)
        if problem:
            report.error(display(entry), 1, 1, problem, "file-symlink")
            failed.add(name)  # so references into it are not reported one by one
            continue
        is_dir = entry.is_dir()
        if name not in (COLLECTIONS if is_dir else {*COLLECTIONS, "briefing"}):
            if is_dir:
                unknown.append(entry)
            else:
                _unknown_entry(entry, display, report)
            continue
        if name in first:
            place = display(first[name]) + ("/" if first[name].is_dir() else "")
            report.error(
                display(entry),
                1,
                1,
                f"one kind, one place: {place} already holds the {name}; keep one of the two places",
                "file-twice",
            )
            if name == "briefing":  # one mapping: the second is not read
                continue
        first.setdefault(name, entry)
        if not is_dir:
            reads.append((name, entry))
            continue
        inside = _entries(entry, display(entry), report)
        if inside is None:
            failed.add(name)
        for f in inside or []:
            if _ignored(f):
                continue
            problem = _link_problem(f, folder)
            if problem:
                report.error(display(f), 1, 1, problem, "file-symlink")
                failed.add(name)
            elif f.suffix in (".yaml", ".yml") and not f.is_dir():
                reads.append((name, f))
            else:
                report.warning(display(f), 1, 1, _not_read(f, display(entry)), "file-unknown")
    return reads


def _not_read(f: Path, folder: str) -> str:
    """Why a file in a collection folder is not read, and what to do: its problems would go unseen."""
    name = quoted(f.name)
    if f.is_dir():
        return f"folder {name} is ignored: only the files right in {folder}/ are read; move its files up"
    if f.suffix.lower() in (".yaml", ".yml"):
        return f"{name} is ignored: only names ending in .yaml or .yml, in lower case, are read; rename it"
    return f"{name} is ignored: only .yaml and .yml files are read in {folder}/"


def _size(path: Path) -> int:
    """What reading `path` would take in: nothing for a file that load_file refuses unread."""
    try:
        info = path.stat()
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES else 0
