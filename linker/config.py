"""Configuration: ``[tool.trial-linker]`` in ``pyproject.toml`` or a ``trial-linker.toml``.

Precedence, in one place: command line > environment > file > defaults. Every key is optional,
unknown keys are an error (exit 2) so that a typo never silently does nothing.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from linker.errors import ConfigError
from linker.limits import MAX_CONFIG_SIZE, TooLarge, read_file_capped
from linker.registries.cache import parse_duration
from linker.registries.settings import RegistrySettings, deep_merge
from linker.rules.settings import RuleSettings

CONFIG_FILE = "trial-linker.toml"
PYPROJECT = "pyproject.toml"
SeverityName = Literal["error", "warning", "info"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=None)


class RegistryConfig(_Section):
    url: str | None = None
    rate: float | None = Field(default=None, gt=0, description="Requests per second.")
    concurrency: int | None = Field(default=None, ge=1)


class SuppressionConfig(_Section):
    publication: str
    rules: list[str]
    reason: str = Field(min_length=1)
    until: date | None = None


class ThresholdsConfig(_Section):
    match: float | None = Field(default=None, ge=0, le=1)
    weak: float | None = Field(default=None, ge=0, le=1)
    results_months: int | None = Field(default=None, alias="results-months", ge=0)
    registration_cutoff_year: int | None = Field(default=None, alias="registration-cutoff-year")
    flag_weak: bool | None = Field(default=None, alias="flag-weak")


class FileConfig(_Section):
    """The keys a configuration file may hold (kebab-case, as in the README)."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    suppress: list[SuppressionConfig] = Field(default_factory=list)
    baseline: str | None = None
    fail_on: SeverityName | None = Field(default=None, alias="fail-on")
    allow_unverified: bool | None = Field(default=None, alias="allow-unverified")
    cache_dir: str | None = Field(default=None, alias="cache-dir")
    max_cache_age: str | None = Field(default=None, alias="max-cache-age")
    timeout: float | None = Field(default=None, gt=0)
    connect_timeout: float | None = Field(default=None, alias="connect-timeout", gt=0)
    snapshot: str | None = Field(default=None, description="Registry snapshot file.")
    enrich: list[Literal["pubmed"]] | None = Field(
        default=None, description="Complete records from these sources (--enrich)."
    )
    thresholds: ThresholdsConfig = Field(default_factory=ThresholdsConfig)
    registries: dict[Literal["ctgov", "isrctn", "euctr", "ctis"], RegistryConfig] = Field(
        default_factory=dict
    )

    @field_validator("max_cache_age")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)  # raises ValueError with a readable message
        return value


ENVIRONMENT: dict[str, str] = {
    "TRIAL_LINKER_FAIL_ON": "fail-on",
    "TRIAL_LINKER_CACHE_DIR": "cache-dir",
    "TRIAL_LINKER_MAX_CACHE_AGE": "max-cache-age",
    "TRIAL_LINKER_TIMEOUT": "timeout",
    "TRIAL_LINKER_ALLOW_UNVERIFIED": "allow-unverified",
    "TRIAL_LINKER_SNAPSHOT": "snapshot",
}
_REGISTRY_URL_ENV = {
    "ctgov": "TRIAL_LINKER_CTGOV_URL",
    "isrctn": "TRIAL_LINKER_ISRCTN_URL",
    "euctr": "TRIAL_LINKER_EUCTR_URL",
    "ctis": "TRIAL_LINKER_CTIS_URL",
}


