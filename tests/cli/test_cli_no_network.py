"""With no network a run ends quickly with the cause in words and one hint."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_registries_give_causes_exit_3_and_one_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.chdir(tmp_path)
    env = {f"TRIAL_LINKER_{name}_URL": base for name in ("CTGOV", "ISRCTN", "EUCTR", "CTIS")}
    env["TRIAL_LINKER_CACHE_DIR"] = str(tmp_path / "cache")
    result = CliRunner().invoke(
        cli, ["check", str(SEED), "--format", "json", "--today", "2026-11-26"], env=env
    )
    assert result.exit_code == 3
    identifiers = [i for p in json.loads(result.stdout)["publications"] for i in p["identifiers"]]
    reasons = {i["reason"] for i in identifiers if i["valid_format"]}
    assert reasons
    assert all("127.0.0.1: connection refused" in reason for reason in reasons)
    hints = [line for line in result.stderr.splitlines() if line.startswith("hint:")]
    assert len(hints) == 1
    assert "--offline" in hints[0]
    assert "--replay" in hints[0]
