"""The pre-commit hooks: their definition, their entry run as pre-commit runs it, and
``pre-commit try-repo`` where pre-commit is installed (CI installs it)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from netguard.network_guard import LOG_VARIABLE
from support import FIXTURES, ROOT

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def entry(hook_id: str) -> list[str]:
    return shlex.split(next(h for h in HOOKS if h["id"] == hook_id)["entry"])


def run(
    command: list[str], cwd: Path, *, package_index: bool = False
) -> subprocess.CompletedProcess[str]:
    """``command`` in ``cwd``; ``package_index``: it may install from the package index (the
    one network CI has; the tests' network guard is lifted for it)."""
    env = {**os.environ, "TRIAL_LINKER_CACHE_DIR": str(cwd / ".cache-home")}
    if package_index:
        env.pop(LOG_VARIABLE, None)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_hooks_are_defined_as_documented() -> None:
    assert [h["id"] for h in HOOKS] == ["trial-linker", "trial-linker-online"]
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        for name in ("a.txt", "b.xml", "c.nbib", "d.ris", "e.bib", "f.csv", "g.jsonl", "h.xml.gz"):
            assert re.search(hook["files"], name), name
        assert not re.search(hook["files"], "README.md")
    assert "--offline" in entry("trial-linker")
    assert "--allow-unverified" in entry("trial-linker")
    assert "--offline" not in entry("trial-linker-online")


def test_offline_hook_passes_unverified_and_fails_a_malformed_id(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "publications" / "publications.txt", tmp_path / "publications.txt")
    done = run([*entry("trial-linker"), "publications.txt"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"title": "A randomised controlled trial of X", "abstract": "We randomised 200 adults.'
        ' Trial registration: NCT0150698."}\n'
    )
    done = run([*entry("trial-linker"), "publications.txt", "bad.jsonl"], tmp_path)
    assert done.returncode == 1
    assert "malformed-id" in done.stdout


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    work = tmp_path / "list-repo"
    work.mkdir()
    shutil.copy(FIXTURES / "publications" / "publications.txt", work / "publications.txt")
    for command in (["git", "init", "-q"], ["git", "add", "publications.txt"]):
        subprocess.run(command, cwd=work, check=True)
    env_home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    os.environ.update(env_home)
    try:
        done = run(
            ["pre-commit", "try-repo", str(ROOT), "trial-linker", "--files", "publications.txt"],
            work,
            package_index=True,  # pre-commit installs the hook's environment with pip
        )
    finally:
        os.environ.pop("PRE_COMMIT_HOME")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "trial-linker (offline)" in done.stdout
    assert "Passed" in done.stdout
