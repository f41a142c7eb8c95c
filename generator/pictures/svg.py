"""What every picture is made of: the `Picture` a drawing returns, text measured and cut to fit,
URLs and names escaped, and the few SVG elements all drawings use.

Names are untrusted text: in the SVG every piece goes through `escape.inert`, which also turns
Markdown and template syntax (`*`, `_`, `[`, `{{`) into character references, because
Python-Markdown does not treat `<svg>` as a block-level element and so would otherwise apply
emphasis and links to the text inside the picture; the text versions, Markdown, use `escape.md`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from babel import Locale
from babel.lists import format_list

from ..escape import clean as _clean
from ..escape import inert, md
from ..i18n import current, is_rtl, locale_code
from ..model import BriefingData

Href = Callable[[str, str], str]
"""`href(kind, id)` -> relative URL of that entity's page; kind is meeting, event, actor or issue."""


@dataclass(frozen=True)
class Picture:
    svg: str
    """`<svg>…</svg>` on one line, no XML declaration; embed it inside a block-level element
    such as `<figure>` so that Markdown leaves it alone."""
    text: str
    """Markdown text equivalent (a list or a table), names escaped."""
    title: str
    """Plain, unescaped title: escape it wherever it is written."""

    def as_markdown(self) -> str:
        """The picture in a `<figure>` followed by its text equivalent, ready for a page."""
        return f'<figure class="bp-figure">{self.svg}</figure>\n\n{self.text}\n'


# --- text --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # a page's link recurs in every picture that shows it
def _attr_url(url: str) -> str:
    """A URL in a double-quoted attribute: XML-escape only, so the href reads as given."""
    return _clean(url).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _md_url(url: str) -> str:
    """A URL as a Markdown link destination: percent-encode what would end or break it."""
    out = _clean(url)
    for ch, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        out = out.replace(ch, code)
    return out


def _md_link(label: str, url: str) -> str:
    return f"[{md(label)}]({_md_url(url)})"


def _listed(items: Sequence[str], *, conjunction: bool = True) -> str:
    """Items in a list as the language being written joins them (CLDR): "a, b and c"; without the
    conjunction, every item joined as the middle ones are: "a, b, c" ("a、b、c" in Chinese)."""
    locale = locale_code()
    if conjunction:
        return format_list(list(items), "standard", locale)
    middle = Locale.parse(locale).list_patterns["standard"]["middle"]
    return functools.reduce(middle.format, items) if items else ""


@functools.cache  # one entry per distinct character
def _char_width(ch: str) -> float:
    """Advance width of one character in ems, erring wide so estimates don't collide."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch in "MWmw@%…":
        return 0.9
    if ch in "il.,:;'|!()[] ":
        return 0.32
    if ch.isupper():
        return 0.7
    return 0.58


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width of `text` at `font_size` (px), from its characters."""
    return _em_width(text) * font_size


@functools.lru_cache(maxsize=16384)
def _em_width(text: str) -> float:
    # The same names are measured on many pages of a briefing.
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=1 << 16)  # the same names and dates recur across pictures
def truncate(text: str, max_width: float, font_size: float) -> str:
    """`text`, shortened with an ellipsis if its estimated width exceeds `max_width`."""
    text = _clean(text)
    if text_width(text, font_size) <= max_width:
        return text
    limit = max_width - text_width("…", font_size)
    width = 0.0
    for i, ch in enumerate(text):
        width += _char_width(ch) * font_size
        if width > limit:
            return text[:i].rstrip() + "…"
    return text  # pragma: no cover - unreachable: the whole text was too wide


