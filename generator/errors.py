"""Diagnostics: every problem is collected with its place, then reported at once."""

from __future__ import annotations

import difflib
import itertools
import operator
import os
import re
import shlex
import shutil
import sys
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
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


_ORDER = operator.attrgetter("path", "line", "col", "severity", "message", "code")


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
        # By the fields in order, as the dataclass compares them, without its __lt__ per comparison
        # (a third of a second for 40,000 diagnostics).
        return sorted(set(self.diagnostics), key=_ORDER)

    def summary(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        return f"{count(len(self.errors), 'error')}, {count(len(self.warnings), 'warning')}"


CUTOFF = 0.6  # difflib's default: below it, a suggestion is more often wrong than right
# Up to this many choices (keys, closed choices, file names) each word is compared with all of
# them, exactly as difflib.get_close_matches does; more (ids) go through an index, since comparing
# N unknown references with N ids costs N² (20,000 of each took a quarter of an hour).
SCAN_LIMIT = 64
# Index B cuts every choice into this many parts: two edits spoil at most two, so a choice within
# two edits keeps at least two parts in place (give or take the shift of a letter added or lost).
_PARTS = 4
# A part shared by more choices than this says little about which one is meant, and looking it up
# would make the work per word grow with the number of choices: it is taken as matching instead.
_CROWDED = 128
_SHIFTS = {-2: (-2, -1, 0), -1: (-1, 0), 0: (-1, 0, 1), 1: (0, 1), 2: (0, 1, 2)}  # by len(word) - len(choice)


class Suggester:
    """The closest of a fixed set of choices to a word that is not one of them, or None.

    Closest as difflib.get_close_matches(word, choices, n=1, cutoff=0.6) measures it (its ratio,
    the same cutoff, and of equal ratios the larger string), among:

    - every choice, when there are at most SCAN_LIMIT: difflib's very answer;
    - otherwise only the choices an ordinary typo away, found through two indexes built at the
      first question: A, each choice and the choice less any one letter, finds one letter wrong,
      missing or extra, or two neighbours swapped; when A finds nothing, B, the choices' parts in
      place, finds two letters wrong, missing or extra (a swap counts as two). A farther choice
      that difflib would still call close (another word ending, say) is not suggested.

    A word with letters from other scripts is compared as the ASCII it imitates (see skeleton), and
    choices that are not ASCII (refused ids) are never suggested: they would look just like it.
    Answers are remembered, so a misspelling repeated a thousand times is looked up once. The
    choices must not change after the first question. `compared` counts the choices compared with
    a word so far: the work, which stays in proportion to the words asked about."""

    def __init__(self, choices: Collection[str]) -> None:
        self._choices = choices
        self._answers: dict[str, str | None] = {}
        self._scan: list[str] | None = None
        self._near: dict[str, str] = {}  # index A
        self._also_near: dict[str, list[str]] = {}
        self._parts: _Parts | None = None  # index B, built when first needed
        self._pairs: dict[str, tuple[int, int]] = {}
        self._matcher = difflib.SequenceMatcher()
        self._longest = 0
        self.compared = 0

    def closest(self, word: str) -> str | None:
        if word not in self._answers:
            self._answers[word] = self._find(skeleton(word))
        return self._answers[word]

    def _find(self, word: str) -> str | None:
        if self._scan is None and not self._near:
            plain = [c for c in self._choices if c.isascii()]
            if len(plain) <= SCAN_LIMIT:
                self._scan = sorted(plain)
            else:
                self._near, self._also_near = _deletions_index(plain)
                self._longest = max(map(len, plain))
        if self._scan is not None:
            self.compared += len(self._scan)
            close = difflib.get_close_matches(word, self._scan, n=1, cutoff=CUTOFF)
            return close[0] if close else None
        if len(word) > self._longest + 2:  # nothing within two edits; and A would cost len(word)²
            return None
        candidates = self._one_typo(word) or self._two_typos(word)
        self.compared += len(candidates)
        return self._best(word, candidates)

    def _one_typo(self, word: str) -> set[str]:
        near = self._near
        variants = [word[:i] + word[i + 1 :] for i in range(len(word) + 1)]
        found = {near[v] for v in variants if v in near}
        if found and self._also_near:
            for variant in variants:
                found.update(self._also_near.get(variant, ()))
        return found

    def _two_typos(self, word: str) -> list[str]:
        if self._parts is None:
            self._parts = _parts_index(c for c in self._choices if c.isascii())
        n, pairs = len(word), _pairs(word)
        found = []
        for length in range(max(1, n - 2), n + 3):
            parts = self._parts.get(length, [])
            needed = max(1, len(parts) - 2)
            hits: list[str] = []
            for start, end, table in parts:
                postings = [
                    table.get(word[start + s : end + s], ()) for s in _SHIFTS[n - length] if start + s >= 0
                ]
                if any(len(p) > _CROWDED for p in postings):
                    needed -= 1
                else:
                    hits += itertools.chain.from_iterable(postings)
            if needed < 1:  # any choice of this length might do: too many to compare
                continue
            counted = [choice for choice, count in Counter(hits).items() if count >= needed]
            self.compared += len(counted)
            found += [choice for choice in counted if self._pairs_allow(pairs, choice)]
        return found

    def _pairs_allow(self, pairs: tuple[int, int], choice: str) -> bool:
        """False when the two words cannot be two edits apart: an edit changes at most two of
        the letter pairs in a word."""
        theirs = self._pairs.get(choice)
        if theirs is None:
            theirs = self._pairs[choice] = _pairs(choice)
        return (pairs[0] & theirs[0]).bit_count() >= max(pairs[1], theirs[1]) - 4

    def _best(self, word: str, candidates: Iterable[str]) -> str | None:
        """difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)[0], or None.

        Without its quick_ratio checks: they only skip a ratio that is sure to be too low, and the
        few candidates here are near misses."""
        matcher = self._matcher
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for choice in candidates:
            matcher.set_seq1(choice)
            score = (matcher.ratio(), choice)
            if score[0] >= CUTOFF and (best is None or score > best):
                best = score
        return best[1] if best else None


_Parts = dict[int, list[tuple[int, int, dict[str, list[str]]]]]


def _deletions_index(choices: Iterable[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each choice, and each choice less one letter, to the choice it comes from; and to the
    others, in the rare case of more than one (kept apart: a list for each would double the time
    and memory)."""
    first: dict[str, str] = {}
    others: dict[str, list[str]] = {}
    for choice in choices:
        for variant in [choice[:i] + choice[i + 1 :] for i in range(len(choice) + 1)]:
            if first.setdefault(variant, choice) is not choice:
                others.setdefault(variant, []).append(choice)
    return first, others


def _parts_index(choices: Iterable[str]) -> _Parts:
    """By length, for each of the _PARTS parts: (start, end, the part's text -> choices)."""
    index: _Parts = {}
    for choice in choices:
        n = len(choice)
        if n not in index:
            cuts = [(n * k // _PARTS, n * (k + 1) // _PARTS) for k in range(_PARTS)]
            index[n] = [(start, end, {}) for start, end in cuts if end > start]
        for start, end, table in index[n]:
            table.setdefault(choice[start:end], []).append(choice)
    return index


def _pairs(word: str) -> tuple[int, int]:
    """The word's letter pairs (and its start and end) as bits of an int, and how many bits are set.

    Pairs that share a bit only make more words pass _pairs_allow, never fewer; a fixed mapping,
    unlike hash(), keeps the answers the same from run to run."""
    padded = f"\x00{word}\x00"
    bits = 0
    for a, b in itertools.pairwise(padded):
        bits |= 1 << (ord(a) * 131 + ord(b)) % 251
    return bits, bits.bit_count()


def did_you_mean(word: str, choices: Collection[str] | Suggester) -> str:
    """'; did you mean 'x'?' for the closest choice, or '' when none is close.

    For many questions about one large set of choices, pass one Suggester for all of them."""
    suggester = choices if isinstance(choices, Suggester) else Suggester(choices)
    close = suggester.closest(word)
    return f"; did you mean '{close}'?" if close else ""


# Letters of other scripts that look like ASCII ones in most fonts. NFKD already takes care of
# fullwidth forms, ligatures and accents; these it leaves alone.
_LOOKALIKES = str.maketrans(
    {
        unicodedata.lookup(name): plain
        for plain, names in {
            "a": ("CYRILLIC SMALL LETTER A", "GREEK SMALL LETTER ALPHA", "LATIN SMALL LETTER ALPHA"),
            "c": ("CYRILLIC SMALL LETTER ES",),
            "d": ("CYRILLIC SMALL LETTER KOMI DE",),
            "e": ("CYRILLIC SMALL LETTER IE",),
            "g": ("LATIN SMALL LETTER SCRIPT G",),
            "h": ("CYRILLIC SMALL LETTER SHHA",),
            "i": (
                "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
                "GREEK SMALL LETTER IOTA",
                "LATIN SMALL LETTER DOTLESS I",
            ),
            "j": ("CYRILLIC SMALL LETTER JE",),
            "k": ("GREEK SMALL LETTER KAPPA",),
            "l": ("CYRILLIC SMALL LETTER PALOCHKA",),
            "o": ("CYRILLIC SMALL LETTER O", "GREEK SMALL LETTER OMICRON", "ARMENIAN SMALL LETTER OH"),
            "p": ("CYRILLIC SMALL LETTER ER", "GREEK SMALL LETTER RHO"),
            "q": ("CYRILLIC SMALL LETTER QA",),
            "s": ("CYRILLIC SMALL LETTER DZE",),
            "u": ("GREEK SMALL LETTER UPSILON",),
            "v": ("GREEK SMALL LETTER NU",),
            "w": ("CYRILLIC SMALL LETTER WE",),
            "x": ("CYRILLIC SMALL LETTER HA",),
            "y": ("CYRILLIC SMALL LETTER U",),
            "-": ("HYPHEN", "NON-BREAKING HYPHEN", "FIGURE DASH", "EN DASH", "EM DASH", "MINUS SIGN"),
        }.items()
        for name in names
    }
)


def skeleton(text: str) -> str:
    """The ASCII that `text` looks like: a Cyrillic ie (U+0435) becomes a Latin 'e', a fullwidth
    letter the plain one, an accented letter the letter without its accent. Characters with no
    ASCII look-alike stay as they are."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LOOKALIKES)


def _escaped(char: str) -> str:
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


_NAMED = 3  # non-ASCII characters named in a message; the others are counted


def quoted(text: str) -> str:
    """`text` in quotes for a message; a character outside ASCII as its code point, and named.

    A Cyrillic ie looks just like a Latin 'e', so a message quoting the id as written would seem
    to refuse a good one: "'john-k\\u0435rry' (U+0435 CYRILLIC SMALL LETTER IE at position 7)"."""
    if text.isascii():
        return f"'{text}'"
    odd = [(n, c) for n, c in enumerate(text, 1) if not c.isascii()]
    shown = "".join(c if c.isascii() else _escaped(c) for c in text)
    names = ", ".join(
        f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')} at position {n}" for n, c in odd[:_NAMED]
    )
    more = f", and {len(odd) - _NAMED} more outside ASCII" if len(odd) > _NAMED else ""
    return f"'{shown}' ({names}{more})"


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
