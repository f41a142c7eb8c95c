"""No broken link anywhere: every internal link and asset in the built HTML answers 200 over HTTP from the
sub-path server, and every #anchor it points at exists on the target page. Needs no browser."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from .conftest import Site

LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a link that only works through a redirect is reported with its 3xx status


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


def fetch(url: str) -> Fetched:
    try:
        with _opener.open(url, timeout=10) as response:
            fetched = Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get_content_type(), b"")
    if fetched.content_type == "text/html":
        soup = BeautifulSoup(fetched.body, "html.parser")
        fetched.ids = {str(el["id"]) for el in soup.find_all(id=True)}
        fetched.ids |= {str(el["name"]) for el in soup.find_all("a", attrs={"name": True})}
        for tag, attr in LINK_ATTRS.items():
            fetched.links += [str(el[attr]) for el in soup.find_all(tag) if el.get(attr)]
    return fetched


def crawl(site: Site) -> tuple[dict[str, Fetched], list[str], set[str]]:
    """Fetch every page on disk and everything linked from any page; return pages, problems, external URLs."""
    seen: dict[str, Fetched] = {}
    problems: list[str] = []
    external: set[str] = set()
    wanted: list[tuple[str, str, str]] = []  # (from page, as written, absolute URL with fragment)
    queue = deque([site.base_url, *(site.page_url(p) for p in site.html_pages() if p.name != "404.html")])
    queued = set(queue)
    while queue:
        url = queue.popleft()
        fetched = seen[url] = fetch(url)
        for raw in fetched.links:
            target = urljoin(url, raw)
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https"):
                continue  # mailto:, tel:, data:, javascript:
            if f"{parts.scheme}://{parts.netloc}" != site.origin:
                external.add(target)
                continue
            wanted.append((url, raw, target))
            bare = urldefrag(target).url
            if bare not in queued:
                queued.add(bare)
                queue.append(bare)
    for url, got in seen.items():
        if got.status != 200:
            problems.append(f"{url.removeprefix(site.origin)}: HTTP {got.status}")
    for page, raw, target in wanted:
        bare, fragment = urldefrag(target)
        got = seen[bare]
        where = f"{page.removeprefix(site.origin)} -> {raw!r}"
        if got.status != 200:
            problems.append(f"{where}: HTTP {got.status}")
        elif not bare.startswith(site.base_url):
            problems.append(f"{where}: outside the project's sub-path {site.base_url}")
        elif fragment and got.content_type == "text/html" and unquote(fragment) not in got.ids:
            problems.append(f"{where}: no element with id {unquote(fragment)!r} on {bare}")
    return seen, sorted(set(problems)), external


def test_every_internal_link_resolves(site: Site) -> None:
    seen, problems, _external = crawl(site)
    pages = [u for u, f in seen.items() if f.content_type == "text/html"]
    assert len(pages) >= len(site.html_pages()) - 1, "the crawl missed pages that were built"
    assert any("/demo/actors/example-minister/" in u for u in pages)
    assert problems == []


def test_every_built_page_is_linked_from_another(site: Site) -> None:
    """A page nobody links to can only be found by search: the demo briefing has none."""
    seen, _, _ = crawl(site)
    linked = {urldefrag(urljoin(url, raw)).url for url, f in seen.items() for raw in f.links}
    orphans = [
        site.page_url(p) for p in site.html_pages() if p.name != "404.html" and site.page_url(p) not in linked
    ]
    assert orphans == []
