"""Generic import and export: readers, mappings, runs, row errors, formula neutralisation.

This app knows no domain app. A domain app describes its rows with a
:class:`~justicework.dataio.schema.Schema` and registers it; the engine streams a file through a
saved mapping into the schema's ``commit_chunk`` (which calls the domain's actions).
"""