def _fill(text: str, max_width: float, font_size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines` lines, the last one truncated."""
    words = _clean(text).split(" ")
    lines: list[str] = []
    current, em = "", 0.0  # the line so far, and its width in ems
    space = _char_width(" ")
    for i, word in enumerate(words):
        # The candidate's width added up a character at a time, as `text_width` adds it up.
        width = em + space if current else 0.0
        for ch in word:
            width += _char_width(ch)
        if width * font_size <= max_width or not current:
            current, em = (f"{current} {word}" if current else word), width
            continue
        lines.append(current)
        current, em = word, sum(map(_char_width, word))
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    lines.append(current)
    return [truncate(line, max_width, font_size) for line in lines]


def _fits(whole: str, max_width: float, font_size: float, max_lines: int) -> bool:
    """Whether `_fill` keeps all of `whole` (clean text) at this width: no line of it shortened.
    Widths are added up as `_fill` and `truncate` add them, without making the lines."""
    words = whole.split(" ")
    space = _char_width(" ")
    em, lines = 0.0, 0  # the width of the line so far (0 before its first word), lines done
    for i, word in enumerate(words):
        width = em + space if em else 0.0
        for ch in word:
            width += _char_width(ch)
        if width * font_size <= max_width or not em:
            em = width
            continue
        if em * font_size > max_width:  # a line of one word too wide for it
            return False
        lines += 1
        if lines == max_lines - 1:
            return sum(map(_char_width, " ".join(words[i:]))) * font_size <= max_width
        em = sum(map(_char_width, word))
    return em * font_size <= max_width


@functools.lru_cache(maxsize=1 << 14)  # the same names are laid out on many pages
def _wrap(text: str, max_width: float, font_size: float, max_lines: int) -> tuple[str, ...]:
    """Word wrap into at most `max_lines` lines, the last one shortened if need be; the lines about
    as long as each other (as few as at `max_width`, made as narrow as they can be), so that no
    line holds a lone word."""
    lines = _fill(text, max_width, font_size, max_lines)
    whole = _clean(text)
    if len(lines) < 2 or " ".join(lines) != whole:  # one line, or shortened anyway
        return tuple(lines)
    low, high = text_width(whole, font_size) / len(lines), max_width
    while high - low > 1:
        middle = (low + high) / 2
        if _fits(whole, middle, font_size, len(lines)):
            high = middle
        else:
            low = middle
    return tuple(_fill(whole, high, font_size, len(lines)))


# --- SVG scaffolding ---------------------------------------------------------------------

_NS = "http://www.w3.org/2000/svg"
_BOLD = 1.12  # bold text runs this much wider than `text_width` estimates for regular
_FONT = 12.0


@functools.lru_cache(maxsize=1 << 14)  # a picture's grid repeats its coordinates
def _num(value: float) -> str:
    """Coordinates with at most one decimal, so output is short and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(kind: str, title: str, desc: str, width: float, height: float, body: Iterable[str]) -> str:
    """The picture, drawn at its own size (one unit a CSS pixel, so its text is as large as the
    page's small print; a figure too wide for the page scrolls sideways) and named by its title.
    A picture with links is a group whose links each take focus; one without is an image."""
    inner = "".join(body)
    if is_rtl(current()):  # a right-to-left language reads the picture from the right
        inner = mirror(inner, width)
    # Ids only need to be unique on a page; a digest of the content is, and stays stable.
    digest = hashlib.sha256(f"{title}\0{desc}\0{inner}".encode()).hexdigest()[:10]
    ident = f"bp-{kind}-{digest}"
    role = "group" if "<a " in inner else "img"
    w, h = _num(width), _num(height)
    return (
        f'<svg xmlns="{_NS}" class="bp-pic bp-{kind}" role="{role}" aria-labelledby="{ident}-title" '
        f'aria-describedby="{ident}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'style="max-width:none" fill="currentColor" font-family="sans-serif" font-size="{_num(_FONT)}">'
        f'<title id="{ident}-title">{inert(title)}</title><desc id="{ident}-desc">{inert(desc)}</desc>'
        f"{inner}</svg>"
    )


_TAG = re.compile(r"<(rect|text|circle|line|path)\b([^>]*)>")
_ATTR = re.compile(r'(?<![\w-])(x|cx|x1|x2|width|text-anchor|transform|d)="([^"]*)"')
_ROTATE = re.compile(r"rotate\((-?[\d.]+) (-?[\d.]+) (-?[\d.]+)\)")
_PATH_POINT = re.compile(r"([ML])(-?[\d.]+) (-?[\d.]+)")
_ANCHORS = {"start": "end", "end": "start", "middle": "middle"}


def mirror(inner: str, width: float) -> str:
    """A picture's elements turned right to left, their text still reading as written: every
    x measured from the right, text anchored at its other end, a rotated label leaning the other
    way. The pictures draw only rects, texts, circles, lines and straight paths."""

    def tag(m: re.Match[str]) -> str:
        name, attrs = m.group(1), m.group(2)
        found = dict(_ATTR.findall(attrs))

        def one(a: re.Match[str]) -> str:
            key, value = a.group(1), a.group(2)
            if key in ("x", "cx", "x1", "x2"):
                shift = float(found.get("width", 0)) if name == "rect" and key == "x" else 0.0
                return f'{key}="{_num(width - float(value) - shift)}"'
            if key == "text-anchor":
                return f'{key}="{_ANCHORS.get(value, value)}"'
            if key == "transform":
                return f'{key}="{_ROTATE.sub(lambda r: _rotate(r, width), value)}"'
            if key == "d":
                return f'{key}="{_PATH_POINT.sub(lambda q: _point(q, width), value)}"'
            return a.group()

        attrs = _ATTR.sub(one, attrs)
        if name == "text" and "text-anchor" not in found:
            attrs += ' text-anchor="end"'
        return f"<{name}{attrs}>"

    return _TAG.sub(tag, inner)


def _point(m: re.Match[str], width: float) -> str:
    command, x, y = m.groups()
    return f"{command}{_num(width - float(x))} {y}"


def _rotate(m: re.Match[str], width: float) -> str:
    angle, x, y = m.groups()
    return f"rotate({_num(-float(angle))} {_num(width - float(x))} {y})"


def _link(url: str, tooltip: str, inner: str, extra: str = "") -> str:
    return f'<a href="{_attr_url(url)}"{extra}><title>{inert(tooltip)}</title>{inner}</a>'


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start", extra: str = "") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}"{anchor_attr}{extra}>{inert(text)}</text>'


# --- names -------------------------------------------------------------------------------


class _Names:
    """Display names by (kind, id); an unknown id (validation reports it) shows as itself."""

    def __init__(self, data: BriefingData) -> None:
        self._names = _names(data)

    def __call__(self, kind: str, ident: str) -> str:
        return self._names.get((kind, ident), ident)

    def sort_key(self, kind: str) -> Callable[[str], tuple[str, str]]:
        return lambda ident: (_clean(self(kind, ident)).casefold(), ident)


def _names(data: BriefingData) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    names.update({("actor", a.id): a.name for a in data.actors})
    names.update({("issue", i.id): i.name for i in data.issues})
    names.update({("meeting", m.id): m.name for m in data.meetings})
    names.update({("event", e.id): e.name for e in data.events})
    return names
