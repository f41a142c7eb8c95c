"""Resource limits: bombs, huge values and deep nesting end quickly, in a real process, with a message.

Each case runs `briefing check` in a subprocess with a 30 s timeout: a crash (libyaml recursing in C
dies by SIGSEGV) or a hang fails the test instead of taking pytest down with it.
"""

from __future__ import annotations

import os
import re
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml
from support import skip_or_fail
from support.cli import mkdocs_build, run
from support.data import CLEAN, diagnose, write_files
from support.paths import BRIEFING, PYPROJECT
from support.project import make_project

from generator.load import MAX_BRIEFING_BYTES
from generator.read import MAX_DEPTH, MAX_FILE_BYTES, MAX_MARKUP_CHARS, MAX_SCALAR_CHARS

BRIEFING_YAML = 'title: "T"\nsummary: "S"\nas_of: 2016-10-20\n'
QUOTE_HEAD = "- id: q\n  speaker: a\n  text: "


def check(
    tmp_path: Path, name: str, body: str | bytes, env: dict[str, str] | None = None
) -> tuple[str, float]:
    write_files(tmp_path / "demo", {"briefing.yaml": BRIEFING_YAML, name: body})
    start = time.monotonic()
    result = run(BRIEFING, "check", "demo", cwd=tmp_path, timeout=30, env=env)
    elapsed = time.monotonic() - start
    assert result.returncode == 1, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    return result.stdout, elapsed


def lines_with(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith(f"[{code}]")]


def oldest_pyyaml() -> str:
    """The lower bound of PyYAML's range in pyproject.toml."""
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))
    found = [re.fullmatch(r"pyyaml>=([\d.]+),.*", d, re.I) for d in project["project"]["dependencies"]]
    return next(m[1] for m in found if m)


