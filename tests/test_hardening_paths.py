"""Paths: ids, folder names and symbolic links that try to leave the briefing or the site are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_data import BRIEFING_YAML, CLEAN, diagnose, write_files
from helpers_hardening import BRIEFING, run

from generator.errors import Report
from generator.validate import find_briefings, load_and_validate
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
