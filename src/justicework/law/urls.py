"""The law app's pages: each part (qualification, case files, command responsibility) keeps its
own list of patterns in its views package and is joined here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "law"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += __import__("justicework.law.views.case_urls", fromlist=["x"]).urlpatterns  # i14cases
