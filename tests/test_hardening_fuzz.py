"""Property-based: whatever bytes, text or YAML shapes come in, the loader and validator answer with
their own diagnostics (a Report of Diagnostic objects), never an unexpected exception or a hang."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.built import shown
from support.hostile import hostile_briefing
from support.paths import MKDOCS_YML

from generator import read
from generator.environment import make_env
from generator.errors import Diagnostic, Report
from generator.escape import DROPPED, attr, md, page_title
from generator.kinds import COLLECTIONS
from generator.load import RawBriefing, load_briefing
from generator.model import BriefingData
from generator.read import RawFile, load_file
from generator.render import Renderer
from generator.validate import validate

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAST = settings(
    max_examples=150,
    deadline=3000,  # ms per example: a hang or a blow-up in time fails here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BRIEFING_YAML = 'title: "T"\nsummary: "S"\nas_of: 2016-10-20\n'
ENV = make_env()  # compiled templates are cached on it, so each example renders in milliseconds


def render(data: BriefingData) -> None:
    pages = Renderer(ENV, data).render()
    assert pages and all(isinstance(page.markdown, str) for page in pages)


# Fragments that mean something to YAML, to splice into otherwise well-formed documents.
YAML_BITS = [
    "[", "]", "{", "}", ":", ": ", "- ", ",", "&a ", "*a", "*b", "!!python/object/apply:os.system ",
    "!custom ", "!!str ", "!!binary ", "\t", "\n", "  ", "'", '"', "#", "|", ">", "? ", "---\n",
    "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "<<: *a\n", "\\", "\\x", "\x85", "\u2028", "\ufeff",
    "\x00", "\x7f", "\x1b", "@", "`", "\r", "\r\n", "~", "null", "no", "2016-13-45", "0x1F", ".inf",
    "=", "<<", "&a [*a, *a]", "{a: [", "é", "\U0001f600", "\ud7ff",
]  # fmt: skip


def check_report(report: Report, display: str | None = None) -> None:
    for d in report.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.severity in ("error", "warning")
        assert CODE.match(d.code), d
        assert d.line >= 1 and d.col >= 1, d
        assert d.message and "\n" not in d.message, d
        assert "Traceback" not in d.message
        if display is not None:
            assert d.path == display
        assert d.format().endswith(f"[{d.code}]")


def load_bytes(data: bytes) -> tuple[RawFile | None, Report]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "actors.yaml"
        path.write_bytes(data)
        report = Report()
        raw = load_file(path, "b/actors.yaml", report)
    check_report(report, "b/actors.yaml")
    if raw is None:
        assert report.errors, "a file was refused without saying why"
    else:
        assert not report.errors
        assert isinstance(raw, RawFile)
        assert raw.data is None or isinstance(raw.data, (str, list, dict))
    return raw, report


# Plain data as the loader hands it on: str, None, lists and string-keyed mappings.
scalars = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["a", "b", "x-1", "2016", "2016-10", "2016-10-15", "person", "favor", "bilateral"]),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
# YAML-dumpable trees: also numbers and booleans, as an analyst would write them.
yaml_trees = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    text = yaml.safe_dump(draw(yaml_trees), allow_unicode=draw(st.booleans()), sort_keys=False)
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "replace", "delete", "truncate", "indent"]))
        bit = draw(st.sampled_from(YAML_BITS))
        if op == "insert":
            text = text[:pos] + bit + text[pos:]
        elif op == "replace":
            text = text[:pos] + bit + text[pos + len(bit) :]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 5)) :]
        elif op == "truncate":
            text = text[:pos]
        else:
            start = text.rfind("\n", 0, pos) + 1
            text = text[:start] + " " * draw(st.integers(1, 3)) + text[start:]
    return text


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_give_diagnostics_only(data: bytes) -> None:
    load_bytes(data)


@FAST
@given(st.text(max_size=2000))
def test_random_text_gives_diagnostics_only(text: str) -> None:
    load_bytes(text.encode("utf-8", "surrogatepass"))


@FAST
@given(yaml_trees)
def test_dumped_yaml_loads_back_as_plain_data(tree: Any) -> None:
    raw, report = load_bytes(yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))
    if tree is None or tree == "":
        return
    assert raw is not None or report.errors


@FAST
@given(mutated_yaml())
def test_mutated_yaml_gives_diagnostics_only(text: str) -> None:
    load_bytes(text.encode("utf-8", "surrogatepass"))


@FAST
@given(mutated_yaml(), st.sampled_from(["briefing.yaml", *(f"{n}.yaml" for n in COLLECTIONS)]))
def test_mutated_briefing_folder_loads_and_validates_with_diagnostics_only(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        folder.mkdir()
        (folder / "briefing.yaml").write_text(BRIEFING_YAML, encoding="utf-8")
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        report = Report()
        result = validate(load_briefing(folder, report, Path(tmp)), report)
    check_report(report)
    assert all(d.path.startswith("demo") for d in report.diagnostics)
    if result.data is None:
        assert report.errors
    else:
        render(result.data)


@st.composite
def entries(draw: st.DrawFn, name: str) -> Any:
    """Mostly entry-shaped mappings: real field names with random values, now and then a stray."""
    fields = sorted(COLLECTIONS[name].model_fields)
    if draw(st.integers(0, 9)) == 0:
        return draw(trees)
    keys = draw(st.lists(st.sampled_from([*fields, "nmae", "<<"]), max_size=len(fields), unique=True))
    return {k: draw(trees) for k in keys}


@st.composite
def raw_briefings(draw: st.DrawFn) -> RawBriefing:
    meta = draw(
        st.one_of(
            trees,
            st.fixed_dictionaries(
                {"title": scalars, "summary": scalars, "as_of": scalars},
                optional={"period": trees, "tags": trees, "language": scalars},
            ),
        )
    )
    collections: dict[str, list[RawFile]] = {}
    for name in COLLECTIONS:
        files = []
        for n in range(draw(st.integers(0, 2))):
            items = draw(st.one_of(st.lists(entries(name), max_size=4), trees))
            files.append(RawFile(f"demo/{name}/{n}.yaml", items))
        collections[name] = files
    return RawBriefing("demo", Path("demo"), RawFile("demo/briefing.yaml", meta), collections)


@FAST
@given(raw_briefings())
def test_validator_answers_any_shape_of_data_with_diagnostics(raw: RawBriefing) -> None:
    report = Report()
    result = validate(raw, report)
    check_report(report)
    if result.data is not None:
        assert not report.errors
        render(result.data)


@st.composite
def nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(55, 75))
    style = draw(st.sampled_from(["flow-seq", "flow-map", "block-map", "block-seq", "mixed"]))
    if style == "flow-seq":
        return "[" * depth + "x" + "]" * depth + "\n"
    if style == "flow-map":
        return "{a: " * depth + "x" + "}" * depth + "\n"
    if style == "block-map":
        return "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"
    if style == "block-seq":
        return "- " * depth + "x\n"
    # Mappings in sequences, in block style, holding a flow of lists at the bottom.
    half = depth // 3
    return (
        "".join(" " * (2 * i) + "- k:\n" for i in range(half))
        + " " * (2 * half + 2)
        + "[" * (depth - 2 * half)
        + "]" * (depth - 2 * half)
        + "\n"
    )


@pytest.mark.parametrize("style", ["flow", "map", "block"])
def test_depth_limit_is_exact(style: str) -> None:
    def text(depth: int) -> str:
        if style == "flow":
            return "[" * depth + "]" * depth
        if style == "map":
            return "{a: " * depth + "x" + "}" * depth
        return "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"

    limit = read.MAX_DEPTH
    _, ok = load_bytes(text(limit).encode())
    assert [d.code for d in ok.diagnostics] == []
    _, deep = load_bytes(text(limit + 2).encode())
    assert [d.code for d in deep.diagnostics] == ["yaml-depth"]


def site_extensions() -> list[Any]:
    """The Markdown extensions of the repository's mkdocs.yml, with their settings."""
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    return [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]


MARKDOWN_EXTENSIONS = site_extensions()
SYNTAX = [
    *"!#*_-+=>|[](){}<>&`\\~:.1 \n\t\"'/@^$%",
    *(
        "!!! note ",
        "1. ",
        "&amp;",
        "&#34;",
        "<b>",
        "](",
        "![",
        "[x]: ",
        "{: ",
        "{{",
        "{%",
        "<http:",
        "\u202e",
    ),
    *("https://example.org/", "javascript:", " onmouseover=", "' style='", "  \n"),
]
markdownish = st.lists(
    st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs"]), st.sampled_from(SYNTAX)),
    max_size=40,
).map("".join)


def visible(html_text: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html_text, "html.parser").get_text().split())


@FAST
@given(markdownish)
@example('!!! note "Pwned"')
@example("1. first")
@example("- item")
@example("+ item")
@example("a | b")
@example("<script>x</script>")
@example("&copy; &#60;")
@example("[TOC]")
@example("![x style='animation:pulse 1s' onanimationstart='y' z](https://example.org/z.png)")
@example("https://[https://example.org/](javascript:alert(1))")
def test_md_filter_output_reads_back_as_the_same_text(text: str) -> None:
    """Through Python-Markdown with the site's extensions, in the places templates put values."""
    import markdown

    expected = shown(text)
    value = md(text)
    for source, prefix in (
        (f"Before.\n\n{value}\n", "Before. "),
        (f"# {value}\n", ""),
        (f"[{value}](x.md)\n", ""),
        (f"| A | B |\n| --- | --- |\n| {value} | b |\n", "A B "),
        (f'<p class="x" markdown>{value}</p>\n', ""),
    ):
        out = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS)
        if source.startswith("|"):
            assert out.count("<td>") == 2, out  # still two cells
            assert visible(out.split("<td>")[1]) == expected
        else:
            assert visible(out) == (prefix + expected).strip(), (source, out)
        assert "<script" not in out and "<b>" not in out and "admonition" not in out
        made = BeautifulSoup(out, "html.parser").find_all(True)
        assert {el.name for el in made} <= {
            "p",
            "h1",
            "a",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "bdi",
        }
        # No attribute comes from the value: only the template's own (the link, the class, the
        # heading's id, which the toc extension makes from the text).
        assert {n for el in made for n in el.attrs} <= {"href", "class", "id"}, out
        assert all(el.get("href") in (None, "x.md") for el in made), out