@pytest.fixture(scope="module", params=["installed", "oldest"])
def pyyaml(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for a `briefing` process that imports the PyYAML under test.

    libyaml changed within the allowed range (from 6.0.2 it refuses flow nesting past 1,000 levels
    on its own), so the depth guard is run with the installed PyYAML (the lock's, the newest) and
    with the oldest allowed, installed by uv into a folder that comes first on sys.path."""
    if request.param == "installed":
        return {}
    from uv import find_uv_bin

    version = oldest_pyyaml()
    target = tmp_path_factory.mktemp("pyyaml")
    installed = run(
        find_uv_bin(), "pip", "install", "--quiet", "--python", sys.executable, "--target", target,
        f"pyyaml=={version}", cwd=target, timeout=300,
    )  # fmt: skip
    if installed.returncode != 0:
        skip_or_fail(f"could not install pyyaml=={version}: {installed.stderr.strip()}")
    env = {"PYTHONPATH": str(target)}
    probe = run(sys.executable, "-c", "import yaml; print(yaml.__version__, yaml.__with_libyaml__)",
                cwd=target, env=env)  # fmt: skip
    assert probe.stdout.split() == [version, "True"], probe.stdout + probe.stderr
    return env


def test_the_installed_pyyaml_uses_libyaml() -> None:
    assert yaml.__with_libyaml__, "the depth tests are meant to run libyaml's parser"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("[" * 10_000 + "]" * 10_000 + "\n", f"demo/quotes.yaml:1:{MAX_DEPTH + 2}:"),
        ("[" * 10_000 + "\n", f"demo/quotes.yaml:1:{MAX_DEPTH + 2}:"),  # never closed
        ("[" * 1_000_000 + "]" * 1_000_000 + "\n", f"demo/quotes.yaml:1:{MAX_DEPTH + 2}:"),
        ("{a: " * 10_000 + "x" + "}" * 10_000 + "\n", "demo/quotes.yaml:1:"),
        ("{a: " * 500_000 + "x" + "}" * 500_000 + "\n", "demo/quotes.yaml:1:"),
        ("- " * 200_000 + "x\n", "demo/quotes.yaml:1:"),
        ("".join(" " * i + "a:\n" for i in range(3000)), f"demo/quotes.yaml:{MAX_DEPTH + 2}:"),
    ],
    ids=["flow-10k", "flow-10k-unclosed", "flow-1m", "map-10k", "map-500k", "compact-seq-200k", "block-3000"],
)
def test_deep_nesting_is_refused_quickly_at_the_level_that_crosses_the_limit(
    tmp_path: Path, body: str, where: str, pyyaml: dict[str, str]
) -> None:
    out, elapsed = check(tmp_path, "quotes.yaml", body, env=pyyaml)
    depth = lines_with(out, "yaml-depth")
    assert len(depth) == 1, out[-2000:]
    assert depth[0].startswith(where)
    assert f"nesting deeper than {MAX_DEPTH} levels" in depth[0]
    assert elapsed < 20


def test_alias_bomb_is_stopped(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    out, elapsed = check(tmp_path, "figures.yaml", "\n".join(levels) + "\n")
    assert len(lines_with(out, "yaml-alias")) == 1
    assert elapsed < 20


def test_a_4_mb_quote_is_reported_as_too_long(tmp_path: Path) -> None:
    body = QUOTE_HEAD + '"' + "word " * 800_000 + '"\n'
    out, elapsed = check(tmp_path, "quotes.yaml", body)
    assert lines_with(out, "value-too-long") == [
        "demo/quotes.yaml:3:9: error: value of 4,000,000 characters; the limit is 10,000: "
        "quote a short passage and keep long texts in the source [value-too-long]"
    ]
    assert elapsed < 20


@pytest.mark.parametrize("char", ["[", "<", "&", "\\", "_"])
def test_a_4_mb_run_of_one_markdown_character_is_refused_before_rendering(tmp_path: Path, char: str) -> None:
    body = QUOTE_HEAD + "'" + char * 4_000_000 + "'\n"
    out, elapsed = check(tmp_path, "quotes.yaml", body)
    assert len(lines_with(out, "value-too-long")) == 1
    assert elapsed < 20


def test_a_long_key_is_too_long_too(tmp_path: Path) -> None:
    # An explicit key ("? "): YAML itself refuses implicit keys over 1,024 characters.
    out, _ = check(tmp_path, "quotes.yaml", "- ? " + "k" * (MAX_SCALAR_CHARS + 1) + "\n  : v\n")
    assert len(lines_with(out, "value-too-long")) == 1
    assert all(len(line) < 500 for line in out.splitlines())


def test_a_value_at_the_limit_is_accepted(tmp_path: Path) -> None:
    quotes = CLEAN["quotes.yaml"].replace('"The harbour stays open."', '"' + "x" * MAX_SCALAR_CHARS + '"')
    assert diagnose(tmp_path, {**CLEAN, "quotes.yaml": quotes}) == []


def test_a_6_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    body = "# padding\n" * (6 * 2**20 // 10) + QUOTE_HEAD + '"x"\n'
    assert len(body) > MAX_FILE_BYTES
    out, elapsed = check(tmp_path, "quotes.yaml", body)
    assert lines_with(out, "file-size") == [
        "demo/quotes.yaml:1:1: error: file is larger than 5 MiB; split it [file-size]"
    ]
    assert elapsed < 20


def test_control_characters_are_reported_where_they_are(tmp_path: Path) -> None:
    out, _ = check(tmp_path, "quotes.yaml", QUOTE_HEAD + '"Кто\x07 там"\n')
    assert lines_with(out, "yaml-character") == [
        "demo/quotes.yaml:3:13: error: character U+0007 is not allowed in YAML text; "
        "delete it [yaml-character]"
    ]


def test_a_key_with_a_line_break_cannot_forge_a_second_diagnostic(tmp_path: Path) -> None:
    forged = "demo/actors.yaml:1:1: error: forged [ref-unknown]"
    out, _ = check(tmp_path, "quotes.yaml", QUOTE_HEAD + '"x"\n  "x\\n' + forged + '": 1\n')
    assert forged not in out.splitlines()
    assert any("\\n" + forged in line for line in out.splitlines())


@pytest.mark.parametrize("length", [300, 301])
def test_names_are_capped_at_300_characters(tmp_path: Path, length: int) -> None:
    actors = CLEAN["actors.yaml"].replace('"Ana Reyes"', '"' + "x" * length + '"')
    out = diagnose(tmp_path, {**CLEAN, "actors.yaml": actors})
    if length == 300:
        assert out == []
    else:
        assert out == [
            "demo/actors.yaml:2:9: error: 'name': String should have at most 300 characters [value-invalid]"
        ]


def test_a_briefing_with_one_10000_character_value_builds_in_seconds(tmp_path: Path) -> None:
    """The worst text for Python-Markdown the checker lets through (a run of escaped characters,
    as many as allowed, then words to the length limit), in a quote."""
    worst = ("[" * MAX_MARKUP_CHARS + " words" * MAX_SCALAR_CHARS)[:MAX_SCALAR_CHARS]
    quotes = CLEAN["quotes.yaml"].replace('"The harbour stays open."', "'" + worst + "'")
    project = make_project(tmp_path, {"demo": {**CLEAN, "quotes.yaml": quotes}})
    start = time.monotonic()
    result = mkdocs_build(project, strict=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - start < 30


def diagnostics_of(tmp_path: Path) -> list[str]:
    """The diagnostic lines of a real `briefing check demo`: a hang past 30 s or a crash fails."""
    result = run(BRIEFING, "check", "demo", cwd=tmp_path, timeout=30)
    assert result.returncode == 1, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return [line for line in result.stdout.splitlines() if line.endswith("]")]


NOT_A_FILE = (
    "error: this is a named pipe (FIFO), not a regular file, so it is not read: put a YAML file here, "
    "or delete it [file-special]"
)


def test_named_pipes_are_reported_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: `check` hung for ever."""
    folder = write_files(tmp_path / "demo", {"briefing.yaml": BRIEFING_YAML, "issues/main.yaml": "[]\n"})
    os.mkfifo(folder / "actors.yaml")
    os.mkfifo(folder / "issues" / "more.yaml")
    os.mkfifo(folder / "issues" / "notes.txt")  # not read anyway: only reported as ignored
    os.mkfifo(folder / "pipe")
    assert diagnostics_of(tmp_path) == [
        f"demo/actors.yaml:1:1: {NOT_A_FILE}",
        f"demo/issues/more.yaml:1:1: {NOT_A_FILE}",
        "demo/issues/notes.txt:1:1: warning: 'notes.txt' is ignored: only .yaml and .yml files are read in "
        "demo/issues/ [file-unknown]",
        "demo/pipe:1:1: warning: 'pipe' is not a briefing file and is ignored [file-unknown]",
    ]


def test_symbolic_link_loops_are_reported(tmp_path: Path) -> None:
    """Resolving a loop raised RuntimeError: a traceback."""
    folder = write_files(tmp_path / "demo", {"briefing.yaml": BRIEFING_YAML, "meetings/main.yaml": "[]\n"})
    (folder / "actors.yaml").symlink_to("loop.yaml")  # actors.yaml -> loop.yaml -> actors.yaml
    (folder / "loop.yaml").symlink_to("actors.yaml")
    (folder / "issues.yaml").symlink_to("issues.yaml")  # to itself
    (folder / "meetings" / "more.yaml").symlink_to("more.yaml")
    loop = (
        "error: symbolic link loop: the link leads back to itself, never to a file; point it at a file, "
        "or delete it [file-symlink]"
    )
    assert diagnostics_of(tmp_path) == [
        f"demo/actors.yaml:1:1: {loop}",
        f"demo/issues.yaml:1:1: {loop}",
        f"demo/loop.yaml:1:1: {loop}",
        f"demo/meetings/more.yaml:1:1: {loop}",
    ]


def test_a_briefing_over_the_total_size_limit_is_refused_unread(tmp_path: Path) -> None:
    """40 files of 5 MiB each took 77 s and 6.6 GB to read; sparse files here, so the test is cheap."""
    folder = write_files(tmp_path / "demo", {"briefing.yaml": BRIEFING_YAML})
    (folder / "actors").mkdir()
    for k in range(MAX_BRIEFING_BYTES // MAX_FILE_BYTES + 1):  # each file within its own limit
        with open(folder / "actors" / f"part-{k:02d}.yaml", "wb") as f:
            f.truncate(MAX_FILE_BYTES)
    assert diagnostics_of(tmp_path) == [
        "demo:1:1: error: the briefing's files hold 55.0 MiB; the limit is 50 MiB, so none is read: split it "
        "into several briefings [briefing-size]"
    ]
