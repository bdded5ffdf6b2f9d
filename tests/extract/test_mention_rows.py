"""Plain mention rows (the lean path) carry what the models (the library) carry."""

from __future__ import annotations

from linker.cli.extract_cmd import MENTION_FIELDS
from linker.extract.identifiers import find_identifiers
from linker.extract.mention_rows import MentionRow, text_row
from linker.extract.mentions import text_mention
from linker.models import Mention


def _locate(offset: int) -> tuple[int, int]:
    return (3, offset + 1)


def test_row_fields_are_the_model_fields_in_output_order() -> None:
    assert set(MentionRow._fields) == set(Mention.model_fields)
    assert MentionRow._fields == MENTION_FIELDS


def test_row_and_model_carry_the_same_values() -> None:
    text = "Registered as NCT01234567 and ISRCTN12345678. We cite NCT00000102 too."
    for found in find_identifiers(text):
        row = text_row("key", "list.jsonl", "abstract", text, found, _locate)
        model = text_mention("key", "list.jsonl", "abstract", text, found, _locate)
        assert row._asdict() == model.model_dump()
        assert Mention.model_validate(row._asdict()) == model
