"""`briefing check` and `briefing new` as a user runs them, plus damaged-input runs of the real script."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.cli import run
from support.data import BRIEFING_YAML, CLEAN, write_files
from support.paths import BRIEFING, REAL

from generator.cli import cli
from generator.errors import command
from generator.kinds import COLLECTIONS


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` with its modification time and content."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- check ---------------------------------------------------------------------------------------


def test_check_clean_briefing(cwd: Path) -> None:
    write_files(cwd / "demo", CLEAN)
    result = invoke("check", "demo", "--strict")
    assert (result.output, result.exit_code) == ("0 errors, 0 warnings in 1 briefing\n", 0)


def test_check_prints_every_problem_then_a_summary_and_fails(cwd: Path) -> None:
    write_files(
        cwd / "demo",
        {
            **CLEAN,
            "briefing.yaml": BRIEFING_YAML.replace("2016-10-20", "2016-02-30"),
            "meetings.yaml": CLEAN["meetings.yaml"].replace("bilateral", "bilatreal"),
            "questions.yaml": "- id: next-round\n  question: When is the next round?\n",
        },
    )
    result = invoke("check", "demo")
    assert result.output.splitlines() == [
        "demo/briefing.yaml:3:8: error: '2016-02-30' is not a date: February 2016 has 29 days [date-invalid]",
        "demo/meetings.yaml:4:11: error: 'bilatreal' is not a valid format: use one of bilateral, "
        "trilateral, multilateral, ministerial, summit, security-council, other; did you mean "
        "'bilateral'? [value-enum]",
        "demo/questions.yaml:1:7: warning: question 'next-round' is linked to nothing: add actors, issues, "
        "meetings or events [question-unlinked]",
        "2 errors, 1 warning in 1 briefing",
    ]
    assert result.exit_code == 1


def test_warnings_pass_unless_strict(cwd: Path) -> None:
    write_files(cwd / "demo", {**CLEAN, "questions.yaml": "- id: next-round\n  question: When?\n"})
    expected = [
        "demo/questions.yaml:1:7: warning: question 'next-round' is linked to nothing: add actors, issues, "
        "meetings or events [question-unlinked]",
        "0 errors, 1 warning in 1 briefing",
    ]
    lenient = invoke("check", "demo")
    assert (lenient.output.splitlines(), lenient.exit_code) == (expected, 0)
    strict = invoke("check", "demo", "--strict")
    assert (strict.output.splitlines(), strict.exit_code) == (expected, 1)


def test_check_defaults_to_the_briefings_folder_and_checks_each(cwd: Path) -> None:
    write_files(cwd / "briefings" / "alpha", CLEAN)
    write_files(cwd / "briefings" / "beta", {**CLEAN, "briefing.yaml": BRIEFING_YAML + "titel: x\n"})
    write_files(cwd / "briefings" / "_drafts", {"briefing.yaml": "broken: [\n"})
    write_files(cwd / "briefings" / ".cache", {"briefing.yaml": "broken: [\n"})
    result = invoke("check")
    assert result.output.splitlines() == [
        "briefings/beta/briefing.yaml:4:1: error: unknown key 'titel' in briefing [key-unknown]",
        "1 error, 0 warnings in 2 briefings",
    ]
    assert result.exit_code == 1


def test_folder_outside_the_working_directory_shows_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path / "data" / "demo", {**CLEAN, "briefing.yaml": BRIEFING_YAML + "titel: x\n"})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = invoke("check", str(tmp_path / "data" / "demo"))
    folder = (tmp_path / "data" / "demo").as_posix()
    assert result.output.splitlines()[0].startswith(f"{folder}/briefing.yaml:4:1: error: unknown key 'titel'")


def test_check_of_a_missing_folder_is_a_usage_error(cwd: Path) -> None:
    result = invoke("check", "nowhere")
    assert result.exit_code == 2
    assert "Directory 'nowhere' does not exist." in result.output


def test_briefing_folder_that_lost_its_briefing_yaml_fails(cwd: Path) -> None:
    write_files(cwd / "demo", {k: v for k, v in CLEAN.items() if k != "briefing.yaml"})
    result = invoke("check", "demo")
    assert result.output.splitlines() == [
        f"demo:1:1: error: no briefing.yaml in this folder (run `{command('new SLUG')}`) [briefing-missing]",
        "1 error, 0 warnings in 1 briefing",
    ]
    assert result.exit_code == 1


# --- new -----------------------------------------------------------------------------------------


def test_new_creates_a_briefing_that_passes_strict_check(cwd: Path) -> None:
    result = invoke("new", "harbour-2016")
    next_step = command("check briefings/harbour-2016")
    assert result.output == f"created briefings/harbour-2016: edit the files, then run `{next_step}`\n"
    assert result.exit_code == 0
    folder = cwd / "briefings" / "harbour-2016"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{kind}.yaml" for kind in ["briefing", *COLLECTIONS]
    )
    assert sorted(p.name for p in (cwd / "briefings").iterdir()) == ["harbour-2016"]  # no temp folder left
    checked = invoke("check", "briefings/harbour-2016", "--strict")
    assert (checked.output, checked.exit_code) == ("0 errors, 0 warnings in 1 briefing\n", 0)


def test_new_points_each_file_at_its_schema(cwd: Path) -> None:
    assert invoke("new", "demo", "--root", "data", "--schemas", "meta/schemas").exit_code == 0
    for path in sorted((cwd / "data" / "demo").iterdir()):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path.name
        target = (path.parent / first.removeprefix(prefix)).resolve()
        assert target == (cwd / "meta" / "schemas" / f"{path.stem}.schema.json").resolve()
        assert target.is_file()


def test_new_refuses_to_overwrite_and_changes_nothing(cwd: Path) -> None:
    assert invoke("new", "demo").exit_code == 0
    folder = cwd / "briefings" / "demo"
    (folder / "actors.yaml").write_text(CLEAN["actors.yaml"], encoding="utf-8")  # the user's own edits
    before = snapshot(cwd)
    result = invoke("new", "demo")
    assert (result.stderr, result.stdout, result.exit_code) == (
        "error: briefings/demo already exists; nothing was written\n",
        "",
        1,
    )
    assert snapshot(cwd) == before


def test_new_refuses_to_replace_a_file_of_that_name(cwd: Path) -> None:
    (cwd / "briefings").mkdir()
    (cwd / "briefings" / "demo").write_text("mine\n", encoding="utf-8")
    result = invoke("new", "demo")
    assert result.exit_code == 1
    assert (cwd / "briefings" / "demo").read_text(encoding="utf-8") == "mine\n"


def test_new_rejects_a_bad_slug_and_writes_nothing(cwd: Path) -> None:
    result = invoke("new", "Harbour Talks")
    assert (result.output, result.exit_code) == (
        "error: 'Harbour Talks' is not a valid slug: use lowercase letters, digits and hyphens\n",
        1,
    )
    assert list(cwd.iterdir()) == []


# --- damaged input, through the real console script -----------------------------------------------
# Each damage is written to work on any valid briefing: the one `briefing new` makes and the real
# briefings/syria-2016. Each returns the line its diagnostic must point at.


def _edit_line(path: Path, pattern: str, edit: Callable[[str], str], *, after: bool = False) -> int:
    """Apply `edit` to the first line matching `pattern` (or insert its result after that line)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if re.match(pattern, line))
    if after:
        lines.insert(n + 1, edit(lines[n]))
    else:
        lines[n] = edit(lines[n])
    path.write_text("".join(lines), encoding="utf-8")
    return n + 2 if after else n + 1


