"""Keyset ("cursor") pagination for every API list.

Usage in any router::

    @router.get("/things", response=list[ThingOut])
    @paginate(CursorPagination, ordering=("-created_at",))
    def list_things(request): return policy.visible(request.auth_user, Thing, "view")

The primary key is always added as the last ordering key, so the order is total. The cursor is
the last row's ordering values, signed (``django.core.signing``) so a client cannot forge one
and opaque so clients do not build them. Each page costs one query whatever its position (no
OFFSET, no COUNT). A tampered or stale-format cursor is a 422 naming ``cursor``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

CURSOR_SALT = "justicework.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def _salt(scope: str) -> str:
    return f"{CURSOR_SALT}:{scope}"


def encode_cursor(values: list[Any], scope: str = "") -> str:
    """``scope`` (the list's path and ordering) binds a cursor to the list that issued it."""
    return signing.dumps([_plain(v) for v in values], salt=_salt(scope), compress=True)


def decode_cursor(cursor: str, size: int, scope: str = "") -> list[Any]:
    try:
        values = signing.loads(cursor, salt=_salt(scope))
    except signing.BadSignature:
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ValidationError(
            [{"loc": ["query", "cursor"], "msg": _("This cursor is not valid for this list.")}]
        )
    return values


def keyset_filter(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``:
    ``(a > x) | (a = x & b > y) | (a = x & b = y & c > z) ...`` with ``<`` for descending keys."""
    condition = Q()
    equal_so_far = Q()
    for key, value in zip(ordering, values, strict=True):
        field = key.lstrip("-")
        op = "lt" if key.startswith("-") else "gt"
        if value is None:
            # NULLs sort last ascending, first descending on PostgreSQL and SQLite alike is not
            # guaranteed: keep nullable fields out of cursor orderings.
            raise ValueError(f"Cursor ordering field {field!r} must not be NULL.")
        condition |= equal_so_far & Q(**{f"{field}__{op}": value})
        equal_so_far &= Q(**{field: value})
    return condition


class CursorPagination(PaginationBase):
    class Input(Schema):
        cursor: str | None = Field(
            None, max_length=2000, description="`next_cursor` of the previous page."
        )
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(None, description="Pass as `cursor`; null: last page.")

    items_attribute = "items"

    def __init__(self, *, ordering: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        keys = tuple(k for k in ordering if k.lstrip("-") not in {"pk", "id"})
        last = "-pk" if keys and keys[-1].startswith("-") else "pk"
        self.ordering = (*keys, last)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        queryset = queryset.order_by(*self.ordering)
        scope = f"{request.path}|{','.join(self.ordering)}"
        if pagination.cursor:
            values = decode_cursor(pagination.cursor, len(self.ordering), scope)
            try:
                queryset = queryset.filter(keyset_filter(self.ordering, values))
            except (ValueError, TypeError, DjangoValidationError) as exc:
                raise ValidationError(
                    [{"loc": ["query", "cursor"], "msg": _("This cursor is not valid.")}]
                ) from exc
        rows = list(queryset[: pagination.limit + 1])
        more = len(rows) > pagination.limit
        rows = rows[: pagination.limit]
        next_cursor = None
        if more and rows:
            last_row = rows[-1]
            next_cursor = encode_cursor(
                [getattr(last_row, key.lstrip("-")) for key in self.ordering], scope
            )
        return {"items": rows, "next_cursor": next_cursor}
