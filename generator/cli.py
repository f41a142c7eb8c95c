"""The `briefing` command."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from .build import build_pages
from .errors import Report, command
from .export import to_json, to_jsonld
from .plan import Plan
from .project import HEADER, ProjectError, engine_config, own_documents, read_site_config, style_sheets
from .scaffold import ScaffoldError, new_briefing, schemas, write_schemas
from .validate import Validated, find_briefings, load_and_validate
from .verify import UnsafeTarget, check_quotes, verify_quotes, write_atomic
from .write import WriteError, write_tree

PathArg = click.Path(exists=True, file_okay=False, path_type=Path)
FileArg = click.Path(dir_okay=False, path_type=Path)  # a file that may not be there yet


def _load_all(path: Path, report: Report) -> list[Validated]:
    if not find_briefings(path):
        report.error(
            path.as_posix(),
            1,
            1,
            "no briefings here: a briefing is a folder with briefing.yaml "
            f"(start one with `{command('new SLUG')}`)",
            "briefings-missing",
        )
    return [
        load_and_validate(folder, report, Path.cwd() if path.resolve().is_relative_to(Path.cwd()) else None)
        for folder in find_briefings(path)
    ]


def _print_report(report: Report, err: bool = False) -> None:
    for d in report.sorted():
        click.echo(d.format(), err=err)


@click.group()
@click.version_option(package_name="briefing-site")
def cli() -> None:
    """Keep a briefing book as checked data; build it into a site."""


@cli.command()
@click.argument("path", type=PathArg, default="briefings")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--sources", "sources_dir", type=PathArg, help="Folder of stored source texts: verify every quote."
)
def check(path: Path, strict: bool, sources_dir: Path | None) -> None:
    """Validate briefing data and print every problem found."""
    report = Report()
    results = _load_all(path, report)
    for folder, result in zip(find_briefings(path), results, strict=True):
        if sources_dir is not None:  # the texts given, with hashes recorded on a run without errors
            for line in verify_quotes(result, sources_dir, report):
                click.echo(line)
        else:  # the briefing's own `source_texts`, if it says where they are
            check_quotes(result, folder, None, report)
    _print_report(report)
    n = len(results)
    click.echo(f"{report.summary()} in {n} briefing{'s' if n != 1 else ''}")
    if report.errors or (strict and report.warnings):
        sys.exit(1)


@cli.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Write <kind>.schema.json files here."
)
def schema(out: Path | None) -> None:
    """JSON Schema for each data file kind."""
    if out is None:
        click.echo(json.dumps(schemas(), indent=2, sort_keys=True))
    else:
        for p in write_schemas(out):
            click.echo(f"wrote {p}")


@cli.command()
@click.argument("path", type=PathArg, default="briefings")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonld"]), default="json", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
def export(path: Path, fmt: str, output: Path | None) -> None:
    """The whole validated briefing as JSON or JSON-LD."""
    report = Report()
    results = _load_all(path, report)
    if report.errors:
        _print_report(report, err=True)
        click.echo(f"{report.summary()}: nothing exported", err=True)
        sys.exit(1)
    convert = to_json if fmt == "json" else to_jsonld
    docs = [convert(r.data) for r in results if r.data is not None]
    payload = json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(payload, nl=False)
        return
    try:
        write_atomic(output, payload)
    except UnsafeTarget as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("slug")
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default="briefings", show_default=True
)
@click.option(
    "--schemas",
    "schema_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="schemas",
    show_default=True,
    help="Where the JSON Schemas the files point editors at live.",
)
@click.option(
    "--language",
    "code",
    default="en",
    show_default=True,
    help="The language its pages are written in: en, fr, es, ru, ar, zh, de.",
)
def new(slug: str, root: Path, schema_dir: Path, code: str) -> None:
    """Start a briefing folder with one example of each kind."""
    try:
        target = new_briefing(root, slug, schema_dir, code)
    except ScaffoldError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(f"created {target}: edit the files, then run `{command(f'check {shlex.quote(str(target))}')}`")


@cli.command()
@click.argument("path", type=PathArg, default="briefings")
@click.option(
    "--out",
    type=click.Path(file_okay=False),  # a str: click turns "" into Path("."), the current folder
    required=True,
    help="Folder for the Markdown tree (for MkDocs, ProperDocs, Zensical or any other engine).",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    default="templates",
    show_default=True,
    help="Site templates that override the defaults.",
)
@click.option(
    "--config",
    "config_file",
    type=FileArg,
    help="Also write the site as a project Zensical builds (it runs no MkDocs plugin): this "
    "configuration file (mkdocs.yml's format, which Zensical reads), and in --out the style sheets "
    "and the site's own documents beside the pages.",
)
@click.option(
    "--site",
    "site_file",
    type=FileArg,
    default="mkdocs.yml",
    show_default=True,
    help="With --config: the site's configuration, for its settings and its own documents.",
)
def render(path: Path, out: str, templates: Path, config_file: Path | None, site_file: Path) -> None:
    """Write the briefing pages as Markdown files."""
    if not out:
        click.echo(
            "error: --out is empty; nothing was written: name a folder for the pages, e.g. --out pages",
            err=True,
        )
        sys.exit(1)
    folder = Path(out)
    report = Report()
    # For Zensical (--config), links in pictures name pages' source paths, as it rewrites them.
    pages = build_pages(path, templates, report, Path.cwd(), None if config_file else True)
    _print_report(report)
    if pages is None:
        click.echo(f"{report.summary()}: nothing written", err=True)
        sys.exit(1)
    files: dict[str, str | bytes] = dict(pages.items())
    plan = {"pages": pages.describe(), "nav": pages.nav()}
    try:
        config_text, documents = _project(pages, folder, config_file, site_file) if config_file else ("", {})
        files.update(documents)
        written, removed = write_tree(files, folder, plan, frozenset(documents))
        if config_file is not None:
            config_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(config_file, config_text)
    except (WriteError, UnsafeTarget, ProjectError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    unchanged = len(files) - written
    what = "pages" if config_file is None else "files (pages, style sheets, the site's documents)"
    counts = f"{written} written, {removed} removed, {unchanged} unchanged"
    click.echo(f"{len(files)} {what} in {folder}: {counts}")
    if config_file is not None:
        engine = f"zensical build -f {shlex.quote(str(config_file))}"
        click.echo(f"wrote {config_file}: build the site with `{engine}`")


def _project(
    pages: Plan, folder: Path, config_file: Path, site_file: Path
) -> tuple[str, dict[str, str | bytes]]:
    """The engine configuration's text and what goes beside the pages: the style sheets and the
    site's own documents. Refuses to replace a configuration it did not write."""
    out, config_dir = folder.resolve(), config_file.resolve().parent
    if config_dir.is_relative_to(out):
        raise ProjectError(f"{config_file} is inside {folder}: put the configuration beside that folder")
    if config_file.exists() and not config_file.read_text(encoding="utf-8", errors="replace").startswith(
        HEADER
    ):
        raise ProjectError(
            f"{config_file} exists and was not written by `briefing render`; nothing was written"
        )
    site = read_site_config(site_file)
    docs = own_documents(site_file, site) if site_file.is_file() else {}
    if site_file.is_file() and (site_file.parent / str(site.get("docs_dir", "docs"))).resolve() == out:
        raise ProjectError(f"{folder} is the site's own docs folder: render into a folder of its own")
    extra: dict[str, str | bytes] = {**style_sheets(), **docs}
    clash = sorted(set(extra) & set(pages))
    if clash:
        raise ProjectError(
            f"the site's own documents {', '.join(clash)} are at pages' paths; nothing was written"
        )
    docs_dir = os.path.relpath(out, config_dir).replace(os.sep, "/")
    return engine_config(site, docs_dir, pages.nav(), list(docs)), extra


