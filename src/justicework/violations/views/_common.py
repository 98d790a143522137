"""What the page modules share: the acting user, the active organisation, the create check,
error display on forms, vocabulary labels, map settings and the organisation's units and
persons offered in forms.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import Organisation, User
from justicework.violations import vocabularies
from justicework.violations.models import Person, Unit


def actor(request: HttpRequest) -> User:
    """The signed-in user (every view here is ``login_required``)."""
    return cast(User, request.user)


def active_organisation(request: HttpRequest) -> Organisation | None:
    membership: Any = getattr(request, "membership", None)
    return membership.organisation if membership is not None else None


def require_create(request: HttpRequest, action: str) -> Organisation:
    """The active organisation, if the user may ``action`` (e.g. ``create_incident``) in it."""
    organisation = active_organisation(request)
    if organisation is None:
        raise PermissionDenied(_("You are not a member of any organisation."))
    policy.require(request.user, action, organisation)
    return organisation


def creatable(request: HttpRequest) -> dict[str, bool]:
    """Which "record a new …" panels the pickers of a form offer (the active organisation's
    ``create_*`` actions)."""
    organisation = active_organisation(request)
    return {
        f"can_create_{noun}": organisation is not None
        and bool(policy.can(request.user, f"create_{noun}", organisation))
        for noun in ("person", "unit", "source")
    }


def error_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Show an action's validation error on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def vocab_label(vocabulary: str, code: str) -> str:
    try:
        return vocabularies.label(vocabulary, code)
    except LookupError:
        return code


def map_settings() -> dict[str, str]:
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }


def person_fields(prefix: str) -> list[str]:
    return [f"{prefix}id", f"{prefix}code", f"{prefix}status", f"{prefix}organisation_id"]


def organisation_units(user: Requester, organisation_id: int) -> QuerySet[Unit]:
    return policy.visible(user, Unit, "view").filter(organisation_id=organisation_id)


def organisation_persons(user: Requester, organisation_id: int) -> QuerySet[Person]:
    return (
        policy.visible(user, Person, "view")
        .filter(organisation_id=organisation_id)
        .only("id", "code", "organisation_id")
    )
