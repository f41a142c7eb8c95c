"""MkDocs adapter: briefing pages as in-memory files, live reload on data and template edits."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .errors import Report
from .pictures import pictures_css
from .render import build_pages

log = logging.getLogger("mkdocs.plugins.briefing")
ASSETS = ("briefing.css", "print.css")
# A picture is raw HTML that Markdown and the search index would parse only to pass it through
# unchanged (a sixth of the build at 1,000 actors): it is set aside before Markdown and put back
# into the finished page.
_FIGURE = re.compile(r'<figure class="bp-figure" data-search-exclude>(<svg\b.*?</svg>)</figure>', re.S)
_SLOT = '<figure class="bp-figure" data-search-exclude data-bp-figure="{}"></figure>'
_FIGURE_SLOT = re.compile(re.escape(_SLOT).replace(r"\{\}", r"(\d+)"))


class BriefingConfig(Config):
    briefings_dir = c.Type(str, default="briefings")
    templates_dir = c.Type(str, default="templates")


@dataclass(frozen=True)
class _Converted:
    """What Markdown made of a page, kept while serving: a rebuild reuses it when the page's Markdown
    and the site's set of files are unchanged, so an edit re-converts only the pages it changed."""

    key: tuple[str, str]  # (the build's signature, the page's Markdown)
    content: str
    toc: Any
    anchors: set[str] | None


class _CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once while serving: MkDocs makes a new Jinja environment for
    every rebuild, which would compile them all again. Jinja checks each against its source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.last_good: dict[str, str] | None = None
        self.pages: dict[str, str] | None = None  # built in on_pre_build, taken by on_files
        self.figures: dict[str, list[str]] = {}  # page -> its pictures, while Markdown runs
        self.converted: dict[str, _Converted] = {}  # page -> Markdown's output (when serving)
        self.previous: dict[str, _Converted] = {}  # the same, from the last build
        self.pending: dict[str, tuple[str, str]] = {}  # page -> key, while Markdown runs
        self.reused: dict[str, tuple[str, _Converted]] = {}  # page -> (its Markdown, what is reused)
        self.signature: str | None = None
        self.compiled = _CompiledTemplates()

        self.root = Path.cwd()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        for name in (*ASSETS, "pictures.css"):
            if name == "pictures.css" or resources.files("generator").joinpath("assets", name).is_file():
                config.extra_css.append(f"assets/briefing/{name}")
        return config

    def _dir(self, name: str) -> Path:
        return (self.root / name).resolve()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Here, not in on_files: MkDocs empties site_dir between the two, so bad data must stop the
        # build before then, and the last good site stays whole.
        self.pages = self._build()
        self.previous, self.converted, self.signature = self.converted, {}, None

    def _build(self) -> dict[str, str]:
        report = Report()
        pages = build_pages(
            self._dir(self.config.briefings_dir), self._dir(self.config.templates_dir), report, self.root
        )
        for d in report.sorted():
            (log.error if d.severity == "error" else log.warning)(d.format())
        if pages is None:
            if self.serving and self.last_good is not None:
                log.error(
                    "briefing data has errors: still serving the last good version; fix and save to reload"
                )
                pages = self.last_good
            else:
                raise PluginError(f"briefing data: {report.summary()}; nothing was built")
        self.last_good = pages
        return pages

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        pages, self.pages = self.pages or self._build(), None
        for path, text in pages.items():
            files.append(File.generated(config, path, content=text))
        for name in ASSETS:
            asset = resources.files("generator").joinpath("assets", name)
            if asset.is_file():
                files.append(File.generated(config, f"assets/briefing/{name}", content=asset.read_bytes()))
        files.append(File.generated(config, "assets/briefing/pictures.css", content=pictures_css()))
        if not config.nav:
            config.nav = self._nav(pages, files)
        return files

    @event_priority(-100)  # last: after any other plugin's changes to the Markdown
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        figures: list[str] = []

        def aside(m: re.Match[str]) -> str:
            figures.append(m.group(1))
            return _SLOT.format(len(figures) - 1)

        markdown = _FIGURE.sub(aside, markdown)
        uri = page.file.src_uri
        if figures:
            self.figures[uri] = figures
        if not (self.serving and page.file.generated_by and "title" in page.meta):
            return markdown
        key = (self._signature(files, config), markdown)
        done = self.previous.get(uri)
        if done is not None and done.key == key:
            self.reused[uri] = (markdown, done)
            return ""  # nothing for Markdown to do: on_page_content puts back what it made last time
        self.pending[uri] = key
        return markdown

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

    @event_priority(100)  # first: other plugins see (and may change) the same HTML either way
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if (hit := self.reused.pop(uri, None)) is not None:
            page.markdown, done = hit
            page.toc, page.present_anchor_ids = done.toc, done.anchors
            page.links_to_anchors = None  # checked when it was converted
            self.converted[uri] = done
            return done.content
        if (key := self.pending.pop(uri, None)) is not None:
            self.converted[uri] = _Converted(key, html, page.toc, page.present_anchor_ids)
        return html

    @event_priority(100)  # first: any other plugin sees the finished page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        figures = self.figures.pop(page.file.src_uri, None)
        if not figures:
            return output
        figure = '<figure class="bp-figure" data-search-exclude>{}</figure>'
        return _FIGURE_SLOT.sub(lambda m: figure.format(figures[int(m.group(1))]), output)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.serving and env.bytecode_cache is None:
            env.bytecode_cache = self.compiled
        return env

    def _nav(self, pages: dict[str, str], files: Files) -> list[Any]:
        """A small navigation: section pages only, never every entity."""
        nav: list[Any] = [{"Briefings": "index.md"}]
        for path in pages:
            if path.count("/") == 1 and path.endswith("/index.md"):
                slug = path.split("/")[0]
                title = next(line for line in pages[path].splitlines() if line.startswith("title:"))
                sections = [{"Overview": path}]
                for label, sub in (
                    ("Actors", "actors/index.md"),
                    ("Meetings", "meetings/index.md"),
                    ("Issues", "issues/index.md"),
                    ("Positions", "positions.md"),
                    ("Timeline", "timeline/index.md"),
                    ("Open questions", "questions/index.md"),
                    ("Sources", "sources/index.md"),
                    ("Briefing book", "book.md"),
                ):
                    if f"{slug}/{sub}" in pages:
                        sections.append({label: f"{slug}/{sub}"})
                nav.append({json.loads(title.removeprefix("title:")): sections})
        return nav + sorted(f.src_uri for f in files.documentation_pages() if not f.generated_by)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        # The templates folder is made if missing: MkDocs cannot watch a folder that does not exist
        # yet, and an override saved into it must show without a restart.
        self._dir(self.config.templates_dir).mkdir(exist_ok=True)
        for name in (self.config.briefings_dir, self.config.templates_dir):
            if self._dir(name).is_dir():
                server.watch(str(self._dir(name)))
        return server
