"""The validator: pydantic errors and cross-file checks as coded diagnostics at the offending node."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest
import yaml
from support.data import BRIEFING_YAML, CLEAN, diagnose, load
from support.paths import REAL

from generator import errors
from generator.errors import SCAN_LIMIT, Report, Suggester, quoted, skeleton
from generator.kinds import COLLECTIONS
from generator.load import RawBriefing
from generator.read import RawFile
from generator.validate import validate

BRIEF = "demo/briefing.yaml"


def with_(tmp_path: Path, **files: str) -> list[str]:
    """Diagnostics for the clean briefing with some files replaced (keyword `meetings` -> meetings.yaml)."""
    return diagnose(tmp_path, {**CLEAN, **{f"{name}.yaml": body for name, body in files.items()}})


def test_clean_briefing_validates_to_the_model(tmp_path: Path) -> None:
    validated, report = load(tmp_path, CLEAN)
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.slug == "demo"
    assert validated.data.briefing.as_of == "2016-10-20"
    assert [m.attendees[0].actor for m in validated.data.meetings] == ["ana-reyes"]
    assert validated.where[("meetings", "harbour-talks")].at("start_date") == ("demo/meetings.yaml", 3, 15)


def test_warnings_alone_still_give_the_model(tmp_path: Path) -> None:
    validated, report = load(tmp_path, {**CLEAN, "questions.yaml": "- id: q\n  question: Why?\n"})
    assert [d.code for d in report.diagnostics] == ["question-unlinked"]
    assert validated.data is not None


def test_errors_give_no_model(tmp_path: Path) -> None:
    validated, _ = load(tmp_path, {**CLEAN, "briefing.yaml": BRIEFING_YAML + "titel: x\n"})
    assert validated.data is None


# --- keys ----------------------------------------------------------------------------------------


def test_unknown_key_suggests_the_nearest_field(tmp_path: Path) -> None:
    assert with_(tmp_path, briefing='titel: "Harbour"\nsummary: "S"\nas_of: 2016\n') == [
        f"{BRIEF}:1:1: error: missing required key 'title' in briefing [key-missing]",
        f"{BRIEF}:1:1: error: unknown key 'titel' in briefing; did you mean 'title'? [key-unknown]",
    ]


def test_unknown_nested_key_names_the_nested_kind(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace(
        "    - actor: ana-reyes\n", "    - actor: ana-reyes\n      participaton: video-link\n"
    )
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:8:7: error: unknown key 'participaton' in attendee; "
        "did you mean 'participation'? [key-unknown]"
    ]


def test_unknown_key_without_a_near_field_has_no_suggestion(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"] + "  colour: blue\n"
    assert with_(tmp_path, actors=actors) == [
        "demo/actors.yaml:9:3: error: unknown key 'colour' in actor [key-unknown]"
    ]


def test_suggestion_never_names_a_key_the_entry_already_has(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"] + "  kind: talks\n"
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:10:3: error: unknown key 'kind' in meeting [key-unknown]"
    ]


def test_missing_key_is_reported_at_its_mapping(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace("  classification: state\n", "")
    meetings = CLEAN["meetings.yaml"].replace(
        "    - actor: ana-reyes\n", "    - actor: ana-reyes\n    - role: host\n"
    )
    assert with_(tmp_path, briefing='title: "T"\nsummary: "S"\n', actors=actors, meetings=meetings) == [
        "demo/actors.yaml:6:3: error: missing required key 'classification' in actor [key-missing]",
        f"{BRIEF}:1:1: error: missing required key 'as_of' in briefing [key-missing]",
        "demo/meetings.yaml:8:7: error: missing required key 'actor' in attendee [key-missing]",
    ]


def test_empty_required_value_reads_as_missing(tmp_path: Path) -> None:
    assert with_(tmp_path, briefing='summary: "S"\ntitle:\nas_of: 2016\n') == [
        f"{BRIEF}:2:1: error: 'title' is empty in briefing [value-empty]"
    ]


def test_empty_optional_value_takes_the_default(tmp_path: Path) -> None:
    validated, report = load(tmp_path, {**CLEAN, "briefing.yaml": BRIEFING_YAML + "language:\ntags:\n"})
    assert report.diagnostics == []
    assert validated.data is not None
    assert validated.data.briefing.language == "en"


# --- values --------------------------------------------------------------------------------------


def test_enum_value_lists_the_choices_and_suggests_one(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace("classification: state", "classification: sate")
    assert with_(tmp_path, actors=actors) == [
        "demo/actors.yaml:8:19: error: 'sate' is not a valid classification: use one of person, state, "
        "government-body, international-organization, organization, opposition-body, armed-group, "
        "coalition; did you mean 'state'? [value-enum]"
    ]


def test_enum_value_in_a_nested_list(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace(
        "    - actor: ana-reyes\n", "    - actor: ana-reyes\n      participation: zoom\n"
    )
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:8:22: error: 'zoom' is not a valid participation: use one of in-person, "
        "video-link, phone, delegate, observer [value-enum]"
    ]


def test_id_must_be_a_slug(tmp_path: Path) -> None:
    sources = CLEAN["sources.yaml"] + "- id: Gazette_Followup\n  title: Followup\n"
    assert with_(tmp_path, sources=sources) == [
        "demo/sources.yaml:3:7: error: 'Gazette_Followup' is not a valid id: use lowercase letters, "
        "digits and hyphens (like 'john-kerry') [id-invalid]"
    ]


def test_id_in_a_reference_list_must_be_a_slug(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace("[harbour-access]", "[harbour-access, Harbour Fees]")
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:8:28: error: 'Harbour Fees' is not a valid id: use lowercase letters, "
        "digits and hyphens (like 'john-kerry') [id-invalid]"
    ]


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2016-02-30", "February 2016 has 29 days"),
        ("2015-02-29", "February 2015 has 28 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("2016-04-31", "April 2016 has 30 days"),
        ("2016-02-00", "there is no day 0"),
        ("2016-13", "there is no month 13"),
        ("2016-13-01", "there is no month 13"),
        ("2016-00", "there is no month 0"),
        ("20161020", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2016/10/20", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("16-10-20", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2016-2-3", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2016-10-20T10:00", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("October 2016", "use YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_impossible_or_malformed_date(tmp_path: Path, date: str, why: str) -> None:
    meetings = CLEAN["meetings.yaml"].replace("start_date: 2016-10-15", f"start_date: {date}")
    assert with_(tmp_path, meetings=meetings) == [
        f"demo/meetings.yaml:3:15: error: '{date}' is not a date: {why} [date-invalid]"
    ]


def test_the_same_impossible_date_twice_is_reported_twice(tmp_path: Path) -> None:
    """Dates are checked once per text (they recur): a bad one is still an error at each place."""
    meetings = CLEAN["meetings.yaml"].replace("start_date: 2016-10-15", "start_date: 2016-02-30")
    meetings += meetings.replace("harbour-talks", "harbour-talks-2")
    why = "February 2016 has 29 days"
    assert with_(tmp_path, meetings=meetings) == [
        f"demo/meetings.yaml:3:15: error: '2016-02-30' is not a date: {why} [date-invalid]",
        f"demo/meetings.yaml:12:15: error: '2016-02-30' is not a date: {why} [date-invalid]",
    ]


@pytest.mark.parametrize("date", ["2016", "2016-02", "2016-02-29", "2000-02-29", "'2016-12-31'"])
def test_partial_and_leap_dates_are_accepted(tmp_path: Path, date: str) -> None:
    meetings = CLEAN["meetings.yaml"].replace("start_date: 2016-10-15", f"start_date: {date}")
    assert with_(tmp_path, meetings=meetings) == []


def test_empty_text(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"] + '  outcomes: ["Agreed to meet", ""]\n'
    assert with_(tmp_path, briefing='title: ""\nsummary: "S"\nas_of: 2016\n', meetings=meetings) == [
        f"{BRIEF}:1:8: error: 'title' is empty [value-empty]",
        "demo/meetings.yaml:10:32: error: 'outcomes' is empty [value-empty]",
    ]


def test_dispute_needs_two_accounts(tmp_path: Path) -> None:
    disputes = """\
