"""The hostile briefing: text an analyst could paste by mistake, or an attacker on purpose, in every
free-text field; and what on a built page could run it."""

from __future__ import annotations

import types
import typing
from typing import Any

from bs4 import BeautifulSoup
from pydantic import AfterValidator, BaseModel

from generator.kinds import COLLECTIONS
from generator.model import Briefing

from .data import dump

# Text an analyst could paste by mistake, or an attacker on purpose. Each must come out as the same
# visible characters (whitespace collapsed to single spaces), never as markup, script or template code.
PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "[click me](javascript:window.__pwned=1)",
    "javascript:window.__pwned=1",
    "{{ 7*7 }} {% raw %} {{ config }} {% endraw %}",
    "left | middle\nright | far\n\nnew paragraph",
    "`code` ``double`` ```fence```",
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    "<svg onload=window.__pwned=1><circle r=5></circle></svg>",
    "</title><script>window.__pwned=1</script>",
    "**bold** _it_ # not a heading",
    "&lt;script&gt; &amp; &#60;b&#62;",
    '<!-- a comment --> {: onclick="window.__pwned=1" } {#id .cls}',
    "1. not a list item",
    "- not a bullet",
    "DEL\x7fbreaks front matter <b onmouseover=window.__pwned=1>x</b>",
    "line\u2028separator and\x85next line",
    '" onmouseover="window.__pwned=1" x="',
    # Markdown that becomes a tag of its own inside an attribute, whose quotes end the attribute.
    "![x style='animation:pulse 1s' onanimationstart='window.__pwned=61' y](https://example.org/z.png)",
    "https://[https://www.reuters.com/world](javascript:window.__pwned=65)",
    '[a](https://example.org/ "t" onmouseover="window.__pwned=62") <https://example.org/" onfocus="x>',
    '<a@example.org" onmouseover="window.__pwned=63> `c" onmouseover="window.__pwned=64`',
    "[ref][r]\n\n[r]: javascript:window.__pwned=66\n\n&#34; onmouseover=&#34;window.__pwned=67",
    "Name \u202eevil reversed\u202c and \u2067isolate :smile: @user #12 ~~del~~ ==mark== ^^ins^^",
]
HOSTILE_URLS = [
    "javascript:window.__pwned=1",
    "x onmouseover=window.__pwned=1 style=display:block",
    'https://example.org/a"onmouseover="window.__pwned=1',
    "data:text/html,<script>window.__pwned=1</script>",
]
PAYLOAD_MARKERS = ("__pwned", "alert(1)")


