"""Quotes checked verbatim against the stored text of their source, pinned by SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import yaml

from .errors import Report
from .load import Loader
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


def normalise(text: str) -> str:
    """Whitespace and typographic quote marks do not count; every other character does."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` whole or not at all."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify_quotes(
    validated: Validated, sources_dir: Path, report: Report, *, record: bool = True
) -> list[str]:
    """Report quotes not verbatim in their source and sources whose text changed.

    Sources with no recorded `sha256` get one written into their YAML file (when `record`);
    returns a line per hash recorded.
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
        path = sources_dir / source.snapshot
        if not path.is_file():
            report.error(
                *where.at("snapshot"),
                f"stored text '{source.snapshot}' of source '{source.id}' not found in {sources_dir}",
                "source-snapshot-missing",
            )
            continue
        blob = path.read_bytes()
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
    for path, edits in pending.items():
        recorded += _record(path, edits, report)
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
    return recorded


def _record(path: Path, edits: list[tuple[int, str, bool, str, Where]], report: Report) -> list[str]:
    """Write each sha256 into the sources file, if the result reads back exactly as meant."""
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
