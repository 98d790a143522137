"""Every write of the survivors app (STYLE 1), one module per noun: ``files`` (opening a
survivor file), ``consent`` (recording and withdrawing consent, use by use), ``sheets``
(information sheets, versioned). Each checks the policy, validates (a ``ValidationError``
naming the field, nothing written), writes and appends the audit entry in one transaction;
no audit diff holds the survivor's words."""

from justicework.survivors.actions.consent import Choice, How, record_consent, withdraw_consent
from justicework.survivors.actions.files import open_survivor_file
from justicework.survivors.actions.sheets import create_information_sheet

__all__ = [
    "Choice",
    "How",
    "create_information_sheet",
    "open_survivor_file",
    "record_consent",
    "withdraw_consent",
]

from justicework.survivors.actions.providers import (  # i13support
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
