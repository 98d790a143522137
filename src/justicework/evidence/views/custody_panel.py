"""The custody part of an item's page (its forms are posted to ``views.custody``): the download
button, the copy form listing only the organisations where the user may upload, the hand-over
form and the item's hand-overs so far."""

from __future__ import annotations

from typing import Any

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import User
from justicework.evidence.actions.copies import copy_targets
from justicework.evidence.forms import CopyForm, TransferForm
from justicework.evidence.models import Item, Transfer


def context(user: Requester, item: Item, forms: dict[str, Any]) -> dict[str, Any]:
    """The custody part of an item's page: download, copy and hand-over, for those who may."""
    can_transfer = isinstance(user, User) and bool(policy.can(user, "transfer", item))
    targets = copy_targets(user, item) if isinstance(user, User) else []
    return {
        "can_download": bool(policy.can(user, "download", item)),
        "copy_form": forms.get("copy_form") or CopyForm(targets=targets),
        "can_copy": bool(targets),
        "can_transfer": can_transfer,
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "transfers": list(
            policy.visible(user, Transfer, "view").filter(item=item).select_related("recorded_by")
        ),
    }
