from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.sheets import InformationSheet

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
from justicework.survivors.models.participation import (
    Forum,
    ParticipationWish,
    VictimStatusApplication,
)

__all__ += ["Forum", "ParticipationWish", "VictimStatusApplication"]
