"""PostgreSQL: the database itself keeps every victim link, blind index, violation and place in
the organisation of what it points to.

A row that names its organisation and a parent of that organisation (a victim link: a violation
and a person; a blind index value: a person; a violation or a place: an incident) had one
foreign key per column, checked one by one at commit: an imported row paid 17 checks. Here the
parent's key and the organisation are checked together, ``(parent_id, organisation_id)``
against a unique ``(id, organisation_id)`` on the parent: one check instead of two (or three),
and a row can no longer point across organisations, which the separate keys allowed.
The organisation itself still exists: the parent's own foreign key checked it.

Not in the model's state (Django cannot declare a composite foreign key); SQLite keeps its
single-column foreign keys. A later ``AlterField`` of these fields finds no single-column key
to drop and leaves these alone. Deferred to the commit, as Django's own keys are.
"""

from typing import Any

from django.db import migrations

#: Parents whose (id, organisation_id) children point at.
PARENTS = {
    "violations_person": "person_tenant",
    "violations_violation": "violation_tenant",
    "violations_incident": "incident_tenant",
}

#: child table -> [(constraint name, column, parent table)]; the single-column keys of these
#: columns and of ``organisation_id`` are replaced.
CHILDREN = {
    "violations_personindex": [("personindex_person_same_org", "person_id", "violations_person")],
    "violations_personrole": [
        ("personrole_person_same_org", "person_id", "violations_person"),
        ("personrole_violation_same_org", "violation_id", "violations_violation"),
    ],
    "violations_violation": [
        ("violation_incident_same_org", "incident_id", "violations_incident")
    ],
    "violations_location": [("location_incident_same_org", "incident_id", "violations_incident")],
}


def _single_column_keys(cursor: Any, table: str, column: str) -> list[str]:
    cursor.execute(
        """
        SELECT c.conname FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.conrelid = %s::regclass
          AND cardinality(c.conkey) = 1 AND a.attname = %s
        """,
        [table, column],
    )
    return [row[0] for row in cursor.fetchall()]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for table, index in PARENTS.items():
        execute(f'CREATE UNIQUE INDEX "{index}" ON "{table}" ("id", "organisation_id")')
    with schema_editor.connection.cursor() as cursor:
        for table, keys in CHILDREN.items():
            columns = ["organisation_id", *(column for _name, column, _parent in keys)]
            drops = [
                f'DROP CONSTRAINT "{name}"'
                for column in columns
                for name in _single_column_keys(cursor, table, column)
            ]
            adds = [
                f'ADD CONSTRAINT "{name}" FOREIGN KEY ("{column}", "organisation_id") '
                f'REFERENCES "{parent}" ("id", "organisation_id") DEFERRABLE INITIALLY DEFERRED'
                for name, column, parent in keys
            ]
            execute(f'ALTER TABLE "{table}" {", ".join(drops + adds)}')


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for table, keys in CHILDREN.items():
        parts = [f'DROP CONSTRAINT "{name}"' for name, _column, _parent in keys]
        single = [(column, parent) for _name, column, parent in keys]
        single.append(("organisation_id", "core_organisation"))
        parts += [
            f'ADD CONSTRAINT "{table[:20]}_{column}_fk" FOREIGN KEY ("{column}") '
            f'REFERENCES "{parent}" ("id") DEFERRABLE INITIALLY DEFERRED'
            for column, parent in single
        ]
        execute(f'ALTER TABLE "{table}" {", ".join(parts)}')
    for index in PARENTS.values():
        execute(f'DROP INDEX "{index}"')


class Migration(migrations.Migration):
    dependencies = [("violations", "0006_index_victim_group_where_set")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
