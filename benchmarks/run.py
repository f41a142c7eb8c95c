"""Site benchmarks in one run: generator time, `mkdocs build` time against a plain MkDocs
baseline, page and search-index sizes, and `mkdocs serve` reload latency.

    python benchmarks/run.py [--sizes 100,300,1000] [--no-reload] [--keep]

Prints a table and writes benchmarks/last-run.json. Scratch projects go in
benchmarks/_work/ (git-ignored) and are removed afterwards unless --keep.
See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"

try:  # the project's own environment; re-run under it if called with another Python
    import material  # noqa: F401
    import mkdocs  # noqa: F401

    import generator  # noqa: F401
except ImportError:
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    raise

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import posixpath  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import yaml  # noqa: E402

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))  # the served-site check, shared with the test suite
import synth  # noqa: E402
from support.reload import stop  # noqa: E402

from generator.errors import Report  # noqa: E402

try:
    from generator.build import build_pages
except ImportError:  # render.py not written yet
    build_pages = None  # type: ignore[assignment]

SIZES = (100, 300, 1000)
OUT_JSON = HERE / "last-run.json"
TARGETS = {  # name: (limit, meaning)
    "generator_share_1000": (0.05, "generator time / mkdocs build time, N=1000"),
    "build_vs_baseline_1000": (1.2, "build time / plain MkDocs build of as many pages, N=1000"),
    "scaling_1000_vs_300": (3.6, "build time N=1000 / N=300 (linear would be 3.3)"),
    "page_kb_ratio_1000_vs_100": (2.0, "largest page HTML, N=1000 / N=100"),
    "reload_s": (0.5, "seconds from a YAML edit to the changed page served, the real briefing"),
    "reload_s_1000": (1.0, "the same, synthetic N=1000 (3,945 pages)"),
    "reload_s_multi": (1.0, "the same, ten briefings of 100 actors in one site"),
    "consistency_1000_differences": (0, "served pages and search index unlike a clean build, N=1000"),
}
BUILD_TIMEOUT_S = 420
SERVE_START_TIMEOUT_S = 120
RELOAD_TIMEOUT_S = 60
RELOAD_EDITS = 3

# Runs `mkdocs build` in this process and records how long the plugin's generator call took
# and the peak memory, so the generator's share comes from the very build it is part of.
BUILD_WRAPPER = """
import json, resource, sys, time
out = sys.argv[1]
spent = []
try:
    import generator.plugin as plugin
    original = plugin.build_pages
    def timed(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - start, time.process_time() - cpu))
    plugin.build_pages = timed
except (ImportError, AttributeError):
    pass
from mkdocs.__main__ import cli
try:
    cli.main(args=sys.argv[2:], prog_name="mkdocs", standalone_mode=False)
