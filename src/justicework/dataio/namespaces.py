"""One key per namespace: a mapping whose key columns differ from the key earlier imports used
in the same namespace would give every row a new key, and the re-import would create every row
again. Saving such a mapping, checking or importing with it is refused, with the reason, unless
the mapping names a new namespace.

The key a run used is stored on the run (``ImportRun.namespace`` and ``key_columns``) when it
is checked or imported; runs from before have their checked mapping (``validated_spec``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from justicework.core.models import Organisation
from justicework.dataio import schema as schemas
from justicework.dataio.mapping import MappingError, MappingSpec
from justicework.dataio.models import ImportedRow, ImportRun
from justicework.dataio.opening import effective_spec


def key_columns(spec: MappingSpec, file_format: str) -> list[str]:
    """The columns a row's key is made of, in order (the mapping's ``key``, else every mapped
    column; Kobo: ``_uuid``), and the repeat group whose entries split a submission."""
    spec = effective_spec(spec, file_format)
    columns = list(spec.key) or [c for rule in spec.fields.values() for c in rule.columns]
    return columns + ([f"{spec.repeat}[n]"] if spec.repeat else [])


def _legacy_key(run: Any) -> tuple[str, list[str]] | None:
    """The namespace and key of a run recorded before runs kept them (its checked mapping)."""
    if not run.validated_spec:
        return None
    try:
        spec = MappingSpec.from_dict(run.validated_spec, schemas.get(run.kind))
    except (MappingError, LookupError):
        return None
    return spec.namespace, key_columns(spec, run.file_format)


def used_keys(
    organisation: Organisation, kind: str, namespace: str, exclude: int | None = None
) -> list[list[str]]:
    """The keys of the runs that imported rows of ``kind`` under ``namespace``."""
    imported = ImportedRow.objects.filter(run_id=OuterRef("pk"))
    runs = (
        ImportRun.objects.filter(organisation=organisation, kind=kind)
        .filter(Exists(imported))
        .exclude(pk=exclude or 0)
        .only("pk", "kind", "file_format", "namespace", "key_columns", "validated_spec")
    )
    keys: list[list[str]] = []
    for run in runs.filter(namespace=namespace).exclude(key_columns=None).distinct():
        if run.key_columns is not None and run.key_columns not in keys:
            keys.append(list(run.key_columns))
    for run in runs.filter(namespace=""):
        legacy = _legacy_key(run)
        if legacy is not None and legacy[0] == namespace and legacy[1] not in keys:
            keys.append(legacy[1])
    return keys


def _columns(columns: list[str]) -> str:
    return ", ".join(f"“{c}”" for c in columns)


def require_same_key(
    organisation: Organisation,
    kind: str,
    spec: MappingSpec,
    file_format: str,
    exclude: int | None = None,
) -> None:
    """``ValidationError`` (on ``key``) when earlier imports keyed ``spec``'s namespace
    otherwise."""
    mine = key_columns(spec, file_format)
    other = [key for key in used_keys(organisation, kind, spec.namespace, exclude) if key != mine]
    if not other:
        return
    raise ValidationError(
        {
            "key": _(
                "Earlier imports in the namespace “%(ns)s” identified rows by %(old)s; this "
                "mapping identifies them by %(new)s. Every row would get a new key and be "
                "imported again, doubling the records. Keep the key (%(old)s), or give this "
                "mapping a new namespace (“namespace”) if it is another source."
            )
            % {"ns": spec.namespace, "old": _columns(other[0]), "new": _columns(mine)}
        }
    )
