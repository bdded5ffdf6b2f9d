"""Start-up stays small: ``--version`` and ``--help`` load no command module until it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import LAZY_COMMANDS, cli
from linker.extract.scan import available_backends


def test_version_imports_no_command_module() -> None:
    code = (
        "import sys; from linker.cli.main import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('linker.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout.strip().splitlines()[-1]
    assert "linker.pipeline" not in loaded and "linker.extract" not in loaded, loaded


def test_every_lazy_command_loads_and_is_listed() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in LAZY_COMMANDS:
        assert name in result.stdout
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


@pytest.mark.skipif(
    available_backends() == ["re"], reason="the stdlib backend reads the reference way (models)"
)
def test_jsonl_extract_imports_no_pydantic_and_no_other_reader(tmp_path: Path) -> None:
    listing = tmp_path / "list.jsonl"
    listing.write_text('{"pmid": "1", "title": "Trial NCT01234567", "abstract": ""}\n')
    output = tmp_path / "out.jsonl"
    code = (
        "import sys; from linker.cli.main import main\n"
        "try:\n"
        f"    main(['extract', {str(listing)!r}, '--format', 'jsonl', '-o', {str(output)!r}])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'linker.', 'lxml'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout.strip().splitlines()[-1]
    assert '"NCT01234567"' in output.read_text()
    for heavy in ("pydantic", "linker.models", "lxml", "linker.readers.lean_pubmed_xml"):
        assert f"'{heavy}" not in loaded, loaded
