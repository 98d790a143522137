"""The case files' pages (i14cases), joined into ``law/urls.py``; they read person data for
building a case: the declared use ``law.cases``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.law.views import cases, matrix, matrix_cells

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "law.cases",
    [
        path("cases/", cases.case_list, name="case_list"),
        path("cases/new/", cases.case_create, name="case_create"),
        path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
        path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
        path("cases/<int:pk>/link/", cases.case_link, name="case_link"),
        path("cases/<int:pk>/unlink/", cases.case_unlink, name="case_unlink"),
        path("cases/<int:pk>/team/", cases.case_team, name="case_team"),
        path("cases/<int:pk>/charges/", cases.charge_add, name="charge_add"),
        path("cases/<int:pk>/matrix/", matrix.case_matrix, name="case_matrix"),
        path("cases/<int:pk>/matrix.xlsx", matrix.matrix_xlsx, name="matrix_xlsx"),
        path("cases/<int:pk>/missing/", matrix.case_missing, name="case_missing"),
        path("charges/<int:pk>/entries/new/", matrix.entry_add, name="entry_add"),
        path("entries/<int:pk>/remove/", matrix.entry_remove, name="entry_remove"),
        path(
            "charges/<int:pk>/cells/<str:part>/<int:number>/",
            matrix_cells.matrix_cell,
            name="matrix_cell",
        ),
        path("entries/<int:pk>/edit/", matrix_cells.entry_edit, name="entry_edit"),
    ],
)
