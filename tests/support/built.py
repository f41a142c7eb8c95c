"""A built site's pages, read with BeautifulSoup, and the text a reader sees in them."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag


def shown(text: str) -> str:
    """How a value reads on a page: whitespace collapsed to single spaces, control characters gone."""
    return " ".join(re.sub("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "", text).split())


def titled(text: str) -> str:
    """How a value reads as a title or tooltip: `shown`, and without direction controls, which an
    attribute could not close again (in page text they stay, isolated)."""
    return shown(re.sub("[\u202a-\u202e\u2066-\u2069]", "", text))


def soup(site: Path, url: str) -> BeautifulSoup:
    """The page served at `url` (site-relative, e.g. 'mini/actors/x/') of the site built into `site`."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    for path in sorted(site.rglob("*.html")):
        yield (
            path.relative_to(site).as_posix(),
            BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"),
        )


def one_of_each_kind(site: Path) -> list[str]:
    """A page of each kind the site built into `site` has, as site-relative URLs ('' is the home
    page): every page up to two folders deep (home, 404, documents, each briefing's overview and
    index pages), and below each of those the page with the most tables and pictures (an actor, a
    meeting…) and the first of their later pages (`page-2/`)."""
    below: dict[tuple[str, bool], tuple[int, str]] = {}
    picked = []
    for path in sorted(site.rglob("*.html")):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        parts = url.rstrip("/").split("/")
        if len(parts) <= 2:
            picked.append(url)
            continue
        key = ("/".join(parts[:2]), bool(re.fullmatch(r"page-\d+", parts[-1])))
        html = path.read_text(encoding="utf-8")
        richness = html.count("<table") + html.count('class="bp-pic')
        if key not in below or richness > below[key][0]:
            below[key] = (richness, url)
    return picked + [url for _, url in below.values()]


def text_of(el: Tag) -> str:
    """Visible text of an element, without MkDocs' permalink anchors, whitespace collapsed."""
    copy = BeautifulSoup(str(el), "html.parser")
    for a in copy.select("a.headerlink"):
        a.decompose()
    return shown(copy.get_text())


def table_shapes(page: BeautifulSoup) -> list[tuple[int, list[int]]]:
    """(header cells, [cells per body row]) for each table in the article."""
    shapes = []
    for table in page.select("article table"):
        head = table.select("thead tr")
        header = len(head[0].find_all(["th", "td"])) if head else 0
        rows = [len(tr.find_all(["th", "td"], recursive=False)) for tr in table.select("tbody tr")]
        shapes.append((header, rows))
    return shapes


def search_docs(site: Path) -> list[dict[str, Any]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = index["docs"]
    return docs


def resolve(page: str, href: str) -> str | None:
    """The site-relative target of a link on `page`, or None for one that leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(page, parts.path))
    return "" if target == "." else target.strip("/") + "/"


@dataclass
class Site:
    """A built site folder and the output of the build that made it; each page parsed once."""

    root: Path
    stdout: str
    stderr: str
    returncode: int
    _soups: dict[str, BeautifulSoup] = field(default_factory=dict, repr=False, compare=False)

    def soup(self, url: str) -> BeautifulSoup:
        """The page served at `url` (site-relative, e.g. 'mini/actors/x/')."""
        if url not in self._soups:
            self._soups[url] = soup(self.root, url)
        return self._soups[url]

    def content(self, url: str) -> Any:
        article = self.soup(url).select_one("article")
        assert article is not None, f"{url}: no <article>"
        return article

    def links(self, url: str, selector: str = "article a[href]") -> set[str]:
        """Site-relative targets ('mini/meetings/x/') of the links on a page, without #anchors."""
        return {t for a in self.soup(url).select(selector) if (t := resolve(url, str(a["href"])))}
