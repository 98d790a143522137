"""What every review action shares: the permission checks and the audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.grants.models import Call
from justicework.grants.rules_review import may_manage


def require_staff(actor: User | None, call: Call) -> None:
    """``actor=None`` is the system (demo, commands); a person must be the call's staff."""
    if actor is None:
        return
    decision = may_manage(actor, call)
    if not decision:
        raise PermissionDenied(str(decision.reason))


def audit(actor: User | None, action: str, obj: Model, call: Call, **diff: Any) -> None:
    record(actor, f"grants.review.{action}", obj, diff=diff, organisation_id=call.organisation_id)
