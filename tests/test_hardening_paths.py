"""Paths: ids, folder names and symbolic links that try to leave the briefing or the site are refused."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from support.cli import run
from support.data import BRIEFING_YAML, CLEAN, diagnose, write_files
from support.paths import BRIEFING

from generator import write
from generator.errors import Report
from generator.validate import find_briefings, load_and_validate
from generator.verify import UnsafeTarget, write_atomic
from generator.write import MANIFEST, WriteError, write_tree

OUTSIDE = "symbolic link points outside the briefing folder [file-symlink]"
TRAVERSALS = [
    "../escape",
    "../../etc/passwd",
    "/abs",
    "..%2fescape",
    "..%2F..%2Fescape",
    "a\\..\\b",
    "..\\escape",
    "a/b",
    "\u2024\u2024",  # two ONE DOT LEADERs
    "\uff0e\uff0e",  # fullwidth full stops
    "%2e%2e",
    "\uff41\uff42\uff43",  # fullwidth letters
    "١٢٣",  # Arabic-Indic digits
    "abc\n",
    "abc\x00",
    "ABC",
    "a--b",
    "-a",
    "a" * 101,
    ".",
    "..",
    "",
]


@pytest.mark.parametrize("bad", TRAVERSALS)
def test_ids_that_are_not_plain_slugs_are_refused(tmp_path: Path, bad: str) -> None:
    actor = f"- id: {json.dumps(bad)}\n  name: X\n  classification: state\n"
    out = diagnose(tmp_path, {"briefing.yaml": BRIEFING_YAML, "actors.yaml": actor})
    codes = ("[id-invalid]", "[value-empty]", "[value-invalid]", "[yaml-character]")
    assert any(line.endswith(codes) for line in out), out


@pytest.mark.parametrize("bad", ["../escape", "/abs", "..%2fx", "a\\..\\b", "\u2024\u2024"])
def test_references_that_are_paths_are_refused(tmp_path: Path, bad: str) -> None:
    meetings = CLEAN["meetings.yaml"].replace("host: northland", f"host: {json.dumps(bad)}")
    out = diagnose(tmp_path, {**CLEAN, "meetings.yaml": meetings})
    assert len(out) == 1 and out[0].startswith("demo/meetings.yaml:5:9: error: ") and "[id-invalid]" in out[0]


@pytest.mark.parametrize("name", ["Syria 2016", "syria_2016", "Сирия", "a%2f..", "a\\b", "UPPER"])
def test_briefing_folder_names_must_be_slugs(tmp_path: Path, name: str) -> None:
    write_files(tmp_path / name, CLEAN)
    report = Report()
    result = load_and_validate(tmp_path / name, report, tmp_path)
    assert result.data is None
    assert [d.code for d in report.errors] == ["slug-invalid"]
    assert "is not a valid slug" in report.errors[0].message


def test_check_of_dot_uses_the_real_folder_name(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "harbour", CLEAN)
    result = run(BRIEFING, "check", ".", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "out"
    result = run(BRIEFING, "render", ".", "--out", out, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "harbour" / "index.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["harbour", "out"]


def test_symlinked_files_and_folders_pointing_outside_are_refused(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "outside", {"actors.yaml": CLEAN["actors.yaml"], "x/a.yaml": "[]\n"})
    folder = write_files(
        tmp_path / "briefings" / "demo", {k: v for k, v in CLEAN.items() if k != "actors.yaml"}
    )
    (folder / "actors.yaml").symlink_to(outside / "actors.yaml")
    (folder / "events").symlink_to(outside / "x", target_is_directory=True)
    report = Report()
    load_and_validate(folder, report, tmp_path)
    assert sorted(d.format() for d in report.errors) == [
        "briefings/demo/actors.yaml:1:1: error: " + OUTSIDE,
        "briefings/demo/events:1:1: error: " + OUTSIDE,
    ]


def test_symlinked_briefing_yaml_pointing_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(BRIEFING_YAML, encoding="utf-8")
    folder = write_files(
        tmp_path / "briefings" / "demo", {k: v for k, v in CLEAN.items() if k != "briefing.yaml"}
    )
    (folder / "briefing.yaml").symlink_to(tmp_path / "secret.yaml")
    report = Report()
    result = load_and_validate(folder, report, tmp_path)
    assert result.data is None
    assert [d.format() for d in report.errors] == ["briefings/demo/briefing.yaml:1:1: error: " + OUTSIDE]


def test_a_briefing_folder_that_is_a_symlink_to_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = write_files(tmp_path / "elsewhere" / "demo", CLEAN)
    briefings = tmp_path / "briefings"
    briefings.mkdir()
    (briefings / "demo").symlink_to(elsewhere, target_is_directory=True)
    report = Report()
    results = [load_and_validate(f, report, tmp_path) for f in find_briefings(briefings)]
    assert [r.data for r in results] == [None]
    assert [d.format() for d in report.errors] == [
        "briefings/demo:1:1: error: symbolic link points outside the briefings folder [file-symlink]"
    ]
    result = run(BRIEFING, "check", "briefings", cwd=tmp_path)
    assert result.returncode == 1 and "[file-symlink]" in result.stdout


def test_a_briefing_folder_linked_within_the_briefings_folder_is_read(tmp_path: Path) -> None:
    write_files(tmp_path / "briefings" / "demo", CLEAN)
    (tmp_path / "briefings" / "copy").symlink_to("demo", target_is_directory=True)
    report = Report()
    results = [load_and_validate(f, report, tmp_path) for f in find_briefings(tmp_path / "briefings")]
    assert report.errors == []
    assert [r.data.slug for r in results if r.data] == ["copy", "demo"]


@pytest.mark.parametrize("rel", ["../x.md", "/abs.md", "a/../../x.md", "demo/../../x.md"])
def test_render_never_writes_outside_its_folder(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(WriteError, match="would leave"):
        write_tree({"demo/index.md": "ok\n", rel: "escaped\n"}, out)
    assert not (tmp_path / "x.md").exists() and not Path("/abs.md").exists()
    assert not out.exists() or list(out.rglob("*")) == []


def test_render_does_not_follow_a_symlinked_subfolder_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "victim").mkdir()
    out.mkdir()
    (out / "demo").symlink_to(tmp_path / "victim", target_is_directory=True)
    with pytest.raises(WriteError, match="would leave"):
        write_tree({"demo/index.md": "x\n"}, out)
    assert list((tmp_path / "victim").iterdir()) == []


def test_a_forged_manifest_cannot_make_render_delete_outside(tmp_path: Path) -> None:
    import hashlib

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    digest = hashlib.sha256(b"keep me\n").hexdigest()
    manifest = {"generator": "briefing render", "files": {"../victim.txt": digest}}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(WriteError, match="outside"):
        write_tree({"demo/index.md": "x\n"}, out)
    assert victim.read_text(encoding="utf-8") == "keep me\n"


# --- files written: never through a link, never over a pipe or a device, keeping their mode ---------

ANY_FILE = "nothing was written: give the path of a regular file, or of one that does not exist yet"
LINK = "a symbolic link (links are never written through or replaced)"


def project(root: Path) -> Path:
    write_files(root / "briefings" / "demo", CLEAN)
    return root


def tree(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under `folder`, links and pipes included: its type and its bytes or link target."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for p in sorted(folder.rglob("*")):
        mode = p.lstat().st_mode
        body = os.readlink(p) if p.is_symlink() else p.read_bytes() if stat.S_ISREG(mode) else b""
        found[p.relative_to(folder).as_posix()] = (stat.S_IFMT(mode), body)
    return found


def make_target(root: Path, kind: str) -> tuple[Path, str]:
    """`root/out.file` as a `kind` of thing that is not a regular file, and how a message names it."""
    target = root / "out.file"
    if kind == "symlink":
        (root / "real.file").write_text("keep me\n", encoding="utf-8")
        target.symlink_to("real.file")
        return target, LINK
    if kind == "dangling-symlink":
        target.symlink_to(root / "nowhere.file")
        return target, LINK
    if kind == "fifo":
        os.mkfifo(target)
        return target, "a named pipe (FIFO)"
    try:
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("cannot make a device node here")
    return target, "a device"


@pytest.mark.parametrize("kind", ["symlink", "dangling-symlink", "fifo", "device"])
@pytest.mark.parametrize("command", ["export", "pdf"])
def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path: Path, command: str, kind: str) -> None:
    root = project(tmp_path)
    _, what = make_target(root, kind)
    before = tree(root)
    result = run(BRIEFING, command, "briefings/demo", "-o", "out.file", cwd=root, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: out.file is {what}; {ANY_FILE}"]
    assert tree(root) == before  # the link, pipe or device as it was, what it points to unwritten


def test_write_atomic_refuses_a_pipe_and_leaves_no_temp_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    target, _ = make_target(root, "fifo")
    with pytest.raises(UnsafeTarget, match="is a named pipe"):
        write_atomic(target, "text\n")
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []


def test_export_keeps_the_mode_of_the_file_it_replaces_and_gives_a_new_one_the_umask_default(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    old = root / "old.json"
    old.write_text("old\n", encoding="utf-8")
    old.chmod(0o604)
    mask = os.umask(0o027)
    try:
        for name in ("old.json", "new.json"):
            result = run(BRIEFING, "export", "briefings/demo", "-o", name, cwd=root)
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(mask)
    assert json.loads(old.read_text(encoding="utf-8"))["title"] == "Harbour talks"
    assert stat.S_IMODE(old.stat().st_mode) == 0o604
    assert stat.S_IMODE((root / "new.json").stat().st_mode) == 0o640


def test_render_writes_pages_with_the_umask_default_mode(tmp_path: Path) -> None:
    root = project(tmp_path)
    mask = os.umask(0o002)
    try:
        result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    finally:
        os.umask(mask)
    assert result.returncode == 0, result.stderr
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (root / "out").rglob("*") if p.is_file()}
    assert modes == {0o664}


# --- render --out: a folder for pages, not one of the user's own -------------------------------------

ITS_OWN = "render into a folder of its own (new, empty, or written by render before), e.g. --out pages"


def test_render_refuses_an_empty_out(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = tree(root)
    result = run(BRIEFING, "render", "briefings", "--out", "", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: --out is empty; nothing was written: name a folder for the pages, e.g. --out pages"
    ]
    assert tree(root) == before


@pytest.mark.parametrize(
    ("cwd", "out", "what"),
    [(".", ".", "the current folder"), ("briefings", "..", "a folder holding the current one")],
)
def test_render_refuses_the_current_folder_full_of_other_files(
    tmp_path: Path, cwd: str, out: str, what: str
) -> None:
    root = project(tmp_path)
    before = tree(root)
    result = run(BRIEFING, "render", root / "briefings", "--out", out, cwd=root / cwd)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {root} is {what}, and has files that `briefing render` did not write; nothing was "
        f"written: {ITS_OWN}"
    ]
    assert tree(root) == before


def test_render_into_the_current_folder_when_empty_and_again_once_it_is_its_own(tmp_path: Path) -> None:
    root = project(tmp_path)
    here = root / "pages"
    here.mkdir()
    for _ in range(2):
        result = run(BRIEFING, "render", root / "briefings", "--out", ".", cwd=here)
        assert result.returncode == 0, result.stderr
    assert (here / "demo" / "index.md").is_file() and (here / MANIFEST).is_file()


def test_render_refuses_the_home_folder(tmp_path: Path) -> None:
    root = project(tmp_path)
    home = write_files(tmp_path / "home", {"notes.txt": "mine\n"})
    result = run(BRIEFING, "render", "briefings", "--out", home, cwd=root, env={"HOME": str(home)})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {home} is your home folder; nothing was written: {ITS_OWN}"
    ]
    assert [p.name for p in home.iterdir()] == ["notes.txt"]


def test_render_refuses_the_root_of_the_file_system(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(path: Path, text: str) -> None:
        raise AssertionError(f"wrote {path}")  # so that a failing guard still writes nothing in /

    monkeypatch.setattr(write, "write_atomic", never)
    with pytest.raises(WriteError, match=r"^/ is the root of the file system; nothing was written"):
        write_tree({"index.md": "x\n"}, Path("/"))


# --- the manifest: whatever is in it, no traceback, and nothing outside render's own pages -----------

BAD_MANIFESTS = {
    "a list": b"[]",
    "a string": b'"files"',
    "null": b"null",
    "no files": b"{}",
    "files null": b'{"files": null}',
    "files a list": b'{"files": ["demo/index.md"]}',
    "a number for a digest": b'{"files": {"demo/index.md": 1}}',
    "a list for a digest": b'{"files": {"demo/index.md": ["' + b"a" * 64 + b'"]}}',
    "not a digest": b'{"files": {"demo/index.md": "not a digest"}}',
    "nested past the parser's depth": b"[" * 100_000,
    "not UTF-8": b'{"files": {"\xff": 1}}',
}


@pytest.mark.parametrize("manifest", BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_a_manifest_of_the_wrong_shape_is_refused_cleanly(tmp_path: Path, manifest: bytes) -> None:
    root = project(tmp_path)
    out = write_files(root / "out", {MANIFEST: manifest, "demo/index.md": "mine\n"})
    before = tree(out)
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {out / MANIFEST} is not a manifest this command wrote (")
    assert line.endswith(
        "nothing was written: if the folder holds only pages of an earlier render, delete it and render again"
    )
    assert tree(out) == before


def forge(out: Path, *names: str) -> None:
    """A manifest claiming the files `names` under `out`, each with its current digest."""
    files = {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in names}
    (out / MANIFEST).write_text(
        json.dumps({"generator": "briefing render", "files": files}), encoding="utf-8"
    )


@pytest.mark.parametrize(
    "mine",
    ["notes.md", "README.md", "demo/Notes.md", "demo/notes.txt", ".git/config", "a/b/c/d.md", "demo/.x.md"],
)
def test_a_forged_manifest_cannot_claim_a_file_render_would_never_write(tmp_path: Path, mine: str) -> None:
    root = project(tmp_path)
    out = write_files(root / "out", {mine: "my own notes\n"})
    forge(out, mine)
    before = tree(out)
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    assert result.returncode == 1
    assert f"names '{mine}', which is not a page `briefing render` writes" in result.stderr
    assert tree(out) == before


def test_a_forged_manifest_cannot_remove_through_a_linked_subfolder(tmp_path: Path) -> None:
    root = project(tmp_path)
    victim = write_files(tmp_path / "documents", {"index.md": "my own notes\n"})
    out = root / "out"
    out.mkdir()
    (out / "old").symlink_to(victim, target_is_directory=True)
    forge(out, "old/index.md")
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: symbolic link(s) in {out} where pages go: old; render never writes or removes through a "
        "link, as that would leave the folder; nothing was written: remove the link(s), or render into "
        "another folder"
    ]
    assert (victim / "index.md").read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "old"]


def test_render_writes_through_no_link_even_one_within_its_folder(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = write_files(root / "out", {"notes/mine.md": "my own notes\n"})
    (out / "demo").mkdir()
    (out / "demo" / "book.md").symlink_to("../notes/mine.md")
    forge(out, "demo/book.md")
    before = tree(out)
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    assert result.returncode == 1 and "where pages go: demo/book.md;" in result.stderr
    assert tree(out) == before


def test_a_manifest_that_is_a_link_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "out"
    assert run(BRIEFING, "render", "briefings", "--out", "out", cwd=root).returncode == 0
    (out / MANIFEST).rename(root / "elsewhere.json")
    (out / MANIFEST).symlink_to(root / "elsewhere.json")
    before = tree(root)
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root)
    assert result.returncode == 1
    assert f"error: {out / MANIFEST} is a symbolic link" in result.stderr
    assert tree(root) == before


def test_a_pipe_where_a_page_goes_is_a_clash_and_is_never_read(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "out"
    assert run(BRIEFING, "render", "briefings", "--out", "out", cwd=root).returncode == 0
    (out / "demo" / "index.md").unlink()
    os.mkfifo(out / "demo" / "index.md")  # named in the manifest, as render wrote it
    before = tree(out)
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=root, timeout=30)
    assert result.returncode == 1
    assert "were not written by `briefing render`" in result.stderr and "\n  demo/index.md" in result.stderr
    assert tree(out) == before
