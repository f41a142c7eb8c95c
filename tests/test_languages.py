"""Briefings in other languages: every generated word from the catalogs, complete for each shipped
language; dates by CLDR; a code without a catalog writes English and says so once; a bad code is an
error at its line; the site's pages carry their briefing's language and direction."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.paths import BRIEFING, FIXTURE, TESTS
from support.project import make_project

from generator import catalogs, environment, i18n, parts, words
from generator.build import build_pages
from generator.errors import Report
from generator.i18n import language

SHIPPED = ["en", "fr", "es", "ru", "ar", "zh", "de"]
FIXTURES = TESTS / "languages"  # a small briefing in each shipped language but English


def test_every_shipped_language_has_a_catalog() -> None:
    assert set(SHIPPED) <= set(i18n.available())
    assert i18n.available()[0] == "en"


def test_the_catalogs_hold_every_message_translated() -> None:
    """Every message the code uses is in the template and in each catalog, translated in every
    plural form the language has, with the same placeholders."""
    with catalogs.TEMPLATE.open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.read_po(f) if m.id}
    used = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.extract() if m.id}
    assert used == template, "run `python -m generator.catalogs` to bring the catalogs up to date"
    assert catalogs.problems() == []
    assert len(used) > 150


def _pages(folder: Path) -> dict[str, str]:
    report = Report()
    plan = build_pages(folder.parent, None, report)
    assert plan is not None and not report.errors, report.sorted()
    return {path: plan[path] for path in plan if path != "index.md"}


def _copy(tmp_path: Path, code: str, source: Path = FIXTURE) -> Path:
    folder = tmp_path / "briefings" / "b"
    shutil.copytree(source, folder)
    path = folder / "briefing.yaml"
    text = re.sub(r"(?m)^language:.*\n", "", path.read_text(encoding="utf-8"))
    path.write_text(text + f"language: {code}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("code", [c for c in SHIPPED if c != "en"])
def test_no_english_generated_words_in_another_language(tmp_path: Path, code: str) -> None:
    """The language's own briefing: no message of several words shows in English."""
    pages = _pages(_copy(tmp_path, code, FIXTURES / code))
    catalog = catalogs.read(code)
    english = [
        m.id
        for m in catalog
        if isinstance(m.id, str)
        and m.string
        and m.string != m.id
        and len(re.findall(r"[A-Za-z]+", m.id)) >= 2
    ]
    assert len(english) > 50
    for path, text in pages.items():
        plain = re.sub(r"\{\w+\}", "\0", text)
        for message in english:
            fixed = [part for part in re.split(r"\{\w+\}", message) if len(part.strip()) > 12]
            for part in fixed:
                assert part not in plain, f"{code}: {path} has English {part!r}"


class _Pseudo:
    """A catalog that marks every message, to find words that do not come from one."""

    def gettext(self, message: str) -> str:
        return f"\u27e6{message}\u27e7"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"\u27e6{singular if n == 1 else plural}\u27e7"


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    i18n.forget()
    monkeypatch.setattr(i18n, "translations", lambda code: _Pseudo())
    # Templates are compiled with their words in them: compile them afresh, with this catalog.
    monkeypatch.setattr(environment, "_bytecode_cache", lambda code: None)
    caches = (words._format_date, words._short_date, words._short_range, parts._stance, environment._env)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()
    monkeypatch.undo()
    i18n.forget()


_INNERMOST = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")
_MARKUP = [
    re.compile(p, re.S)
    for p in (
        r"\A---\n.*?\n---\n",  # front matter
        r"<style>.*?</style>",
        r"<[^>]+>",  # tags, with their attributes
        r"\]\([^)]*\)",  # link targets
        r"\{[^}]*\}",  # attribute lists
        r"(?m)^[ \t]*!!! \w+",  # admonitions
        r"&#?\w+;",
        r"https?://\S+",
    )
]


@pytest.mark.parametrize("code", ["ru", "zh", "ar"])
def test_every_generated_word_comes_from_the_catalog(tmp_path: Path, pseudo: None, code: str) -> None:
    """A briefing whose data is all in another script, rendered with a catalog that marks every
    message: once the messages, the markup and the data are taken out, no Latin word is left, so
    no template or picture writes a word of its own."""
    pages = _pages(_copy(tmp_path, code, FIXTURES / code))
    for path, text in pages.items():
        while (inner := _INNERMOST.sub(" ", text)) != text:  # messages inside messages
            text = inner
        for pattern in _MARKUP:
            text = pattern.sub(" ", text)
        left = sorted(set(re.findall(r"(?<![\w.-])[A-Za-z]{2,}(?![\w.-])", text)))
        assert left == [], f"{code}: {path} writes {left} outside the catalog"


@pytest.mark.parametrize(
    ("code", "day", "month", "year"),
    [
        ("en", "12 February 2016", "February 2016", "2016"),
        ("fr", "12 février 2016", "février 2016", "2016"),
        ("ru", "12 февраля 2016\u202fг.", "февраль 2016\u202fг.", "2016"),  # noqa: RUF001
        ("de", "12. Februar 2016", "Februar 2016", "2016"),
        ("es", "12 de febrero de 2016", "febrero de 2016", "2016"),
        ("zh", "2016年2月12日", "2016年2月", "2016年"),
    ],
)
def test_dates_by_cldr(code: str, day: str, month: str, year: str) -> None:
    with language(code):
        assert words.format_date("2016-02-12") == day
        assert words.format_date("2016-02") == month
        assert words.format_date("2016") == year