def _append(path: Path, text: str) -> int:
    """Append whole lines; returns the first appended line."""
    old = path.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def _syntax(p: Path) -> int:  # `stance: favor` -> `stance: favor: strongly`
    return _edit_line(p, r"^  \w+: [a-z0-9][^:#\"'\[{]*$", lambda line: line.rstrip("\n") + ": strongly\n")


def _duplicate(p: Path) -> int:  # `- id: x` followed by `  id: x`
    return _edit_line(p, r"^- id: ", lambda line: line.replace("- id:", "  id:"), after=True)


def _tab(p: Path) -> int:
    return _edit_line(p, r"^  \w", lambda line: "\t" + line[2:])


def _python_tag(p: Path) -> int:
    return 1 + _append(p, '- id: injected\n  text: !!python/object/apply:os.system ["touch pwned"]\n')


def _alias_bomb(p: Path) -> int:
    bomb = ['lol0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for b, c in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"lol{c}: &{c} [" + ", ".join([f"*{b}"] * 9) + "]")
    # Reported at the alias that overruns the budget: the lol5 line, whose aliases hold 9**5 nodes each.
    return _append(p, "\n".join(bomb) + "\n") + 5


def _bad_utf8(p: Path) -> int:
    data = p.read_bytes()
    first_break = data.index(b"\n") + 1
    p.write_bytes(data[:first_break] + "# Gen\xe8ve\n".encode("latin-1") + data[first_break:])
    return 2


def _empty(p: Path) -> int:
    p.write_bytes(b"")
    return 1


def _binary(p: Path) -> int:
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    return 3


def _impossible_date(p: Path) -> int:
    return _edit_line(p, r"^\s+date: \S", lambda line: line.split("date:")[0] + "date: 2016-02-30\n")


def _deep(p: Path) -> int:
    p.write_text("[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    return 1


def _huge(p: Path) -> int:
    with p.open("a", encoding="utf-8") as f:
        f.write("# " + "x" * (6 * 2**20) + "\n")
    return 1


@dataclass(frozen=True)
class Damage:
    name: str
    file: str
    apply: Callable[[Path], int]
    code: str


# One file each, so that all of them can also be applied to a single copy at once.
DAMAGES = [
    Damage("alias-bomb", "briefing.yaml", _alias_bomb, "yaml-alias"),
    Damage("empty-file", "actors.yaml", _empty, "file-empty"),
    Damage("invalid-utf8", "disputes.yaml", _bad_utf8, "file-encoding"),
    Damage("nesting-10000-deep", "events.yaml", _deep, "yaml-depth"),
    Damage("binary-file", "figures.yaml", _binary, "file-binary"),
    Damage("tab", "issues.yaml", _tab, "yaml-tab"),
    Damage("duplicate-key", "meetings.yaml", _duplicate, "yaml-duplicate-key"),
    Damage("syntax-error", "positions.yaml", _syntax, "yaml-syntax"),
    Damage("file-over-5-mib", "questions.yaml", _huge, "file-size"),
    Damage("python-tag", "quotes.yaml", _python_tag, "yaml-tag"),
    Damage("impossible-date", "sources.yaml", _impossible_date, "date-invalid"),
]


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A briefing made by the real `briefing new`, checked clean by the real `briefing check --strict`."""
    root = tmp_path_factory.mktemp("scaffolded")
    made = run(BRIEFING, "new", "demo", "--root", ".", "--schemas", "schemas", cwd=root, timeout=30)
    assert made.returncode == 0, made.stdout + made.stderr
    checked = run(BRIEFING, "check", "demo", "--strict", cwd=root, timeout=30)
    assert (checked.stdout, checked.returncode) == ("0 errors, 0 warnings in 1 briefing\n", 0)
    return root / "demo"


@pytest.fixture(scope="module")
def syria() -> Path:
    """The real briefing in the repository, as long as it checks without errors."""
    checked = run(BRIEFING, "check", str(REAL), cwd=REAL.parent, timeout=30)
    assert checked.returncode == 0, checked.stdout
    return REAL


@pytest.fixture(params=["scaffolded", "syria"])
def valid_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A fresh copy, at tmp_path/demo, of a briefing that checks without errors."""
    source: Path = request.getfixturevalue(request.param)
    return Path(shutil.copytree(source, tmp_path / "demo"))


def assert_reported(output: str, file: str, line: int, code: str) -> None:
    prefix = f"demo/{file}:{line}:"
    hits = [d for d in output.splitlines() if d.startswith(prefix) and d.endswith(f"[{code}]")]
    assert hits, f"no [{code}] at {prefix} in:\n{output}"


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.name for d in DAMAGES])
def test_damaged_briefing_fails_cleanly_at_the_damage(damage: Damage, valid_copy: Path) -> None:
    line = damage.apply(valid_copy / damage.file)
    result = run(BRIEFING, "check", "demo", cwd=valid_copy.parent, timeout=30)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert_reported(result.stdout, damage.file, line, damage.code)
    assert not (valid_copy.parent / "pwned").exists()


