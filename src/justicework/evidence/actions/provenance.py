"""Writing what was read from an original (``provenance.extract``): one row per Original,
replaced when extracted again, audited. Extraction runs without a person (the task worker after
intake, or the ``evidence extract`` command run by the operator): the actor is None."""

from __future__ import annotations

from django.db import transaction

from justicework.audit.chain import record
from justicework.evidence.models import FrameHash, Original, Provenance
from justicework.evidence.provenance import extract, phash


def _frame_rows(original: Original, frames: list[tuple[float, int]]) -> list[FrameHash]:
    return [
        FrameHash(
            original=original,
            seq=seq,
            at_s=at,
            phash=phash.to_signed(value),
            **phash.band_fields(value),
        )
        for seq, (at, value) in enumerate(frames, start=1)
    ]


def extract_provenance(original: Original) -> Provenance:
    """Read ``original``'s file (never writing to it) and store what was found."""
    found = extract.read(original)
    signed = phash.to_signed(found.phash) if found.phash is not None else None
    values = {
        "kind": found.kind, "metadata": found.metadata, "findings": found.findings,
        "captured_local": found.captured_local, "captured_offset": found.captured_offset,
        "latitude": found.latitude, "longitude": found.longitude, "phash": signed,
        "credentials": found.credentials,
        "dhash": phash.to_signed(found.dhash) if found.dhash is not None else None,
        **phash.band_fields(found.phash),
    }  # fmt: skip
    with transaction.atomic():
        row, created = Provenance.objects.select_for_update().update_or_create(
            original=original, defaults=values
        )
        FrameHash.objects.filter(original=original).delete()
        FrameHash.objects.bulk_create(_frame_rows(original, found.frames))
        record(
            None,
            "evidence.provenance.extracted",
            original,
            diff={"sha256": original.sha256, "kind": found.kind,
                  "findings": [f["code"] for f in found.findings], "replaced": not created,
                  "key_frames": len(found.frames)},
        )  # fmt: skip
    return row
