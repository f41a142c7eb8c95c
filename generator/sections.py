"""While serving: a long page (the briefing book) converted to HTML in parts, each kept until its
Markdown changes, so a save that changes one entry's section converts that section, not the book.

The parts are cut before a heading of level 1 to 3 at the top level (after a blank line, outside
any `<div markdown>` block), where Python-Markdown's block parser starts afresh; each is converted
as MkDocs converts a page (`Page.render`, with the page's own path, so links resolve the same) and
the HTML joined with newlines, as Python-Markdown joins the blocks of one document. (Nor inside a
fenced code block.) That holds only
for extensions that act inside a block, so with any other (footnotes, abbreviations, snippets…)
the page is converted whole, as it is when two parts give an element the same id (the `toc`
extension would have told them apart). `tests/test_sections.py` compares both ways."""

from __future__ import annotations

import re
from typing import Any

from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc

from .parts import CAPTIONS

# Extensions (as named in mkdocs.yml) that act within a block, never across the document.
# MkDocs adds toc, tables and fenced_code to every site's, the plugin `captions` (which moves a
# table's caption from the paragraph just before it, never across a heading).
LOCAL = frozenset({"tables", "attr_list", "md_in_html", "admonition", "toc", "fenced_code", CAPTIONS})
_HEADING = re.compile(r"#{1,3} ")
_DIV_OPEN = re.compile(r"<div\b[^>]*\bmarkdown\b[^>]*>\s*$")
_FENCE = re.compile(r"\s{0,3}(```|~~~)")


def split(markdown: str) -> list[str]:
    """`markdown` in parts that join back with newlines, cut where a new top-level block begins."""
    lines = markdown.split("\n")
    parts, start, depth, fenced = [], 0, 0, False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif fenced:
            continue
        elif _DIV_OPEN.match(line):
            depth += 1
        elif line.strip() == "</div>":
            depth = max(0, depth - 1)
        elif depth == 0 and i > start and _HEADING.match(line) and not lines[i - 1].strip():
            parts.append("\n".join(lines[start:i]))
            start = i
    parts.append("\n".join(lines[start:]))
    return parts


def _flat(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items:
        out.append({"level": item.level, "id": item.id, "name": item.title, "children": []})
        out.extend(_flat(item.children))
    return out


class Sections:
    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], tuple[str, list[dict[str, Any]], set[str]]] = {}
        self.converted = 0  # parts converted by the last `convert`

    def convert(
        self, page: Page, markdown: str, files: Files, config: MkDocsConfig
    ) -> tuple[str, TableOfContents, set[str]] | None:
        """(HTML, table of contents, anchors) of the page, or None: convert it whole."""
        if not LOCAL.issuperset(str(e) for e in config.markdown_extensions):
            return None
        uri, made, self.converted = page.file.src_uri, [], 0
        kept: dict[tuple[str, str], tuple[str, list[dict[str, Any]], set[str]]] = {}
        for part in split(markdown):
            key = (uri, part)
            done = self.kept.get(key)
            if done is None:
                stand_in = Page(None, File.generated(config, uri, content=part), config)
                stand_in.markdown, stand_in.meta = part, {}
                stand_in.render(config, files)
                done = (stand_in.content or "", _flat(stand_in.toc), set(stand_in.present_anchor_ids or ()))
                self.converted += 1
            kept[key] = done
            made.append(done)
        self.kept = {**{k: v for k, v in self.kept.items() if k[0] != uri}, **kept}
        anchors: set[str] = set()
        for _, _, ids in made:
            if anchors & ids:  # the whole page would have told them apart
                return None
            anchors |= ids
        html = "\n".join(h for h, _, _ in made)
        tokens = [dict(t, children=[]) for _, toc, _ in made for t in toc]
        return html, get_toc(nest_toc_tokens(tokens)), anchors