- id: who-closed-the-harbour
  name: "Who closed the harbour"
  accounts:
    - actor: northland
      summary: "Blames the weather."
      sources: [gazette-report]
"""
    assert with_(tmp_path, disputes=disputes) == [
        "demo/disputes.yaml:4:5: error: 'accounts' needs at least 2 entries [value-empty]"
    ]


def test_wrong_shapes(tmp_path: Path) -> None:
    briefing = 'title: ["Harbour", "talks"]\nsummary: "S"\nas_of: 2016\ntags: diplomacy\nperiod: 2016\n'
    figures = (
        '- id: displaced\n  label: "Displaced"\n  value: "many"\n  number: many\n'
        "  sources: [gazette-report]\n"
    )
    assert with_(tmp_path, briefing=briefing, figures=figures) == [
        f"{BRIEF}:1:8: error: 'title' should be a valid string, not a list [type-invalid]",
        f"{BRIEF}:4:7: error: 'tags' should be a valid list, not 'diplomacy' [type-invalid]",
        f"{BRIEF}:5:9: error: 'period' should be a valid dictionary or instance of Period, not '2016' "
        "[type-invalid]",
        "demo/figures.yaml:4:11: error: 'number' should be a valid integer, unable to parse string as an "
        "integer, not 'many' [type-invalid]",
    ]


def test_wrong_file_shapes(tmp_path: Path) -> None:
    assert with_(
        tmp_path,
        briefing="- title: T\n",
        positions="harbour-access: open\n",
        figures="- displaced\n",
    ) == [
        f"{BRIEF}:1:1: error: briefing.yaml should be a mapping of title, summary, as_of… [type-invalid]",
        "demo/figures.yaml:1:3: error: each entry should be a mapping (figure fields), not 'displaced' "
        "[type-invalid]",
        "demo/positions.yaml:1:1: error: expected a list of positions (each starting with '- id:'), "
        "not a mapping "
        "[type-invalid]",
    ]


def test_value_invalid_for_other_constraints(tmp_path: Path) -> None:
    sources = CLEAN["sources.yaml"] + "  sha256: not-a-hash\n- id: " + "x" * 101 + "\n  title: Long\n"
    assert with_(tmp_path, sources=sources) == [
        "demo/sources.yaml:3:11: error: 'sha256': String should match pattern '^[0-9a-f]{64}$' "
        "[value-invalid]",
        "demo/sources.yaml:4:7: error: 'id': String should have at most 100 characters [value-invalid]",
    ]


# --- across entries ------------------------------------------------------------------------------


def test_duplicate_id_in_one_file_and_across_files(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "issues.yaml"}
    files["issues/main.yaml"] = CLEAN["issues.yaml"] + "- id: harbour-access\n  name: Again\n"
    files["issues/more.yaml"] = "- id: harbour-access\n  name: Once more\n"
    first = "(first at demo/issues/main.yaml:1) [id-duplicate]"
    assert diagnose(tmp_path, files) == [
        f"demo/issues/main.yaml:3:7: error: duplicate issue id 'harbour-access' {first}",
        f"demo/issues/more.yaml:1:7: error: duplicate issue id 'harbour-access' {first}",
    ]


def test_unknown_reference_suggests_a_near_id(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace("- actor: ana-reyes", "- actor: ana-reyez")
    quotes = CLEAN["quotes.yaml"].replace("source: gazette-report", "source: gazete-report")
    assert with_(tmp_path, meetings=meetings, quotes=quotes) == [
        "demo/meetings.yaml:7:14: error: unknown actor 'ana-reyez' in attendees; did you mean 'ana-reyes'? "
        "[ref-unknown]",
        "demo/quotes.yaml:4:11: error: unknown source 'gazete-report' in source; did you mean "
        "'gazette-report'? [ref-unknown]",
    ]


def test_unknown_reference_without_a_near_id(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace("organization: northland", "organization: united-nations")
    disputes = """\
