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

from justicework.survivors.views import retention  # noqa: E402  # appended per step

urlpatterns += declare_urls(
    "survivors.retention",
    [
        path("retention/", retention.retention_review, name="retention"),
        path("retention/apply", retention.retention_apply, name="retention_apply"),
        path("persons/<int:pk>/hold/", retention.legal_hold, name="legal_hold"),
        path(
            "persons/<int:pk>/hold/<int:hold_pk>/lift",
            retention.legal_hold_lift,
            name="legal_hold_lift",
        ),
    ],
)

from justicework.survivors.views import statistics  # noqa: E402  # appended per step

urlpatterns += declare_urls(
    "survivors.statistics",
    [
        path("statistics/", statistics.statistics_page, name="statistics"),
        path(
            "persons/<int:pk>/statistics/",
            statistics.statistics_record,
            name="statistics_record",
        ),
    ],
)
