"""Markdown work per value stays bounded: the real briefing built with hostile long values.

    .venv/bin/python benchmarks/hostile_markdown.py

Copies briefings/syria-2016 and gives every meeting a `date_inferred` (written into an attribute
on four pages each) and every meeting, actor and position a `summary` (Markdown text) of the
worst value the checker lets through: 9,999 characters, MAX_MARKUP_CHARS of them one character
that Markdown has to escape (`[`, `![`, `\\`, `<`, `&`, `` ` ``, `*`, `{`; more is refused, `value-markup`).
Times a real `mkdocs build` of each against the unchanged copy. Before attribute text was made
inert, three meetings with 9,999 `[` took the build from about 1 s to 268 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.read import MAX_MARKUP_CHARS

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
RUNS = ["[", "![", "\\", "<", "&", "`", "*", "{"]
LIMIT_RATIO = 3.0  # markup may cost at most this many builds of the same length of plain words


def build(project: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    return time.perf_counter() - start


def project(root: Path, value: str | None) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    briefing = root / "briefings" / "syria-2016"
    shutil.copytree(REPO / "briefings" / "syria-2016", briefing)
    (root / "docs").mkdir()
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if value is not None:
        for kind, fields in (("meetings", ("date_inferred", "summary")), ("actors", ("summary",)),
                             ("positions", ("summary",))):  # fmt: skip
            entries = yaml.safe_load((briefing / f"{kind}.yaml").read_text(encoding="utf-8"))
            for entry in entries:
                entry.update(dict.fromkeys(fields, value))
            (briefing / f"{kind}.yaml").write_text(
                yaml.safe_dump(entries, allow_unicode=True, width=100_000), encoding="utf-8"
            )
    return root


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hostile-markdown-") as tmp:
        unchanged = min(build(project(Path(tmp) / "plain", None)) for _ in range(2))
        print(f"the briefing as it is: {unchanged:.2f} s")
        plain = build(project(Path(tmp) / "words", (" plain words" * 1_000)[:9_999]))
        print(f"9,999 characters of plain words in every summary: {plain:.2f} s (the measure below)")
        worst = 0.0
        for run in RUNS:
            value = ((run * MAX_MARKUP_CHARS)[:MAX_MARKUP_CHARS] + " plain words" * 1_000)[:9_999]
            seconds = build(project(Path(tmp) / "hostile", value))
            worst = max(worst, seconds / plain)
            ratio = seconds / plain
            print(f"{MAX_MARKUP_CHARS:,} x {run!r:5} everywhere: {seconds:6.2f} s ({ratio:.2f}x the words)")
        verdict = "met" if worst <= LIMIT_RATIO else "NOT met"
        print(f"worst: {worst:.2f}x the same length of words (target <= {LIMIT_RATIO:.0f}x): {verdict}")


if __name__ == "__main__":
    main()