- id: who-closed-the-harbour
  name: "Who closed the harbour"
  accounts:
    - actor: northland
      summary: "Blames the weather."
      quotes: [southland-denial]
      sources: [gazette-report]
    - actor: ana-reyes
      summary: "Blames the port authority."
"""
    assert with_(tmp_path, actors=actors, disputes=disputes) == [
        "demo/actors.yaml:5:21: error: unknown actor 'united-nations' in memberships [ref-unknown]",
        "demo/disputes.yaml:6:16: error: unknown quote 'southland-denial' in accounts [ref-unknown]",
    ]


def test_reference_to_an_invalid_entry_does_not_cascade(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace("classification: state", "classification: nation")
    [line] = with_(tmp_path, actors=actors)
    assert line.endswith("[value-enum]")


def test_file_that_failed_to_load_does_not_cascade(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace('name: "Northland"', 'name: "Northland')
    assert with_(tmp_path, actors=actors) == [
        'demo/actors.yaml:9:1: error: YAML syntax: the quote " opened on line 7, column 9 is never '
        'closed: end the value with " on the same line (YAML: while scanning a quoted scalar found '
        "unexpected end of stream) [yaml-syntax]"
    ]


def test_end_before_start(tmp_path: Path) -> None:
    briefing = BRIEFING_YAML + "period:\n  start_date: 2016-06\n  end_date: 2016-05-31\n"
    meetings = CLEAN["meetings.yaml"].replace(
        "start_date: 2016-10-15\n", "start_date: 2016-10-15\n  end_date: 2016-10-14\n"
    )
    actors = CLEAN["actors.yaml"].replace(
        "organization: northland\n",
        "organization: northland\n      start_date: 2014\n      end_date: 2013-12\n",
    )
    events = """\
