"""The law app's models, one module per noun (qualifications, case files and their matrix)."""

from justicework.law.models.qualifications import Qualification as Qualification  # i14qualify
