"""The one place data becomes page text: Markdown text, attribute text, titles and link addresses."""

from __future__ import annotations

import re
import string

import pytest
from support.data import CLEAN, diagnose

from generator.escape import (
    _INERT,
    _MD,
    _SHORT,
    _TITLE,
    DROPPED,
    _translator,
    attr,
    css_string,
    inert,
    md,
    page_title,
    web_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.reuters.com/world/middle-east/",
        "http://example.org/a?b=1&c=(2)#frag",
        "HTTPS://EXAMPLE.ORG/",
        "https://[2001:db8::1]:8443/x",
        "https://example.org/a'b\"c",  # quotes are made inert where the address is written
    ],
)
def test_web_addresses_are_kept(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//example.org/no-scheme",
        "/relative/path",
        "example.org",
        "https://",
        "https:///path-without-host",
        "https://[https://www.reuters.com/world](javascript:alert(1))",
        "https://example.org:99999/bad-port",
        "https://exa mple.org/",
        "https://example.org/\x00",
        "https://example.org\\@evil.org/",
        "",
    ],
)
def test_anything_else_is_not_a_link(url: str) -> None:
    assert web_url(url) is None


def test_attribute_text_holds_no_character_any_markup_acts_on() -> None:
    hostile = "![x y='1' onload='z'](https://e.org/) `c` \\ {{ 7*7 }} {% x %} {: #id } <b> & \" | :e: @u #1"
    out = inert(hostile)
    bare = re.sub(r"&(#\d+|amp|lt|gt);", "", out)  # what is left besides character references
    assert set(bare) <= set(string.ascii_letters + string.digits + " ,.-"), bare
    assert attr(hostile) == out


def test_a_direction_control_cannot_reverse_the_text_around_a_value() -> None:
    assert md("Name \u202eevil") == "<bdi>Name \u202eevil</bdi>"
    assert md("\u2067isolate") == "<bdi>\u2067isolate</bdi>"
    assert inert("a\u202eb\u202cc\u2066d\u2069") == "abcd"  # an attribute cannot close them: dropped
    assert page_title("a\u202eb") == "ab"


def test_titles_escape_html_and_template_delimiters_only() -> None:
    assert page_title("Kerry & Lavrov (Geneva) {{ x }} <b>") == (
        "Kerry &amp; Lavrov (Geneva) &#123;&#123; x &#125;&#125; &lt;b&gt;"
    )


def test_markdown_text_escapes_what_markdown_and_templates_read() -> None:
    assert md("[a](javascript:x) {{ y }} *b* <i>") == r"\[a\](javascript:x) \{\{ y \}\} \*b\* &lt;i&gt;"


def test_a_source_url_that_is_not_http_is_a_warning(tmp_path: object) -> None:
    sources = CLEAN["sources.yaml"] + '  url: "javascript:alert(1)"\n'
    assert diagnose(tmp_path, {**CLEAN, "sources.yaml": sources}) == [
        "demo/sources.yaml:3:8: warning: url of source 'gazette-report' is not an http or https address "
        "with a host, so it is shown as text, not linked: write the full address, e.g. "
        "https://example.org/article [url-invalid]"
    ]


def test_the_printed_running_head_cannot_leave_its_css_string() -> None:
    out = css_string('Talks "x" \\ </style><script>{{ 7*7 }}')
    assert out == "Talks \\22 x\\22  \\5c  \\3c /style>\\3c script>\\7b \\7b  7*7 \\7d \\7d "
    assert not {'"', "<", "{", "}", "\n"} & set(out.replace("\\22 ", "").replace("\\3c ", ""))


@pytest.mark.parametrize("table", [_MD, _INERT, _TITLE, DROPPED], ids=["md", "inert", "title", "dropped"])
def test_values_are_translated_as_str_translate_does(table: dict[int, str | None]) -> None:
    """Every code point, in values short and long (each translated its own way), in runs."""
    every = "".join(map(chr, range(0x110000)))
    quick = _translator(table)
    assert quick(every) == every.translate(table)
    for start in range(0, len(every), _SHORT):
        chunk = every[start : start + _SHORT]
        assert quick(chunk) == chunk.translate(table)
