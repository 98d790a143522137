"""Implementation of the functions exported by ``justicework.search`` (see its docstring)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Count, FloatField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from justicework.search.backends import get_backend
from justicework.search.registry import PK_LIMIT, registration_for
from justicework.search.text import document_text, parse_query

M = TypeVar("M", bound=Model)

#: The largest page ``query`` returns, whatever ``limit`` asks.
MAX_LIMIT = 200


class BadCursor(ValueError):
    """A ``cursor`` that ``query`` did not produce."""


@dataclass
class SearchResult:
    objects: list[Any]
    total: int
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    next_cursor: str | None = None
    offset: int = 0


# --- Writing -----------------------------------------------------------------------------------


def _write(
    model: type[Model],
    objs: Iterable[Any],
    batch_size: int,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    registration = registration_for(model)
    backend = get_backend()
    count = 0
    iterator = iter(objs)
    with connections[router.db_for_write(model)].cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            rows: list[tuple[int, str]] = []
            empty: list[int] = []
            for obj in batch:
                rowid = registration.rowid(obj.pk)
                text = document_text(registration.text(obj) or "")
                if text:
                    rows.append((rowid, text))
                else:
                    empty.append(rowid)
            backend.upsert(cursor, rows)
            if empty:
                backend.delete(cursor, empty)
            count += len(batch)
            if on_batch is not None:
                on_batch(len(batch))
    return count


def index(objs: Iterable[Model]) -> int:
    """(Re)index ``objs`` (any mix of registered models). Returns how many were written."""
    by_model: dict[type[Model], list[Model]] = {}
    for obj in objs:
        by_model.setdefault(obj._meta.concrete_model or type(obj), []).append(obj)
    return sum(_write(model, items, 1000) for model, items in by_model.items())


def index_many(model: type[Model], objs: Iterable[Any], batch_size: int = 1000) -> int:
    """Bulk (re)index objects of one model in batches of ``batch_size`` rows."""
    return _write(model, objs, batch_size)


def remove(model: type[Model], ids: Iterable[Any]) -> None:
    """Remove the rows of the objects with primary keys ``ids``."""
    registration = registration_for(model)
    rowids = [registration.rowid(pk) for pk in ids]
    if rowids:
        with connections[router.db_for_write(model)].cursor() as cursor:
            get_backend().delete(cursor, rowids)


def reindex(
    model: type[Model], batch_size: int = 2000, on_batch: Callable[[int], None] | None = None
) -> int:
    """Drop and rebuild every row of ``model``. Returns how many objects were indexed;
    ``on_batch(n)`` is called after each batch (progress bars)."""
    registration = registration_for(model)
    with connections[router.db_for_write(model)].cursor() as cursor:
        get_backend().delete_range(cursor, registration.base, registration.base + PK_LIMIT - 1)
    objs = model._default_manager.order_by("pk").iterator(chunk_size=batch_size)
    return _write(model, objs, batch_size, on_batch)


# --- Reading -----------------------------------------------------------------------------------


def filter_queryset(queryset: QuerySet[M], text: str | None, rank: bool = False) -> QuerySet[M]:
    """Restrict ``queryset`` to objects matching ``text``; with ``rank`` annotate
    ``search_rank``. Text without any word leaves the queryset unchanged (``search_rank`` 0)."""
    model = queryset.model
    registration = registration_for(model)
    terms = parse_query(text)
    if not terms:
        if rank:
            return queryset.annotate(search_rank=RawSQL("0.0", [], output_field=FloatField()))
        return queryset
    backend = get_backend()
    sql, params = backend.match_ids_sql(terms, registration.base)
    queryset = queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611  # user text only in params
    if rank:
        meta = model._meta
        pk_column = f'"{meta.db_table}"."{meta.pk.column}"'
        rank_sql, rank_params = backend.rank_sql(terms, registration.base, pk_column)
        queryset = queryset.annotate(
            search_rank=RawSQL(rank_sql, rank_params, output_field=FloatField())  # noqa: S611  # params only
        )
    return queryset


def _decode_cursor(cursor: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error) as exc:
        raise BadCursor("cursor is not valid") from exc
    if offset < 0:
        raise BadCursor("cursor is not valid")
    return offset


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode("ascii")


def query(
    user: Any,
    model: type[M],
    text: str | None = "",
    filters: dict[str, Any] | Q | None = None,
    facets: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
    cursor: str | None = None,
    order_by: Sequence[str] | None = None,
    action: str = "view",
    facet_limit: int = 50,
) -> SearchResult:
    """Search ``model`` as ``user`` sees it (see the package docstring)."""
    from justicework.core import policy

    limit = max(1, min(int(limit), MAX_LIMIT))
    if cursor:
        offset = _decode_cursor(cursor)
    offset = max(0, int(offset))

    queryset = policy.visible(user, model, action)
    if isinstance(filters, Q):
        queryset = queryset.filter(filters)
    elif filters:
        queryset = queryset.filter(**filters)
    has_text = bool(parse_query(text))
    ranked = has_text and order_by is None
    queryset = filter_queryset(queryset, text, rank=ranked)

    total = queryset.order_by().count()
    facet_counts: dict[str, list[tuple[Any, int]]] = {}
    for name in facets:
        rows = (
            queryset.order_by()
            .values_list(name)
            .annotate(n=Count("pk", distinct="__" in name))
            .order_by("-n", name)[:facet_limit]
        )
        facet_counts[name] = [(value, n) for value, n in rows]

    ordering = (
        list(order_by) if order_by is not None else (["-search_rank", "-pk"] if ranked else ["-pk"])
    )
    objects = list(queryset.order_by(*ordering)[offset : offset + limit])
    next_offset = offset + len(objects)
    next_cursor = _encode_cursor(next_offset) if next_offset < total else None
    return SearchResult(objects, total, facet_counts, next_cursor, offset)
