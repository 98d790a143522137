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
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from tests import subprocess_db

PASSWORD = "correct horse battery staple 42"


def totp_code(secret: str, margin: float = 5.0) -> str:
    """The current TOTP code for ``secret``, taken at least ``margin`` seconds before its 30 s
    window ends (waiting for the next window otherwise): the server accepts only the current
    window's code, and a browser test takes a moment to submit it."""
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < margin:
        time.sleep(left + 0.05)
    return totp.now()


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
    from tests import cast_snapshot

    return cast_snapshot.cast(build_cast)


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
def _own_grants_files(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Attachments are stored by organisation and content: a rolled-back test leaves a file
    sealed under a key that no longer exists, which the next test's same organisation id and
    same bytes would find (in production ids and keys are never reused)."""
    settings.GRANTS_DIR = tmp_path_factory.mktemp("grants")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_keyring() -> None:
    """Data keys live in the test database; forget cached keys between tests."""
    from justicework.encryption.keyring import keyring

    keyring.clear()


#: The use of person data that tests calling actions, rules and queries directly read under
#: (``core.uses``). A request does not inherit it: the middleware clears the use, so a view
#: without a declared use still fails loudly (``JUSTICEWORK_STRICT_USES``).
DIRECT_USE = "tests.direct"


@pytest.fixture(autouse=True)
def _direct_use() -> object:
    from justicework.core import uses

    uses.register(uses.Use(DIRECT_USE, uses.Scope.DOCUMENTATION, "Tests calling code directly."))
    with uses.using(DIRECT_USE):
        yield


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """A request in another language leaves that language active in the thread (the locale
    middleware does not restore it): start and end every test in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _flush_past_audit_triggers() -> object:
    """Audit rows, custody entries, tombstones and grant decisions refuse DELETE/TRUNCATE
    (``audit/triggers.py``, ``core/append_only.py``), which would stop the runner from emptying
    tables after ``transactional_db`` tests: lift the triggers for that flush only."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from justicework.audit import triggers
    from justicework.evidence import triggers as evidence_triggers
    from justicework.grants import triggers_review

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with (
            triggers.suspended(self.connection),
            evidence_triggers.suspended(self.connection),
            triggers_review.suspended(self.connection),
        ):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]  # test-only patch
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]  # restore


def _postgres_unreachable(url: str) -> str:
    """Why the PostgreSQL server named by ``url`` cannot be reached ("" when it can)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Where PostgreSQL is needed and missing:

    * the suite runs on SQLite (no ``DATABASE_URL=postgres://…``): tests marked ``postgres``
      are skipped with a message, in CI too, because ``.ci/run`` runs them in its PostgreSQL pass;
    * ``DATABASE_URL`` names a PostgreSQL server that does not answer: outside CI every test that
      needs the database is skipped with the reason; with ``CI=true`` the run stops with an error.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        skip = pytest.mark.skip(
            reason="needs PostgreSQL: runs with DATABASE_URL=postgres://... (CI's second pass)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
        return
    problem = _postgres_unreachable(url)
    if not problem:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true and PostgreSQL at DATABASE_URL is unreachable: {problem}")
    skip = pytest.mark.skip(reason=f"PostgreSQL at DATABASE_URL is unreachable: {problem}")
    needs_db = {"db", "transactional_db", "cast", "live_server"}
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "django_db" in item.keywords or "postgres" in item.keywords or needs_db & fixtures:
            item.add_marker(skip)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """pytest-django's test database; on SQLite also a copy of it as ``migrate`` left it, taken
    before any test writes to it: the template of ``migrated_sqlite``. (pytest-django sets up
    no test database when no collected test needs one: then there is nothing to copy.)"""
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.settings_dict["NAME"]
    ):
        with django_db_blocker.unblock():
            subprocess_db.snapshot(connection, tmp_path_factory.getbasetemp() / "migrated.sqlite3")


@pytest.fixture(scope="session")
def migrated_sqlite(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A migrated, empty SQLite database file to copy (``subprocess_db.copy``) into a test's
    subprocess instance instead of running ``migrate`` there (``tests/subprocess_db.py``): the
    copy of the test database, or else one built by ``migrate`` for the whole run."""
    base = tmp_path_factory.getbasetemp()
    if connection.vendor == "sqlite":
        request.getfixturevalue("django_db_setup")
        if subprocess_db.is_migrated(base / "migrated.sqlite3"):
            return base / "migrated.sqlite3"
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return subprocess_db.build(shared / "subprocess-db")
