"""Diagnostics: every problem is collected with its place, then reported at once."""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
# Line breaks and control characters in a quoted value: escaped, so a diagnostic stays one line
# (and a crafted key cannot print a second, fake diagnostic).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(message: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


class BriefingError(Exception):
    """Base class for the package's own failures; carries the diagnostics behind it."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str
    code: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Report:
    """Collects diagnostics from every stage of a run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(_one_line(path), line, col, "error", _one_line(message), code))

    def warning(self, path: str, line: int, col: int, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(_one_line(path), line, col, "warning", _one_line(message), code))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))

    def summary(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        return f"{count(len(self.errors), 'error')}, {count(len(self.warnings), 'warning')}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def command(args: str) -> str:
    """`briefing ARGS` as the user can type it here, for hints in messages.

    `./run` says how it was called in BRIEFING_COMMAND (`./run briefing`); otherwise the command
    is `briefing` when that is on PATH, else the path of the one beside this Python."""
    prog = os.environ.get("BRIEFING_COMMAND")
    if not prog:
        exe = Path(sys.executable).with_name("briefing")
        on_path = shutil.which("briefing")
        if not exe.exists() or (on_path and Path(on_path).resolve() == exe.resolve()):
            prog = "briefing"
        else:
            rel = os.path.relpath(exe) if exe.is_relative_to(Path.cwd()) else str(exe)
            prog = shlex.quote(rel if "/" in rel else f"./{rel}")
    return f"{prog} {args}"
