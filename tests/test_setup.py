"""Set-up: `./run` installs exactly requirements.lock, and the lock follows pyproject.toml's ranges."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from support.cli import run
from support.paths import PYPROJECT, REPO

LOCK = REPO / "requirements.lock"
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def locked() -> dict[str, list[tuple[Version, str, list[str]]]]:
    """Each locked package: (version, environment marker, hashes) for every line that names it."""
    out: dict[str, list[tuple[Version, str, list[str]]]] = {}
    current: list[str] = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if m := ENTRY.match(line):
            current = []
            out.setdefault(canonicalize_name(m[1]), []).append((Version(m[2]), (m[3] or "").strip(), current))
        elif m := re.match(r"^\s+--hash=sha256:([0-9a-f]{64})", line):
            current.append(m[1])
    return out


def wanted() -> list[Requirement]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for line in (REPO / "requirements.in").read_text(encoding="utf-8").splitlines():
        if line.split("#")[0].strip():
            lines.append(line.split("#")[0].strip())
    return [Requirement(x) for x in lines]


def test_every_declared_requirement_is_locked_inside_its_range() -> None:
    lock = locked()
    for req in wanted():
        entries = lock.get(canonicalize_name(req.name))
        assert entries, f"{req.name} is not in requirements.lock: run ./run lock"
        for version, _, _ in entries:
            assert req.specifier.contains(version, prereleases=True), (
                f"requirements.lock has {req.name}=={version}, outside {req}: run ./run lock"
            )


def test_every_locked_package_is_pinned_with_hashes() -> None:
    lock = locked()
    assert len(lock) > 20
    for name, entries in lock.items():
        for version, _, hashes in entries:
            assert hashes, f"{name}=={version} has no hash"


def test_this_environment_is_the_lock_when_run_made_it() -> None:
    if not (Path(sys.prefix) / ".installed").exists():
        pytest.skip("this environment was not made by ./run (e.g. the weekly run on the newest versions)")
    lock = locked()
    installed = {canonicalize_name(d.metadata["Name"]): Version(d.version) for d in metadata.distributions()}
    installed.pop("briefing-site")
    expected = {
        name: version
        for name, entries in lock.items()
        for version, marker, _ in entries
        if not marker or Marker(marker).evaluate()
    }
    assert installed == expected


@pytest.fixture
def bare_copy(tmp_path: Path) -> Path:
    for name in ("run", "requirements.lock", "requirements.in", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


def test_run_without_arguments_prints_usage_and_installs_nothing(bare_copy: Path) -> None:
    result = run("bash", bare_copy / "run", cwd=bare_copy, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "./run serve" in result.stdout and "./run briefing ARGS" in result.stdout
    assert result.stderr == ""
    assert sorted(p.name for p in bare_copy.iterdir()) == [
        "pyproject.toml",
        "requirements.in",
        "requirements.lock",
        "run",
    ]


def test_run_with_an_unknown_command_says_so_and_installs_nothing(bare_copy: Path) -> None:
    result = run("bash", bare_copy / "run", "srve", cwd=bare_copy, timeout=30)
    assert result.returncode == 2
    assert "unknown command 'srve'" in result.stderr
    assert not (bare_copy / ".venv").exists()
