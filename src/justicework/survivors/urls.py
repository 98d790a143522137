from django.urls import path

from justicework.core import uses
from justicework.core.uses import declare_urls
from justicework.survivors.views import (
    consent,
    information,
    page_staff,
    page_switch,
    participation,
    plans,
    providers,
    referrals,
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
        path("sheets/<int:pk>/pdf", sheets.sheet_pdf_download, name="sheet_pdf"),
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
        path("reviews/<int:pk>/", safety_views.safety_review_open, name="safety_review"),
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
urlpatterns += declare_urls(
    uses.NO_PERSON_DATA.name,
    [
        path("providers/", providers.provider_list, name="provider_list"),
        path("providers/new", providers.provider_new, name="provider_new"),
        path("providers/<int:pk>/", providers.provider_detail, name="provider_detail"),
        path("providers/<int:pk>/edit", providers.provider_edit, name="provider_edit"),
    ],
)
urlpatterns += declare_urls(
    "survivors.support",
    [
        path("persons/<int:pk>/referrals/", referrals.referral_list, name="referral_list"),
        path("persons/<int:pk>/referrals/new", referrals.referral_new, name="referral_new"),
        path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
        path("referrals/<int:pk>/status", referrals.referral_status, name="referral_status"),
        path(
            "referrals/<int:pk>/follow-up", referrals.referral_follow_up, name="referral_follow_up"
        ),
        path("persons/<int:pk>/plan/", plans.plan_page, name="plan"),
        path("persons/<int:pk>/plan/save", plans.plan_save, name="plan_save"),
        path("persons/<int:pk>/plan/review", plans.plan_review, name="plan_review"),
        path("persons/<int:pk>/plan/actions", plans.plan_action_add, name="plan_action_add"),
        path("plan-actions/<int:pk>/done", plans.plan_action_done, name="plan_action_done"),
        path("plan-actions/<int:pk>/", plans.plan_action_open, name="plan_action"),
    ],
)
urlpatterns += declare_urls(
    uses.NO_PERSON_DATA.name,
    [path("page-switch/", page_switch.page_switch, name="page_switch")],
)
