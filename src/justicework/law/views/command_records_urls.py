"""URL patterns of a case file's art. 28 records (joined in ``law/urls.py``); they read person
data for building a case: the declared use ``law.cases``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.law.views import command_records

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "law.cases",
    [
        path("cases/<int:pk>/art28/", command_records.case_art28, name="case_art28"),
        path(
            "cases/<int:pk>/art28/new/",
            command_records.record_add,
            name="command_record_add",
        ),
        path(
            "art28-records/<int:pk>/remove/",
            command_records.record_remove,
            name="command_record_remove",
        ),
    ],
)
