"""Quote verification against stored source texts, and the sha256 that pins each text."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.cli import run
from support.data import CLEAN, write_files
from support.paths import BRIEFING

from generator.cli import cli
from generator.verify import MAX_SNAPSHOT_BYTES, normalise

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
    assert result.output.splitlines() == [
        "demo/quotes.yaml:3:9: error: quote 'reyes-on-harbour' is not verbatim in source 'gazette-report'; "
        "it matches up to '\u2026\"The harbour stays ' and differs from there [quote-mismatch]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1


def test_no_hash_is_recorded_on_a_run_that_finds_a_misquote(workdir: Path) -> None:
    folder = briefing(workdir, quotes=QUOTES.replace("stays open", "stays closed"))
    assert check("demo", "--sources", "snapshots").exit_code == 1
    assert "sha256" not in (folder / "sources.yaml").read_text(encoding="utf-8")


def test_quote_with_nothing_in_common_gets_no_hint(workdir: Path) -> None:
    quotes = QUOTES.replace(QUOTES[QUOTES.index("  text:") : QUOTES.index("  source:")], '  text: "Nope."\n')
    briefing(workdir, quotes=quotes)
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
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


# --- stored texts only from inside the --sources folder --------------------------------------------

OUTSIDE_HINT = "give its path relative to that folder, without '..' [source-snapshot-outside]"


@pytest.mark.parametrize(
    "snapshot", ["/etc/passwd", "../../../../proc/self/environ", "../outside.txt", "sub/../gazette.txt"]
)
def test_a_snapshot_path_leading_out_of_the_folder_is_refused_unread(workdir: Path, snapshot: str) -> None:
    (workdir / "outside.txt").write_text(SNAPSHOT, encoding="utf-8")  # would match the quote
    folder = briefing(workdir, sources=SOURCES.replace("gazette.txt", snapshot))
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
        f"demo/sources.yaml:4:13: error: stored text '{snapshot}' of source 'gazette-report' is not "
        f"inside snapshots: {OUTSIDE_HINT}",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1
    assert "sha256" not in (folder / "sources.yaml").read_text(encoding="utf-8")


def test_a_snapshot_linked_to_outside_is_refused_and_one_linked_inside_is_read(workdir: Path) -> None:
    (workdir / "outside.txt").write_text(SNAPSHOT, encoding="utf-8")
    (workdir / "snapshots" / "escape.txt").symlink_to(workdir / "outside.txt")
    (workdir / "snapshots" / "alias.txt").symlink_to("gazette.txt")
    briefing(workdir, sources=SOURCES.replace("gazette.txt", "escape.txt"))
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
        "demo/sources.yaml:4:13: error: stored text 'escape.txt' of source 'gazette-report' is a symbolic "
        "link to outside snapshots: put a copy of the text in the folder instead [source-snapshot-outside]",
        "1 error, 0 warnings in 1 briefing",
    ]
    briefing(workdir, sources=SOURCES.replace("gazette.txt", "alias.txt"))
    assert check("demo", "--sources", "snapshots").exit_code == 0


def test_every_unusable_snapshot_is_reported_at_once_without_hanging(workdir: Path) -> None:
    snapshots = workdir / "snapshots"
    os.mkfifo(snapshots / "pipe.txt")  # nobody writes to it: reading it would wait for ever
    (snapshots / "folder.txt").mkdir()
    with (snapshots / "huge.txt").open("wb") as f:
        f.truncate(MAX_SNAPSHOT_BYTES + 1)
    with (snapshots / "at-limit.txt").open("wb") as f:
        f.truncate(MAX_SNAPSHOT_BYTES)
    names = ["/etc/passwd", "pipe.txt", "folder.txt", "huge.txt", "at-limit.txt"]
    sources = SOURCES + "".join(
        f'- id: s{n}\n  title: "T"\n  snapshot: {name}\n' for n, name in enumerate(names, 1)
    )
    briefing(workdir, sources=sources)
    result = run(BRIEFING, "check", "demo", "--sources", "snapshots", cwd=workdir, timeout=30)
    assert result.stdout.splitlines() == [
        # No hash is recorded on a run with errors; 's5', exactly at the limit, is not refused.
        f"demo/sources.yaml:7:13: error: stored text '/etc/passwd' of source 's1' is not inside snapshots: "
        f"{OUTSIDE_HINT}",
        "demo/sources.yaml:10:13: error: stored text 'pipe.txt' of source 's2' is a named pipe (FIFO), not a "
        "file: name the file holding the article's text [source-snapshot-not-file]",
        "demo/sources.yaml:13:13: error: stored text 'folder.txt' of source 's3' is a folder, not a file: "
        "name the file holding the article's text [source-snapshot-not-file]",
        "demo/sources.yaml:16:13: error: stored text 'huge.txt' of source 's4' is larger than 5 MiB: store "
        "only the article's text [source-snapshot-size]",
        "4 errors, 0 warnings in 1 briefing",
    ]
    assert result.returncode == 1 and result.stderr == ""


def test_a_device_in_the_sources_folder_is_not_read(workdir: Path) -> None:
    device = workdir / "snapshots" / "zero.txt"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero: endless
    except PermissionError:
        pytest.skip("cannot make a device node here")
    briefing(workdir, sources=SOURCES.replace("gazette.txt", "zero.txt"))
    result = run(BRIEFING, "check", "demo", "--sources", "snapshots", cwd=workdir, timeout=30)
    assert "stored text 'zero.txt' of source 'gazette-report' is a device, not a file" in result.stdout
    assert result.returncode == 1 and result.stderr == ""


# --- the sources file rewritten in place -------------------------------------------------------------


def test_recording_keeps_the_sources_file_mode(workdir: Path) -> None:
    folder = briefing(workdir)
    (folder / "sources.yaml").chmod(0o640)
    assert check("demo", "--sources", "snapshots").exit_code == 0
    assert f"sha256: {sha(SNAPSHOT)}" in (folder / "sources.yaml").read_text(encoding="utf-8")
    assert stat.S_IMODE((folder / "sources.yaml").stat().st_mode) == 0o640


def test_a_linked_sources_file_is_not_replaced_and_the_hash_is_given_to_add_by_hand(workdir: Path) -> None:
    folder = briefing(workdir)
    shared = write_files(folder / ".shared", {"sources.yaml": SOURCES}) / "sources.yaml"
    (folder / "sources.yaml").unlink()
    (folder / "sources.yaml").symlink_to(".shared/sources.yaml")
    result = check("demo", "--sources", "snapshots")
    assert result.output.splitlines() == [
        "demo/sources.yaml:2:7: error: could not record the sha256: demo/sources.yaml is a symbolic link "
        f"(links are never written through or replaced); add `sha256: {sha(SNAPSHOT)}` by hand "
        "[source-hash-unwritable]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1
    assert (folder / "sources.yaml").is_symlink()
    assert shared.read_text(encoding="utf-8") == SOURCES


# --- quotes checked on every check, build and serve (`source_texts`) ---------------------------

MISQUOTE = QUOTES.replace("the fees will not rise", "the fees will never rise")


def own_texts(root: Path, quotes: str = QUOTES, setting: str = "texts") -> Path:
    """A briefing keeping its sources' texts in a folder of its own, named in briefing.yaml."""
    folder = briefing(root, quotes=quotes)
    (folder / "briefing.yaml").write_text(
        CLEAN["briefing.yaml"] + f"source_texts: {setting}\n", encoding="utf-8"
    )
    write_files(folder / "texts", {"gazette.txt": SNAPSHOT})
    return folder


