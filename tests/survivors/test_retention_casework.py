"""Retention of a survivor's casework: each record type (safety, interview, participation,
victim status, information, referral, plan) is anonymised (free text gone, every other field
kept) or deleted by its schedule, is stopped by a legal hold either way, is audited, and goes
with its file when the file is anonymised or deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Model
from django.utils import timezone

from justicework.audit.models import AuditEntry
from justicework.core.models import Organisation, User
from justicework.survivors import actions, retention_types
from justicework.survivors.models import (
    LegalHold,
    RetentionDone,
    RetentionSchedule,
    SupportAction,
    SurvivorFile,
    SurvivorPageCode,
    VictimStatusApplication,
)
from justicework.violations.models import Person
from tests.survivors.casework_helpers import (
    MODELS,
    PLAIN_TEXT,
    Casework,
    casework,
    encrypted_fields,
    plan_actions,
)
from tests.survivors.retention_helpers import old_file, schedule

pytestmark = pytest.mark.django_db
ANONYMISE, DELETE = RetentionSchedule.Action.ANONYMISE, RetentionSchedule.Action.DELETE
LATER = dt.timedelta(days=400)
#: models pointing at a survivor file that are no record type of their own, and why
NOT_TYPES = {
    "survivors.consentdecision": "the gate's history: kept with its consent, deleted with it",
    "survivors.survivorstatistics": "the statistical copy anonymisation keeps",
    "survivors.legalhold": "the holds themselves",
    "survivors.survivorpagecode": "deleted when the file is anonymised or deleted",
}


def _first_event(name: str) -> str:
    return next(iter(retention_types.get(name).start_events))


def _values(row: Model) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def _rows(case: Casework, name: str) -> list[Model]:
    model = MODELS[name]
    return list(model._default_manager.filter(pk__in=case.rows[name]).order_by("pk"))


@pytest.fixture
def case(coordinator: User, acme: Organisation) -> Casework:
    return casework(old_file(acme, coordinator), coordinator)


def test_every_record_type_names_real_fields_and_handlers() -> None:
    for record_type in retention_types.record_types().values():
        model = record_type.model_class()
        for _label, field_name in record_type.start_events.values():
            assert isinstance(model._meta.get_field(field_name), models.DateField), field_name
        assert all(callable(record_type.handler(a)) for a in ("anonymise", "delete"))


def test_every_model_of_a_survivor_file_is_a_record_type_or_goes_with_one() -> None:
    """A new model holding a file's records must be declared to retention (or say why not)."""
    declared = {t.model.lower() for t in retention_types.record_types().values()}
    for model in apps.get_models():
        points_at_file = any(
            isinstance(f, models.ForeignKey) and f.related_model is SurvivorFile
            for f in model._meta.concrete_fields
        )
        label = model._meta.label_lower
        if points_at_file:
            assert label in declared or label in NOT_TYPES, label
    assert {f"survivors.{m.__name__.lower()}" for m in MODELS.values()} <= declared


@pytest.mark.parametrize("name", sorted(MODELS))
def test_anonymising_a_record_wipes_its_free_text_and_keeps_the_rest(
    name: str, admin: User, acme: Organisation, case: Casework
) -> None:
    before = {row.pk: _values(row) for row in _rows(case, name)}
    before_actions = {a.pk: _values(a) for a in plan_actions(case)}
    schedule(admin, acme, days=365, record_type=name, event=_first_event(name))
    report = actions.apply_retention(admin, acme, now=timezone.now() + LATER)
    assert sorted(d.row_id for d in report.done) == case.rows[name]
    model = MODELS[name]
    wiped = {*encrypted_fields(model), *PLAIN_TEXT.get(model, ())}
    for row in _rows(case, name):
        after = _values(row)
        assert all(after[f] in (None, "") for f in wiped), name
        kept = {k: v for k, v in before[row.pk].items() if k not in wiped}
        assert {k: after[k] for k in kept} == kept
    if name == "survivors.plan":
        for action in plan_actions(case):
            assert action.description is None
            assert _values(action) | {"description": None} == before_actions[action.pk] | {
                "description": None
            }
    done = RetentionDone.objects.filter(record_type=name).values_list("record_id", flat=True)
    assert sorted(done) == case.rows[name]
    entries = AuditEntry.objects.filter(action="survivors.retention.anonymise")
    assert sorted(int(e.object_id) for e in entries) == case.rows[name]
    assert all(e.diff["record_type"] == name for e in entries)
    assert Person.objects.get(pk=case.file.person_id).full_name  # the identity is another type


@pytest.mark.parametrize("name", sorted(MODELS))
def test_deleting_a_record_removes_it_and_leaves_the_file(
    name: str, admin: User, acme: Organisation, case: Casework
) -> None:
    schedule(admin, acme, action=DELETE, days=365, record_type=name, event=_first_event(name))
    report = actions.apply_retention(admin, acme, now=timezone.now() + LATER)
    assert report.failed == [] and len(report.done) == len(case.rows[name])
    assert _rows(case, name) == []
    if name == "survivors.plan":
        assert not SupportAction.objects.filter(plan_id__in=case.rows[name]).exists()
    assert SurvivorFile.objects.filter(pk=case.file.pk).exists()
    entries = AuditEntry.objects.filter(action="survivors.retention.delete")
    assert sorted(int(e.object_id) for e in entries) == case.rows[name]
    others = [n for n in MODELS if n != name]
    assert all(_rows(case, other) for other in others)


@pytest.mark.parametrize("action", [ANONYMISE, DELETE])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_legal_hold_stops_each_record_type(
    name: str, action: str, admin: User, acme: Organisation, case: Casework
) -> None:
    before = [_values(row) for row in _rows(case, name)]
    schedule(admin, acme, action=action, days=365, record_type=name, event=_first_event(name))
    hold = actions.set_legal_hold(admin, case.file, reason="ICC-01/22-7 victims' counsel")
    later = timezone.now() + LATER
    report = actions.apply_retention(admin, acme, now=later)
    assert report.done == [] and len(report.held) == len(case.rows[name])
    assert [_values(row) for row in _rows(case, name)] == before
    assert not AuditEntry.objects.filter(action=f"survivors.retention.{action}").exists()
    actions.lift_legal_hold(admin, hold)
    assert len(actions.apply_retention(admin, acme, now=later).done) == len(case.rows[name])


def test_deleting_one_state_of_an_application_keeps_the_rest_a_chain(
    admin: User, acme: Organisation, case: Casework
) -> None:
    from justicework.survivors.actions.retention_casework import delete_victim_status

    first, second = _rows(case, "survivors.victim_status")
    third = actions.record_application(
        admin, case.file, actions.Application("icc", "withdrawn"), second
    )
    delete_victim_status(VictimStatusApplication.objects.get(pk=second.pk))
    assert VictimStatusApplication.objects.get(pk=third.pk).supersedes_id == first.pk
    delete_victim_status(VictimStatusApplication.objects.get(pk=first.pk))
    assert VictimStatusApplication.objects.get(pk=third.pk).supersedes_id is None


def test_anonymising_the_file_anonymises_all_its_casework(
    admin: User, acme: Organisation, case: Casework
) -> None:
    hold = actions.set_legal_hold(admin, case.file, reason="Case KV-17/2026, witness 4")
    lifted = actions.lift_legal_hold(admin, hold)
    schedule(admin, acme)
    assert [d.file_id for d in actions.apply_retention(admin, acme).done] == [case.file.pk]
    kept = LegalHold.objects.get(pk=hold.pk)  # the hold's history stays, its reason goes
    assert kept.reason is None and kept.lifted_at == lifted.lifted_at is not None
    for name, model in MODELS.items():
        for row in _rows(case, name):
            assert all(getattr(row, f) is None for f in encrypted_fields(model)), name
            assert all(getattr(row, f) == "" for f in PLAIN_TEXT.get(model, ())), name
    assert all(a.description is None for a in plan_actions(case))
    assert not SurvivorPageCode.objects.filter(file=case.file).exists()


def test_deleting_the_file_deletes_all_its_casework_and_the_person(
    admin: User, acme: Organisation, case: Casework
) -> None:
    schedule(admin, acme, action=DELETE)
    report = actions.apply_retention(admin, acme)
    assert report.failed == [] and [d.file_id for d in report.done] == [case.file.pk]
    assert all(_rows(case, name) == [] for name in MODELS)
    assert not SupportAction.objects.exists() and not SurvivorPageCode.objects.exists()
    assert not Person.objects.filter(pk=case.file.person_id).exists()


