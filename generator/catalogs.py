"""The message catalogs kept in step with the code: `python -m generator.catalogs` extracts every
message from the templates and the package into `locale/briefing.pot` and merges it into each
language's `briefing.po` (new messages come in empty, for the translator; gone ones are dropped).
`problems()` is what the test suite checks: a catalog that lacks a translation, keeps a fuzzy one,
or loses or invents a `{placeholder}`.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DEFAULT, DOMAIN

PACKAGE = Path(__file__).parent
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
_METHODS = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
_OPTIONS = {
    "templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
}
_KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NN_": (1, 2)}
_FIELD = re.compile(r"\{(\w*)\}")


def extract() -> Catalog:
    """Every message the package writes, with where it is used."""
    catalog = Catalog(
        project="briefing-site",
        domain=DOMAIN,
        fuzzy=False,
        header_comment="# The words of briefing-site's pages. Translate each msgstr, keeping every\n"
        "# {placeholder}; README.md, Languages, says how to add a language.",
    )
    found = extract_from_dir(
        str(PACKAGE), _METHODS, _OPTIONS, keywords=_KEYWORDS, comment_tags=("Translators:",)
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(code: str) -> Catalog:
    with po_path(code).open("rb") as f:
        return read_po(f, locale=code.replace("-", "_"), domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def update() -> None:
    """The template written afresh and merged into every language's catalog."""
    template = extract()
    _write(template, TEMPLATE)
    for code in languages():
        catalog = read(code)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(catalog, po_path(code))


def _texts(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return [text or "" for text in message.string]
    return [message.string or ""]


def problems() -> list[str]:
    """What is wrong with the shipped catalogs against the messages the code uses now."""
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m for m in extract() if m.id}
    out: list[str] = []
    for code in languages():
        catalog = read(code)
        where = po_path(code).relative_to(PACKAGE.parent)
        nplurals = catalog.num_plurals
        for key, message in wanted.items():
            got = catalog.get(message.id if isinstance(message.id, str) else message.id[0])
            if got is None:
                out.append(f"{where}: no entry for {key!r}")
                continue
            if code == DEFAULT:
                continue  # English: the message ids are the text
            strings = _strings(got)
            if got.fuzzy or not all(strings):
                out.append(f"{where}: {key!r} is not translated")
                continue
            if isinstance(message.id, (list, tuple)) and len(strings) != nplurals:
                out.append(f"{where}: {key!r} has {len(strings)} plural forms, the language has {nplurals}")
            fields = {f for text in _texts(message) for f in _FIELD.findall(text)}
            for text in strings:
                if set(_FIELD.findall(text)) - fields:
                    out.append(f"{where}: {key!r}: the translation names a placeholder the message has not")
                elif not isinstance(message.id, (list, tuple)) and set(_FIELD.findall(text)) != fields:
                    out.append(f"{where}: {key!r}: the translation drops a placeholder")
    return out


def main() -> None:
    update()
    found = problems()
    for line in found:
        print(line)
    print(f"{TEMPLATE.relative_to(PACKAGE.parent)}: {len(extract())} messages; {len(found)} problems")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