- id: harbour-closed
  name: "Harbour closed"
  kind: decision
  start_date: 2016-10
  end_date: 2016-09-30
  sources: [gazette-report]
- id: harbour-reopened
  name: "Harbour reopened"
  kind: decision
  start_date: 2016-10
  end_date: 2016-10-05
  sources: [gazette-report]
"""
    assert with_(tmp_path, briefing=briefing, meetings=meetings, actors=actors, events=events) == [
        "demo/actors.yaml:7:17: error: end_date is before start_date [date-order]",
        f"{BRIEF}:6:13: error: end_date is before start_date [date-order]",
        "demo/events.yaml:5:13: error: end_date 2016-09-30 is before start_date 2016-10 [date-order]",
        "demo/meetings.yaml:4:13: error: end_date 2016-10-14 is before start_date 2016-10-15 [date-order]",
    ]


def test_attendance_conflicts(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace(
        "    - actor: ana-reyes\n",
        "    - actor: ana-reyes\n    - actor: ana-reyes\n      participation: phone\n"
        "  absentees:\n    - actor: ana-reyes\n      reason: ill\n",
    )
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:8:14: error: 'ana-reyes' is listed twice as attendee [attendance-conflict]",
        "demo/meetings.yaml:11:14: error: 'ana-reyes' is listed both as attendee and as absent "
        "[attendance-conflict]",
    ]


# --- warnings ------------------------------------------------------------------------------------


def test_claims_without_sources(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace("  sources: [gazette-report]\n", "")
    quotes = CLEAN["quotes.yaml"].replace("  source: gazette-report\n", "")
    figures = '- id: displaced\n  label: "Displaced"\n  value: "about 900"\n'
    disputes = """\
- id: sourced-by-accounts
  name: "Sourced through one account"
  accounts:
    - actor: northland
      summary: "Blames the weather."
      sources: [gazette-report]
    - actor: ana-reyes
      summary: "Blames the port authority."
- id: unsourced
  name: "Nobody's source"
  accounts:
    - actor: northland
      summary: "Blames the weather."
    - actor: ana-reyes
      summary: "Blames the port authority."
