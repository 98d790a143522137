"""``view_grant_dashboard``: an organisation-level action for programme officers, composed with
the other Organisation rules (core's, law's ``create_case_file``, and a further wrapper of the
same kind, as the calls part adds for ``create_call``)."""

from __future__ import annotations

from typing import Any

import pytest

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, deny
from justicework.grants.rules_publication import VIEW_DASHBOARD, register
from justicework.law.rules_cases import CREATE_ACTION

pytestmark = pytest.mark.django_db


def test_only_programme_officers_of_the_organisation(cast: Any) -> None:
    assert policy.can(cast.officer, VIEW_DASHBOARD, cast.acme)
    for user in (cast.admin, cast.reviewer, cast.viewer, cast.outsider, cast.beacon_admin):
        assert not policy.can(user, VIEW_DASHBOARD, cast.acme), user
    assert not policy.can(cast.officer, VIEW_DASHBOARD, cast.beacon)
    assert not policy.can(None, VIEW_DASHBOARD, cast.acme)
    assert policy.allowed_organisation_ids(cast.officer, VIEW_DASHBOARD) == [cast.acme.pk]
    assert policy.allowed_organisation_ids(cast.admin, VIEW_DASHBOARD) == []


def test_an_inactive_organisation_has_no_dashboard(cast: Any) -> None:
    Organisation.objects.filter(pk=cast.acme.pk).update(is_active=False)
    cast.acme.refresh_from_db()
    assert not policy.can(cast.officer, VIEW_DASHBOARD, cast.acme)


class CreateCallLike:
    """A wrapper like law's ``CreateCaseRule``: one action of its own, the rest to its base."""

    def __init__(self, base: policy.Rule | None) -> None:
        self.base = base

    def can(self, user: User, action: str, obj: Any) -> Decision:
        if action != "create_call":
            return self.base.can(user, action, obj) if self.base else policy.NO_RULE
        return ALLOW if user.email.startswith("officer") else deny("no")

    def visible(self, user: User, action: str, queryset: Any) -> Any:
        return self.base.visible(user, action, queryset) if self.base else queryset.none()


def test_it_stacks_with_other_organisation_wrappers(cast: Any) -> None:
    before = policy.rule_for(Organisation)
    try:
        outer = policy.rule_for(Organisation)
        assert isinstance(outer, policy.OrganisationActionsRule)
        outer.base = CreateCallLike(outer.base)  # another part wraps beneath, law-style
        register()  # registering again (or after) keeps one outermost table
        assert policy.rule_for(Organisation) is outer
        assert policy.can(cast.officer, VIEW_DASHBOARD, cast.acme)
        assert policy.can(cast.officer, "create_call", cast.acme)
        assert not policy.can(cast.viewer, "create_call", cast.acme)
        assert policy.can(cast.analyst, CREATE_ACTION, cast.acme)  # law's, beneath both
        assert policy.can(cast.admin, "export", cast.acme)  # core's own
        assert not policy.can(cast.admin, VIEW_DASHBOARD, cast.acme)
    finally:
        assert isinstance(before, policy.OrganisationActionsRule)
        if isinstance(before.base, CreateCallLike):
            before.base = before.base.base
