"""Actions on sources (Admiralty-graded) and their links to incidents and violations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import diff_fields, record
from justicework.core.models import Organisation, User
from justicework.violations.actions._common import (
    SOURCE_FIELDS,
    apply_changes,
    check_fields,
    require,
    same_org,
    snapshot,
    touch,
)
from justicework.violations.models import (
    Incident,
    Source,
    Violation,
)


def _check_source(source: Source) -> None:
    source.full_clean(exclude=["organisation", "person"])
    same_org(source.person, source.organisation_id, "person")


@transaction.atomic
def create_source(
    actor: User | None,
    organisation: Organisation,
    *,
    kind: str,
    title: str,
    incidents: Sequence[Incident] = (),
    violations: Sequence[Violation] = (),
    **fields: Any,
) -> Source:
    """Create a source graded on the Admiralty scale and link it to incidents/violations."""
    require(actor, "create_source", organisation)
    check_fields(fields, SOURCE_FIELDS - {"kind", "title"})
    source = Source(organisation=organisation, kind=kind, title=(title or "").strip(), **fields)
    _check_source(source)
    for item in [*incidents, *violations]:
        same_org(item, organisation.pk, "incidents" if isinstance(item, Incident) else "violations")
        require(actor, "change", item)
    source.save()
    source.incidents.add(*incidents)
    source.violations.add(*violations)
    record(
        actor,
        "violations.source.created",
        source,
        diff={
            **snapshot(source, sorted(SOURCE_FIELDS - {"person"})),
            "person": source.person.code if source.person else None,
            "incidents": [i.pk for i in incidents],
            "violations": [v.pk for v in violations],
        },
    )
    return source


@transaction.atomic
def update_source(actor: User | None, source: Source, **changes: Any) -> Source:
    require(actor, "change", source)
    check_fields(changes, SOURCE_FIELDS)
    before = snapshot(source, changes)
    apply_changes(source, changes, lambda: _check_source(source))
    touch(source)
    source.save()
    record(
        actor,
        "violations.source.updated",
        source,
        diff=diff_fields(before, snapshot(source, changes)),
    )
    return source


@transaction.atomic
def link_source(
    actor: User | None,
    source: Source,
    *,
    incident: Incident | None = None,
    violation: Violation | None = None,
) -> Source:
    require(actor, "change", source)
    if incident is None and violation is None:
        raise ValidationError({NON_FIELD_ERRORS: _("Name an incident or a violation.")})
    for item, field in [(incident, "incident"), (violation, "violation")]:
        if item is not None:
            same_org(item, source.organisation_id, field)
            require(actor, "change", item)
    if incident is not None:
        source.incidents.add(incident)
    if violation is not None:
        source.violations.add(violation)
    record(
        actor,
        "violations.source.linked",
        source,
        diff={
            "incident": incident.pk if incident else None,
            "violation": violation.pk if violation else None,
        },
    )
    return source


@transaction.atomic
def unlink_source(
    actor: User | None,
    source: Source,
    *,
    incident: Incident | None = None,
    violation: Violation | None = None,
) -> Source:
    require(actor, "change", source)
    if incident is not None:
        source.incidents.remove(incident)
    if violation is not None:
        source.violations.remove(violation)
    record(
        actor,
        "violations.source.unlinked",
        source,
        diff={
            "incident": incident.pk if incident else None,
            "violation": violation.pk if violation else None,
        },
    )
    return source
