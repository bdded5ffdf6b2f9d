from __future__ import annotations

import json
from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers import read_publications
from linker.readers.interface import ReadOptions
from linker.readers.jsonrecords import KEY_END_PLAIN, bulk_has_text, decode_lines, key_ends


def test_sample_jsonl_with_escapes(fixtures_dir: Path) -> None:
    path = fixtures_dir / "publications" / "sample.jsonl"
    raw_line = path.read_text(encoding="utf-8").split("\n")[0]
    first, second = read_publications(path)
    assert first.abstract == "Sauna café study.\nRegistered as NCT01234567."
    abstract = first.fields[1]
    column = abstract.locate(abstract.text.index("NCT01234567"))[1]
    assert raw_line[column - 1 : column + 10] == "NCT01234567"
    assert abstract.locate(abstract.text.index("study")) == (1, raw_line.index("study") + 1)
    assert first.key == "90000051" and first.year == 2020
    assert first.declared_ids[0].column == raw_line.rindex("NCT01234567") + 1
    assert second.abstract == "Part one. Part two ISRCTN12345678."
    assert second.key == "10.1000/second"
    assert second.fields[1].locate(second.abstract.index("ISRCTN"))[1] == (
        path.read_text(encoding="utf-8").split("\n")[1].index("ISRCTN") + 1
    )


def test_sample_json_array(fixtures_dir: Path) -> None:
    first, second = read_publications(fixtures_dir / "publications" / "sample.json")
    assert (first.line, first.end_line) == (2, 7)
    assert first.fields[1].locate(first.abstract.index("NCT")) == (4, 55)
    assert first.publication_types == ["Randomized Controlled Trial"]
    assert second.key == "90000062"


def test_json_object_holding_records(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"records": [{"title": "a"}, {"title": "b"}]}), encoding="utf-8")
    assert [p.title for p in read_publications(path)] == ["a", "b"]


def test_bad_json_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"title": "ok"}\n{"title": broken}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert (caught.value.file, caught.value.line) == (str(path), 2)


def test_truncated_json_array(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[\n{"title": "a"},\n{"title": "b"', encoding="utf-8")
    with pytest.raises(InputError):
        list(read_publications(path))


def _bulk(lines: list[bytes]) -> list[bool] | None:
    decoded = decode_lines(lines)
    assert decoded is not None
    key_ends = sum(len(KEY_END_PLAIN.findall(line)) for line in lines)
    return bulk_has_text(decoded, key_ends, ReadOptions(file_name="list.jsonl"))


def test_alike_lines_are_counted_in_bulk() -> None:
    lines = [b'{"title": "a", "abstract": ""}', b'{"title": "", "abstract": null}']
    assert _bulk(lines) == [True, False]
    assert _bulk([]) == []


@pytest.mark.parametrize(
    "odd",
    [
        b'{"title": "a", "title": "b", "abstract": ""}',  # a key twice
        b'{"title": {"x": 1}, "abstract": ""}',  # nested
        b'{"abstract": "", "title": "a"}',  # another order
        b'{"title": ["a"], "abstract": ""}',  # joined from several strings
        b"[1]",
    ],
)
def test_lines_not_alike_are_left_to_the_line_by_line_test(odd: bytes) -> None:
    assert _bulk([b'{"title": "a", "abstract": "b"}', odd]) is None


def test_declared_ids_and_broken_lines_are_left_to_the_line_by_line_test() -> None:
    assert _bulk([b'{"title": "a", "registration": "NCT01234567"}']) is None
    assert decode_lines([b'{"title": "a"}', b"{"]) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"a": "b", "c": 1}', 2),
        (b'{"a": "x\\": y"}', 1),  # a quote in the text before a colon
        (b'{"a\\\\": 1}', 1),  # the key a\ : an escaped backslash, then the key's quote
        (b'{"a": "x\\\\\\": y"}', 1),  # three backslashes: the quote is escaped
        (b'{"a": {"b": 1}}', 2),  # nested keys count
        (b'{"a": ":b"}', 2),  # a string that starts with a colon counts
        (b'{"a" : "b", "c"\t:1}', 2),  # blanks before the colon: the regex counts them
        (b'{"a":"b","c":1}', 2),  # no blank after any quote
        (b'{"a" \r: "x\\" : y"}', 1),  # a blank after a quote, and a quote in the text
    ],
)
def test_key_ends_leave_out_quotes_in_text(line: bytes, expected: int) -> None:
    assert key_ends(line) == expected


@pytest.mark.parametrize(
    ("content", "suffix", "warned_line"),
    [
        ('{"title": "A", "abstract": "B"}\n{"title": "C"}\n', ".jsonl", 1),
        ('\n\n{"title": "A", "abstract": "B"}\n', ".jsonl", 3),
        ('[\n  {"title": "A", "abstract": "B"}\n]\n', ".json", 2),
        ('{"r1": {"title": "A", "abstract": "B"}}\n', ".json", None),  # records by id
    ],
)
def test_a_column_key_the_first_record_lacks_is_warned(
    tmp_path: Path, content: str, suffix: str, warned_line: int | None
) -> None:
    """A misspelt ``--column`` key would leave its field empty in every record, silently (a
    CSV header says so at once): the first record is looked at when the file is opened."""
    path = tmp_path / f"list{suffix}"
    path.write_text(content, encoding="utf-8")
    for columns, expected in (
        (
            {"title": "Titel"},
            [
                f"{path}: --column title=Titel: the first record (line {warned_line}) "
                "has no key 'Titel'"
            ],
        ),
        ({"title": "TITLE"}, []),
    ):
        warnings: list[str] = []
        list(read_publications(path, columns=columns, on_warning=warnings.append))
        missing = [w for w in warnings if "--column" in w]
        assert missing == (expected if warned_line else [])


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_two_keys_naming_one_text_field_in_the_first_record_are_warned(
    tmp_path: Path, suffix: str
) -> None:
    """Like a CSV header with ``Title`` and ``Article Title``: the one not read, and any
    identifier in it, would be lost unseen."""
    record = {
        "Article_Title": "B NCT01234567",
        "title": "A",
        "abstract": "x",
        "registration": "NCT00000102",
        "trial_registration": "NCT00000105",
    }
    line = json.dumps(record)
    path = tmp_path / f"list{suffix}"
    path.write_text(line + "\n" if suffix == ".jsonl" else f"[{line}]\n", encoding="utf-8")
    warnings: list[str] = []
    (read,) = read_publications(path, on_warning=warnings.append)
    assert read.title == "A"
    assert warnings == [
        f"{path}: the first record (line 1) has keys 'title' and 'Article_Title', which both "
        "name the title; 'title' is read, 'Article_Title' is not (--column title=NAME chooses)",
        f"{path}: the first record (line 1) has keys 'registration' and 'trial_registration', "
        "which both name the registration; 'registration' is read, 'trial_registration' is not "
        "(--column registration=NAME chooses)",
    ]
    warnings.clear()
    (read,) = read_publications(
        path, columns={"title": "article_title"}, on_warning=warnings.append
    )
    assert read.title == "B NCT01234567"
    assert [w for w in warnings if "name the title" in w] == []