"""
    assert with_(tmp_path, meetings=meetings, quotes=quotes, figures=figures, disputes=disputes) == [
        "demo/disputes.yaml:9:7: warning: dispute 'unsourced' has no source: add 'sources' [source-missing]",
        "demo/figures.yaml:1:7: warning: figure 'displaced' has no source: add 'sources' [source-missing]",
        "demo/meetings.yaml:1:7: warning: meeting 'harbour-talks' has no source: add 'sources' "
        "[source-missing]",
        "demo/quotes.yaml:1:7: warning: quote 'reyes-on-harbour' has no source: add 'source' "
        "[source-missing]",
    ]


def test_actor_nobody_names(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"] + (
        '- id: southland\n  name: "Southland"\n  classification: state\n'
        '- id: port-authority\n  name: "Port authority"\n  classification: government-body\n'
    )
    questions = "- id: will-it-reopen\n  question: Will the harbour reopen?\n  actors: [port-authority]\n"
    assert with_(tmp_path, actors=actors, questions=questions) == [
        "demo/actors.yaml:9:7: warning: actor 'southland' appears nowhere: no meeting, position, quote, "
        "event, dispute, question, document or membership names it [actor-unused]"
    ]


def test_question_linked_to_nothing(tmp_path: Path) -> None:
    questions = "- id: will-it-reopen\n  question: Will the harbour reopen?\n  status: open\n"
    assert with_(tmp_path, questions=questions) == [
        "demo/questions.yaml:1:7: warning: question 'will-it-reopen' is linked to nothing: add actors, "
        "issues, meetings or events [question-unlinked]"
    ]


# --- "did you mean": as difflib for ordinary typos, in time linear in the number of ids -----------


def real_ids() -> set[str]:
    """Every id of the real briefing: 210 of them, beyond SCAN_LIMIT, so the index is what answers."""
    found = set()
    for path in sorted(REAL.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            found |= {entry["id"] for entry in data}
    assert len(found) > SCAN_LIMIT
    return found


def typos(word: str) -> list[str]:
    """One of each ordinary typo, each at its own place in the word."""
    n = len(word)

    def at(k: int) -> int:
        return k * (n - 1) // 4

    def other(c: str) -> str:
        return "x" if c != "x" else "y"

    i, j = at(0), at(4)
    return [
        word[:i] + other(word[i]) + word[i + 1 :],  # one letter wrong
        word[: at(1)] + word[at(1) + 1 :],  # one missing
        word[: at(2)] + "e" + word[at(2) :],  # one extra
        word[: at(3)] + word[at(3) + 1] + word[at(3)] + word[at(3) + 2 :],  # two swapped
        word[:i] + other(word[i]) + word[i + 1 : j] + other(word[j]) + word[j + 1 :],  # two wrong
    ]


def edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def test_suggestions_are_difflibs_for_ordinary_typos_of_the_real_ids() -> None:
    ids = real_ids()
    words = sorted({t for w in ids for t in typos(w)} - ids)
    suggester, everything = Suggester(ids), sorted(ids)
    differ = []
    for word in words:
        theirs = difflib.get_close_matches(word, everything, n=1, cutoff=0.6)
        ours = suggester.closest(word)
        if ours != (theirs[0] if theirs else None):
            differ.append((word, ours, theirs[0] if theirs else None))
    # Only where difflib reaches farther than two typos (and ours is the nearer, or none):
    assert all(edits(w, theirs) > 2 and (ours is None or edits(w, ours) <= 2) for w, ours, theirs in differ)
    assert len(differ) < len(words) / 200, differ
    assert Suggester(ids).closest("jon-kery") == "john-kerry"  # two typos at once


def test_a_few_choices_get_difflibs_very_answer() -> None:
    fields = sorted(COLLECTIONS["meetings"].model_fields)
    assert len(fields) <= SCAN_LIMIT
    for word in ["atendees", "sumary", "kind", "start", "hots", "issue", "dates", "x"]:
        expected = difflib.get_close_matches(word, fields, n=1, cutoff=0.6)
        assert Suggester(fields).closest(word) == (expected[0] if expected else None)


def test_equal_ratios_go_to_the_larger_choice_as_in_difflib() -> None:
    ids = {f"actor-{n:03d}" for n in range(200)}  # 'actor-005' to 'actor-095' and 'actor-105' tie
    expected = difflib.get_close_matches("actor-0x5", sorted(ids), n=1, cutoff=0.6)
    assert Suggester(ids).closest("actor-0x5") == expected[0] == "actor-105"


@pytest.mark.parametrize("n", [2_000, 8_000])
def test_the_work_per_unknown_word_does_not_grow_with_the_ids(n: int) -> None:
    """Counted, not timed: each unknown word was compared with every id (N each: 15 minutes at 20,000)."""
    rng = random.Random(n)
    syllables = ["al", "bar", "cor", "dan", "el", "fen", "gar", "is", "kal", "mar", "nor", "ul", "ven"]
    ids = {"-".join("".join(rng.choices(syllables, k=3)) for _ in range(2)) for _ in range(n)}
    numbered = {f"p-{k:05d}" for k in range(n)}  # crowded: each part is shared by many ids
    cases = {
        "typos": (ids, [t for w in sorted(ids) for t in typos(w)]),
        "crowded": (numbered, [f"{w}9" for w in sorted(numbered)]),
        "renamed": (ids, [f"x{w[::-1]}" for w in sorted(ids)]),  # near nothing, as after a bulk rename
    }
    for case, (choices, words) in cases.items():
        suggester = Suggester(choices)
        for word in words:
            suggester.closest(word)
        assert suggester.compared <= 40 * len(words), (case, suggester.compared / len(words))


def test_one_index_serves_every_unknown_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    real = errors._deletions_index
    monkeypatch.setattr(errors, "_deletions_index", lambda choices: built.append(1) or real(choices))
    actors = CLEAN["actors.yaml"] + "".join(
        f"- id: actor-{k:03d}\n  name: A{k}\n  classification: person\n" for k in range(100)
    )
    positions = "".join(
        f"- id: p-{k}\n  actor: actor-{k:03d}x\n  issue: harbour-access\n  stance: favor\n"
        f"  summary: S.\n  date: 2016\n  sources: [gazette-report]\n"
        for k in range(100)
    )
    out = with_(tmp_path, actors=actors, positions=positions)
    unknown = [line for line in out if line.endswith("[ref-unknown]")]
    assert len(unknown) == 100
    assert unknown[0] == (
        "demo/positions.yaml:2:10: error: unknown actor 'actor-000x' in actor; did you mean 'actor-000'? "
        "[ref-unknown]"
    )
    assert built == [1]


def test_an_entry_with_many_unknown_keys_is_read_once_for_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unknown key made a set of all the entry's keys: 20,000 of them cost 400 million steps."""
    import generator.validate as validate_module

    calls = []
    real = validate_module._raw_at
    monkeypatch.setattr(validate_module, "_raw_at", lambda where, loc: calls.append(loc) or real(where, loc))
    keys = "".join(f"  extra{k}: x\n" for k in range(2_000))
    report = Report()
    raw = RawBriefing("demo", Path("demo"), None, {name: [] for name in COLLECTIONS})
    text = "- id: harbour\n  name: Harbour\n" + keys
    raw.collections["issues"].append(RawFile("demo/issues.yaml", yaml.safe_load(text), text=text))
    validate(raw, report)
    assert len(report.errors) == 2_000
    assert len(calls) == 1


