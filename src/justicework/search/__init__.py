"""One search interface (DESIGN 4.5): SQLite FTS5 and PostgreSQL full-text backends.

Contract (also in docs/search.md)
---------------------------------

Register a model once, usually in its ``AppConfig.ready``::

    from justicework import search
    search.register(Incident, text=incident_search_text, organisation_path="organisation_id",
                    prepare=with_search_relations)

``prepare(queryset) -> queryset`` (optional) adds the ``select_related``/``prefetch_related``
that ``text`` needs, so ``reindex`` reads in a constant number of queries per batch;
``prepare_batch(list) -> list`` (optional) does the same for a batch of loaded objects where a
queryset cannot say it (``violations.indexing`` attaches places, types, units and violation
descriptions in three queries per batch).
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
* ``search.newest_ids(queryset, text, limit, all_of=()) -> list[int] | None`` — the newest
  ``limit`` matches' keys, walked from the index backwards (bounded work for frequent words).

Lists are not searched here: each domain app has one query path per list that starts from
``policy.visible`` and calls ``filter_queryset`` (for incidents ``violations.queries.
search_incidents``; docs/search.md, "One query path").

Query text: words must all match (AND); ``"a phrase"``; ``pref*`` prefix; accents, case, Arabic
harakat, tatweel and alef forms are ignored (``search.text``). Database query syntax in user
input is dropped, never executed.
"""

from __future__ import annotations

from justicework.search.api import (
    filter_queryset,
    index,
    index_many,
    newest_ids,
    reindex,
    remove,
)
from justicework.search.registry import NotRegistered, register, registered_models
from justicework.search.text import normalise_text, parse_query, tokens

__all__ = [
    "NotRegistered",
    "filter_queryset",
    "index",
    "index_many",
    "newest_ids",
    "normalise_text",
    "parse_query",
    "register",
    "registered_models",
    "reindex",
    "remove",
    "tokens",
]