@cli.command()
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Markdown file whose '### Field reference' section to replace (e.g. README.md).",
)
def reference(into: Path | None) -> None:
    """Print the field reference: every file and field a briefing can have (Markdown)."""
    from .reference import SectionError, field_reference, replace_section

    if into is None:
        click.echo(field_reference())
        return
    try:
        replace_section(into)
    except SectionError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(f"wrote the field reference into {into}")


@cli.command()
@click.argument("path", type=PathArg, default="briefings")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="PDF file to write.",
)
@click.option(
    "--site", type=PathArg, help="A site already built with `mkdocs build`: print from it, build nothing."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="mkdocs.yml to build with (default: ./mkdocs.yml if there is one, else a minimal one).",
)
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
def pdf(path: Path, output: Path, site: Path | None, config_file: Path | None, paper: str) -> None:
    """Print the briefing book of the briefing at PATH to a PDF (needs Chromium)."""
    from .pdf import PdfError, make_pdf

    if config_file is None and site is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    try:
        size = make_pdf(path, output, site=site, config_file=config_file, paper=paper)
    except (PdfError, UnsafeTarget) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(f"wrote {output} ({size // 1024} KiB)")


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as e:
        click.echo(f"error: {e.strerror}: {e.filename}", err=True)
        sys.exit(1)
