"""The registry of record types a retention schedule can name.

Apps declare theirs as ``AppConfig.retention_types`` (STYLE 20: apps declare, nothing
registers on import): a tuple of :class:`RecordType`. A type names its model, how to reach the
survivor file from a row (legal holds are per file), the events a period may start from
(a date or datetime field each), and dotted paths to its ``anonymise(row)`` and
``delete(row)`` functions, which run inside the retention action's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RecordType:
    name: str
    label: Any  # a lazy translation
    model: str  # "app_label.Model"
    #: the path from a row to its survivor file's id ("id" for the file itself)
    file_path: str
    #: event name → (label, field holding the event's date)
    start_events: Mapping[str, tuple[Any, str]]
    anonymise: str  # dotted path of a function (row) -> None
    delete: str

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def handler(self, action: str) -> Callable[[Any], None]:
        func: Callable[[Any], None] = import_string(
            self.anonymise if action == "anonymise" else self.delete
        )
        return func


class UnknownRecordType(LookupError):
    pass


def record_types() -> dict[str, RecordType]:
    """Every declared record type, by name, in app order."""
    found: dict[str, RecordType] = {}
    for config in apps.get_app_configs():
        for record_type in getattr(config, "retention_types", ()):
            found[record_type.name] = record_type
    return found


def get(name: str) -> RecordType:
    try:
        return record_types()[name]
    except KeyError:
        raise UnknownRecordType(name) from None
