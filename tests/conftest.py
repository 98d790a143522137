"""The named cast (STYLE 9): the same organisations and people in every test.

* ``acme`` — a coalition member organisation; ``beacon`` — a second member organisation.
* ``admin`` (org admin of acme), ``analyst`` (legal analyst), ``documenter``, ``coordinator``
  (support coordinator), ``officer`` (programme officer), ``reviewer``, ``viewer`` — all of acme.
* ``outsider`` — documenter of beacon only; ``beacon_admin`` — admin of beacon.
* ``loner`` — a user with no membership; ``superuser`` — the platform administrator.

Use the ``cast`` fixture (a namespace) or the single-name fixtures.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.db import connection

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role

PASSWORD = "correct horse battery staple 42"


def make_user(email: str, *, superuser: bool = False) -> User:
    return actions.create_user(
        None,
        email=email,
        password=PASSWORD,
        is_superuser=superuser,
        display_name=email.split("@")[0].title(),
    )


def make_org(
    name: str, kind: str = Organisation.Kind.MEMBER, countries: list[str] | None = None
) -> Organisation:
    return actions.create_organisation(None, name=name, kind=kind, countries=countries or ["UA"])


def build_cast() -> SimpleNamespace:
    acme = make_org("Acme Rights Watch", countries=["UA", "GE"])
    beacon = make_org("Beacon Justice Centre", countries=["CD"])
    people = {}
    for name, role in [
        ("admin", Role.ORG_ADMIN),
        ("analyst", Role.LEGAL_ANALYST),
        ("documenter", Role.DOCUMENTER),
        ("coordinator", Role.SUPPORT_COORDINATOR),
        ("officer", Role.PROGRAMME_OFFICER),
        ("reviewer", Role.REVIEWER),
        ("viewer", Role.VIEWER),
    ]:
        user = make_user(f"{name}@acme.test")
        actions.add_member(None, acme, user, role)
        people[name] = user
    outsider = make_user("outsider@beacon.test")
    actions.add_member(None, beacon, outsider, Role.DOCUMENTER)
    beacon_admin = make_user("admin@beacon.test")
    actions.add_member(None, beacon, beacon_admin, Role.ORG_ADMIN)
    loner = make_user("loner@nowhere.test")
    superuser = make_user("root@platform.test", superuser=True)
    for user in [*people.values(), outsider, beacon_admin, loner, superuser]:
        user.forget_memberships()
    return SimpleNamespace(
        acme=acme,
        beacon=beacon,
        outsider=outsider,
        beacon_admin=beacon_admin,
        loner=loner,
        superuser=superuser,
        password=PASSWORD,
        **people,
    )


@pytest.fixture
def cast(db: None) -> SimpleNamespace:
    return build_cast()


def _fixture(name: str):  # type: ignore[no-untyped-def]
    @pytest.fixture(name=name)
    def _f(cast: SimpleNamespace) -> object:
        return getattr(cast, name)

    return _f


for _name in [
    "acme",
    "beacon",
    "admin",
    "analyst",
    "documenter",
    "coordinator",
    "officer",
    "reviewer",
    "viewer",
    "outsider",
    "beacon_admin",
    "loner",
    "superuser",
]:
    globals()[_name] = _fixture(_name)


@pytest.fixture(autouse=True)
def _fresh_keyring() -> None:
    """Data keys live in the test database; forget cached keys between tests."""
    from justicework.encryption.keyring import keyring

    keyring.clear()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_audit_triggers() -> object:
    """Audit rows refuse DELETE/TRUNCATE (``audit/triggers.py``), which would stop the runner
    from emptying tables after ``transactional_db`` tests: lift the triggers for that flush only."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from justicework.audit import triggers

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with triggers.suspended(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]  # test-only patch
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]  # restore


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` need PostgreSQL. Outside CI they are skipped with a clear
    message when the suite is not running on PostgreSQL; with CI=true they fail instead."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if on_postgres:
        return
    in_ci = os.environ.get("CI", "").lower() == "true"
    for item in items:
        if "postgres" in item.keywords and not in_ci:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI runs both)"
                )
            )


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
