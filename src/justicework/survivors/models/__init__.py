from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.sheets import InformationSheet

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
from justicework.survivors.models.support import (  # i13support
    Referral,
    Reminder,
    ServiceKind,
    ServiceProvider,
    SupportAction,
    SupportPlan,
)

__all__ += [
    "Referral",
    "Reminder",
    "ServiceKind",
    "ServiceProvider",
    "SupportAction",
    "SupportPlan",
]
