"""The dry run of a file already imported does not flag a known row's own victim as a likely
duplicate of itself: rows whose keys were imported before are not looked up (nor remembered as
earlier rows), while a new row naming a stored victim is still flagged."""

from __future__ import annotations

import pytest

from justicework.dataio.models import ImportRun
from justicework.violations.models import ImportDuplicate, Person

from .test_import import row
from .test_import_reimport import checked, imported, mapping, violation_of

pytestmark = pytest.mark.django_db
__all__ = ["mapping"]  # the fixture, imported for this module's tests


def test_rows_already_imported_are_not_flagged_as_duplicates_of_their_own_victims(cast, mapping):
    imported(cast, mapping, [row(1, Victim="Olena Kovalenko"), row(2, Victim="Petro Shevchenko")])
    assert Person.objects.count() == 2
    run = checked(
        cast,
        mapping,
        [
            row(1, Victim="Olena Kovalenko"),  # file row 2: imported, unchanged
            row(2, Victim="Petro Shevchenko", Act="torture"),  # row 3: imported, changed
            row(3, Victim="Olena Kovalenko"),  # row 4: new, names the stored victim of row 2
        ],
    )
    assert run.status == ImportRun.Status.VALID
    assert run.skipped_rows == 2
    flags = list(
        ImportDuplicate.objects.filter(run=run).values_list("row", "other_row", "person_id")
    )
    first_victim = violation_of("R1").person_roles.get(role="victim").person_id
    assert flags == [(4, None, first_victim)]