finally:
    with open(out, "w") as f:
        json.dump({"generator_s": sum(w for w, _ in spent) if spent else None,
                   "generator_cpu_s": sum(c for _, c in spent) if spent else None,
                   "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, f)
"""


# ---------------------------------------------------------------- mkdocs.yml handling


class _Tagged:
    """A `!!python/name:…` or `!something` value in mkdocs.yml, kept as written."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


_ConfigLoader.add_multi_constructor("!", _keep_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_ConfigDumper.add_representer(_Tagged, lambda dumper, value: value.node)


def repo_config() -> dict[str, Any]:
    path = REPO / "mkdocs.yml"
    if not path.is_file():
        raise SystemExit(f"{path} not found: nothing to benchmark yet")
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    assert isinstance(config, dict)
    return config


def _plugin_names(config: dict[str, Any]) -> list[str]:
    names = []
    for p in config.get("plugins") or []:
        names.append(p if isinstance(p, str) else next(iter(p)))
    return names


def write_config(project: Path, *, briefing: bool, nav: list[Any] | None = None) -> Path:
    """The repo's mkdocs.yml for a scratch project: its own docs, site and data folders."""
    config = repo_config()
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    plugins = []
    for p in config.get("plugins") or []:
        name = p if isinstance(p, str) else next(iter(p))
        if name == "briefing":
            if briefing:
                options = dict(p["briefing"] or {}) if isinstance(p, dict) else {}
                options.update(briefings_dir="briefings", templates_dir="templates")
                plugins.append({"briefing": options})
        else:
            plugins.append(p)
    if briefing and "briefing" not in _plugin_names({"plugins": plugins}):
        plugins.append({"briefing": {"briefings_dir": "briefings", "templates_dir": "templates"}})
    config["plugins"] = plugins
    if nav is not None:
        config["nav"] = nav
    # A benchmark page is never in the nav on purpose: say so at info level, as the repo does.
    config.setdefault("validation", {}).setdefault("nav", {})["omitted_files"] = "info"
    path = project / "mkdocs.yml"
    path.write_text(yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def snapshot(root: Path) -> Path:
    """The repo's docs, templates and briefings as they are now: every project in a run uses these."""
    snap = root / "_snapshot"
    for name in ("docs", "templates", "briefings"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, snap / name)
        else:
            (snap / name).mkdir(parents=True)
    # The package's own templates too (site templates override them, as in the ChoiceLoader),
    # so that someone editing generator/templates/ during a run cannot change or break it.
    package_templates = REPO / "generator" / "templates"
    if package_templates.is_dir():
        shutil.copytree(package_templates, snap / "templates", dirs_exist_ok=True)
        if (REPO / "templates").is_dir():
            shutil.copytree(REPO / "templates", snap / "templates", dirs_exist_ok=True)
    return snap


def new_project(root: Path, name: str, *, briefing: bool) -> Path:
    project = root / name
    project.mkdir(parents=True)
    shutil.copytree(root / "_snapshot" / "docs", project / "docs")
    if briefing:
        shutil.copytree(root / "_snapshot" / "templates", project / "templates")
        (project / "briefings").mkdir()
    return project


# ---------------------------------------------------------------- measuring


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def mkdocs_build(project: Path) -> dict[str, Any]:
    """One `mkdocs build` in a subprocess: wall and CPU seconds, peak memory, warnings."""
    stats_file = project / "build-stats.json"
    log_file = project / "build.log"
    cmd = [sys.executable, "-c", BUILD_WRAPPER, str(stats_file), "build", "-f", str(project / "mkdocs.yml")]
    result = _timed(cmd, project, log_file)
    if "wall_s" not in result:  # timed out
        return result
    log_text = log_file.read_text(encoding="utf-8", errors="replace")
    stats = json.loads(stats_file.read_text()) if stats_file.is_file() else {}
    result.update(
        max_rss_mb=round(stats.get("max_rss_mb") or 0, 1),
        generator_in_build_s=_round(stats.get("generator_s")),
        generator_in_build_cpu_s=_round(stats.get("generator_cpu_s")),
        warnings=len(re.findall(r"^WARNING", log_text, re.M)),
    )
    if not result["ok"]:
        result["error"] = log_text.strip().splitlines()[-1] if log_text.strip() else "failed"
    return result


def _timed(cmd: list[str], cwd: Path, log_file: Path) -> dict[str, Any]:
    """One build command in a subprocess: wall and CPU seconds, and whether it succeeded."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu, start = _children_cpu(), time.perf_counter()
    with log_file.open("w") as log:
        try:
            proc = subprocess.run(
                cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"timed out after {BUILD_TIMEOUT_S} s"}
    result: dict[str, Any] = {
        "ok": proc.returncode == 0,
        "wall_s": round(time.perf_counter() - start, 3),
        "cpu_s": round(_children_cpu() - cpu, 3),
    }
    if proc.returncode != 0:
        result["error"] = log_file.read_text(encoding="utf-8", errors="replace").strip()[-500:]
    return result


COLD_GENERATOR = """
import sys, time
from pathlib import Path
from generator.errors import Report
from generator.build import build_pages
cpu = time.process_time()
pages = build_pages(Path(sys.argv[1]), Path(sys.argv[2]), Report(), Path(sys.argv[3]))
print(time.process_time() - cpu if pages else "failed")
"""


def cold_generator(briefings: Path, templates: Path, root: Path) -> float | None:
    """CPU seconds of the generator in a fresh process whose template cache is empty (Jinja keeps
    compiled templates in the temporary folder): what the first build after a change costs."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TMPDIR": tmp}
        cmd = [sys.executable, "-c", COLD_GENERATOR, str(briefings), str(templates), str(root)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    try:
        return round(float(proc.stdout.strip().splitlines()[-1]), 3)
    except (ValueError, IndexError):
        print(f"cold generator run failed: {proc.stderr.strip()[-500:]}", flush=True)
        return None


def site_metrics(site: Path) -> dict[str, Any]:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    sizes = sorted(p.stat().st_size for p in pages)
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else None
    index = site / "search" / "search_index.json"
    return {
        "pages": len(pages),
        "site_mb": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20, 2),
        "median_page_kb": round(statistics.median(sizes) / 1024, 1) if sizes else 0,
        "largest_page_kb": round(sizes[-1] / 1024, 1) if sizes else 0,
        "largest_page": largest.relative_to(site).as_posix() if largest else None,
        "largest_pages_kb": {
            p.relative_to(site).as_posix(): round(p.stat().st_size / 1024, 1)
            for p in sorted(pages, key=lambda p: p.stat().st_size)[-5:]
        },
        "search_index_mb": round(index.stat().st_size / 2**20, 2) if index.is_file() else None,
    }


class GeneratorFailed(Exception):
    pass


def time_generator(
    briefings: Path, templates: Path, root: Path, runs: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """The plugin's own call, timed alone: load + validate + render of every page."""
    times, cpus, pages = [], [], None
    for _ in range(runs):
        report = Report()
        start, cpu = time.perf_counter(), time.process_time()
        pages = build_pages(briefings, templates, report, root)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        if pages is None:
            problems = "\n".join(d.format() for d in report.sorted()[:10])
            raise GeneratorFailed(f"generator failed on synthetic data: {report.summary()}\n{problems}")
    assert pages is not None
    sizes = sorted(len(v.encode()) for v in pages.values())
    return {
        "median_s": round(statistics.median(times), 3),
        "median_cpu_s": round(statistics.median(cpus), 3),
        "runs": runs,
        "markdown_pages": len(pages),
        "markdown_mb": round(sum(sizes) / 2**20, 2),
        "largest_markdown_kb": round(sizes[-1] / 1024, 1),
    }, pages


# ---------------------------------------------------------------- the baseline site

_LINK = re.compile(r"\]\(([^)\s]+\.md(?:#[^)\s]*)?)\)")
_TAG = re.compile(r"<[^>]+>")


def _prose(rng: random.Random, length: int) -> str:
    words: list[str] = []
    total = 0
    while total < length:
        s = " ".join(
            p
            for p in (
                rng.choice(synth.SUBJECTS),
                rng.choice(synth.VERBS),
                rng.choice(synth.OBJECTS),
                rng.choice(synth.TAILS),
            )
            if p
        )
        s = s[0].upper() + s[1:] + "."
        words.append(s)
        total += len(s) + 1
    return " ".join(words)


def baseline_page(rng: random.Random, path: str, size: int, links: int, all_paths: list[str]) -> str:
    """Hand-written-looking Markdown of about `size` bytes with `links` relative links."""
    here = posixpath.dirname(path)
    title = " ".join(w.capitalize() for w in rng.choice(synth.OBJECTS).split()[:4])
    parts = [f"# {title}\n", _prose(rng, 200) + "\n"]
    targets = [posixpath.relpath(rng.choice(all_paths), here or ".") for _ in range(links)]
    used = sum(len(p) + 1 for p in parts)
    section = 0
    while used < size or targets:
        section += 1
        block = [f"## {rng.choice(synth.SUBJECTS).capitalize()} {section}\n", _prose(rng, 400) + "\n"]
        if targets:
            batch, targets = targets[:12], targets[12:]
            block.append("\n".join(f"- [{rng.choice(synth.OBJECTS)}]({t})" for t in batch) + "\n")
        if section % 3 == 0:
            rows = "\n".join(
                f"| {rng.choice(synth.SUBJECTS)} | {rng.choice(synth.VERBS)} | 2016 |" for _ in range(5)
            )
            block.append("| Who | Did | When |\n| --- | --- | --- |\n" + rows + "\n")
        text = "\n".join(block)
        parts.append(text)
        used += len(text) + 1
        if used > size and not targets:
            break
    return "\n".join(parts)


def make_baseline(project: Path, pages: dict[str, str], seed: int) -> list[Any]:
    """As many pages as the generated site, at the same paths, with a small nav.

    Each page has as much text as its generated twin once HTML tags are taken out (the
    pictures are inline SVG: markup is not text), and as many relative links.
    """
    rng = random.Random(seed)
    paths = sorted(pages)
    docs = project / "docs"
    for path in paths:
        text = pages[path]
        md = baseline_page(rng, path, len(_TAG.sub("", text).encode()), len(_LINK.findall(text)), paths)
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(md, encoding="utf-8")
    # A few sections, each naming only its first page: like the generator's own nav.
    sections: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split("/")
        if len(parts) >= 3 and parts[-1] == "index.md":
            sections.setdefault(parts[0], []).append(path)
    nav: list[Any] = [{"Home": "index.md"}] if "index.md" in pages else []
    for slug, index_pages in sections.items():
        nav.append({slug: [{p.split("/")[1].capitalize(): p} for p in sorted(index_pages)]})
    for extra in sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")):
        if extra not in pages:
            nav.append(extra)
    return nav


# ---------------------------------------------------------------- live reload


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError):
        return None


_EPOCH = re.compile(r"livereload\((\d+), \d+\);")  # in every page `mkdocs serve` serves


def _wait_newer(origin: str, epoch: int) -> int:
    """The epoch of the next build `mkdocs serve` finishes after `epoch` (its live-reload poll)."""
    body = _get(f"{origin}/livereload/{epoch}/0")
    return int(body) if body and body.strip().isdigit() else epoch


def _cpu_of(pid: int) -> float | None:
    """CPU seconds a running process has used (Linux /proc), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _scalar_to_edit(path: Path) -> tuple[str, int, int, str]:
    """(actor id, start, end, value) of the first actor's summary in actors.yaml: replaced, however
    many lines it spans, by a one-line string."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.SequenceNode)
    for item in root.value:
        fields = {k.value: v for k, v in item.value}
        node = fields.get("summary")
        if isinstance(node, yaml.ScalarNode):
            return fields["id"].value, node.start_mark.index, node.end_mark.index, node.value
    raise SystemExit(f"no actor with a summary to edit in {path}")


RELOAD_SITES = {  # target name: what is served
    "reload_s": "the real briefing",
    "reload_s_1000": "synthetic, 1,000 actors",
    "reload_s_multi": "ten synthetic briefings of 100 actors in one site",
}
# Stages of one reload, from the marks the plugin writes (BRIEFING_TIMINGS) and the edit's time.
STAGES = (
    ("watcher", "the save seen and MkDocs' pause for more (minus the config load)"),
    ("config", "mkdocs.yml loaded again, as serve does for every build"),
    ("plugins", "other plugins' on_config and on_pre_build"),
    ("load", "YAML files read (only those that changed)"),
    ("validate", "models and references checked"),
    ("quotes", "quotes checked against stored texts"),
    ("render", "pages rendered to Markdown (only those a change reaches)"),
    ("files", "MkDocs' file list, the theme's files, which pages changed"),
    ("nav", "the navigation and a Page for every file"),
    ("markdown", "changed pages converted to HTML"),
    ("theme", "changed pages themed and written, with 404 and sitemap"),
    ("search", "the search index written"),
    ("served", "until the polling client sees the new page"),
)


def reload_project(root: Path, name: str, folder: str | None = None) -> tuple[Path, Path]:
    """A project for `name` (see RELOAD_SITES) in `folder` (default: the name), and the actors file
    whose first actor is edited."""
    project = new_project(root, folder or name, briefing=True)
    briefings = project / "briefings"
    if name == "reload_s":
        real = root / "_snapshot" / "briefings"
        slug = (
            "syria-2016"
            if (real / "syria-2016").is_dir()
            else next(p.name for p in real.iterdir() if p.is_dir())
        )
        shutil.copytree(real / slug, briefings / slug)
    elif name == "reload_s_1000":
        slug = "synthetic-1000"
        synth.make(briefings / slug, 1000)
    else:
        for i in range(10):
            synth.make(briefings / f"team-{i}", 100)
        slug = "team-0"
    write_config(project, briefing=True)
    return project, briefings / slug / "actors.yaml"


def _config_load_s(project: Path) -> float:
    from mkdocs.config import load_config

    samples = []
    for _ in range(3):
        start = time.perf_counter()
        load_config(str(project / "mkdocs.yml"))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _breakdown(
    marks: dict[str, float], stages: dict[str, float], edited: float, seen: float, config_s: float
) -> dict[str, float]:
    generator = sum(stages.values())
    out = {
        "watcher": marks["config"] - edited - config_s,
        "config": config_s,
        "plugins": marks["pre_build"] - marks["config"],
        **{k: stages.get(k, 0.0) for k in ("load", "validate", "quotes", "render")},
        "files": marks["files"] - marks["pre_build"] - generator,
        "nav": marks["nav"] - marks["files"],
        "markdown": marks["markdown"] - marks["nav"],
        "theme": marks["pages"] - marks["markdown"],
        "search": marks["search"] - marks["pages"],
        "served": seen - marks["search"],
    }
    return {k: round(v, 3) for k, v in out.items()}


def measure_reload(root: Path, name: str, edits: int = RELOAD_EDITS) -> dict[str, Any]:
    """Serve the site (`mkdocs serve --dirty`, as ./run serve does), edit the first actor's one-line
    summary `edits` times, and time each until the actor's page shows it, stage by stage."""
    project, actors = reload_project(root, name)
    slug = actors.parent.name
    actor_id, start, end, value = _scalar_to_edit(actors)
    config_s = _config_load_s(project)
    port = _free_port()
    mount = urlsplit(str(repo_config().get("site_url") or "")).path.rstrip("/")
    url = f"http://127.0.0.1:{port}{mount}/{slug}/actors/{actor_id}/"
    timings = project / "timings.jsonl"
    log = (project / "serve.log").open("w")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_TIMINGS": str(timings)}
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*cmd, "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it stops its children too
    )
    result: dict[str, Any] = {
        "site": RELOAD_SITES[name],
        "page": url.split(f":{port}", 1)[1],
        "edited": f"{slug}/actors.yaml: {actor_id} summary",
        "config_load_s": round(config_s, 3),
    }
    try:
        page = None
        while time.perf_counter() - t0 < SERVE_START_TIMEOUT_S * 5 and proc.poll() is None:
            page = _get(url)
            if page is not None:
                break
            time.sleep(0.2)
        if page is None:
            raise RuntimeError(f"mkdocs serve did not serve {url}")
        result["startup_s"] = round(time.perf_counter() - t0, 2)
        found = _EPOCH.search(page)
        if found is None:
            raise RuntimeError(f"no live-reload script in {url}")
        epoch = int(found.group(1))
        text = actors.read_text(encoding="utf-8")
        samples, cpu_samples, breakdowns, rebuilt = [], [], [], []
        for n in range(1, edits + 1):
            marker = f"benchmarkedit{n}x{os.getpid()}"
            new_text = text[:start] + json.dumps(f"{value} {marker}", ensure_ascii=False) + text[end:]
            time.sleep(1.0)  # let the previous rebuild settle
            cpu = _cpu_of(proc.pid)
            edited_wall, edited = time.time(), time.perf_counter()
            actors.write_text(new_text, encoding="utf-8")
            while time.perf_counter() - edited < RELOAD_TIMEOUT_S:
                # As the browser's live-reload script does: wait for a newer build, then load the page.
                epoch = _wait_newer(f"http://127.0.0.1:{port}", epoch)
                page = _get(url)
                if page is not None and marker in page:
                    seen_wall = time.time()
                    samples.append(time.perf_counter() - edited)
                    after = _cpu_of(proc.pid)
                    if cpu is not None and after is not None:
                        cpu_samples.append(after - cpu)
                    break
            else:
                raise RuntimeError(f"edit {n} did not show on {url} within {RELOAD_TIMEOUT_S} s")
            time.sleep(0.2)  # the timings line is written as the build ends
            lines = [json.loads(x) for x in timings.read_text(encoding="utf-8").splitlines() if x]
            builds = [x for x in lines if dict(x["marks"])["config"] >= edited_wall]
            if builds:
                b = builds[0]
                breakdowns.append(_breakdown(dict(b["marks"]), b["stages"], edited_wall, seen_wall, config_s))
                rebuilt.append(b["rebuilt"])
        result["samples_s"] = [round(s, 3) for s in samples]
        result["reload_s"] = round(statistics.median(samples), 3)
        result["reload_min_s"] = round(min(samples), 3)
        result["pages_rebuilt"] = rebuilt
        if breakdowns:
            result["stages_s"] = {k: round(statistics.median(b[k] for b in breakdowns), 3) for k, _ in STAGES}
        if cpu_samples:  # the server's CPU seconds for the rebuild: what it costs on an idle machine
            result["rebuild_cpu_s"] = round(statistics.median(cpu_samples), 3)
    except RuntimeError as e:
        result["error"] = str(e)
    finally:
        stop(proc)
        log.close()
    return result


def check_consistency(root: Path) -> dict[str, Any]:
    """The issue's series of saves on N=1000 while `mkdocs serve --dirty` runs, each compared with a
    clean `mkdocs build` of the same files (tests/support/reload.py, as the test suite does)."""
    from support.reload import clean_build, differences, saves, serving

    project, actors = reload_project(root, "reload_s_1000", "consistency-1000")
    folder, out = actors.parent, root / "consistency-clean"
    steps: list[dict[str, Any]] = []
    with serving(project, "--dirty", timeout=SERVE_START_TIMEOUT_S * 5) as served:
        for name, save in [("first build", lambda: None), *saves(folder, project, folder.name)]:
            start = time.perf_counter()
            if name != "first build":
                served.save(save)
            step: dict[str, Any] = {"save": name, "rebuild_s": round(time.perf_counter() - start, 2)}
            if name != "save a broken file":
                problems = differences(served, clean_build(project, served, out))
                step["differences"] = len(problems)
                step["first"] = problems[:5]
            print(f"  {name}: {step}", flush=True)
            steps.append(step)
    total = sum(s.get("differences", 0) for s in steps)
    return {"steps": steps, "differences": total}


# ---------------------------------------------------------------- the run


def _best(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated builds (noise only ever adds time), with every sample kept. The
    generator's part of a build is taken the same way, as the least of its own samples: the
    build that was fastest in all need not be the one whose generator call was spared noise."""
    ok = [b for b in samples if b["ok"]]
    if not ok:
        return samples[-1]
    best = dict(min(ok, key=lambda b: b["cpu_s"]))
    for key in ("wall_s", "cpu_s", "generator_in_build_s", "generator_in_build_cpu_s"):
        values = [b[key] for b in ok if b.get(key) is not None]
        if values:
            best[key] = min(values)
            best[f"{key}_samples"] = values
    return best


def engine_builds(root: Path, project: Path, n: int) -> dict[str, Any]:
    """The same site from ProperDocs (with the plugin, like MkDocs) and from Zensical (the tree
    `briefing render --config` writes, as Zensical runs no plugin), each timed once."""
    bin_dir = Path(sys.executable).parent
    out: dict[str, Any] = {}
    properdocs = bin_dir / "properdocs"
    if properdocs.is_file():
        print(f"N={n}: properdocs build…", flush=True)
        cmd = [str(properdocs), "build", "-f", str(project / "mkdocs.yml"), "-d", str(root / f"pd-{n}")]
        out["properdocs"] = _timed(cmd, project, project / "properdocs.log")
    zensical = bin_dir / "zensical"
    if zensical.is_file():
        plain = root / f"zensical-{n}"
        render = [
            str(bin_dir / "briefing"),
            "render",
            str(project / "briefings"),
            "--out",
            str(plain / "docs"),
            "--config",
            str(plain / "mkdocs.yml"),
            "--site",
            str(project / "mkdocs.yml"),
            "--templates",
            str(project / "templates"),
        ]
        print(f"N={n}: briefing render --config, then zensical build…", flush=True)
        rendered = _timed(render, project, project / "render.log")
        if rendered["ok"]:
            out["zensical"] = _timed(
                [str(zensical), "build", "-f", str(plain / "mkdocs.yml")], plain, plain / "build.log"
            )
            out["zensical"]["render_s"] = rendered["wall_s"]
        else:
            out["zensical"] = rendered
    for name in ("pd-", "zensical-"):
        shutil.rmtree(root / f"{name}{n}", ignore_errors=True)
    return out


def bench_size(root: Path, n: int, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {"n": n}
    project = new_project(root, f"gen-{n}", briefing=True)
    synth.make(project / "briefings" / f"synthetic-{n}", n)
    write_config(project, briefing=True)
    print(f"N={n}: generator…", flush=True)
    try:
        gen, pages = time_generator(
            (project / "briefings").resolve(),
            (project / "templates").resolve(),
            project,
            3 if n <= 300 else 1,
        )
    except GeneratorFailed as e:
        print(e, flush=True)
        out["generator"] = {"error": str(e)}
        return out
    gen["cold_cpu_s"] = cold_generator(
        (project / "briefings").resolve(), (project / "templates").resolve(), project
    )
    out["generator"] = gen
    base = new_project(root, f"base-{n}", briefing=False)
    write_config(base, briefing=False, nav=make_baseline(base, pages, seed=n))
    builds: list[dict[str, Any]] = []
    baselines: list[dict[str, Any]] = []
    for r in range(1, repeat + 1):  # alternate, so a busy spell on the machine hits both alike
        print(f"N={n}: mkdocs build, generated site ({r}/{repeat})…", flush=True)
        builds.append(mkdocs_build(project))
        print(f"N={n}: mkdocs build, baseline ({r}/{repeat})…", flush=True)
        baselines.append(mkdocs_build(base))
    out["build"], out["baseline_build"] = _best(builds), _best(baselines)
    if n == 1000:
        out["engines"] = engine_builds(root, project, n)
    # Each build against the baseline's taken just after it: a busy spell hits both alike.
    out["pair_ratios"] = [
        round(b["cpu_s"] / base["cpu_s"], 3)
        for b, base in zip(builds, baselines, strict=True)
        if b["ok"] and base["ok"] and base["cpu_s"]
    ]
    if out["build"]["ok"]:
        out["site"] = site_metrics(project / "site")
    if out["baseline_build"]["ok"]:
        out["baseline_site"] = site_metrics(base / "site")
    for p in (project, base):
        shutil.rmtree(p / "site", ignore_errors=True)
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def summarise(
    sizes: dict[int, dict[str, Any]], reload: dict[str, Any] | None, consistency: dict[str, Any] | None
) -> dict[str, Any]:
    def get(n: int, *keys: str) -> Any:
        value: Any = sizes.get(n)
        for k in keys:
            value = value.get(k) if isinstance(value, dict) else None
        return value

    # Targets on CPU seconds: on the shared 2-core dev machine other sessions' work
    # stretches wall time 2-3x, unevenly; CPU seconds are what this build itself costs.
    values = {
        "generator_share_1000": _ratio(
            get(1000, "build", "generator_in_build_cpu_s"), get(1000, "build", "cpu_s")
        ),
        "build_vs_baseline_1000": _ratio(get(1000, "build", "cpu_s"), get(1000, "baseline_build", "cpu_s")),
        "scaling_1000_vs_300": _ratio(get(1000, "build", "cpu_s"), get(300, "build", "cpu_s")),
        "page_kb_ratio_1000_vs_100": _ratio(
            get(1000, "site", "largest_page_kb"), get(100, "site", "largest_page_kb")
        ),
        **{name: (reload or {}).get(name, {}).get("reload_s") for name in RELOAD_SITES},
        "consistency_1000_differences": (consistency or {}).get("differences"),
    }
    extra = {
        # Each build's own share, in the order built: how far the noise moves it.
        "generator_share_1000_per_build": [
            _ratio(g, c)
            for g, c in zip(
                get(1000, "build", "generator_in_build_cpu_s_samples") or [],
                get(1000, "build", "cpu_s_samples") or [],
                strict=False,
            )
        ],
        "generator_share_1000_wall": _ratio(
            get(1000, "build", "generator_in_build_s"), get(1000, "build", "wall_s")
        ),
        "build_vs_baseline_1000_wall": _ratio(
            get(1000, "build", "wall_s"), get(1000, "baseline_build", "wall_s")
        ),
        "scaling_1000_vs_300_wall": _ratio(get(1000, "build", "wall_s"), get(300, "build", "wall_s")),
        "reload_rebuild_cpu_s": (reload or {}).get("reload_s", {}).get("rebuild_cpu_s"),
        "build_vs_baseline_1000_pairs_median": (
            round(statistics.median(pairs), 3) if (pairs := get(1000, "pair_ratios")) else None
        ),
        # The other engines against MkDocs on the same site (wall time: Zensical builds on every core).
        **{
            f"{engine}_vs_mkdocs_1000_wall": _ratio(
                get(1000, "engines", engine, "wall_s"), get(1000, "build", "wall_s")
            )
            for engine in ("properdocs", "zensical")
        },
        # The first build after a template changes compiles them (Jinja's cache is then warm).
        "generator_share_1000_cold": _ratio(
            get(1000, "generator", "cold_cpu_s"), get(1000, "build", "cpu_s")
        ),
    }
    targets = {
        name: {
            "value": values[name],
            "limit": limit,
            "meaning": meaning,
            "pass": None if (value := values[name]) is None else value <= limit,
        }
        for name, (limit, meaning) in TARGETS.items()
    }
    return {**values, **extra, "targets": targets}


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}{unit}"
    return f"{value}{unit}"


def print_table(result: dict[str, Any]) -> None:
    rows = [("", *(f"N={n}" for n in result["sizes"]))]

    def row(label: str, *keys: str, unit: str = "") -> None:
        cells = []
        for n in result["sizes"]:
            value: Any = result["sizes"][n]
            for k in keys:
                value = value.get(k) if isinstance(value, dict) else None
            cells.append(_fmt(value, unit))
        rows.append((label, *cells))

    row("generator alone (s)", "generator", "median_s")
    row("generator alone CPU (s)", "generator", "median_cpu_s")
    row("generator, new process, no template cache, CPU (s)", "generator", "cold_cpu_s")
    row("generator in build (s)", "build", "generator_in_build_s")
    row("generator in build CPU (s)", "build", "generator_in_build_cpu_s")
    row("mkdocs build (s)", "build", "wall_s")
    row("mkdocs build CPU (s)", "build", "cpu_s")
    row("build peak RSS (MB)", "build", "max_rss_mb")
    row("build warnings", "build", "warnings")
    row("baseline build (s)", "baseline_build", "wall_s")
    row("baseline build CPU (s)", "baseline_build", "cpu_s")
    row("baseline peak RSS (MB)", "baseline_build", "max_rss_mb")
    row("pages", "site", "pages")
    row("baseline pages", "baseline_site", "pages")
    row("Markdown (MB)", "generator", "markdown_mb")
    row("site size (MB)", "site", "site_mb")
    row("baseline site size (MB)", "baseline_site", "site_mb")
    row("median page HTML (KB)", "site", "median_page_kb")
    row("largest page HTML (KB)", "site", "largest_page_kb")
    row("largest page", "site", "largest_page")
    row("baseline largest page (KB)", "baseline_site", "largest_page_kb")
    row("search index (MB)", "site", "search_index_mb")
    row("baseline search index (MB)", "baseline_site", "search_index_mb")
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    print()
    for name, reload in (result.get("reload") or {}).items():
        print(
            f"{name}: {reload.get('site')}: {_fmt(reload.get('reload_s'), ' s')} "
            f"(samples {reload.get('samples_s', '-')}; pages rebuilt {reload.get('pages_rebuilt', '-')}; "
            f"server CPU per rebuild {_fmt(reload.get('rebuild_cpu_s'), ' s')}; "
            f"server start {_fmt(reload.get('startup_s'), ' s')})"
            + (f" ERROR: {reload['error']}" if reload.get("error") else "")
        )
        stages = reload.get("stages_s") or {}
        if stages:
            print("    " + "  ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    if stages := next(
        (r.get("stages_s") for r in (result.get("reload") or {}).values() if r.get("stages_s")), None
    ):
        print("    stages (median s):")
        for key, meaning in STAGES:
            print(f"      {key:9s} {meaning}")
    if consistency := result.get("consistency"):
        print(
            f"consistency at N=1000: {consistency['differences']} differences "
            f"over {len(consistency['steps'])} saves"
        )
    print()
    for name, t in result["summary"]["targets"].items():
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[t["pass"]]
        print(f"{verdict:4s}  {name:28s} {_fmt(t['value']):>8s}  (target ≤ {t['limit']}: {t['meaning']})")
    cold = result["summary"].get("generator_share_1000_cold")
    print(f"      {'(first build, templates compiled)':28s} {_fmt(cold):>8s}  generator_share_1000_cold")
    if per_build := result["summary"].get("generator_share_1000_per_build"):
        print(f"      {'(each build, in order)':28s} {', '.join(_fmt(x) for x in per_build)}")
    engines = (result["sizes"].get(1000) or {}).get("engines") or {}
    for engine, run in engines.items():
        ratio = result["summary"].get(f"{engine}_vs_mkdocs_1000_wall")
        said = f"{run.get('wall_s')} s wall, {run.get('cpu_s')} s CPU" if run.get("ok") else run.get("error")
        print(f"      {engine + ' / mkdocs, N=1000':28s} {_fmt(ratio):>8s}  {said}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="actor counts, comma-separated")
    parser.add_argument(
        "--repeat", type=int, default=5, help="builds of each site, alternating; fastest kept"
    )
    parser.add_argument("--no-reload", action="store_true", help="skip the mkdocs serve measurements")
    parser.add_argument(
        "--no-consistency", action="store_true", help="skip the served-site check against clean builds"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch projects in benchmarks/_work/")
    parser.add_argument("--out", type=Path, default=OUT_JSON, help="where to write the JSON results")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    (HERE / "_work").mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=HERE / "_work", prefix="run-"))
    started = time.perf_counter()
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "git": _git_state(),
        "versions": {
            name: _version(name) for name in ("mkdocs", "mkdocs-material", "jinja2", "pyyaml", "pydantic")
        },
        "sizes": {},
    }
    try:
        snapshot(root)
        if build_pages is None:
            print("generator/build.py has no build_pages yet: skipping generator and build timings")
        else:
            for n in sizes:
                result["sizes"][n] = bench_size(root, n, max(1, args.repeat))
        if not args.no_reload:
            result["reload"] = {}
            for name, site in RELOAD_SITES.items():
                print(f"mkdocs serve --dirty: reload latency, {site}…", flush=True)
                result["reload"][name] = measure_reload(root, name)
        if not args.no_consistency:
            print("mkdocs serve --dirty: the served site after each save against a clean build, N=1000…")
            try:
                result["consistency"] = check_consistency(root)
            except (AssertionError, OSError, RuntimeError) as e:  # recorded, and the target fails
                result["consistency"] = {"error": str(e)[-2000:], "differences": None, "steps": []}
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    result["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["summary"] = summarise(result["sizes"], result.get("reload"), result.get("consistency"))
    print()
    print_table(result)
    print(
        f"\ntotal {result['total_s']} s; load average {result['machine']['load_avg_at_start']} at start, "
        f"{result['machine']['load_avg_at_end']} at end on {os.cpu_count()} CPUs"
    )
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def _git_state() -> dict[str, Any]:
    """The commit measured, and which files differed from it (others may be editing the checkout)."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30, check=True
            ).stdout.rstrip("\n")
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if line[3:]]
    return {"commit": git("rev-parse", "HEAD").strip() or None, "uncommitted": changed}


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    main()
