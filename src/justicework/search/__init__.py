"""One search interface (DESIGN 4.5): SQLite FTS5 and PostgreSQL full-text backends.

Contract (also in docs/search.md)
---------------------------------

Register a model once, usually in its ``AppConfig.ready``::

    from justicework import search
    search.register(Incident, text=incident_search_text, organisation_path="organisation_id",
                    prepare=with_search_relations)

``prepare(queryset) -> queryset`` (optional) adds the ``select_related``/``prefetch_related``
that ``text`` needs, so ``reindex`` reads in a constant number of queries per batch.
``text(obj) -> str`` returns the words that make ``obj`` findable. **It must never return
identity plaintext** (names, dates of birth, contacts, document numbers of persons): the index
is not encrypted. Identity look-ups go through blind indexes (``encryption.blind_index``).
Primary keys must be integers in ``1 .. 2**40 - 1``.

Keep the index current from the action that writes, inside its transaction:

* ``search.index(objs)`` — (re)index objects of any registered models;
* ``search.index_many(model, objs, batch_size=1000)`` — bulk, for importers (batched inserts;
  ``objs`` may be a generator);
* ``search.remove(model, ids)`` — drop rows (deleted objects);
* ``search.reindex(model)`` — rebuild one model's rows (``justicework search_reindex``).

Read:

* ``search.filter_queryset(queryset, text, rank=False) -> QuerySet`` — restrict any queryset to
  the objects matching ``text`` (composable: filter before or after); with ``rank=True`` it is
  annotated with ``search_rank`` (higher is better). Text with no words leaves it unchanged.
* ``search.query(user, model, text, filters=None, facets=(), limit=20, offset=0, cursor=None,
  order_by=None, action="view") -> SearchResult(objects, total, facets, next_cursor)`` — always
  starts from ``policy.visible(user, model, action)``; ``filters`` is a dict of lookups or a
  ``Q`` built by the caller from validated input (never raw request keys); ``facets`` are field
  paths counted over the filtered result (``{"country": [("UA", 12), ...]}``). Without
  ``order_by``, text queries are ordered by relevance, others by ``-pk``.

Frequent words (docs/search.md "Frequent words: bounded work"): a text query's total is exact
up to ``settings.SEARCH_COUNT_CAP`` (default 1,000); beyond it ``result.total_is_exact`` is
False, ``total`` is the cap (show "1,000+") and the facets count the newest ``cap`` matches
(``result.facets_are_sample``). Relevance ranks the newest ``settings.SEARCH_RANK_WINDOW``
(default 2,000) matches, and pages stop there. "Newest" is the highest primary key; cap and
window are taken among the matches the user may see (policy and filters first). Queries
without words are exact.

Query text: words must all match (AND); ``"a phrase"``; ``pref*`` prefix; accents, case, Arabic
harakat, tatweel and alef forms are ignored (``search.text``). Database query syntax in user
input is dropped, never executed.
"""

from __future__ import annotations

from justicework.search.api import (
    BadCursor,
    SearchResult,
    filter_queryset,
    index,
    index_many,
    query,
    reindex,
    remove,
)
from justicework.search.registry import NotRegistered, register, registered_models
from justicework.search.text import normalise_text, parse_query, tokens

__all__ = [
    "BadCursor",
    "NotRegistered",
    "SearchResult",
    "filter_queryset",
    "index",
    "index_many",
    "normalise_text",
    "parse_query",
    "query",
    "register",
    "registered_models",
    "reindex",
    "remove",
    "tokens",
]
