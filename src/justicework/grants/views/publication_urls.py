"""The publication part's pages, joined into ``grants/urls.py``: the public award list and its
downloads (no sign-in), and the programme dashboards (staff). They read no person data (the
recipients are organisations)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core import uses
from justicework.core.uses import declare_urls
from justicework.grants.views import publication, publication_dashboard

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    uses.NO_PERSON_DATA.name,
    [
        path("published/", publication.award_list, name="published_awards"),
        path("published/360giving.csv", publication.awards_360_csv, name="awards_360_csv"),
        path("published/360giving.json", publication.awards_360_json, name="awards_360_json"),
        path("published/iati.xml", publication.awards_iati, name="awards_iati"),
        path("dashboards/", publication_dashboard.dashboard_index, name="dashboard_index"),
        path(
            "dashboards/<int:pk>/",
            publication_dashboard.programme_dashboard,
            name="programme_dashboard",
        ),
    ],
)
