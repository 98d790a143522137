"""Synthetic data for the grants benchmarks: a programme with one call, applicant organisations
and their legal entities, applications in review, and reviewers (rows bulk-created directly, as
a bench may; the code under measure runs through its actions and pages)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

LANGUAGES = ("en", "fr", "uk", "ar")


def staff(name: str) -> tuple[Any, Any]:
    """The programme's organisation and its officer."""
    from justicework.core import actions as core_actions
    from justicework.core.models import Organisation
    from justicework.core.roles import Role

    org = core_actions.create_organisation(
        None, name=name, kind=Organisation.Kind.MEMBER, countries=["UA"]
    )
    officer = core_actions.create_user(None, email=f"officer@{org.slug}.test", password=None)
    core_actions.add_member(None, org, officer, Role.PROGRAMME_OFFICER)
    return org, officer


def call_of(org: Any, reference: str) -> Any:
    from django.utils import timezone

    from justicework.grants.models import Call, Criterion, Programme

    programme = Programme.objects.create(organisation=org, name=f"Fund {reference}", currency="EUR")
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        organisation=org,
        reference=reference,
        title={"en": reference},
        status=Call.Status.UNDER_REVIEW,
        currency="EUR",
        budget=Decimal("5000000"),
        amount_min=Decimal("1000"),
        amount_max=Decimal("60000"),
        amount_method="actual_costs",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=1),
        reviews_per_application=3,
    )
    for order, (code, weight, top) in enumerate(
        (("relevance", 2, 10), ("capacity", 1, 10), ("women_led", 1, 5)), start=1
    ):
        Criterion.objects.create(
            call=call,
            order=order,
            code=code,
            title={"en": code},
            weight=Decimal(weight),
            max_score=top,
            threshold=Decimal("5") if code == "relevance" else None,
        )
    return call


def applications(call: Any, count: int, seed: int = 15) -> list[Any]:
    """``count`` applications in review, each of its own applicant, languages mixed."""
    from justicework.core.models import Organisation
    from justicework.grants.models import Application, LegalEntity

    rng = random.Random(seed)
    tag = call.reference.lower()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"{tag} applicant {n}", slug=f"{tag}-app-{n}", kind="grantee", countries=["UA"]
        )
        for n in range(count)
    )
    entities = LegalEntity.objects.bulk_create(
        LegalEntity(
            organisation=o,
            legal_name=o.name,
            legal_form="ngo",
            country="UA",
            registration_number=f"{tag}{n}",
            identity_key=f"UA:{tag.upper()}{n}",
        )
        for n, o in enumerate(orgs)
    )
    return Application.objects.bulk_create(
        Application(
            call=call,
            applicant=e,
            reference=f"{call.reference}-{n:05d}",
            title=f"Project {n}",
            language=rng.choice(LANGUAGES),
            currency="EUR",
            status=Application.Status.IN_REVIEW,
            requested_amount=Decimal(rng.randint(5, 60) * 1000),
            answers={"summary": "A local project."},
        )
        for n, e in enumerate(entities)
    )


def reviewers(org: Any, count: int, seed: int = 15) -> list[Any]:
    """``count`` reviewers of ``org``, each reading English and one or two other languages."""
    from justicework.core.models import Membership, User
    from justicework.grants.models.review import ReviewerProfile

    rng = random.Random(seed)
    users = [
        User.objects.create(username=f"rev{n}-{org.slug}", email=f"rev{n}@{org.slug}.test")
        for n in range(count)
    ]
    Membership.objects.bulk_create(
        Membership(user=u, organisation=org, role="reviewer") for u in users
    )
    ReviewerProfile.objects.bulk_create(
        ReviewerProfile(
            user=u, languages=sorted({"en", *rng.sample(LANGUAGES[1:], rng.randint(1, 2))})
        )
        for u in users
    )
    return users


def conflicts(
    call: Any, users: list[Any], apps: list[Any], per_reviewer: int, seed: int = 15
) -> int:
    """Each reviewer declares conflicts with ``per_reviewer`` random applicants."""
    from justicework.grants.models.review import ConflictDeclaration, DeclaredConflict

    rng = random.Random(seed)
    declarations = ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(call=call, reviewer=u) for u in users
    )
    rows = [
        DeclaredConflict(declaration=d, entity_id=app.applicant_id, kind="relationship")
        for d in declarations
        for app in rng.sample(apps, per_reviewer)
    ]
    DeclaredConflict.objects.bulk_create(rows)
    return len(rows)
