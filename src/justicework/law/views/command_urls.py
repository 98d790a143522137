"""URL patterns of the command-responsibility pages (joined in ``law/urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.law.views import command

#: the same declared use as the violations pages these read: records, persons by code only
urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "violations.records",
    [
        path("command/units/<int:pk>/", command.unit_chain, name="command_unit_chain"),
        path("command/units/<int:pk>/pattern/", command.unit_pattern, name="command_pattern"),
        path("command/persons/<int:pk>/", command.person_chain, name="command_person_chain"),
        path("command/persons/<int:pk>/art28/", command.person_art28, name="command_art28"),
    ],
)
