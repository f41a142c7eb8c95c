"""MkDocs adapter: briefing pages as in-memory files, live reload on data and template edits.

Only documented plugin API here, as of MkDocs 1.6 (the version `pyproject.toml` requires):
`File.generated` and `InclusionLevel` (1.6), `File.generated_by` (1.6), the events and
`LiveReloadServer.watch`. The one use of MkDocs internals, reusing a page's converted HTML while
serving, is in `reuse.py`, guarded there."""

from __future__ import annotations

import html
import json
import logging
import os
import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import i18n
from .build import build_pages
from .errors import Report
from .parts import CAPTIONS, style_to_head
from .pictures import pictures_css
from .plan import Plan
from .read import load_file
from .rebuild import Pages, ReadFiles, Validations
from .reuse import CompiledTemplates, Conversions, Passthrough, ThemeFiles
from .serving import serve_banner
from .steer import Steer
from .validate import validate

log = logging.getLogger("mkdocs.plugins.briefing")
ENGINES = ("mkdocs", "properdocs")  # the loggers of MkDocs and of ProperDocs, which runs this as it is
ASSETS = ("briefing.css", "print.css")
WATCH_S = 0.05  # how often the briefings and templates folders are polled while serving
BUILD_DELAY_S = 0.06  # how long, after a change, MkDocs waits for more before it builds


class BriefingConfig(Config):
    briefings_dir = c.Type(str, default="briefings")
    templates_dir = c.Type(str, default="templates")
    # The sources' stored texts, for briefings that keep none of their own (`source_texts` in
    # briefing.yaml): every build and serve checks each quote against them. "" for none.
    source_texts = c.Type(str, default="")


# MkDocs' own INFO lines around each build (mkdocs/commands/build.py, commands/serve.py and
# livereload/__init__.py, MkDocs 1.6.1), which the plugin's one line per build replaces. Its
# warnings and errors, "Serving on …" and everything under `--verbose` still show.
_CHATTER = (
    "Cleaning site directory",
    "Building documentation to directory",
    "Documentation built in",
    "Building documentation...",
    "Detected file changes",
    "Reloading browsers",
    "Browser connected",
    "Watching paths for changes",
)


# The page's own content in Material's (and MkDocs' themes') page: its language goes there.
_CONTENT = re.compile(r'(<article class="md-content__inner[^"]*")(>)')
_TIME = re.compile(r"\[\d\d:\d\d:\d\d\] ")  # livereload's messages start with the time
# Material writes tabindex="" on the navigation's section labels, which HTML does not allow (an empty
# value is ignored by browsers, so dropping it changes nothing else).
_EMPTY_TABINDEX = re.compile(r'(<label class="md-nav__link[^"]*"[^>]*?) tabindex=""')
# And its table of contents' title names the toggle `__toc`, which a page outside the navigation lacks.
_TOC_TITLE = '<label class="md-nav__title" for="__toc">'


# Material's skip link goes to a page's first heading, which its 404 page does not list.
_NO_SKIP = re.compile(r'<div data-md-component="skip">\s*</div>')
_NOT_FOUND = "<h1>404 - Not found</h1>"


def _skip_link(output: str, words: str) -> str:
    """Material's 404 page with a skip link to its heading, as its other pages have."""
    if _NOT_FOUND not in output:
        return output
    link = f'<a href="#not-found" class="md-skip">{html.escape(words)}</a>'
    link = f'<div data-md-component="skip">{link}</div>'
    output, found = _NO_SKIP.subn(link, output, count=1)
    return output.replace(_NOT_FOUND, '<h1 id="not-found">404 - Not found</h1>', 1) if found else output


def _valid_html(output: str) -> str:
    """Material's page without the two errors the Nu HTML Checker finds in it that cost nothing to
    fix (README, "Accessibility" lists the ones left)."""
    output = _EMPTY_TABINDEX.sub(r"\1", output)
    if 'id="__toc"' not in output:
        output = output.replace(_TOC_TITLE, '<label class="md-nav__title">')
    return output


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno != logging.INFO or not _TIME.sub("", str(record.msg), count=1).startswith(
            _CHATTER
        )


