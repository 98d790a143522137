from django.urls import path

from justicework.violations import views
from justicework.violations.views import register_ui

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
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/grant/", views.person_grant, name="person_grant"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]

register_ui()
