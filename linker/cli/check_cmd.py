"""``trial-linker check``: read, extract, verify, link, apply the rules, report."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from linker.cli.common import (
    input_options,
    parse_columns,
    refuse_outputs_over_inputs,
    sources_or_stdin,
    warn,
)
from linker.cli.hints import unverified_hint
from linker.cli.jobs_option import jobs_for
from linker.cli.outputs import output_options, pair_outputs, write_outputs
from linker.cli.run_options import RunSettings as ResolvedRun
from linker.cli.run_options import resolve_run_settings, verify_options
from linker.cli.scale_options import ScaleFlags, run_scaled, scale_options
from linker.config import rule_settings
from linker.errors import ExitCode
from linker.pipeline import CheckOptions, ReadOptions, exit_code_for
from linker.registries.interface import OutcomeKind
from linker.report.interface import OutputFormat
from linker.report.summary import plural
from linker.results import RunResult, Severity
from linker.rules.baseline import EVERY_FINDING, apply_baseline, load_baseline
from linker.rules.baseline import write_baseline as write_baseline_file
from linker.scale.merge import apply_pubmed_updates
from linker.spool import PublicationSpool
from linker.streaming import stream_check

SEVERITIES = click.Choice([s.value for s in Severity])


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while identifiers are verified (interactive runs only)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn("verifying"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("verify", total=None)
    with progress:
        yield lambda done, total: progress.update(task, completed=done, total=total)


@click.command("check")
@input_options
@output_options
@click.option(
    "--fail-on",
    type=SEVERITIES,
    default=None,
    help="Exit 1 when a finding has this severity or above (default: error).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (report-only runs).")
@click.option(
    "--allow-unverified",
    is_flag=True,
    default=None,
    help="Do not exit 3 when some identifiers could not be verified.",
)
@click.option(
    "--select", multiple=True, metavar="RULES", help="Only these rules (codes, prefixes, names)."
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Accept the findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the current findings as the baseline.",
)
@click.option(
    "--no-verify", is_flag=True, help="Do not ask the registries (extraction rules only)."
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date to judge against (default: today), for reproducible reports.",
)
@click.option(
    "--enrich",
    multiple=True,
    type=click.Choice(["pubmed"]),
    help="Complete records from PubMed by PMID: abstract, DataBankList ids, publication types.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, warnings or summary on stderr.")
@verify_options
@scale_options
def check_command(
    files: tuple[str, ...],
    input_format: str | None,
    columns: tuple[str, ...],
    max_record_size: int,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    csv_rows: str,
    max_annotations: int,
    fail_on: str | None,
    exit_zero: bool,
    allow_unverified: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline: Path | None,
    write_baseline: Path | None,
    no_verify: bool,
    today: Any,
    enrich: tuple[str, ...],
    quiet: bool,
    jobs: int,
    dask: str | None,
    shard: str | None,
    shard_dir: Path | None,
    **flags: Any,
) -> int:
    """Check publication lists: every trial registration present, well-formed, existing,
    matching the paper, registered on time."""
    cli_config: dict[str, Any] = {}
    if fail_on:
        cli_config["fail-on"] = fail_on
    if allow_unverified:
        cli_config["allow-unverified"] = True
    if select:
        cli_config["select"] = _split(select)
    if ignore:
        cli_config["ignore"] = _split(ignore)
    if baseline is not None:
        cli_config["baseline"] = str(baseline)
    if enrich:
        cli_config["enrich"] = list(dict.fromkeys(enrich))
    pairs = pair_outputs(formats, outputs)  # usage errors before anything slow
    run = resolve_run_settings(cli_config=cli_config, **flags)
    config = run.config
    accepted = load_baseline(config.baseline) if config.baseline else None
    options = CheckOptions(
        read=ReadOptions(
            fmt=input_format, columns=parse_columns(columns), max_record_size=max_record_size
        ),
        rules=rule_settings(config, run.config_path),
        registries=run.registries,
        verify=not no_verify,
        offline=run.offline,
        cache=run.cache,
        replay=run.replay,
        record=run.record,
        today=today.date() if today is not None else None,
        snapshot=run.snapshot,
        enrich=tuple(config.enrich or ()),
    )
    sources = sources_or_stdin(files)
    refuse_outputs_over_inputs(sources, [path for _, path in pairs])
    interactive = not quiet and sys.stderr.isatty()
    on_warning = None if quiet else warn
    scale = ScaleFlags(
        jobs=jobs_for(sources, jobs, on_warning), dask=dask, shard=shard, shard_dir=shard_dir
    )
    try:
        if scale.wanted:
            result = run_scaled(sources, options, run, scale, on_warning=on_warning)
        else:
            with progress_bar(interactive and not no_verify) as on_progress:
                result = asyncio.run(
                    stream_check(
                        sources,
                        options,
                        on_warning=None if quiet else warn,
                        on_progress=on_progress,
                    )
                )
            result = apply_pubmed_updates(result, on_warning=None if quiet else warn)
    finally:
        if run.cache is not None:
            run.cache.close()
    spool = result.publications
    try:
        code = _report(
            result, pairs, (csv_rows, max_annotations), run, accepted, write_baseline, quiet
        )
    finally:
        if isinstance(spool, PublicationSpool):
            spool.close()
    return 0 if exit_zero else int(code)


def _report(
    result: RunResult,
    pairs: list[tuple[OutputFormat, Path | None]],
    rendering: tuple[str, int],  # --csv-rows, --max-annotations
    run: ResolvedRun,
    accepted: set[str] | None,
    write_baseline: Path | None,
    quiet: bool,
) -> ExitCode:
    config = run.config
    accepting: Container[str] | None = accepted
    if write_baseline is not None:
        # The findings just written are accepted: the run passes, as the next one will. (All
        # of them: no set of their fingerprints needs to be held.)
        write_baseline_file(write_baseline, (f for p in result.publications for f in p.findings))
        accepting = EVERY_FINDING
    baseline_file = write_baseline or config.baseline
    if accepting is not None:
        result = _without_accepted(result, accepting, str(baseline_file) if baseline_file else None)
    fail_level = Severity(config.fail_on or "error")
    if result.settings is not None:
        settings = result.settings.model_copy(
            update={
                "fail_on": fail_level,
                "allow_unverified": bool(config.allow_unverified),
                "config_file": str(run.config_path) if run.config_path else None,
                "baseline": str(baseline_file) if baseline_file else None,
            }
        )
        result = result.model_copy(update={"settings": settings})
        if not quiet:
            for unused in settings.unused_suppressions:
                warn(f"suppression {unused} matched no finding")
    write_outputs(result, pairs, *rendering)
    code = exit_code_for(
        result,
        fail_on=fail_level,
        allow_unverified=bool(config.allow_unverified),
    )
    if not quiet:
        summarise(result, code)
    return code


def _without_accepted(result: RunResult, accepted: Container[str], source: str | None) -> RunResult:
    publications = result.publications
    if isinstance(publications, PublicationSpool):
        view = publications.mapped(lambda p: apply_baseline([p], accepted, source)[0])
        return result.model_copy(update={"publications": view})
    accepted_list = apply_baseline(publications, accepted, source)
    return result.model_copy(update={"publications": accepted_list})


def summarise(result: RunResult, code: int) -> None:
    """One line of counts on stderr, and a hint when the run could not verify everything."""
    counts = dict.fromkeys(Severity, 0)
    reasons: Counter[str] = Counter()
    identifiers = 0
    for publication in result.publications:  # one pass: they may be read from disk
        for finding in publication.findings:
            counts[finding.severity] += 1
        identifiers += len(publication.identifiers)
        reasons.update(
            i.reason or "no reason given"
            for i in publication.identifiers
            if i.outcome is OutcomeKind.UNVERIFIED
        )
    unverified = sum(reasons.values())
    click.echo(
        f"trial-linker: {plural(len(result.publications), 'publication')}, "
        f"{plural(identifiers, 'identifier')} ({unverified} unverified); "
        f"{plural(counts[Severity.ERROR], 'error')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, "
        f"{plural(counts[Severity.INFO], 'info')}; exit {code}",
        err=True,
    )
    hint = unverified_hint(reasons.elements())
    if hint is not None:
        click.echo(hint, err=True)
