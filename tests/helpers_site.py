"""Helpers for the site tests: throwaway MkDocs projects around a briefing folder, builds, built pages."""

from __future__ import annotations

import posixpath
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup
from helpers_data import run

from generator.errors import Report
from generator.index import Index, build_index
from generator.model import BriefingData
from generator.validate import load_and_validate

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "mini"
REAL = REPO / "briefings" / "syria-2016"
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
BRIEFING = BIN / "briefing"

# `path:line:col: error: message [code]`, as printed bare by the CLI or after MkDocs' "ERROR   -  ".
DIAGNOSTIC = re.compile(
    r"^(?:(?:ERROR|WARNING) +- +)?(?P<path>\S+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<severity>error|warning): (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$",
    re.MULTILINE,
)


def write_config(
    project: Path,
    briefings_dir: Path | str,
    templates_dir: Path | str = "templates",
    docs_dir: Path | str = REPO / "docs",
) -> Path:
    """`project/mkdocs.yml`: the repository's own config with the briefing folders swapped."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(project / "site")
    plugins = config["plugins"]
    for i, plugin in enumerate(plugins):
        if plugin == "briefing" or (isinstance(plugin, dict) and "briefing" in plugin):
            options = {"briefings_dir": str(briefings_dir), "templates_dir": str(templates_dir)}
            plugins[i] = {"briefing": options}
            break
    else:
        raise AssertionError("mkdocs.yml does not enable the briefing plugin")
    project.mkdir(parents=True, exist_ok=True)
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_project(project: Path, briefing: Path = FIXTURE) -> Path:
    """A self-contained project: `briefings/<slug>/`, `docs/`, an empty `templates/`, `mkdocs.yml`."""
    shutil.copytree(briefing, project / "briefings" / briefing.name)
    shutil.copytree(REPO / "docs", project / "docs")
    (project / "templates").mkdir()
    return write_config(project, "briefings", "templates", "docs")


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(MKDOCS, "build", "--strict", "-f", project / "mkdocs.yml", *extra, cwd=project)


def warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page_url(md_path: str) -> str:
    """Where MkDocs serves a page (directory URLs): 'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/'."""
    stem = md_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(folder: Path) -> tuple[BriefingData, Index]:
    report = Report()
    data = load_and_validate(folder, report).data
    assert data is not None, [d.format() for d in report.diagnostics]
    return data, build_index(data)


@dataclass
class Site:
    """A built site folder, read with BeautifulSoup."""

    root: Path
    stdout: str
    stderr: str
    returncode: int

    @cached_property
    def _soups(self) -> dict[str, BeautifulSoup]:
        return {}

    def soup(self, url: str) -> BeautifulSoup:
        """The page served at `url` (site-relative, e.g. 'mini/actors/x/')."""
        if url not in self._soups:
            html = (self.root / url / "index.html").read_text(encoding="utf-8")
            self._soups[url] = BeautifulSoup(html, "html.parser")
        return self._soups[url]

    def content(self, url: str) -> Any:
        article = self.soup(url).select_one("article")
        assert article is not None, f"{url}: no <article>"
        return article

    def links(self, url: str, selector: str = "article a[href]") -> set[str]:
        """Site-relative targets ('mini/meetings/x/') of the links on a page, without #anchors."""
        return {t for a in self.soup(url).select(selector) if (t := resolve(url, str(a["href"])))}


def resolve(page: str, href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(page, parts.path))
    return "" if target == "." else target.strip("/") + "/"
