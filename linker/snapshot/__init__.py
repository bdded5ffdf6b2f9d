"""Registry snapshots: bulk copies of the registries imported into one local SQLite file.

``linker.snapshot.database`` holds the file layout and the writer; one module per source format
imports into it (``ctgov_json``: the ClinicalTrials.gov ``json.zip`` download; ``aact``: the
AACT pipe-delimited flat files; ``isrctn_xml``: an ISRCTN API answer of all trials;
``recorded``: a ``--record`` store of any registry). ``linker.registries.snapshot`` answers
identifiers from the file with the same :class:`~linker.registries.interface.Outcome` values as
the live clients.
"""