def test_records_deleted_with_their_file_earlier_in_a_run_are_reported_gone(
    admin: User, acme: Organisation, case: Casework
) -> None:
    schedule(admin, acme, action=DELETE, days=30)  # the file: due first
    schedule(admin, acme, action=DELETE, days=365, record_type="survivors.interview", event="held")
    report = actions.apply_retention(admin, acme, now=timezone.now() + LATER)
    assert report.failed == []
    assert [d.file_id for d in report.done] == [case.file.pk]
    assert [d.row_id for d in report.gone] == case.rows["survivors.interview"]
    assert AuditEntry.objects.filter(action="survivors.retention.delete").count() == 1


@pytest.mark.parametrize("who", ["coordinator", "viewer", "documenter", "beacon_admin"])
def test_only_an_admin_of_the_organisation_applies_casework_schedules(
    who: str, request: pytest.FixtureRequest, admin: User, acme: Organisation, case: Casework
) -> None:
    from django.core.exceptions import PermissionDenied

    schedule(admin, acme, record_type="survivors.interview", event="held")
    with pytest.raises(PermissionDenied):
        actions.apply_retention(request.getfixturevalue(who), acme, now=timezone.now() + LATER)
    (interview,) = _rows(case, "survivors.interview")
    assert interview.narrative  # type: ignore[attr-defined]  # an Interview


def test_admin_schedules_a_casework_type_on_the_page_and_sees_it_due(
    login: Any, admin: User, acme: Organisation, case: Casework
) -> None:
    from django.urls import reverse

    from justicework.survivors.models import Interview

    Interview.objects.filter(file=case.file).update(held_at=timezone.now() - dt.timedelta(10))
    client = login(admin)
    page = reverse("survivors:retention")
    form = client.get(page).content.decode()
    assert '<optgroup label="Interview (narratives, interpreter)">' in form
    response = client.post(
        page,
        {"record_type": "survivors.interview", "start_event": "held", "period_days": "7",
         "action": "anonymise"},
    )  # fmt: skip
    assert response.status_code == 302
    listed = client.get(page).content.decode()
    assert case.file.person.code in listed and "Interview (narratives, interpreter)" in listed
    refused = client.post(
        page,
        {"record_type": "survivors.safety", "start_event": "held", "period_days": "7",
         "action": "anonymise"},
    )  # fmt: skip
    assert refused.status_code == 422 and "start_event" in refused.context["form"].errors
    assert not RetentionSchedule.objects.filter(record_type="survivors.safety").exists()


def test_the_command_and_the_page_say_which_records_went_with_their_file(
    login: Any, admin: User, coordinator: User, acme: Organisation, case: Casework
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from justicework.survivors.models import Interview

    Interview.objects.filter(file=case.file).update(held_at=timezone.now() - dt.timedelta(10))
    schedule(admin, acme, action=DELETE, days=30)
    schedule(admin, acme, action=DELETE, days=7, record_type="survivors.interview", event="held")
    out = StringIO()
    call_command("survivors", "retention", "apply", "--as", admin.email, stdout=out)
    assert "gone with its survivor file" in out.getvalue()
    assert not SurvivorFile.objects.filter(pk=case.file.pk).exists()
    again = casework(old_file(acme, coordinator), coordinator)
    Interview.objects.filter(file=again.file).update(held_at=timezone.now() - dt.timedelta(10))
    response = login(admin).post(reverse("survivors:retention_apply"), follow=True)
    assert "1 records had gone already" in response.content.decode()


def test_a_refused_file_deletion_leaves_all_its_casework_as_it_was(
    admin: User, acme: Organisation, case: Casework
) -> None:
    from tests.violations.conftest import make_incident, make_violation

    make_violation(make_incident(acme), victim=case.file.person)
    before = {name: [_values(row) for row in _rows(case, name)] for name in MODELS}
    schedule(admin, acme, action=DELETE)
    report = actions.apply_retention(admin, acme)
    assert report.done == [] and len(report.failed) == 1
    assert {name: [_values(row) for row in _rows(case, name)] for name in MODELS} == before
    assert SurvivorPageCode.objects.filter(file=case.file).exists()
