"""Quotes checked verbatim against the stored text of their source, pinned by SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath

import yaml

from .errors import Report
from .read import Loader
from .validate import Validated, Where

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
    }
)
_SPACE = re.compile(r"\s+")
# As for the YAML files (load.MAX_FILE_BYTES): far above any article's text, far below what hurts.
MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024


def normalise(text: str) -> str:
    """Whitespace and typographic quote marks do not count; every other character does."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


class UnsafeTarget(Exception):
    """A path to write holds something other than a regular file; nothing was written."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never written through or replaced)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path) -> str | None:
    """What stands at `path` when it exists and is not a regular file, e.g. 'a folder'; else None."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else _kind(mode)


def check_target(path: Path) -> None:
    """Raise UnsafeTarget unless `path` is a regular file or does not exist yet.

    Replacing a link would cut it and writing through one would write elsewhere; replacing a
    device or a pipe (`-o /dev/null`, as root) would destroy it."""
    what = not_regular(path)
    if what is not None:
        raise UnsafeTarget(
            f"{path} is {what}; nothing was written: give the path of a regular file, "
            "or of one that does not exist yet"
        )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace `path` whole or not at all, keeping its mode; a new file gets the umask's default.

    Raises UnsafeTarget, writing nothing, when `path` is a link, a folder, a device or a pipe."""
    check_target(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as out:
                out.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        os.chmod(tmp, mode)  # mkstemp makes every file private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Unreadable(Exception):
    """Why a stored text is not read (the message goes after "stored text 'x' of source 'y'")."""

    def __init__(self, problem: str, code: str) -> None:
        super().__init__(problem)
        self.code = code


def _read_snapshot(sources_dir: Path, name: str) -> bytes:
    """The stored text `name`: only a regular file inside `sources_dir`, of at most MAX_SNAPSHOT_BYTES.

    A briefing names its snapshots, so without these limits it could make `check` read, hash and
    quote-match any file (`/etc/passwd`, `../../proc/self/environ`), hang on a pipe, or fill memory."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts:
        raise _Unreadable(
            f"is not inside {sources_dir}: give its path relative to that folder, without '..'",
            "source-snapshot-outside",
        )
    root = sources_dir.resolve()
    try:
        path = (root / rel).resolve()
        st = path.stat() if path.is_relative_to(root) else None
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        raise _Unreadable(f"not found in {sources_dir}", "source-snapshot-missing") from None
    except (OSError, RuntimeError) as e:  # RuntimeError: a loop of links, before Python 3.13
        why = getattr(e, "strerror", None) or e
        raise _Unreadable(f"cannot be read: {why}", "source-snapshot-read") from None
    if st is None:
        raise _Unreadable(
            f"is a symbolic link to outside {sources_dir}: put a copy of the text in the folder instead",
            "source-snapshot-outside",
        )
    if not stat.S_ISREG(st.st_mode):
        raise _Unreadable(
            f"is {_kind(st.st_mode)}, not a file: name the file holding the article's text",
            "source-snapshot-not-file",
        )
    too_big = _Unreadable(
        f"is larger than {MAX_SNAPSHOT_BYTES // 2**20} MiB: store only the article's text",
        "source-snapshot-size",
    )
    if st.st_size > MAX_SNAPSHOT_BYTES:
        raise too_big
    try:
        # Swapped for a pipe or a link since the checks above, the file still cannot hang the
        # read or lead elsewhere at its last step, and the read stops past the limit.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            blob = f.read(MAX_SNAPSHOT_BYTES + 1)
    except OSError as e:
        raise _Unreadable(f"cannot be read: {e.strerror}", "source-snapshot-read") from None
    if len(blob) > MAX_SNAPSHOT_BYTES:
        raise too_big
    return blob


def check_quotes(validated: Validated, folder: Path, site_texts: Path | None, report: Report) -> None:
    """The quote check of every check, build and serve: against the briefing's own `source_texts`
    folder, else the site's (the plugin's `source_texts`); never records a hash (`briefing check
    --sources DIR` does, on a run without errors)."""
    data, where = validated.data, validated.briefing_where
    if data is None or where is None:
        return
    texts = site_texts
    if data.briefing.source_texts is not None:
        rel = PurePosixPath(data.briefing.source_texts)
        inside = folder.resolve()
        texts = (folder / rel).resolve()
        if rel.is_absolute() or ".." in rel.parts or not texts.is_relative_to(inside):
            report.error(
                *where.at("source_texts"),
                f"source_texts '{data.briefing.source_texts}' is not inside the briefing folder: "
                "keep the texts in a folder of the briefing's own, e.g. source_texts: texts",
                "source-texts-outside",
            )
            return
        if not texts.is_dir():
            report.warning(
                *where.at("source_texts"),
                f"source_texts folder '{data.briefing.source_texts}' not found in {folder}: quotes were not "
                "checked; create it with the sources' stored texts, or remove source_texts",
                "source-texts-missing",
            )
            return
    if texts is not None:
        verify_quotes(validated, texts, report, record=False)


