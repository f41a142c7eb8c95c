"""`mkdocs serve --dirty` made exact: a save rebuilds only the pages it changed, and the served site
stays what a clean `mkdocs build` of the same files gives.

MkDocs' dirty build skips every page whose `File.is_modified()` is false. By itself that leaves the
pages of deleted entries on disk, a search index of the rebuilt pages only (Material's search keeps
one page's), and every other page with a navigation that may have changed. `Steer` decides, from
the last build, which generated files changed; rebuilds everything (the site folder emptied first,
as a clean build does) when anything every page shows may have changed: the navigation, the config
file, the site's own Markdown pages, the theme's files; deletes the output of pages that are gone;
gives the pages MkDocs skips what the last build made of them (title, table of contents, anchors)
so the rebuilt pages' navigation and anchor checks see them; and writes the search index whole,
from each page's entries as last made.

It relies on MkDocs 1.6's build order (`on_files`, the pages read, `on_env`, the pages built, each
with `on_page_context`, then `on_post_build`) and on Material 9's search plugin keeping its entries
in `search_index.entries`; without those it rebuilds everything on every save, as a plain
`mkdocs serve` does."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .serving import banner_html, insert_banner

_NO_DOCS = '"docs":[]}'  # how Material's search index ends when it holds no entries


class BriefingFile(File):
    """A file the plugin generates: modified, for a dirty build, only when the plugin says so."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class _DirtyNotice(logging.Filter):
    """MkDocs' warning on every dirty build ("will likely lead to inaccurate navigation"), which
    does not hold while the plugin steers the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


@dataclass
class _Made:
    """What a build made of one page, for a later build that skips it."""

    dest: str
    meta: dict[str, Any] = field(default_factory=dict)
    markdown: str | None = None
    toc: Any = None
    anchors: set[str] | None = None
    title: str | None = None
    search: list[dict[str, Any]] = field(default_factory=list)
    search_json: str = ""  # the entries as the search plugin writes them, comma-separated


def _search(config: MkDocsConfig) -> Any:
    """Material's (or MkDocs') search plugin, when it keeps its entries where this expects."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            index = getattr(plugin, "search_index", None)
            return plugin if isinstance(getattr(index, "entries", None), list) else False
    return None  # no search: nothing to keep


