"""Throwaway site projects: mkdocs.yml, docs/, templates/ and briefings/, as `mkdocs build` wants them."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import yaml

from .cli import run
from .data import write_files
from .paths import BRIEFING, DOCS, MKDOCS_YML, TEMPLATES

# The scaffold's alias "The Minister" shares a word with the name, so a search for it proves little;
# this one appears nowhere but in other_names.
DISTINCT_ALIAS = "Old Quillfeather"


def write_config(
    project: Path,
    briefings_dir: Path | str,
    templates_dir: Path | str = "templates",
    docs_dir: Path | str = DOCS,
) -> Path:
    """`project/mkdocs.yml`: the repository's own config with the folders swapped, building into site/."""
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(project / "site")
    plugins = config["plugins"]
    for i, plugin in enumerate(plugins):
        if plugin == "briefing" or (isinstance(plugin, dict) and "briefing" in plugin):
            options = plugin["briefing"] if isinstance(plugin, dict) else {}
            options = {**options, "briefings_dir": str(briefings_dir), "templates_dir": str(templates_dir)}
            plugins[i] = {"briefing": options}
            break
    else:
        raise AssertionError("mkdocs.yml does not enable the briefing plugin")
    project.mkdir(parents=True, exist_ok=True)
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_project(
    project: Path,
    briefings: Mapping[str, Path | Mapping[str, str | bytes]] | None = None,
    *,
    docs: Path | None = None,
    templates: Path | None = None,
) -> Path:
    """`project/` ready to build: mkdocs.yml (see `write_config`), docs/ and templates/ (copies of
    `docs` and `templates`, else empty), and `briefings/<slug>/` for each of `briefings`: a copy of
    a briefing folder, or files written (see `write_files`)."""
    for name, source in (("docs", docs), ("templates", templates)):
        if source is None:
            (project / name).mkdir(parents=True, exist_ok=True)
        else:
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for slug, briefing in (briefings or {}).items():
        if isinstance(briefing, Path):
            shutil.copytree(briefing, project / "briefings" / slug)
        else:
            write_files(project / "briefings" / slug, briefing)
    write_config(project, "briefings", "templates", "docs")
    return project


def demo_project(project: Path) -> Path:
    """The repository's site (mkdocs.yml, docs/, templates/) around the briefing `briefing new demo`
    writes, given one more alias to search for."""
    make_project(project, docs=DOCS, templates=TEMPLATES)
    run(BRIEFING, "new", "demo", "--root", "briefings", "--schemas", "schemas", cwd=project, check=True)
    actors = project / "briefings" / "demo" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    old = 'other_names: ["The Minister"]'
    assert old in text, f"`briefing new` no longer writes {old!r}; update tests/support/project.py"
    actors.write_text(text.replace(old, f'other_names: ["The Minister", "{DISTINCT_ALIAS}"]'), "utf-8")
    return project


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
