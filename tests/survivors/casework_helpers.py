"""A survivor's casework for the retention tests: one record of each type (a safety assessment,
an interview, a participation wish, two states of an application for victim status, an
information log entry, a referral, a support plan with an action, a survivor-page code), with
distinctive synthetic words (Faker) in every free-text field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from justicework.core.models import Membership, User
from justicework.core.roles import Role
from justicework.core.uses import Scope
from justicework.encryption.fields import EncryptedField
from justicework.survivors import actions
from justicework.survivors.models import (
    InformationGiven,
    Interview,
    ParticipationWish,
    Referral,
    SafetyAssessment,
    SupportAction,
    SupportPlan,
    SurvivorFile,
    VictimStatusApplication,
)
from tests.survivors.conftest import give
from tests.survivors.support_fixtures import make_provider

fake = Faker()

#: record type → its model (the plan's actions go with the plan)
MODELS: dict[str, type[Model]] = {
    "survivors.safety": SafetyAssessment,
    "survivors.interview": Interview,
    "survivors.participation": ParticipationWish,
    "survivors.victim_status": VictimStatusApplication,
    "survivors.information": InformationGiven,
    "survivors.referral": Referral,
    "survivors.plan": SupportPlan,
}
#: plain (unencrypted) free-text fields, emptied by anonymisation
PLAIN_TEXT: dict[type[Model], tuple[str, ...]] = {
    ParticipationWish: ("forum_other",),
    VictimStatusApplication: ("forum_other", "reference"),
}


def encrypted_fields(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def words(max_length: int = 200) -> str:
    """A phrase found nowhere else: a name, a word and a unique number."""
    number = fake.unique.random_number(digits=7, fix_len=True)
    return f"{fake.first_name()} {fake.word()} {number}"[:max_length]


@dataclass
class Casework:
    file: SurvivorFile
    #: every distinctive phrase written into the casework
    words: list[str] = field(default_factory=list)
    #: record type → the ids of its rows
    rows: dict[str, list[int]] = field(default_factory=dict)

    def say(self, max_length: int = 200) -> str:
        text = words(max_length)
        self.words.append(text)
        return text


def _safety_and_interview(case: Casework, actor: User) -> None:
    file, say = case.file, case.say
    safety = actions.record_safety_assessment(
        actor,
        file,
        actions.Safety(
            review_on=timezone.localdate() + dt.timedelta(days=30),
            threats=say(), contact_methods=say(), contact_times=say(),
            never_tell=say(), code_word=say(90),
        ),
    )  # fmt: skip
    interview = actions.record_interview(
        actor,
        file,
        actions.InterviewData(
            held_at=timezone.now() - dt.timedelta(hours=2), interviewer_gender="female",
            preferred_gender="female", place="office", duration_minutes=75, breaks=2,
            purposes=["documentation", "sexual_violence"], interpreter=say(),
            interpreter_gender="female", repeat_reason=say(), narrative=say(),
            sexual_violence_narrative=say(), first_aid_given=True,
        ),
    )  # fmt: skip
    case.rows["survivors.safety"] = [safety.pk]
    case.rows["survivors.interview"] = [interview.pk]


def _participation(case: Casework, actor: User) -> None:
    file, say = case.file, case.say
    texts = {name: say() for name in encrypted_fields(ParticipationWish)}
    wish = actions.record_participation(
        actor, file, actions.Wish("yes", ("icc", "other"), say(), texts)
    )
    first = actions.record_application(
        actor, file, actions.Application("other", "submitted", say(), say(90))
    )
    second = actions.record_application(
        actor,
        file,
        actions.Application(
            "other", "granted", say(), say(90), applied_on=timezone.localdate(),
            decided_on=timezone.localdate(),
        ),
        first,
    )  # fmt: skip
    entry = actions.record_information(
        actor, file, what=say(), given_at=timezone.now() - dt.timedelta(hours=1), how="phone"
    )
    case.rows["survivors.participation"] = [wish.pk]
    case.rows["survivors.victim_status"] = [first.pk, second.pk]
    case.rows["survivors.information"] = [entry.pk]


def _support(case: Casework, actor: User) -> None:
    file, say = case.file, case.say
    provider = make_provider(actor, file.organisation, name=f"Clinic {fake.unique.last_name()}")
    give(actor, file, Scope.REFERRAL, qualifier=provider.name)
    referral = actions.create_referral(
        actor, file, actions.ReferralData(provider=provider, shared_items=["code"], note=say())
    )
    actions.record_follow_up(actor, referral, follow_up_on=None, outcome=say())
    plan = actions.save_plan(actor, file, needs=["medical", "legal"], needs_note=say())
    actions.add_plan_action(
        actor, plan, description=say(), owner=actor,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    case.rows["survivors.referral"] = [referral.pk]
    case.rows["survivors.plan"] = [plan.pk]


def casework(file: SurvivorFile, actor: User) -> Casework:
    """One record of each casework type for ``file`` (which gets consent to documentation),
    recorded by ``actor`` (a support coordinator), and a survivor-page code."""
    give(actor, file, Scope.DOCUMENTATION)
    case = Casework(file)
    _safety_and_interview(case, actor)
    _participation(case, actor)
    _support(case, actor)
    # the organisation's survivor page is on (its admin's switch), so a code can be issued
    admin = Membership.objects.filter(organisation=file.organisation, role=Role.ORG_ADMIN).first()
    assert admin is not None, "the file's organisation needs an admin to switch the page on"
    actions.set_survivor_page(admin.user, file.organisation, True)
    with override_settings(SURVIVORS_PAGE=True):  # and the instance offers it
        actions.issue_page_code(actor, file)
    return case


def plan_actions(case: Casework) -> list[SupportAction]:
    return list(SupportAction.objects.filter(plan_id__in=case.rows["survivors.plan"]))
