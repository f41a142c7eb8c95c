"""One way to run a command from a test: the `briefing` CLI, `mkdocs`, `./run`, git or any tool."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .paths import BRIEFING, MKDOCS

# What every command runs with: this environment, without MkDocs' banner about MkDocs 2.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# `path:line:col: error: message [code]`, as printed bare by the CLI or after MkDocs' "ERROR   -  ".
DIAGNOSTIC = re.compile(
    r"^(?:(?:ERROR|WARNING) +- +)?(?P<path>\S+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<severity>error|warning): (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$",
    re.MULTILINE,
)


def run(
    *args: str | Path,
    cwd: Path,
    timeout: float = 180,
    env: dict[str, str] | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a command with `env` added to ENV; its exit code, stdout and stderr, as text.

    A hang past `timeout` raises, and so fails the test; so does a non-zero exit with `check`, with
    the whole output in the message."""
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        command = " ".join(str(a) for a in args)
        raise AssertionError(f"{command} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def mkdocs_build(
    project: Path, *extra: str | Path, strict: bool = True, config: str = "mkdocs.yml"
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` of `project/config` (with --strict unless told otherwise), from `project`."""
    strictly = ["--strict"] if strict else []
    return run(MKDOCS, "build", *strictly, "-f", project / config, *extra, cwd=project)


def warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def render_for_zensical(project: Path, plain: Path) -> Path:
    """`briefing render --config` of a project `make_project` made: the site as a Zensical
    project in `plain` (pages and the site's own documents in `plain/docs`); its configuration."""
    result = run(
        BRIEFING,
        "render",
        project / "briefings",
        "--out",
        plain / "docs",
        "--config",
        plain / "mkdocs.yml",
        "--site",
        project / "mkdocs.yml",
        "--templates",
        project / "templates",
        cwd=project,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return plain / "mkdocs.yml"
