"""`mkdocs gh-deploy` publishes the site to a gh-pages branch, tried against a local bare remote."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.cli import ENV, run
from support.paths import MKDOCS, MKDOCS_YML
from support.project import demo_project

pytestmark = pytest.mark.slow

GIT = shutil.which("git")


def git_env(home: Path) -> dict[str, str]:
    """A git that ignores the user's and the system's configuration (no signing, no hooks, no templates)."""
    return {
        **ENV,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Briefing Tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "Briefing Tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
        "GIT_TERMINAL_PROMPT": "0",
    }


def repo_site_path() -> str:
    """The path part of site_url in the repository's mkdocs.yml, e.g. /briefing-site/."""
    text = MKDOCS_YML.read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*['\"]?([^\s'\"#]+)", text, re.MULTILINE)
    assert match, "mkdocs.yml has no site_url: a project site needs one (see docs/publishing.md)"
    return urlsplit(match.group(1)).path


@pytest.mark.skipif(GIT is None, reason="git not found")
def test_gh_deploy_pushes_the_site_to_gh_pages(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    remote = tmp_path / "remote.git"
    work = tmp_path / "work"
    run("git", "init", "--bare", "--initial-branch=main", remote, cwd=tmp_path, env=env, check=True)
    run("git", "clone", remote, work, cwd=tmp_path, env=env, check=True)
    demo_project(work)
    (work / ".gitignore").write_text("site/\n", encoding="utf-8")
    run("git", "add", "-A", cwd=work, env=env, check=True)
    run("git", "commit", "-q", "-m", "A tiny briefing site", cwd=work, env=env, check=True)
    run("git", "push", "-q", "origin", "HEAD:main", cwd=work, env=env, check=True)

    deploy = [MKDOCS, "gh-deploy", "--force", "--remote-name", "origin", "--strict"]
    deployed = run(*deploy, cwd=work, env=env, check=True)

    assert "gh-pages" in deployed.stdout + deployed.stderr
    tree = run("git", "ls-tree", "-r", "--name-only", "gh-pages", cwd=remote, env=env, check=True)
    listing = tree.stdout.splitlines()
    for name in (
        "index.html",
        ".nojekyll",  # GitHub must not run Jekyll over the site (it would drop files starting with _)
        "404.html",
        "sitemap.xml",
        "search/search_index.json",
        "about/index.html",
        "demo/index.html",
        "demo/actors/example-minister/index.html",
        "demo/meetings/example-talks/index.html",
        "demo/sources/example-source/index.html",
        "demo/book/index.html",
    ):
        assert name in listing, f"{name} missing from gh-pages"
    assert not any(name.startswith(("briefings/", "docs/", "mkdocs")) for name in listing)

    # The published 404 page points at assets under the project's sub-path, taken from site_url.
    not_found = run("git", "show", "gh-pages:404.html", cwd=remote, env=env, check=True).stdout
    prefix = repo_site_path()
    assert f'href="{prefix}assets/stylesheets/' in not_found
    assert f'src="{prefix}assets/javascripts/' in not_found

    log = run("git", "log", "--format=%s", "gh-pages", cwd=remote, env=env, check=True).stdout
    assert "Deployed" in log  # mkdocs' commit message names the source commit and version
