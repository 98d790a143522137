from django.urls import path

from justicework.violations.views import (
    incident_search,
    incidents,
    links,
    lookups,
    persons,
    relations,
    sources,
    units,
    violations,
)

app_name = "violations"

urlpatterns = [
    path("incidents/", incident_search.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/map/", incident_search.incident_map, name="incident_map"),
    path("incidents/timeline/", incident_search.incident_timeline, name="incident_timeline"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/autosave/", incidents.incident_autosave, name="incident_autosave"),
    path("incidents/<int:pk>/status/", incidents.incident_status, name="incident_status"),
    path(
        "incidents/<int:pk>/violations/new/", violations.violation_create, name="violation_create"
    ),
    path("violations/<int:pk>/edit/", violations.violation_edit, name="violation_edit"),
    path("incidents/lookup/", lookups.incident_lookup, name="incident_lookup"),
    path("incidents/<int:pk>/sources/new/", sources.source_create, name="source_create"),
    path(
        "incidents/<int:pk>/sources/link/",
        links.incident_source_link,
        name="incident_source_link",
    ),
    path(
        "incidents/<int:pk>/sources/<int:source_pk>/unlink/",
        links.source_unlink,
        name="source_unlink",
    ),
    path("incidents/<int:pk>/relations/", relations.incident_relations, name="incident_relations"),
    path("relations/<int:pk>/remove/", relations.relation_remove, name="relation_remove"),
    path("violations/<int:pk>/links/", links.violation_links, name="violation_links"),
    path(
        "violations/<int:pk>/sources/link/",
        links.violation_source_link,
        name="violation_source_link",
    ),
    path(
        "violations/<int:pk>/sources/<int:source_pk>/unlink/",
        links.violation_source_unlink,
        name="violation_source_unlink",
    ),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="source_edit"),
    path(
        "violations/<int:pk>/perpetrators/add/",
        links.perpetration_add,
        name="perpetration_add",
    ),
    path("perpetrations/<int:pk>/remove/", links.perpetration_remove, name="perpetration_remove"),
    path("violations/<int:pk>/persons/add/", links.person_role_add, name="person_role_add"),
    path("person-roles/<int:pk>/remove/", links.person_role_remove, name="person_role_remove"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/lookup/", lookups.unit_lookup, name="unit_lookup"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/commanders/add/", units.commander_add, name="commander_add"),
    path("commanders/<int:pk>/remove/", units.commander_remove, name="commander_remove"),
    path("commanders/<int:pk>/edit/", units.commander_edit, name="commander_edit"),
    path("persons/", persons.person_list, name="person_list"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", persons.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/grant/", persons.person_grant, name="person_grant"),
    path("grants/<int:pk>/revoke/", persons.grant_revoke, name="grant_revoke"),
]
