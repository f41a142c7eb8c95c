"""Where pages are and how one links to another: the one place that knows page paths and URLs.

Pages link to each other in two ways. Markdown links name the target page's source path
(`../meetings/munich.md`), which the engine turns into its URL. MkDocs leaves raw HTML (the SVG
pictures) as it is, so there it carries the final URL, which depends on the engine's
`use_directory_urls`: `a/b.md` is served at `a/b/` with it, at `a/b.html` without. Zensical
rewrites raw HTML's links as it does Markdown's: for it (`directory_urls` None) they name the
source path too.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable


def entry_path(plural: str, slug: str, id_: str) -> str:
    """The page of one entry: `syria-2016/actors/john-kerry.md`."""
    return f"{slug}/{plural}/{id_}.md"


def page_dir(path: str) -> str:
    return posixpath.dirname(path) or "."


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL a page is served at, relative to the site's root ('' for the home page)."""
    stem = path.removesuffix(".md")
    if stem.endswith("/index") or stem == "index":
        return stem.removesuffix("index") if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


def page_url_from(here: str, target: str, directory_urls: bool = True) -> str:
    """The URL of page `target` relative to the page `here` (both source paths)."""
    if not directory_urls:
        return relpath(page_url(target, False), page_dir(page_url(here, False)))
    rel = relpath(page_url(target).rstrip("/") or ".", page_url(here).rstrip("/") or ".")
    return "./" if rel == "." else rel + "/"


@functools.lru_cache(maxsize=65536)
def relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for the generator's own page paths (relative, no `.` or `..` parts),
    without its two calls to `os.getcwd()`."""
    to = [] if path == "." else path.split("/")
    frm = [] if start == "." else start.split("/")
    n = 0
    for a, b in zip(to, frm, strict=False):
        if a != b:
            break
        n += 1
    return "/".join([".."] * (len(frm) - n) + to[n:]) or "."


Url = Callable[[str, str], str]  # (kind's plural, entry id) -> link


def urls_from(here: str, slug: str, directory_urls: bool | None = True) -> Url:
    """Links to entry pages in raw HTML, from the page `here`: final URLs, or with
    `directory_urls` None source paths, for an engine that rewrites them (Zensical)."""
    if directory_urls is None:
        return sources_from(here, slug)
    if directory_urls:
        up, own = page_url_from(here, f"{slug}/index.md"), page_url(here)  # up: "../../"
        up = "" if up == "./" else up

        def url(plural: str, id_: str) -> str:
            return "./" if own == f"{slug}/{plural}/{id_}/" else f"{up}{plural}/{id_}/"

        return url
    return lambda plural, id_: page_url_from(here, entry_path(plural, slug, id_), False)


def sources_from(here: str, slug: str) -> Url:
    """Source paths of entry pages, from the page `here`: for Markdown links."""
    start = page_dir(here)
    return lambda plural, id_: relpath(entry_path(plural, slug, id_), start)
