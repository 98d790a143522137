from __future__ import annotations

import hashlib
import os

from justicework.evidence.models import Item

from ..conftest import sha256


def test_documenter_uploads_a_file_in_chunks_and_gets_its_hashes(documenter, login, tus):
    data = os.urandom(5000)
    last = tus(login(documenter)).send(data, chunk=1300, filename="photo.bin")
    item = Item.objects.get()
    assert item.original.sha256 == sha256(data)
    assert item.original.sha512 == hashlib.sha512(data).hexdigest()
    assert last["Evidence-Sha256"] == sha256(data)
