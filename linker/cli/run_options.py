"""The options every verifying command shares, and how they become settings.

Precedence is resolved in :func:`linker.config.load_config`: command line > environment >
configuration file > defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from linker.cli.common import warn
from linker.config import FileConfig, load_config, registry_settings
from linker.registries.cache import OutcomeCache, open_cache
from linker.registries.settings import RegistrySettings

F = TypeVar("F", bound=Callable[..., Any])
_DIRECTORY = click.Path(file_okay=False, path_type=Path)

VERIFY_OPTIONS = (
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Configuration file (default: trial-linker.toml, or pyproject.toml with "
        "[tool.trial-linker], searched upwards).",
    ),
    click.option(
        "--offline", is_flag=True, help="Answer from the cache only, the rest unverified."
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    click.option("--cache-dir", type=_DIRECTORY, help="Cache directory (default: user cache)."),
    click.option("--max-cache-age", metavar="AGE", help='Oldest cached answer, e.g. "12h", "7d".'),
    click.option("--timeout", type=float, metavar="SECONDS", help="Seconds per request attempt."),
    click.option("--replay", type=_DIRECTORY, help="Answer from responses recorded in DIR."),
    click.option("--record", type=_DIRECTORY, help="Save registry responses into DIR."),
    click.option(
        "--snapshot",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Answer from this registry snapshot first (see `snapshot import`).",
    ),
)


def verify_options(command: F) -> F:
    for option in reversed(VERIFY_OPTIONS):
        command = option(command)
    return command


@dataclass
class RunSettings:
    config: FileConfig
    config_path: Path | None
    registries: RegistrySettings
    cache: OutcomeCache | None
    offline: bool
    replay: Path | None
    record: Path | None
    snapshot: Path | None = None


def resolve_run_settings(
    *,
    config_file: Path | None,
    offline: bool,
    no_cache: bool,
    cache_dir: Path | None,
    max_cache_age: str | None,
    timeout: float | None,
    replay: Path | None,
    record: Path | None,
    snapshot: Path | None = None,
    cli_config: dict[str, Any] | None = None,
) -> RunSettings:
    """Configuration merged with the flags; the cache opened (None when off or replaying)."""
    flags: dict[str, Any] = dict(cli_config or {})
    if cache_dir is not None:
        flags["cache-dir"] = str(cache_dir)
    if max_cache_age is not None:
        flags["max-cache-age"] = max_cache_age
    if timeout is not None:
        flags["timeout"] = timeout
    if snapshot is not None:
        flags["snapshot"] = str(snapshot)
    config, path = load_config(config_file, cli=flags)
    if replay is not None and not (replay / "index.json").is_file():
        raise click.BadParameter(f"{replay}: no index.json here", param_hint="--replay")
    if config.snapshot and not Path(config.snapshot).is_file():
        raise click.BadParameter(
            f"{config.snapshot}: no such snapshot file", param_hint="--snapshot"
        )
    use_cache = not no_cache and replay is None and record is None
    cache = (
        open_cache(
            Path(config.cache_dir) if config.cache_dir else None,
            max_age=config.max_cache_age,
            on_warning=warn,
        )
        if use_cache
        else None
    )
    return RunSettings(
        config=config,
        config_path=path,
        registries=registry_settings(config),
        cache=cache,
        offline=offline,
        replay=replay,
        record=record,
        snapshot=Path(config.snapshot) if config.snapshot else None,
    )
