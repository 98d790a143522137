"""The real URL configuration plus routes that leak, for ``test_probe_can_fail``: a page and an
API operation that show any incident's title to anyone, a list that shows all of them, and a
page whose refusal tells whether an incident exists (403) or not (404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import path
from ninja import NinjaAPI

from justicework.urls import urlpatterns as real
from justicework.violations.models import Incident


def leak_one(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(Incident.objects.get(pk=pk).title)


def leak_all(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(Incident.objects.values_list("title", flat=True)))


def oracle(request: HttpRequest, pk: int) -> HttpResponse:
    if Incident.objects.filter(pk=pk).exists():
        return HttpResponseForbidden()
    raise Http404


leak_api = NinjaAPI(urls_namespace="leak-api", docs_url=None)


@leak_api.get("/incidents/{incident_id}/title")
def leak_title(request: HttpRequest, incident_id: int) -> dict[str, str]:
    return {"title": Incident.objects.get(pk=incident_id).title}


urlpatterns = [
    path("incidents/<int:pk>/leak/", leak_one, name="leak_one"),
    path("leak-all/", leak_all, name="leak_all"),
    path("incidents/<int:pk>/oracle/", oracle, name="leak_oracle"),
    path("leak-api/", leak_api.urls),
    *real,
]
