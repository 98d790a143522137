"""An organisation's storage: the originals its items hold (each distinct original once) and
the length of its uploads in progress, against ``EVIDENCE_QUOTA_BYTES`` (0: no limit)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core.models import Organisation
from justicework.evidence.intake.errors import OverQuota
from justicework.evidence.models import Item, Original, Upload


def used_bytes(organisation: Organisation) -> int:
    held = Item.objects.filter(organisation=organisation).values("original_id")
    originals = Original.objects.filter(pk__in=held).aggregate(total=Sum("size"))["total"]
    pending = Upload.objects.filter(
        organisation=organisation,
        status=Upload.Status.RECEIVING,
        expires_at__gt=timezone.now(),
    ).aggregate(total=Sum("length"))["total"]
    return int(originals or 0) + int(pending or 0)


def check(organisation: Organisation, length: int) -> None:
    """Refuse (``OverQuota``) an upload of ``length`` bytes that would pass the quota."""
    quota = int(settings.EVIDENCE_QUOTA_BYTES)
    if not quota:
        return
    used = used_bytes(organisation)
    if used + length > quota:
        raise OverQuota(
            _(
                "This file (%(size)s bytes) would pass your organisation's storage quota: "
                "%(used)s of %(quota)s bytes are in use. Nothing was stored; ask your "
                "organisation's administrator to raise the quota or to free space."
            )
            % {"size": f"{length:,}", "used": f"{used:,}", "quota": f"{quota:,}"}
        )
