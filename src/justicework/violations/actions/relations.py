"""Actions relating one incident to another (part of, precedes, follows, same as)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.violations.actions._common import (
    require,
)
from justicework.violations.models import (
    Incident,
    IncidentRelation,
)


@transaction.atomic
def relate_incidents(
    actor: User | None,
    from_incident: Incident,
    to_incident: Incident,
    kind: str,
    note: str = "",
) -> IncidentRelation:
    """Record that ``from_incident`` is part of / precedes / follows / is the same as
    ``to_incident`` (both of the same organisation)."""
    require(actor, "change", from_incident)
    require(actor, "view", to_incident)
    if from_incident.organisation_id != to_incident.organisation_id:
        raise ValidationError(
            {"to_incident": _("Related incidents must belong to the same organisation.")}
        )
    if from_incident.pk == to_incident.pk:
        raise ValidationError({"to_incident": _("An incident cannot be related to itself.")})
    relation = IncidentRelation(
        organisation_id=from_incident.organisation_id,
        from_incident=from_incident,
        to_incident=to_incident,
        kind=kind,
        note=note,
    )
    relation.full_clean()
    relation.save()
    record(
        actor,
        "violations.incident.related",
        relation,
        diff={"from": from_incident.pk, "to": to_incident.pk, "kind": kind},
    )
    return relation


@transaction.atomic
def unrelate_incidents(actor: User | None, relation: IncidentRelation) -> None:
    require(actor, "delete", relation)
    record(
        actor,
        "violations.incident.unrelated",
        relation,
        diff={
            "from": relation.from_incident_id,
            "to": relation.to_incident_id,
            "kind": relation.kind,
        },
    )
    relation.delete()
