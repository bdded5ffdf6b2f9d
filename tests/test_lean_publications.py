"""``extract --publications`` (:mod:`linker.lean_publications`) through the command: the seed
list, several files of which one falls back to the reference way, the terminal table, and
``--jobs 2`` beside ``--jobs 1``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from publications_support import lean_read, outcome
from support import FIXTURES

from linker.cli.main import cli
from linker.extract.scan import available_backends

SEED = FIXTURES / "publications" / "publications.txt"
ID = "NCT01234567"


def test_seed_list_through_the_command() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--publications", "--format", "jsonl"])
    assert result.exit_code == 0
    assert result.stdout.encode() == outcome(SEED, False)[0]


def test_several_files_one_falling_back(tmp_path: Path) -> None:
    good, odd = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    good.write_text(f'{{"title": "a {ID}"}}\n', encoding="utf-8")
    odd.write_bytes(b'{"title": "x"}\n{"title": "caf\xe9 NCT01234567"}\n')
    assert lean_read(good) and not lean_read(odd)
    result = CliRunner().invoke(
        cli, ["extract", str(good), str(odd), str(SEED), "--publications", "--format", "csv"]
    )
    assert result.exit_code == 0
    rows = [outcome(path, False, fmt="csv")[0].split(b"\n", 1) for path in (good, odd, SEED)]
    assert result.stdout.encode() == rows[0][0] + b"\n" + b"".join(rest for _, rest in rows)


def test_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "real.jsonl"
    lines = [
        f'{{"pmid": "{n}", "title": "A randomised trial {n}", "abstract": "NCT0{n:07d}"}}'
        for n in range(40)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    command = ["extract", str(path), str(SEED), "--publications", "--format", "jsonl"]
    one = runner.invoke(cli, [*command, "--jobs", "1"])
    two = runner.invoke(cli, [*command, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_the_terminal_table(tmp_path: Path) -> None:
    from linker.cli.extract_cmd import PUBLICATION_FIELDS, publication_row, render
    from linker.pipeline import iter_extracted

    path = tmp_path / "list.jsonl"
    path.write_text(f'{{"title": "A randomised trial", "abstract": "{ID}"}}\n{{"title": "b"}}\n')
    result = CliRunner().invoke(cli, ["extract", str(path), "--publications", "--format", "table"])
    assert result.exit_code == 0
    rows = [publication_row(item) for item in iter_extracted([str(path)])]
    assert result.stdout == render(rows, PUBLICATION_FIELDS, "table")
    assert ID in result.stdout


@pytest.mark.skipif(
    available_backends() == ["re"], reason="the stdlib backend reads the reference way (models)"
)
def test_plain_records_import_no_pydantic(tmp_path: Path) -> None:
    listing = tmp_path / "list.jsonl"
    listing.write_text(
        f'{{"pmid": "1", "title": "A randomised trial", "abstract": "Methods: {ID}."}}\n'
        '{"pmid": "2", "title": "A cohort study", "abstract": ""}\n'
    )
    output = tmp_path / "out.jsonl"
    command = ["extract", str(listing), "--publications", "--format", "jsonl", "-o", str(output)]
    code = (
        "import sys; from linker.cli.main import main\n"
        f"try:\n    main({command!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'linker.models'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
    assert output.read_bytes() == outcome(listing, False)[0]
