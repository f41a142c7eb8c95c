"""Nothing lost: render --out, mkdocs build and briefing new never destroy what they did not make."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from support.cli import mkdocs_build, run
from support.data import CLEAN, write_files
from support.paths import BRIEFING
from support.project import make_project

from generator import verify, write
from generator.write import MANIFEST, WriteError, write_tree


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path / "briefings" / "demo", CLEAN)
    return tmp_path


def render(project: Path, out: str = "out") -> Any:
    return run(BRIEFING, "render", "briefings", "--out", out, cwd=project)


def test_render_into_a_folder_of_other_files_keeps_them_and_refuses_a_clash(project: Path) -> None:
    out = write_files(
        project / "out",
        {"README.md": "mine\n", "notes/todo.txt": "mine too\n", "demo/index.md": "my own overview\n"},
    )
    before = snapshot(out)
    result = render(project)
    assert result.returncode == 1
    assert "demo/index.md" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(out) == before


def test_render_beside_other_files_leaves_them_alone_on_every_run(project: Path) -> None:
    out = write_files(project / "out", {"README.md": "mine\n", "demo/extra.md": "mine too\n"})
    for _ in range(2):
        result = render(project)
        assert result.returncode == 0, result.stderr
    assert (out / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert (out / "demo/extra.md").read_text(encoding="utf-8") == "mine too\n"
    # A page the user edited is theirs now: never overwritten, nor removed when it goes stale.
    (out / "demo/index.md").write_text("edited by hand\n", encoding="utf-8")
    before = snapshot(out)
    result = render(project)
    assert result.returncode == 1 and "demo/index.md" in result.stderr
    (project / "briefings" / "demo" / "quotes.yaml").unlink()
    result = render(project)
    assert result.returncode == 1
    assert snapshot(out) == before


def test_a_file_where_a_folder_should_be_is_a_clash_not_a_half_written_tree(project: Path) -> None:
    out = write_files(project / "out", {"demo/actors": "a file, not a folder\n"})
    before = snapshot(out)
    result = render(project)
    assert result.returncode == 1, result.stdout
    assert "demo/actors/" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_a_failure_half_way_leaves_no_temp_files_and_a_true_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_files(out, {"keep.txt": "not ours\n"})
    pages = {f"demo/p{n}.md": f"page {n}\n" for n in range(6)}
    real = write.write_atomic
    calls = []

    def flaky(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(write, "write_atomic", flaky)
    with pytest.raises(OSError, match="No space"):
        write_tree(pages, out)
    monkeypatch.setattr(write, "write_atomic", real)
    assert sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp")) == []
    # The three pages written before the failure are recorded as ours, so the next run may replace them.
    written, removed = write_tree(pages, out)
    assert (written, removed) == (3, 0)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "not ours\n"
    assert {p: (out / p).read_text(encoding="utf-8") for p in pages} == pages


def test_write_atomic_removes_its_temp_file_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.md"
    target.write_text("old\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        verify.write_atomic(target, "new\n")
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]
    assert target.read_text(encoding="utf-8") == "old\n"


def test_render_keeps_to_its_manifest_across_runs(project: Path) -> None:
    assert render(project).returncode == 0
    out = project / "out"
    assert (out / MANIFEST).is_file()
    pages = {p for p in snapshot(out) if p != MANIFEST}
    (project / "briefings" / "demo" / "meetings.yaml").unlink()
    result = render(project)
    assert result.returncode == 0, result.stderr
    assert "removed" in result.stdout
    # The meeting's page goes, and with it the pages that listed it and now would list nothing.
    gone = {"demo/meetings/harbour-talks.md", "demo/meetings/index.md", "demo/timeline/index.md"}
    assert {p for p in snapshot(out) if p != MANIFEST} == pages - gone


def test_a_failed_build_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"demo": CLEAN})
    first = mkdocs_build(project, strict=False)
    assert first.returncode == 0, first.stderr[-2000:]
    before = snapshot(project / "site")
    assert "demo/index.html" in before
    (project / "briefings" / "demo" / "meetings.yaml").write_text("- id: [broken\n", encoding="utf-8")
    second = mkdocs_build(project, strict=False)
    assert second.returncode != 0
    assert "[yaml-syntax]" in second.stderr
    assert snapshot(project / "site") == before


def test_serve_keeps_the_last_good_pages_when_data_breaks(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    project = make_project(tmp_path, {"demo": CLEAN})
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.run_event("startup", command="serve", dirty=False)
    try:
        config = config.plugins.run_event("config", config)
        config.plugins.run_event("pre_build", config=config)
        good = config.plugins.run_event("files", Files([]), config=config)
        (project / "briefings" / "demo" / "meetings.yaml").write_text("- id: [broken\n", encoding="utf-8")
        config.plugins.run_event("pre_build", config=config)  # logs the error, does not raise
        again = config.plugins.run_event("files", Files([]), config=config)
        assert sorted(f.src_uri for f in again) == sorted(f.src_uri for f in good)
    finally:
        config.plugins.run_event("shutdown")


def test_a_plain_build_with_bad_data_stops_before_cleaning(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    project = make_project(tmp_path, {"demo": {**CLEAN, "meetings.yaml": "- id: [broken\n"}})
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.run_event("startup", command="build", dirty=False)
    try:
        config = config.plugins.run_event("config", config)
        with pytest.raises(PluginError, match="nothing was built"):
            config.plugins.run_event("pre_build", config=config)
    finally:
        config.plugins.run_event("shutdown")


@pytest.mark.parametrize("kind", ["folder", "file", "symlink", "dangling-symlink"])
def test_briefing_new_never_overwrites(tmp_path: Path, kind: str) -> None:
    briefings = tmp_path / "briefings"
    briefings.mkdir()
    target = briefings / "demo"
    if kind == "folder":
        write_files(target, {"actors.yaml": "- mine\n"})
    elif kind == "file":
        target.write_text("mine\n", encoding="utf-8")
    elif kind == "symlink":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    else:
        target.symlink_to(tmp_path / "nowhere")
    before = snapshot(tmp_path)
    result = run(BRIEFING, "new", "demo", cwd=tmp_path)
    assert result.returncode == 1
    assert "already exists; nothing was written" in result.stderr
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in briefings.iterdir()) == ["demo"]  # no temp folder left


@pytest.mark.parametrize("slug", ["../escape", "/abs", "a/b", "..", "Demo", "dé"])
def test_briefing_new_refuses_slugs_that_are_paths(tmp_path: Path, slug: str) -> None:
    result = run(BRIEFING, "new", slug, cwd=tmp_path)
    assert result.returncode == 1
    assert "is not a valid slug" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_write_tree_refuses_a_manifest_it_did_not_write(tmp_path: Path) -> None:
    out = write_files(tmp_path / "out", {MANIFEST: "{not json\n", "x.md": "mine\n"})
    before = snapshot(out)
    with pytest.raises(WriteError, match="not a manifest"):
        write_tree({"x.md": "ours\n"}, out)
    assert snapshot(out) == before