def verify_quotes(
    validated: Validated, sources_dir: Path, report: Report, *, record: bool = True
) -> list[str]:
    """Report quotes not verbatim in their source and sources whose text changed.

    Sources with no recorded `sha256` get one written into their YAML file (when `record`, and
    only when the run found no error, the quotes' included); returns a line per hash recorded.
    """
    data = validated.data
    if data is None:
        return []
    texts: dict[str, str] = {}
    recorded: list[str] = []
    pending: dict[Path, list[tuple[int, str, bool, str, Where]]] = {}
    for source in data.sources:
        where = validated.where[("sources", source.id)]
        if source.snapshot is None:
            continue
        try:
            blob = _read_snapshot(sources_dir, source.snapshot)
        except _Unreadable as e:
            report.error(
                *where.at("snapshot"), f"stored text '{source.snapshot}' of source '{source.id}' {e}", e.code
            )
            continue
        digest = hashlib.sha256(blob).hexdigest()
        if source.sha256 and source.sha256 != digest:
            report.error(
                *where.at("sha256"),
                f"stored text of source '{source.id}' has changed since its sha256 was "
                "recorded; re-check its quotes, then update sha256",
                "source-changed",
            )
        elif source.sha256 is None and record and where.file.fs_path is not None:
            has_key = (*where.base, "sha256") in where.file.key_locs
            line, col = where.file.loc((*where.base, "sha256" if has_key else "id"), key=True)
            pending.setdefault(where.file.fs_path, []).append(
                (line, " " * (col - 1) + f"sha256: {digest}", has_key, digest, where)
            )
        texts[source.id] = normalise(blob.decode("utf-8", errors="replace"))
    for quote in data.quotes:
        where = validated.where[("quotes", quote.id)]
        if quote.source is None:
            continue
        if quote.source not in texts:
            source = next(s for s in data.sources if s.id == quote.source)
            if source.snapshot is None:
                report.warning(
                    *where.at("source"),
                    f"quote '{quote.id}' cannot be verified: source '{source.id}' has no snapshot",
                    "quote-unverified",
                )
            continue
        if normalise(quote.text) not in texts[quote.source]:
            report.error(
                *where.at("text"),
                f"quote '{quote.id}' is not verbatim in source '{quote.source}'"
                + _closest(normalise(quote.text), texts[quote.source]),
                "quote-mismatch",
            )
    # A hash pins a text its quotes were found in: not recorded on a run that found any error.
    if not report.errors:
        for path, edits in pending.items():
            recorded += _record(path, edits, report)
    return recorded


def _record(path: Path, edits: list[tuple[int, str, bool, str, Where]], report: Report) -> list[str]:
    """Write each sha256 into the sources file, if the result reads back exactly as meant."""
    what = not_regular(path)
    if what is not None:  # e.g. a link to a shared sources file: replacing it would cut the link
        for *_, digest, w in edits:
            report.error(
                *w.at("id"),
                f"could not record the sha256: {w.file.path} is {what}; add `sha256: {digest}` by hand",
                "source-hash-unwritable",
            )
        return []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for line_no, text, replace, _, _ in sorted(edits, key=lambda e: e[0], reverse=True):
        if replace:
            lines[line_no - 1] = text + "\n"
        else:
            lines.insert(line_no, text + "\n")
    new_text = "".join(lines)
    try:
        reread = yaml.load(new_text, Loader=Loader)
        ok = all(reread[w.base[0]].get("sha256") == digest for *_, digest, w in edits)
    except (yaml.YAMLError, KeyError, IndexError, TypeError, AttributeError):
        ok = False
    if not ok:
        for *_, digest, w in edits:
            report.warning(
                *w.at("id"),
                f"could not record the sha256 here; add `sha256: {digest}` by hand",
                "source-hash-unrecorded",
            )
        return []
    write_atomic(path, new_text)
    return [f"{w.file.path}: recorded sha256 of source '{w.file.data[w.base[0]]['id']}'" for *_, w in edits]


def _closest(quote: str, text: str) -> str:
    """Where the quote stops matching: the longest prefix found in the text."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo < 8:
        return ""
    return f"; it matches up to '…{quote[max(0, lo - 20) : lo]}' and differs from there"
