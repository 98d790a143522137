"""The other organisation's world: one object of every kind in ``beacon``, each carrying a
marker (a random token no other text contains), so a response that shows any of it is caught.

Every text a person of beacon typed carries a token (``bcn`` + 10 hex digits: HTML- and
JSON-safe, unlike names with accents or apostrophes); pseudonymous codes and beacon's e-mail
addresses are markers as they are. The organisation's name, kind and countries are not markers:
the coalition directory shows them to every member (``core/rules.py`` ``OrganisationRule``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from faker import Faker

from justicework.core import actions as core_actions
from justicework.core.models import AccessGrant, Membership
from justicework.dataio import actions as dataio_actions
from justicework.dataio.models import RowError
from justicework.tasks.actions import start_progress
from justicework.violations import actions
from justicework.violations.actions.grants import CREATOR_REASON

MAPPING_SPEC = {
    "fields": {
        "incident_ref": "Case",
        "incident_title": "Title",
        "country": "Country",
        "type": "Act",
        "date": "When",
        "victim_name": "Victim",
    },
    "key": ["Row"],
    "namespace": "probe",
    "date_formats": ["%d/%m/%Y"],
}


@dataclass
class Beacon:
    """Beacon's objects by kind (``objects["incident"]`` …) and the markers to look for."""

    objects: dict[str, Any] = field(default_factory=dict)
    #: marker text → what it is ("incident title", "person code" …)
    markers: dict[str, str] = field(default_factory=dict)
    #: beacon's own people beside its admin who see parts of its world (grants: the programme
    #: officer, a reviewer, the grantees), by role
    people: dict[str, Any] = field(default_factory=dict)

    def mark(self, what: str, text: str = "") -> str:
        """A fresh token (recorded as a marker of ``what``), appended to ``text`` if given."""
        token = f"bcn{secrets.token_hex(5)}"
        self.markers[token] = what
        return f"{text} {token}".strip()

    def found_in(self, body: str) -> list[tuple[str, str]]:
        """The markers that ``body`` contains, each with what it is."""
        return [(m, what) for m, what in self.markers.items() if m in body]

    def __getitem__(self, kind: str) -> Any:
        return self.objects[kind]