# --- letters from other scripts that look like ASCII ----------------------------------------------

IE = "\u0435"  # CYRILLIC SMALL LETTER IE: looks like 'e'


def test_an_id_with_a_look_alike_letter_shows_its_code_point_and_the_ascii_id(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"] + f"- id: john-k{IE}rry\n  name: John Kerry\n  classification: person\n"
    meetings = CLEAN["meetings.yaml"].replace(
        "    - actor: ana-reyes\n", "    - actor: ana-reyes\n    - actor: john-kerry\n"
    )
    # The ASCII references mean the refused id: fixing it fixes them, so they are not reported.
    assert with_(tmp_path, actors=actors, meetings=meetings) == [
        "demo/actors.yaml:9:7: error: 'john-k\\u0435rry' (U+0435 CYRILLIC SMALL LETTER IE at position 7) "
        "is not a valid id: use lowercase letters, digits and hyphens (like 'john-kerry'); "
        "did you mean 'john-kerry'? [id-invalid]"
    ]


def test_a_reference_with_look_alike_letters_suggests_the_id_it_imitates(tmp_path: Path) -> None:
    meetings = CLEAN["meetings.yaml"].replace("host: northland", "host: n\u043erthl\u0430nd")
    assert with_(tmp_path, meetings=meetings) == [
        "demo/meetings.yaml:5:9: error: 'n\\u043erthl\\u0430nd' (U+043E CYRILLIC SMALL LETTER O at "
        "position 2, U+0430 CYRILLIC SMALL LETTER A at position 7) is not a valid id: use lowercase letters, "
        "digits and hyphens (like 'john-kerry'); did you mean 'northland'? [id-invalid]"
    ]


def test_a_near_miss_is_never_offered_a_look_alike(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"] + f"- id: ana-r{IE}yes-2\n  name: Ana Reyes\n  classification: person\n"
    meetings = CLEAN["meetings.yaml"].replace("- actor: ana-reyes", "- actor: ana-reyes-22")
    # difflib's choice would be the refused look-alike, which would print just like 'ana-reyes-2'.
    assert difflib.get_close_matches("ana-reyes-22", ["ana-reyes", f"ana-r{IE}yes-2"], n=1) == [
        f"ana-r{IE}yes-2"
    ]
    assert (
        "demo/meetings.yaml:7:14: error: unknown actor 'ana-reyes-22' in attendees; did you mean "
        "'ana-reyes'? [ref-unknown]" in with_(tmp_path, actors=actors, meetings=meetings)
    )


def test_keys_and_choices_with_look_alike_letters_are_shown_and_corrected(tmp_path: Path) -> None:
    briefing = BRIEFING_YAML.replace("title:", "t\u0456tle:")
    actors = CLEAN["actors.yaml"].replace("classification: person", "classification: p\u0435rson")
    assert with_(tmp_path, briefing=briefing, actors=actors) == [
        "demo/actors.yaml:3:19: error: 'p\\u0435rson' (U+0435 CYRILLIC SMALL LETTER IE at position 2) is "
        "not a valid classification: use one of person, state, government-body, international-organization, "
        "organization, opposition-body, armed-group, coalition; did you mean 'person'? [value-enum]",
        f"{BRIEF}:1:1: error: missing required key 'title' in briefing [key-missing]",
        f"{BRIEF}:1:1: error: unknown key 't\\u0456tle' (U+0456 CYRILLIC SMALL LETTER "
        "BYELORUSSIAN-UKRAINIAN I at position 2) in briefing; did you mean 'title'? [key-unknown]",
    ]


def test_quoted_names_at_most_three_characters_outside_ascii() -> None:
    assert quoted("john-kerry") == "'john-kerry'"
    assert (
        quoted("sergei-\U0001d695")
        == "'sergei-\\U0001d695' (U+1D695 MATHEMATICAL MONOSPACE SMALL L at position 8)"
    )
    assert quoted("\u0441\u0438\u0440\u0438\u044f") == (
        "'\\u0441\\u0438\\u0440\\u0438\\u044f' (U+0441 CYRILLIC SMALL LETTER ES at position 1, "
        "U+0438 CYRILLIC SMALL LETTER I at position 2, U+0440 CYRILLIC SMALL LETTER ER at position 3, "
        "and 2 more outside ASCII)"
    )


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (f"john-k{IE}rry", "john-kerry"),
        ("jos\u00e9-ramos", "jose-ramos"),  # an accent
        ("\uff4a\uff4f\uff48\uff4e", "john"),  # fullwidth
        ("john\u2013kerry", "john-kerry"),  # an en dash
        ("\u0440\u0443\u0441\u0441\u0456\u0430", "pyccia"),  # Cyrillic that only looks Latin
        ("\u0441\u0438\u0440\u0438\u044f", "c\u0438p\u0438\u044f"),  # no look-alike for most: they stay
    ],
)
def test_skeleton_is_the_ascii_a_text_looks_like(text: str, plain: str) -> None:
    assert skeleton(text) == plain


