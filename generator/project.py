"""`briefing render --out DIR --config FILE`: the site as a project Zensical builds, which runs no
MkDocs plugin: the pages (their pictures' links naming source paths, which Zensical rewrites), the
style sheets the plugin would add, the site's own documents, and a configuration (in `mkdocs.yml`'s
format, which Zensical reads) holding the site's settings, the navigation the plugin would make and
the style sheets."""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .parts import CAPTIONS
from .pictures import pictures_css

STYLE_SHEETS = ("briefing.css", "print.css", "pictures.css")
HEADER = (
    "# The site as `briefing render --config` wrote it for Zensical, which runs no MkDocs plugin:\n"
    "# render again rather than edit it.\n"
)


class ProjectError(Exception):
    pass


def style_sheets() -> dict[str, str]:
    """The plugin's style sheets, by their path in the site."""
    out = {}
    for name in STYLE_SHEETS[:2]:
        out[f"assets/briefing/{name}"] = (
            resources.files("generator").joinpath("assets", name).read_text(encoding="utf-8")
        )
    out["assets/briefing/pictures.css"] = pictures_css()
    return out


def read_site_config(path: Path) -> dict[str, Any]:
    """The site's own `mkdocs.yml`, for its settings ({} when there is none)."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ProjectError(f"{path}: not a configuration this can read ({e}); nothing was written") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: not a mapping of settings; nothing was written")
    return data


def own_documents(config_file: Path, config: dict[str, Any]) -> dict[str, bytes]:
    """The site's own documents (its docs folder), by path: regular files, none hidden, no link
    followed, none under a folder named as a briefing's page would be."""
    docs = (config_file.parent / str(config.get("docs_dir", "docs"))).resolve()
    found: dict[str, bytes] = {}
    if not docs.is_dir():
        return found
    for folder, dirs, names in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or not stat.S_ISREG(path.lstat().st_mode):
                continue
            found[PurePosixPath(path.relative_to(docs).as_posix()).as_posix()] = path.read_bytes()
    return found


def engine_config(site: dict[str, Any], docs_dir: str, nav: list[Any], documents: list[str]) -> str:
    """The configuration: the site's settings, with the search plugin alone, the navigation (the
    briefings', then the site's own pages) and the plugin's style sheets."""
    plugins = []
    for plugin in site.get("plugins") or []:
        name = plugin if isinstance(plugin, str) else next(iter(plugin), "")
        if name in ("search", "material/search"):
            plugins.append(plugin)
    config: dict[str, Any] = {
        key: site[key]
        for key in ("site_name", "site_description", "site_url", "theme", "markdown_extensions", "extra")
        if key in site
    }
    config.setdefault("site_name", "Briefing book")
    # What the plugin adds to the site's extensions, so the pages' tables get their captions. (A
    # site that lists none gets Zensical's defaults, which a list of one would replace.)
    extensions = config.get("markdown_extensions")
    if isinstance(extensions, list) and not any(
        CAPTIONS in ([e] if isinstance(e, str) else e) for e in extensions
    ):
        config["markdown_extensions"] = [*extensions, CAPTIONS]
    own = sorted(d for d in documents if d.endswith(".md"))
    config.update(
        docs_dir=docs_dir,
        plugins=plugins or ["search"],
        nav=[*nav, *own],
        extra_css=[*(f"assets/briefing/{name}" for name in STYLE_SHEETS), *(site.get("extra_css") or [])],
    )
    return HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