def give_authenticator(user: Any) -> None:
    """A TOTP authenticator through allauth (so its own storage rules apply): an MFA-required
    person then reaches the real page instead of the set-up page."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, pyotp.random_base32())


def _import_run(b: Beacon, admin: Any, org: Any) -> None:
    mapping = dataio_actions.save_mapping(
        admin, org, kind="violations", name=b.mark("mapping name", "Survey"),
        file_format="csv", spec=MAPPING_SPEC,
    )  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Case", "Row", "Title", "Country", "Act", "When", "Victim"])
    title, victim = b.mark("imported incident title", "Raid"), b.mark("imported victim name")
    writer.writerow(["C1", "R1", title, "CD", "killing_in_attack", "01/02/2023", victim])
    run = dataio_actions.start_run(
        admin, org, kind="violations", file_format="csv",
        filename=b.mark("import file name", "survey") + ".csv",
        chunks=[buffer.getvalue().encode()], mapping=mapping,
    )  # fmt: skip
    RowError.objects.create(run=run, row=1, column="Title", reason=b.mark("row error", "bad"))
    b.objects.update(mapping=mapping, run=run)


def _records(b: Beacon, admin: Any, org: Any, fake: Faker) -> None:
    incident = actions.create_incident(
        admin, org, title=b.mark("incident title", "Raid"), country="CD",
        description=b.mark("incident description"), start_date=dt.date(2023, 2, 1),
        locations=[{"place_name": b.mark("place name", "Bunia"), "country": "CD"}],
    )  # fmt: skip
    other = actions.create_incident(
        admin,
        org,
        title=b.mark("second incident title", "Ambush"),
        country="CD",
        start_date=dt.date(2023, 3, 1),
    )
    relation = actions.relate_incidents(
        admin, incident, other, "precedes", note=b.mark("relation note")
    )
    person = actions.create_person(
        admin, org, full_name=b.mark("identity: full name", fake.name()),
        date_of_birth=dt.date(1987, 6, 5), other_names=[b.mark("identity: other name")],
        identity_documents=[{"type": "passport", "number": b.mark("identity: document")}],
    )  # fmt: skip
    b.markers[person.code] = "person code"
    commander = actions.create_person(admin, org, full_name=b.mark("identity: commander name"))
    b.markers[commander.code] = "commander code"
    group = actions.create_victim_group(
        admin, org, description=b.mark("victim group description"), number_of_persons=12
    )
    b.markers[group.code] = "victim group code"
    violation = actions.add_violation(
        admin, incident, type="killing_in_attack", victim=person,
        description=b.mark("violation description"), consequences=b.mark("consequences"),
    )  # fmt: skip
    group_violation = actions.add_violation(admin, other, type="pillage", victim_group=group)
    witness = actions.link_person(admin, group_violation, person, "witness")
    parent = actions.create_unit(admin, org, name=b.mark("parent unit name", "FARDC"),
                                 kind="armed_forces", country="CD")  # fmt: skip
    unit = actions.create_unit(
        admin, org, name=b.mark("unit name", "Brigade"), kind="armed_forces", parent=parent,
        country="CD", aliases=[b.mark("unit alias")], description=b.mark("unit description"),
    )  # fmt: skip
    command = actions.add_unit_commander(admin, unit, commander, title=b.mark("commander title"))
    subordination = actions.add_unit_subordination(
        admin, unit, parent, valid_from=dt.date(2020, 1, 1), note=b.mark("subordination note")
    )
    perpetration = actions.add_perpetration(
        admin, violation, unit=unit, involvement="direct", note=b.mark("perpetration note")
    )
    source = actions.create_source(
        admin, org, kind="witness_testimony", title=b.mark("source title", "Interview"),
        description=b.mark("source description"), incidents=[incident], violations=[violation],
    )  # fmt: skip
    b.objects.update(
        incident=incident, other_incident=other, relation=relation, person=person,
        commander=commander, victim_group=group, violation=violation, person_role=witness,
        unit=unit, parent_unit=parent, command=command, perpetration=perpetration, source=source,
        location=incident.locations.get(), subordination=subordination,
    )  # fmt: skip


def _evidence(b: Beacon, admin: Any, org: Any) -> None:
    """An evidence item (its name and collection record carry markers; its content is not a
    marker: no page shows a file's content until downloads exist), an upload in progress, a
    package and a pending removal request (its reason and legal basis carry markers)."""
    from justicework.evidence import actions as evidence_actions
    from justicework.evidence.intake.receive import receive
    from justicework.evidence.storage import store

    content = f"evidence file content {secrets.token_hex(8)}".encode()
    metadata = {
        "filename": b.mark("evidence file name") + ".txt",
        "collector": b.mark("evidence collector"),
        "method": b.mark("evidence method"),
    }
    upload = evidence_actions.create_upload(admin, org, length=len(content), metadata=metadata)
    offset, states = receive(upload, store().part_path(upload.pk), io.BytesIO(content),
                             len(content), None)  # fmt: skip
    evidence_actions.advance_upload(admin, upload, offset=offset, states=states)
    item = evidence_actions.complete_upload(admin, upload)
    b.markers[item.original.sha256] = "evidence SHA-256"
    pending = evidence_actions.create_upload(
        admin, org, length=10, metadata={"filename": b.mark("pending upload name")}
    )
    from justicework.evidence.actions import package_requests, removals

    package = package_requests.request_package(admin, org, [item.pk])
    removal = removals.request_removal(
        admin, item, reason=b.mark("removal reason"), legal_basis=b.mark("removal legal basis")
    )
    from justicework.evidence.actions import captures

    # recorded, not fetched (a public address literal: no DNS, no network)
    capture = captures.create_capture(admin, org, f"http://93.184.216.34/{b.mark('capture')}")
    link = evidence_actions.link_item(admin, item, b["incident"])
    evidence_actions.record_finding(
        admin, item, level="content", confidence="high", text=b.mark("evidence finding")
    )
    from justicework.evidence.actions import searches

    search = searches.save_search(admin, org, b.mark("saved search"), {"media_type": "text/plain"})
    b.objects.update(evidence_item=item, evidence_upload=pending, evidence_package=package,
                     evidence_removal=removal, evidence_capture=capture,
                     evidence_link=link, evidence_search=search)  # fmt: skip


def _people(b: Beacon, cast: SimpleNamespace) -> None:
    org, admin = cast.beacon, cast.beacon_admin
    for user in (admin, cast.outsider):
        give_authenticator(user)
        b.markers[user.email] = "beacon member e-mail"
    grant = actions.grant_need_to_know(
        admin, cast.outsider, b["person"], reason=b.mark("grant reason"),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip
    incident_grant = actions.grant_incident_access(
        admin, cast.outsider, b["incident"], reason=b.mark("incident grant reason")
    )
    asked_about = actions.create_person(None, org)  # no identity: nothing to leak
    identity_request = actions.request_identity_access(
        cast.outsider, asked_about, reason=b.mark("access request reason")
    )
    token, _secret = core_actions.create_token(
        admin, name=b.mark("token name"), scope="write", expires_in_days=30
    )
    progress = start_progress(
        admin, kind="probe.work", title=b.mark("progress title"), organisation=org
    )
    from allauth.mfa.models import Authenticator

    b.objects.update(
        organisation=org, user=admin, member=Membership.objects.get(user=admin, organisation=org),
        grant=grant, incident_grant=incident_grant, token=token, progress=progress,
        identity_request=identity_request,
        authenticator=Authenticator.objects.filter(user=admin).first(),
        email_address=EmailAddress.objects.get_or_create(
            user=admin, email=admin.email, defaults={"verified": True, "primary": True}
        )[0],
    )  # fmt: skip


def _survivors(b: Beacon, cast: SimpleNamespace) -> None:
    """A survivor file for beacon's person with consent (the survivor's words and the
    interpreter carry markers) and an information sheet, made by a beacon coordinator."""
    from justicework.core.roles import Role
    from justicework.survivors import actions as survivor_actions

    coordinator = core_actions.create_user(
        None, email="coordinator@beacon.example", password="x" * 20, display_name="C"
    )
    core_actions.add_member(None, cast.beacon, coordinator, Role.SUPPORT_COORDINATOR)
    b.markers[coordinator.email] = "beacon member e-mail"
    sheet = survivor_actions.create_information_sheet(
        coordinator, cast.beacon, language="fr", title=b.mark("sheet title"),
        body=b.mark("sheet text"),
    )  # fmt: skip
    file = survivor_actions.open_survivor_file(coordinator, b["person"])
    survivor_actions.record_consent(
        coordinator, file,
        survivor_actions.How(
            given_at=timezone.now(), method="oral", language="fr", sheet=sheet,
            interpreter=b.mark("consent interpreter"), conditions=b.mark("consent conditions"),
        ),
        [survivor_actions.Choice(scope, True) for scope in ("documentation", "sharing")],
    )  # fmt: skip
    b.objects.update(information_sheet=sheet, survivor_file=file)
    _survivor_safety_and_interview(b, coordinator, file)
    _survivor_support(b, coordinator, file)
    hold = survivor_actions.set_legal_hold(
        cast.beacon_admin, file, reason=b.mark("legal hold reason")
    )
    b.objects.update(legal_hold=hold)


def _survivor_support(b: Beacon, coordinator: Any, file: Any) -> None:
    """A provider of beacon's (not shared), a referral of its survivor to it (consented) and a
    support plan with an action, their words marked."""
    from justicework.survivors import actions as survivor_actions

    provider = survivor_actions.create_provider(
        coordinator, file.organisation,
        survivor_actions.ProviderData(
            name=b.mark("provider name"), kind="medical", country="FR",
            contact=b.mark("provider contact"),
        ),
    )  # fmt: skip
    survivor_actions.record_consent(
        coordinator, file,
        survivor_actions.How(given_at=timezone.now(), method="oral", language="fr"),
        [survivor_actions.Choice("referral", True, qualifier=provider.name)],
    )  # fmt: skip
    referral = survivor_actions.create_referral(
        coordinator, file,
        survivor_actions.ReferralData(
            provider=provider, shared_items=["code"], note=b.mark("referral note")
        ),
    )  # fmt: skip
    plan = survivor_actions.save_plan(
        coordinator, file, needs=["medical"], needs_note=b.mark("plan needs")
    )
    action = survivor_actions.add_plan_action(
        coordinator, plan, description=b.mark("plan action"), owner=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    b.objects.update(provider=provider, referral=referral, plan_action=action)


def _survivor_safety_and_interview(b: Beacon, coordinator: Any, file: Any) -> None:
    """A safety assessment and an interview of beacon's survivor, their words marked."""
    from justicework.survivors import actions as survivor_actions

    assessment = survivor_actions.record_safety_assessment(
        coordinator, file,
        survivor_actions.Safety(
            review_on=timezone.localdate() + dt.timedelta(days=30),
            threats=b.mark("safety threats"), contact_methods=b.mark("safe contact"),
            never_tell=b.mark("never tell"), code_word=b.mark("code word"),
        ),
    )  # fmt: skip
    interview = survivor_actions.record_interview(
        coordinator, file,
        survivor_actions.InterviewData(
            held_at=timezone.now(), interviewer_gender="female", preferred_gender="female",
            place="office", duration_minutes=60, purposes=["documentation", "sexual_violence"],
            interpreter=b.mark("interview interpreter"), interpreter_gender="female",
            narrative=b.mark("interview narrative"), repeat_reason=b.mark("repeat reason"),
            sexual_violence_narrative=b.mark("sexual violence narrative"),
        ),
    )  # fmt: skip
    b.objects.update(interview=interview, safety_assessment=assessment)


