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

from justicework.survivors.views import referrals  # noqa: E402  # i13support

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
    ],
)

from justicework.survivors.views import plans  # noqa: E402  # i13support

urlpatterns += declare_urls(
    "survivors.support",
    [
        path("persons/<int:pk>/plan/", plans.plan_page, name="plan"),
        path("persons/<int:pk>/plan/save", plans.plan_save, name="plan_save"),
        path("persons/<int:pk>/plan/review", plans.plan_review, name="plan_review"),
        path("persons/<int:pk>/plan/actions", plans.plan_action_add, name="plan_action_add"),
        path("plan-actions/<int:pk>/done", plans.plan_action_done, name="plan_action_done"),
        path("plan-actions/<int:pk>/", plans.plan_action_open, name="plan_action"),
    ],
)
