"""Quotes checked verbatim against the stored text of their source, pinned by SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from .errors import Report
from .validate import Validated

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
    pending: dict[Path, list[tuple[int, str]]] = {}
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
        elif source.sha256 is None and record:
            key_line, key_col = where.file.loc((*where.base, "id"), key=True)
            pending.setdefault(Path(where.file.path), []).append(
                (key_line, " " * (key_col - 1) + f"sha256: {digest}")
            )
            recorded.append(f"{where.file.path}: recorded sha256 of source '{source.id}'")
        texts[source.id] = normalise(blob.decode("utf-8", errors="replace"))
    for path, inserts in pending.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for line_no, text in sorted(inserts, reverse=True):
            lines.insert(line_no, text + "\n")
        write_atomic(path, "".join(lines))
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