def _qualification(b: Beacon, admin: Any) -> None:
    """A legal qualification of beacon's violation (its note carries a marker; i14qualify)."""
    from justicework.law.actions_qualifications import decide_qualification

    b.objects["qualification"] = decide_qualification(
        admin, b["violation"], decision="accept", crime_id="8(2)(b)(i)",
        note=b.mark("qualification note"),
    )  # fmt: skip


def _law_cases(b: Beacon, admin: Any, org: Any) -> None:
    """A restricted case file with a charge and a matrix entry on beacon's violation; its
    title, summary and notes carry markers (i14cases)."""
    from justicework.law import actions_cases

    case = actions_cases.create_case_file(
        admin, org, title=b.mark("case title", "Case"), country="CD",
        summary=b.mark("case summary"), restricted=True, team=[admin],
    )  # fmt: skip
    actions_cases.link_records(admin, case, "suspect_units", [b["unit"]])
    charge = actions_cases.add_charge(
        admin, case, crime_id="8(2)(e)(i)", mode_id="28(a)", note=b.mark("charge note")
    )
    entry = actions_cases.add_matrix_entry(
        admin, charge, part="crime", element=1, link=b["violation"], bearing="supports",
        strength="strong", note=b.mark("matrix entry note"),
    )  # fmt: skip
    from justicework.law import actions_command

    command_record = actions_command.add_command_record(
        admin, case, suspect=b["unit"], mode_id="28(a)", element=3, link=b["violation"],
        bearing="supports", strength="weak", note=b.mark("art. 28 record note"),
    )  # fmt: skip
    b.objects.update(
        case_file=case, charge=charge, matrix_entry=entry, command_record=command_record
    )


