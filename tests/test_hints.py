"""YAML syntax errors in plain words, at the exact place: the usual mistakes, each with its fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.data import CLEAN, diagnose

CASES = [
    (
        '- id: a\n  name: "x"\n    summary: y\n',
        "3:5",
        "this line is indented to column 5, but the keys above start at column 3: start it at column 3",
    ),
    (
        "- id: a\n  name: x\n   summary: y\n",
        "3:4",
        "this line is indented to column 4, deeper than the line above (column 3), so YAML reads it as "
        "more of that line's value: start it at column 3",
    ),
    (
        "- id: a\n  name: x\n summary: y\n",
        "3:2",
        "this line is indented to column 2, but the fields of the entries above start at column 3: "
        "indent it to column 3",
    ),
    (
        "- id: a\n  name: x\nid: b\n",
        "3:1",
        "each entry of the list that starts on line 1 begins with '- ' at column 1: to start a new "
        "entry here, write `- id: b`",
    ),
    (
        "- id: a\n  summary: Kerry said: no deal\n",
        "2:12",
        "the value holds ': ', which YAML reads as the start of another key: put the value in quotes, "
        'as in `summary: "Kerry said: no deal"`',
    ),
    (
        '- id: a\n  name: "Kerry\n  summary: x\n',
        "4:1",
        'the quote " opened on line 2, column 9 is never closed: end the value with " on the same line',
    ),
    (
        "- id: a\n  other_names: [a, b\n  summary: x\n",
        "3:10",
        "the [ opened on line 2, column 16 is not closed before this: close it with ]",
    ),
]


@pytest.mark.parametrize(("text", "where", "advice"), CASES, ids=[c[0][10:30] for c in CASES])
def test_a_syntax_error_says_what_to_do(tmp_path: Path, text: str, where: str, advice: str) -> None:
    found = [d for d in diagnose(tmp_path, {**CLEAN, "issues.yaml": text}) if d.endswith("[yaml-syntax]")]
    assert len(found) == 1, found
    assert found[0].startswith(f"demo/issues.yaml:{where}: error: YAML syntax: {advice}"), found[0]
    assert "(YAML: " in found[0]  # libyaml's own words stay, for those who know them


def test_an_error_no_usual_cause_fits_keeps_libyamls_words(tmp_path: Path) -> None:
    found = diagnose(tmp_path, {**CLEAN, "issues.yaml": "- id: a\n  name: &x\n  *y: z\n"})
    assert [d for d in found if "[yaml-" in d] != []
    assert all("(YAML: " not in d for d in found)


def test_a_quote_left_open_on_an_earlier_line_is_named(tmp_path: Path) -> None:
    """The quote runs on to the next quote, two lines down; libyaml only notices there."""
    text = '- id: a\n  name: "Kerry\n  summary: x\n  other_names: ["John"]\n'
    found = [d for d in diagnose(tmp_path, {**CLEAN, "issues.yaml": text}) if d.endswith("[yaml-syntax]")]
    assert len(found) == 1 and 'the quote " opened on line 2, column 9 is not closed on its line' in found[0]


def test_no_advice_is_given_that_does_not_fit(tmp_path: Path) -> None:
    """A line already at the right column is never told to move to that column."""
    text = '- id: a\n  name: "x"\n  summary: "y" z\n'
    for d in diagnose(tmp_path, {**CLEAN, "issues.yaml": text}):
        assert not re.search(r"indented to column (\d+).*start it at column \1\b", d), d


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029", "\r"])
def test_lines_are_counted_as_yaml_counts_them(tmp_path: Path, brk: str) -> None:
    """YAML also starts a line at NEL, the Unicode line and paragraph separators and a lone CR:
    the advice quotes the line libyaml means, and never looks past the last one."""
    text = f"- id: a{brk}  name: 'Kerry\n"
    found = [d for d in diagnose(tmp_path, {**CLEAN, "issues.yaml": text}) if d.endswith("[yaml-syntax]")]
    assert len(found) == 1, found
    assert "the quote ' opened on line 2, column 9 is never closed" in found[0], found[0]
