"""Which models are searchable, and how each object maps to a row of the index."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Model, QuerySet

from justicework.search.text import Term

#: Object primary keys must be positive integers below this bound.
PK_BITS = 40
PK_LIMIT = 1 << PK_BITS
_KEY_BITS = 22


class NotRegistered(LookupError):
    """The model was not registered with :func:`justicework.search.register`."""


@dataclass(frozen=True)
class Registration:
    model: type[Model]
    text: Callable[[Any], str]
    organisation_path: str
    key: int
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    keywords: Callable[[Term], Sequence[str]] | None = None
    #: Loads what ``text`` reads for a batch of objects (a list) during ``reindex``, so a
    #: rebuild runs a constant number of queries per batch where ``prepare`` cannot express it.
    prepare_batch: Callable[[list[Any]], list[Any]] | None = None

    def expand(self, terms: Sequence[Term]) -> list[Term]:
        """``terms`` with each term's ``alternatives`` from ``keywords`` (no-op without)."""
        if self.keywords is None:
            return list(terms)
        return [
            replace(term, alternatives=tuple(dict.fromkeys(self.keywords(term)))) for term in terms
        ]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def base(self) -> int:
        """Index rows of this model are ``base + pk``; rows ``base .. base + PK_LIMIT - 1``."""
        return self.key << PK_BITS

    def rowid(self, pk: object) -> int:
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < PK_LIMIT:
            raise ValueError(f"search indexes integer primary keys 1..2**40-1; got {pk!r}")
        return self.base + pk


_REGISTRY: dict[type[Model], Registration] = {}


def model_key(label: str) -> int:
    """A stable 22-bit number for a model label (``app_label.modelname``)."""
    return zlib.crc32(label.encode("utf-8")) & ((1 << _KEY_BITS) - 1)


def register(
    model: type[Model],
    text: Callable[[Any], str],
    organisation_path: str = "organisation_id",
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
    keywords: Callable[[Term], Sequence[str]] | None = None,
    prepare_batch: Callable[[list[Any]], list[Any]] | None = None,
) -> Registration:
    label = model._meta.label_lower
    key = model_key(label)
    for other in _REGISTRY.values():
        if other.key == key and other.model is not model:
            raise ValueError(
                f"search: {label} and {other.label} share index key {key}; rename one model"
            )
    registration = Registration(
        model, text, organisation_path, key, prepare, keywords, prepare_batch
    )
    _REGISTRY[model] = registration
    return registration


def registration_for(model: type[Model]) -> Registration:
    concrete = model._meta.concrete_model or model
    try:
        return _REGISTRY[concrete]
    except KeyError:
        raise NotRegistered(f"{model._meta.label} is not registered for search") from None


def registered_models() -> list[type[Model]]:
    return list(_REGISTRY)
