"""Every write of the survivors app (STYLE 1), one module per noun: ``files`` (opening a
survivor file), ``consent`` (recording and withdrawing consent, use by use), ``sheets``
(information sheets, versioned). Each checks the policy, validates (a ``ValidationError``
naming the field, nothing written), writes and appends the audit entry in one transaction;
no audit diff holds the survivor's words."""

from justicework.survivors.actions.consent import Choice, How, record_consent, withdraw_consent
from justicework.survivors.actions.files import open_survivor_file
from justicework.survivors.actions.interviews import (
    InterviewData,
    record_interview,
    unfold_narrative,
)
from justicework.survivors.actions.safety import (
    Safety,
    read_safety_assessment,
    record_safety_assessment,
)
from justicework.survivors.actions.sheets import create_information_sheet

from justicework.survivors.actions.participation import (  # isort: skip  (i13particip)
    Application,
    Wish,
    record_application,
    record_participation,
)
from justicework.survivors.actions.information import record_information  # isort: skip
from justicework.survivors.actions.page import (  # isort: skip
    issue_page_code,
    revoke_page_codes,
    set_survivor_page,
    withdraw_by_survivor,
)

__all__ = [
    "Choice",
    "How",
    "create_information_sheet",
    "open_survivor_file",
    "record_consent",
    "withdraw_consent",
]
__all__ += ["Application", "Wish", "record_application", "record_participation"]
__all__ += ["record_information"]
__all__ += ["issue_page_code", "revoke_page_codes", "set_survivor_page", "withdraw_by_survivor"]
__all__ += [
    "InterviewData",
    "Safety",
    "read_safety_assessment",
    "record_interview",
    "record_safety_assessment",
    "unfold_narrative",
]

from justicework.survivors.actions.retention import (  # noqa: E402  # appended per step
    RetentionReport,
    apply_retention,
    lift_legal_hold,
    set_legal_hold,
    set_retention_schedule,
)

__all__ += [
    "RetentionReport",
    "apply_retention",
    "lift_legal_hold",
    "set_legal_hold",
    "set_retention_schedule",
]

from justicework.survivors.actions.statistics import record_statistics  # noqa: E402

__all__ += ["record_statistics"]

from justicework.survivors.actions.providers import (  # noqa: E402  # i13support
    ProviderData,
    create_provider,
    update_provider,
)

__all__ += ["ProviderData", "create_provider", "update_provider"]

from justicework.survivors.actions.referrals import (  # noqa: E402  # i13support
    TRANSITIONS,
    ReferralData,
    change_status,
    create_referral,
    record_follow_up,
)

__all__ += ["TRANSITIONS", "ReferralData", "change_status", "create_referral", "record_follow_up"]

from justicework.survivors.actions.plans import (  # noqa: E402  # i13support
    add_plan_action,
    complete_plan_action,
    review_plan,
    save_plan,
)

__all__ += ["add_plan_action", "complete_plan_action", "review_plan", "save_plan"]
