"""Which format a file is in: by its content first, its extension as a hint."""

from __future__ import annotations

import codecs
import json
import re

FORMATS: tuple[str, ...] = (
    "textlist",
    "pubmed-xml",
    "medline",
    "ris",
    "bibtex",
    "csv",
    "tsv",
    "jsonl",
    "json",
)

_BY_EXTENSION = {
    "xml": "pubmed-xml",
    "nbib": "medline",
    "medline": "medline",
    "ris": "ris",
    "bib": "bibtex",
    "bibtex": "bibtex",
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "json": "json",
    "txt": "textlist",
}

_MEDLINE_TAG = re.compile(r"^(PMID|TI  |AB  |PT  |OWN |STAT|DP  |FAU |AU  )- ", re.M)
_RIS_START = re.compile(r"^TY  - ", re.M)
_BIBTEX_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.M)
_JSON_ARRAY_START = re.compile(r"\[\s*(?:[{\]]|$)")
_JSON_OBJECT_START = re.compile(r"\{\s*(?:[\"}]|$)")
_XML_START = re.compile(r"<(?:\?xml|!DOCTYPE|!--|PubmedArticle|PubmedBookArticle|MedlineCitation)")
_HEADER_WORDS = re.compile(
    r"^\W*(title|abstract|article title|ti|ab|doi|pmid|pubmed id|year)\W*$", re.I
)


def extension_of(name: str) -> str:
    lowered = name.lower().removesuffix(".gz")
    base = re.split(r"[\\/]", lowered)[-1]
    return base.rpartition(".")[2] if "." in base else ""


def _head_text(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


def _tabular_header(first_line: str) -> str | None:
    for delimiter, fmt in (("\t", "tsv"), (",", "csv"), (";", "csv"), ("|", "csv")):
        cells = first_line.split(delimiter)
        if len(cells) > 1 and any(_HEADER_WORDS.match(cell) for cell in cells):
            return fmt
    return None


def _json_kind(text: str) -> str:
    first_line = text.split("\n", 1)[0].strip()
    try:
        json.loads(first_line)
    except ValueError:
        return "json"
    return "jsonl"


def detect_format(name: str, head: bytes) -> str:
    """The format of a file called ``name`` whose first bytes (a few KiB) are ``head``.

    Unmistakable content wins (XML, MEDLINE tags, RIS ``TY  -``, BibTeX ``@type{``, JSON); a
    CSV/TSV or JSON extension decides between the line-oriented formats; a first line of
    delimited column names is CSV/TSV; anything else is a plain text list. A bracket that
    opens a title (PubMed shows a translated title as ``[Title].``) is not JSON unless the
    name says JSON: an array or object opens with an object or a key; and a ``.txt`` file
    opening with a tag is XML only from a declaration, a doctype, a comment or a PubMed
    element on.
    """
    text = _head_text(head).lstrip()
    extension = _BY_EXTENSION.get(extension_of(name))
    if text.startswith("<") and (extension != "textlist" or _XML_START.match(text)):
        return "pubmed-xml"
    json_named = extension in ("json", "jsonl")
    if text.startswith("[") and (json_named or _JSON_ARRAY_START.match(text)):
        return "json"
    if text.startswith("{") and (json_named or _JSON_OBJECT_START.match(text)):
        return extension if extension in ("json", "jsonl") else _json_kind(text)
    if text.startswith("TY  -") or (
        _RIS_START.search(text[:20000]) and re.search(r"^ER  -", text[:20000], re.M)
    ):
        return "ris"
    if _MEDLINE_TAG.search(text[:20000]) and re.match(r"[A-Z][A-Z ]{3}- ", text):
        return "medline"
    if _BIBTEX_ENTRY.search(text[:20000]) and (
        text.startswith(("@", "%")) or extension == "bibtex"
    ):
        return "bibtex"
    if extension in ("csv", "tsv"):
        return extension
    return _tabular_header(text.split("\n", 1)[0].strip("\r")) or "textlist"
