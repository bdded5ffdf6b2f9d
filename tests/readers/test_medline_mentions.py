"""A plain MEDLINE record read straight to its mentions (:mod:`linker.readers.medline_mentions`)
gives what the extractor makes of the reference reader's publication; what is not plainly one
record is left to the reference."""

from __future__ import annotations

import pytest
from support import every_scan_backend

from linker.extract.mentions import extract_mentions
from linker.models import Mention
from linker.readers.interface import ReadOptions, numbered_lines
from linker.readers.medline import MedlineReader
from linker.readers.medline_mentions import plain_record

scan_backend = every_scan_backend()

ID = "NCT01234567"
PLAIN = [
    f"PMID- 1\nTI  - A trial {ID}\nAB  - Registered as {ID}.",
    f"PMID- 2\nTI  - Walking\nAB  - Registered at\n      ClinicalTrials.gov\n      ({ID}).",
    "PMID- 3\nAB  - see NCT0150-\n      6986 and ISRCTN\n      12345678",
    f"OWN - NLM\nPMID- 4\nTI  -\n      {ID} below\nTI  - NCT07654321\nAB  -\t {ID}  ",
    f"AID - 10.1000/x [pii]\nLID - 10.1000/\n      ABC [doi]\nAB  - {ID}",
    f"PMID-   \nAID - 10.1000/d [doi]\nAB  - {ID}",
    f"TI  - x\nAB  - {ID}",
    f"PMID- 5\r\nTI  - {ID}\r\nAB  - a {ID} -\r\n   b\r",
    f"PMID- 6\nAB  - one\n{ID} untagged\nAD  - {ID} elsewhere\nAB  - {ID} second",
    f"PMID- 7\nTI- {ID}\nAB     - {ID}\nti  - {ID}",
    "PMID- 8\nTI  - no identifier here",
    "PMID- 9\nDP  - 2020",
]
NOT_PLAIN = [
    "not a tag\nPMID- 1\nTI  - x",
    "      indented\nPMID- 1",
    f"PMID- 1\nTI  - x\nPMID- 2\nAB  - {ID}",
    f"PMID- 1\nSI  - ClinicalTrials.gov/{ID}\nAB  - {ID}",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_records_give_the_reference_mentions(text: str) -> None:
    options = ReadOptions(file_name="list.nbib")
    lines = ((number + 40, line) for number, line in numbered_lines(text))
    (publication,) = MedlineReader().read_lines(lines, options)
    record = plain_record(text, 41)
    assert record is not None
    assert record.has_text == bool(publication.title or publication.abstract)
    rows = record.mentions(1, options)
    assert [Mention.model_construct(**row._asdict()) for row in rows] == extract_mentions(
        publication
    )


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_what_is_not_plainly_one_record_is_left_to_the_reference(text: str) -> None:
    assert plain_record(text, 1) is None
