"""Web capture on every backend (local files, S3) with plain and sealed originals: the WARC
(and the screenshot, where a browser is installed) are placed as an upload's originals are,
read back through ``open_original`` as a WARC whose hashes are the row's, and the capture's
work folder is gone."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from justicework.evidence.actions import captures
from justicework.evidence.capture import screenshot
from justicework.evidence.storage import store
from justicework.evidence.storage.originals import open_original

from ..stored import assert_stored_as_backend_says, raw_original, sealed
from .conftest import PAGE

pytestmark = pytest.mark.django_db


def test_a_capture_is_stored_on_every_backend(backend: str, cast: Any, web_server: str) -> None:
    capture = captures.run_capture(captures.create_capture(cast.documenter, cast.acme,
                                                           f"{web_server}/page"))  # fmt: skip
    assert capture.status == "done" and capture.item is not None
    original = capture.item.original
    assert original.backend == backend.removesuffix("-sealed")
    assert original.encrypted == sealed(backend)
    with open_original(original) as stream:
        warc = stream.read()
    assert hashlib.sha256(warc).hexdigest() == original.sha256 and len(warc) == original.size
    assert hashlib.sha512(warc).hexdigest() == original.sha512
    assert_stored_as_backend_says(raw_original(original), warc, sealed=sealed(backend))
    with open_original(original) as stream:
        bodies = [r.content_stream().read() for r in ArchiveIterator(stream)
                  if r.rec_type == "response"]  # fmt: skip
    assert bodies == [PAGE]
    if capture.screenshot is not None:
        shot = capture.screenshot.original
        with open_original(shot) as stream:
            png = stream.read()
        assert png.startswith(b"\x89PNG") and hashlib.sha256(png).hexdigest() == shot.sha256
        assert_stored_as_backend_says(raw_original(shot), png, sealed=sealed(backend))
    else:
        assert not screenshot.browser() or capture.screenshot_reason
    assert not list(store().incoming_dir().glob("capture-*"))
