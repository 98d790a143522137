"""Recording and withdrawing consent: validated, append-only, audited; the survivor's words
encrypted at rest and never in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions
from justicework.survivors.models import Consent, ConsentDecision, SurvivorFile
from justicework.violations.models import Person
from tests.survivors.conftest import give, how, withdraw

pytestmark = pytest.mark.django_db

D = Scope.DOCUMENTATION


def test_coordinator_opens_a_survivor_file(coordinator: User, survivor: Person) -> None:
    file = actions.open_survivor_file(coordinator, survivor, is_child=True)
    assert file.is_child and file.organisation_id == survivor.organisation_id
    assert AuditEntry.objects.filter(action="survivors.file.opened").count() == 1


def test_documenter_opens_a_survivor_file_at_intake(documenter: User, survivor: Person) -> None:
    assert actions.open_survivor_file(documenter, survivor).opened_by == documenter


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider"])
def test_others_cannot_open_a_survivor_file(
    request: pytest.FixtureRequest, who: str, survivor: Person
) -> None:
    with pytest.raises(PermissionDenied):
        actions.open_survivor_file(request.getfixturevalue(who), survivor)
    assert not SurvivorFile.objects.exists()


def test_a_person_has_one_survivor_file(coordinator: User, file: SurvivorFile) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.open_survivor_file(coordinator, file.person)
    assert "person" in exc.value.message_dict


def test_record_consent_stores_each_use_and_how(coordinator: User, file: SurvivorFile) -> None:
    consent = actions.record_consent(
        coordinator,
        file,
        how(interpreter="Samir N.", conditions="Only my initials in any report."),
        [
            actions.Choice(D, True),
            actions.Choice(Scope.LEGAL_PROCEEDINGS, True, "ICC"),
            actions.Choice(Scope.PUBLICATION, False),
        ],
    )
    answers = {(d.scope, d.qualifier, d.answer) for d in consent.decisions.all()}
    assert answers == {
        (D, "", "given"),
        (Scope.LEGAL_PROCEEDINGS, "ICC", "given"),
        (Scope.PUBLICATION, "", "refused"),
    }
    assert consent.taken_by == coordinator and consent.language == "uk"
    entry = AuditEntry.objects.get(action="survivors.consent.recorded")
    assert "initials" not in str(entry.diff) and "Samir" not in str(entry.diff)
    assert entry.diff["has_conditions"] is True


def test_conditions_and_interpreter_are_encrypted_at_rest(
    coordinator: User, file: SurvivorFile
) -> None:
    consent = give(coordinator, file, D, conditions="Never tell my brother.", interpreter="Amal")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conditions, interpreter FROM survivors_consent WHERE id = %s", [consent.pk]
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "brother" not in raw and "Amal" not in raw
    assert Consent.objects.get(pk=consent.pk).conditions == "Never tell my brother."


@pytest.mark.parametrize(
    ("fields", "choices", "field"),
    [
        ({}, [], "decisions"),
        ({}, [actions.Choice("gossip", True)], "decisions"),
        ({}, [actions.Choice(D, True), actions.Choice(D, False)], "decisions"),
        ({"method": "telepathy"}, [actions.Choice(D, True)], "method"),
        ({"method": "recorded"}, [actions.Choice(D, True)], "recording"),
        ({"language": " "}, [actions.Choice(D, True)], "language"),
        ({"given_at": dt.datetime(2026, 1, 1)}, [actions.Choice(D, True)], "given_at"),  # noqa: DTZ001  # naive on purpose
        (
            {"given_at": timezone.now() + dt.timedelta(days=2)},
            [actions.Choice(D, True)],
            "given_at",
        ),
        ({"given_by": "guardian"}, [actions.Choice(D, True)], "guardian_relationship"),
    ],
)
def test_bad_consent_is_refused_naming_the_field_and_nothing_is_written(
    coordinator: User,
    file: SurvivorFile,
    fields: dict[str, object],
    choices: list[actions.Choice],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.record_consent(coordinator, file, how(**fields), choices)
    assert field in exc.value.message_dict
    assert not Consent.objects.exists() and not ConsentDecision.objects.exists()


def test_a_child_consents_through_a_guardian(coordinator: User, survivor: Person) -> None:
    file = actions.open_survivor_file(coordinator, survivor, is_child=True)
    with pytest.raises(ValidationError) as exc:
        give(coordinator, file, D)
    assert "given_by" in exc.value.message_dict
    consent = give(coordinator, file, D, given_by="guardian", guardian_relationship="mother")
    assert consent.given_by == "guardian"


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider"])
def test_others_cannot_record_consent(
    request: pytest.FixtureRequest, who: str, file: SurvivorFile
) -> None:
    with pytest.raises(PermissionDenied):
        give(request.getfixturevalue(who), file, D)
    assert not Consent.objects.exists()


def test_withdrawal_is_a_new_record_and_the_history_is_kept(
    coordinator: User, file: SurvivorFile
) -> None:
    given = give(coordinator, file, D)
    withdrawn = withdraw(coordinator, file, D)
    assert withdrawn.pk != given.pk
    assert list(
        ConsentDecision.objects.filter(file=file).order_by("pk").values_list("answer", flat=True)
    ) == ["given", "withdrawn"]
    assert AuditEntry.objects.filter(action="survivors.consent.withdrawn").count() == 1


def test_only_a_given_use_can_be_withdrawn(coordinator: User, file: SurvivorFile) -> None:
    with pytest.raises(ValidationError) as exc:
        withdraw(coordinator, file, Scope.REFERRAL)
    assert "scope" in exc.value.message_dict
    assert not Consent.objects.exists()


def test_a_named_forum_can_be_withdrawn_from_a_general_consent(
    coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, Scope.LEGAL_PROCEEDINGS)
    withdraw(coordinator, file, Scope.LEGAL_PROCEEDINGS, "ICC")
    assert ConsentDecision.objects.filter(qualifier="ICC", answer="withdrawn").exists()


def test_consent_is_given_again_after_a_withdrawal(coordinator: User, file: SurvivorFile) -> None:
    give(coordinator, file, D)
    withdraw(coordinator, file, D)
    give(coordinator, file, D)
    assert ConsentDecision.objects.filter(file=file).count() == 3


def test_information_sheets_are_versioned_per_language(coordinator: User, acme: object) -> None:
    first = actions.create_information_sheet(coordinator, acme, language="ar", title="T", body="B")
    second = actions.create_information_sheet(coordinator, acme, language="ar", title="T", body="C")
    other = actions.create_information_sheet(coordinator, acme, language="fr", title="T", body="D")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.body == "B"  # an earlier version is never changed


def test_only_coordinators_manage_information_sheets(documenter: User, acme: object) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_information_sheet(documenter, acme, language="ar", title="T", body="B")


def test_a_sheet_with_no_text_is_refused(coordinator: User, acme: object) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.create_information_sheet(coordinator, acme, language="ar", title="T", body=" ")
    assert "body" in exc.value.message_dict
