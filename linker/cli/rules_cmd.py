"""``trial-linker rules``: every rule with its code, name, default severity and page."""

from __future__ import annotations

import json

import click

from linker.rules.catalog import RULES


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_command(fmt: str) -> int:
    """List the rules: code, name, default severity, what each means."""
    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "summary": r.summary,
                "url": r.doc_url,
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return 0
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")
    return 0
