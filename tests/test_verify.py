"""Quote verification against stored source texts, and the sha256 that pins each text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers_data import CLEAN, write_files

from generator.cli import cli
from generator.verify import normalise

# Written for these tests: curly quotes, doubled spaces and a line break inside the quoted words.
SNAPSHOT = (
    "Harbour Gazette, 16 October 2016.\n\n"
    "Talks on the harbour ended on Saturday. \u201cThe harbour stays   open,\u201d the minister said,\n"
    "\u201cand the fees will not rise this year.\u201d Officials from Northland declined to comment.\n"
)

SOURCES = """\
# Stored texts live in snapshots/ (see --sources).
- id: gazette-report  # the Saturday edition
  title: "Harbour talks end"
  snapshot: gazette.txt
"""

QUOTES = """\
- id: reyes-on-harbour
  speaker: ana-reyes
  text: >-
    "The harbour stays open," the minister
    said, "and the fees will not rise
  source: gazette-report
"""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working directory, with the stored text in snapshots/."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path / "snapshots", {"gazette.txt": SNAPSHOT})
    return tmp_path


def briefing(root: Path, *, slug: str = "demo", **files: str) -> Path:
    merged = {**CLEAN, "sources.yaml": SOURCES, "quotes.yaml": QUOTES}
    merged.update({f"{name}.yaml": body for name, body in files.items()})
    return write_files(root / slug, merged)


def check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args])


def test_normalise_ignores_whitespace_and_quote_marks_only() -> None:
    assert normalise("\u201cYes,\u201d\n   she said \u2018twice\u2019 ") == "\"Yes,\" she said 'twice'"
    assert normalise("ten\u2014twelve") != normalise("ten-twelve")


def test_quote_matching_modulo_whitespace_and_curly_quotes_passes(workdir: Path) -> None:
    briefing(workdir, sources=SOURCES.replace("  snapshot:", f"  sha256: {sha(SNAPSHOT)}\n  snapshot:"))
    result = check("demo", "--strict", "--sources", "snapshots")
    assert result.output == "0 errors, 0 warnings in 1 briefing\n"
    assert result.exit_code == 0


def test_altered_quote_is_reported_at_its_text_line(workdir: Path) -> None:
    quotes = QUOTES.replace("stays open", "stays closed")
    briefing(workdir, quotes=quotes)
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines()[1:] == [
        "demo/quotes.yaml:3:9: error: quote 'reyes-on-harbour' is not verbatim in source 'gazette-report'; "
        "it matches up to '\u2026\"The harbour stays ' and differs from there [quote-mismatch]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1


def test_quote_with_nothing_in_common_gets_no_hint(workdir: Path) -> None:
    quotes = QUOTES.replace(QUOTES[QUOTES.index("  text:") : QUOTES.index("  source:")], '  text: "Nope."\n')
    briefing(workdir, quotes=quotes)
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines()[1:] == [
        "demo/quotes.yaml:3:9: error: quote 'reyes-on-harbour' is not verbatim in source 'gazette-report' "
        "[quote-mismatch]",
        "1 error, 0 warnings in 1 briefing",
    ]


def test_sha256_is_recorded_on_first_run_keeping_comments(workdir: Path) -> None:
    folder = briefing(workdir)
    first = check("demo", "--sources", "snapshots")
    assert first.output == (
        "demo/sources.yaml: recorded sha256 of source 'gazette-report'\n0 errors, 0 warnings in 1 briefing\n"
    )
    assert first.exit_code == 0
    assert (folder / "sources.yaml").read_text(encoding="utf-8") == (
        "# Stored texts live in snapshots/ (see --sources).\n"
        "- id: gazette-report  # the Saturday edition\n"
        f"  sha256: {sha(SNAPSHOT)}\n"
        '  title: "Harbour talks end"\n'
        "  snapshot: gazette.txt\n"
    )
    # The rewritten file is valid and the hash now matches: nothing more to record.
    second = check("demo", "--strict", "--sources", "snapshots")
    assert second.output == "0 errors, 0 warnings in 1 briefing\n"
    assert second.exit_code == 0


def test_changed_source_text_is_reported_after_recording(workdir: Path) -> None:
    briefing(workdir)
    assert check("demo", "--sources", "snapshots").exit_code == 0
    (workdir / "snapshots" / "gazette.txt").write_text(SNAPSHOT + "Correction appended.\n", encoding="utf-8")
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
        "demo/sources.yaml:3:11: error: stored text of source 'gazette-report' has changed since its sha256 "
        "was recorded; re-check its quotes, then update sha256 [source-changed]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1


def test_missing_snapshot_file(workdir: Path) -> None:
    briefing(workdir, sources=SOURCES.replace("gazette.txt", "herald.txt"))
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
        "demo/sources.yaml:4:13: error: stored text 'herald.txt' of source 'gazette-report' not found in "
        "snapshots [source-snapshot-missing]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1


def test_quote_whose_source_has_no_snapshot_is_unverified(workdir: Path) -> None:
    briefing(workdir, sources=SOURCES.replace("  snapshot: gazette.txt\n", ""))
    expected = [
        "demo/quotes.yaml:6:11: warning: quote 'reyes-on-harbour' cannot be verified: source "
        "'gazette-report' has no snapshot [quote-unverified]",
        "0 errors, 1 warning in 1 briefing",
    ]
    result = check("demo", "--sources", "snapshots")
    assert (result.output.splitlines(), result.exit_code) == (expected, 0)
    strict = check("demo", "--strict", "--sources", "snapshots")
    assert (strict.output.splitlines(), strict.exit_code) == (expected, 1)


def test_without_sources_option_nothing_is_verified_or_written(workdir: Path) -> None:
    folder = briefing(workdir, quotes=QUOTES.replace("stays open", "stays closed"))
    result = check("demo")
    assert (result.output, result.exit_code) == ("0 errors, 0 warnings in 1 briefing\n", 0)
    assert (folder / "sources.yaml").read_text(encoding="utf-8") == SOURCES


def test_flow_style_entry_is_left_alone_and_the_hash_given_to_add_by_hand(workdir: Path) -> None:
    flow = "- {id: gazette-report, title: Harbour talks end, snapshot: gazette.txt}\n"
    folder = briefing(workdir, sources=flow)
    before = (folder / "sources.yaml").read_text(encoding="utf-8")
    result = check("demo", "--sources", "snapshots")
    assert f"add `sha256: {sha(SNAPSHOT)}` by hand [source-hash-unrecorded]" in result.output
    assert (folder / "sources.yaml").read_text(encoding="utf-8") == before


def test_recording_fills_an_empty_sha256_key(workdir: Path) -> None:
    briefing(workdir, sources=SOURCES + "  sha256:\n")
    check("demo", "--sources", "snapshots")
    again = check("demo", "--sources", "snapshots")
    assert again.output == "0 errors, 0 warnings in 1 briefing\n"


def test_error_in_one_briefing_does_not_hide_quote_problems_in_another(workdir: Path) -> None:
    root = workdir / "briefings"
    briefing(root, slug="alpha", briefing='title: "A"\nsummary: "S"\nas_of: 2016-02-30\n')
    briefing(root, slug="beta", quotes=QUOTES.replace("stays open", "stays closed"))
    result = check("briefings", "--sources", "snapshots")
    codes = [line.rsplit(" ", 1)[-1] for line in result.output.splitlines() if ": error: " in line]
    assert codes == ["[date-invalid]", "[quote-mismatch]"]
