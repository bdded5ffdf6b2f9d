"""``trial-linker lookup``: the normalised registry records of identifiers typed by a user."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from linker.cli.common import stdout_is_terminal
from linker.cli.hints import unverified_hint
from linker.cli.run_options import resolve_run_settings, verify_options
from linker.errors import ExitCode
from linker.extract.identifiers import Found, parse_identifier
from linker.models import Registry
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.verifier import verify_identifiers


def _requested(values: tuple[str, ...]) -> list[str]:
    if values == ("-",) or not values:
        if not values and sys.stdin.isatty():
            raise click.UsageError("no identifiers: give ID..., or - to read standard input")
        return [line for line in sys.stdin if line.strip()]
    return list(values)


def parse_typed(text: str) -> tuple[list[Found], list[str]]:
    """Every identifier in ``text`` as a user typed it ("NCT01506986 ISRCTN 10134725",
    "nct01506986, 2011–003425–96"), and the pieces that are not identifiers."""
    found: list[Found] = []
    leftovers: list[str] = []
    rest = text.strip()
    while rest:
        item = parse_identifier(rest)
        if item is None:
            leftovers.append(rest.strip(" ,;"))
            break
        # Offsets are in the stripped text, and ``rest`` is always stripped.
        leftovers.append(rest[: item.start].strip(" ,;"))
        found.append(item)
        rest = rest[item.end :].strip(" ,;\t\n")
    return found, [piece for piece in leftovers if piece]


def _row(outcome: Outcome) -> list[str]:
    record = outcome.record
    title = (record.public_title or record.scientific_title or "") if record else ""
    kind = outcome.kind.value + (f" → {outcome.current_id}" if outcome.current_id else "")
    return [
        outcome.requested_id,
        outcome.registry.value,
        kind if not outcome.reason else f"{kind}: {outcome.reason}",
        title,
        (record.overall_status or "") if record else "",
        record.registration_date.value if record and record.registration_date else "",
        outcome.url or (record.url if record else ""),
    ]


NOT_AN_IDENTIFIER = (
    "no registry's identifier format matches it (NCT01506986, ISRCTN10134725, "
    "2011-003425-96, ACTRN12610000123456, ...)"
)
Malformed = tuple[str, str, str]
"""What the user typed, the registry it looks like ("" for none), and why it is malformed."""


def render_table(outcomes: list[Outcome], malformed: list[Malformed]) -> str:
    table = Table("id", "registry", "outcome", "title", "status", "registered")
    table.add_column("url", overflow="fold")  # wrapped, never cut: it is where to look
    for outcome in outcomes:
        table.add_row(*_row(outcome))
    for text, registry, why in malformed:
        table.add_row(text, registry, f"malformed: {why}", "", "", "", "")
    buffer = io.StringIO()
    Console(file=buffer, width=160, force_terminal=stdout_is_terminal()).print(table)
    return buffer.getvalue()


def lookup_exit_code(outcomes: list[Outcome], malformed: list[Malformed]) -> ExitCode:
    """0 every identifier exists; 1 one is malformed or not found; 3 one could not be asked."""
    if malformed or any(o.kind is OutcomeKind.NOT_FOUND for o in outcomes):
        return ExitCode.FINDINGS
    if any(o.kind is OutcomeKind.UNVERIFIED for o in outcomes):
        return ExitCode.UNVERIFIED
    return ExitCode.OK


@click.command("lookup")
@click.argument("ids", nargs=-1, metavar="ID... | -")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default=None,
    help="Output format (default: table on a terminal, json when piped).",
)
@verify_options
def lookup_command(ids: tuple[str, ...], fmt: str | None, **flags: Any) -> int:
    """Look identifiers up in their registries and show the normalised records."""
    run = resolve_run_settings(**flags)
    wanted: list[tuple[Registry, str]] = []
    malformed: list[Malformed] = []
    for text in _requested(ids):
        found, leftovers = parse_typed(text)
        malformed.extend((piece, "", NOT_AN_IDENTIFIER) for piece in leftovers)
        for item in found:
            if item.valid_format:
                wanted.append((item.registry, item.id))
            else:
                why = item.problem or "not in its registry's format"
                malformed.append((item.raw, item.registry.value, why))
    outcomes = asyncio.run(
        verify_identifiers(
            wanted,
            settings=run.registries,
            cache=run.cache,
            offline=run.offline,
            replay=run.replay,
            record=run.record,
            snapshot=run.snapshot,
        )
    )
    answers = [outcomes[key] for key in dict.fromkeys(wanted)]
    if (fmt or ("table" if stdout_is_terminal() else "json")) == "json":
        document: list[dict[str, Any]] = [o.model_dump(mode="json") for o in answers]
        document += [
            {"kind": "malformed", "requested_id": text, "registry": registry or None, "reason": why}
            for text, registry, why in malformed
        ]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(answers, malformed), nl=False)
    if run.cache is not None:
        run.cache.close()
    hint = unverified_hint(o.reason for o in answers if o.kind is OutcomeKind.UNVERIFIED)
    if hint is not None:
        click.echo(hint, err=True)
    return lookup_exit_code(answers, malformed)
