"""Hand-overs to an outside body (a court, a UN mechanism, a prosecutor): ``record_transfer``
writes the :class:`Transfer` row and custody entry "transferred" with the same fields, in one
transaction. The values are cleaned here, once, for the item page's form and the API alike
(STYLE 17); a bad value is a ``ValidationError`` naming its field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import User
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Item, Transfer

#: field → its longest length (and whether it must be given)
TEXTS: dict[str, tuple[int, bool]] = {
    "recipient_name": (200, True),
    "institution": (300, True),
    "recipient_reference": (200, False),
    "note": (4000, False),
}
#: a clock a little ahead of the server's is not "the future"
SKEW = dt.timedelta(minutes=5)


def _text(name: str, value: Any, errors: dict[str, list[str]]) -> str:
    limit, required = TEXTS[name]
    text = str(value or "").strip()
    if name != "note":
        text = " ".join(text.split())
    if required and not text:
        errors[name] = [_("This field is required.")]
    elif len(text) > limit:
        errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
    return text


def _moment(value: Any, errors: dict[str, list[str]]) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment: dt.datetime | None = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value or "").strip().replace("Z", "+00:00"))
        except ValueError:
            errors["handed_over_at"] = [
                _("Give the time of hand-over as ISO 8601 with its offset "
                  "(2024-03-01T14:30:00+02:00).")
            ]  # fmt: skip
            return None
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        errors["handed_over_at"] = [_("Give the time zone or offset of the time of hand-over.")]
        return None
    if moment > timezone.now() + SKEW:
        errors["handed_over_at"] = [_("The time of hand-over is in the future.")]
        return None
    return moment


def clean_transfer(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The transfer's fields, cleaned; ``ValidationError`` naming each bad field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {name: _text(name, raw.get(name), errors) for name in TEXTS}
    method = str(raw.get("method") or "").strip()
    if method not in Transfer.Method.values:
        errors["method"] = [
            _("Choose one of: %(methods)s.") % {"methods": ", ".join(Transfer.Method.values)}
        ]
    values["method"] = method
    values["handed_over_at"] = _moment(raw.get("handed_over_at"), errors)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def record_transfer(actor: User, item: Item, raw: Mapping[str, Any]) -> Transfer:
    """Record that ``item`` was handed over to an outside body: allowed by the policy
    (``transfer``), a :class:`Transfer` and custody entry "transferred" (its fields, the
    original's SHA-256), both audited through the custody entry."""
    policy.require(actor, "transfer", item)
    values = clean_transfer(raw)
    transfer = Transfer.objects.create(
        organisation_id=item.organisation_id, item=item, recorded_by=actor, **values
    )
    append_custody(actor, item, CustodyEntry.Event.TRANSFERRED, {
        "transfer": transfer.pk, "recipient_name": transfer.recipient_name,
        "institution": transfer.institution, "method": transfer.method,
        "recipient_reference": transfer.recipient_reference,
        "handed_over_at": transfer.handed_over_at.isoformat(), "note": transfer.note,
        "sha256": item.original.sha256,
    })  # fmt: skip
    return transfer
