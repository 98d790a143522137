"""Safety warnings about persons, shown before anyone contacts them, exports their data or
packages evidence linked to them. The apps that know (survivors) declare a provider on their
``AppConfig`` (``person_warnings``: the dotted path of ``provider(user, person_ids)``); the
pages that contact, export or package call :func:`for_persons` and include
``safety/warnings.html``. Core knows no domain app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PersonWarning:
    person_id: int
    #: the person's pseudonymous code (never a name)
    code: str
    text: str | Promise
    #: where the user may read more (empty: they may not)
    url: str = ""


#: ``provider(user, person_ids)``: ids, or a queryset of ids (``values("person_id")``)
Provider = Callable[[Any, Any], list[PersonWarning]]


def providers() -> list[Provider]:
    found: list[Provider] = []
    for config in apps.get_app_configs():
        path = getattr(config, "person_warnings", None)
        if path:
            found.append(import_string(path))
    return found


def for_persons(user: Any, person_ids: Iterable[int] | Any) -> list[PersonWarning]:
    """Every warning about the persons (``person_ids``: ids or a queryset of ids)."""
    out: list[PersonWarning] = []
    for provider in providers():
        out.extend(provider(user, person_ids))
    return out
