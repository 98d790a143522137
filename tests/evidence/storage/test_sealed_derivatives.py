"""Sealed derivatives: sealed under their organisation's key with their own context, so a
derivative's object cannot be read as an original's, nor under another organisation's key."""

from __future__ import annotations

import io

import pytest

from justicework.evidence.storage import sealing
from justicework.evidence.storage.originals import OriginalDamaged

pytestmark = pytest.mark.django_db

THUMB = b"\xff\xd8\xff\xe0 a small picture of the checkpoint " * 50


def test_a_sealed_derivative_reads_back_only_as_a_derivative_of_its_organisation(acme, beacon):
    sealed = sealing.seal_bytes(THUMB, acme.pk)
    assert sealed.startswith(sealing.MAGIC) and b"checkpoint" not in sealed
    with sealing.open_sealed(io.BytesIO(sealed), "t", acme.pk, sealing.DERIVATIVE) as plain:
        assert plain.read() == THUMB
    with pytest.raises(OriginalDamaged, match="The encrypted original o failed"):
        sealing.open_sealed(io.BytesIO(sealed), "o", acme.pk)  # not an original's context
    with pytest.raises(OriginalDamaged, match="The encrypted derivative t failed"):
        sealing.open_sealed(io.BytesIO(sealed), "t", beacon.pk, sealing.DERIVATIVE)


def test_two_sealings_of_one_derivative_differ(acme):
    assert sealing.seal_bytes(THUMB, acme.pk) != sealing.seal_bytes(THUMB, acme.pk)
