"""``backup.tables``: raw values encoded the same whichever engine they came from, decoded back
with the target engine's adapters, refused by name when a value or a column does not fit; the
list of backed-up tables leaves out the derived and short-lived ones; dumps page in batches."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from justicework.backup import tables
from justicework.core.models import Organisation
from tests.conftest import make_org

# --- encode (no database) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, raw, encoded",
    [
        ("BinaryField", b"\x00\xffkey", base64.b64encode(b"\x00\xffkey").decode()),
        ("BinaryField", memoryview(b"ab"), "YWI="),
        (  # SQLite hands naive datetimes back (stored in UTC)
            "DateTimeField",
            dt.datetime(2024, 2, 29, 12, 0),  # noqa: DTZ001
            "2024-02-29T12:00:00+00:00",
        ),
        (
            "DateTimeField",
            dt.datetime(2024, 2, 29, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2024-02-29T12:00:00+00:00",
        ),
        ("DateTimeField", "2024-02-29 12:00:00", "2024-02-29T12:00:00+00:00"),
        ("DateField", dt.date(2023, 5, 4), "2023-05-04"),
        ("DateField", "2023-05-04", "2023-05-04"),
        ("BooleanField", 1, True),
        ("BooleanField", 0, False),
        ("UUIDField", "12345678123456781234567812345678", "12345678-1234-5678-1234-567812345678"),
        (
            "UUIDField",
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "12345678-1234-5678-1234-567812345678",
        ),
        ("JSONField", {"a": [1, 2]}, '{"a": [1, 2]}'),
        ("JSONField", '{"a": 1}', '{"a": 1}'),
        ("FloatField", 2, 2.0),
        # Money stays text: PostgreSQL gives a Decimal, SQLite's NUMERIC affinity a float or int.
        ("DecimalField", Decimal("60000.10"), "60000.10"),
        ("DecimalField", 60000.1, "60000.1"),
        ("DecimalField", 60000, "60000"),
        ("DecimalField", "0.3333", "0.3333"),
        ("CharField", "Олена", "Олена"),
        ("BigAutoField", 12, 12),
        ("CharField", None, None),
    ],
)
def test_raw_values_are_encoded_the_same_from_either_engine(kind, raw, encoded):
    assert tables.encode(kind, raw) == encoded


def test_a_text_that_is_not_a_date_and_time_is_refused_by_value():
    with pytest.raises(ValueError, match="not a date and time: 'yesterday'"):
        tables.encode("DateTimeField", "yesterday")


def test_a_value_of_an_unknown_type_is_refused_by_kind_and_type():
    with pytest.raises(ValueError, match="cannot back up a DecimalField value of type object"):
        tables.encode("DecimalField", object())


# --- decode (the target engine's adapters) --------------------------------------------------------


@pytest.mark.django_db
def test_encoded_values_decode_to_what_the_database_stores():
    assert tables.decode("BinaryField", "YWI=") == b"ab"
    assert tables.decode("CharField", "text") == "text"
    assert tables.decode("DateTimeField", None) is None
    when = tables.decode("DateTimeField", "2024-02-29T12:00:00+00:00")
    assert when == connection.ops.adapt_datetimefield_value(
        dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)
    )
    assert tables.decode("DateField", "2023-05-04") == connection.ops.adapt_datefield_value(
        dt.date(2023, 5, 4)
    )
    assert tables.decode("DecimalField", "60000.10") == Decimal("60000.10")
    expected = uuid.UUID("12345678-1234-5678-1234-567812345678")
    decoded = tables.decode("UUIDField", str(expected))
    assert decoded in (expected, expected.hex)


def test_base64_that_is_not_base64_is_refused():
    import binascii

    with pytest.raises(binascii.Error):
        tables.decode("BinaryField", "not base64!")


# --- the tables ----------------------------------------------------------------------------


def test_derived_and_short_lived_tables_are_not_backed_up():
    labels = [m._meta.label_lower for m in tables.models()]
    assert "search.searchdocument" not in labels
    assert "sessions.session" not in labels
    assert {"audit.auditentry", "core.organisation", "contenttypes.contenttype"} <= set(labels)
    assert labels == sorted(labels)


def test_columns_name_every_concrete_field_with_the_kind_of_its_target():
    cols = dict(tables.columns(Organisation))
    assert cols["id"] in {"BigAutoField", "AutoField"}
    assert cols["name"] == "CharField"
    from justicework.core.models import Membership

    membership = dict(tables.columns(Membership))
    # A foreign key is stored as its target's kind.
    assert membership["organisation_id"] == cols["id"]


@pytest.mark.django_db
def test_a_dump_pages_through_every_row_in_primary_key_order(monkeypatch):
    monkeypatch.setattr(tables, "BATCH", 2)
    for i in range(5):
        make_org(f"Organisation {i}")
    names = [name for name, _kind in tables.columns(Organisation)]
    rows = list(tables.dump(Organisation))
    ids = [row[names.index("id")] for row in rows]
    assert ids == sorted(ids) and len(ids) == 5 == tables.count(Organisation)
    assert tables.has_rows(Organisation)


@pytest.mark.django_db
def test_rows_inserted_from_a_dump_read_back_the_same():
    make_org("Original Centre", countries=["UA", "GE"])
    names = [name for name, _kind in tables.columns(Organisation)]
    (row,) = list(tables.dump(Organisation))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_organisation")
    assert not tables.has_rows(Organisation)
    tables.insert(Organisation, names, [row])
    restored = Organisation.objects.get()
    assert restored.name == "Original Centre"
    assert sorted(restored.countries) == ["GE", "UA"]
    assert list(tables.dump(Organisation)) == [row]


@pytest.mark.django_db
def test_columns_that_are_not_this_versions_are_refused_by_name():
    names = [name for name, _kind in tables.columns(Organisation)]
    with pytest.raises(ValueError) as refused:
        tables.insert(Organisation, [*names[:-1], "shoe_size"], [])
    assert "core.organisation: the backup's columns" in str(refused.value)
    assert "shoe_size" in str(refused.value)
    with pytest.raises(ValueError, match="are not this version's"):
        tables.insert(Organisation, names[:-1], [])


@pytest.mark.django_db
def test_json_survives_the_round_trip_as_json():
    make_org("Json Centre", countries=["CD"])
    names = [name for name, _kind in tables.columns(Organisation)]
    (row,) = list(tables.dump(Organisation))
    assert json.loads(row[names.index("countries")]) == ["CD"]
