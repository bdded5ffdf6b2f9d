"""Whether a registry's 200 answer is the document that was asked for.

Proxies, load balancers and maintenance pages answer with an HTML page, often with status 200;
a connection cut short leaves a truncated body. Neither says anything about an identifier: the
HTTP layer retries them like a 5xx (:meth:`linker.registries.http.RegistryHttp.request` with
``expect``), and a batch whose answer stays unusable is split and asked again
(:class:`linker.registries.batching.BatchingClient`) before any identifier becomes unverified.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from linker.registries._parsing import body_problem

#: Every reason given for an unusable answer contains this, wherever it was found.
MALFORMED = "malformed response"

#: What an answer must be: "JSON", "XML", or a function giving the problem with a body.
Expectation = str | Callable[[bytes], str | None]


def answer_problem(body: bytes, expected: Expectation) -> str | None:
    """Why ``body`` is not a well-formed ``expected`` ("JSON", "XML") document, or None; a
    function as ``expected`` (for pages a registry serves as HTML) says so itself."""
    if not isinstance(expected, str):
        return expected(body)
    problem = body_problem(body, expected)
    if problem is not None:
        return problem
    if expected == "JSON":
        try:
            json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return f"{MALFORMED}: invalid or truncated JSON"
    elif expected == "XML":
        try:
            SafeET.fromstring(body)
        except (ParseError, defusedxml.DefusedXmlException, ValueError):
            return f"{MALFORMED}: unparsable XML"
    return None