def _grants_money(b: Beacon, org: Any) -> None:
    """An award of beacon's programme with its agreement, a tranche and a report; the award's
    purpose and the report's narrative carry markers (grmoney)."""
    from tests.grants.money.probe_records import award_with_money

    made = award_with_money(org, b.mark("award purpose"), b.mark("report narrative"))
    b.people["awarded grantee"] = made.pop("grantee_user")
    b.objects.update(made)


def _grant_applications(b: Beacon, cast: SimpleNamespace) -> None:
    """Beacon's programme with an open call, and a grantee's submitted application to it with
    a budget line and a declaration of honour; the texts typed carry markers (grapply)."""
    from justicework.grants import actions_application_budget as budget
    from justicework.grants import actions_application_files as files
    from justicework.grants import actions_applications as grant_actions
    from justicework.grants.models import Programme
    from tests.grants.applications.conftest import complete, pdf_bytes
    from tests.grants.conftest import make_applicant, make_call

    programme = Programme.objects.create(
        organisation=cast.beacon, name="Beacon fund", currency="EUR"
    )
    call = make_call(programme)
    # the organisation's name is in the coalition directory: not a marker
    grantee = make_applicant("Beacon grantee", country="CD")
    application = grant_actions.start_application(
        grantee.user, grantee.entity, call, title=b.mark("application title")
    )
    complete(application, grantee.user, amount="9000")
    grant_actions.save_answers(grantee.user, application, {"summary": b.mark("answer")})
    line = budget.add_budget_line(
        grantee.user, application, activity_type="psychosocial", cost_category="travel",
        amount="100", description=b.mark("budget line"),
    )  # fmt: skip
    attachment = files.add_attachment(
        grantee.user, application, kind="statutes", name=b.mark("file name") + ".pdf",
        chunks=[pdf_bytes()],
    )  # fmt: skip
    grant_actions.submit_application(grantee.user, application)
    b.objects["grant_eligibility_check"] = _grant_eligibility(application)
    b.objects["grant_assignment"] = _grant_assignment(cast, application)
    b.people["grantee"] = grantee.user
    b.people["reviewer"] = b.objects["grant_assignment"].reviewer
    b.objects.update(
        grant_programme=programme, grant_call=call, grant_legal_entity=grantee.entity,
        grant_application=application,
        grant_budget_line=line, grant_attachment=attachment,
    )  # fmt: skip


