from django.urls import path

from justicework.core import uses
from justicework.core.uses import declare_urls
from justicework.survivors.views import (
    consent,
    information,
    page_staff,
    participation,
    retention,
    sheets,
    statistics,
)
from justicework.survivors.views import interviews as interview_views
from justicework.survivors.views import safety as safety_views

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
urlpatterns += declare_urls(
    "survivors.participation",
    [
        path("persons/<int:pk>/participation/", participation.participation_page,
             name="participation"),
        path("persons/<int:pk>/participation/wish", participation.wish_record,
             name="participation_wish"),
        path("persons/<int:pk>/participation/application", participation.application_record,
             name="participation_application"),
    ],
)  # fmt: skip
urlpatterns += declare_urls(
    "survivors.participation",
    [
        path("persons/<int:pk>/information/", information.information_page,
             name="information"),
        path("persons/<int:pk>/information/record", information.information_record,
             name="information_record"),
        path("not-updated/", information.not_updated, name="not_updated"),
    ],
)  # fmt: skip
urlpatterns += declare_urls(
    "survivors.consent",
    [
        path("persons/<int:pk>/page-code/", page_staff.codes_page, name="page_codes"),
        path("persons/<int:pk>/page-code/issue", page_staff.code_issue, name="page_code_issue"),
        path("persons/<int:pk>/page-code/revoke", page_staff.code_revoke,
             name="page_code_revoke"),
    ],
)  # fmt: skip
urlpatterns += declare_urls(
    "survivors.safety",
    [
        path("persons/<int:pk>/safety/", safety_views.safety_page, name="safety"),
        path("persons/<int:pk>/safety/record", safety_views.safety_record, name="safety_record"),
    ],
)
urlpatterns += declare_urls(
    "survivors.interviews",
    [
        path("persons/<int:pk>/interviews/", interview_views.interview_list, name="interviews"),
        path(
            "persons/<int:pk>/interviews/record",
            interview_views.interview_record,
            name="interview_record",
        ),
        path(
            "persons/<int:pk>/interviews/<int:interview_pk>/<slug:part>",
            interview_views.narrative_unfold,
            name="narrative_unfold",
        ),
        path("interviews/report/", interview_views.interview_report, name="interview_report"),
    ],
)

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