def test_a_briefing_with_its_texts_checks_quotes_without_the_flag(tmp_path: Path) -> None:
    good = check(str(own_texts(tmp_path / "good")))
    assert good.exit_code == 0, good.output
    folder = own_texts(tmp_path / "bad", MISQUOTE)
    before = (folder / "sources.yaml").read_text(encoding="utf-8")
    result = check(str(folder))
    assert result.exit_code == 1
    assert (
        "quotes.yaml:3:9: error: quote 'reyes-on-harbour' is not verbatim in source 'gazette-report'"
        in result.output
    )
    assert (folder / "sources.yaml").read_text(encoding="utf-8") == before  # no hash written as a side effect
    assert "sha256" not in check(str(own_texts(tmp_path / "good2"))).output  # nor on a good run


def test_source_texts_outside_the_briefing_or_missing_is_said(tmp_path: Path) -> None:
    outside = check(str(own_texts(tmp_path / "a", setting="../snapshots")))
    assert outside.exit_code == 1 and "[source-texts-outside]" in outside.output
    assert (
        "briefing.yaml:4:15: error: source_texts '../snapshots' is not inside the briefing folder"
        in outside.output
    )
    folder = own_texts(tmp_path / "b", setting="nowhere")
    missing = check(str(folder))
    assert (
        missing.exit_code == 0
        and "briefing.yaml:4:15: warning: source_texts folder 'nowhere' not found" in missing.output
    )
    assert "[source-texts-missing]" in missing.output


def _site(tmp_path: Path, quotes: str, texts: str | None) -> tuple[Path, str]:
    """A site whose briefing keeps no texts, with the plugin's `source_texts` set to `texts`."""
    import yaml
    from support.cli import mkdocs_build
    from support.project import make_project

    project = make_project(
        tmp_path / "site", {"demo": {**CLEAN, "sources.yaml": SOURCES, "quotes.yaml": quotes}}
    )
    write_files(project / "texts", {"gazette.txt": SNAPSHOT})
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "briefing" in plugin and texts is not None:
            plugin["briefing"]["source_texts"] = texts
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(project)
    return project, result.stdout + result.stderr if result.returncode else ""


def test_mkdocs_build_checks_quotes_against_the_sites_texts(tmp_path: Path) -> None:
    _, failed = _site(tmp_path / "a", QUOTES, "texts")
    assert failed == "", failed
    _, failed = _site(tmp_path / "b", MISQUOTE, "texts")
    assert "demo/quotes.yaml:3:9: error: quote 'reyes-on-harbour' is not verbatim" in failed
    assert "[quote-mismatch]" in failed
    _, failed = _site(tmp_path / "c", QUOTES, "no-such-folder")
    assert "source_texts folder not found: quotes were not checked [source-texts-missing]" in failed
