"""Rows of an organisation's own export, imported back into it.

Every export row carries ``export_origin``: a token naming the organisation (and the instance)
it came from, with the incident and violation numbers. When a file is imported into the same
organisation, a row whose violation still exists there *is* that violation: it is linked to it
(its row key stored, so later imports count it as already imported) and nothing is written;
a row whose violation was deleted but whose incident exists is added to that incident. Rows of
another organisation's export (or another instance's) are new records, grouped into incidents
by the mapping's ``incident_ref`` as any import's.

The token is not a secret and reveals nothing: a hash of the organisation's id, short name and
creation time, so two instances' organisations with the same short name differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from justicework.core.models import Organisation
from justicework.dataio.schema import ParsedRow
from justicework.violations.models import Incident, Violation

TOKEN_LENGTH = 20


def origin_token(organisation: Organisation) -> str:
    """The ``export_origin`` of ``organisation``'s exports (stable; not derived from a key)."""
    seed = f"justicework-export\x1f{organisation.pk}\x1f{organisation.slug}\x1f"
    seed += organisation.created_at.isoformat()
    return "jw-" + hashlib.sha256(seed.encode()).hexdigest()[:TOKEN_LENGTH]


def own_rows(organisation: Organisation, rows: Sequence[ParsedRow]) -> list[ParsedRow]:
    """The rows exported from ``organisation`` itself."""
    token = origin_token(organisation)
    return [r for r in rows if r.values.get("export_origin") == token]


def existing_violations(organisation: Organisation, rows: Sequence[ParsedRow]) -> dict[int, int]:
    """``id(row)`` → id of the violation of ``organisation`` the row was exported from, for
    the rows whose violation still exists (keyed by the row object: Kobo repeat entries share
    their submission's row number)."""
    wanted = {
        id(r): r.values["export_violation_id"]
        for r in own_rows(organisation, rows)
        if r.values.get("export_violation_id")
    }
    if not wanted:
        return {}
    found = set(
        Violation.objects.filter(
            organisation=organisation, pk__in=sorted(set(wanted.values()))
        ).values_list("pk", flat=True)
    )
    return {number: pk for number, pk in wanted.items() if pk in found}


def existing_incidents(
    organisation: Organisation, rows: Sequence[ParsedRow]
) -> dict[str, Incident]:
    """``incident_ref`` → the incident of ``organisation`` an own row was exported from."""
    wanted = {
        r.values["incident_ref"]: r.values["export_incident_id"]
        for r in own_rows(organisation, rows)
        if r.values.get("export_incident_id")
    }
    if not wanted:
        return {}
    by_pk = Incident.objects.filter(organisation=organisation).in_bulk(sorted(set(wanted.values())))
    return {ref: by_pk[pk] for ref, pk in wanted.items() if pk in by_pk}
