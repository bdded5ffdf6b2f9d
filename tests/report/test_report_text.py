"""The terminal report."""

from __future__ import annotations

import re

import pytest

from linker.report.text import TextReporter
from linker.results import RunResult

ANSI = "\x1b["


def test_plain_by_default(run_result: RunResult) -> None:
    assert ANSI not in TextReporter().render(run_result)


def test_color_when_asked(monkeypatch: pytest.MonkeyPatch, run_result: RunResult) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ANSI in TextReporter(color=True).render(run_result)


def test_no_color_env_wins(monkeypatch: pytest.MonkeyPatch, run_result: RunResult) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI not in TextReporter(color=True).render(run_result)


def test_terminal_environment_does_not_change_output(
    monkeypatch: pytest.MonkeyPatch, run_result: RunResult
) -> None:
    expected = TextReporter().render(run_result)
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    assert TextReporter().render(run_result) == expected


def test_finding_lines_are_greppable(run_result: RunResult) -> None:
    output = TextReporter().render(run_result)
    assert (
        "  refs/second list, v2.ris:20:7 TL203 [warning] unverified-id: "
        "2010-023456-11 could not be checked: timeout.\n"
    ) in output
    assert "5 findings (2 errors, 2 warnings, 1 info) in 4 of 5 publications." in output


def test_rich_markup_in_data_is_printed_literally(run_result: RunResult) -> None:
    run_result.publications[1].title = "[bold red]not markup[/] :smile:"
    run_result.publications[1].findings[0].message = "[link=x]click[/link]"
    output = TextReporter().render(run_result)
    assert "[link=x]click[/link]" in output
    assert "[bold red]not markup[/] :smile:" in output


def test_clean_run(empty_result: RunResult) -> None:
    assert "No findings in 0 publications." in TextReporter().render(empty_result)


def test_colour_adds_only_escapes(monkeypatch: pytest.MonkeyPatch, run_result: RunResult) -> None:
    """The plain lines (written without rich) are the coloured report's text."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = TextReporter(color=True).render(run_result)
    stripped = "\n".join(
        line.rstrip() for line in re.sub(r"\x1b\[[0-9;]*m", "", coloured).split("\n")
    )
    assert stripped == TextReporter().render(run_result)
