"""Data at rest (issue 9, the probe as tests): what someone holding the database and the data
directory sees.

A fresh instance (its own data directory and database: a SQLite file, or a new PostgreSQL
database) is built in a child process the way an operator builds one: ``migrate`` (on SQLite it
starts from a copy of the suite's migrated file, ``tests/subprocess_db.py``), ``demo``,
need-to-know grants and identity reveals through the web page, two imports through the importer
(one committed, one uploaded and checked but left waiting, so its sealed upload stays on disk)
and a TOTP set-up through allauth's pages. The child writes what must not be found (the
"needles") to a file outside the data directory and copies the data directory while its
database connection is still open (so the SQLite WAL and SHM are in the copy).

Then the dump is searched:

* SQLite: the bytes of every file under the data directory (database, WAL, SHM, uploads) both
  as copied while running and as left at exit, plus every table's rows read with SQL;
* PostgreSQL: every table's rows as text through SQL, plus every file under the data directory.

Needles: the demo and imported persons' names, transliterations, dates of birth, document
numbers and contacts; every TOTP secret (base32, raw bytes, hex, base64) and recovery-code
seed, and the secret of a TOTP set-up left at the QR code (allauth keeps it in the session, so
``django_session`` is also decoded as anyone could, without keys); every cell of the upload
left waiting and its whole content. Each is looked for as UTF-8, as JSON escapes it
(``\\uXXXX``), normalised (as a search index would keep it) and in hex (how bytea columns
print). Short or one-word values are left out (a first name alone also names streets and
staff): see ``needles``.

``test_the_probe_finds_plaintext_put_there_on_purpose`` shows the search is not blind: a name,
a TOTP secret and upload content written in clear into a copy are each reported.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from tests import subprocess_db

ROOT = Path(__file__).resolve().parents[2]
MIN_LENGTH = 6

# --- the instance (runs in the child process) ---------------------------------------------------


def scenario(out: str) -> None:
    """Build the instance; write the needles and a copy of the data directory to ``out``."""
    import django

    from justicework.encryption.filemodes import restrict_umask

    restrict_umask()  # as every entry point does
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    needles: dict[str, list[str]] = {"identity": [], "secret": [], "upload": []}
    _reveal(needles)
    _import(needles)
    _set_up_totp(needles)
    _collect(needles)
    Path(out, "needles.json").write_text(json.dumps(needles), encoding="utf-8")
    # Copy while the connection is open: the SQLite WAL and SHM exist now.
    shutil.copytree(settings.DATA_DIR, Path(out, "running"))


def _member(role: str) -> Any:
    from justicework.core.models import User

    return User.objects.get(email=f"{role.replace('_', '-')}@member-1.demo.test")


def _reveal(needles: dict[str, list[str]]) -> None:
    """Grant the member-1 legal analyst need-to-know on five persons; reveal them on the page."""
    from django.test import Client
    from django.urls import reverse
    from django.utils.html import escape

    from justicework.violations import actions
    from justicework.violations.models import Person

    analyst = _member("legal_analyst")
    client = Client()
    client.force_login(analyst)
    persons = Person.objects.filter(organisation__slug="demo-member-1").order_by("pk")[:5]
    for person in persons:
        actions.grant_need_to_know(None, analyst, person, "Probe of data at rest")
        page = client.post(reverse("violations:person_reveal", args=[person.pk]), {"confirm": "on"})
        assert page.status_code == 200, page.status_code
        assert escape(person.full_name).encode() in page.content  # the reveal showed it


def _rows(faker: Any, tag: str, count: int) -> list[list[str]]:
    from tests.violations.test_import import row

    return [
        row(
            n,
            case=f"{tag}-case",
            Title=f"Shelling {tag} {faker.city()}",
            Place=f"{faker.street_name()} {tag}",
            Victim=faker.name(),
            Born=faker.date_between("-80y", "-20y").strftime("%d/%m/%Y"),
        )
        for n in range(1, count + 1)
    ]


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io

    from tests.violations.test_import import HEADER

    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode()


def _import(needles: dict[str, list[str]]) -> None:
    """One import committed, one checked and left waiting (its sealed upload stays)."""
    from faker import Faker

    from justicework.dataio import actions
    from justicework.dataio.models import ImportRun
    from tests.violations.test_import import HEADER, MAPPING

    faker = Faker(["en_GB", "uk_UA", "ar_EG"])
    faker.seed_instance(9)
    documenter = _member("documenter")
    org = documenter.memberships.get().organisation
    mapping = actions.save_mapping(
        documenter, org, kind="violations", name="Probe", file_format="csv", spec=MAPPING
    )
    for tag, commit in [("probecommitted", True), ("probewaiting", False)]:
        rows = _rows(faker, tag, 12)
        run = actions.start_run(
            documenter, org, kind="violations", file_format="csv", filename=f"{tag}.csv",
            chunks=[_csv(rows)], mapping=mapping,
        )  # fmt: skip
        run = actions.dry_run(documenter, run)
        assert run.status == ImportRun.Status.VALID, run.problem
        if commit:
            run = actions.commit_run(documenter, run)
            assert run.status == ImportRun.Status.COMMITTED
        else:
            assert Path(run.stored_path).exists()
            # Cells only this file holds (the vocabulary terms and coordinates are shared).
            columns = [HEADER.index(name) for name in ("Case", "Title", "Place", "Victim", "Born")]
            needles["upload"] += [line[i] for line in rows for i in columns]
            needles["upload"].append(_csv(rows).decode())


def _set_up_totp(needles: dict[str, list[str]]) -> None:
    """The member-1 viewer (no MFA yet) sets up TOTP through allauth's pages; the reviewer
    starts to and stops at the QR code (allauth keeps that secret in the session)."""
    import pyotp
    from allauth.mfa.models import Authenticator
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import PASSWORD

    for role, finish in [("viewer", True), ("reviewer", False)]:
        user = _member(role)
        assert not Authenticator.objects.filter(user=user).exists()
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        client = Client()
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
        if finish:
            client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
            assert Authenticator.objects.filter(user=user, type="totp").exists()
        else:
            assert client.session["mfa.totp.secret"] == secret
            needles["secret"].append(secret)


def _collect(needles: dict[str, list[str]]) -> None:
    """Every person's identity and every second factor, decrypted through the application;
    the content of the grant applications' attachments."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    from justicework.demo.grants import PDF
    from justicework.violations.models import Person

    # The grant applicants' attachments (the demo's declaration of honour), sealed at rest.
    needles["upload"].append(PDF.decode("ascii"))

    for person in Person.objects.all():
        needles["identity"] += _identity_values(person)
    adapter = get_adapter()
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = authenticator.data
        if "secret" in data:
            needles["secret"].append(adapter.decrypt(data["secret"]))
        if "seed" in data:
            needles["secret"].append(adapter.decrypt(data["seed"]))


