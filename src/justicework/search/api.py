"""Implementation of the functions exported by ``justicework.search`` (see its docstring)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import BooleanField, Count, F, FloatField, Min, Model, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL

from justicework.core.actors import Requester
from justicework.search.backends import get_backend
from justicework.search.backends.base import TABLE
from justicework.search.registry import PK_LIMIT, registration_for
from justicework.search.text import Term, document_text, parse_query

M = TypeVar("M", bound=Model)

#: The largest page ``query`` returns, whatever ``limit`` asks.
MAX_LIMIT = 200

#: Defaults of ``settings.SEARCH_COUNT_CAP`` and ``settings.SEARCH_RANK_WINDOW`` (see the
#: package docstring): a text query counts its matches exactly up to the cap (and its facets
#: among the newest ``cap`` matches beyond it), and ranks the newest ``window`` matches.
DEFAULT_COUNT_CAP = 1000
DEFAULT_RANK_WINDOW = 2000


def count_cap() -> int:
    return max(1, int(getattr(settings, "SEARCH_COUNT_CAP", DEFAULT_COUNT_CAP)))


def rank_window() -> int:
    return max(1, int(getattr(settings, "SEARCH_RANK_WINDOW", DEFAULT_RANK_WINDOW)))


class BadCursor(ValueError):
    """A ``cursor`` that ``query`` did not produce."""


@dataclass
class SearchResult:
    """``total`` is exact when ``total_is_exact``; otherwise more than ``total`` objects match
    (``total`` is then ``SEARCH_COUNT_CAP``: show it as "1,000+"). ``facets_are_sample`` says
    the facet counts are among the newest ``total`` matches, not over all of them."""

    objects: list[Any]
    total: int
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    next_cursor: str | None = None
    offset: int = 0
    total_is_exact: bool = True
    facets_are_sample: bool = False


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
    objs = queryset.iterator(chunk_size=batch_size)
    return _write(model, objs, batch_size, on_batch)


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
    terms = registration.expand(parse_query(text))
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


#: Local fields counted together in one GROUP BY (one pass over the matches for the total and
#: all of them); beyond this many the combinations could outnumber the rows.
MAX_GROUPED_FACETS = 4


def _count_and_facets(
    queryset: QuerySet[Any],
    facets: Sequence[str],
    facet_limit: int,
    newest: Callable[[int], QuerySet[Any]] | None = None,
    cap: int = 0,
) -> tuple[int, bool, dict[str, list[tuple[Any, int]]]]:
    """The total, whether it is exact, and the facet counts. Facets on the model's own columns
    (no ``__``) are counted in a single ``GROUP BY`` over all of them that also yields the
    total; facets across relations are counted one query each, with ``DISTINCT``.

    With ``newest`` (``newest(n)``: the ``n`` newest matches), only the newest ``cap + 1``
    matches are read: when there are more than ``cap``, the total is ``cap`` (not exact) and
    the facets count the newest ``cap`` matches (the oldest of the ``cap + 1`` is taken out of
    its group: each group reports its smallest primary key)."""
    local = [name for name in facets if "__" not in name][:MAX_GROUPED_FACETS]
    related = [name for name in facets if name not in local]
    base = (newest(cap + 1) if newest is not None else queryset).order_by()
    counts: dict[str, dict[Any, int]] = {name: {} for name in facets}
    exact = True
    if local:
        rows = list(
            base.values(*local)
            .annotate(_n=Count("pk"), _oldest=Min("pk"))
            .values_list(*local, "_n", "_oldest")
        )
        total = sum(row[-2] for row in rows)
        oldest_row: Any = None
        if newest is not None and total > cap:
            exact = False
            oldest_row = min(rows, key=lambda row: row[-1])
        for row in rows:
            n = row[-2] - (1 if row is oldest_row else 0)
            for name, value in zip(local, row[:-2], strict=True):
                counts[name][value] = counts[name].get(value, 0) + n
    else:
        total = base.count()
        exact = newest is None or total <= cap
    if not exact:
        total = cap
        if newest is not None and related:
            base = newest(cap).order_by()
    for name in related:
        counts[name] = dict(base.values_list(name).annotate(_n=Count("pk", distinct=True)))

    def ordered(items: dict[Any, int]) -> list[tuple[Any, int]]:
        kept = [(value, n) for value, n in items.items() if n > 0]
        return sorted(kept, key=lambda kv: (-kv[1], "" if kv[0] is None else str(kv[0])))[
            :facet_limit
        ]

    return total, exact, {name: ordered(counts[name]) for name in facets}


def _exists_sql(visible: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """``visible`` as a subquery correlated on ``search_document.rowid`` (a primary-key probe
    per match), or None when ``visible`` is empty by construction."""
    registration = registration_for(visible.model)
    correlated = visible.filter(pk=RawSQL(f"{TABLE}.rowid - %s", [registration.base]))  # noqa: S611  # constant table, int param
    try:
        sql, params = correlated.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. policy.visible(...) answered .none()
        return None
    return sql, tuple(params)


def _newest_matches(visible: QuerySet[M], terms: list[Term]) -> Callable[[int], QuerySet[M]]:
    """``newest(n)``: the ``n`` newest (highest primary key) objects of ``visible`` matching
    ``terms``, found from the index side (walking the matches backwards, stopping early)."""
    registration = registration_for(visible.model)
    exists = _exists_sql(visible)

    def newest(n: int) -> QuerySet[M]:
        if exists is None:
            return visible.none()
        sql, params = get_backend().window_sql(terms, registration.base, exists[0])
        return visible.filter(pk__in=RawSQL(sql, [*params, *exists[1], n]))  # noqa: S611  # user text only in params

    return newest


def _ranked_page(
    visible: QuerySet[M], terms: list[Term], limit: int, offset: int, window: int
) -> tuple[list[M], int | None]:
    """One page of ``visible`` matches by relevance, among the newest ``window`` of them: one
    statement ranks only the visible matches of the window (relevance statistics computed
    once), one more fetches the objects. Each object gets ``search_rank`` (higher is better).
    Also returns how many visible matches the window holds (None when the page is empty)."""
    registration = registration_for(visible.model)
    backend = get_backend()
    limit = min(limit, window - offset)
    if limit <= 0:
        return [], None
    # Visibility is checked per matching row (a primary-key probe), so a rare word costs
    # almost nothing even when the user sees 100,000 rows.
    exists = _exists_sql(visible)
    if exists is None:
        return [], 0
    with connections[visible.db].cursor() as cursor:
        for within in backend.recent_bounds(cursor, terms, registration.base, window):
            sql, params = backend.ranked_sql(terms, registration.base, exists[0], within)
            cursor.execute(sql, [*params, *exists[1], window, limit, offset])
            rows = cursor.fetchall()
            if rows and int(rows[0][2]) >= window:
                break  # a full window: every match below the range is older than all of it
    scored = [(int(pk), float(score)) for pk, score, _n in rows]
    in_window = int(rows[0][2]) if rows else None
    if not rows:
        return [], None
    by_pk = {obj.pk: obj for obj in visible.filter(pk__in=[pk for pk, _ in scored])}
    page = []
    for pk, score in scored:
        obj = by_pk.get(pk)
        if obj is not None:
            # bm25() is lower-is-better; report higher-is-better on both backends.
            obj.search_rank = -score if backend.vendor == "sqlite" else score  # type: ignore[attr-defined]  # set like .annotate() would
            page.append(obj)
    return page, in_window


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
    user: Requester,
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
    terms = registration_for(model).expand(parse_query(text))
    ranked = bool(terms) and order_by is None
    visible = queryset
    queryset = filter_queryset(queryset, text)

    cap, window = count_cap(), rank_window()
    newest = _newest_matches(visible, terms) if terms else None
    if ranked and not facets and cap < window:
        # Without facets the ranking statement also tells how many visible matches its window
        # holds (window > cap, so that settles "exact up to the cap"): no counting query.
        objects, in_window = _ranked_page(visible, terms, limit, offset, window)
        if in_window is None:  # an empty page says nothing: count
            total, exact, facet_counts = _count_and_facets(queryset, (), facet_limit, newest, cap)
        else:
            exact = in_window <= cap
            total, facet_counts = min(in_window, cap), {}
    else:
        total, exact, facet_counts = _count_and_facets(queryset, facets, facet_limit, newest, cap)
        if ranked:
            objects = _ranked_page(visible, terms, limit, offset, window)[0] if total else []
        else:
            ordering = list(order_by) if order_by is not None else ["-pk"]
            objects = list(queryset.order_by(*ordering)[offset : offset + limit])
    next_offset = offset + len(objects)
    if exact:
        more = next_offset < (min(total, window) if ranked else total)
    else:
        more = len(objects) == limit and (not ranked or next_offset < window)
    next_cursor = _encode_cursor(next_offset) if more else None
    return SearchResult(
        objects,
        total,
        facet_counts,
        next_cursor,
        offset,
        total_is_exact=exact,
        facets_are_sample=not exact and bool(facets),
    )
