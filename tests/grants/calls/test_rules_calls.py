"""Who may see and change programmes, calls and what hangs off them; the organisation-level
actions, composed with the rules other apps registered."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from justicework.core import policy
from justicework.core.models import Organisation
from justicework.grants import actions_call_items as items
from justicework.grants.models import Call, CallAnswer, CallChange, Criterion, Programme
from justicework.grants.rules_calls import GrantsOrganisationRule, register


def test_officer_manages_the_programme_and_its_draft(cast, programme, draft_call) -> None:
    assert policy.can(cast.officer, "change", programme)
    assert policy.can(cast.officer, "view", draft_call)
    assert policy.can(cast.officer, "change", draft_call)
    criterion = draft_call.criteria.first()
    assert policy.can(cast.officer, "change", criterion)
    assert list(policy.visible(cast.officer, Call, "change")) == [draft_call]


def test_others_never_see_a_draft(cast, draft_call, applicant) -> None:
    for user in (
        cast.reviewer,
        cast.viewer,
        cast.admin,
        cast.outsider,
        cast.beacon_admin,
        applicant.user,
        AnonymousUser(),
        None,
    ):
        assert not policy.can(user, "view", draft_call), user
        assert not policy.visible(user, Call).exists(), user
        assert not policy.visible(user, Criterion).exists(), user


def test_published_call_is_read_by_everyone_signed_in(cast, open_call, applicant) -> None:
    for user in (cast.reviewer, cast.viewer, cast.outsider, applicant.user, cast.loner):
        assert policy.can(user, "view", open_call), user
        assert list(policy.visible(user, Call)) == [open_call]
        assert policy.visible(user, Criterion).count() == 3
        assert policy.can(user, "ask", open_call)
    assert not policy.can(AnonymousUser(), "view", open_call)
    assert not policy.visible(AnonymousUser(), Call).exists()


def test_only_staff_of_the_owning_organisation_change(cast, programme, open_call, applicant):
    for user in (
        cast.reviewer,
        cast.viewer,
        cast.admin,
        cast.outsider,
        cast.beacon_admin,
        applicant.user,
        AnonymousUser(),
    ):
        assert not policy.can(user, "change", open_call), user
        assert not policy.can(user, "change", programme), user
        assert not policy.can(user, "view", programme), user
        assert not policy.visible(user, Call, "change").exists(), user
        assert not policy.can(user, "change", open_call.criteria.first()), user


def test_asking_needs_an_open_call(cast, programme, open_call) -> None:
    Call.objects.filter(pk=open_call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    open_call.refresh_from_db()
    assert not policy.can(cast.viewer, "ask", open_call)
    assert not policy.visible(cast.viewer, Call, "ask").exists()
    assert policy.visible(cast.officer, Call, "ask").exists()
    open_call.status = Call.Status.CLOSED
    open_call.save()
    assert not policy.can(cast.viewer, "ask", open_call)
    assert policy.can(cast.viewer, "view", open_call)


def test_questions_show_only_once_answered(cast, open_call, applicant) -> None:
    entry = items.ask_question(
        applicant.user, open_call, text="May a network apply?", language="en"
    )
    assert not policy.can(applicant.user, "view", entry)
    assert not policy.visible(cast.outsider, CallAnswer).exists()
    assert policy.can(cast.officer, "view", entry)
    assert not policy.can(cast.outsider, "change", entry)
    items.answer_question(cast.officer, entry, answer={"en": "Yes."})
    entry.refresh_from_db()
    assert policy.can(cast.outsider, "view", entry)
    assert not policy.can(applicant.user, "change", entry)
    assert not policy.can(cast.reviewer, "change", entry)


def test_organisation_actions(cast, applicant) -> None:
    for action in ("create_grant_programme", "create_call"):
        assert policy.can(cast.officer, action, cast.acme)
        for user in (cast.reviewer, cast.viewer, cast.admin, applicant.user):
            assert not policy.can(user, action, cast.acme), (user, action)
        assert not policy.can(cast.officer, action, cast.beacon)
        assert not policy.can(cast.beacon_admin, action, cast.beacon)
        assert not policy.can(AnonymousUser(), action, cast.acme)
    assert policy.can(cast.reviewer, "browse_grant_calls", cast.acme)
    assert policy.can(applicant.user, "browse_grant_calls", applicant.org)
    assert not policy.can(cast.viewer, "browse_grant_calls", cast.acme)
    assert not policy.can(cast.outsider, "browse_grant_calls", cast.beacon)
    assert policy.allowed_organisation_ids(cast.officer, "create_call") == [cast.acme.pk]


def test_other_organisation_rules_still_answer(cast) -> None:
    """The composed rule leaves core's and other apps' questions to them, and registering
    twice wraps once."""
    register()
    rule = policy.rule_for(Organisation)
    found = 0
    while rule is not None:
        found += isinstance(rule, GrantsOrganisationRule)
        rule = getattr(rule, "base", None)
    assert found == 1
    assert policy.can(cast.admin, "manage", cast.acme)
    assert not policy.can(cast.outsider, "manage", cast.acme)
    assert policy.can(cast.analyst, "create_case_file", cast.acme)
    assert policy.can(cast.admin, "export", cast.acme)


def test_changes_follow_the_call(cast, open_call, draft_call) -> None:
    CallChange.objects.create(call=open_call, field="closes_at", note="later")
    CallChange.objects.create(call=draft_call, field="text", note="draft")
    assert policy.visible(cast.outsider, CallChange).count() == 1
    assert policy.visible(cast.officer, CallChange).count() == 2
    assert not policy.visible(AnonymousUser(), CallChange).exists()
    assert not policy.visible(cast.outsider, Programme).exists()
