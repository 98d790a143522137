"""Who sees and changes applications: the applicant's members (drafts editable, submitted read
only except withdrawal), co-applicants' members (read only), the call organisation's staff
(submitted only, never drafts); nobody else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from justicework.core import actions as core_actions
from justicework.core import policy
from justicework.core.roles import Role
from justicework.grants.models import Application, Attachment, BudgetLine, Call, LegalEntity
from justicework.grants.rules_applications import may_list_submitted
from tests.conftest import make_user
from tests.grants.conftest import make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_officer(cast: SimpleNamespace) -> object:
    user = make_user("officer@beacon.test")
    core_actions.add_member(None, cast.beacon, user, Role.PROGRAMME_OFFICER)
    user.forget_memberships()
    return user


def _submitted(application: Application) -> Application:
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=timezone.now()
    )
    application.refresh_from_db()
    return application


def test_applicant_sees_and_changes_its_draft(draft: Application, applicant) -> None:
    for action in ("view", "own", "change", "submit", "withdraw"):
        assert policy.can(applicant.user, action, draft), action
    assert list(policy.visible(applicant.user, Application, "change")) == [draft]


def test_submitted_is_read_only_but_withdrawable(draft: Application, applicant) -> None:
    _submitted(draft)
    assert policy.can(applicant.user, "view", draft)
    assert not policy.can(applicant.user, "change", draft)
    assert "no longer a draft" in str(policy.can(applicant.user, "change", draft).reason)
    assert policy.can(applicant.user, "withdraw", draft)
    assert not policy.visible(applicant.user, Application, "change").exists()


def test_decided_cannot_be_withdrawn(draft: Application, applicant) -> None:
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.REJECTED)
    draft.refresh_from_db()
    assert not policy.can(applicant.user, "withdraw", draft)
    assert not policy.visible(applicant.user, Application, "withdraw").exists()


def test_another_applicant_cannot_read_or_edit(draft: Application, other_applicant) -> None:
    for action in ("view", "change", "withdraw"):
        assert not policy.can(other_applicant.user, action, draft)
        assert not policy.visible(other_applicant.user, Application, action).exists()
    line_rows = policy.visible(other_applicant.user, BudgetLine)
    assert not line_rows.exists()


def test_co_applicant_sees_but_cannot_edit(draft: Application, other_applicant) -> None:
    draft.co_applicants.add(other_applicant.entity)
    assert policy.can(other_applicant.user, "view", draft)
    assert list(policy.visible(other_applicant.user, Application)) == [draft]
    assert not policy.can(other_applicant.user, "change", draft)
    assert not policy.can(other_applicant.user, "withdraw", draft)
    assert not policy.visible(other_applicant.user, Application, "own").exists()


def test_staff_cannot_read_drafts(draft: Application, cast) -> None:
    assert not policy.can(cast.officer, "view", draft)
    assert not policy.visible(cast.officer, Application).exists()


def test_staff_read_submitted_and_attachments_but_never_change(draft: Application, cast) -> None:
    _submitted(draft)
    attachment = Attachment.objects.create(
        application=draft, kind="declaration", file_name="d.pdf", media_type="application/pdf",
        size=1, sha256="0" * 64,
    )  # fmt: skip
    assert policy.can(cast.officer, "view", draft)
    assert policy.can(cast.officer, "view", attachment)
    assert list(policy.visible(cast.officer, Application)) == [draft]
    for action in ("change", "withdraw", "submit"):
        assert not policy.can(cast.officer, action, draft)


def test_nobody_else_reads_a_submitted_application(draft: Application, cast, other_officer) -> None:
    _submitted(draft)
    for user in (other_officer, cast.reviewer, cast.viewer, cast.beacon_admin, cast.outsider,
                 AnonymousUser(), None):  # fmt: skip
        assert not policy.can(user, "view", draft), user
        assert not policy.visible(user, Application).exists(), user


def test_withdrawn_draft_stays_hidden_from_staff(draft: Application, cast) -> None:
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.WITHDRAWN)
    draft.refresh_from_db()
    assert not policy.can(cast.officer, "view", draft)


def test_apply_on_a_legal_entity_is_for_its_grantee_members(applicant, other_applicant, cast):
    entity = applicant.entity
    assert policy.can(applicant.user, "apply", entity)
    for user in (other_applicant.user, cast.officer, cast.reviewer, cast.outsider, None):
        assert not policy.can(user, "apply", entity), user
    assert list(policy.visible(applicant.user, LegalEntity, "apply")) == [entity]


def test_the_picker_lists_registered_entities_to_applicants_only(applicant, other_applicant, cast):
    entities = set(policy.visible(applicant.user, LegalEntity, "pick"))
    assert {applicant.entity, other_applicant.entity} <= entities
    for user in (cast.reviewer, cast.viewer, cast.outsider, AnonymousUser()):
        assert not policy.visible(user, LegalEntity, "pick").exists()


def test_only_the_calls_staff_list_its_submitted_applications(
    open_call: Call, cast, applicant, other_officer
) -> None:
    assert may_list_submitted(cast.officer, open_call)
    for user in (other_officer, cast.reviewer, cast.viewer, applicant.user, AnonymousUser()):
        assert not may_list_submitted(user, open_call), user


def test_a_member_of_a_third_grantee_sees_nothing(draft: Application) -> None:
    third = make_applicant("Goma Peace Circle", country="CD")
    assert not policy.visible(third.user, Application).exists()
    assert not policy.can(third.user, "view", draft)