def attribute_value(text: str) -> str:
    """What the browser reads in an attribute written with `attr`: the text, whitespace collapsed,
    without the characters that `inert` drops (controls, direction controls)."""
    return " ".join(text.translate(DROPPED).split())


@FAST
@given(markdownish)
@example("![x style='animation:pulse 1s' onanimationstart='window.__pwned=61' y](https://example.org/z.png)")
@example("https://[https://www.reuters.com/world](javascript:window.__pwned=65)")
@example('" onmouseover="x')
@example("<https://example.org/> <a@b.org> `code` {: onclick=x } {{ 7*7 }} {% raw %}")
@example("[" * 200)
def test_attr_filter_output_is_one_attribute_value(text: str) -> None:
    """An attribute written with `attr`, where templates put them (a paragraph, a table cell, a
    `markdown` block, a list), comes out as that one attribute holding exactly the text, and the
    Markdown around it makes no element or attribute from the value."""
    import markdown

    span = f'<span class="bp-inferred" title="{attr(text)}">(inferred)</span>'
    assert "[" not in span and "`" not in span and "\\" not in span and "{" not in span
    for source in (
        f"On a date {span} here.\n",
        f"| A | B |\n| --- | --- |\n| {span} | b |\n",
        f'<p class="x" markdown>**Date** {span}</p>\n',
        f"- item {span}\n",
    ):
        out = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS)
        spans = BeautifulSoup(out, "html.parser").find_all("span")
        assert len(spans) == 1, out
        assert spans[0].attrs == {"class": ["bp-inferred"], "title": attribute_value(text)}, out
        assert spans[0].get_text() == "(inferred)"
        tags = {el.name for el in BeautifulSoup(out, "html.parser").find_all(True)}
        assert tags <= {"p", "span", "strong", "table", "thead", "tbody", "tr", "th", "td", "ul", "li"}, out


@settings(FAST, max_examples=60)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4))
def test_any_text_in_every_field_validates_and_renders_literally(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        for name, body in hostile_briefing(texts).items():
            folder.mkdir(exist_ok=True)
            (folder / name).write_text(body, encoding="utf-8")
        report = Report()
        result = validate(load_briefing(folder, report, Path(tmp)), report)
    assert [d.format() for d in report.errors] == []
    assert result.data is not None
    assert [a.name for a in result.data.actors][: len(texts)] == texts
    pages = {page.path: page.markdown for page in Renderer(ENV, result.data).render()}
    for k, text in enumerate(texts):
        page = pages[f"demo/actors/a-{k}.md"]
        assert f"\n# {md(text)}\n" in page
        assert yaml.safe_load(page.split("---\n")[1])["title"] == page_title(text)
