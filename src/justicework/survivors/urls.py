from django.urls import path

from justicework.core import uses
from justicework.core.uses import declare_urls
from justicework.survivors.views import consent, sheets

app_name = "survivors"

urlpatterns = declare_urls(
    "survivors.consent",
    [
        path("persons/<int:pk>/consent/", consent.consent_page, name="consent"),
        path("persons/<int:pk>/consent/open", consent.file_open, name="file_open"),
        path("persons/<int:pk>/consent/record", consent.consent_record, name="consent_record"),
        path(
            "persons/<int:pk>/consent/withdraw", consent.consent_withdraw, name="consent_withdraw"
        ),
    ],
) + declare_urls(
    uses.NO_PERSON_DATA.name,
    [
        path("sheets/", sheets.sheet_list, name="sheet_list"),
        path("sheets/<int:pk>/", sheets.sheet_print, name="sheet_print"),
    ],
)

from justicework.survivors.views import providers  # noqa: E402  # i13support

urlpatterns += declare_urls(
    uses.NO_PERSON_DATA.name,
    [
        path("providers/", providers.provider_list, name="provider_list"),
        path("providers/new", providers.provider_new, name="provider_new"),
        path("providers/<int:pk>/", providers.provider_detail, name="provider_detail"),
        path("providers/<int:pk>/edit", providers.provider_edit, name="provider_edit"),
    ],
)