def test_plural_forms_follow_the_language() -> None:
    """Russian has three forms (1, 2 to 4, 5 to 20), Arabic six: each count gets its own."""
    pair = ("{n} meeting", "{n} meetings")
    with language("ru"):
        forms = {i18n.ngettext(*pair, n).format(n="N") for n in (1, 2, 5, 21, 22, 25)}
        assert len(forms) == 3, forms
    # Arabic: six forms (zero, one, two, few, many, other), each count its own in the catalog.
    assert catalogs.read("ar").num_plurals == 6
    assert len({i18n.translations("ar").plural(n) for n in (0, 1, 2, 3, 11, 100)}) == 6
    with language("ar"):
        assert len({i18n.ngettext(*pair, n) for n in (0, 1, 2, 3, 11, 100)}) >= 3


def _check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BRIEFING, "check", str(folder)], capture_output=True, text=True, timeout=120)


def test_a_language_without_a_catalog_builds_in_english_and_says_so(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "it")
    result = _check(folder)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    lines = [line for line in out.splitlines() if "language" in line and "'it'" in line]
    assert len(lines) == 1, out
    assert re.search(r"briefing\.yaml:\d+:\d+", lines[0]) and all(c in lines[0] for c in SHIPPED), lines[0]
    assert "Traceback" not in out
    english = _pages(folder)
    assert "Positions by issue" in english["b/actors/ana-reyes.md"]


@pytest.mark.parametrize("code", ["xx!", "english", "12"])
def test_an_invalid_language_code_is_an_error_at_its_line(tmp_path: Path, code: str) -> None:
    folder = _copy(tmp_path, f'"{code}"')
    result = _check(folder)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out
    line = next(line for line in out.splitlines() if "not a language code" in line)
    assert re.search(r"briefing\.yaml:\d+:\d+", line), line


def _built(tmp_path: Path, briefings: dict[str, Path]) -> Path:
    project = make_project(tmp_path / "project", briefings)
    subprocess.run(
        [BRIEFING.parent / "mkdocs", "build", "-q"], cwd=project, check=True, timeout=300, capture_output=True
    )
    return project / "site"


@pytest.mark.slow
def test_each_briefing_carries_its_language_and_search_knows_them(tmp_path: Path) -> None:
    """One site, three briefings: English, French and Arabic. Each briefing's pages say their
    language (and Arabic its direction) on their content; the interface stays the theme's; search
    stems and splits words in each."""
    site = _built(tmp_path, {"en-b": FIXTURE, "fr-b": FIXTURES / "fr", "ar-b": FIXTURES / "ar"})
    for slug, want in (("fr-b", ' lang="fr" dir="ltr"'), ("ar-b", ' lang="ar" dir="rtl"')):
        html = (site / slug / "actors" / "ana-reyes" / "index.html").read_text(encoding="utf-8")
        assert f'<article class="md-content__inner md-typeset"{want}>' in html
        assert '<html lang="en"' in html
    english = (site / "en-b" / "actors" / "ana-reyes" / "index.html").read_text(encoding="utf-8")
    assert '<article class="md-content__inner md-typeset">' in english
    index: dict[str, Any] = __import__("json").loads((site / "search" / "search_index.json").read_text())
    assert {"en", "fr", "ar"} <= set(index["config"]["lang"])


def _mark_x(page: str, meeting: str) -> float:
    m = re.search(rf'data-id="{meeting}"><title>[^<]*</title><circle [^>]*\bcx="([\d.]+)"', page)
    assert m, meeting
    return float(m.group(1))


def test_pictures_read_right_to_left_in_arabic(tmp_path: Path) -> None:
    """On the timeline the earlier meeting is to the right in Arabic, to the left otherwise; the
    lane titles start at the right; every label keeps its text."""
    arabic = _pages(_copy(tmp_path / "ar", "ar", FIXTURES / "ar"))["b/timeline/index.md"]
    english = _pages(_copy(tmp_path / "en", "en"))["b/timeline/index.md"]
    assert _mark_x(arabic, "harbour-talks-1") > _mark_x(arabic, "council-call")
    assert _mark_x(english, "harbour-talks-1") < _mark_x(english, "council-call")
    title = re.search(r'<text class="bp-lane-title" x="([\d.]+)"[^>]*text-anchor="end"', arabic)
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', arabic).group(1))  # type: ignore[union-attr]
    assert title and float(title.group(1)) > width / 2


@pytest.mark.parametrize(
    ("code", "head_box", "numbers"),
    [
        ("fr", "@top-left", '@bottom-right { content: "Page " counter(page) " sur " counter(pages); }'),
        ("ar", "@top-right", '@bottom-left { content: "الصفحة " counter(page) " من " counter(pages); }'),
    ],
)
def test_printed_sheets_number_their_pages_in_the_language(
    tmp_path: Path, code: str, head_box: str, numbers: str
) -> None:
    book = _pages(_copy(tmp_path, code, FIXTURES / code))["b/book.md"]
    style = book[book.rindex("<style>@media print") :]
    assert f'{head_box} {{ content: "' in style and numbers in style, style
    english = _pages(_copy(tmp_path / "en", "en"))["b/book.md"]
    assert "counter(page)" not in english  # print.css says it in English


def test_briefing_new_in_a_language(tmp_path: Path) -> None:
    args = ["new", "demo", "--root", str(tmp_path), "--schemas", str(tmp_path / "schemas")]
    subprocess.run([BRIEFING, *args, "--language", "fr"], check=True, capture_output=True, timeout=60)
    assert (tmp_path / "demo" / "briefing.yaml").read_text(encoding="utf-8").endswith("language: fr\n")
    assert _check(tmp_path / "demo").returncode == 0
    bad = subprocess.run(
        [BRIEFING, *args[:1], "bad", *args[2:], "--language", "xx!"], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "not a language code" in bad.stderr and not (tmp_path / "bad").exists()
