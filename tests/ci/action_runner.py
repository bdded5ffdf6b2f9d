"""Run the shell steps of ``action.yml`` locally, as the GitHub runner would run them.

Steps that use other actions (actions/cache, upload-sarif) and the install step are skipped: the
package is already installed in the test's environment. Inputs reach the scripts only through
``env:`` (never ``${{ }}`` inside a script), which is what makes this faithful.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from support import ROOT

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
_INPUT = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
_STEP_OUTPUT = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")


@dataclass
class ActionRun:
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    stdout: str = ""
    summary: str = ""

    @property
    def exit_code(self) -> int:
        return self.codes["verdict"]

    def output(self, name: str) -> str:
        """An output of the action itself (``outputs:`` in action.yml)."""
        expression = ACTION["outputs"][name]["value"]
        return _STEP_OUTPUT.sub(lambda m: self.outputs.get(m[1], {}).get(m[2], ""), expression)


def shell_steps() -> list[dict[str, Any]]:
    return [step for step in ACTION["runs"]["steps"] if "run" in step]


def run_action(workspace: Path, inputs: dict[str, str]) -> ActionRun:
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    run = ActionRun()
    summary = workspace / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    for number, step in enumerate(shell_steps()):
        step_id = str(step.get("id", f"step{number}"))
        if step_id == "install":
            continue
        output_file = workspace / f"output-{step_id}"
        output_file.write_text("", encoding="utf-8")
        env = dict(os.environ)
        env.update(
            GITHUB_OUTPUT=str(output_file),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_ACTION_PATH=str(ROOT),
            PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        )
        for name, value in (step.get("env") or {}).items():
            text = _INPUT.sub(lambda m: values[m[1]], str(value))
            env[name] = _STEP_OUTPUT.sub(lambda m: run.outputs.get(m[1], {}).get(m[2], ""), text)
        script = workspace / f"step-{step_id}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        run.codes[step_id] = done.returncode
        run.stdout += done.stdout
        lines = output_file.read_text(encoding="utf-8").splitlines()
        run.outputs[step_id] = dict(line.split("=", 1) for line in lines if "=" in line)
    run.summary = summary.read_text(encoding="utf-8")
    return run