def _unwrap(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """The type inside Optional[...] and Annotated[...], with the constraints gathered."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp, *more = typing.get_args(tp)
            metadata = [*metadata, *more]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(inner) != 1:
                return tp, metadata
            tp = inner[0]
        else:
            return tp, metadata


def _free_text(tp: Any, metadata: list[Any]) -> bool:
    """A str the analyst writes: no pattern (ids, hashes) and no validator (dates)."""
    tp, metadata = _unwrap(tp, metadata)
    return tp is str and not any(
        getattr(m, "pattern", None) or isinstance(m, AfterValidator) for m in metadata
    )


def fill_free_text(model: type[BaseModel], entry: dict[str, Any], text: str) -> dict[str, Any]:
    """`entry` with `text` in every free-text field of `model` that it leaves out, found from the
    model itself (a field added later is covered too): plain fields, lists of text, and nested
    entries (a list of them gets one, when all its required fields are text)."""
    for name, info in model.model_fields.items():
        tp, metadata = _unwrap(info.annotation, list(info.metadata))
        item = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        nested = item if isinstance(item, type) and issubclass(item, BaseModel) else None
        if nested is None and isinstance(tp, type) and issubclass(tp, BaseModel):
            if name in entry:
                fill_free_text(tp, entry[name], text)
        elif nested is not None:
            if name in entry:
                for sub in entry[name]:
                    fill_free_text(nested, sub, text)
            elif all(_free_text(f.annotation, list(f.metadata)) for f in nested.model_fields.values()
                     if f.is_required()):  # fmt: skip
                entry[name] = [fill_free_text(nested, {}, text)]
        elif name not in entry and _free_text(tp, metadata):
            entry[name] = text
        elif name not in entry and item is not None and _free_text(item, []):
            entry[name] = [text]
    return entry


def hostile_briefing(payloads: list[str] = PAYLOADS) -> dict[str, str]:
    """A valid briefing whose every free-text field holds one of `payloads`: entry k of each kind
    holds payloads[k] (ids, references, dates and choices stay plain), and every field the model
    calls free text is filled by `fill_free_text`, so no field can be left out by hand."""
    n = range(len(payloads))
    actors: list[dict[str, Any]] = [
        {"id": f"a-{k}", "classification": "person", "memberships": [{"organization": "org"}]} for k in n
    ]
    sources = [
        {"id": f"s-{k}", "date": "2016-10-01", **({"url": HOSTILE_URLS[k]} if k < len(HOSTILE_URLS) else {})}
        for k in n
    ]
    issues: list[dict[str, Any]] = [{"id": f"i-{k}"} for k in n]
    meetings = [
        {
            "id": f"m-{k}",
            "start_date": f"2016-10-{k % 28 + 1:02d}",
            "format": "bilateral",
            "host": "org",
            "attendees": [{"actor": f"a-{k}"}],
            "absentees": [{"actor": "org"}],
            "issues": [f"i-{k}"],
            "sources": [f"s-{k}"],
        }
        for k in n
    ]
    events = [
        {
            "id": f"e-{k}",
            "kind": "statement",
            "start_date": "2016-11",
            "actors": [f"a-{k}"],
            "sources": [f"s-{k}"],
        }
        for k in n
    ]
    quotes = [
        {"id": f"q-{k}", "speaker": f"a-{k}", "date": "2016-10-02", "source": f"s-{k}", "issues": [f"i-{k}"]}
        for k in n
    ]
    positions = [
        {
            "id": f"p-{k}",
            "actor": f"a-{k}",
            "issue": f"i-{k}",
            "stance": "favor",
            "date": "2016-10-03",
            "quotes": [f"q-{k}"],
            "sources": [f"s-{k}"],
        }
        for k in n
    ]
    disputes = [
        {
            "id": f"d-{k}",
            "issue": f"i-{k}",
            "accounts": [{"actor": f"a-{k}", "sources": [f"s-{k}"]}, {"actor": "org", "sources": [f"s-{k}"]}],
        }
        for k in n
    ]
    figures = [{"id": f"f-{k}", "issues": [f"i-{k}"], "sources": [f"s-{k}"]} for k in n]
    questions = [{"id": f"qn-{k}", "actors": [f"a-{k}"]} for k in n]
    documents = [
        {
            "id": f"doc-{k}",
            "kind": "agreement",
            "date": "2016-10-04",
            "status": "agreed",
            "parties": [{"actor": f"a-{k}", "role": "signed"}],
            "issues": [f"i-{k}"],
            "meetings": [f"m-{k}"],
            "events": [f"e-{k}"],
            "sources": [f"s-{k}"],
        }
        for k in n
    ]
    kinds = {
        "actors": actors,
        "issues": issues,
        "meetings": meetings,
        "events": events,
        "quotes": quotes,
        "positions": positions,
        "disputes": disputes,
        "figures": figures,
        "questions": questions,
        "documents": documents,
        "sources": sources,
    }
    assert set(kinds) == set(COLLECTIONS), "a new kind needs its skeleton here"
    for kind, entries in kinds.items():
        for k, entry in enumerate(entries):
            fill_free_text(COLLECTIONS[kind], entry, payloads[k])
    actors.append({"id": "org", "name": "Plain Organisation", "classification": "organization"})
    briefing = fill_free_text(Briefing, {"as_of": "2016-12-01", "summary": payloads[-1]}, payloads[0])
    briefing["language"] = "en"  # a language code, not text a reader sees (it picks the site's words)
    return {
        "briefing.yaml": dump(briefing),
        **{f"{kind}.yaml": dump(entries) for kind, entries in kinds.items()},
    }


def unsafe_markup(page: BeautifulSoup) -> list[str]:
    """Everything on a page that could run script or load a foreign frame, beyond Material's own."""
    found = []
    for script in page.find_all("script"):
        src = str(script.get("src", ""))
        inline = script.string or ""
        if src:
            if "assets/javascripts/" not in src or src.startswith(("http:", "https:", "//", "javascript:")):
                found.append(f"script src={src!r}")
        elif script.get("type") == "application/json" and script.get("id") == "__config":
            if any(m in inline for m in PAYLOAD_MARKERS):
                found.append(f"payload in Material's config: {inline[:80]!r}")
        elif any(m in inline for m in PAYLOAD_MARKERS):
            found.append(f"inline script {inline[:80]!r}")
    for el in page.find_all(True):
        for name, value in el.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"<{el.name} {name}={value!r}>")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"):
                for v in values:
                    scheme = "".join(str(v).split()).lower()
                    if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                        found.append(f"<{el.name} {name}={v!r}>")
        if el.name in ("iframe", "frame", "object", "embed", "img", "base", "applet"):
            found.append(f"<{el.name}>")
        if el.name == "form" and not any(c.startswith("md-") for c in el.get("class", [])):
            found.append("<form>")  # Material's search and palette forms are the only ones
        if el.name == "meta" and str(el.get("http-equiv", "")).lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    return found