def _grant_eligibility(application: Any) -> Any:
    """The application's checklist, found from its data by the system (grflow: the API's
    ``check_id``); its declaration item is the one named."""
    from justicework.grants.actions_review import eligibility

    application.refresh_from_db()  # submitted (the action worked on its own copy)
    checks = eligibility.run_checks(None, application)
    return next(c for c in checks if c.item == "declaration")


def _grant_assignment(cast: SimpleNamespace, application: Any) -> Any:
    """A beacon reviewer's assignment to that application (set up as data: eligibility and
    assignment need two staff and a conflict declaration, tested in tests/grants/review)."""
    from justicework.core.roles import Role
    from justicework.grants.models.review import Assignment
    from tests.conftest import make_user

    reviewer = make_user("reviewer@beacon.test")
    core_actions.add_member(None, cast.beacon, reviewer, Role.REVIEWER)
    type(application).objects.filter(pk=application.pk).update(status="in_review")
    return Assignment.objects.create(
        call=application.call, application=application, reviewer=reviewer
    )


def _grant_calls(b: Beacon, org: Any) -> None:
    """A programme of beacon with a draft call (only beacon's programme staff see a draft),
    a criterion, a question and a question asked about it; texts carry markers (grcalls)."""
    from justicework.core.roles import Role
    from justicework.grants import actions_call_items, actions_calls
    from justicework.grants.models import CallAnswer
    from tests.conftest import make_user

    programme = actions_calls.create_programme(None, org, name=b.mark("programme"), currency="EUR")
    now = timezone.now()
    call = actions_calls.create_call(
        None, programme, title={"en": b.mark("call title")}, text={"en": b.mark("call text")},
        budget=100000, amount_min=1000, amount_max=20000, amount_method="lump_sum",
        opens_at=now, closes_at=now + dt.timedelta(days=30),
    )  # fmt: skip
    criterion = actions_call_items.add_criterion(
        None, call, code="relevance", title={"en": b.mark("criterion title")}
    )
    question = actions_call_items.add_question(
        None, call, code="plan", prompt={"en": b.mark("form question")}
    )
    answer = CallAnswer.objects.create(call=call, question={"en": b.mark("asked question")})
    officer = make_user("officer@beacon.test")
    core_actions.add_member(None, org, officer, Role.PROGRAMME_OFFICER)
    b.people["programme officer"] = officer
    b.objects.update(
        grant_programme=programme, grant_call=call, grant_criterion=criterion,
        grant_question=question, grant_call_answer=answer,
    )  # fmt: skip


def build_beacon(cast: SimpleNamespace) -> Beacon:
    """Beacon's world, built through the actions by beacon's own admin."""
    b = Beacon()
    fake = Faker("fr_FR")
    fake.seed_instance(9)
    give_authenticator(cast.beacon_admin)
    _records(b, cast.beacon_admin, cast.beacon, fake)
    _import_run(b, cast.beacon_admin, cast.beacon)
    _evidence(b, cast.beacon_admin, cast.beacon)
    _people(b, cast)
    _survivors(b, cast)
    _qualification(b, cast.beacon_admin)
    _law_cases(b, cast.beacon_admin, cast.beacon)
    _grants_money(b, cast.beacon)
    _grant_applications(b, cast)
    _grant_calls(b, cast.beacon)
    # Beacon's admin recorded the persons, so holds the creator's automatic need-to-know:
    # revoked, so that an identity shows to them only with an explicit grant and a POST.
    for grant in AccessGrant.objects.filter(
        user=cast.beacon_admin, reason=CREATOR_REASON, revoked_at__isnull=True
    ):
        actions.revoke_grant(cast.beacon_admin, grant)
    b.objects["content_type"] = ContentType.objects.get_for_model(type(b["incident"]))
    return b
