"""The grants app's pages: each part keeps its own list of patterns in its views package and is
joined here, one line each."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from justicework.grants.views import call_urls

app_name = "grants"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += call_urls.urlpatterns
