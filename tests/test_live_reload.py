"""`mkdocs serve --livereload` on a copy of the fixture: saves to data and templates show up in the
served pages, a broken save keeps the last good site and prints the diagnostic."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from support.browser import CHROMIUM_ARGS, need_chromium
from support.cli import DIAGNOSTIC, ENV
from support.paths import DOCS, FIXTURE, MKDOCS, PROPERDOCS
from support.project import make_project
from support.server import free_port

pytestmark = pytest.mark.slow
START_TIMEOUT = 60.0
RELOAD_TIMEOUT = 30.0
ACTOR_PAGE = "mini/actors/ana-reyes/"
ROLE = '  role: "Foreign Minister of Northland"\n'


@dataclass
class Server:
    project: Path
    base: str
    log: Path
    proc: subprocess.Popen[bytes]

    def get(self, page: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + page, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, ok: Callable[[], bool], timeout: float = RELOAD_TIMEOUT) -> float:
        """Seconds until `ok()` holds; fails after `timeout` with the server's output."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.proc.poll() is not None:
                pytest.fail(f"mkdocs serve exited ({self.proc.returncode}) before {what}:\n{self.output()}")
            try:
                if ok():
                    return time.monotonic() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        pytest.fail(f"no {what} within {timeout:.0f} s; server output:\n{self.output()[-4000:]}")

    def page_shows(self, page: str, words: str) -> Callable[[], bool]:
        def check() -> bool:
            status, body = self.get(page)
            return status == 200 and words in body

        return check

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.project / relative
        body = path.read_text(encoding="utf-8")
        assert old in body, f"{old!r} not in {relative}"
        path.write_text(body.replace(old, new, 1), encoding="utf-8")


@contextmanager
def serving(project: Path, config: Path, *extra: str, engine: Path = MKDOCS) -> Iterator[Server]:
    """`mkdocs serve --livereload` (or ProperDocs') on a free port, up and serving; always
    stopped afterwards."""
    site_path = urlsplit(yaml.safe_load(config.read_text(encoding="utf-8"))["site_url"]).path
    port = free_port()
    log = project.parent / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(engine), "serve", "-f", str(config), "-a", f"127.0.0.1:{port}", "--livereload", *extra],
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    srv = Server(project, f"http://127.0.0.1:{port}{site_path}", log, proc)
    try:
        srv.wait_for("the first page", srv.page_shows(ACTOR_PAGE, "Ana Reyes"), timeout=START_TIMEOUT)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# Plain `mkdocs serve`, and `--dirty` (what `./run serve` runs), where the plugin rebuilds only what
# a save changed: the same behaviour either way; and `properdocs serve --dirty`, the same plugin
# under the maintained continuation of MkDocs 1.x.
@pytest.fixture(
    scope="module",
    params=[(MKDOCS, ()), (MKDOCS, ("--dirty",)), (PROPERDOCS, ("--dirty",))],
    ids=["plain", "dirty", "properdocs"],
)
def server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Server]:
    project = tmp_path_factory.mktemp("serve") / "project"
    config = make_project(project, {"mini": FIXTURE}, docs=DOCS) / "mkdocs.yml"
    engine, extra = request.param
    with serving(project, config, *extra, engine=engine) as srv:
        yield srv


def report(
    capsys: pytest.CaptureFixture[str], record: Callable[[str, object], None], name: str, s: float
) -> None:
    record(name, round(s, 3))
    with capsys.disabled():
        print(f"\n[live reload] {name}: {s:.2f} s")


def test_data_edit_broken_save_and_fix(
    server: Server, capsys: pytest.CaptureFixture[str], record_property: Callable[[str, object], None]
) -> None:
    status, body = server.get(ACTOR_PAGE)
    assert status == 200 and "Foreign Minister of Northland" in body

    # 1. An analyst changes Ana Reyes's role and saves.
    quiet = server.output()
    server.edit("briefings/mini/actors.yaml", ROLE, '  role: "Deputy Harbour Minister"\n')
    latency = server.wait_for("the new role", server.page_shows(ACTOR_PAGE, "Deputy Harbour Minister"))
    report(capsys, record_property, "data edit -> page updated", latency)
    assert latency < RELOAD_TIMEOUT
    # The terminal: one line for the first build, one per rebuild, MkDocs' own chatter left out.
    server.wait_for(
        "the rebuild's line", lambda: "briefing pages changed; site rebuilt in" in server.output()
    )
    said = server.output()
    assert "built " in quiet and " briefing pages in " in quiet and "Serving on" in quiet
    assert re.search(
        r"\b[1-9]\d* of \d+ briefing pages changed; site rebuilt in \d+\.\d s", said[len(quiet) :]
    )
    for chatter in (
        "Documentation built in",
        "Detected file changes",
        "Reloading browsers",
        "Building documentation",
    ):
        assert chatter not in said, chatter

    # 2. A save with a YAML syntax error: the diagnostic is printed, the last good page stays.
    before = server.output()
    server.edit("briefings/mini/actors.yaml", '"Deputy Harbour Minister"', '"Deputy" Harbour Minister')
    expected = "briefings/mini/actors.yaml:5:18: error: YAML syntax:"
    server.wait_for("the rebuild", lambda: "still serving the last good" in server.output()[len(before) :])
    new = server.output()[len(before) :]
    assert expected in new
    assert "Traceback" not in new
    assert any(m["code"] == "yaml-syntax" for m in DIAGNOSTIC.finditer(new))
    status, body = server.get(ACTOR_PAGE)
    assert status == 200 and "Deputy Harbour Minister" in body
    # Every served page says, over the last good version, that the save was not taken, and why.
    for page in (ACTOR_PAGE, "mini/meetings/council-call/", ""):
        status, body = server.get(page)
        assert status == 200
        assert 'class="bp-serve-errors" role="alert"' in body, page
        assert html.escape(expected) in body and "[yaml-syntax]" in body
    # And in a browser, once the theme's script has run: the band is there, at the top, with the words.
    chromium = need_chromium()
    shot, url = server.project / "refused.png", server.base + ACTOR_PAGE
    browser = [chromium, *CHROMIUM_ARGS, "--headless"]
    dom = subprocess.run([*browser, "--dump-dom", url], capture_output=True, text=True, timeout=60).stdout
    band = BeautifulSoup(dom, "html.parser").select_one("body > .bp-serve-errors")
    assert band is not None and expected in band.get_text(), dom[:2000]
    subprocess.run(
        [*browser, "--window-size=1200,800", f"--screenshot={shot}", url], capture_output=True, timeout=60
    )
    assert shot.is_file() and shot.stat().st_size > 10_000

    # 3. The fix is saved: the page follows again.
    server.edit("briefings/mini/actors.yaml", '"Deputy" Harbour Minister', '"Minister for the Harbour"')
    latency = server.wait_for("the fixed role", server.page_shows(ACTOR_PAGE, "Minister for the Harbour"))
    report(capsys, record_property, "fix after broken save -> page updated", latency)
    assert "bp-serve-errors" not in server.get(ACTOR_PAGE)[1]
    assert server.proc.poll() is None