def _segmented(search: Any) -> None:
    """Chinese has no spaces between words: Material's search splits it with jieba (a dependency
    for this), marking the splits with zero-width spaces, which the search's separator must then
    include. jieba's own chatter on every build ("Loading model…") is kept out of the log."""
    try:
        import jieba  # type: ignore[import-untyped]

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        log.warning("Chinese briefing: install jieba for search to find words in it")
    separator = getattr(search.config, "separator", None)
    if isinstance(separator, str) and separator.startswith("[\\s") and "\\u200b" not in separator:
        search.config.separator = "[\\s\\u200b" + separator[3:]
        index = getattr(getattr(search, "search_index", None), "config", None)
        if isinstance(index, dict):  # the index took a copy of the config when it was made
            index["separator"] = search.config.separator


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.last_good: Plan | None = None
        self.problems: list[str] = []  # why the last save was refused, shown on every served page
        self.pages: Plan | None = None  # built in on_pre_build, taken by on_files
        self.directory_urls = True
        self.content_lang: dict[str, str] = {}  # page -> ` lang="…" dir="…"`, where not the theme's
        self.passthrough = Passthrough()
        self.conversions = Conversions()  # while serving
        self.compiled = CompiledTemplates()  # while serving
        self.theme_files = ThemeFiles()  # while serving
        self.steer = Steer()  # while serving with --dirty
        # While serving: what the last build read, validated and rendered.
        self.read, self.validated, self.rendered = ReadFiles(), Validations(), Pages()

        self.root = Path.cwd()
        self.started = 0.0  # when the build running now began
        self.built: dict[str, str] | None = None  # the last build's pages, to count what changed
        self.marks: list[tuple[str, float]] = []  # when each stage of this build ended
        self.stages: dict[str, float] = {}  # the generator's stages, in seconds

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.steer.start(self.serving and dirty)
        if self.serving and not dirty:
            log.info(
                "each save rebuilds every page; `mkdocs serve --dirty` (what ./run serve runs) "
                "rebuilds only the pages a save changed"
            )
        for name in ENGINES:
            engine_log = logging.getLogger(name)
            if engine_log.getEffectiveLevel() > logging.DEBUG:  # `--verbose` keeps every line
                for handler in engine_log.handlers:
                    if not any(isinstance(f, _Quiet) for f in handler.filters):
                        handler.addFilter(_Quiet())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.marks, self.stages = [("config", time.time())], {}
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.directory_urls = bool(config.use_directory_urls)  # links in pictures are final URLs
        if self.serving:
            self.theme_files.apply(config)
        if CAPTIONS not in config.markdown_extensions:  # the pages' tables get their captions
            config.markdown_extensions.append(CAPTIONS)
        for name in (*ASSETS, "pictures.css"):
            if name == "pictures.css" or resources.files("generator").joinpath("assets", name).is_file():
                config.extra_css.append(f"assets/briefing/{name}")
        return config

    def _dir(self, name: str) -> Path:
        return (self.root / name).resolve()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Here, not in on_files: MkDocs empties site_dir between the two, so bad data must stop the
        # build before then, and the last good site stays whole.
        self.started = time.monotonic()
        self.marks.append(("pre_build", time.time()))
        self.pages = self._build()
        self.conversions.new_build()
        self._languages(config, self.pages)

    def _build(self) -> Plan:
        report = Report()
        pages = build_pages(
            self._dir(self.config.briefings_dir),
            self._dir(self.config.templates_dir),
            report,
            self.root,
            self.directory_urls,
            self._dir(self.config.source_texts) if self.config.source_texts else None,
            read=self.read if self.serving else load_file,
            rendered=self.rendered if self.serving else None,
            check=self.validated if self.serving else validate,
            stages=self.stages,
        )
        for d in report.sorted():
            (log.error if d.severity == "error" else log.warning)(d.format())
        self.problems = (
            [d.format() for d in report.sorted() if d.severity == "error"] if pages is None else []
        )
        if pages is None:
            if self.serving and self.last_good is not None:
                log.error(
                    "briefing data has errors: still serving the last good version; fix and save to reload"
                )
                pages = self.last_good
            else:
                raise PluginError(f"briefing data: {report.summary()}; nothing was built")
        self.last_good = pages
        self.rendered.keep_only({d.slug for d in pages.briefings})
        return pages

    def _languages(self, config: MkDocsConfig, pages: Plan) -> None:
        """Each briefing's pages carry its language (and direction) on their content, where it is
        not the theme's; and search, which stems and splits words by language, knows them all."""
        theme = str(config.theme.get("language") or "en")
        slugs: dict[str, str] = {}
        for data in pages.briefings:
            code = i18n.shipped(data.briefing.language) or i18n.DEFAULT
            if code != theme:
                slugs[data.slug] = f' lang="{code}" dir="{"rtl" if i18n.is_rtl(code) else "ltr"}"'
        self.content_lang = {
            path: slugs[p.briefing] for path, p in pages.pages.items() if p.briefing in slugs
        }
        search = config.plugins.get("material/search")
        lang = getattr(getattr(search, "config", None), "lang", None)
        if isinstance(lang, list):
            for data in pages.briefings:
                code = i18n.shipped(data.briefing.language) or i18n.DEFAULT
                if code not in lang:
                    lang.append(code)
            if "zh" in lang:
                _segmented(search)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        pages, self.pages = self.pages or self._build(), None
        if not config.nav:
            own = sorted(f.src_uri for f in files.documentation_pages() if not f.generated_by)
            config.nav = pages.nav() + own
        self.steer.begin(files, config)
        for path, text in pages.items():
            # Off the navigation on purpose (it lists each briefing's sections, not every entry):
            # NOT_IN_NAV keeps MkDocs from listing every page as missing from it on each build.
            files.append(self.steer.file(config, path, text, InclusionLevel.NOT_IN_NAV))
        for name in ASSETS:
            asset = resources.files("generator").joinpath("assets", name)
            if asset.is_file():
                files.append(self.steer.file(config, f"assets/briefing/{name}", asset.read_bytes()))
        files.append(self.steer.file(config, "assets/briefing/pictures.css", pictures_css()))
        self.steer.files(files, config)
        self.marks.append(("files", time.time()))
        return files

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.marks.append(("nav", time.time()))
        return nav

    @event_priority(100)  # first: the search index whole before the search plugin writes it
    def _post_build_first(self, *, config: MkDocsConfig) -> None:
        """One line per build: how many pages, how many changed since the last, how long."""
        self.marks.append(("pages", time.time()))
        self.steer.search_index(config)
        self.steer.banners(self.problems if self.serving else [])
        pages = self.last_good
        if pages is None or (self.serving and self.problems):  # a refused save: its errors said it
            return
        now = {path: pages[path] for path in pages}
        took = time.monotonic() - self.started
        if self.built is None:
            log.info(f"built {len(now)} briefing pages in {took:.1f} s")
        else:
            changed = sum(1 for path, text in now.items() if self.built.get(path) != text)
            changed += sum(1 for path in self.built if path not in now)
            log.info(f"{changed} of {len(now)} briefing pages changed; site rebuilt in {took:.1f} s")
        self.built = now

    @event_priority(-100)  # last: after any other plugin's changes to the Markdown
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        markdown = self.passthrough.set_aside(page.file.src_uri, markdown)
        if self.serving and page.file.generated_by and "title" in page.meta:
            return self.conversions.before(page, markdown, files, config)
        return markdown

    @event_priority(100)  # first: other plugins see (and may change) the same HTML either way
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.conversions.after(page, html)

    @event_priority(100)  # first: any other plugin sees the finished page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = style_to_head(self.passthrough.put_back(page.file.src_uri, output))
        output = _valid_html(output)
        if attributes := self.content_lang.get(page.file.src_uri):
            output = _CONTENT.sub(lambda m: m.group(1) + attributes + m.group(2), output, count=1)
        # Never in `mkdocs build`, so never published; with --dirty the steer puts it in every page.
        if self.serving and self.problems and not self.steer.active:
            output = serve_banner(output, self.problems)
        return output

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":
            with i18n.language(str(config.theme.get("language") or "en")):
                output = _skip_link(output, i18n._("Skip to content"))
        return _valid_html(output) if template_name.endswith(".html") else output

    @event_priority(-100)  # last: after the search plugin has indexed the page
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.steer.page(page, config)
        return context

    @event_priority(-100)  # last: after the search plugin wrote its index
    def _post_build_last(self, *, config: MkDocsConfig) -> None:
        self.steer.search_written(config)
        self.marks.append(("search", time.time()))
        if out := os.environ.get("BRIEFING_TIMINGS"):  # for benchmarks/run.py: when each stage ended
            line = {"marks": self.marks, "stages": self.stages, "rebuilt": self.steer.rebuilt}
            with open(out, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")

    on_post_build = CombinedEvent(_post_build_first, _post_build_last)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        self.marks.append(("markdown", time.time()))
        self.steer.env(files)
        if self.serving and env.bytecode_cache is None:
            env.bytecode_cache = self.compiled
        return env

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        # The templates folder is made if missing: MkDocs cannot watch a folder that does not exist
        # yet, and an override saved into it must show without a restart.
        self._dir(self.config.templates_dir).mkdir(exist_ok=True)
        # MkDocs polls what it watches every 0.5 s: a quarter of a second on average before a save
        # is even seen. Our folders are polled every WATCH_S (watchdog's observer makes each watch
        # with its `timeout` then; watchdog 2 to 7); MkDocs' own watches keep theirs.
        # And MkDocs waits 0.1 s after a change for more before it builds: a little more than one
        # poll of ours is enough to take a save that spans two polls in one build.
        if isinstance(getattr(server, "build_delay", None), (int, float)):
            server.build_delay = min(server.build_delay, BUILD_DELAY_S)
        observer = getattr(server, "observer", None)
        usual = getattr(observer, "_timeout", None)
        if isinstance(usual, (int, float)):
            observer._timeout = WATCH_S  # type: ignore[union-attr]
        try:
            for name in (self.config.briefings_dir, self.config.templates_dir, self.config.source_texts):
                if name and self._dir(name).is_dir():
                    server.watch(str(self._dir(name)))
        finally:
            if isinstance(usual, (int, float)):
                observer._timeout = usual  # type: ignore[union-attr]
        return server
