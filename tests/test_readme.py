"""The README's promises hold: its configuration example loads, its exit-code table matches
the code, and the commands it lists exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT

from linker.cli.main import cli
from linker.config import load_config, registry_settings, rule_settings
from linker.errors import ExitCode
from linker.rules.catalog import RULES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_configuration_example_loads(tmp_path: Path) -> None:
    [example] = re.findall(r"```toml\n(.*?)```", README, flags=re.DOTALL)
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    config, path = load_config(cwd=tmp_path, environ={})
    assert path == tmp_path / "pyproject.toml"
    rule_settings(config)
    registry_settings(config)


def test_exit_code_table_matches_the_contract() -> None:
    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", README, flags=re.MULTILINE))
    assert {int(code) for code in table} == {int(code) for code in ExitCode}


def test_rule_table_lists_every_rule() -> None:
    for rule in RULES:
        assert f"| {rule.code} | `{rule.name}` | {rule.severity.value} |" in README
        assert (ROOT / "docs" / "rules" / f"{rule.name}.md").is_file()


@pytest.mark.parametrize("command", ["extract", "lookup", "check", "report", "cache", "rules"])
def test_listed_commands_exist(command: str) -> None:
    assert f"trial-linker {command}" in README
    assert CliRunner().invoke(cli, [command, "--help"]).exit_code == 0
