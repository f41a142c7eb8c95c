"""Plain words for YAML syntax errors: what is wrong with the line, and how to write it.

libyaml says where it stopped ("mapping values are not allowed in this context"); the usual
causes behind its few messages are a line indented unlike the one above, a value holding ": ",
a list entry without its "- ", and a quote or bracket left open. `explain` tells them apart
from the text itself and gives the place to show, the advice, and libyaml's words for reference.
"""

from __future__ import annotations

import re
from typing import Protocol

_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.+?)\s*$")
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+(["'])""")
_OPENERS = {"a flow sequence": "[", "a flow mapping": "{"}
_CLOSERS = {"[": "]", "{": "}"}


class Mark(Protocol):
    """Where PyYAML stopped: 0-based line and column (yaml.Mark)."""

    line: int
    column: int


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _above(lines: list[str], n: int) -> int | None:
    """The nearest line above `n` with content (not blank, not a comment)."""
    for k in range(n - 1, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return k
    return None


def _open_quote(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """The last line from `first` to before `last` whose value opens a quote it does not close:
    (line, column, quote)."""
    for k in range(last - 1, first - 1, -1):
        m = _QUOTED_VALUE.match(lines[k])
        if m and not _closes(lines[k][m.end(1) :], m[1]):
            return k, m.start(1), m[1]
    return None


def _closes(rest: str, quote: str) -> bool:
    """Whether `rest`, what follows an opening quote on its line, holds the closing one."""
    if quote == '"':
        return '"' in rest.replace("\\\\", "").replace('\\"', "")
    return "'" in rest.replace("''", "")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Where YAML starts a new line, so that its marks' line numbers point into the same list.
_YAML_LINES = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def explain(
    text: str, context: str | None, context_mark: Mark | None, problem: str | None, problem_mark: Mark | None
) -> tuple[int, int, str] | None:
    """(line, column, advice), 1-based, for a syntax error libyaml reported; None when no usual
    cause fits (the caller then shows libyaml's own words)."""
    if problem_mark is None or problem is None:
        return None
    lines = _YAML_LINES.split(text)
    n, col = problem_mark.line, problem_mark.column
    here = lines[n] if n < len(lines) else ""
    if problem == "mapping values are not allowed in this context":
        m = _KEY_VALUE.match(here)
        if m and m.end("key") < col:
            fixed = f"{m['lead']}{m['key']}: {_quoted(m['value'])}"
            return (
                n + 1,
                m.start("value") + 1,
                f"the value holds ': ', which YAML reads as the start of another key: put the value "
                f"in quotes, as in `{fixed.strip()}`",
            )
        k = _above(lines, n)
        if k is not None and _indent(here) > _indent(lines[k]):
            return (
                n + 1,
                _indent(here) + 1,
                f"this line is indented to column {_indent(here) + 1}, deeper than the line above "
                f"(column {_indent(lines[k]) + 1}), so YAML reads it as more of that line's value: "
                f"start it at column {_indent(lines[k]) + 1}, or put the value above in quotes",
            )
        return None
    if problem == "did not find expected '-' indicator" and context_mark is not None:
        dash = context_mark.column  # where the list's entries start their "- "
        start = lines[context_mark.line] if context_mark.line < len(lines) else ""
        keys = dash + (len(start[dash:]) - len(start[dash:].lstrip("- ")))
        at = _indent(here)
        if at == dash:
            return (
                n + 1,
                at + 1,
                f"each entry of the list that starts on line {context_mark.line + 1} begins with '- ' "
                f"at column {dash + 1}: to start a new entry here, write `- {here.strip()}`",
            )
        if at == keys:  # lined up as it should be: the cause is elsewhere
            return None
        return (
            n + 1,
            at + 1,
            f"this line is indented to column {at + 1}, but the fields of the entries above start at "
            f"column {keys + 1}: indent it to column {keys + 1}",
        )
    if problem == "did not find expected key" and context_mark is not None:
        keys, at = context_mark.column, _indent(here)
        if at != keys:
            return (
                n + 1,
                col + 1,
                f"this line is indented to column {at + 1}, but the keys above start at column "
                f"{keys + 1}: start it at column {keys + 1}",
            )
        opened = _open_quote(lines, context_mark.line, n)
        if opened is not None:
            line, column, quote = opened
            return (
                n + 1,
                col + 1,
                f"the quote {quote} opened on line {line + 1}, column {column + 1} is not closed on its "
                f"line, so the value runs on to here: close it with {quote} on line {line + 1}",
            )
        return None
    if context == "while scanning a quoted scalar" and context_mark is not None:
        opening = lines[context_mark.line] if context_mark.line < len(lines) else ""
        quote = opening[context_mark.column : context_mark.column + 1] or '"'
        return (
            n + 1,
            col + 1,
            f"the quote {quote} opened on line {context_mark.line + 1}, column {context_mark.column + 1} "
            f"is never closed: end the value with {quote} on the same line",
        )
    for what, opener in _OPENERS.items():
        if context == f"while parsing {what}" and context_mark is not None:
            return (
                n + 1,
                col + 1,
                f"the {opener} opened on line {context_mark.line + 1}, column {context_mark.column + 1} "
                f"is not closed before this: close it with {_CLOSERS[opener]} (or put a comma between "
                "two items)",
            )
    return None
