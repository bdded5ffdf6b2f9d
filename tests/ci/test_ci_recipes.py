"""Every recipe in docs/ci.md, run against the bundled example with recorded answers."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from action_runner import run_action
from support import FIXTURES, ROOT

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
INSTALL = "trial-linker @ git+https://github.com/trial-linker/trial-linker@"


def section(heading: str) -> str:
    """The text under a ``## heading`` or ``### heading`` up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", DOC, re.M | re.S)
    assert match, heading
    return match[1]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A list's repository: the example list and its recorded answers."""
    shutil.copy(FIXTURES / "publications" / "publications.txt", tmp_path / "publications.txt")
    shutil.copytree(FIXTURES / "registries", tmp_path / "tests" / "registry-answers")
    return tmp_path


def shell(line: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TRIAL_LINKER_CACHE_DIR": str(cwd / ".cache-home"), **env}
    environment["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environment["PATH"]
    return subprocess.run(
        ["bash", "-c", line], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_install_says_plainly_what_exists() -> None:
    install = section("Installing")
    assert "not on a package index yet" in install
    assert INSTALL in install
    assert "python -m build" in install
    assert not re.search(r"pip install trial-linker\s*$", DOC, re.M)


def test_github_recipe(repo: Path) -> None:
    [workflow] = blocks(section("GitHub Actions"), "yaml")
    steps = yaml.safe_load(workflow)["jobs"]["check"]["steps"]
    [step] = [s for s in steps if str(s.get("uses", "")).startswith("trial-linker/trial-linker@")]
    inputs = {name: str(value) for name, value in step["with"].items()}
    inputs["args"] = "--replay tests/registry-answers"  # the test has no network
    run = run_action(repo, inputs)
    assert run.exit_code == 0, run.stdout
    assert (repo / "trial-linker.sarif").is_file()
    assert run.summary.startswith("## trial-linker report")


def test_recorded_answers_recipe(repo: Path) -> None:
    [commands] = blocks(section("Recorded answers: CI with no network"), "console")
    record, replay = commands.strip().splitlines()
    assert "--record tests/registry-answers" in record
    done = shell(replay, repo)
    assert done.returncode == 0, done.stderr
    assert "unverified" not in done.stderr.split("exit")[0].replace("(0 unverified)", "")


def test_gitlab_recipe(repo: Path) -> None:
    [pipeline] = blocks(section("GitLab CI"), "yaml")
    job = yaml.safe_load(pipeline)["trial-linker"]
    install, *script = job["script"]
    assert INSTALL in install
    variables = {name: str(value) for name, value in job["variables"].items()}
    variables["TRIAL_LINKER_ARGS"] = "--replay tests/registry-answers"
    for line in script:
        done = shell(line, repo, **variables)
        assert done.returncode == 0, done.stderr
    reports = job["artifacts"]["reports"]
    quality = json.loads((repo / reports["codequality"]).read_text())
    assert quality and all(issue["location"]["path"] == "publications.txt" for issue in quality)
    assert len({issue["fingerprint"] for issue in quality}) == len(quality)
    junit = ElementTree.parse(repo / reports["junit"]).getroot()
    assert junit.tag == "testsuites"


def test_pre_commit_recipe_runs_the_entry_as_pre_commit_would(repo: Path) -> None:
    [config] = blocks(section("pre-commit"), "yaml")
    [hook_use] = yaml.safe_load(config)["repos"][0]["hooks"]
    hook = next(h for h in HOOKS if h["id"] == hook_use["id"])
    assert hook["require_serial"] is True
    files = [f for f in ("publications.txt",) if re.search(hook_use["files"], f)]
    assert files and re.search(hook["files"], files[0])
    command = [*shlex.split(hook["entry"]), *hook_use.get("args", []), *files]
    done = shell(shlex.join(command), repo)
    assert done.returncode == 0, done.stdout + done.stderr  # unverified (offline) does not fail


def test_plain_shell_recipe(repo: Path) -> None:
    [commands] = blocks(section("Plain shell"), "console")
    for line in commands.strip().splitlines():
        done = shell(line, repo)
        assert done.returncode == 0, line + "\n" + done.stderr
    assert json.loads((repo / "trial-linker.sarif").read_text())["version"] == "2.1.0"
    assert (repo / "summary.md").read_text().startswith("## trial-linker report")
    assert (repo / "audit.html").read_text().startswith("<!DOCTYPE html>")


def test_baseline_recipe(repo: Path) -> None:
    [commands] = blocks(section("Accepting known findings"), "console")
    for line in commands.strip().splitlines():
        done = shell(line + " --replay tests/registry-answers --fail-on info", repo)
        assert done.returncode == 0, line + "\n" + done.stderr
    [toml] = blocks(section("Accepting known findings"), "toml")
    (repo / "pyproject.toml").write_text(toml, encoding="utf-8")
    done = shell("trial-linker check ./publications.txt --replay tests/registry-answers", repo)
    assert done.returncode == 0
    assert "matched no finding" not in done.stderr
