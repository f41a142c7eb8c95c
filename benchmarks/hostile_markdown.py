"""Markdown work per value stays bounded: the real briefing built with hostile long values.

    .venv/bin/python benchmarks/hostile_markdown.py

Copies briefings/syria-2016, puts a value of 9,999 copies of one character (`[`, `![`, `\\`, `<`,
`&`, `` ` ``, `*`, `{`) into the `date_inferred` of its first three meetings (it is written into
an attribute on four pages each) and into their `summary` (Markdown text), and times a real
`mkdocs build` of each against the unchanged copy. Before attribute text was made inert, three
such meetings took the build from about 1 s to 268 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
RUNS = ["[", "![", "\\", "<", "&", "`", "*", "{"]
LIMIT_RATIO = 3.0  # a hostile build may cost at most this many plain builds


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
        meetings = yaml.safe_load((briefing / "meetings.yaml").read_text(encoding="utf-8"))
        for meeting in meetings[:3]:
            meeting["date_inferred"] = value
            meeting["summary"] = value
        (briefing / "meetings.yaml").write_text(
            yaml.safe_dump(meetings, allow_unicode=True, width=100_000), encoding="utf-8"
        )
    return root


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hostile-markdown-") as tmp:
        plain = min(build(project(Path(tmp) / "plain", None)) for _ in range(2))
        print(f"plain build: {plain:.2f} s")
        worst = 0.0
        for run in RUNS:
            value = (run * 9_999)[:9_999]
            seconds = build(project(Path(tmp) / "hostile", value))
            worst = max(worst, seconds / plain)
            print(f"9,999 x {run!r:5} in 3 meetings: {seconds:6.2f} s ({seconds / plain:.2f}x plain)")
        verdict = "met" if worst <= LIMIT_RATIO else "NOT met"
        print(f"worst: {worst:.2f}x plain (target <= {LIMIT_RATIO:.0f}x): {verdict}")


if __name__ == "__main__":
    main()