def test_every_damage_at_once_is_reported_in_one_run(valid_copy: Path) -> None:
    lines = {d.name: d.apply(valid_copy / d.file) for d in DAMAGES}
    result = run(BRIEFING, "check", "demo", cwd=valid_copy.parent, timeout=30)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for d in DAMAGES:
        assert_reported(result.stdout, d.file, lines[d.name], d.code)
    assert not (valid_copy.parent / "pwned").exists()


def test_nesting_100000_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    write_files(tmp_path / "demo", {**CLEAN, "events.yaml": "[" * 100_000 + "]" * 100_000 + "\n"})
    result = run(BRIEFING, "check", "demo", cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert_reported(result.stdout, "events.yaml", 1, "yaml-depth")


def hint(output: str) -> str:
    """The command a message tells the user to run: the last `…` span."""
    spans = re.findall(r"`([^`]+)`", output)
    assert spans, output
    return spans[-1]


@pytest.mark.parametrize("on_path", [False, True], ids=["venv-not-on-path", "venv-on-path"])
def test_every_hint_runs_as_printed(tmp_path: Path, on_path: bool) -> None:
    """`briefing new` says what to run next; so does a folder without briefing.yaml: both work as typed."""
    path = os.pathsep.join([*([str(BRIEFING.parent)] if on_path else []), "/usr/bin", "/bin"])

    def shell(line: str) -> subprocess.CompletedProcess[str]:
        return run("/bin/sh", "-c", line, cwd=tmp_path, env={"PATH": path, "BRIEFING_COMMAND": ""})

    made = shell(f"{shlex.quote(str(BRIEFING))} new demo-2016")
    assert made.returncode == 0, made.stderr
    nxt = hint(made.stdout)
    assert nxt.startswith("briefing " if on_path else f"{BRIEFING} "), nxt
    checked = shell(nxt)
    assert (checked.returncode, checked.stdout) == (0, "0 errors, 0 warnings in 1 briefing\n")

    (tmp_path / "briefings" / "demo-2016" / "briefing.yaml").unlink()
    broken = shell(nxt)
    assert broken.returncode == 1
    started = shell(hint(broken.stdout).replace("SLUG", "other-2016"))
    assert started.returncode == 0, started.stdout + started.stderr
    assert (tmp_path / "briefings" / "other-2016" / "briefing.yaml").is_file()
