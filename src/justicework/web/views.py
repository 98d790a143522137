from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from justicework.web import dashboard as dashboard_registry


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability; no login, no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cards = dashboard_registry.cards_for(request)
    return render(request, "web/dashboard.html", {"cards": cards})
