"""The pages of awards' money and reports (grmoney), joined into ``grants/urls.py``. They read
no person data of the documentation (grantees are organisations): the declared use ``none``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import NO_PERSON_DATA, declare_urls
from justicework.grants.views import money, money_reports

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    NO_PERSON_DATA.name,
    [
        path("awards/", money.award_list, name="award_list"),
        path("awards/<int:pk>/", money.award_detail, name="award_detail"),
        path("awards/<int:pk>/agreement.pdf", money.agreement_download, name="agreement_pdf"),
        path(
            "awards/<int:pk>/agreement/generate/",
            money.agreement_act, {"step": "generate"}, name="agreement_generate",
        ),
        path(
            "awards/<int:pk>/agreement/sent/",
            money.agreement_act, {"step": "sent"}, name="agreement_sent",
        ),
        path(
            "awards/<int:pk>/agreement/signed/",
            money.agreement_act, {"step": "signed"}, name="agreement_signed",
        ),
        path("awards/<int:pk>/tranches/", money.tranche_add, name="tranche_add"),
        path("awards/<int:pk>/payments/", money.payment_add, name="payment_add"),
        path(
            "awards/<int:pk>/reductions/",
            money.movement_add, {"kind": "reduction"}, name="reduction_add",
        ),
        path(
            "awards/<int:pk>/recoveries/",
            money.movement_add, {"kind": "recovery"}, name="recovery_add",
        ),
        path("awards/<int:pk>/reports/", money.report_schedule, name="report_schedule"),
        path("reports/review/", money_reports.review_list, name="report_review_list"),
        path("reports/<int:pk>/", money_reports.report_write, name="report_write"),
        path("reports/<int:pk>/review/", money_reports.report_review, name="report_review"),
        path("reports/<int:pk>/decide/", money_reports.report_decide, name="report_decide"),
    ],
)  # fmt: skip
