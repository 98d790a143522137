"""The search index table.

``SearchDocument`` exists in Django's model state so that ``flush`` (between transactional
tests) empties the index together with the data. Its real shape depends on the database and is
created by migration ``0001_search_document`` with engine-specific SQL:

* SQLite: ``CREATE VIRTUAL TABLE search_document USING fts5(text, ...)`` — the implicit
  ``rowid`` is the key;
* PostgreSQL: ``search_document(rowid bigint primary key, vector tsvector)`` with a GIN index.

A row's ``rowid`` is ``model key * 2**40 + object pk`` (see ``registry.Registration``), so one
table serves every registered model and "rows of model M" is a ``rowid`` range the full-text
engine applies while it walks its index. Write it only through ``justicework.search``.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    rowid = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "search_document"
        verbose_name = "search document"

    def __str__(self) -> str:
        return str(self.rowid)