def test_words_people_try_first_for_a_field_are_suggested(tmp_path: Path) -> None:
    actors = CLEAN["actors.yaml"].replace(
        "  classification: person\n", "  classification: person\n  aliases: [A]\n"
    )
    meetings = CLEAN["meetings.yaml"].replace("  start_date: 2016-10-15\n", "  date: 2016-10-15\n")
    meetings = meetings.replace("  attendees:", "  participants:")
    found = "\n".join(diagnose(tmp_path, {**CLEAN, "actors.yaml": actors, "meetings.yaml": meetings}))
    for word, kind, meant in [
        ("aliases", "actor", "other_names"),
        ("date", "meeting", "start_date"),  # not 'end_date', which is nearer in spelling
        ("participants", "meeting", "attendees"),
    ]:
        assert f"unknown key '{word}' in {kind}; did you mean '{meant}'? [key-unknown]" in found


def test_an_unreadable_file_causes_no_false_appears_nowhere_warnings(tmp_path: Path) -> None:
    """The envoy would be named only by the meeting, which cannot be read: one line says so."""
    actors = CLEAN["actors.yaml"] + "- id: port-envoy\n  name: Port envoy\n  classification: person\n"
    broken = "- id: x\n  name: [unclosed\n"
    assert diagnose(tmp_path, {**CLEAN, "actors.yaml": actors, "meetings.yaml": broken}) == [
        "demo/actors.yaml:1:1: warning: not checked whether 1 actor appears anywhere: meetings could "
        "not be read in full; fix the errors there first [check-skipped]",
        "demo/meetings.yaml:3:1: error: YAML syntax: the [ opened on line 2, column 9 is not closed "
        "before this: close it with ] (or put a comma between two items) (YAML: while parsing a flow "
        "sequence did not find expected ',' or ']') [yaml-syntax]",
    ]
