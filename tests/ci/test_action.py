"""The composite action: its shell steps run locally against the bundled example, replayed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from action_runner import ACTION, run_action, shell_steps
from support import FIXTURES, ROOT

STORE = FIXTURES / "registries"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "publications" / "publications.txt", tmp_path / "publications.txt")
    return tmp_path


def test_inputs_reach_scripts_only_through_the_environment() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in shell_steps():
        assert "${{" not in step["run"]  # no script injection from inputs
        assert step["shell"] == "bash"
    expected = {"paths", "args", "fail-on", "formats", "sarif", "summary", "cache", "version"}
    assert expected <= set(ACTION["inputs"])
    assert {"exit-code", "errors", "warnings", "infos"} <= set(ACTION["outputs"])
    install = next(s for s in shell_steps() if s.get("id") == "install")["run"]
    assert "git+https://github.com/trial-linker/trial-linker@" in install


def test_annotations_summary_sarif_and_outputs(workspace: Path) -> None:
    run = run_action(
        workspace,
        {
            "paths": "publications.txt",
            "args": f"--replay {STORE}",
            "sarif": "true",
            "cache": "false",
        },
    )
    assert run.exit_code == 0, run.stdout
    assert run.output("exit-code") == "0"
    warnings = int(run.output("warnings"))
    assert warnings >= 1
    assert run.output("errors") == "0"
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert annotations[-1].startswith("::notice title=trial-linker::")
    assert any(line.startswith("::warning file=publications.txt,line=") for line in annotations)
    assert run.summary.startswith("## trial-linker report")
    assert len(run.summary.encode()) < 1024 * 1024
    sarif = json.loads((workspace / "trial-linker.sarif").read_text())
    assert sarif["version"] == "2.1.0"


def test_fail_on_warning_fails_the_step_with_the_exit_code(workspace: Path) -> None:
    run = run_action(
        workspace,
        {"paths": "publications.txt", "args": f"--replay {STORE}", "fail-on": "warning"},
    )
    assert run.output("exit-code") == "1"
    assert run.exit_code == 1


def test_text_format_is_annotated_by_the_problem_matcher(workspace: Path) -> None:
    run = run_action(
        workspace, {"paths": "publications.txt", "args": f"--replay {STORE}", "formats": "text"}
    )
    assert run.exit_code == 0
    assert f"::add-matcher::{ROOT}/.github/trial-linker-matcher.json" in run.stdout
    matcher = json.loads((ROOT / ".github" / "trial-linker-matcher.json").read_text())
    [pattern] = matcher["problemMatcher"][0]["pattern"]
    regexp = re.compile(pattern["regexp"])
    matched = [m for m in map(regexp.match, run.stdout.splitlines()) if m]
    assert len(matched) == int(run.output("warnings")) + int(run.output("infos"))
    first = matched[0]
    assert first[pattern["file"]] == "publications.txt"
    assert first[pattern["line"]].isdigit()
    assert re.fullmatch(r"TL\d{3}", first[pattern["code"]])
    assert first[pattern["severity"]] in {"error", "warning", "info"}


def test_unverified_run_without_network_reports_exit_3(workspace: Path) -> None:
    empty = workspace / "empty-store"
    empty.mkdir()
    (empty / "index.json").write_text("[]")
    run = run_action(
        workspace, {"paths": "publications.txt", "args": f"--replay {empty}", "cache": "false"}
    )
    assert run.output("exit-code") == "3"
    assert int(run.output("unverified")) >= 1
    assert run.exit_code == 3
