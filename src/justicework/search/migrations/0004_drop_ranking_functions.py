"""PostgreSQL only: drop ``search_document_estimate`` and ``search_document_range`` (migrations
0002 and 0003). They served ``search.query``'s ranking of the newest matches, which had no
caller and is gone: lists search through one query path per list (docs/search.md, "One query
path"). Those migrations stay, since deployed databases have run them; going back recreates the
functions from them. Nothing happens on SQLite."""

from importlib import import_module
from typing import Any

from django.db import migrations

_OLD = (
    "justicework.search.migrations.0002_search_document_estimate_function",
    "justicework.search.migrations.0003_search_document_range_function",
)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in _OLD:
            schema_editor.execute(import_module(name).DROP)


def recreate(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for name in _OLD:
                cursor.execute(import_module(name).CREATE)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_document_range_function")]

    operations = [migrations.RunPython(drop, recreate, elidable=False)]
