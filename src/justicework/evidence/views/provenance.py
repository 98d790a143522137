"""The provenance part of an item's page: metadata read from the file, findings, the place of
capture (on the incident map's component), and near-duplicates among the items the reader may
see in the item's organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.evidence.models import FrameHash, Item, Provenance
from justicework.evidence.provenance import labels, phash


def near_duplicates(user: Requester, item: Item, row: Provenance) -> list[dict[str, Any]]:
    """Items of ``item``'s organisation that ``user`` may view whose picture is within
    ``phash.NEAR`` of this one (the item itself left out), nearest first."""
    if row.phash is None:
        return []
    close = phash.near(Provenance.objects.exclude(phash=None), row.phash)
    if not close:
        return []
    by_original = {found.original_id: found for found in close}
    items = (
        policy.visible(user, Item, "view")
        .filter(organisation_id=item.organisation_id, original_id__in=by_original)
        .exclude(pk=item.pk)
        .order_by("pk")
    )
    out: list[dict[str, Any]] = []
    for other in items:
        found = by_original[other.original_id]
        out.append({
            "item": other, "phash_distance": found.distance,
            "dhash_distance": phash.distance(found.dhash, row.dhash)
            if found.dhash is not None and row.dhash is not None else None,
            "same_file": other.original_id == item.original_id,
        })  # fmt: skip
    out.sort(key=lambda entry: (entry["phash_distance"], entry["item"].pk))
    return out


def near_videos(user: Requester, item: Item) -> list[dict[str, Any]] | None:
    """Videos of ``item``'s organisation that ``user`` may view whose key frames are close to
    this video's (``phash.near_videos``), nearest first; None when it has no key-frame hash."""
    values = [
        phash.to_unsigned(value)
        for value in FrameHash.objects.filter(original_id=item.original_id)
        .order_by("seq")
        .values_list("phash", flat=True)
    ]
    if not values:
        return None
    close = {near.original_id: near for near in phash.near_videos(FrameHash.objects.all(), values)}
    items = (
        policy.visible(user, Item, "view")
        .filter(organisation_id=item.organisation_id, original_id__in=list(close))
        .exclude(pk=item.pk)
        .order_by("pk")
    )
    out: list[dict[str, Any]] = [{
        "item": other, "phash_distance": close[other.original_id].distance,
        "matched": close[other.original_id].matched, "frames": len(values),
        "same_file": other.original_id == item.original_id,
    } for other in items]  # fmt: skip
    out.sort(key=lambda entry: (entry["phash_distance"], entry["item"].pk))
    return out


def context(user: Requester, item: Item) -> dict[str, Any]:
    row = Provenance.objects.filter(original_id=item.original_id).first()
    if row is None:
        return {"provenance": None}
    points = []
    if row.latitude is not None and row.longitude is not None:
        points.append({
            "lat": row.latitude, "lng": row.longitude, "title": item.display_name,
            "url": reverse("evidence:item_detail", args=[item.pk]), "date": "", "place": "",
        })  # fmt: skip
    return {
        "provenance": row,
        "provenance_fields": labels.field_rows(row.metadata),
        "provenance_findings": labels.finding_rows(row.findings),
        "credentials_state": labels.CREDENTIAL_STATES.get(row.credentials.get("state", ""), ""),
        "near_duplicates": near_duplicates(user, item, row),
        "near_videos": near_videos(user, item) if row.kind == Provenance.Kind.MEDIA else None,
        "near_limit": phash.NEAR,
        "points": points,
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }
