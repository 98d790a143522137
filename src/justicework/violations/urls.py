from django.urls import path

from justicework.core.uses import declare_urls
from justicework.violations.views import (
    grant_sets,
    identity_access,
    identity_edit,
    import_decisions,
    incident_search,
    incidents,
    inline,
    links,
    lookups,
    persons,
    relations,
    sources,
    subordinations,
    units,
    violations,
)

app_name = "violations"

urlpatterns = declare_urls(
    "violations.records",
    [
        path(
            "imports/<int:pk>/rows/<int:row>/duplicate",
            import_decisions.import_duplicate_decide,
            name="import_duplicate_decide",
        ),
        path("incidents/", incident_search.incident_list, name="incident_list"),
        path("incidents/new/", incidents.incident_create, name="incident_create"),
        path("incidents/map/", incident_search.incident_map, name="incident_map"),
        path("incidents/timeline/", incident_search.incident_timeline, name="incident_timeline"),
        path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
        path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
        path("incidents/<int:pk>/autosave/", incidents.incident_autosave, name="incident_autosave"),
        path("incidents/<int:pk>/status/", incidents.incident_status, name="incident_status"),
        path(
            "incidents/<int:pk>/violations/new/",
            violations.violation_create,
            name="violation_create",
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
        path(
            "incidents/<int:pk>/relations/", relations.incident_relations, name="incident_relations"
        ),
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
        path("sources/lookup/", lookups.source_lookup, name="source_lookup"),
        path("sources/new/inline/", inline.source_inline, name="source_inline"),
        path("sources/<int:pk>/edit/", sources.source_edit, name="source_edit"),
        path(
            "violations/<int:pk>/perpetrators/add/",
            links.perpetration_add,
            name="perpetration_add",
        ),
        path(
            "perpetrations/<int:pk>/remove/", links.perpetration_remove, name="perpetration_remove"
        ),
        path("violations/<int:pk>/persons/add/", links.person_role_add, name="person_role_add"),
        path("person-roles/<int:pk>/remove/", links.person_role_remove, name="person_role_remove"),
        path("units/", units.unit_list, name="unit_list"),
        path("units/new/", units.unit_create, name="unit_create"),
        path("units/lookup/", lookups.unit_lookup, name="unit_lookup"),
        path("units/new/inline/", inline.unit_inline, name="unit_inline"),
        path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
        path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
        path("units/<int:pk>/commanders/add/", units.commander_add, name="commander_add"),
        path("commanders/<int:pk>/remove/", units.commander_remove, name="commander_remove"),
        path("commanders/<int:pk>/edit/", units.commander_edit, name="commander_edit"),
        path(
            "units/<int:pk>/subordinations/add/",
            subordinations.subordination_add,
            name="subordination_add",
        ),
        path(
            "subordinations/<int:pk>/edit/",
            subordinations.subordination_edit,
            name="subordination_edit",
        ),
        path(
            "subordinations/<int:pk>/remove/",
            subordinations.subordination_remove,
            name="subordination_remove",
        ),
        path("persons/", persons.person_list, name="person_list"),
        path("persons/new/", persons.person_create, name="person_create"),
        path("persons/lookup/", lookups.person_lookup, name="person_lookup"),
        path("persons/new/inline/", inline.person_inline, name="person_inline"),
        path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
        path("persons/<int:pk>/reveal/", persons.person_reveal, name="person_reveal"),
        path("persons/<int:pk>/grant/", persons.person_grant, name="person_grant"),
        path("persons/<int:pk>/compare/", identity_edit.person_compare, name="person_compare"),
        path(
            "persons/<int:pk>/identity/",
            identity_edit.person_identity_edit,
            name="person_identity_edit",
        ),
        path("grants/<int:pk>/revoke/", persons.grant_revoke, name="grant_revoke"),
        path(
            "persons/<int:pk>/request-access/",
            identity_access.person_access_request,
            name="person_access_request",
        ),
        path(
            "identity-requests/", identity_access.access_request_queue, name="access_request_queue"
        ),
        path(
            "identity-requests/<int:pk>/decide/",
            identity_access.access_request_decide,
            name="access_request_decide",
        ),
        path("persons/grant-set/", grant_sets.person_grant_set, name="person_grant_set"),
    ],
)
