"""The qualification pages' URL patterns, joined to ``law.urls`` (they read violations and
units, never persons: no declared use of person data)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import NO_PERSON_DATA, declare_urls
from justicework.law.views import qualifications

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    NO_PERSON_DATA.name,
    [
        path(
            "violations/<int:pk>/qualification/",
            qualifications.violation_qualification,
            name="violation_qualification",
        ),
        path(
            "violations/<int:pk>/qualification/decide/",
            qualifications.violation_qualification_decide,
            name="violation_qualification_decide",
        ),
    ],
)
