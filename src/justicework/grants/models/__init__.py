"""The grants app's models, one module per noun; each part of the app adds its own module."""

from justicework.grants.models import review, review_scores  # noqa: F401  # grreview
from justicework.grants.models.applicants import LegalEntity as LegalEntity
from justicework.grants.models.applications import Application as Application
from justicework.grants.models.applications import Attachment as Attachment
from justicework.grants.models.applications import BudgetLine as BudgetLine
from justicework.grants.models.awards import Award as Award
from justicework.grants.models.money import *  # noqa: F403 - grmoney: its __all__
from justicework.grants.models.notices import ApplicantNotice as ApplicantNotice  # grflow
from justicework.grants.models.programmes import Call as Call
from justicework.grants.models.programmes import CallAnswer as CallAnswer
from justicework.grants.models.programmes import CallChange as CallChange
from justicework.grants.models.programmes import Criterion as Criterion
from justicework.grants.models.programmes import Programme as Programme
from justicework.grants.models.programmes import Question as Question
from justicework.grants.models.programmes import RecipientCategory as RecipientCategory
