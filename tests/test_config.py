"""Configuration layers: file < environment < command line; unknown keys are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from linker.config import find_config_file, load_config, registry_settings, rule_settings
from linker.errors import ConfigError
from linker.models import Registry


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_upwards(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.trial-linker]\nfail-on = "warning"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config, path = load_config(cwd=nested, environ={})
    assert path == tmp_path / "pyproject.toml"
    assert config.fail_on == "warning"


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config_file(tmp_path) is None


def test_own_file_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.trial-linker]\nfail-on = "warning"\n')
    write(tmp_path / "trial-linker.toml", 'fail-on = "info"\n')
    config, _ = load_config(cwd=tmp_path, environ={})
    assert config.fail_on == "info"


def test_precedence_cli_over_environment_over_file(tmp_path: Path) -> None:
    write(tmp_path / "trial-linker.toml", 'fail-on = "info"\ncache-dir = "from-file"\n')
    environ = {"TRIAL_LINKER_FAIL_ON": "warning", "TRIAL_LINKER_CACHE_DIR": "from-env"}
    config, _ = load_config(cwd=tmp_path, environ=environ, cli={"fail-on": "error"})
    assert config.fail_on == "error"
    assert config.cache_dir == "from-env"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fial-on = "error"\n', "unknown key 'fial-on'"),
        ("[registries.ctgov]\nspeed = 3\n", "unknown key 'registries.ctgov.speed'"),
        ('fail-on = "fatal"\n', "fail-on"),
        ("fail-on = \n", "invalid TOML"),
    ],
)
def test_bad_files_are_one_line_config_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "trial-linker.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(cwd=tmp_path, environ={})
    assert "\n" not in str(caught.value)


def test_explicit_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_registry_settings_from_file_and_environment(tmp_path: Path) -> None:
    write(
        tmp_path / "trial-linker.toml",
        '[registries.ctgov]\nrate = 4\nconcurrency = 3\n[registries.isrctn]\nurl = "http://127.0.0.1:9/isrctn"\n',
    )
    environ = {"TRIAL_LINKER_CTGOV_URL": "http://127.0.0.1:8/ctgov"}
    config, _ = load_config(cwd=tmp_path, environ=environ)
    settings = registry_settings(config)
    assert settings.base_url(Registry.CTGOV) == "http://127.0.0.1:8/ctgov"
    assert settings.base_url(Registry.ISRCTN) == "http://127.0.0.1:9/isrctn"
    assert settings.ctgov.min_interval == pytest.approx(0.25)
    assert settings.ctgov.concurrency == 3


def test_rule_settings_from_file(tmp_path: Path) -> None:
    write(
        tmp_path / "trial-linker.toml",
        'select = ["TL1", "TL2"]\nignore = ["unsupported-registry"]\n'
        '[severity]\nretrospective-registration = "error"\n'
        '[[suppress]]\npublication = "123"\nrules = ["TL301"]\nreason = "checked by hand"\n'
        "[thresholds]\nmatch = 0.5\nweak = 0.2\nflag-weak = true\nresults-months = 18\n",
    )
    config, _ = load_config(cwd=tmp_path, environ={})
    rules = rule_settings(config)
    assert "TL101" in rules.enabled
    assert "TL204" not in rules.enabled
    assert "TL301" not in rules.enabled
    assert rules.thresholds.match == 0.5
    assert rules.thresholds.flag_weak is True
    assert rules.thresholds.results_months == 18
    assert rules.suppressions[0].reason == "checked by hand"


def test_unknown_rule_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "trial-linker.toml", 'select = ["TL999"]\n')
    config, _ = load_config(cwd=tmp_path, environ={})
    with pytest.raises(ConfigError, match="TL999"):
        rule_settings(config)


def test_suppression_needs_a_reason(tmp_path: Path) -> None:
    write(tmp_path / "trial-linker.toml", '[[suppress]]\npublication = "1"\nrules = ["TL301"]\n')
    with pytest.raises(ConfigError, match="reason"):
        load_config(cwd=tmp_path, environ={})


def test_relative_paths_in_a_file_are_relative_to_the_file(tmp_path: Path) -> None:
    write(tmp_path / "trial-linker.toml", 'baseline = "bl.json"\ncache-dir = ".cache"\n')
    nested = tmp_path / "sub"
    nested.mkdir()
    config, _ = load_config(cwd=nested, environ={"TRIAL_LINKER_MAX_CACHE_AGE": "2d"})
    assert config.baseline == str(tmp_path / "bl.json")
    assert config.cache_dir == str(tmp_path / ".cache")
    config, _ = load_config(cwd=nested, environ={}, cli={"baseline": "other.json"})
    assert config.baseline == "other.json"  # a command-line path stays relative to the cwd


@pytest.mark.parametrize("age", ["soon", "-5d"])
def test_bad_cache_age_is_a_config_error(tmp_path: Path, age: str) -> None:
    with pytest.raises(ConfigError, match="max-cache-age"):
        load_config(cwd=tmp_path, environ={"TRIAL_LINKER_MAX_CACHE_AGE": age})
