from justicework.survivors.models.consent import Consent, ConsentDecision
from justicework.survivors.models.files import SurvivorFile
from justicework.survivors.models.sheets import InformationSheet

__all__ = ["Consent", "ConsentDecision", "InformationSheet", "SurvivorFile"]
from justicework.survivors.models.retention import LegalHold, RetentionDone, RetentionSchedule
from justicework.survivors.models.statistics import SurvivorStatistics

__all__ += ["LegalHold", "RetentionDone", "RetentionSchedule", "SurvivorStatistics"]
