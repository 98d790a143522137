"""What every noun's endpoints share: the acting user, the organisation to create in, query
errors as 422s and the shape of a PATCH.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError

from justicework.core import policy
from justicework.core.models import Organisation, User


def acting_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # the API's auth refused anonymous users
    return user


def organisation_or_404(user: User, organisation_id: int, action: str) -> Organisation:
    """The organisation to create in: 404 unless the user may ``action`` there."""
    return policy.get_or_404(user, Organisation, action, pk=organisation_id)


def query_errors(exc: ValidationError) -> NinjaValidationError:
    detail: list[dict[str, Any]] = []
    for field, messages in exc.message_dict.items():
        detail.extend({"loc": ["query", field], "msg": str(m)} for m in messages)
    return NinjaValidationError(detail)


def changes(payload: Schema) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


def patch_dates(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("date_approximate") is None:
        data.pop("date_approximate", None)
    if data.get("date_precision") is None:
        data.pop("date_precision", None)
    return data
