"""Interviews: recording (who may, bad input, the repeat reason, the sexual-violence purpose),
the earlier accounts (interviews and testimonies, through the policy and consent), unfolding a
narrative as an audited read, and the report of persons interviewed often."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import User
from justicework.core.uses import Scope
from justicework.survivors import actions, interview_history
from justicework.survivors.models import Interview, SurvivorFile
from justicework.violations import actions as violations_actions
from tests.survivors.conftest import give, withdraw

pytestmark = pytest.mark.django_db
SV = Interview.Purpose.SEXUAL_VIOLENCE


def data(**fields: Any) -> actions.InterviewData:
    values: dict[str, Any] = {
        "held_at": timezone.now() - dt.timedelta(hours=2),
        "interviewer_gender": "female",
        "preferred_gender": "female",
        "place": "office",
        "duration_minutes": 75,
        "breaks": 2,
        "purposes": ["documentation"],
        "first_aid_given": True,
        "narrative": "They came at night through the orchard.",
    }
    values.update(fields)
    return actions.InterviewData(**values)


def test_documenter_records_an_interview_encrypted_and_absent_from_the_audit(
    documenter: User, file: SurvivorFile
) -> None:
    interpreted = data(interpreter="Ivan Petrenko", interpreter_gender="male")
    interview = actions.record_interview(documenter, file, interpreted)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT narrative, interpreter FROM survivors_interview WHERE id = %s", [interview.pk]
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "orchard" not in raw and "Petrenko" not in raw
    entry = AuditEntry.objects.get(action="survivors.interview.recorded")
    assert "orchard" not in str(entry.diff) and entry.diff["earlier"] == 0


@pytest.mark.parametrize("who", ["viewer", "analyst", "outsider", "loner"])
def test_others_may_not_record_an_interview(
    request: pytest.FixtureRequest, who: str, file: SurvivorFile
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_interview(request.getfixturevalue(who), file, data())
    assert not Interview.objects.exists()


def test_a_repeat_interview_needs_a_reason(documenter: User, file: SurvivorFile) -> None:
    actions.record_interview(documenter, file, data())
    with pytest.raises(ValidationError) as exc:
        actions.record_interview(documenter, file, data())
    assert "1 earlier interviews or statements" in exc.value.message_dict["repeat_reason"][0]
    assert Interview.objects.count() == 1
    actions.record_interview(documenter, file, data(repeat_reason="The ICC asked about dates."))
    assert Interview.objects.count() == 2


def test_an_earlier_testimony_counts_too(
    documenter: User, coordinator: User, file: SurvivorFile
) -> None:
    give(coordinator, file, Scope.DOCUMENTATION)
    violations_actions.create_source(
        None, file.organisation, kind="testimony", title="Statement to the hotline",
        person=file.person,
    )  # fmt: skip
    earlier = interview_history.earlier_accounts(documenter, file)
    assert [s.title for s in earlier.sources] == ["Statement to the hotline"]
    with pytest.raises(ValidationError) as exc:
        actions.record_interview(documenter, file, data())
    assert "repeat_reason" in exc.value.message_dict
    # a withdrawn consent hides the statement (the gate): nothing earlier to weigh then
    withdraw(coordinator, file, Scope.DOCUMENTATION)
    assert interview_history.earlier_accounts(documenter, file).sources == []


def test_sexual_violence_questions_need_that_purpose(documenter: User, file: SurvivorFile) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.record_interview(documenter, file, data(sexual_violence_narrative="Q: ... A: ..."))
    assert (
        "only when that purpose was declared"
        in (exc.value.message_dict["sexual_violence_narrative"][0])
    )
    assert not Interview.objects.exists()
    done = actions.record_interview(
        documenter, file,
        data(purposes=["documentation", SV], sexual_violence_narrative="Q: ... A: ..."),
    )  # fmt: skip
    assert done.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"purposes": []}, "purposes"),
        ({"purposes": ["gossip"]}, "purposes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"breaks": -1}, "breaks"),
        ({"place": "car park"}, "place"),
        ({"interviewer_gender": "x"}, "interviewer_gender"),
        ({"interpreter": "Ivan"}, "interpreter_gender"),
        ({"held_at": timezone.now() + dt.timedelta(days=2)}, "held_at"),
    ],
)
def test_bad_input_names_the_field(
    documenter: User, file: SurvivorFile, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.record_interview(documenter, file, data(**fields))
    assert field in exc.value.message_dict
    assert not Interview.objects.exists()


def test_unfolding_a_narrative_is_an_audited_read(
    documenter: User, viewer: User, file: SurvivorFile
) -> None:
    interview = actions.record_interview(documenter, file, data())
    assert actions.unfold_narrative(documenter, interview, "narrative").startswith("They came")
    entry = AuditEntry.objects.get(action="survivors.interview.narrative_read")
    assert entry.diff == {"file": file.pk, "part": "narrative"}
    with pytest.raises(PermissionDenied):
        actions.unfold_narrative(viewer, interview, "narrative")
    with pytest.raises(ValidationError):
        actions.unfold_narrative(documenter, interview, "everything")
    assert AuditEntry.objects.filter(action="survivors.interview.narrative_read").count() == 1


def test_report_lists_persons_interviewed_more_than_the_limit(
    documenter: User, coordinator: User, viewer: User, file: SurvivorFile, acme: Any,
    settings: Any, django_assert_num_queries: Any,
) -> None:  # fmt: skip
    settings.SURVIVORS_INTERVIEW_LIMIT = 2
    give(coordinator, file, Scope.DOCUMENTATION)
    for n in range(3):
        actions.record_interview(documenter, file, data(repeat_reason=f"reason {n}" if n else ""))
    other = violations_actions.create_person(None, acme, full_name="Olena Shevchenko")
    other_file = actions.open_survivor_file(coordinator, other)
    give(coordinator, other_file, Scope.DOCUMENTATION)
    actions.record_interview(documenter, other_file, data())
    coordinator.forget_memberships()
    interview_history.interviewed_often(coordinator)  # memberships loaded
    with django_assert_num_queries(1):
        rows = interview_history.interviewed_often(coordinator)
    assert [(r.person_id, r.interviews) for r in rows] == [(file.person_id, 3)]
    assert interview_history.interviewed_often(viewer) == []
    withdraw(coordinator, file, Scope.DOCUMENTATION)
    assert interview_history.interviewed_often(coordinator) == []
