"""The words the generator writes, in each briefing's language.

Every word comes from a gettext catalog, `generator/locale/<language>/LC_MESSAGES/briefing.po`,
read with Babel (the standard Python tool for gettext catalogs and CLDR data: plural rules for
every language, so Russian's three forms and Arabic's six, and the dates of each
locale). The English text is the message id; `briefing.pot` lists every message, and a translator
edits one `.po` file, with no code. Templates use Jinja's i18n extension (`_()`, `ngettext()`);
Python code calls `_`/`ngettext` here. Which catalog answers is the language of the briefing
being rendered (`language()` around its render).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import re
from collections.abc import Iterator
from contextvars import ContextVar
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "briefing"
DEFAULT = "en"
_CURRENT: ContextVar[str] = ContextVar("briefing_language", default=DEFAULT)
# The locale whose dates English pages use: day, month, year ("12 February 2016").
_DATE_LOCALE = {"en": "en_GB"}
_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def available() -> list[str]:
    """The languages with a catalog, English first."""
    folder = resources.files("generator").joinpath("locale")
    found = sorted(p.name for p in folder.iterdir() if p.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file())
    return sorted(found, key=lambda code: code != DEFAULT)


def parse(code: str) -> Locale | None:
    """The locale a `language` code names (`fr`, `pt-BR`), or None when it names none."""
    if not _CODE.match(code):
        return None
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def shipped(code: str) -> str | None:
    """The catalog's language for a code (`fr-CA` is written in `fr`), or None without one."""
    langs = available()
    for candidate in (code.replace("_", "-"), code.split("-")[0].split("_")[0]):
        if candidate in langs:
            return candidate
    return None


def is_rtl(code: str) -> bool:
    loc = parse(code)
    return loc is not None and loc.character_order == "right-to-left"


@functools.lru_cache(maxsize=16)
def translations(code: str) -> Translations:
    """The language's catalog, compiled in memory from its `.po` (no compiled files to keep)."""
    path = resources.files("generator").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as f:
        catalog = read_po(f, locale=code.replace("-", "_"), domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


current = _CURRENT.get  # the language being written (a C call: pages ask for it thousands of times)


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    """Write in `code`'s catalog (English when it has none) until the block ends."""
    token = _CURRENT.set(shipped(code) or DEFAULT)
    try:
        yield
    finally:
        _CURRENT.reset(token)


# Each language's messages as looked up so far: a page asks for the same words hundreds of times.
_LOOKED_UP: dict[str, dict[str, str]] = {}


def _(message: str) -> str:
    """`message` in the current language."""
    code = _CURRENT.get()
    table = _LOOKED_UP.get(code)
    if table is None:
        table = _LOOKED_UP[code] = {}
    text = table.get(message)
    if text is None:
        text = table[message] = translations(code).gettext(message)
    return text


def forget() -> None:
    """Drop what the catalogs were read as (a test that swaps catalogs)."""
    _LOOKED_UP.clear()
    translations.cache_clear()


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, by the current language's plural rules."""
    return translations(_CURRENT.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is declared; `_` translates it where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair for the catalog where it is declared; `ngettext(*pair, n)` shows it."""
    return singular, plural


def locale_code() -> str:
    code = _CURRENT.get()
    return _DATE_LOCALE.get(code, code.replace("-", "_"))


def date_text(year: int, month: int | None, day: int | None, *, short: bool = False) -> str:
    """A date, a month or a year as the current language writes it (CLDR, through Babel)."""
    when = datetime.date(year, month or 1, day or 1)
    if month is None:
        skeleton = "y"
    elif day is None:
        skeleton = "yMMM" if short else "yMMMM"
    else:
        skeleton = "yMMMd" if short else "yMMMMd"
    return format_skeleton(skeleton, when, locale=locale_code())


def skeleton(pattern: str, when: datetime.date) -> str:
    """`when` by a CLDR skeleton in the current language: "MMMd" is "8 Oct", "8 oct.", "10月8日"."""
    return format_skeleton(pattern, when, locale=locale_code())
