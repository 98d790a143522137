"""The calls' pages (grcalls), joined into ``grants/urls.py``; they read no person data."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import declare_urls
from justicework.grants.views import call_public, call_register, call_rows, call_staff

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    "none",
    [
        path("calls/", call_public.call_list, name="call_list"),
        path("calls/<int:pk>/", call_public.call_detail, name="call_detail"),
        path("calls/<int:pk>/ask/", call_public.call_ask, name="call_ask"),
        path("register/", call_register.register, name="register"),
        path("calls/manage/", call_staff.call_manage, name="call_manage"),
        path("programmes/new/", call_staff.programme_form, name="programme_create"),
        path("programmes/<int:pk>/edit/", call_staff.programme_form, name="programme_edit"),
        path("programmes/<int:programme_pk>/calls/new/", call_staff.call_form, name="call_create"),
        path("calls/<int:pk>/edit/", call_staff.call_form, name="call_edit"),
        path("calls/<int:pk>/rows/", call_rows.call_items, name="call_items"),
        path("calls/<int:pk>/status/", call_staff.call_status, name="call_status"),
        path("calls/<int:pk>/answers/", call_rows.call_answers, name="call_answers"),
    ],
)
