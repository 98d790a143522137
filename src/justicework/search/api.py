"""Implementation of the functions exported by ``justicework.search`` (see its docstring):
keeping the index current, and restricting a queryset to the matches of a text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import BooleanField, F, FloatField, Model, QuerySet
from django.db.models.expressions import Expression, RawSQL

from justicework.search.backends import get_backend
from justicework.search.backends.base import TABLE
from justicework.search.registry import PK_LIMIT, registration_for
from justicework.search.stems import widen
from justicework.search.text import Term, document_text, parse_query

M = TypeVar("M", bound=Model)

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
    queryset = model._default_manager.order_by("pk")
    if registration.prepare is not None:
        queryset = registration.prepare(queryset)
    objs: Iterable[Any] = queryset.iterator(chunk_size=batch_size)
    if registration.prepare_batch is not None:
        objs = _prepared(objs, batch_size, registration.prepare_batch)
    return _write(model, objs, batch_size, on_batch)


def _prepared(
    objs: Iterable[Any], batch_size: int, prepare: Callable[[list[Any]], list[Any]]
) -> Iterable[Any]:
    """``objs`` in batches of ``batch_size``, each passed through ``prepare`` first."""
    iterator = iter(objs)
    while batch := list(islice(iterator, batch_size)):
        yield from prepare(batch)


# --- Reading -----------------------------------------------------------------------------------


class _Matches(Expression):
    """``condition`` (SQL with ``{pk}``) about the outer row's primary key. The key is a real
    column expression, so the condition stays right when Django relabels the query's tables
    (the queryset used as a subquery)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, pk: Any, condition: str, params: list[Any]) -> None:
        super().__init__()
        self.pk, self.condition, self.params = pk, condition, params

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        [self.pk] = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        if pk_params:  # a column has none; ``{pk}`` may appear more than once
            raise ValueError("the primary key expression must not take parameters")
        return self.condition.format(pk=pk_sql), list(self.params)


def filter_queryset(
    queryset: QuerySet[M],
    text: str | None,
    rank: bool = False,
    all_of: Sequence[Sequence[str]] = (),
) -> QuerySet[M]:
    """Restrict ``queryset`` to objects matching ``text``; with ``rank`` annotate
    ``search_rank``. Text without any word leaves the queryset unchanged (``search_rank`` 0).
    ``all_of``: groups of index tokens (a model's keyword tokens, e.g. type codes) of which the
    documents must also hold one each, matched in the same index look-up as the text."""
    model = queryset.model
    registration = registration_for(model)
    terms = registration.expand(widen(parse_query(text)))
    terms += [Term((group[0],), alternatives=tuple(group[1:])) for group in all_of if group]
    if not terms:
        if rank:
            ranked: QuerySet[M] = queryset.annotate(
                search_rank=RawSQL("0.0", [], output_field=FloatField())
            )
            return ranked
        return queryset
    backend = get_backend()
    correlated = backend.correlated_match_sql(terms, registration.base)
    if correlated is not None:
        queryset = queryset.filter(_Matches(F("pk"), *correlated))
    else:
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


def newest_ids(
    queryset: QuerySet[M], text: str | None, limit: int, all_of: Sequence[Sequence[str]] = ()
) -> list[int] | None:
    """The primary keys of the ``limit`` newest (highest key first) objects of ``queryset`` that
    match ``text`` (and ``all_of``, as in :func:`filter_queryset`), found from the index side:
    the engine walks the matches backwards and probes ``queryset`` by primary key for each,
    stopping after ``limit``, so a word in most documents costs no more than a rare one. None
    when ``text`` has no words (nothing to walk: order ``queryset`` itself)."""
    registration = registration_for(queryset.model)
    words = registration.expand(widen(parse_query(text)))
    if not words:
        return None
    terms = words + [Term((group[0],), alternatives=tuple(group[1:])) for group in all_of if group]
    correlated = queryset.filter(pk=RawSQL(f"{TABLE}.rowid - %s", [registration.base]))  # noqa: S611  # constant table, int param
    try:
        exists_sql, exists_params = correlated.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. policy.visible(...) answered .none()
        return []
    sql, params = get_backend().window_sql(terms, registration.base, exists_sql)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*params, *exists_params, limit])
        return [int(row[0]) for row in cursor.fetchall()]
