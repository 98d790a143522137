"""``justicework demo``: the fictional coalition, idempotent, a user for each role, MFA usable."""

from __future__ import annotations

import re
from io import StringIO

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from justicework import demo, search
from justicework.audit.models import AuditEntry
from justicework.core import policy
from justicework.core.models import Membership, Organisation, User
from justicework.core.roles import Role
from justicework.demo import DemoContext, coalition

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Authenticator.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_builds_the_coalition_with_the_required_counts() -> None:
    run_demo()
    kinds = Organisation.objects.filter(slug__startswith="demo-")
    assert kinds.filter(kind=Organisation.Kind.MEMBER).count() == 8
    assert kinds.filter(kind=Organisation.Kind.SECRETARIAT).count() == 1
    assert kinds.filter(kind=Organisation.Kind.ASSOCIATE).count() == 2
    partners = kinds.filter(kind=Organisation.Kind.LOCAL_PARTNER)
    assert partners.count() >= 4
    assert len({c for p in partners for c in p.countries}) >= 4


def test_every_role_has_a_user_and_a_superuser_exists() -> None:
    run_demo()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(is_superuser=True, email=coalition.SUPERUSER_EMAIL).exists()


def test_second_run_changes_nothing_and_prints_no_password() -> None:
    first = run_demo()
    before = snapshot()
    second = run_demo()
    assert snapshot() == before
    assert "already exists" in second
    assert "password: " not in second
    assert "TOTP secret" not in second
    assert first.count("password: ") == len(coalition.PEOPLE) + 1


def test_printed_password_and_totp_secret_let_a_person_sign_in(client: Client) -> None:
    output = run_demo()
    block = re.search(
        r"documenter@member-1\.demo\.test\n.*?password: (\S+)\n"
        r"\s+MFA TOTP secret \(base32\): (\S+)",
        output,
        re.S,
    )
    assert block is not None
    password, secret = block.groups()
    user = User.objects.get(email="documenter@member-1.demo.test")
    assert user.check_password(password)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(pyotp.TOTP(secret).now())
    assert client.login(email=user.email, password=password)


def test_roles_without_mfa_get_no_authenticator() -> None:
    run_demo()
    viewer = User.objects.get(email="viewer@member-1.demo.test")
    assert not viewer.requires_mfa
    assert not Authenticator.objects.filter(user=viewer).exists()
    for user in User.objects.filter(email__endswith=coalition.EMAIL_DOMAIN):
        if user.requires_mfa:
            assert Authenticator.objects.filter(user=user, type="totp").exists(), user.email


def _names_for(seed: int) -> list[str]:
    with transaction.atomic():
        run_demo("--seed", str(seed))
        names = sorted(
            [
                *Organisation.objects.values_list("name", flat=True),
                *User.objects.values_list("display_name", flat=True),
            ]
        )
        transaction.set_rollback(True)
    return names


def test_names_are_generated_from_the_seed_and_addresses_are_reserved() -> None:
    assert _names_for(3) == _names_for(3)
    assert _names_for(3) != _names_for(4)
    run_demo()
    emails = User.objects.values_list("email", flat=True)
    assert emails and all(
        e.endswith("." + coalition.EMAIL_DOMAIN) or e.endswith("@" + coalition.EMAIL_DOMAIN)
        for e in emails
    )


def test_demo_organisations_are_searchable() -> None:
    run_demo()
    root = User.objects.get(email=coalition.SUPERUSER_EMAIL)
    assert (
        search.filter_queryset(policy.visible(root, Organisation, "view"), "secretariat").count()
        == 1
    )


def test_registered_steps_run_in_order_on_every_run() -> None:
    calls: list[tuple[str, bool]] = []

    def late(ctx: DemoContext) -> None:
        calls.append(("late", ctx.created))

    def early(ctx: DemoContext) -> None:
        assert ctx.org("member-1").kind == Organisation.Kind.MEMBER
        assert ctx.user("member-1", Role.DOCUMENTER).email == "documenter@member-1.demo.test"
        calls.append(("early", ctx.created))

    demo.register(late, order=200)
    demo.register(early, order=10)
    try:
        run_demo()
        run_demo()
    finally:
        demo._STEPS[:] = [r for r in demo._STEPS if r.step not in (late, early)]
    assert calls == [("early", True), ("late", True), ("early", False), ("late", False)]


def test_demo_refuses_to_run_in_production(settings: object) -> None:
    from django.core.management.base import CommandError

    settings.PRODUCTION = True  # type: ignore[attr-defined]  # pytest-django settings fixture
    with pytest.raises(CommandError, match="JUSTICEWORK_PRODUCTION"):
        run_demo()
    assert not Organisation.objects.exists()