def find_config_file(start: Path) -> Path | None:
    """The nearest ``trial-linker.toml``, or ``pyproject.toml`` with a ``[tool.trial-linker]``
    table, from ``start`` upwards."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _tool_table(pyproject, _read_toml(pyproject)) is not None:
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file read with a size cap; every way it can be unreadable is one ConfigError."""
    try:
        data = read_file_capped(path, MAX_CONFIG_SIZE, "the file")
        return tomllib.loads(data.decode("utf-8"))
    except TooLarge as error:
        raise ConfigError(f"{path}: {error}") from error
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start + 1})") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    except RecursionError as error:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from error


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """``[tool.trial-linker]`` of a pyproject.toml (None when absent); ConfigError when
    ``tool`` or it is not a table, rather than ignoring what the user meant as settings."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table, not {_kind(tool)}")
    table = tool.get("trial-linker")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(
            f"{path}: [tool.trial-linker] must be a table of settings, not {_kind(table)}"
        )
    return table


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "an array"})
    return names.get(type(value), type(value).__name__)


_PATH_KEYS = ("baseline", "cache-dir", "snapshot")


def _table_of(path: Path) -> dict[str, Any]:
    """The file's table, its relative paths made relative to the file (it may be found in a
    parent folder of the working directory)."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        data = _tool_table(path, data) or {}
    for key in _PATH_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            data[key] = str(path.parent / value)
    return data


def _environment_table(environ: Mapping[str, str]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for variable, key in ENVIRONMENT.items():
        if environ.get(variable):
            table[key] = environ[variable]
    registries: dict[str, Any] = {}
    for registry, variable in _REGISTRY_URL_ENV.items():
        if environ.get(variable):
            registries[registry] = {"url": environ[variable]}
    if registries:
        table["registries"] = registries
    return table


def _describe(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"{source}: unknown key '{where}'"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{source}: {where}: {message}"


def load_config(
    explicit: Path | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    cli: Mapping[str, Any] | None = None,
) -> tuple[FileConfig, Path | None]:
    """The effective configuration and the file it came from (None: defaults only)."""
    path = explicit if explicit is not None else find_config_file(cwd or Path.cwd())
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: configuration file not found")
    layers: list[tuple[str, dict[str, Any]]] = []
    if path is not None:
        layers.append((str(path), _table_of(path)))
    layers.append(("environment", _environment_table(os.environ if environ is None else environ)))
    layers.append(("command line", dict(cli or {})))
    merged: dict[str, Any] = {}
    for source, table in layers:
        try:
            FileConfig.model_validate(table)
        except ValidationError as error:
            raise ConfigError(_describe(error, source)) from error
        merged = deep_merge(merged, table)
    return FileConfig.model_validate(merged), path


def rule_settings(config: FileConfig, config_path: Path | None = None) -> RuleSettings:
    """The rules' view of the configuration (``config_path``: the file it came from, whose
    folder a suppression's ``FILE#N`` key is relative to)."""
    base_dirs = [str(config_path.parent)] if config_path is not None else []
    thresholds = {
        key: value for key, value in config.thresholds.model_dump().items() if value is not None
    }
    try:
        return RuleSettings(
            select=config.select or [],
            ignore=config.ignore or [],
            severity=dict(config.severity),
            suppressions=[{**s.model_dump(), "base_dirs": base_dirs} for s in config.suppress],
            thresholds=thresholds,
        )
    except ValidationError as error:
        raise ConfigError(_describe(error, "configuration")) from error


def registry_settings(config: FileConfig) -> RegistrySettings:
    """The registry layer's view of the configuration (environment already merged in)."""
    overrides: dict[str, Any] = {}
    if config.timeout is not None:
        overrides["timeout"] = config.timeout
    if config.connect_timeout is not None:
        overrides["connect_timeout"] = config.connect_timeout
    for name, registry in config.registries.items():
        endpoint: dict[str, Any] = {}
        if registry.url is not None:
            endpoint["base_url"] = registry.url
        if registry.rate is not None:
            endpoint["min_interval"] = 1.0 / registry.rate
        if registry.concurrency is not None:
            endpoint["concurrency"] = registry.concurrency
        overrides[name] = endpoint
    try:
        return RegistrySettings.from_env({}, overrides)
    except ValidationError as error:
        raise ConfigError(_describe(error, "configuration")) from error
