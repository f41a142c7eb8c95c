"""A site's `templates/` folder overrides the package's templates, and its mistakes read as diagnostics."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support.cli import DIAGNOSTIC, mkdocs_build, run
from support.paths import BRIEFING, DOCS, FIXTURE, REPO, TEMPLATES
from support.project import make_project

from generator.build import _template_line, build_pages
from generator.environment import make_env
from generator.errors import Report

ACTOR_OVERRIDE = """\
{% import "_macros.md.j2" as m with context %}
{{ m.front(it.name) }}

# {{ it.name|md }}

Site template for {{ it.id }}: {{ it.role|md if it.role else "no role" }}.
"""


def pages_with(tmp_path: Path, templates: dict[str, str]) -> tuple[dict[str, str] | None, Report]:
    folder = tmp_path / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in templates.items():
        (folder / name).write_text(body, encoding="utf-8")
    report = Report()
    return build_pages(FIXTURE, folder, report, tmp_path), report


def test_site_template_wins_over_the_default(tmp_path: Path) -> None:
    default, _ = pages_with(tmp_path / "plain", {})
    pages, report = pages_with(tmp_path / "site", {"actor.md.j2": ACTOR_OVERRIDE})
    assert report.diagnostics == [] and pages is not None and default is not None
    assert "Site template for ana-reyes: Foreign Minister of Northland." in pages["mini/actors/ana-reyes.md"]
    assert "Site template for coastal-front: no role." in pages["mini/actors/coastal-front.md"]
    # Only actor pages change; every other page still comes from the package.
    changed = {p for p in pages if pages[p] != default[p]}
    assert changed == {p for p in pages if re.fullmatch(r"mini/actors/(?!index)[^/]+\.md", p)}


def test_a_site_template_has_what_templates_readme_lists(tmp_path: Path) -> None:
    """The filters and functions `templates/README.md` documents, as a site template uses them."""
    documented = ACTOR_OVERRIDE + (
        "{% for mt, _ in ix.attended[it.id] %}{{ mt|link }} / {{ m.link('meeting', mt) }} / {{ mt|span }}\n"
        "{% endfor %}"
        "{% for issue_id, group in ix.actor_positions[it.id]|grouped('issue') %}"
        "{{ ix.issues[issue_id]|link }}: {% for p in group %}{{ p.stance|stance }} {{ p|when }} "
        "{{ p.sources|sourced }} {% endfor %}\n{% endfor %}"
        "{% for q in ix.actor_quotes[it.id] %}{{ m.quote(q) }}{% endfor %}"
    )
    default, _ = pages_with(tmp_path / "plain", {})
    pages, report = pages_with(tmp_path / "site", {"actor.md.j2": documented})
    assert report.diagnostics == [] and pages is not None and default is not None
    page, plain = pages["mini/actors/ana-reyes.md"], default["mini/actors/ana-reyes.md"]
    pairs = re.findall(r"^(\[[^\]]+\]\([^)]+\)) / (\[[^\]]+\]\([^)]+\)) / ", page, re.M)
    assert pairs and all(a == b and a in plain for a, b in pairs)  # mt|link, m.link: the default's links
    quote = re.search(r'<div class="bp-quote".*?</div>', plain, re.S)
    assert quote and quote.group() in page
    assert '<span class="bp-stance bp-stance-' in page and "Sources: [" in page


def test_briefing_render_uses_the_site_templates_folder(tmp_path: Path) -> None:
    make_project(tmp_path, {"mini": FIXTURE}, docs=DOCS)
    (tmp_path / "templates" / "actor.md.j2").write_text(ACTOR_OVERRIDE, encoding="utf-8")
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "out" / "mini" / "actors" / "boris-lind.md").read_text(encoding="utf-8")
    assert "Site template for boris-lind: Envoy of Southland." in page


# --- mistakes in a site template -----------------------------------------------------------------

BROKEN = {
    # an unclosed expression on line 7
    "syntax": (ACTOR_OVERRIDE + "{{ it.name }\n", 7, "template syntax: unexpected '}'"),
    # a field the model does not have, on line 7
    "undefined": (ACTOR_OVERRIDE + "{{ it.nickname }}\n", 7, "has no attribute 'nickname'"),
}


def diagnostics(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in DIAGNOSTIC.finditer(output)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_project(tmp_path, {"mini": FIXTURE}, docs=DOCS)
    return tmp_path


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_briefing_render_reports_template_file_and_line(project: Path, kind: str) -> None:
    body, line, message = BROKEN[kind]
    (project / "templates" / "actor.md.j2").write_text(body, encoding="utf-8")
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    [found] = diagnostics(output)
    assert (found["path"], found["line"], found["code"]) == ("templates/actor.md.j2", str(line), "template")
    assert message in found["message"]
    assert not (project / "out").exists()


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_mkdocs_build_reports_template_file_and_line(project: Path, kind: str) -> None:
    body, line, message = BROKEN[kind]
    (project / "templates" / "actor.md.j2").write_text(body, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [found] = diagnostics(result.stderr)
    assert found["path"].endswith("templates/actor.md.j2")
    assert (found["line"], found["severity"], found["code"]) == (str(line), "error", "template")
    assert message in found["message"]


def test_mkdocs_build_names_the_template_relative_to_the_project(project: Path) -> None:
    (project / "templates" / "actor.md.j2").write_text(BROKEN["syntax"][0], encoding="utf-8")
    [found] = diagnostics(mkdocs_build(project).stderr)
    assert found["path"] == "templates/actor.md.j2"


TYPE_ERROR = ACTOR_OVERRIDE + "{{ it.other_names + it.name }}\n"  # list + str, line 7


def test_briefing_render_reports_a_type_error_in_a_template(project: Path) -> None:
    (project / "templates" / "actor.md.j2").write_text(TYPE_ERROR, encoding="utf-8")
    result = run(BRIEFING, "render", "briefings", "--out", "out", cwd=project)
    assert "Traceback" not in result.stderr
    [found] = diagnostics(result.stdout + result.stderr)
    assert (found["path"], found["line"]) == ("templates/actor.md.j2", "7")


def test_mkdocs_build_reports_a_type_error_in_a_template(project: Path) -> None:
    (project / "templates" / "actor.md.j2").write_text(TYPE_ERROR, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [found] = diagnostics(result.stderr)
    assert found["path"].endswith("templates/actor.md.j2") and found["line"] == "7"


def test_include_of_a_missing_template_says_not_found(tmp_path: Path) -> None:
    _, report = pages_with(tmp_path, {"actor.md.j2": ACTOR_OVERRIDE + '{% include "missing.md.j2" %}\n'})
    [found] = [d.format() for d in report.diagnostics]
    assert found.endswith("actor.md.j2:7:1: error: template not found: missing.md.j2 [template]")


def test_repository_templates_folder_holds_only_overrides() -> None:
    """Every template in the site's templates/ replaces a package template of that name (no typos)."""
    package = {p.name for p in (REPO / "generator" / "templates").glob("*.j2")}
    site = TEMPLATES
    stray = sorted(p.name for p in site.glob("*.j2") if p.name not in package) if site.is_dir() else []
    assert stray == [], "these site templates override nothing: misspelt?"


