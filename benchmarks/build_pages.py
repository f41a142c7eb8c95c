"""CPU time of the generator's first build of a synthetic briefing of 1,000 actors, by stage.

    .venv/bin/python benchmarks/build_pages.py [--n 1000] [--runs 5] [--profile | --sample]

Each run is a new Python process calling `generator.build.build_pages` once, as `mkdocs build`
does: nothing is kept in memory from an earlier build, while Jinja's compiled templates are
(a warm-up run writes them to its cache first). Prints the median CPU seconds of the whole call
and of each stage (load, validate, quotes, render) over `--runs` runs.

`--profile` prints a cProfile of one more run, sorted by own time and by cumulative time; it
slows each Python call several times over, so small functions called often look costlier than
they are. `--sample` prints where one more run spent its CPU time instead, from a sample of
the stack every millisecond: by function (its own time, and with what it calls) and by line.
"""

from __future__ import annotations

import collections
import cProfile
import io
import json
import pstats
import signal
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]  # this checkout's generator, whichever is installed

import synth  # noqa: E402
from load_validate import options, scratch  # noqa: E402

TOP = 40  # rows of each table --profile and --sample print


def one_build(briefings: Path, how: str = "time") -> dict[str, float]:
    """CPU seconds of one `build_pages` in a new process, in all and by stage; with `how`
    "profile" or "sample", its profile printed too."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", how, str(briefings)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    print(done.stderr, end="")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def child(how: str, briefings: Path) -> None:
    """One build, in this process: its CPU seconds as JSON on stdout, a profile on stderr."""
    import generator.build as build
    from generator.errors import Report

    build.time = types.SimpleNamespace(perf_counter=time.process_time)  # the stages' CPU time
    stages: dict[str, float] = {}
    watch = {"profile": _profiled, "sample": _sampled}.get(how)
    start = time.process_time()
    run = lambda: build.build_pages(briefings, REPO / "templates", Report(), REPO, stages=stages)  # noqa: E731
    plan = watch(run) if watch else run()
    total = time.process_time() - start
    if plan is None:
        raise SystemExit("the synthetic briefing did not build")
    print(json.dumps({"total": total, **stages}))


def _profiled(run: Callable[[], object]) -> object:
    prof = cProfile.Profile()
    result = prof.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(TOP)
    stats.sort_stats("cumulative").print_stats(TOP)
    print(out.getvalue(), file=sys.stderr)
    return result


def _sampled(run: Callable[[], object]) -> object:
    """Run, counting every millisecond of CPU time against the function and line running then
    (its own time) and every function on the stack (with what it calls)."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    lines: collections.Counter[str] = collections.Counter()

    def name(frame: types.FrameType) -> str:
        return f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"

    def sample(_signal: int, frame: types.FrameType | None) -> None:
        if frame is None:
            return
        own[name(frame)] += 1
        lines[f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}"] += 1
        inclusive.update({name(f) for f in _stack(frame)})

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
    try:
        result = run()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    total = sum(own.values()) or 1
    for title, counts in (("own time", own), ("with what it calls", inclusive), ("by line", lines)):
        print(f"--- {title}, % of {total} samples", file=sys.stderr)
        for key, n in counts.most_common(TOP):
            print(f"{100 * n / total:5.1f}  {key}", file=sys.stderr)
    return result


def _stack(frame: types.FrameType | None) -> list[types.FrameType]:
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]))
        return
    args = options(__doc__, sample=True)
    with scratch("build-") as tmp:
        briefings = tmp / "briefings"
        synth.make(briefings / f"synthetic-{args.n}", args.n)
        one_build(briefings)  # warm-up: the compiled templates cached, the files read once
        runs = [one_build(briefings) for _ in range(args.runs)]
        medians = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
        print(
            f"build_pages, N={args.n}, CPU s, median of {args.runs} new processes: "
            + ", ".join(f"{name} {s:.3f}" for name, s in medians.items())
        )
        print("  total of each run: " + ", ".join(f"{r['total']:.3f}" for r in runs))
        if args.profile or args.sample:
            one_build(briefings, "profile" if args.profile else "sample")


if __name__ == "__main__":
    main()
