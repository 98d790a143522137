from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.sheets import InformationSheet

from justicework.survivors.models.participation import (  # isort: skip  (i13particip)
    Forum,
    ParticipationWish,
    VictimStatusApplication,
)
from justicework.survivors.models.information import InformationGiven  # isort: skip
from justicework.survivors.models.page import SurvivorPageCode  # isort: skip

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
__all__ += ["Forum", "InformationGiven", "ParticipationWish", "VictimStatusApplication"]
__all__ += ["SurvivorPageCode"]
