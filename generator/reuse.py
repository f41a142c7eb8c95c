"""Work a build would do for nothing, avoided: pictures and styles kept away from Markdown and
the search index, and, while serving, the HTML of pages a save did not change, the theme's compiled
templates and the list of its files kept from one rebuild to the next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .parts import PRINT_STYLE
from .sections import Sections

# The raw HTML a page carries that Markdown and the search index would parse only to pass it on
# unchanged: pictures (a third of an actor page) and the running head's print style.
_ASIDE = re.compile(
    r'<figure class="bp-figure" data-search-exclude><svg\b.*?</svg></figure>'
    r"|" + PRINT_STYLE,
    re.S,
)
_SLOT = '<div data-bp-aside="{}"></div>'
_SLOT_RE = re.compile(re.escape(_SLOT).replace(r"\{\}", r"(\d+)"))


class Passthrough:
    """Sets such blocks aside before Markdown, leaving an empty slot, and puts them back into the
    finished page (a sixth of the build at 1,000 actors, for the same bytes)."""

    def __init__(self) -> None:
        self.aside: dict[str, list[str]] = {}  # page -> its blocks, until the page is finished

    def set_aside(self, page: str, markdown: str) -> str:
        blocks: list[str] = []

        def slot(m: re.Match[str]) -> str:
            blocks.append(m.group())
            return _SLOT.format(len(blocks) - 1)

        markdown = _ASIDE.sub(slot, markdown)
        if blocks:
            self.aside[page] = blocks
        return markdown

    def put_back(self, page: str, html: str) -> str:
        blocks = self.aside.pop(page, None)
        return _SLOT_RE.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html


SECTIONED_MIN = 64 * 1024  # Markdown of a page converted in parts while serving (the book)


@dataclass(frozen=True)
class _Converted:
    key: tuple[str, str]  # (the build's signature, the page's Markdown)
    html: str
    toc: Any
    anchors: set[str] | None


def _reusable(page: Page) -> bool:
    """Whether this MkDocs' pages have what a reused conversion restores (MkDocs 1.6.1 has);
    without them a page is converted as usual, slower but right."""
    return all(hasattr(page, name) for name in ("toc", "present_anchor_ids", "links_to_anchors"))


class Conversions:
    """What Markdown made of each page, kept while serving: a rebuild reuses it when the page's
    Markdown and the site's set of files are unchanged, so a save re-converts only the pages it
    changed (an actor's summary: two pages of 130 in the Syria briefing); and of a long page (the
    book), only the parts that changed (`sections.py`)."""

    def __init__(self) -> None:
        self.done: dict[str, _Converted] = {}  # this build's, by page
        self.previous: dict[str, _Converted] = {}  # the last build's
        self.pending: dict[str, tuple[str, str]] = {}  # page -> key, while Markdown runs
        self.reused: dict[str, tuple[str, _Converted]] = {}  # page -> (its Markdown, what is reused)
        self.signature: str | None = None
        self.sections = Sections()  # long pages, converted in parts

    def new_build(self) -> None:
        self.previous, self.done, self.signature = self.done, {}, None

    def before(self, page: Page, markdown: str, files: Files, config: MkDocsConfig) -> str:
        """The Markdown to convert: none, when the last build's HTML will do."""
        if not _reusable(page):  # an MkDocs without the attributes `after` restores: convert
            return markdown
        uri, key = page.file.src_uri, (self._signature(files, config), markdown)
        done = self.previous.get(uri)
        if done is None or done.key != key:
            done = None
            if len(markdown) >= SECTIONED_MIN and (
                got := self.sections.convert(page, markdown, files, config)
            ):
                done = _Converted(key, *got)
        if done is not None:
            self.reused[uri] = (markdown, done)
            return ""
        self.pending[uri] = key
        return markdown

    def after(self, page: Page, html: str) -> str:
        """The page's HTML: as converted now (and kept), or as kept from the last build."""
        uri = page.file.src_uri
        if (hit := self.reused.pop(uri, None)) is not None:
            # What `Page.render` (mkdocs/structure/pages.py, MkDocs 1.6.1) sets besides the HTML:
            # the table of contents, the anchors it found (for other pages' links to them) and the
            # anchors this page links to, which `Page.validate_anchor_links` would check again.
            page.markdown, done = hit
            page.toc, page.present_anchor_ids = done.toc, done.anchors
            page.links_to_anchors = None  # checked when it was converted
            self.done[uri] = done
            return done.html
        if (key := self.pending.pop(uri, None)) is not None:
            self.done[uri] = _Converted(key, html, page.toc, page.present_anchor_ids)
        return html

    def _signature(self, files: Files, config: MkDocsConfig) -> str:
        """What, besides a page's own Markdown, decides the HTML Markdown makes of it."""
        if self.signature is None:
            self.signature = repr(
                (
                    sorted(f.src_uri for f in files),
                    config.markdown_extensions,
                    config.mdx_configs,
                    config.use_directory_urls,
                )
            )
        return self.signature


class ThemeFiles:
    """The installed theme's files listed once while serving. Each build MkDocs lists every file of
    the theme's folders to copy its assets (Material has 14,500, mostly icons: a tenth of a second
    at every save); only the site's override folder (`custom_dir`) is listed again each time, as
    it is the one edited while serving."""

    def __init__(self) -> None:
        self.listed: dict[tuple[Any, ...], list[str]] = {}

    def apply(self, config: MkDocsConfig) -> None:
        theme = config.theme
        make = theme.get_env
        custom = theme.custom_dir
        installed = tuple(d for d in theme.dirs if d != custom)

        def get_env() -> Environment:
            env = make()
            if type(env.loader) is not FileSystemLoader or list(env.loader.searchpath) != list(theme.dirs):
                return env  # not the loader this knows how to list: MkDocs lists it as usual

            def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
                key = (installed, tuple(theme.static_templates), extensions, filter_func is None)
                if key not in self.listed:
                    self.listed[key] = _listed(installed, extensions, filter_func)
                names = set(self.listed[key])
                if custom:
                    names.update(_listed((custom,), extensions, filter_func))
                return sorted(names)

            env.list_templates = list_templates  # type: ignore[method-assign]
            return env

        theme.get_env = get_env  # type: ignore[method-assign]


def _listed(dirs: tuple[str, ...], extensions: Any, filter_func: Any) -> list[str]:
    """What `Environment.list_templates` gives for these folders alone."""
    env = Environment(loader=FileSystemLoader(list(dirs)))
    return env.list_templates(extensions, filter_func)


class CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once while serving: MkDocs makes a new Jinja environment
    for every rebuild, which would compile them all again. Jinja checks each against its source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