def test_an_unchanged_copy_of_our_templates_is_ours(tmp_path: Path) -> None:
    """Copies saved unchanged (a site starting its overrides) render as ours and load as ours, from
    Jinja's cache of compiled templates; a copy edited by one character is the site's own."""
    package = REPO / "generator" / "templates"
    copies = {p.relative_to(package).as_posix(): p.read_text(encoding="utf-8") for p in package.rglob("*.j2")}
    default, _ = pages_with(tmp_path / "plain", {})
    for name in copies:
        (tmp_path / "site" / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
    pages, report = pages_with(tmp_path / "site", copies)
    assert report.diagnostics == [] and pages == default
    folder = tmp_path / "site" / "templates"
    assert all(
        Path(str(make_env(folder).get_template(name).filename)).is_relative_to(package) for name in copies
    )
    edited_copy = folder / "body" / "actor.md.j2"
    edited_copy.write_text(copies["body/actor.md.j2"] + "\n", encoding="utf-8")
    later = edited_copy.stat().st_mtime_ns + 2_000_000_000  # a new time even where they are coarse
    os.utime(edited_copy, ns=(later, later))
    edited = make_env(folder).get_template("body/actor.md.j2").filename
    assert edited is not None and Path(edited) == folder / "body" / "actor.md.j2"


def test_an_error_in_an_unchanged_copy_names_the_sites_file(tmp_path: Path) -> None:
    """It ran as ours, but the site has it as its own file: the diagnostic names that."""
    package = REPO / "generator" / "templates"
    (tmp_path / "templates" / "body").mkdir(parents=True)
    copy = tmp_path / "templates" / "body" / "actor.md.j2"
    copy.write_bytes((package / "body" / "actor.md.j2").read_bytes())
    # An error raised on line 3 of our template, as Jinja's compiled code reports it.
    with pytest.raises(TypeError) as raised:
        exec(compile("\n\nraise TypeError('in the template')", str(package / "body" / "actor.md.j2"), "exec"))
    assert _template_line(raised.value, tmp_path, tmp_path / "templates") == (3, "templates/body/actor.md.j2")
    assert _template_line(raised.value, tmp_path, None) == (3, str(package / "body" / "actor.md.j2"))


def test_a_template_folder_with_entries_that_cannot_be_read_still_builds(tmp_path: Path) -> None:
    """An editor's lock file (a dangling link named like a template) or a folder named `x.j2` is
    no template, and no reason to stop the build."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / ".#actor.md.j2").symlink_to(tmp_path / "nowhere")
    (folder / "folder.md.j2").mkdir()
    report = Report()
    pages = build_pages(FIXTURE, folder, report, tmp_path)
    assert report.diagnostics == [] and pages is not None