def test_template_edit_shows_up(
    server: Server, capsys: pytest.CaptureFixture[str], record_property: Callable[[str, object], None]
) -> None:
    override = server.project / "templates" / "actor.md.j2"
    override.write_text(
        '{% import "_macros.md.j2" as m with context %}\n{{ m.front(it.name) }}\n\n'
        "# {{ it.name|md }}\n\nOverride in force for {{ it.id }}.\n",
        encoding="utf-8",
    )
    try:
        latency = server.wait_for(
            "the override", server.page_shows(ACTOR_PAGE, "Override in force for ana-reyes.")
        )
        report(capsys, record_property, "new site template -> page updated", latency)

        # A template that no longer compiles: diagnostic with file and line, last good page kept.
        before = server.output()
        override.write_text(override.read_text(encoding="utf-8") + "{{ it.name }\n", encoding="utf-8")
        server.wait_for("the rebuild", lambda: "still serving" in server.output()[len(before) :])
        new = server.output()[len(before) :]
        assert "Traceback" not in new
        [found] = DIAGNOSTIC.finditer(new)
        assert found["path"].endswith("templates/actor.md.j2") and found["line"] == "7"
        body = server.get(ACTOR_PAGE)[1]
        assert "Override in force for ana-reyes." in body
        assert "bp-serve-errors" in body and "actor.md.j2:7:" in body
    finally:
        override.unlink()
    latency = server.wait_for("the default template", server.page_shows(ACTOR_PAGE, "Also known as"))
    report(capsys, record_property, "site template removed -> default back", latency)


def test_templates_folder_created_while_serving_is_picked_up(tmp_path: Path) -> None:
    project = tmp_path / "project"
    config = make_project(project, {"mini": FIXTURE}, docs=DOCS) / "mkdocs.yml"
    shutil.rmtree(project / "templates")
    with serving(project, config) as srv:
        # `mkdocs serve` makes the folder, so it can watch it from the start.
        assert (project / "templates").is_dir()
        (project / "templates" / "actor.md.j2").write_text("# {{ it.name }}\n\nFirst override.\n")
        srv.wait_for("the first override", srv.page_shows(ACTOR_PAGE, "First override."), timeout=8)


@pytest.mark.parametrize(
    ("args", "expected"), [([], True), (["--livereload"], True), (["--no-livereload"], False)]
)
def test_plain_mkdocs_serve_has_live_reload_on(
    monkeypatch: pytest.MonkeyPatch, args: list[str], expected: bool
) -> None:
    """`./run serve` runs a bare `mkdocs serve`. MkDocs applies the plugin's watches only when live
    reload is on, and click 8.2.2-8.3.x parsed this flag pair so that it came out off by default."""
    from click.testing import CliRunner
    from mkdocs.__main__ import cli
    from mkdocs.commands import serve

    seen: dict[str, object] = {}
    monkeypatch.setattr(serve, "serve", lambda **kw: seen.update(kw))
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 0, result.output
    assert seen["livereload"] is expected


def test_briefing_folders_are_polled_often(tmp_path: Path) -> None:
    """A save is seen within WATCH_S, not MkDocs' half second; MkDocs' own watches keep theirs."""
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    from generator.plugin import BUILD_DELAY_S, WATCH_S

    config_file = make_project(tmp_path / "project", {"mini": FIXTURE}, docs=DOCS) / "mkdocs.yml"
    config = load_config(str(config_file))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(config.docs_dir)
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    polled = {Path(e.watch.path).name: e.timeout for e in server.observer.emitters}
    assert polled == {"docs": 0.5, "briefings": WATCH_S, "templates": WATCH_S}
    assert server.observer.timeout == 0.5
    assert server.build_delay == BUILD_DELAY_S
