"""The real URL configuration plus a page and an API operation whose parameters name nothing
the probe knows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from justicework.urls import urlpatterns as real


def gizmo(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")


gizmo_api = NinjaAPI(urls_namespace="gizmo-api", docs_url=None)


@gizmo_api.get("/gizmos/{gizmo_id}")
def gizmo_operation(request: HttpRequest, gizmo_id: int) -> dict[str, int]:
    return {"id": gizmo_id}


urlpatterns = [
    path("gizmos/<int:pk>/", gizmo, name="gizmo"),
    path("gizmo-api/", gizmo_api.urls),
    *real,
]
