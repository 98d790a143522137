"""Admin for platform superusers: read-only, and never a person's identity.

Changes go through actions (and the audit log). Person identity fields are encrypted and are
not shown here at all: identities are opened only with ``actions.reveal_identity``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from justicework.core.admin import ReadOnlyAdmin
from justicework.violations.models import (
    Incident,
    IncidentRelation,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
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


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Pseudonymous only: the encrypted identity fields are excluded."""

    list_display = ["code", "organisation", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["code"]
    fields = ["code", "organisation", "status", "created_at", "updated_at"]

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, search_term.upper())


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "organisation", "country"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "parent"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "reliability", "credibility", "organisation", "date"]
    list_filter = ["kind", "reliability", "credibility"]
    list_select_related = ["organisation"]
    raw_id_fields = ["person", "incidents", "violations"]
    # An address typed without a scheme is https (Django 6.0's default, said now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(VictimGroup)
class VictimGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "number_of_persons", "organisation"]
    list_select_related = ["organisation"]


for _model, _fields in [
    (Location, ["id", "incident_id", "country", "subdivision", "place_name", "precision"]),
    (IncidentRelation, ["id", "from_incident_id", "kind", "to_incident_id"]),
    (PersonRole, ["id", "violation_id", "person_id", "role"]),
    (Perpetration, ["id", "violation_id", "person_id", "unit_id", "involvement"]),
    (UnitCommander, ["id", "unit_id", "person_id", "title", "start_date", "end_date"]),
]:
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (ReadOnlyAdmin,),
            {"list_display": _fields, "raw_id_fields": []},
        ),
    )
