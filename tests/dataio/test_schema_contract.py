"""The Schema contract: committing is required; exporting is optional and refused by name."""

import pytest

from justicework.dataio.schema import ExportNotSupported, Schema

from .conftest import RowsSchema


def test_a_schema_without_commit_chunk_cannot_be_created():
    class Incomplete(Schema):
        kind = "incomplete"

    with pytest.raises(TypeError, match="commit_chunk"):
        Incomplete()


def test_an_import_only_kind_refuses_export_naming_the_kind():
    schema = RowsSchema()
    with pytest.raises(ExportNotSupported, match=repr(schema.kind)):
        schema.export_columns(None, None)
    with pytest.raises(ExportNotSupported, match=repr(schema.kind)):
        schema.export_rows(None, None)
