"""The build: every briefing loaded, validated, its quotes checked and its pages rendered, into the
page plan; every problem reported with its place, and nothing rendered when there is one.

Nothing here knows about MkDocs; the plugin and `briefing render --out` both call `build_pages`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .environment import PACKAGED, copy_of_ours, make_env
from .errors import Report
from .i18n import DEFAULT, _, language, shipped
from .load import RawBriefing, Reader, load_briefing
from .model import BriefingData
from .plan import Page, Plan
from .read import load_file
from .render import Renderer
from .validate import Validated, find_briefings, no_cyclic_gc, validate
from .verify import check_quotes


class Rendered(Protocol):
    """What renders a briefing's pages while serving, from the last build's (see `rebuild.py`)."""

    def render(
        self, env: Environment, data: BriefingData, directory_urls: bool | None, partial: bool = True
    ) -> list[Page]: ...


def render_site(
    briefings: list[BriefingData],
    templates_dir: Path | None = None,
    directory_urls: bool | None = True,
    rendered: Rendered | None = None,
) -> Plan:
    pages: list[Page] = []
    overrides = _overrides(templates_dir)
    for data in briefings:
        env = make_env(templates_dir, data.briefing.language)
        with language(data.briefing.language):
            if rendered is not None:
                pages.extend(rendered.render(env, data, directory_urls, partial=not overrides))
            else:
                pages.extend(Renderer(env, data, directory_urls).render())
    # The site's home page speaks its briefings' language when they share one, else English.
    spoken = {shipped(data.briefing.language) or DEFAULT for data in briefings}
    code = spoken.pop() if len(spoken) == 1 else DEFAULT
    with language(code):
        home = (
            make_env(templates_dir, code)
            .get_template("home.md.j2")
            .render(briefings=briefings, page_path="index.md", page_dir=".", slug="")
        )
        title = _("Briefings")
    pages.append(Page("index.md", "home", title, "home.md.j2", home))
    return Plan(pages, briefings)


def _overrides(templates_dir: Path | None) -> bool:
    """Whether the site overrides one of our templates (or adds one): its pages may then show
    anything of a briefing, so what reads what is unknown. A copy equal to ours overrides nothing."""
    if templates_dir is None or not templates_dir.is_dir():
        return False
    return any(
        not copy_of_ours(site.relative_to(templates_dir).as_posix(), site)
        for site in templates_dir.rglob("*.j2")
        if site.is_file()  # not an editor's lock file (a dangling link) nor a folder
    )


def build_pages(
    briefings_dir: Path,
    templates_dir: Path | None,
    report: Report,
    root: Path | None = None,
    directory_urls: bool | None = True,
    source_texts: Path | None = None,
    read: Reader = load_file,
    rendered: Rendered | None = None,
    stages: dict[str, float] | None = None,
    check: Callable[[RawBriefing, Report, int], Validated] = validate,
) -> Plan | None:
    """Load, validate, check the quotes of and render every briefing; None when any has errors (all
    reported). `source_texts`: the site's folder of stored source texts, for briefings without
    their own. While serving, `read`, `check` and `rendered` reuse what the last build read,
    validated and rendered.
    `stages`: filled with the seconds each stage took (load, validate, quotes, render)."""
    took = _Stages(stages if stages is not None else {})
    if not briefings_dir.is_dir():
        report.error(str(briefings_dir), 1, 1, "briefings folder not found", "briefings-missing")
        return None
    if source_texts is not None and not source_texts.is_dir():
        report.warning(
            str(source_texts),
            1,
            1,
            "source_texts folder not found: quotes were not checked",
            "source-texts-missing",
        )
        source_texts = None
    with no_cyclic_gc():  # rendering, too, only adds objects that live until the build ends
        folders = find_briefings(briefings_dir)
        results = []
        for folder in folders:
            before = len(report.errors)
            with took("load"):
                raw = load_briefing(folder, report, root, read)
            with took("validate"):
                results.append(check(raw, report, before))
        with took("quotes"):
            for folder, result in zip(folders, results, strict=True):
                check_quotes(result, folder, source_texts, report)
        if report.errors:
            return None
        datas = [r.data for r in results if r.data is not None]
        with took("render"):
            return _render(datas, templates_dir, report, root, directory_urls, rendered)


@dataclass
class _Stages:
    seconds: dict[str, float]

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def _render(
    datas: list[BriefingData],
    templates_dir: Path | None,
    report: Report,
    root: Path | None,
    directory_urls: bool | None,
    rendered: Rendered | None,
) -> Plan | None:
    try:
        return render_site(datas, templates_dir, directory_urls, rendered)
    except TemplateSyntaxError as e:
        name = _shown(e.filename or e.name or "template", root)
        report.error(name, e.lineno, 1, f"template syntax: {e.message}", "template")
    except TemplateNotFound as e:
        line, name = _template_line(e, root, templates_dir)
        report.error(name, line, 1, f"template not found: {e.name}", "template")
    except Exception as e:
        line, name = _template_line(e, root, templates_dir)
        if name == "template":  # not raised from a template: a bug of ours, not the site's
            raise
        message = e.message if isinstance(e, TemplateError) and e.message else f"{type(e).__name__}: {e}"
        report.error(name, line, 1, f"template: {message}", "template")
    return None


def _shown(filename: str, root: Path | None) -> str:
    """A template's path as a user knows it: relative to the project when it is inside."""
    path = Path(filename)
    if root is not None and path.is_absolute() and path.is_relative_to(root.resolve()):
        return path.relative_to(root.resolve()).as_posix()
    return filename


def _template_line(
    exc: BaseException, root: Path | None, templates_dir: Path | None = None
) -> tuple[int, str]:
    """The innermost template frame of a rendering error: where a site's template went wrong. A
    site's unchanged copy of ours runs as ours, but is named as the file the site has."""
    tb, found = exc.__traceback__, (1, "template")
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            path, ours = Path(filename).resolve(), PACKAGED.resolve()
            if templates_dir is not None and path.is_relative_to(ours):
                copy = templates_dir / path.relative_to(ours)
                filename = str(copy) if copy.is_file() else filename
            found = (tb.tb_lineno, _shown(filename, root))
        tb = tb.tb_next
    return found


__all__ = ["Rendered", "build_pages", "render_site"]
