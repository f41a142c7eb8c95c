"""`briefing render --out DIR`: the Markdown tree on disk, replacing only files it wrote itself."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .verify import write_atomic

MANIFEST = ".briefing-manifest.json"


class WriteError(Exception):
    pass


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_tree(pages: dict[str, str], out: Path) -> tuple[int, int]:
    """Write `pages` under `out`; returns (written, removed).

    A file is replaced or removed only if the manifest says this command wrote it and it is
    unchanged since; otherwise nothing at all is written and WriteError names the files.
    """
    out = out.resolve()
    manifest_path = out / MANIFEST
    owned: dict[str, str] = {}
    if manifest_path.is_file():
        try:
            owned = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        except (ValueError, KeyError, TypeError) as e:
            raise WriteError(
                f"{manifest_path} is not a manifest this command wrote ({e}); nothing was written"
            ) from None
    conflicts = []
    for rel in pages:
        target = (out / rel).resolve()
        if not target.is_relative_to(out):
            raise WriteError(f"page path '{rel}' would leave {out}; nothing was written")
        if target.exists() and (rel not in owned or _digest(target) != owned[rel]):
            conflicts.append(rel)
        elif any(p.exists() and not p.is_dir() for p in target.parents if p.is_relative_to(out)):
            conflicts.append(rel)  # a file stands where its folder should be
    for rel in owned:
        if not (out / rel).resolve().is_relative_to(out):
            raise WriteError(f"{manifest_path} names '{rel}', outside {out}; nothing was written")
    stale = [rel for rel in owned if rel not in pages and (out / rel).is_file()]
    conflicts += [rel for rel in stale if _digest(out / rel) != owned[rel]]
    if conflicts:
        listed = "\n  ".join(sorted(conflicts)[:20])
        more = f"\n  … and {len(conflicts) - 20} more" if len(conflicts) > 20 else ""
        raise WriteError(
            f"{len(conflicts)} file(s) in {out} were not written by `briefing render` or were changed "
            f"since; nothing was written:\n  {listed}{more}"
        )
    written = 0
    # Kept true at every step, and saved even when a write fails half-way: a file this command
    # wrote is never later taken for someone else's.
    files = {rel: digest for rel, digest in owned.items() if (out / rel).is_file()}
    try:
        for rel, text in pages.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                write_atomic(target, text)
                written += 1
            files[rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for rel in stale:
            (out / rel).unlink()
            del files[rel]
    finally:
        _write_manifest(manifest_path, files)
    return written, len(stale)


def _write_manifest(manifest_path: Path, files: dict[str, str]) -> None:
    manifest = json.dumps({"generator": "briefing render", "files": files}, indent=1, sort_keys=True) + "\n"
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
        write_atomic(manifest_path, manifest)
