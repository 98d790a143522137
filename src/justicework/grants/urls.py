"""The grants app's pages: each part keeps its own list of patterns in its views package and is
joined here, one line each."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from justicework.grants.views import (
    application_urls,
    call_urls,
    money_urls,
    publication_urls,
    review_urls,
)

app_name = "grants"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += publication_urls.urlpatterns
urlpatterns += money_urls.urlpatterns
urlpatterns += review_urls.urlpatterns
urlpatterns += application_urls.urlpatterns
urlpatterns += call_urls.urlpatterns
