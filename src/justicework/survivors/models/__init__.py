from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.information import InformationGiven
from justicework.survivors.models.interviews import Interview
from justicework.survivors.models.page import SurvivorPageCode, SurvivorPageSwitch
from justicework.survivors.models.participation import (
    Forum,
    ParticipationWish,
    VictimStatusApplication,
)
from justicework.survivors.models.retention import LegalHold, RetentionDone, RetentionSchedule
from justicework.survivors.models.safety import SafetyAssessment
from justicework.survivors.models.sheets import InformationSheet
from justicework.survivors.models.statistics import SurvivorStatistics
from justicework.survivors.models.support import (
    Referral,
    Reminder,
    ServiceKind,
    ServiceProvider,
    SupportAction,
    SupportPlan,
)

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
__all__ += ["Forum", "InformationGiven", "ParticipationWish", "VictimStatusApplication"]
__all__ += ["SurvivorPageCode", "SurvivorPageSwitch"]
__all__ += ["Interview", "SafetyAssessment"]

__all__ += ["LegalHold", "RetentionDone", "RetentionSchedule", "SurvivorStatistics"]

__all__ += [
    "Referral",
    "Reminder",
    "ServiceKind",
    "ServiceProvider",
    "SupportAction",
    "SupportPlan",
]
