"""Admin for platform superusers: read-only, and no person data at all.

Changes go through actions (and the audit log). Persons and every record that links one
(roles in a violation, perpetrations, commands, sources given by a person) are not registered:
the admin reads through the models' managers, outside the policy, so it could honour neither
the organisation's scope, a declared use nor a survivor's consent (docs/architecture.md,
"The Django admin shows no person data"). Persons are read in the application, under the
policy; identities only with ``actions.reveal_identity``.
"""

from __future__ import annotations

from django.contrib import admin

from justicework.core.admin import ReadOnlyAdmin
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Location,
    Unit,
    VictimGroup,
    Violation,
)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "organisation", "country", "status", "sensitivity", "start_date"]
    list_filter = ["status", "sensitivity", "context", "country"]
    list_select_related = ["organisation"]
    search_fields = ["title"]
    exclude = ["created_by"]


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "incident_id", "organisation", "victim_outcome", "start_date"]
    list_filter = ["type", "victim_outcome"]
    list_select_related = ["organisation"]
    raw_id_fields = ["incident", "location", "victim_group"]
    exclude = ["created_by"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "organisation", "country"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "parent"]
    search_fields = ["name"]


@admin.register(VictimGroup)
class VictimGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "number_of_persons", "organisation"]
    list_select_related = ["organisation"]


for _model, _fields in [
    (Location, ["id", "incident_id", "country", "subdivision", "place_name", "precision"]),
    (IncidentRelation, ["id", "from_incident_id", "kind", "to_incident_id"]),
]:
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (ReadOnlyAdmin,),
            {"list_display": _fields, "raw_id_fields": []},
        ),
    )
