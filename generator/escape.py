"""Where a value from the data becomes page text: the one place that makes it inert.

Three contexts, one function each (and `page_title` for front matter and `css_string` for the
printed running head, which no Markdown reads); templates and pictures use nothing else:

- `md(value)`: Markdown text (a cell, a paragraph, a link label). HTML specials become character
  references; what Markdown, attribute lists or a template engine would read (`` \\`*_{}[]#| ``)
  gets a backslash, so the Markdown written by `briefing render --out` still reads as text.
- `inert(value)`: text inside an HTML or SVG attribute, or SVG text. Every ASCII punctuation
  mark but `,.-` becomes a character reference, which no Markdown syntax, extension (links,
  emphasis, `{: attr lists}`, pymdownx's `~~ ^^ == :emoji: @mention`) or template delimiter
  (`{{ }}`, `{% %}`) acts on, while the browser shows the character. Python-Markdown takes a raw
  tag as a whole only after its link, image, code and autolink patterns have run over it: a
  Markdown link inside an attribute would otherwise become a tag of its own, whose quotes end
  the attribute.
- `web_url(value)`: an address for a link: parsed, and kept only when it is http or https with a
  host. Anything else (`javascript:`, `data:`, a relative path, a value Markdown would read) is
  None and is shown as text, not linked.

All three drop control characters and the bidirectional embedding and isolate controls where
they could not be closed again (an attribute); in Markdown text a value holding one is isolated
in `<bdi>`, so it cannot reverse the sentence around it.

Markdown's work per value is bounded: no escape leaves a run that its link patterns backtrack
over, and the checker refuses a value with more than `read.MAX_MARKUP_CHARS` characters that
Markdown handles one at a time.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urlsplit

# Invisible, and Python-Markdown takes \x02 and \x03 for its own placeholders; C1 controls and
# lone surrogates are not text either (XML 1.0 forbids them in pictures). Those Python counts as
# whitespace (tab, line breaks, NEL, the separators \x1c-\x1f) are collapsed to a space instead.
_CONTROLS = [c for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]
_SURROGATES = range(0xD800, 0xE000)
# Embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_HAS_BIDI_CONTROL = re.compile(f"[{_BIDI_CONTROLS}]")

DROPPED: dict[int, None] = dict.fromkeys([*_CONTROLS, *_SURROGATES, *map(ord, _BIDI_CONTROLS)])
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INERT = str.maketrans(
    DROPPED | {c: _NAMED.get(c, f"&#{ord(c)};") for c in string.punctuation if c not in ",.-"}
)

_MD = str.maketrans(
    dict.fromkeys([*_CONTROLS, *_SURROGATES])
    | {**_NAMED, '"': "&quot;"}
    | {c: "\\" + c for c in "\\`*_{}[]#|"}
)
_TITLE = str.maketrans(DROPPED | _NAMED | {'"': "&quot;", "|": "&#124;", "{": "&#123;", "}": "&#125;"})


_SHORT = 1000  # characters: see `_translator`


def _translator(table: Mapping[int, str | None]) -> Callable[[str], str]:
    """`text.translate(table)`, for a value of up to `_SHORT` characters by one regular-expression
    pass over just the characters the table maps. `str.translate` looks every character up in
    the table, and when one maps to more than a character or the text is not all ASCII (an en
    dash in a date range is enough) each look-up costs about a tenth of a microsecond, while most
    of a value's characters are not in the table. A longer value (rare) is translated as it is:
    one call per mapped character would cost more there, were most of them mapped."""
    out = {chr(c): "" if v is None else v for c, v in table.items()}
    mapped = re.compile("[" + "".join(_class(a, b) for a, b in _runs(sorted(table))) + "]")
    one = lambda m: out[m.group()]  # noqa: E731
    return lambda text: mapped.sub(one, text) if len(text) <= _SHORT else text.translate(table)


def _runs(codes: list[int]) -> Iterator[tuple[int, int]]:
    """Sorted code points as (first, last) of each run of consecutive ones."""
    start = end = codes[0]
    for c in codes[1:]:
        if c != end + 1:
            yield start, end
            start = c
        end = c
    yield start, end


def _class(first: int, last: int) -> str:
    """Code points `first` to `last` as written inside a regular expression's character class."""
    return f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}"


_md_chars, _inert_chars, _title_chars = _translator(_MD), _translator(_INERT), _translator(_TITLE)
_without_dropped = _translator(DROPPED)


def clean(text: str) -> str:
    """Whitespace collapsed; control characters and surrogates, which XML 1.0 forbids, and the
    direction controls dropped. Format characters (joiners, direction marks) stay: scripts and
    names need them."""
    return " ".join(_without_dropped(text).split())


_ORDERED = re.compile(r"^(\d+)\.")  # "1." would start a numbered list
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo… and their presentation forms).
_R = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
# A run of them, with the spaces between words: one isolate per name, not per value, so a sentence
# that starts with an Arabic name still reads left to right.
_RTL_RUN = re.compile(f"[{_R}](?:[{_R}\\s]*[{_R}])?")


def md(text: object) -> str:
    """Data as literal inline Markdown: no markup, HTML or line breaks can come through."""
    return _md(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=1 << 16)  # names and titles come back on page after page
def _md(text: str) -> str:
    s = " ".join(_md_chars(text).split())
    if s[:1] in ("-", "+", "!"):  # would start a list, or an admonition ("!!! note")
        s = "\\" + s
    elif s[:1].isdigit():
        s = _ORDERED.sub(r"\1\\.", s)
    if s.isascii():
        return s
    # Isolated, so an Arabic or Hebrew name does not drag the punctuation and numbers next to it
    # into its own direction, and a direction control cannot reach past the value.
    s = _RTL_RUN.sub(r"<bdi>\g<0></bdi>", s)
    return f"<bdi>{s}</bdi>" if _HAS_BIDI_CONTROL.search(s) else s


@functools.lru_cache(maxsize=1 << 16)  # the same names and dates recur across pictures
def inert(text: str) -> str:
    """Data inside an HTML or SVG attribute value, or SVG text: plain text to every parser."""
    return " ".join(_inert_chars(text).split())


def attr(value: object) -> str:
    """`x|attr` in templates: `inert` for any value."""
    return inert(value if isinstance(value, str) else str(value))


def page_title(value: object) -> str:
    """A page's title for front matter. Themes put it into their HTML as it is (the header, the
    navigation, `<title>`), and no Markdown reads it: HTML specials and template delimiters only."""
    return " ".join(_title_chars(str(value)).split())


def css_string(value: object) -> str:
    """Text inside a double-quoted CSS string in a `<style>` block (the printed running head):
    CSS escapes for what would end the string or the block, or start a template delimiter."""
    text = clean(str(value))
    return "".join(f"\\{ord(c):x} " if c in '\\"<{}' else c for c in text)


def web_url(value: object) -> str | None:
    """`value` when it is an http or https address with a host, else None."""
    url = str(value).strip()
    if not url or any(c.isspace() or ord(c) in DROPPED for c in url):
        return None
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError:  # a bracketed host that is not an IPv6 address, a bad port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "\\" in url:
        return None
    return url
