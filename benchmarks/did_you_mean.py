"""Time `briefing check` on N unknown references among N ids (target: 5 s at N=20,000).

    .venv/bin/python benchmarks/did_you_mean.py [--n 20000] [--correct] [--keep]

Writes a synthetic briefing of N actors, with ids made like synth.py's names (a first name and
one to three invented words: 'anna-kortelmar', a second one 'anna-kortelmar-2'), and N positions,
each naming one actor with an ordinary typo: one letter wrong, two wrong, two swapped, one
missing, one extra, as after a careless bulk rename. Runs the real `briefing check` once, in a
subprocess, and prints its wall time, the ratio to the target and how many "did you mean"
suggestions name the actor the typo came from. `--correct` writes the references without typos:
the same check with nothing to suggest, for comparison. `--compare K` also asks difflib itself
(get_close_matches over all N ids, the old way) about K of the references, and counts how often it
agrees. Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import FIRST_NAMES, SYLLABLES  # noqa: E402

TARGET_S = 5.0
WORK = HERE / "_work"
BRIEFING = Path(sys.executable).with_name("briefing")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
TYPOS = ("one-wrong", "two-wrong", "swapped", "missing", "extra")
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
UNKNOWN = re.compile(
    r"unknown actor '(?P<written>[^']+)' in actor(?:; did you mean '(?P<suggested>[^']+)'\?)?"
)


def actor_ids(rng: random.Random, n: int) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for _ in range(n):
        words = [rng.choice(FIRST_NAMES).lower()]
        words += [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        base = "-".join(words)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def typo(rng: random.Random, word: str, kind: str) -> str:
    """`word` with one ordinary typo, only ever in its letters, so it stays a valid id."""
    at = [i for i, c in enumerate(word) if c.isalpha()]
    i = rng.choice(at)
    if kind == "one-wrong":
        return word[:i] + rng.choice(LETTERS.replace(word[i], "")) + word[i + 1 :]
    if kind == "two-wrong":
        return typo(rng, typo(rng, word, "one-wrong"), "one-wrong")
    if kind == "swapped":
        pairs = [j for j in at if j + 1 in at and word[j] != word[j + 1]]
        j = rng.choice(pairs) if pairs else i
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if kind == "missing":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(LETTERS) + word[i:]


def write(folder: Path, n: int, correct: bool) -> list[tuple[str, str]]:
    """The briefing in `folder`; returns (reference written, actor meant) for each position."""
    rng = random.Random(f"did-you-mean:{n}")
    ids = actor_ids(rng, n)
    known = set(ids)
    refs = []
    for meant in ids:
        written = meant
        while not correct and written in known:  # a typo that makes another actor's id is no typo
            written = typo(rng, meant, rng.choice(TYPOS))
        refs.append((written, meant))
    files = {
        "briefing.yaml": {"title": "Bulk rename", "summary": "All misspelt.", "as_of": "2016-12-01"},
        "sources.yaml": [{"id": "src", "title": "Source"}],
        "issues.yaml": [{"id": "ceasefire", "name": "Ceasefire"}],
        "actors.yaml": [{"id": a, "name": a.title(), "classification": "person"} for a in ids],
        "positions.yaml": [
            {"id": f"p-{k}", "actor": written, "issue": "ceasefire", "stance": "favor",
             "summary": "Holds a view.", "date": "2016-10-01", "sources": ["src"]}
            for k, (written, _) in enumerate(refs)
        ],
    }  # fmt: skip
    folder.mkdir(parents=True)
    for name, data in files.items():
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
        (folder / name).write_text(text, encoding="utf-8")
    return refs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="actors, and positions naming them")
    parser.add_argument("--correct", action="store_true", help="references without typos, for comparison")
    parser.add_argument("--keep", action="store_true", help="leave the briefing in benchmarks/_work/")
    parser.add_argument("--compare", type=int, default=0, metavar="K", help="check K answers against difflib")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=WORK, prefix="did-you-mean-"))
    try:
        folder = tmp / "bulk-rename"
        refs = write(folder, args.n, args.correct)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            [str(BRIEFING), "check", str(folder)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        lines = result.stdout.splitlines()
        if "Traceback" in result.stderr or not lines:
            raise SystemExit(f"briefing check failed:\n{result.stderr[-3000:]}")
        unknown = [m for m in map(UNKNOWN.search, lines) if m]
        meant = dict(refs)
        suggested = [m for m in unknown if m["suggested"]]
        right = sum(1 for m in suggested if meant[m["written"]] == m["suggested"])
        ratio = seconds / TARGET_S
        what = "correct references" if args.correct else "misspelt references"
        print(
            f"briefing check, {args.n:,} actors, {len(refs):,} {what}: {seconds:.2f} s wall "
            f"({cpu:.2f} s CPU); {ratio:.2f}x the {TARGET_S:.0f} s target: {'PASS' if ratio <= 1 else 'FAIL'}"
        )
        print(
            f"{len(unknown):,} unknown references reported, {len(suggested):,} with a suggestion, "
            f"{right:,} of them the actor meant; summary: {lines[-1]}"
        )
        if args.compare:
            answers = {m["written"]: m["suggested"] for m in unknown}
            ids = sorted(meant.values())
            sample = random.Random(0).sample(sorted(answers), min(args.compare, len(answers)))
            same = sum(
                answers[w] == next(iter(difflib.get_close_matches(w, ids, n=1, cutoff=0.6)), None)
                for w in sample
            )
            print(f"difflib.get_close_matches gives the same answer for {same} of {len(sample)} sampled")
        if args.keep:
            print(f"kept in {folder}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
