"""The served site against a clean build: `mkdocs serve --dirty` of a project in a subprocess, a
scripted series of saves, and after each the served site compared with `mkdocs build` of the same
files. Used by the test suite (small fixture) and `benchmarks/run.py` (N=1000)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .paths import REPO
from .server import free_port

_EPOCH = re.compile(rb"livereload\((\d+), (\d+)\);")
# What `mkdocs serve` adds to every HTML page it serves (mkdocs/livereload/__init__.py, 1.6.1).
_INJECTED = re.compile(
    rb"<script>\nvar livereload = function\(epoch, requestId\).*?</script>(?=</body>|$)", re.S
)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return int(r.status), bytes(r.read())
    except urllib.error.HTTPError as e:
        return int(e.code), bytes(e.read())


def now() -> int:
    """The time as MkDocs' live-reload server numbers its builds: milliseconds on the monotonic
    clock (`mkdocs/livereload/__init__.py`, `_timestamp`), which every process here shares. Each
    build's number is the time it started."""
    return round(time.monotonic() * 1000)


@dataclass
class Served:
    """A running `mkdocs serve`: its base URL, its site folder and its log."""

    proc: subprocess.Popen[bytes]
    base: str  # http://127.0.0.1:PORT/mount/
    origin: str
    tmp: Path  # the TMPDIR it was started with: its site folder is the one mkdocs_* in it
    log: Path
    epoch: int = 0

    @property
    def site(self) -> Path:
        found = [p for p in self.tmp.iterdir() if p.name.startswith("mkdocs_") and p.is_dir()]
        assert len(found) == 1, found
        return found[0]

    def page(self, url: str) -> tuple[int, bytes]:
        """A page as served, without the live-reload script the server adds."""
        status, body = _get(self.base + url)
        return status, _INJECTED.sub(b"", body)

    def save(self, save: Callable[[], None], timeout: float = 600) -> None:
        """Make a save, then wait until the site built from it is served (`wait_built`)."""
        since = now()
        save()
        self.wait_built(since, timeout)

    def wait_built(self, since: int = 0, timeout: float = 600) -> None:
        """Until a build newer than the last seen, and started at `since` or later (`now()` taken
        before a save), is served, and no other follows within a moment. A build that started
        before the save, one that was still to come after the last wait, does not count."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.proc.poll() is not None:
                raise AssertionError(f"no rebuild seen; log:\n{self.log.read_text()[-3000:]}")
            try:
                _, body = _get(f"{self.origin}/livereload/{self.epoch}/0", timeout=min(remaining, 60))
            except (TimeoutError, urllib.error.URLError):
                continue
            epoch = int(body)
            if epoch > self.epoch:
                self.epoch = epoch
                if epoch >= since:
                    break
        while True:  # a save of several files may start more than one build
            try:
                _, body = _get(f"{self.origin}/livereload/{self.epoch}/0", timeout=1.0)
            except (TimeoutError, urllib.error.URLError):
                return
            self.epoch = max(self.epoch, int(body))


@contextmanager
def serving(project: Path, *args: str, timeout: float = 600) -> Iterator[Served]:
    port = free_port()
    tmp = project / ".serve-tmp"
    tmp.mkdir(exist_ok=True)
    log = project / "serve.log"
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    mount = re.sub(r"^https?://[^/]+", "", str(config.get("site_url") or "/")).rstrip("/") + "/"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *args],
            cwd=project,
            env={**ENV, "TMPDIR": str(tmp)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    origin = f"http://127.0.0.1:{port}"
    served = Served(proc, f"{origin}{mount}", origin, tmp, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"mkdocs serve did not start; log:\n{log.read_text()[-3000:]}")
            try:
                status, body = _get(served.base, timeout=5)
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
                continue
            if status == 200 and (m := _EPOCH.search(body)):
                served.epoch = int(m[1])
                break
            time.sleep(0.2)
        yield served
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[Any]) -> None:
    """A server started in its own process group, stopped with its children, killed if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def clean_build(project: Path, served: Served, out: Path) -> Path:
    """`mkdocs build` of the project as it is now, with the served site's URL (serve sets it)."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = served.base
    config["site_dir"] = str(out)
    config_file = project / "mkdocs-check.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    config_file.unlink()
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _search_set(data: bytes) -> tuple[Any, set[str]]:
    index = json.loads(data)
    return index.get("config"), {json.dumps(d, sort_keys=True) for d in index["docs"]}


def differences(served: Served, clean: Path) -> list[str]:
    """Every way the served site differs from the clean build: files one has and the other lacks
    (a page only served must also answer 404 over HTTP), each HTML page as served, the search
    index as a set of entries, every other file byte for byte."""
    problems: list[str] = []
    site = served.site
    have, want = _files(site), _files(clean)
    for name in sorted(have - want):
        problems.append(f"served but not built: {name}")
    for name in sorted(want - have):
        problems.append(f"built but not served: {name}")
    for name in sorted(have & want):
        expected = (clean / name).read_bytes()
        if name.endswith(".html"):
            status, got = served.page(name.removesuffix("index.html"))
            if status != 200 or got != expected:
                problems.append(f"page differs: {name} (HTTP {status})")
        elif name == "search/search_index.json":
            if _search_set((site / name).read_bytes()) != _search_set(expected):
                problems.append("search index differs")
        elif name.endswith(".gz"):
            if gzip.decompress((site / name).read_bytes()) != gzip.decompress(expected):
                problems.append(f"differs: {name}")
        elif (site / name).read_bytes() != expected:
            problems.append(f"differs: {name}")
    return problems


# ---------------------------------------------------------------- the saves


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def dump_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_entry(folder: Path, plural: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    items = load_yaml(folder / f"{plural}.yaml")
    change(items)
    dump_yaml(folder / f"{plural}.yaml", items)


def _mentions(value: Any, ident: str) -> bool:
    if isinstance(value, str):
        return value == ident
    if isinstance(value, dict):
        return any(_mentions(v, ident) for k, v in value.items() if k != "id")
    if isinstance(value, list):
        return any(_mentions(v, ident) for v in value)
    return False


def delete_everywhere(folder: Path, plural: str, ident: str) -> list[str]:
    """The entry, and every entry that names it (and so on), gone in one save: what is left is valid."""
    doomed = [(plural, ident)]
    removed: list[str] = []
    while doomed:
        kind, gone = doomed.pop()
        removed.append(f"{kind}:{gone}")
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "briefing.yaml":
                continue
            items = load_yaml(path)
            keep = []
            for item in items:
                if path.stem == kind and item.get("id") == gone:
                    continue
                if _mentions(item, gone) and path.stem != kind:
                    doomed.append((path.stem, item["id"]))
                    continue
                keep.append(item)
            if keep != items:
                dump_yaml(path, keep)
    return removed


def least_named(folder: Path, plural: str, field: str = "id") -> str:
    """The entry of `plural` that the fewest other entries name."""
    others = [i for p in folder.glob("*.yaml") if p.stem not in (plural, "briefing") for i in load_yaml(p)]
    items = load_yaml(folder / f"{plural}.yaml")
    return min(items, key=lambda it: (sum(_mentions(o, it[field]) for o in others), it[field]))[field]


def saves(folder: Path, project: Path, slug: str) -> list[tuple[str, Callable[[], None]]]:
    """The issue's series: each a name and the save it makes."""
    new_id = "reload-check-newcomer"

    def summary() -> None:
        edit_entry(folder, "actors", lambda a: a[0].update(summary=f"{a[0].get('summary', '')} Edited once."))

    def rename() -> None:
        edit_entry(folder, "actors", lambda a: a[0].update(name=f"{a[0]['name']} Renamed"))

    def move_meeting() -> None:  # the timeline, the meetings index and the neighbours reorder
        def move(meetings: list[dict[str, Any]]) -> None:
            meetings[-1]["start_date"] = "2010-01-01"
            meetings[-1].pop("end_date", None)

        edit_entry(folder, "meetings", move)

    def stance() -> None:  # the positions matrix
        def turn(positions: list[dict[str, Any]]) -> None:
            positions[0]["stance"] = "against" if positions[0].get("stance") != "against" else "favor"

        edit_entry(folder, "positions", turn)

    def add_and_reference() -> None:
        def add(actors: list[dict[str, Any]]) -> None:
            first = actors[0]
            actors.append(
                {
                    "id": new_id,
                    "name": "Newcomer To The Talks",
                    "classification": first.get("classification", "person"),
                    "sources": first.get("sources", []),
                }
            )

        edit_entry(folder, "actors", add)

        def attend(meetings: list[dict[str, Any]]) -> None:
            meetings[0].setdefault("attendees", []).append({"actor": new_id})

        edit_entry(folder, "meetings", attend)

    def delete_position() -> None:
        edit_entry(folder, "positions", lambda p: p.pop(0))

    def delete_meeting() -> None:
        delete_everywhere(folder, "meetings", least_named(folder, "meetings"))

    def broken() -> None:
        path = folder / "actors.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")

    def fixed() -> None:
        path = folder / "actors.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("\n- id: [unclosed\n", ""), encoding="utf-8")

    def template() -> None:
        source = REPO / "generator" / "templates" / "body" / "actor.md.j2"
        target = project / "templates" / "body" / "actor.md.j2"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8") + "\nSite template edited.\n", encoding="utf-8")

    def new_briefing() -> None:
        shutil.copytree(folder, folder.parent / f"{slug}-copy")

    return [
        ("change a summary", summary),
        ("rename an actor", rename),
        ("move a meeting in time", move_meeting),
        ("turn a stance", stance),
        ("add an actor and reference it from a meeting", add_and_reference),
        ("delete a position", delete_position),
        ("delete a whole meeting", delete_meeting),
        ("save a broken file", broken),
        ("fix it", fixed),
        ("edit a site template", template),
        ("add a new briefing folder", new_briefing),
    ]
