"""The law app's models, one module per noun (qualifications, case files and their matrix)."""

from justicework.law.models.cases import CaseFile as CaseFile  # i14cases
from justicework.law.models.cases import Charge as Charge
from justicework.law.models.matrix import MatrixEntry as MatrixEntry  # i14cases
