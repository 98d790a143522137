"""``api.pagination``: cursors are signed, bound to their list and ordering, and survive the
types of ordering values; the keyset condition pages through equal values without losing or
repeating a row; every bad cursor is a 422 naming ``cursor``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import RequestFactory
from ninja.errors import ValidationError

from justicework.api import pagination
from justicework.api.pagination import CursorPagination, decode_cursor, encode_cursor, keyset_filter
from justicework.core.models import Organisation
from tests.conftest import make_org

# --- cursors (no database) ------------------------------------------------------------------------


def test_a_cursor_round_trips_dates_decimals_and_plain_values():
    when = dt.datetime(2024, 2, 29, 13, 30, tzinfo=dt.UTC)
    cursor = encode_cursor([when, dt.date(2023, 5, 4), Decimal("12.50"), "x", 7], scope="s")
    assert decode_cursor(cursor, 5, scope="s") == [
        when.isoformat(),
        "2023-05-04",
        "12.50",
        "x",
        7,
    ]


def test_a_model_in_a_cursor_is_kept_as_its_primary_key():
    organisation = Organisation(pk=42, name="x")
    assert decode_cursor(encode_cursor([organisation]), 1) == [42]


def test_a_cursor_is_opaque():
    cursor = encode_cursor(["Shelling of the market"], scope="s")
    assert "Shelling" not in cursor


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        encode_cursor([1, 2], scope="other list"),
        encode_cursor([1], scope="s"),
        signing.dumps({"not": "a list"}, salt=pagination._salt("s"), compress=True),
        encode_cursor([1, 2], scope="s")[:-2] + "xx",
    ],
    ids=["garbage", "other scope", "wrong size", "not a list", "tampered"],
)
def test_a_bad_cursor_is_a_validation_error_naming_cursor(cursor):
    with pytest.raises(ValidationError) as refused:
        decode_cursor(cursor, 2, scope="s")
    (error,) = refused.value.errors
    assert error["loc"] == ["query", "cursor"]
    assert error["msg"] == "This cursor is not valid for this list."


def test_the_keyset_condition_is_strictly_after_in_mixed_directions():
    condition = keyset_filter(("-created_at", "pk"), ["2024-01-01", 5])
    text = str(condition)
    assert "created_at__lt" in text and "pk__gt" in text
    assert "created_at" in text


def test_a_null_ordering_value_is_refused_by_field_name():
    with pytest.raises(ValueError, match="'country' must not be NULL"):
        keyset_filter(("country", "pk"), [None, 3])


def test_the_primary_key_is_always_the_last_ordering_key_in_the_same_direction():
    assert CursorPagination(ordering=("-created_at",)).ordering == ("-created_at", "-pk")
    assert CursorPagination(ordering=("name", "id")).ordering == ("name", "pk")
    assert CursorPagination().ordering == ("pk",)


# --- paging a queryset -------------------------------------------------------------------


def page(paginator, queryset, cursor=None, limit=2, path="/api/v1/things"):
    request = RequestFactory().get(path)
    return paginator.paginate_queryset(
        queryset, SimpleNamespace(cursor=cursor, limit=limit), request
    )


@pytest.mark.django_db
def test_paging_by_a_repeated_value_visits_every_row_once_in_order():
    for i in range(5):
        make_org(f"Same Name {i}")
    Organisation.objects.update(kind=Organisation.Kind.MEMBER)
    paginator = CursorPagination(ordering=("kind",))
    seen, cursor = [], None
    while True:
        result = page(paginator, Organisation.objects.all(), cursor)
        seen += [o.pk for o in result["items"]]
        cursor = result["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(Organisation.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_last_full_page_has_no_next_cursor():
    for i in range(4):
        make_org(f"Organisation {i}")
    paginator = CursorPagination(ordering=("name",))
    first = page(paginator, Organisation.objects.all(), limit=2)
    second = page(paginator, Organisation.objects.all(), first["next_cursor"], limit=2)
    assert [o.name for o in first["items"] + second["items"]] == [
        f"Organisation {i}" for i in range(4)
    ]
    assert second["next_cursor"] is None


@pytest.mark.django_db
def test_an_empty_list_has_no_items_and_no_cursor():
    result = page(CursorPagination(ordering=("name",)), Organisation.objects.none())
    assert result == {"items": [], "next_cursor": None}


@pytest.mark.django_db
def test_a_cursor_from_another_path_is_refused():
    for i in range(3):
        make_org(f"Organisation {i}")
    paginator = CursorPagination(ordering=("name",))
    first = page(paginator, Organisation.objects.all(), path="/api/v1/a")
    with pytest.raises(ValidationError):
        page(paginator, Organisation.objects.all(), first["next_cursor"], path="/api/v1/b")


@pytest.mark.django_db
def test_a_signed_cursor_whose_values_do_not_fit_the_fields_is_a_422_not_a_500():
    make_org("Organisation")
    paginator = CursorPagination(ordering=("-created_at",))
    scope = "/api/v1/things|-created_at,-pk"
    forged = encode_cursor(["not a time", "not a number"], scope)
    with pytest.raises(ValidationError) as refused:
        page(paginator, Organisation.objects.all(), forged)
    assert refused.value.errors[0]["loc"] == ["query", "cursor"]
    assert refused.value.errors[0]["msg"] == "This cursor is not valid."
