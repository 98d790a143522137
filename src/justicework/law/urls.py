"""The law app's pages: each part (qualification, case files, command responsibility) keeps its
own list of patterns in its views package and is joined here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from justicework.law.views import (
    case_urls,
    command_records_urls,
    command_urls,
    export_urls,
    qualification_urls,
)

app_name = "law"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += qualification_urls.urlpatterns
urlpatterns += command_urls.urlpatterns
urlpatterns += case_urls.urlpatterns
urlpatterns += export_urls.urlpatterns
urlpatterns += command_records_urls.urlpatterns
