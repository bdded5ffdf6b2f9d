"""``trial-linker cache info|clear``."""

from __future__ import annotations

from pathlib import Path

import click

from linker.cli.common import warn
from linker.config import load_config
from linker.errors import CacheError
from linker.registries.cache import cache_info, clear_cache


def _directory(cache_dir: Path | None) -> Path | None:
    if cache_dir is not None:
        return cache_dir
    config, _ = load_config()
    return Path(config.cache_dir) if config.cache_dir else None


_CACHE_DIR = click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache directory."
)


@click.group("cache")
def cache_group() -> None:
    """Inspect or clear the registry answer cache."""


@cache_group.command("info")
@_CACHE_DIR
def info_command(cache_dir: Path | None) -> int:
    """Where the cache is and what it holds."""
    info = cache_info(_directory(cache_dir), on_warning=warn)
    click.echo(f"path: {info.path}")
    click.echo(f"exists: {'yes' if info.exists else 'no'}")
    click.echo(f"size: {info.size_bytes} bytes")
    click.echo(f"schema version: {info.schema_version}")
    click.echo(f"entries: {info.total}")
    for (registry, kind), count in sorted(info.entries.items()):
        click.echo(f"  {registry} {kind}: {count}")
    return 0


@cache_group.command("clear")
@_CACHE_DIR
def clear_command(cache_dir: Path | None) -> int:
    """Delete every cached answer (exit 2 when they cannot be deleted)."""
    directory = _directory(cache_dir)
    removed = clear_cache(directory, on_warning=warn)
    left = cache_info(directory, on_warning=warn).total
    if left:
        raise CacheError(f"cache clear removed {removed} answers but {left} are still there")
    click.echo(f"removed {removed} cached answers")
    return 0
