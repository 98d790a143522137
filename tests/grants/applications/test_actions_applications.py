"""Starting, answering, budgeting, attaching, submitting and withdrawing through the actions:
each refusal names what is wrong and changes nothing; status changes e-mail the members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_application_files as files
from justicework.grants import actions_applications as actions
from justicework.grants import application_files
from justicework.grants.models import Application, Attachment, Call, Question
from tests.grants.applications.conftest import complete, pdf_bytes
from tests.grants.conftest import make_call

pytestmark = pytest.mark.django_db


def test_start_numbers_the_application_and_audits(draft: Application, open_call: Call) -> None:
    assert draft.status == Application.Status.DRAFT
    assert draft.reference == f"{open_call.reference}-0001"
    assert draft.currency == "EUR"
    assert AuditEntry.objects.filter(action="grants.application.started").count() == 1


def test_call_must_be_published_and_open(programme, applicant) -> None:
    now = timezone.now()
    for call in (
        make_call(programme, status=Call.Status.DRAFT),
        make_call(programme, opens_at=now + dt.timedelta(days=1)),
        make_call(programme, closes_at=now - dt.timedelta(minutes=1)),
    ):
        with pytest.raises(ValidationError, match="not open"):
            actions.start_application(applicant.user, applicant.entity, call, title="T")
    assert not Application.objects.exists()


def test_one_proposal_per_applicant_withdrawn_do_not_count(draft, open_call, applicant) -> None:
    with pytest.raises(ValidationError, match="already has an application"):
        actions.start_application(applicant.user, applicant.entity, open_call, title="Again")
    actions.withdraw_application(applicant.user, draft)
    again = actions.start_application(applicant.user, applicant.entity, open_call, title="Again")
    assert again.reference.endswith("-0002")


def test_several_proposals_when_the_call_allows(programme, applicant) -> None:
    call = make_call(programme, one_proposal_per_applicant=False)
    for title in ("One", "Two"):
        actions.start_application(applicant.user, applicant.entity, call, title=title)
    assert Application.objects.filter(call=call).count() == 2


def test_another_applicant_cannot_start_for_you(open_call, applicant, other_applicant) -> None:
    with pytest.raises(PermissionDenied):
        actions.start_application(other_applicant.user, applicant.entity, open_call, title="T")


def test_answers_are_saved_in_parts_and_checked_per_question(draft, applicant) -> None:
    assert actions.save_answers(applicant.user, draft, {"summary": "  Our plan. "})
    assert actions.save_answers(applicant.user, draft, {"staff": "4"})
    assert draft.answers == {"summary": "Our plan.", "staff": "4"}
    assert not actions.save_answers(applicant.user, draft, {"staff": "4"})  # nothing changed
    with pytest.raises(ValidationError) as caught:
        actions.save_answers(applicant.user, draft, {"staff": "many", "nope": "x"})
    errors = caught.value.message_dict
    assert "staff (How many staff?): Give a number." in errors["staff"][0]
    assert "not a question of this call" in errors["nope"][0]
    draft.refresh_from_db()
    assert draft.answers == {"summary": "Our plan.", "staff": "4"}
    actions.save_answers(applicant.user, draft, {"summary": ""})
    assert draft.answers == {"staff": "4"}


def test_answers_respect_length_and_choices(draft, applicant, open_call) -> None:
    Question.objects.create(
        call=open_call, order=3, code="area", kind=Question.Kind.CHOICE, prompt={"en": "Area"},
        choices=[{"code": "urban", "title": {"en": "Urban"}}, {"code": "rural"}],
    )  # fmt: skip
    Question.objects.create(
        call=open_call, order=4, code="women", kind=Question.Kind.YES_NO, prompt={"en": "W?"}
    )
    with pytest.raises(ValidationError, match="At most 2000 characters"):
        actions.save_answers(applicant.user, draft, {"summary": "x" * 2001})
    with pytest.raises(ValidationError, match="Choose one of: urban, rural"):
        actions.save_answers(applicant.user, draft, {"area": "desert"})
    with pytest.raises(ValidationError, match="Answer yes or no"):
        actions.save_answers(applicant.user, draft, {"women": "perhaps"})
    actions.save_answers(applicant.user, draft, {"area": "rural", "women": "yes"})
    assert draft.answers == {"area": "rural", "women": True}


def test_budget_keeps_the_requested_amount_in_step(draft, applicant) -> None:
    budget.set_currency(
        applicant.user, draft, currency="UAH", exchange_rate="0.02234567",
        rate_date=dt.date(2026, 11, 30), rate_source="National Bank of Ukraine",
    )  # fmt: skip
    budget.add_budget_line(
        applicant.user, draft, activity_type="documentation", cost_category="staff",
        amount="500000.00",
    )  # fmt: skip
    line = budget.add_budget_line(
        applicant.user, draft, activity_type="psychosocial", cost_category="travel",
        amount="12345.67",
    )  # fmt: skip
    draft.refresh_from_db()
    # 512345.67 * 0.02234567 = 11448.7072677489 → 11448.71
    assert draft.requested_amount == Decimal("11448.71")
    budget.remove_budget_line(applicant.user, line)
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("11172.84")  # 11172.835 rounds half to even


def test_rounding_is_half_even_on_the_total() -> None:
    assert budget.convert(Decimal("0.25"), Decimal("0.1")) == Decimal("0.02")
    assert budget.convert(Decimal("0.35"), Decimal("0.1")) == Decimal("0.04")


def test_budget_refusals_name_the_field(draft, applicant) -> None:
    bad = [
        ({"activity_type": "catering"}, "activity_type"),
        ({"cost_category": "luxury"}, "cost_category"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": "1.234"}, "amount"),
    ]
    for change, field in bad:
        values = {"activity_type": "documentation", "cost_category": "staff", "amount": "10"}
        with pytest.raises(ValidationError) as caught:
            budget.add_budget_line(applicant.user, draft, **(values | change))
        assert field in caught.value.message_dict
    assert not draft.budget_lines.exists()
    with pytest.raises(ValidationError) as caught:
        budget.set_currency(applicant.user, draft, currency="XYZ")
    assert "currency" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        budget.set_currency(applicant.user, draft, currency="UAH", exchange_rate="0.02")
    assert {"rate_date", "rate_source"} <= set(caught.value.message_dict)
    draft.refresh_from_db()
    assert draft.currency == "EUR"


def test_co_applicants_are_other_registered_entities(draft, applicant, other_applicant) -> None:
    actions.set_co_applicants(applicant.user, draft, [other_applicant.entity])
    assert list(draft.co_applicants.all()) == [other_applicant.entity]
    with pytest.raises(ValidationError, match="its own co-applicant"):
        actions.set_co_applicants(applicant.user, draft, [applicant.entity])


def test_attachment_is_typed_from_its_bytes_and_stored_by_hash(draft, applicant) -> None:
    data = pdf_bytes()
    attachment = files.add_attachment(
        applicant.user, draft, kind="declaration", name="../../décl\u202eration.pdf",
        chunks=[data],
    )  # fmt: skip
    assert attachment.media_type == "application/pdf"
    assert attachment.file_name == "décl" + "ration.pdf"
    assert "/" not in attachment.file_name and "\u202e" not in attachment.file_name
    with files.open_attachment(applicant.user, attachment) as handle:
        assert handle.read() == data
    assert AuditEntry.objects.filter(action="grants.attachment.read").count() == 1


def test_attachment_refusals(draft, applicant, settings) -> None:
    with pytest.raises(ValidationError, match=r"type \(text/plain\) cannot be attached"):
        files.add_attachment(applicant.user, draft, kind="other", name="a.pdf", chunks=[b"hi"])
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than the limit"):
        files.add_attachment(
            applicant.user, draft, kind="other", name="a.pdf", chunks=[pdf_bytes()]
        )
    with pytest.raises(ValidationError, match="empty"):
        files.add_attachment(applicant.user, draft, kind="other", name="a.pdf", chunks=[])
    assert not Attachment.objects.exists()
    assert not list(application_files.incoming().iterdir())


def test_submit_lists_everything_missing(draft, applicant) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.submit_application(applicant.user, draft)
    text = " ".join(caught.value.messages)
    for part in ("summary", "staff", "budget line", "between 5000", "declaration of honour"):
        assert part in text
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_submit_refuses_an_amount_out_of_range(draft, applicant) -> None:
    complete(draft, applicant.user, amount="70000")
    with pytest.raises(ValidationError, match=r"between 5000\.00 and 60000\.00"):
        actions.submit_application(applicant.user, draft)


def test_late_submission_is_refused_with_times_in_the_applicants_zone(draft, applicant) -> None:
    complete(draft, applicant.user)
    late = draft.call.closes_at + dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as caught:
        actions.submit_application(applicant.user, draft, now=late)
    message = caught.value.messages[0]
    kyiv = draft.call.closes_at.astimezone(actions.zone_named("Europe/Kyiv"))
    assert f"{kyiv:%Y-%m-%d %H:%M} (Europe/Kyiv)" in message
    assert f"{late.astimezone(kyiv.tzinfo):%H:%M}" in message
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_the_users_own_zone_wins_when_set(draft, applicant) -> None:
    applicant.user.time_zone = "America/Bogota"  # a profile zone, when the profile has one
    zone = actions.applicant_zone(applicant.user, draft.call)
    assert zone.key == "America/Bogota"


def test_submit_then_withdraw_tells_the_members(
    draft, applicant, django_capture_on_commit_callbacks
) -> None:
    complete(draft, applicant.user)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_application(applicant.user, draft)
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED and draft.submitted_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant.user.email]
    assert draft.reference in mail.outbox[0].subject and "submitted" in mail.outbox[0].body
    assert draft.title not in mail.outbox[0].body  # the content stays on the platform
    with pytest.raises(PermissionDenied):
        actions.save_answers(applicant.user, draft, {"summary": "changed"})
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_application(applicant.user, draft)
    assert draft.status == Application.Status.WITHDRAWN and draft.withdrawn_at
    assert "withdrawn" in mail.outbox[1].body


def test_withdraw_refused_after_a_decision(draft, applicant: SimpleNamespace) -> None:
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.AWARDED)
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied, match="decision"):
        actions.withdraw_application(applicant.user, draft)
    with pytest.raises(ValidationError, match="decision"):
        actions.withdraw_application(None, draft)
