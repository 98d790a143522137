"""The application pages (grapply), joined into ``grants/urls.py``. They read organisations'
applications, no person data of the documentation: the use ``none``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.grants.views import application_parts as parts
from justicework.grants.views import applications as views

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "none",
    [
        path("applications/", views.my_applications, name="my_applications"),
        path("calls/<int:call_pk>/apply/", views.application_start, name="application_start"),
        path(
            "calls/<int:call_pk>/applications/",
            views.call_applications,
            name="call_applications",
        ),
        path("applications/<int:pk>/", views.application_detail, name="application_detail"),
        path("applications/<int:pk>/save/", views.application_save, name="application_save"),
        path(
            "applications/<int:pk>/autosave/",
            views.application_autosave,
            name="application_autosave",
        ),
        path(
            "applications/<int:pk>/details/",
            views.application_details,
            name="application_details",
        ),
        path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
        path(
            "applications/<int:pk>/withdraw/",
            views.application_withdraw,
            name="application_withdraw",
        ),
        path("applications/<int:pk>/budget/", parts.budget_line_add, name="budget_line_add"),
        path("applications/<int:pk>/currency/", parts.budget_currency, name="budget_currency"),
        path("applications/<int:pk>/preview/", parts.budget_preview, name="budget_preview"),
        path("budget-lines/<int:pk>/remove/", parts.budget_line_remove, name="budget_line_remove"),
        path(
            "applications/<int:pk>/co-applicants/",
            parts.co_applicants_set,
            name="co_applicants_set",
        ),
        path("applications/<int:pk>/attachments/", parts.attachment_add, name="attachment_add"),
        path("attachments/<int:pk>/", parts.attachment_download, name="attachment_download"),
        path("attachments/<int:pk>/remove/", parts.attachment_remove, name="attachment_remove"),
    ],
)