def _identity_values(person: Any) -> list[str]:
    values = [person.full_name or ""]
    for name in person.names or []:
        values += [name.get("name", ""), name.get("transliteration", "")]
    if person.date_of_birth:
        values.append(person.date_of_birth.isoformat())
    values += [doc.get("number", "") for doc in person.identity_documents or []]
    values += list(person.contacts or [])
    return [v for v in values if v]


# --- the search (runs in the test) --------------------------------------------------------------


@dataclass(frozen=True)
class Needle:
    kind: str
    value: str
    form: str
    data: bytes


def _secret_forms(value: str) -> Iterator[tuple[str, bytes]]:
    yield "as stored by allauth", value.encode()
    try:
        raw = base64.b32decode(value, casefold=True)
    except (binascii.Error, ValueError):  # a recovery-code seed (hex)
        raw = bytes.fromhex(value)
    yield "raw bytes", raw
    yield "hex", raw.hex().encode()
    yield "base64", base64.b64encode(raw).rstrip(b"=")
    yield "base64url", base64.urlsafe_b64encode(raw).rstrip(b"=")


def _text_forms(value: str) -> Iterator[tuple[str, bytes]]:
    from justicework.encryption.fields import normalise

    yield "UTF-8", value.encode()
    yield "JSON-escaped", json.dumps(value)[1:-1].encode()
    yield "normalised", normalise(value).encode()
    yield "hex (bytea)", value.encode().hex().encode()
    yield "URL-encoded", quote(value).encode()


def needles(found: dict[str, list[str]]) -> list[Needle]:
    """What to look for. Identity values that are short or a single word are left out (they
    also name streets, units and staff); dates of birth, document numbers and contacts stay."""
    result: set[Needle] = set()
    for kind, values in found.items():
        for value in values:
            value = value.strip()
            if len(value) < MIN_LENGTH:
                continue
            if kind == "identity" and " " not in value and not any(c.isdigit() for c in value):
                continue
            forms = _secret_forms(value) if kind == "secret" else _text_forms(value)
            for form, data in forms:
                if len(data) >= MIN_LENGTH:
                    result.add(Needle(kind, value, form, data))
    return sorted(result, key=lambda n: (n.kind, n.value, n.form))


def files_under(*roots: Path) -> dict[str, bytes]:
    return {
        str(path): path.read_bytes()
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sql_dump(connection: Any, vendor: str) -> bytes:
    """Every row of every table as text, through SQL (what ``pg_dump`` would print)."""
    cursor = connection.cursor()
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema')"
        )
        tables = [row[0] for row in cursor.fetchall()]
    parts = []
    for table in sorted(tables):
        if vendor == "sqlite":
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
            parts += [repr(row) for row in cursor.fetchall()]
        else:
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')  # noqa: S608
            parts += [row[0] for row in cursor.fetchall()]
    return "\n".join(parts).encode("utf-8", "surrogatepass")


def readable_sessions(connection: Any) -> bytes:
    """What anyone can read of ``django_session`` without keys: Django's encoding is base64 of
    (zlib-compressed) JSON, signed but not encrypted."""
    cursor = connection.cursor()
    cursor.execute("SELECT session_data FROM django_session")
    readable = []
    for (data,) in cursor.fetchall():
        payload = data.split(":")[0]
        body = payload.lstrip(".")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            decoded = zlib.decompress(raw) if payload.startswith(".") else raw
        except (binascii.Error, ValueError, zlib.error):
            continue  # not Django's encoding (sealed)
        if decoded.startswith(b"{"):  # JSON: Django's encoding, readable by anyone
            readable.append(decoded)
    return b"\n".join(readable)


