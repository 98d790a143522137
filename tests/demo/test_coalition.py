"""The demo's frame without building it: the coalition's plan (organisations, countries,
people for every role, reserved addresses), a seeded context that names people the same way
twice, random passwords, and the registry of demo steps."""

from __future__ import annotations

import pycountry
import pytest

from justicework import demo
from justicework.core.models import Organisation
from justicework.core.roles import Role
from justicework.demo import coalition


def test_the_plan_has_one_secretariat_and_every_kind_of_organisation():
    keys = [plan.key for plan in coalition.PLAN]
    assert len(keys) == len(set(keys))
    kinds = [plan.kind for plan in coalition.PLAN]
    assert kinds.count(Organisation.Kind.SECRETARIAT) == 1
    assert set(kinds) == set(Organisation.Kind.values) - {Organisation.Kind.GRANTEE}
    assert sum(1 for k in kinds if k == Organisation.Kind.MEMBER) == 8


def test_every_organisation_works_in_real_countries_in_a_known_locale():
    for plan in coalition.PLAN:
        assert plan.countries
        assert all(pycountry.countries.get(alpha_2=c) for c in plan.countries), plan.key
        assert plan.locale in coalition.LOCALES and coalition.NAME_TEMPLATES[plan.locale]


def test_every_role_has_a_person_in_the_first_member():
    roles = {role for key, role in coalition.PEOPLE if key == "member-1"}
    assert roles == set(Role.values)
    assert {key for key, _role in coalition.PEOPLE} <= {plan.key for plan in coalition.PLAN}


def test_every_address_is_under_the_reserved_test_domain():
    emails = [coalition._email(key, role) for key, role in coalition.PEOPLE]
    assert len(emails) == len(set(emails))
    assert all(e.endswith(".demo.test") for e in emails)
    assert coalition._email("member-1", "legal_analyst") == "legal-analyst@member-1.demo.test"
    assert coalition.SUPERUSER_EMAIL.endswith("@demo.test")


def test_passwords_are_random_not_seeded():
    passwords = {coalition.new_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(p) == 26 and p.count("-") >= 2 for p in passwords)


def test_a_seeded_context_names_the_same_people_and_draws_the_same_choices():
    def draw(seed: int) -> tuple[list[str], list[float]]:
        ctx = coalition.make_context(seed)
        names = [ctx.faker[locale].name() for locale in coalition.LOCALES]
        return names, [ctx.random.random() for _ in range(3)]

    assert draw(42) == draw(42)
    assert draw(42) != draw(43)
    assert coalition.make_context(42).seed == 42


def test_the_context_finds_organisations_and_people_by_key():
    ctx = coalition.make_context(1)
    org, user = object(), object()
    ctx.organisations["member-1"] = org  # type: ignore[assignment]
    ctx.users[("member-1", Role.DOCUMENTER)] = user  # type: ignore[assignment]
    assert ctx.org("member-1") is org
    assert ctx.user("member-1", Role.DOCUMENTER) is user
    with pytest.raises(KeyError):
        ctx.org("member-9")
    with pytest.raises(KeyError):
        ctx.user("member-1", Role.VIEWER)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(demo, "_STEPS", [])


def test_steps_run_by_order_then_registration(registry):
    def a(ctx): ...
    def b(ctx): ...
    def c(ctx): ...

    demo.register(a, order=300)
    demo.register(b, order=100)
    demo.register(c, order=300)
    assert demo.steps() == [b, a, c]


def test_registering_a_step_again_replaces_it(registry):
    def a(ctx): ...
    def b(ctx): ...

    demo.register(a, order=100)
    demo.register(b, order=200)
    assert demo.register(a, order=300) is a
    assert demo.steps() == [b, a]


def test_the_demo_app_registers_its_steps_in_dependency_order():
    from justicework.demo import evidence, grants, law, survivors, violations

    order = [violations.build, evidence.build, survivors.build, law.build, grants.build]
    registered = [step for step in demo.steps() if step in order]
    assert registered == order
