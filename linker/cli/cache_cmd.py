"""``trial-linker cache info|clear``: every file the tool keeps in its cache directory."""

from __future__ import annotations

from pathlib import Path

import click

from linker import caches
from linker.caches import SIDE_FILES, FolderInfo, SideInfo, set_aside, side_clear, side_info
from linker.cli.common import warn
from linker.config import load_config
from linker.errors import CacheError
from linker.registries.cache import CacheInfo, cache_info, clear_cache, default_cache_dir


def _directory(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    config, _ = load_config()
    return Path(config.cache_dir) if config.cache_dir else default_cache_dir()


_CACHE_DIR = click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache directory."
)


@click.group("cache")
def cache_group() -> None:
    """Inspect or clear the caches: registry answers, PubMed answers, searches, analyses,
    compiled scan databases."""


def _show_outcomes(info: CacheInfo) -> None:
    click.echo(f"path: {info.path}")
    click.echo(f"exists: {'yes' if info.exists else 'no'}")
    click.echo(f"size: {info.size_bytes} bytes")
    click.echo(f"schema version: {info.schema_version}")
    click.echo(f"entries: {info.total}")
    for (registry, kind), count in sorted(info.entries.items()):
        click.echo(f"  {registry} {kind}: {count}")


def _show_side(info: SideInfo) -> None:
    if not info.exists:
        click.echo(f"{info.path.name} ({info.holds}): absent")
        return
    click.echo(f"{info.path.name} ({info.holds}): {info.total} entries, {info.size_bytes} bytes")
    for label, count in sorted(info.entries.items()):
        click.echo(f"  {label}: {count}")


def _show_folder(info: FolderInfo) -> None:
    click.echo(
        f"compiled scan databases ({info.path}): {info.files} files, {info.size_bytes} bytes"
    )


@cache_group.command("info")
@_CACHE_DIR
def info_command(cache_dir: Path | None) -> int:
    """Where the caches are and what they hold (exit 2 when a file cannot be read)."""
    directory = _directory(cache_dir)
    failures: list[str] = []
    click.echo(f"directory: {directory}")
    total = 0
    try:
        outcomes = cache_info(directory, on_warning=warn)
        _show_outcomes(outcomes)
        total += outcomes.total
    except CacheError as error:
        failures.append(str(error))
    for side in SIDE_FILES:
        try:
            info = side_info(directory, side)
        except CacheError as error:
            failures.append(str(error))
            continue
        _show_side(info)
        total += info.total
    try:
        for folder in caches.scan_databases_info(caches.scan_database_root()):
            _show_folder(folder)
    except CacheError as error:
        failures.append(str(error))
    for path in set_aside(directory):
        click.echo(f"set aside (kept, never read): {path.name}, {path.stat().st_size} bytes")
    if failures:
        raise CacheError("; ".join(failures))
    click.echo(f"total entries: {total}")
    return 0


@cache_group.command("clear")
@_CACHE_DIR
def clear_command(cache_dir: Path | None) -> int:
    """Delete every cached entry and compiled scan database (exit 2 when any cannot be
    deleted)."""
    directory = _directory(cache_dir)
    failures: list[str] = []
    removed = 0
    try:
        removed += clear_cache(directory, on_warning=warn)
        left = cache_info(directory, on_warning=warn).total
        if left:
            failures.append(f"{left} registry answers are still there")
    except CacheError as error:
        failures.append(str(error))
    for side in SIDE_FILES:
        try:
            removed += side_clear(directory, side)
        except CacheError as error:
            failures.append(str(error))
    compiled = 0
    try:
        compiled = caches.scan_databases_clear(caches.scan_database_root())
    except CacheError as error:
        failures.append(str(error))
    if failures:
        raise CacheError(f"cache clear removed {removed} entries but: " + "; ".join(failures))
    kept = set_aside(directory)
    note = f" ({len(kept)} set-aside files kept: delete them by hand)" if kept else ""
    click.echo(f"removed {removed} cached entries and {compiled} compiled scan databases{note}")
    return 0
