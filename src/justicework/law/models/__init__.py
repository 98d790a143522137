"""The law app's models, one module per noun (qualifications, case files and their matrix)."""

from justicework.law.models.cases import CaseFile as CaseFile
from justicework.law.models.cases import Charge as Charge
from justicework.law.models.command_records import (
    CommandElementRecord as CommandElementRecord,
)
from justicework.law.models.matrix import MatrixEntry as MatrixEntry
from justicework.law.models.qualifications import Qualification as Qualification
