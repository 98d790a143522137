from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from tests.encryption.testapp.models import Dossier, Note


def raw(model: type, pk: int, field: str) -> str | None:
    """The stored ciphertext, bypassing decryption."""
    return (
        model._base_manager.filter(pk=pk)
        .annotate(_raw=Cast(field, TextField()))
        .values_list("_raw", flat=True)
        .get()
    )


@pytest.fixture
def dossiers(cast):
    """Three dossiers of acme and two of beacon, each with a note."""
    made = []
    for i, org in enumerate([cast.acme, cast.acme, cast.acme, cast.beacon, cast.beacon]):
        dossier = Dossier.objects.create(
            organisation=org,
            name=f"Person {i} Ålvarez",
            born=dt.date(1980 + i, 1, 2),
            details={"phone": f"+380 {i:04d}", "languages": ["uk", "ru"]},
        )
        Note.objects.create(dossier=dossier, text=f"note {i}")
        made.append(dossier)
    return made
