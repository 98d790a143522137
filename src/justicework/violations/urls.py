from django.urls import path

from justicework.violations import views

app_name = "violations"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/map/", views.incident_map, name="incident_map"),
    path("incidents/timeline/", views.incident_timeline, name="incident_timeline"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/autosave/", views.incident_autosave, name="incident_autosave"),
    path("incidents/<int:pk>/status/", views.incident_status, name="incident_status"),
    path("incidents/<int:pk>/violations/new/", views.violation_create, name="violation_create"),
    path("violations/<int:pk>/edit/", views.violation_edit, name="violation_edit"),
    path("incidents/lookup/", views.incident_lookup, name="incident_lookup"),
    path("incidents/<int:pk>/sources/new/", views.source_create, name="source_create"),
    path(
        "incidents/<int:pk>/sources/link/",
        views.incident_source_link,
        name="incident_source_link",
    ),
    path(
        "incidents/<int:pk>/sources/<int:source_pk>/unlink/",
        views.source_unlink,
        name="source_unlink",
    ),
    path("incidents/<int:pk>/relations/", views.incident_relations, name="incident_relations"),
    path("relations/<int:pk>/remove/", views.relation_remove, name="relation_remove"),
    path("violations/<int:pk>/links/", views.violation_links, name="violation_links"),
    path(
        "violations/<int:pk>/sources/link/",
        views.violation_source_link,
        name="violation_source_link",
    ),
    path(
        "violations/<int:pk>/sources/<int:source_pk>/unlink/",
        views.violation_source_unlink,
        name="violation_source_unlink",
    ),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path(
        "violations/<int:pk>/perpetrators/add/",
        views.perpetration_add,
        name="perpetration_add",
    ),
    path("perpetrations/<int:pk>/remove/", views.perpetration_remove, name="perpetration_remove"),
    path("violations/<int:pk>/persons/add/", views.person_role_add, name="person_role_add"),
    path("person-roles/<int:pk>/remove/", views.person_role_remove, name="person_role_remove"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/lookup/", views.unit_lookup, name="unit_lookup"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/commanders/add/", views.commander_add, name="commander_add"),
    path("commanders/<int:pk>/remove/", views.commander_remove, name="commander_remove"),
    path("commanders/<int:pk>/edit/", views.commander_edit, name="commander_edit"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/grant/", views.person_grant, name="person_grant"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]
