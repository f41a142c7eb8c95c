"""`briefing render --out DIR`: the Markdown tree on disk, replacing only files it wrote itself.

The manifest names each file this command wrote, with its SHA-256, so that a page edited by hand
since is never overwritten or removed. But the manifest is a plain file in the folder: whoever can
put a file there (an archive unpacked, a repository cloned, a shared folder) can forge one naming
any file with its current digest. So a manifest is believed only within what render makes:

- Only paths of the shape render gives its pages are written, replaced or removed: `index.md` at
  the top, then `<slug>/<name>.md` and `<slug>/<kind>/<name>.md`, every part a slug; with
  `--config`, the three style sheets in `assets/briefing/` and the site's own documents as this
  run finds them in its docs folder. A manifest
  naming anything else (`notes.md`, `README.md`, `.git/config`, `../x`, `a/b/c/d.md`) is refused
  whole, so a user's own files beside the pages are out of its reach.
- Nothing is followed through a symbolic link: a link anywhere on a page's way, or as the page
  itself, stops the run, so a linked subfolder cannot carry a write or a removal elsewhere.
- Only regular files are replaced or removed, and a pipe or a device is never even read.

What a forged manifest can still do is make render replace or remove a file of the user's own at
a path render itself would give a page. Recording what only this machine knows (inode numbers)
would close that too, but two renders of the same data would no longer be byte-identical, and a
rendered tree cloned elsewhere would no longer be render's own; keeping to render's own paths
keeps both, and a user's files stay safe wherever render would not put a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .model import SLUG_RE
from .verify import not_regular, write_atomic

MANIFEST = ".briefing-manifest.json"
_SLUG = SLUG_RE.removeprefix("^").removesuffix("$")
_PAGE = re.compile(
    rf"index\.md|(?:{_SLUG}/){{1,2}}{_SLUG}\.md|assets/briefing/(?:briefing|print|pictures)\.css"
)
_SHA256 = re.compile(r"[0-9a-f]{64}")

Found = Literal["missing", "file", "other", "blocked", "link"]


class WriteError(Exception):
    pass


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leaves(rel: str) -> bool:
    path = PurePosixPath(rel)
    return path.is_absolute() or ".." in path.parts


def _look(out: Path, rel: str) -> tuple[Found, str]:
    """What stands at `out/rel`, looked at part by part without following any link.

    ("link", part) names the first symbolic link on the way, the page itself included; "blocked"
    is something other than a folder where one of its folders should be; "other" is a folder,
    pipe or device where the page should be."""
    path, parts = out, rel.split("/")
    mode = 0
    for n, part in enumerate(parts, 1):
        path = path / part
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            return "missing", ""
        if stat.S_ISLNK(mode):
            return "link", "/".join(parts[:n])
        if n < len(parts) and not stat.S_ISDIR(mode):
            return "blocked", ""
    return ("file" if stat.S_ISREG(mode) else "other"), ""


def _refuse_unsafe_out(out: Path) -> None:
    """Refuse a folder that is plainly the user's own rather than one for pages.

    Render writes beside files it did not write (refusing only a clash): right for a docs folder,
    but `--out ""`, `--out .`, `/` or a home folder would scatter a hundred pages among a user's
    files. A folder render wrote before (it has the manifest) is always fine."""
    try:
        home: Path | None = Path.home().resolve()
    except RuntimeError:  # no home folder known: nothing to compare with
        home = None
    cwd = Path.cwd().resolve()
    if out == Path(out.anchor):
        what = "the root of the file system"
    elif out == home:
        what = "your home folder"
    elif cwd.is_relative_to(out) and not os.path.lexists(out / MANIFEST) and any(out.iterdir()):
        here = "the current folder" if out == cwd else "a folder holding the current one"
        what = f"{here}, and has files that `briefing render` did not write"
    else:
        return
    raise WriteError(
        f"{out} is {what}; nothing was written: render into a folder of its own (new, empty, "
        "or written by render before), e.g. --out pages"
    )


def _read_manifest(manifest_path: Path, out: Path, also: frozenset[str] = frozenset()) -> dict[str, str]:
    """The files the manifest says this command wrote (path -> SHA-256); {} when there is none."""
    remedy = "if the folder holds only pages of an earlier render, delete it and render again"
    what = not_regular(manifest_path)
    if what is not None:
        raise WriteError(f"{manifest_path} is {what}, not a manifest; nothing was written: {remedy}")
    if not manifest_path.exists():
        return {}
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError; [[[[… nests
        raise WriteError(
            f"{manifest_path} is not a manifest this command wrote ({e}); nothing was written: {remedy}"
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(d, str) and _SHA256.fullmatch(d) for d in files.values()
    ):
        raise WriteError(
            f"{manifest_path} is not a manifest this command wrote (no 'files' mapping each page to "
            f"its SHA-256); nothing was written: {remedy}"
        )
    for rel in files:
        if _leaves(rel):
            raise WriteError(f"{manifest_path} names '{rel}', outside {out}; nothing was written: {remedy}")
        if not _PAGE.fullmatch(rel) and rel not in also:
            raise WriteError(
                f"{manifest_path} names '{rel}', which is not a page `briefing render` writes, so this "
                f"command did not write the manifest; nothing was written: {remedy}"
            )
    return files


def write_tree(
    pages: Mapping[str, str | bytes],
    out: Path,
    plan: dict[str, Any] | None = None,
    also: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """Write `pages` under `out`; returns (written, removed). `plan` (what each page is, and the
    navigation) is kept in the manifest, for engines that read the tree. `also`: paths besides
    render's own shapes that this run writes (the site's own documents, for `--config`); a
    manifest may name them, and no other.

    A file is replaced or removed only if it is at a page's path, the manifest says this command
    wrote it and it is unchanged since; otherwise nothing at all is written and WriteError names
    the files. See the module's docstring for why a manifest is believed only that far."""
    out = out.resolve()
    _refuse_unsafe_out(out)
    manifest_path = out / MANIFEST
    owned = _read_manifest(manifest_path, out, also)
    for rel in pages:
        if _leaves(rel):
            raise WriteError(f"page path '{rel}' would leave {out}; nothing was written")
        if not _PAGE.fullmatch(rel) and rel not in also:
            raise WriteError(f"page path '{rel}' is not one `briefing render` makes; nothing was written")
    found = {rel: _look(out, rel) for rel in {*pages, *owned}}
    links = sorted({link for state, link in found.values() if state == "link"})
    if links:
        raise WriteError(
            f"symbolic link(s) in {out} where pages go: {', '.join(links)}; render never writes or "
            "removes through a link, as that would leave the folder; nothing was written: remove the "
            "link(s), or render into another folder"
        )
    conflicts = [  # "blocked": a file stands where the page's folder should be
        rel
        for rel in pages
        if found[rel][0] in ("blocked", "other")
        or (found[rel][0] == "file" and (rel not in owned or _digest(out / rel) != owned[rel]))
    ]
    stale = [rel for rel in owned if rel not in pages and found[rel][0] == "file"]
    conflicts += [rel for rel in stale if _digest(out / rel) != owned[rel]]
    if conflicts:
        listed = "\n  ".join(sorted(conflicts)[:20])
        more = f"\n  … and {len(conflicts) - 20} more" if len(conflicts) > 20 else ""
        raise WriteError(
            f"{len(conflicts)} file(s) in {out} were not written by `briefing render` or were changed "
            f"since; nothing was written (move them away, or render into another folder):\n  {listed}{more}"
        )
    written = 0
    # Kept true at every step, and saved even when a write fails half-way: a file this command
    # wrote is never later taken for someone else's.
    files = {rel: digest for rel, digest in owned.items() if found[rel][0] == "file"}
    try:
        for rel, text in pages.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8") if isinstance(text, str) else text
            if not target.exists() or target.read_bytes() != data:
                write_atomic(target, data)
                written += 1
            files[rel] = hashlib.sha256(data).hexdigest()
        for rel in stale:
            (out / rel).unlink()
            del files[rel]
    finally:
        _write_manifest(manifest_path, files, plan or {})
    return written, len(stale)


def _write_manifest(manifest_path: Path, files: dict[str, str], plan: dict[str, Any]) -> None:
    record = {"generator": "briefing render", "files": files, **plan}
    manifest = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
        write_atomic(manifest_path, manifest)
