from django.urls import path

from justicework.core.uses import declare_urls
from justicework.web import views

app_name = "web"

urlpatterns = declare_urls(
    "web.shell",
    [
        path("", views.dashboard, name="dashboard"),
        path("organisations/", views.organisation_list, name="organisation_list"),
        path("organisations/new/", views.organisation_create, name="organisation_create"),
        path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
        path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
        path("organisations/<int:pk>/members/add/", views.member_add, name="member_add"),
        path("organisations/<int:pk>/audit/", views.organisation_audit, name="organisation_audit"),
        path(
            "organisations/<int:pk>/audit/verify/",
            views.organisation_audit_verify,
            name="organisation_audit_verify",
        ),
        path("members/<int:pk>/role/", views.member_change_role, name="member_change_role"),
        path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
        path("audit/", views.audit_active, name="audit"),
    ],
)
