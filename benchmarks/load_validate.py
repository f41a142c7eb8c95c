"""Time loading + validating a synthetic briefing of 1,000 actors (target: 1 s).

    .venv/bin/python benchmarks/load_validate.py [--n 1000] [--runs 5] [--profile]

Median of `--runs` runs after one warm-up. `--profile` prints a cProfile of one more
run, sorted by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

from generator.errors import Report  # noqa: E402
from generator.validate import load_and_validate  # noqa: E402

TARGET_S = 1.0
WORK = HERE / "_work"


def load_once(folder: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one load + validate."""
    report = Report()
    wall, cpu = time.perf_counter(), time.process_time()
    result = load_and_validate(folder, report)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if report.diagnostics or result.data is None:
        raise SystemExit(f"synthetic briefing is not clean: {report.summary()}")
    return wall, cpu


def measure(folder: Path, runs: int = 5) -> dict[str, float]:
    """Median of `runs` after one warm-up (imports, pydantic validators, OS file cache).

    CPU time is reported beside wall time: on a shared 2-core machine it is the
    steadier of the two when other processes compete.
    """
    load_once(folder)
    times = [load_once(folder) for _ in range(runs)]
    walls = [w for w, _ in times]
    return {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "median_cpu_s": statistics.median(c for _, c in times),
    }


def profile(folder: Path, top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.enable()
    load_and_validate(folder, Report())
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def options(doc: str, sample: bool = False) -> argparse.Namespace:
    """The options of this benchmark and of `build_pages.py`: --n, --runs, --profile (and there
    --sample)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="actors (meetings 2N, positions 5N)")
    parser.add_argument("--runs", type=int, default=5)
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--profile", action="store_true", help="also print a cProfile of one run")
    if sample:
        how.add_argument("--sample", action="store_true", help="also print a sampled profile of one run")
    return parser.parse_args()


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A folder of our own under `_work/`, removed afterwards: two runs at once must not rewrite
    each other's data."""
    WORK.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=WORK, prefix=prefix))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    args = options(__doc__)
    with scratch("load-") as tmp:
        folder = synth.make(tmp / f"synthetic-{args.n}", args.n)
        r = measure(folder, args.runs)
        ratio = r["median_s"] / TARGET_S
        verdict = "PASS" if ratio <= 1 else "FAIL"
        print(
            f"load + validate, N={args.n}: median {r['median_s']:.3f} s wall, {r['median_cpu_s']:.3f} s CPU, "
            f"of {args.runs} runs (min {r['min_s']:.3f}, max {r['max_s']:.3f}); "
            f"{ratio:.2f}x the {TARGET_S:.0f} s target: {verdict}"
        )
        if args.profile or ratio > 1:
            print(profile(folder))


if __name__ == "__main__":
    main()
