"""Safety assessments: recording (append-only, encrypted, no text in the audit), the audited
read, who may do either, and the safety warning (``warnings_for``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.survivors import actions
from justicework.survivors.models import SafetyAssessment, SurvivorFile
from justicework.survivors.safety import warnings_for, warnings_for_many
from justicework.violations import actions as violations_actions

pytestmark = pytest.mark.django_db

THREAT = "Her brother-in-law Dmytro watches the house"


def safety(**fields: object) -> actions.Safety:
    values: dict[str, object] = {
        "review_on": timezone.localdate() + dt.timedelta(days=30),
        "threats": THREAT,
        "contact_methods": "Only the sister's phone",
        "contact_times": "Weekdays 10-12",
        "never_tell": "Husband's family",
        "code_word": "blue kettle",
    }
    values.update(fields)
    return actions.Safety(**values)  # type: ignore[arg-type]


def test_coordinator_records_an_assessment_encrypted_and_absent_from_the_audit(
    coordinator: User, file: SurvivorFile
) -> None:
    assessment = actions.record_safety_assessment(coordinator, file, safety())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT threats, code_word FROM survivors_safetyassessment WHERE id = %s",
            [assessment.pk],
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "Dmytro" not in raw and "kettle" not in raw
    entry = AuditEntry.objects.get(action="survivors.safety.recorded")
    assert "Dmytro" not in str(entry.diff) and "kettle" not in str(entry.diff)
    assert entry.diff["has_threats"] is True


def test_a_new_assessment_supersedes_the_last_and_keeps_it(
    coordinator: User, file: SurvivorFile
) -> None:
    actions.record_safety_assessment(coordinator, file, safety())
    actions.record_safety_assessment(coordinator, file, safety(code_word="red door"))
    assert SafetyAssessment.objects.filter(file=file).count() == 2
    current = actions.read_safety_assessment(coordinator, file)
    assert current is not None and current.code_word == "red door"


def test_reading_the_assessment_is_audited(coordinator: User, file: SurvivorFile) -> None:
    assert actions.read_safety_assessment(coordinator, file) is None
    assert not AuditEntry.objects.filter(action="survivors.safety.viewed").exists()
    actions.record_safety_assessment(coordinator, file, safety())
    read = actions.read_safety_assessment(coordinator, file)
    assert read is not None and read.threats == THREAT
    entry = AuditEntry.objects.get(action="survivors.safety.viewed")
    assert entry.actor_id == coordinator.pk and "Dmytro" not in str(entry.diff)


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider", "loner"])
def test_others_can_neither_record_nor_read(
    request: pytest.FixtureRequest, who: str, coordinator: User, file: SurvivorFile
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.record_safety_assessment(user, file, safety())
    actions.record_safety_assessment(coordinator, file, safety())
    with pytest.raises(PermissionDenied):
        actions.read_safety_assessment(user, file)
    assert not AuditEntry.objects.filter(action="survivors.safety.viewed").exists()


def test_documenter_may_record_at_intake(documenter: User, file: SurvivorFile) -> None:
    assert actions.record_safety_assessment(documenter, file, safety()).pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"review_on": dt.date(2000, 1, 1)}, "review_on"),
        ({"review_on": timezone.localdate() + dt.timedelta(days=800)}, "review_on"),
        ({"contact_methods": "  "}, "contact_methods"),
        ({"code_word": "x" * 101}, "code_word"),
        ({"threats": "x" * 4001}, "threats"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    coordinator: User, file: SurvivorFile, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.record_safety_assessment(coordinator, file, safety(**fields))
    assert field in exc.value.message_dict
    assert not SafetyAssessment.objects.exists()
    assert not AuditEntry.objects.filter(action="survivors.safety.recorded").exists()


def test_no_warning_about_a_person_who_is_not_a_survivor(coordinator: User, acme: object) -> None:
    other = violations_actions.create_person(None, acme, full_name="Olena Shevchenko")
    assert warnings_for(coordinator, other) == []


def test_a_survivor_without_assessment_is_a_warning(coordinator: User, file: SurvivorFile) -> None:
    [warning] = warnings_for(coordinator, file.person)
    assert "no safety assessment" in str(warning.text)
    assert warning.code == file.person.code


def test_known_threats_and_an_overdue_review_are_warnings(
    coordinator: User, viewer: User, file: SurvivorFile
) -> None:
    assessment = actions.record_safety_assessment(coordinator, file, safety())
    texts = [str(w.text) for w in warnings_for(coordinator, file.person)]
    assert texts == ["Known threats: contact only as the safety assessment says."]
    past = timezone.localdate() - dt.timedelta(days=3)
    SafetyAssessment.objects.filter(pk=assessment.pk).update(review_on=past)
    texts = [str(w.text) for w in warnings_for(coordinator, file.person)]
    assert any("overdue" in t for t in texts)
    # the warning never carries the assessment's words
    assert not any("Dmytro" in t or "kettle" in t for t in texts)
    # the coordinator gets the link to the assessment, the viewer only the warning
    assert warnings_for(coordinator, file.person)[0].url
    assert warnings_for(viewer, file.person)[0].url == ""


def test_warnings_for_many_take_one_query(
    coordinator: User, file: SurvivorFile, acme: object, django_assert_num_queries: object
) -> None:
    ids = [file.person_id]
    for n in range(5):
        person = violations_actions.create_person(None, acme, full_name=f"Person {n}")
        actions.open_survivor_file(coordinator, person)
        ids.append(person.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        found = warnings_for_many(coordinator, ids)
    assert len(found) == 6
