"""bulk_create_units: create_unit's checks, rows and audit entries, for many units at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.violations import actions
from justicework.violations.models import Unit

pytestmark = pytest.mark.django_db

FIELDS = ["organisation_id", "name", "kind", "parent_id", "country", "aliases", "description"]


def test_bulk_units_store_what_create_unit_stores(cast):
    single = actions.create_unit(
        cast.documenter, cast.acme, name=" Third Precinct ", kind="police", country="ua"
    )
    [bulk] = actions.bulk_create_units(
        cast.documenter,
        cast.acme,
        [{"name": " Third Precinct ", "kind": "police", "country": "ua"}],
    )
    assert not bulk._state.adding and bulk.pk == single.pk + 1
    rows = {pk: row for pk, *row in Unit.objects.values_list("pk", *FIELDS)}
    assert rows[single.pk] == rows[bulk.pk]
    entries = AuditEntry.objects.filter(action="violations.unit.created").order_by("seq")
    assert [(e.object_id, e.actor_id, e.organisation_id) for e in entries] == [
        (str(single.pk), cast.documenter.pk, cast.acme.pk),
        (str(bulk.pk), cast.documenter.pk, cast.acme.pk),
    ]
    assert entries[0].diff == entries[1].diff
    assert verify_chain().ok


def test_bad_units_name_their_rows_and_nothing_is_written(cast):
    with pytest.raises(actions.BulkRowErrors) as excinfo:
        actions.bulk_create_units(
            cast.documenter,
            cast.acme,
            [
                {"name": "Fine", "kind": "police"},
                {"name": "", "kind": "police"},
                {"name": "Odd", "kind": "nope"},
                {"name": "Extra", "kind": "police", "commander": "x"},
            ],
        )
    assert {(i, f) for i, f, _ in excinfo.value.rows} == {
        (1, "name"),
        (2, "kind"),
        (3, "commander"),
    }
    assert not Unit.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.bulk_create_units(cast.viewer, cast.acme, [{"name": "A", "kind": "police"}])
