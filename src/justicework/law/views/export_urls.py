"""The exports of a case file (lawexport), joined into ``law/urls.py``: the matrix as a PDF
under the case pages' use ``law.cases``; the evidence package under ``evidence.package``
(declared on its view, as the evidence app's own package views are)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.law.views import export_views

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "law.cases",
    [
        path("cases/<int:pk>/matrix.pdf", export_views.matrix_pdf, name="matrix_pdf"),
        path(
            "cases/<int:pk>/evidence-package/",
            export_views.evidence_package,
            name="case_evidence_package",
        ),
    ],
)
