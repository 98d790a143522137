"""Anonymisation is irreversible: after it, no table holds any trace of the identity — not
the plaintext, its normalised forms, the blind-index values (computed as the identity code
does, before anonymising), nor the ciphertexts the person's row held. The database is read
directly, every table and every text or binary column, on SQLite and on PostgreSQL. The same
holds for the survivor's casework (safety, interviews, participation, victim status, the
information log, referrals, the support plan, the survivor-page code): none of its words or
ciphertexts survives the file's anonymisation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from django.db import connection
from django.db.models import Model

from justicework.core.models import Organisation, User
from justicework.encryption.fields import normalise
from justicework.survivors import actions
from justicework.survivors.models import Consent, LegalHold, SupportAction, SurvivorPageCode
from justicework.violations import translit
from justicework.violations.identity import name_forms, person_index_values
from justicework.violations.models import Person, PersonIndex
from tests.survivors.casework_helpers import MODELS, casework, encrypted_fields
from tests.survivors.retention_helpers import consented, identity, old_file, schedule

pytestmark = pytest.mark.django_db


def _cells() -> Iterator[tuple[str, str, str]]:
    """(table, column, text) of every non-empty text or binary cell in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_t = connection.ops.quote_name(table)
                quoted_c = connection.ops.quote_name(column.name)
                cursor.execute(f"SELECT {quoted_c} FROM {quoted_t}")  # noqa: S608  # introspected names
                for (value,) in cursor.fetchall():
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        yield table, column.name, value.decode("latin-1")
                    elif isinstance(value, str) and value:
                        yield table, column.name, value
                    elif isinstance(value, dict | list):
                        yield table, column.name, str(value)


def _raw(model: type[Model], names: Iterable[str], pk: int) -> list[str]:
    """A row's columns as stored (ciphertexts, not what the model decrypts)."""
    fields = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fields} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # model names
        row = cursor.fetchone()
    return [
        bytes(v).decode("latin-1") if isinstance(v, memoryview | bytes) else str(v)
        for v in row
        if v
    ]


def _needles(person: Person, data: dict[str, object], words: list[str]) -> set[str]:
    names = name_forms(person)
    found: set[str] = set(names) | {normalise(name) for name in names}
    for name in names:
        normal_words = translit.name_words_of_normalised(normalise(name))
        found |= set(normal_words) | {" ".join(sorted(normal_words))}
    found |= {value for _kind, value in person_index_values(person)}
    found |= set(_raw(Person, Person.IDENTITY_FIELDS, person.pk))
    for consent in Consent.objects.filter(file__person=person):
        found |= set(_raw(Consent, ["conditions", "interpreter"], consent.pk))
    found |= {str(c) for c in data["contacts"]}  # type: ignore[attr-defined]  # a list
    found |= {d["number"] for d in data["identity_documents"]}  # type: ignore[attr-defined]  # a list
    found |= {"1983-04-17", *words}
    return {needle.lower() for needle in found if len(needle) >= 4}


def test_anonymised_identity_leaves_no_trace_in_any_table(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    data = identity()
    file = old_file(acme, coordinator, **data)
    words = ["Zaporizhzhia-lane-hideout", "Translator Bohdana Yevtushenko"]
    consented(file, coordinator, words[0], words[1])
    person = Person.objects.get(pk=file.person_id)
    needles = _needles(person, data, words)
    hits = {t for t, _c, text in _cells() for n in needles if n in text.lower()}
    # the scan must work: it finds the ciphertexts, the blind indexes and the consent's words
    tables = {Person._meta.db_table, PersonIndex._meta.db_table, Consent._meta.db_table}
    assert tables <= hits
    schedule(admin, acme)
    actions.apply_retention(admin, acme)
    left = sorted({(t, c, n) for t, c, text in _cells() for n in needles if n in text.lower()})
    assert left == []
    assert Consent.objects.get(file=file).conditions is None


def _casework_needles(case_rows: dict[str, list[int]]) -> tuple[set[str], set[str]]:
    """The ciphertexts every casework row holds (and the page code's stored parts), with the
    tables they are in."""
    found: set[str] = set()
    tables: set[str] = set()
    rows = [(MODELS[name], pk) for name, pks in case_rows.items() for pk in pks]
    rows += [(SupportAction, a.pk) for a in SupportAction.objects.all()]
    for model, pk in rows:
        tables.add(model._meta.db_table)
        if names := encrypted_fields(model):  # a victim-status application has none
            found |= set(_raw(model, names, pk))
    for code in SurvivorPageCode.objects.all():
        found |= {code.lookup, code.secret_hash}
    return found, tables


def test_anonymised_casework_leaves_no_trace_in_any_table(
    admin: User, coordinator: User, acme: Organisation
) -> None:
    data = identity()
    file = old_file(acme, coordinator, **data)
    case = casework(file, coordinator)
    reason = case.say()  # a lifted hold's reason: the court's reference can name her
    actions.lift_legal_hold(admin, actions.set_legal_hold(admin, file, reason=reason))
    person = Person.objects.get(pk=file.person_id)
    ciphertexts, tables = _casework_needles(case.rows)
    hold = LegalHold.objects.get(file=file)
    ciphertexts |= set(_raw(LegalHold, ["reason"], hold.pk))
    needles = _needles(person, data, case.words) | {c.lower() for c in ciphertexts}
    hits = {t for t, _c, text in _cells() for n in needles if n in text.lower()}
    # the scan must work: every casework table holds ciphertexts (and the plain free text)
    assert tables | {SurvivorPageCode._meta.db_table, LegalHold._meta.db_table} <= hits
    schedule(admin, acme)
    assert [d.file_id for d in actions.apply_retention(admin, acme).done] == [file.pk]
    left = sorted({(t, c, n) for t, c, text in _cells() for n in needles if n in text.lower()})
    assert left == []