def search(blobs: dict[str, bytes], wanted: list[Needle]) -> list[str]:
    return [
        f"{n.kind} {n.value!r} ({n.form}) in {name}"
        for name, blob in blobs.items()
        for n in wanted
        if n.data in blob
    ]


# --- the instance, built once per engine --------------------------------------------------------


@dataclass
class Instance:
    vendor: str
    data_dir: Path
    running_copy: Path
    found: dict[str, list[str]]
    database_url: str

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(
                f"file:{self.data_dir / 'justicework.sqlite3'}?mode=ro", uri=True
            )
        import psycopg

        return psycopg.connect(self.database_url)


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def instance(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Instance]:
    from django.db import connection

    vendor = connection.vendor
    base = tmp_path_factory.mktemp("at-rest")
    data_dir = base / "var"
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "JUSTICEWORK_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "justicework.settings_test",
    }
    env.pop("DATABASE_URL", None)
    database = ""
    if vendor == "postgresql":
        database = f"jw_at_rest_{uuid.uuid4().hex[:12]}"
        _admin(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = _postgres_url(database)
    else:
        subprocess_db.copy(
            request.getfixturevalue("migrated_sqlite"), data_dir / "justicework.sqlite3"
        )
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"from {__name__} import scenario; scenario({str(base)!r})"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-5000:]
        found = json.loads((base / "needles.json").read_text(encoding="utf-8"))
        yield Instance(vendor, data_dir, base / "running", found, env.get("DATABASE_URL", ""))
    finally:
        if database:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)  # type: ignore[arg-type]


def dump(instance: Instance, *extra_roots: Path, connection: Any = None) -> dict[str, bytes]:
    """Every file of the data directory (and of ``extra_roots``) and the SQL dump."""
    blobs = files_under(instance.data_dir, instance.running_copy, *extra_roots)
    own = connection is None
    connection = connection or instance.connect()
    try:
        blobs["SQL dump of every table"] = sql_dump(connection, instance.vendor)
        blobs["django_session decoded without keys"] = readable_sessions(connection)
    finally:
        if own:
            connection.close()
    return blobs


# --- the tests ----------------------------------------------------------------------------------


def test_the_instance_holds_what_the_probe_looks_for(instance):
    """The search has something to find: identities, secrets and a waiting upload exist."""
    wanted = needles(instance.found)
    kinds = {n.kind for n in wanted}
    assert kinds == {"identity", "secret", "upload"}
    assert sum(n.kind == "identity" for n in wanted) > 100
    assert len(instance.found["secret"]) >= 10  # the demo's TOTP users, the viewer, seeds
    uploads = list((instance.data_dir / "imports").rglob("*"))
    assert [p for p in uploads if p.is_file()], "the waiting upload is on disk"
    if instance.vendor == "sqlite":
        assert (instance.running_copy / "justicework.sqlite3-wal").stat().st_size > 0


def test_no_identity_secret_or_upload_content_in_clear_at_rest(instance):
    found = search(dump(instance), needles(instance.found))
    assert found == [], "\n".join(found[:50])


def test_the_probe_finds_plaintext_put_there_on_purpose(instance, tmp_path):
    """Self-check: a person's name written into an incident title, a TOTP secret and a cell of
    the waiting upload written into files are each reported."""
    wanted = needles(instance.found)
    name = next(n.value for n in wanted if n.kind == "identity" and " " in n.value)
    secret = next(v for v in instance.found["secret"] if len(v) == 32)  # a base32 TOTP secret
    cell = next(n.value for n in wanted if n.kind == "upload" and "probewaiting" in n.value)
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "leak.bin").write_bytes(b"\x00" + base64.b32decode(secret) + b"\x00")
    (planted / "export.csv").write_text(f"x,{cell}\n", encoding="utf-8")
    update = (
        "UPDATE violations_incident SET title = {} WHERE id = (SELECT min(id) FROM "
        "violations_incident)"
    )
    if instance.vendor == "sqlite":
        copy = tmp_path / "copy"
        shutil.copytree(instance.data_dir, copy)
        with sqlite3.connect(copy / "justicework.sqlite3") as writer:
            writer.execute(update.format("?"), [name])
        writer.close()
        blobs = files_under(copy, planted)  # the raw bytes alone must show it
        where = str(copy / "justicework.sqlite3")
    else:
        connection = instance.connect()
        try:
            connection.execute(update.format("%s"), [name])
            blobs = files_under(planted)
            blobs["SQL dump"] = sql_dump(connection, instance.vendor)
        finally:
            connection.rollback()
            connection.close()
        where = "SQL dump"
    found = search(blobs, wanted)
    assert f"identity {name!r} (UTF-8) in {where}" in found, found
    assert f"secret {secret!r} (raw bytes) in {planted / 'leak.bin'}" in found, found
    assert f"upload {cell!r} (UTF-8) in {planted / 'export.csv'}" in found, found
