from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.sheets import InformationSheet

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
from justicework.survivors.models.interviews import Interview
from justicework.survivors.models.safety import SafetyAssessment

__all__ += ["Interview", "SafetyAssessment"]
