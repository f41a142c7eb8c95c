"""A Python-Markdown extension: each table's caption, and the scope of its header cells.

Markdown's tables have no caption, so the pages write it as the paragraph just before the table
(`parts.caption`: `<p class="bp-caption" markdown>…</p>`); this moves that paragraph into the table
as its `<caption>`, keeping its class (`briefing.css` hides it from sight, not from screen readers).
The header row's cells get `scope="col"`; with `bp-row-headers` on the caption, each row's first
cell becomes its header (`<th scope="row">`), as in the matrix of stances.

Nothing is parsed or written as text here: elements already made from escaped Markdown are moved,
so a value in a caption stays as inert as it was in the paragraph. Without this extension (an
engine that was not told of it) the paragraph stays where it is, hidden the same way, and the
table keeps its header row. The plugin adds it to the site's extensions (as `parts.CAPTIONS`).
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as etree

from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

from .parts import CAPTION, ROW_HEADERS


class _Captions(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        # Only elements holding a table (`find` looks at the children alone, in C): a page has
        # tens of thousands of elements, and a few dozen tables.
        for parent in [p for p in root.iter() if p.find("table") is not None]:
            children = list(parent)
            for before, table in itertools.pairwise(children):
                if table.tag != "table" or before.tag != "p":
                    continue
                classes = (before.get("class") or "").split()
                if CAPTION not in classes:
                    continue
                parent.remove(before)
                # Out of the search index: the heading above says the same, and a result would start with it.
                caption = etree.Element("caption", {"class": CAPTION, "data-search-exclude": ""})
                caption.text = before.text
                caption.extend(before)
                caption.tail = "\n"
                table.insert(0, caption)
                for th in table.iterfind("thead/tr/th"):
                    th.set("scope", "col")
                if ROW_HEADERS in classes:
                    for row in table.iterfind("tbody/tr"):
                        if len(row) and row[0].tag == "td":
                            row[0].tag = "th"
                            row[0].set("scope", "row")


class CaptionsExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline patterns (20), so the caption's content is final; before `prettify` (10).
        md.treeprocessors.register(_Captions(md), "briefing_captions", 15)


def makeExtension(**kwargs: object) -> CaptionsExtension:  # Python-Markdown's name for it
    return CaptionsExtension(**kwargs)
