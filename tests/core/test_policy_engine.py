"""``core.policy``'s own machinery, with a throw-away rule and consent gate on a test model: the
organisation-owned rule, answers kept by ``decided_once``, the consent gate's part in ``can``,
``visible`` and ``get_or_404``, ``held_back``, and ``require``'s reason."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from justicework.core import policy, uses
from justicework.core.roles import Capability
from tests.encryption.testapp.models import Dossier

pytestmark = pytest.mark.django_db

UNSCOPED = "tests.administering"


class Gate:
    """Consent is refused for dossiers whose status is "refused"."""

    def __init__(self) -> None:
        self.checked: list[int] = []
        self.passed_ids: list[int] = []

    def check(self, obj: Any, in_use: uses.InUse) -> policy.Decision:
        self.checked.append(obj.pk)
        if obj.status == "refused":
            return policy.deny(f"No consent for {in_use.use.name}.")
        return policy.ALLOW

    def narrow(self, queryset: QuerySet[Any], in_use: uses.InUse) -> QuerySet[Any]:
        return queryset.exclude(status="refused")

    def passed(self, obj: Any, in_use: uses.InUse) -> None:
        self.passed_ids.append(obj.pk)


@pytest.fixture
def rule(monkeypatch: pytest.MonkeyPatch) -> policy.OrganisationOwnedRule:
    owned = policy.OrganisationOwnedRule(
        {"view": Capability.ORG_VIEW, "manage": Capability.ORG_MANAGE}
    )
    monkeypatch.setitem(policy._RULES, Dossier, owned)
    return owned


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch, rule: policy.OrganisationOwnedRule) -> Gate:
    recording = Gate()
    monkeypatch.setitem(policy._GATES, Dossier, recording)
    uses.register(uses.Use(UNSCOPED, None, "Administering consent (tests)."))
    return recording


@pytest.fixture
def files(cast: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        open=Dossier.objects.create(organisation=cast.acme, name="A"),
        refused=Dossier.objects.create(organisation=cast.acme, name="B", status="refused"),
        beacons=Dossier.objects.create(organisation=cast.beacon, name="C"),
    )


def test_a_model_without_a_rule_is_denied_and_invisible(cast, files):
    assert policy.can(cast.admin, "view", files.open) == policy.NO_RULE
    assert not policy.visible(cast.superuser, Dossier).exists()


def test_the_owned_rule_follows_the_capability_in_the_owning_organisation(cast, files, rule):
    assert policy.can(cast.viewer, "view", files.open)
    refused = policy.can(cast.viewer, "manage", files.open)
    assert not refused and "owning organisation" in str(refused.reason)
    assert policy.can(cast.admin, "manage", files.open)
    assert not policy.can(cast.outsider, "view", files.open)
    assert policy.can(cast.outsider, "view", files.beacons)


def test_the_owned_rule_denies_unknown_actions_and_the_class(cast, files, rule):
    assert policy.can(cast.admin, "delete", files.open) == policy.NO_RULE
    on_class = policy.can(cast.admin, "view", Dossier)
    assert not on_class and "needs a record" in str(on_class.reason)
    assert not policy.visible(cast.admin, Dossier, "delete").exists()


def test_the_owned_rule_denies_a_record_without_an_organisation(cast, rule):
    assert not policy.can(cast.superuser, "view", Dossier(name="unowned"))
    assert not policy.can(cast.admin, "view", Dossier(name="unowned"))


def test_the_owned_rule_lists_what_it_allows(cast, files, rule):
    assert set(policy.visible(cast.viewer, Dossier)) == {files.open, files.refused}
    assert set(policy.visible(cast.beacon_admin, Dossier, "manage")) == {files.beacons}
    assert not policy.visible(cast.loner, Dossier).exists()


def test_the_extra_check_and_filter_narrow_the_owned_rule(cast, files, rule):
    rule.extra = lambda user, action, obj: (
        policy.deny("Closed.") if obj.status == "refused" else policy.ALLOW
    )
    rule.extra_q = lambda user, action: ~Q(status="refused")
    assert policy.can(cast.viewer, "view", files.open)
    assert policy.can(cast.viewer, "view", files.refused).reason == "Closed."
    assert list(policy.visible(cast.viewer, Dossier)) == [files.open]


def test_a_decision_is_kept_within_decided_once(cast, files, rule):
    asked: list[str] = []
    rule.extra = lambda user, action, obj: asked.append(action) or policy.ALLOW
    with policy.decided_once():
        for _ in range(3):
            assert policy.can(cast.viewer, "view", files.open)
        with policy.decided_once():  # nested: the outer memory
            assert policy.can(cast.viewer, "view", files.open)
        assert policy.can(cast.admin, "view", files.open)
    assert asked == ["view", "view"]
    policy.can(cast.viewer, "view", files.open)
    assert len(asked) == 3


def test_unsaved_records_and_visitors_are_decided_every_time(cast, rule):
    asked: list[str] = []
    rule.extra = lambda user, action, obj: asked.append(action) or policy.ALLOW
    unsaved = Dossier(organisation=cast.acme, name="new")
    with policy.decided_once():
        policy.can(cast.viewer, "view", unsaved)
        policy.can(cast.viewer, "view", unsaved)
        assert policy.can(None, "view", unsaved) == policy.NOT_SIGNED_IN
    assert asked == ["view", "view"]


def test_a_kept_decision_is_per_declared_use(cast, files, gate):
    with policy.decided_once():
        with uses.using(UNSCOPED):
            assert policy.can(cast.viewer, "view", files.refused)
        assert not policy.can(cast.viewer, "view", files.refused)


def test_a_gated_model_needs_a_declared_use(cast, files, gate, settings):
    settings.JUSTICEWORK_STRICT_USES = False
    with uses.cleared():
        assert policy.can(cast.viewer, "view", files.open) == policy.UNDECLARED
        assert not policy.visible(cast.viewer, Dossier).exists()
    with uses.using(uses.NO_PERSON_DATA.name):
        assert policy.can(cast.viewer, "view", files.open) == policy.UNDECLARED


def test_strict_uses_raise_instead_of_denying(cast, files, gate, settings):
    settings.JUSTICEWORK_STRICT_USES = True
    with uses.cleared(), pytest.raises(policy.UndeclaredUse, match="Dossier read with no"):
        policy.can(cast.viewer, "view", files.open)


def test_the_gate_has_the_last_word_after_the_rule(cast, files, gate):
    assert policy.can(cast.viewer, "view", files.open)
    refused = policy.can(cast.viewer, "view", files.refused)
    assert str(refused.reason) == "No consent for tests.direct."
    assert not policy.can(cast.outsider, "view", files.refused)
    assert gate.checked == [files.open.pk, files.refused.pk]  # not asked when the rule denies


def test_a_use_without_a_consent_scope_is_not_consent_checked(cast, files, gate):
    with uses.using(UNSCOPED):
        assert policy.can(cast.viewer, "view", files.refused)
        assert set(policy.visible(cast.viewer, Dossier)) == {files.open, files.refused}
    assert gate.checked == []


def test_visible_is_narrowed_by_the_gate(cast, files, gate):
    assert list(policy.visible(cast.viewer, Dossier)) == [files.open]


def test_get_or_404_tells_the_gate_what_passed(cast, files, gate):
    assert policy.get_or_404(cast.viewer, Dossier, pk=files.open.pk) == files.open
    assert gate.passed_ids == [files.open.pk]
    with pytest.raises(Http404):
        policy.get_or_404(cast.viewer, Dossier, pk=files.refused.pk)


@pytest.mark.parametrize("pk", ["not-a-number", None, 10**9])
def test_get_or_404_answers_404_for_bad_and_missing_ids(cast, files, rule, pk):
    with pytest.raises(Http404):
        policy.get_or_404(cast.admin, Dossier, pk=pk)


def test_get_or_404_intersects_a_given_queryset_with_what_is_visible(cast, files, rule):
    mine = Dossier.objects.filter(status="open")
    assert policy.get_or_404(cast.viewer, mine, pk=files.open.pk) == files.open
    with pytest.raises(Http404):
        policy.get_or_404(cast.viewer, mine, pk=files.refused.pk)
    with pytest.raises(Http404):
        policy.get_or_404(cast.viewer, mine, pk=files.beacons.pk)


def test_get_or_404_asks_can_after_the_lookup(cast, files, rule):
    rule.extra = lambda user, action, obj: policy.deny("Sealed.")
    with pytest.raises(Http404):
        policy.get_or_404(cast.viewer, Dossier, pk=files.open.pk)


def test_held_back_names_what_the_gate_refuses(cast, files, gate):
    held = policy.held_back(cast.viewer, "view", Dossier.objects.all())
    assert [(obj, str(decision.reason)) for obj, decision in held] == [
        (files.refused, "No consent for tests.direct.")
    ]
    assert policy.held_back(cast.outsider, "view", Dossier.objects.all()) == []
    assert policy.held_back(None, "view", Dossier.objects.all()) == []
    with uses.using(UNSCOPED):
        assert policy.held_back(cast.viewer, "view", Dossier.objects.all()) == []


def test_held_back_is_empty_without_a_gate_or_a_use(cast, files, rule, monkeypatch, settings):
    settings.JUSTICEWORK_STRICT_USES = False
    assert policy.held_back(cast.viewer, "view", Dossier.objects.all()) == []
    monkeypatch.setitem(policy._GATES, Dossier, Gate())
    with uses.cleared():
        assert policy.held_back(cast.viewer, "view", Dossier.objects.all()) == []


def test_require_raises_with_the_reason(cast, files, rule):
    assert policy.require(cast.admin, "manage", files.open)
    with pytest.raises(PermissionDenied, match="owning organisation does not allow"):
        policy.require(cast.viewer, "manage", files.open)


def test_a_decision_is_truthy_only_when_allowed():
    assert policy.allow() and policy.allow().reason == policy.ALLOW.reason
    assert policy.allow("Because.").reason == "Because."
    assert not policy.deny("No.") and policy.deny("No.").reason == "No."


def test_has_grant_needs_a_current_unrevoked_grant(cast, files):
    from datetime import timedelta

    from django.utils import timezone

    from justicework.core.models import AccessGrant

    def grant(**extra: Any) -> AccessGrant:
        return AccessGrant.objects.create(
            user=cast.viewer,
            organisation=cast.acme,
            capability=Capability.IDENTITY_REVEAL,
            object_type="encryption_testapp.dossier",
            object_id=str(files.open.pk),
            granted_by=cast.admin,
            reason="case work",
            **extra,
        )

    assert not policy.has_grant(cast.viewer, Capability.IDENTITY_REVEAL, files.open)
    expired = grant(expires_at=timezone.now() - timedelta(minutes=1))
    assert not policy.has_grant(cast.viewer, Capability.IDENTITY_REVEAL, files.open)
    expired.delete()
    current = grant(expires_at=timezone.now() + timedelta(days=1))
    assert policy.has_grant(cast.viewer, Capability.IDENTITY_REVEAL, files.open)
    assert not policy.has_grant(cast.viewer, Capability.ORG_MANAGE, files.open)
    assert not policy.has_grant(cast.viewer, Capability.IDENTITY_REVEAL, files.refused)
    current.revoked_at = timezone.now()
    current.save()
    assert not policy.has_grant(cast.viewer, Capability.IDENTITY_REVEAL, files.open)
