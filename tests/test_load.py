"""The loader: every file-level and YAML-level problem, reported with its exact place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.data import BRIEFING_YAML, CLEAN, diagnose, load, write_files

import generator.load as load_module
from generator.errors import Report, command
from generator.load import load_briefing
from generator.read import MAX_FILE_BYTES, MAX_MARKUP_CHARS

BRIEF = "demo/briefing.yaml"


def brief(tmp_path: Path, text: str | bytes) -> list[str]:
    """Diagnostics for a briefing folder holding only this briefing.yaml."""
    return diagnose(tmp_path, {"briefing.yaml": text})


def with_file(tmp_path: Path, name: str, body: str | bytes) -> list[str]:
    """Diagnostics for a minimal briefing plus one more file."""
    return diagnose(tmp_path, {"briefing.yaml": BRIEFING_YAML, name: body})


# --- file-level problems -------------------------------------------------------------------------


def test_file_over_5_mib_is_refused_without_parsing(tmp_path: Path) -> None:
    body = "# " + "x" * MAX_FILE_BYTES + "\n- id: f\n  label: L\n  value: v\n"
    assert with_file(tmp_path, "figures.yaml", body) == [
        "demo/figures.yaml:1:1: error: file is larger than 5 MiB; split it [file-size]"
    ]


def test_file_of_exactly_5_mib_is_still_read(tmp_path: Path) -> None:
    entry = '- id: f\n  label: "L"\n  value: "v"\n  sources: [gazette-report]\n'
    padding = MAX_FILE_BYTES - len(entry) - len("\n")
    body = "#" * padding + "\n" + entry
    assert len(body.encode()) == MAX_FILE_BYTES
    assert diagnose(tmp_path, {**CLEAN, "figures.yaml": body}) == []


def test_nul_byte_marks_a_binary_file_at_its_position(tmp_path: Path) -> None:
    assert with_file(tmp_path, "figures.yaml", b"- id: f\n  label: \x00\x01\x02\n") == [
        "demo/figures.yaml:2:10: error: this is a binary file, not YAML text [file-binary]"
    ]


def test_png_saved_as_yaml_is_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert with_file(tmp_path, "figures.yaml", png) == [
        "demo/figures.yaml:3:1: error: this is a binary file, not YAML text [file-binary]"
    ]


def test_latin1_bytes_are_reported_at_the_first_bad_byte(tmp_path: Path) -> None:
    body = '- id: f\n  label: "Caf\xe9"\n'.encode("latin-1")
    assert with_file(tmp_path, "figures.yaml", body) == [
        "demo/figures.yaml:2:14: error: bytes that are not UTF-8 (0xe9); save the file as UTF-8 "
        "[file-encoding]"
    ]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert brief(tmp_path, "\ufeff" + BRIEFING_YAML) == []


def test_utf16_file_is_an_encoding_problem_not_a_binary_file(tmp_path: Path) -> None:
    [line] = brief(tmp_path, BRIEFING_YAML.encode("utf-16"))
    assert line.startswith(f"{BRIEF}:1:1: error: ")
    assert line.endswith("[file-encoding]")


@pytest.mark.parametrize(
    "body",
    ["", "\n\n", "# nothing here yet\n"],
    ids=["zero-bytes", "blank-lines", "only-a-comment"],
)
def test_empty_file(tmp_path: Path, body: str) -> None:
    assert with_file(tmp_path, "figures.yaml", body) == [
        "demo/figures.yaml:1:1: error: file is empty: write the entries, or delete the file [file-empty]"
    ]


def test_unreadable_file_is_reported_not_raised(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "figures.yaml").symlink_to("nowhere.yaml")  # dangling, inside the folder
    assert with_file(tmp_path, "briefing.yaml", BRIEFING_YAML) == [
        "demo/figures.yaml:1:1: error: cannot read file: No such file or directory [file-read]"
    ]


def test_unknown_files_warn_with_a_suggestion_and_notes_are_ignored(tmp_path: Path) -> None:
    files = {
        "briefing.yaml": BRIEFING_YAML,
        "actor.yaml": "[]\n",
        "meetings.json": "[]\n",
        "todo.txt": "ring the embassy\n",
        "drafts/old.yaml": "- id: x\n",
        "README.md": "# Notes for editors\n",
        ".editorconfig": "root = true\n",
    }
    assert diagnose(tmp_path, files) == [
        "demo/actor.yaml:1:1: warning: 'actor.yaml' is not a briefing file and is ignored; "
        "did you mean 'actors'? [file-unknown]",
        "demo/drafts:1:1: warning: 'drafts' is not a briefing file and is ignored [file-unknown]",
        "demo/meetings.json:1:1: warning: 'meetings.json' is not a briefing file and is ignored; "
        "did you mean 'meetings'? [file-unknown]",
        "demo/todo.txt:1:1: warning: 'todo.txt' is not a briefing file and is ignored [file-unknown]",
    ]


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(CLEAN["actors.yaml"], encoding="utf-8")
    folder = tmp_path / "demo"
    (folder / "more").mkdir(parents=True)
    (folder / "actors.yaml").symlink_to(outside)
    (folder / "issues").mkdir()
    (folder / "issues" / "secret.yaml").symlink_to(outside)
    assert with_file(tmp_path, "briefing.yaml", BRIEFING_YAML) == [
        "demo/actors.yaml:1:1: error: symbolic link points outside the briefing folder [file-symlink]",
        "demo/issues/secret.yaml:1:1: error: symbolic link points outside the briefing folder [file-symlink]",
        "demo/more:1:1: warning: 'more' is not a briefing file and is ignored [file-unknown]",
    ]


def test_symlink_within_the_folder_is_followed(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / ".actors-master.yaml").write_text(CLEAN["actors.yaml"], encoding="utf-8")
    (folder / "actors.yaml").symlink_to(".actors-master.yaml")
    files = {k: v for k, v in CLEAN.items() if k != "actors.yaml"}
    validated, report = load(tmp_path, files)
    assert report.diagnostics == []
    assert validated.data is not None
    assert [a.id for a in validated.data.actors] == ["ana-reyes", "northland"]


def test_briefing_yaml_symlinked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(BRIEFING_YAML, encoding="utf-8")
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "briefing.yaml").symlink_to(outside)
    assert diagnose(tmp_path, {}) == [
        f"{BRIEF}:1:1: error: symbolic link points outside the briefing folder [file-symlink]"
    ]


def test_folder_without_briefing_yaml(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "briefing.yaml"}
    assert diagnose(tmp_path, files) == [
        f"demo:1:1: error: no briefing.yaml in this folder (run `{command('new SLUG')}`) [briefing-missing]"
    ]


def test_collection_may_be_a_folder_of_files(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "actors.yaml"}
    files["actors/people.yaml"] = CLEAN["actors.yaml"].split("- id: northland")[0]
    files["actors/states.yml"] = "- id: northland\n  name: Northland\n  classification: state\n"
    files["actors/README.md"] = "Notes for editors: not data, read by nobody.\n"
    validated, report = load(tmp_path, files)
    assert report.diagnostics == []
    assert validated.data is not None
    assert sorted(a.id for a in validated.data.actors) == ["ana-reyes", "northland"]


# --- YAML-level problems -------------------------------------------------------------------------


def test_every_tab_indented_line_is_reported_at_once(tmp_path: Path) -> None:
    text = BRIEFING_YAML + "period:\n\tstart_date: 2016-01\n  \tend_date: 2016-12\n"
    assert brief(tmp_path, text) == [
        f"{BRIEF}:5:1: error: tab in indentation; YAML indents with spaces only [yaml-tab]",
        f"{BRIEF}:6:3: error: tab in indentation; YAML indents with spaces only [yaml-tab]",
    ]


def test_tab_after_a_colon_is_fine(tmp_path: Path) -> None:
    assert brief(tmp_path, 'title:\t"Harbour talks"\nsummary: "S"\nas_of: 2016\n') == []


def test_tab_inside_a_block_scalar_is_text_not_indentation(tmp_path: Path) -> None:
    text = 'title: "T"\nsummary: |\n  Two columns:\n  \tleft\tright\nas_of: 2016\n'
    validated, report = load(tmp_path, {"briefing.yaml": text})
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.briefing.summary == "Two columns:\n\tleft\tright\n"


def test_syntax_error_caused_by_a_tab_says_so(tmp_path: Path) -> None:
    assert brief(tmp_path, BRIEFING_YAML + "tags:\n  -\tdiplomacy\n") == [
        f"{BRIEF}:5:4: error: YAML syntax: a tab character where YAML expects spaces [yaml-syntax]"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BRIEFING_YAML + "tags: [talks, harbour\n",
            "5:1: error: YAML syntax: the [ opened on line 4, column 7 is not closed before this: close it "
            "with ] (or put a comma between two items) (YAML: while parsing a flow sequence did not find "
            "expected ',' or ']')",
        ),
        (
            'title: "T"\n  summary: "S"\nas_of: 2016\n',
            "2:3: error: YAML syntax: this line is indented to column 3, but the keys above start at "
            "column 1: start it at column 1 (YAML: while parsing a block mapping did not find expected key)",
        ),
        (
            "title: 'Harbour talks\nsummary: S\n",
            "3:1: error: YAML syntax: the quote ' opened on line 1, column 8 is never closed: end the value "
            "with ' on the same line (YAML: while scanning a quoted scalar found unexpected end of stream)",
        ),
    ],
    ids=["unclosed-list", "bad-indent", "unclosed-quote"],
)
def test_syntax_error_keeps_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert brief(tmp_path, text) == [f"{BRIEF}:{expected} [yaml-syntax]"]


def test_alias_to_no_anchor_is_named(tmp_path: Path) -> None:
    assert brief(tmp_path, BRIEFING_YAML + "language: *english\n") == [
        f"{BRIEF}:4:11: error: alias '*english' names no anchor before it [yaml-alias]"
    ]


def test_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = BRIEFING_YAML + f'language: !!python/object/apply:os.system ["touch {marker}"]\n'
    assert brief(tmp_path, text) == [
        f"{BRIEF}:4:11: error: tag 'tag:yaml.org,2002:python/object/apply:os.system': "
        "Python tags are refused; write plain YAML [yaml-tag]"
    ]
    assert not marker.exists()


def test_custom_tag_is_refused(tmp_path: Path) -> None:
    assert brief(tmp_path, BRIEFING_YAML + "language: !lang en\n") == [
        f"{BRIEF}:4:11: error: tag '!lang': custom tags are not supported; write plain YAML [yaml-tag]"
    ]


def test_alias_bomb_is_stopped(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    assert brief(tmp_path, "\n".join(lines) + "\n") == [
        f"{BRIEF}:6:8: error: aliases expand to too many nodes (an alias bomb?); "
        "write the data out [yaml-alias]"
    ]


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"] + "  agenda: &items [Harbour fees]\n  outcomes: *items\n"
    validated, report = load(tmp_path, {**CLEAN, "meetings.yaml": meetings})
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.meetings[0].outcomes == ["Harbour fees"]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    text = BRIEFING_YAML + "tags: " + "[" * 70 + "]" * 70 + "\n"
    assert brief(tmp_path, text) == [f"{BRIEF}:4:71: error: nesting deeper than 64 levels [yaml-depth]"]


def test_list_as_a_key_is_refused(tmp_path: Path) -> None:
    assert brief(tmp_path, BRIEFING_YAML + "? [a, b]\n: both\n") == [
        f"{BRIEF}:4:3: error: keys must be plain words, not lists or mappings [yaml-key]"
    ]


def test_merge_key_is_refused(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"] + "- <<: *harbour\n  id: second-round\n"
    meetings = meetings.replace("- id: harbour-talks", "- &harbour\n  id: harbour-talks")
    assert diagnose(tmp_path, {**CLEAN, "meetings.yaml": meetings}) == [
        "demo/meetings.yaml:11:3: error: merge keys (<<) are not supported; write the keys out [yaml-merge]"
    ]


def test_every_duplicate_key_is_reported_with_the_first_line(tmp_path: Path) -> None:
    figures = '- id: displaced\n  label: "Displaced"\n  value: "900"\n  label: "Fled"\n  value: "1,000"\n'
    assert diagnose(tmp_path, {**CLEAN, "figures.yaml": figures}) == [
        "demo/figures.yaml:4:3: error: duplicate key 'label' (first given on line 2) [yaml-duplicate-key]",
        "demo/figures.yaml:5:3: error: duplicate key 'value' (first given on line 3) [yaml-duplicate-key]",
    ]


def test_second_document_is_refused(tmp_path: Path) -> None:
    assert brief(tmp_path, BRIEFING_YAML + "---\ntitle: other\n") == [
        f"{BRIEF}:5:1: error: more than one YAML document ('---') in one file [yaml-documents]"
    ]


def test_one_document_with_a_start_marker_is_fine(tmp_path: Path) -> None:
    assert brief(tmp_path, "# comment\n---\n" + BRIEFING_YAML) == []


# --- what loading keeps --------------------------------------------------------------------------


def test_scalars_stay_text_as_written(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"] + "  other_names: [no, off, 1e3, 0x1A, 2016-10-20]\n"
    validated, report = load(tmp_path, {**CLEAN, "actors.yaml": actors})
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.actors[1].other_names == ["no", "off", "1e3", "0x1A", "2016-10-20"]


def test_crlf_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    text = 'title: "T"\r\nsummary: "S"\r\nas_of: 2016-02-30\r\n'
    assert brief(tmp_path, text) == [
        f"{BRIEF}:3:8: error: '2016-02-30' is not a date: February 2016 has 29 days [date-invalid]"
    ]


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    files = {
        **CLEAN,
        "briefing.yaml": BRIEFING_YAML + "title: again\n",
        "figures.yaml": "- id: f\n\tlabel: L\n",
        "disputes.yaml": "",
    }
    assert diagnose(tmp_path, files) == [
        f"{BRIEF}:4:1: error: duplicate key 'title' (first given on line 1) [yaml-duplicate-key]",
        "demo/disputes.yaml:1:1: error: file is empty: write the entries, or delete the file [file-empty]",
        "demo/figures.yaml:2:1: error: tab in indentation; YAML indents with spaces only [yaml-tab]",
    ]


# --- what a briefing folder holds ----------------------------------------------------------------


def test_every_file_a_collection_folder_does_not_read_is_reported(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "actors.yaml"}
    files["actors/people.yaml"] = CLEAN["actors.yaml"]
    files["actors/More.YAML"] = "- id: broken\n\tname: x\n"  # its errors would go unseen
    files["actors/list.json"] = "[]\n"
    files["actors/old/drafts.yaml"] = "- id: x\n"
    files["actors/.people.yaml.swp"] = "editor's swap file\n"
    files["actors/README.md"] = "# Notes\n"
    assert diagnose(tmp_path, files) == [
        "demo/actors/More.YAML:1:1: warning: 'More.YAML' is ignored: only names ending in .yaml or .yml, "
        "in lower case, are read; rename it [file-unknown]",
        "demo/actors/list.json:1:1: warning: 'list.json' is ignored: only .yaml and .yml files are read in "
        "demo/actors/ [file-unknown]",
        "demo/actors/old:1:1: warning: folder 'old' is ignored: only the files right in demo/actors/ are "
        "read; move its files up [file-unknown]",
    ]


def test_one_kind_in_two_places_is_an_error_at_each_later_place(tmp_path: Path) -> None:
    people, states = CLEAN["actors.yaml"].split("- id: northland")
    files = {
        **{k: v for k, v in CLEAN.items() if k != "actors.yaml"},
        "actors/people.yaml": people,
        "actors.yaml": "- id: northland" + states,
        "actors.yml": '- id: southland\n  name: "Southland"\n  classification: state\n',
        "briefing.yml": BRIEFING_YAML,
    }
    # Each place is still read, so that its own problems are reported too; the briefing only once.
    assert diagnose(tmp_path, files) == [
        "demo/actors.yaml:1:1: error: one kind, one place: demo/actors/ already holds the actors; keep one "
        "of the two places [file-twice]",
        "demo/actors.yml:1:1: error: one kind, one place: demo/actors/ already holds the actors; keep one "
        "of the two places [file-twice]",
        "demo/actors.yml:1:7: warning: actor 'southland' appears nowhere: no meeting, position, quote, "
        "event, dispute, question, document or membership names it [actor-unused]",
        "demo/briefing.yml:1:1: error: one kind, one place: demo/briefing.yaml already holds the briefing; "
        "keep one of the two places [file-twice]",
    ]


def test_briefing_yml_is_read_like_briefing_yaml(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "briefing.yaml"}
    validated, report = load(tmp_path, {**files, "briefing.yml": BRIEFING_YAML})  # was a KeyError
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.briefing.title == "Harbour talks"


def test_briefing_over_the_total_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = sum(len(CLEAN[name].encode()) for name in CLEAN)
    monkeypatch.setattr(load_module, "MAX_BRIEFING_BYTES", total)
    assert diagnose(tmp_path, CLEAN) == []  # at the limit: read
    opened = []
    monkeypatch.setattr(load_module, "load_file", lambda *args: opened.append(args))
    monkeypatch.setattr(load_module, "MAX_BRIEFING_BYTES", total - 1)
    assert diagnose(tmp_path, CLEAN) == [
        "demo:1:1: error: the briefing's files hold 0.0 MiB; the limit is 0 MiB, so none is read: split it "
        "into several briefings [briefing-size]"
    ]
    assert opened == []


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "actors":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    files = {k: v for k, v in CLEAN.items() if k != "actors.yaml"}
    assert diagnose(tmp_path, {**files, "actors/people.yaml": CLEAN["actors.yaml"]}) == [
        "demo/actors:1:1: error: cannot read folder: Permission denied [file-read]"
    ]


def test_each_file_counts_only_its_own_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting every error in the report for each file made a folder of N broken files cost N²."""
    counted = []
    monkeypatch.setattr(Report, "errors", property(lambda self: counted.append(1) or []))
    files = {f"figures/f{k:03d}.yaml": "- id: f\n\tlabel: L\n" for k in range(300)}
    report = Report()
    load_briefing(write_files(tmp_path / "demo", {"briefing.yaml": BRIEFING_YAML, **files}), report, tmp_path)
    assert len(report.diagnostics) == 300
    assert counted == []


def test_a_value_that_is_mostly_markup_is_refused_at_its_place(tmp_path: Path) -> None:
    """Pages escape such characters one at a time, at a cost that grows with the value."""
    at_limit = CLEAN["quotes.yaml"].replace(
        '"The harbour stays open."', '"' + "[" * MAX_MARKUP_CHARS + ' words"'
    )
    assert diagnose(tmp_path / "ok", {**CLEAN, "quotes.yaml": at_limit}) == []
    over = CLEAN["quotes.yaml"].replace('"The harbour stays open."', '"' + "<" * MAX_MARKUP_CHARS + '<"')
    [found] = diagnose(tmp_path / "over", {**CLEAN, "quotes.yaml": over})
    assert found.startswith(
        f"demo/quotes.yaml:3:9: error: value with {MAX_MARKUP_CHARS + 1:,} of the characters"
    )
    assert found.endswith("write text, not markup [value-markup]")