class Steer:
    def __init__(self) -> None:
        self.active = False  # serving with --dirty: this steers every build
        self.content: dict[str, str | bytes] = {}  # generated file -> its content, as last written
        self.dests: dict[str, str] = {}  # generated file -> where it was written
        self.made: dict[str, _Made] = {}  # documentation page -> what the last build made of it
        self.signature: str | None = None
        self.order: list[str] = []  # this build's documentation pages, in MkDocs' order
        self.skipped: set[str] = set()  # this build's pages MkDocs does not rebuild
        self.seen = 0  # search entries taken so far this build
        self.banner = ""  # the banner the site's pages carry now, if any
        self.rebuilt = 0  # pages rebuilt by the last build
        self.full = True  # this build rebuilds everything
        self.reused: dict[str, BriefingFile] = {}  # the last build's generated files, by path

    def start(self, dirty: bool) -> None:
        self.active = dirty
        if dirty:
            for engine in ("mkdocs", "properdocs"):
                logging.getLogger(f"{engine}.commands.build").addFilter(_DirtyNotice())

    def begin(self, files: Files, config: MkDocsConfig) -> None:
        """Before the plugin adds its files: whether this build must rebuild everything."""
        if not self.active:
            return
        self.seen = 0
        signature = _signature(files, config)
        self.full = _search(config) is False or signature != self.signature or not self.made
        self.signature = signature
        if self.full:
            utils.clean_directory(config.site_dir)
            self.made.clear()
            self.reused, self.dests = {}, {}  # (the config may have moved them)

    def file(
        self,
        config: MkDocsConfig,
        path: str,
        content: str | bytes,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> BriefingFile:
        """The generated file at `path`: the last build's own `File` (and so its `Page`, which
        MkDocs then neither makes again nor reads) when its content is unchanged and nothing else
        every page shows changed; else a new one."""
        if self.active and not self.full:
            last = self.reused.get(path)
            if last is not None and last.inclusion == inclusion and self.content.get(path) == content:
                return last
        made = BriefingFile.generated(config, path, content=content, inclusion=inclusion)
        assert isinstance(made, BriefingFile)  # `generated` makes its class's
        return made

    def files(self, files: Files, config: MkDocsConfig) -> None:
        """Which generated files this build writes: those new or changed, and those linking to a
        page added or removed (all of them after `begin` found a change every page shows)."""
        if not self.active:
            return
        now = {f.src_uri: f for f in files if isinstance(f, BriefingFile)}
        if not self.full:
            gone = [uri for uri in self.content if uri not in now]
            for uri in gone:
                _remove(self.dests[uri], config.site_dir)
                self.made.pop(uri, None)
            added = [uri for uri in now if uri not in self.content]
            # A page whose Markdown links to a page added or removed: its link changes.
            names = {uri.rsplit("/", 1)[-1] for uri in (*gone, *added)}
            for uri, f in now.items():
                old = self.content.get(uri)
                f.changed = (
                    old is None
                    or old != _content(f)
                    or not os.path.isfile(self.dests[uri])  # (a file's place follows from its path)
                    or (isinstance(old, str) and any(n in old for n in names))
                )
        else:
            for f in now.values():
                f.changed = True
        self.content = {uri: _content(f) for uri, f in now.items()}
        self.dests = {uri: self.dests.get(uri) or f.abs_dest_path for uri, f in now.items()}
        self.reused = now

    def env(self, files: Files) -> None:
        """The pages MkDocs skipped get what the last build made of them."""
        if not self.active:
            return
        self.order, self.skipped = [], set()
        for f in files.documentation_pages():
            self.order.append(f.src_uri)
            page, made = f.page, self.made.get(f.src_uri)
            if page is None or made is None or f.is_modified():
                continue
            self.skipped.add(f.src_uri)
            page.markdown, page.meta, page.toc = made.markdown, made.meta, made.toc
            page.present_anchor_ids, page.links_to_anchors = made.anchors, None
            if hasattr(page, "_title_from_render"):
                page._title_from_render = made.title
        self.rebuilt = len(self.order) - len(self.skipped)

    def page(self, page: Page, config: MkDocsConfig) -> None:
        """After the search plugin indexed a rebuilt page: what it and the build made of it."""
        if not self.active:
            return
        search = _search(config)
        entries: list[dict[str, Any]] = []
        if search:
            entries = search.search_index.entries[self.seen :]
            self.seen = len(search.search_index.entries)
        self.made[page.file.src_uri] = _Made(
            page.file.abs_dest_path,
            dict(page.meta),
            page.markdown,
            page.toc,
            page.present_anchor_ids,
            getattr(page, "_title_from_render", None),
            list(entries),
            ",".join(json.dumps(e, separators=(",", ":"), default=str) for e in entries),
        )

    def search_index(self, config: MkDocsConfig) -> None:
        """Before the search plugin writes its index: none of the entries, which `search_written`
        then puts in, each page's as last made, in MkDocs' order (a json.dumps of every entry of
        every page, each time, was a tenth of a reload at 1,000 actors)."""
        if not self.active or not (search := _search(config)):
            return
        search.search_index.entries = []
        search.search_index_prev = None

    def search_written(self, config: MkDocsConfig) -> None:
        """The index the search plugin wrote, with every page's entries: the same bytes as its own
        `json.dumps` of them all. Should it write anything else, it is asked to again, with them."""
        if not self.active or not (search := _search(config)):
            return
        path = Path(config.site_dir) / "search" / "search_index.json"
        made = [self.made[uri] for uri in self.order if uri in self.made]
        written = path.read_text(encoding="utf-8") if path.is_file() else ""
        if written.endswith(_NO_DOCS):
            docs = ",".join(m.search_json for m in made if m.search_json)
            path.write_text(f'{written[: -len(_NO_DOCS)]}"docs":[{docs}]}}', encoding="utf-8")
        else:
            search.search_index.entries = [e for m in made for e in m.search]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(search.search_index.generate_search_index(None), encoding="utf-8")

    def banners(self, problems: list[str]) -> None:
        """The refused save's reasons across the top of every page, or no longer: the pages this
        build wrote carry none yet, those it skipped still carry the last one."""
        if not self.active:
            return
        banner, old = (banner_html(problems) if problems else ""), self.banner
        for uri in self.order:
            made = self.made.get(uri)
            if made is None or not os.path.isfile(made.dest):
                continue
            had = old if uri in self.skipped else ""
            if had != banner:
                _rewrite(made.dest, had, banner)
        self.banner = banner


def _content(f: File) -> str | bytes:
    return f.content_string if f.is_documentation_page() else f.content_bytes


def _rewrite(path: str, old: str, banner: str) -> None:
    with open(path, encoding="utf-8") as f:
        html = f.read()
    new = html.replace(old, "", 1) if old else html
    new = insert_banner(new, banner) if banner else new
    if new != html:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)


def _remove(dest: str, site_dir: str) -> None:
    """A page's output, and the folders it leaves empty."""
    path = Path(dest)
    path.unlink(missing_ok=True)
    root = Path(site_dir).resolve()
    folder = path.parent
    while folder.resolve() != root and folder.resolve().is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def _signature(files: Files, config: MkDocsConfig) -> str:
    """What every page may show besides its own Markdown: the navigation, the config file, the
    site's own files (their contents for Markdown pages) and the theme's override folder."""
    h = hashlib.sha256()
    h.update(repr(config.nav).encode())
    if config.config_file_path and os.path.isfile(config.config_file_path):
        h.update(Path(config.config_file_path).read_bytes())
    for f in files:
        if isinstance(f, BriefingFile):
            continue
        h.update(f.src_uri.encode())
        if f.is_documentation_page() and f.abs_src_path:
            h.update(Path(f.abs_src_path).read_bytes())
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for folder, _, names in os.walk(custom):
            for name in names:
                p = os.path.join(folder, name)
                h.update(f"{p}:{os.stat(p).st_mtime_ns}".encode())
    return h.hexdigest()
