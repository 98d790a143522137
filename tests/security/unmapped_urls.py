"""The real URL configuration plus a route whose parameter names nothing the probe knows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from justicework.urls import urlpatterns as real


def gizmo(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("gizmos/<int:pk>/", gizmo, name="gizmo"), *real]
