"""docs/first-briefing.md, done as a reader does it: every command it shows, in order, as typed,
in a copy of the repository; and what it says each shows, checked."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from support.browser import need_chromium
from support.paths import REPO
from support.server import free_port

DOC = REPO / "docs" / "first-briefing.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == kind]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The repository's own files (its briefings, site config, docs and `./run`), sharing its .venv
    when that is set up for this very lock; `./run` would otherwise set one up in the copy's place."""
    stamp = subprocess.run(
        "cat requirements.lock pyproject.toml | cksum", shell=True, cwd=REPO, capture_output=True, text=True
    ).stdout
    installed = REPO / ".venv" / ".installed"
    if not installed.is_file() or installed.read_text() != stamp:
        pytest.fail(
            ".venv is not set up for requirements.lock and pyproject.toml: run the tests with ./run test"
        )
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("run", "mkdocs.yml", "pyproject.toml", "requirements.lock"):
        shutil.copy2(REPO / name, copy / name)
    for name in ("docs", "templates"):
        shutil.copytree(REPO / name, copy / name)
    shutil.copytree(REPO / "briefings" / "syria-2016", copy / "briefings" / "syria-2016")
    (copy / ".venv").symlink_to(REPO / ".venv")
    return copy


def sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_walkthrough_runs_as_written(clone: Path) -> None:
    commands = [line for body in blocks("sh") for line in body.splitlines() if line.strip()]
    assert commands[0] == "./run briefing new my-briefing" and "./run serve" in commands
    shown = blocks("text")[0].strip()  # the message step 2 says a mistake gives
    for command in commands:
        if command == "./run serve":
            serve_and_look(clone)
            # Step 2's mistake, made and undone as the page describes, between the checks.
            actors = clone / "briefings" / "my-briefing" / "actors.yaml"
            good = actors.read_text(encoding="utf-8")
            actors.write_text(
                good.replace("classification: person", "classification: persn", 1), encoding="utf-8"
            )
            broken = sh("./run check", clone)
            assert broken.returncode == 1
            assert shown in broken.stdout.splitlines()  # word for word, place included
            actors.write_text(good, encoding="utf-8")
            continue
        if command.startswith("./run briefing pdf"):
            need_chromium("pdftotext")
        result = sh(command, clone)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if command == "./run check":
            assert "0 errors, 0 warnings in 2 briefings" in result.stdout, result.stdout
        if "--sources" in command:
            said = "briefings/my-briefing/sources.yaml: recorded sha256 of source 'example-source'"
            assert said in result.stdout and said in DOC.read_text(encoding="utf-8")
            assert "sha256:" in (clone / "briefings" / "my-briefing" / "sources.yaml").read_text(
                encoding="utf-8"
            )
    assert (clone / "my-briefing.pdf").read_bytes().startswith(b"%PDF")


def serve_and_look(clone: Path) -> None:
    """`./run serve`, on a free port so tests never clash: the briefing's page is served."""
    port = free_port()
    proc = subprocess.Popen(
        ["bash", "-c", f"exec ./run serve -a 127.0.0.1:{port}"],
        cwd=clone,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/briefing-site/my-briefing/"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(
                        f"./run serve stopped: {proc.stdout.read() if proc.stdout else ''}"
                    ) from None
                if time.monotonic() > deadline:
                    raise AssertionError(f"./run serve did not serve {url} in 120 s") from None
                time.sleep(0.5)
        assert "New briefing" in body  # the example's title, on its overview
    finally:
        proc.terminate()
        proc.wait(timeout=30)
