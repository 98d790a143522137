"""The rules a programme and a call must meet, each error naming its field (one place: the
actions, the forms and the API all end here). No database writes."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.grants.fields import DEFAULT_CAP, validate_required_texts
from justicework.grants.legal_forms import LegalForm
from justicework.grants.models import Call, Programme, RecipientCategory

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
Errors = dict[str, list[str]]


def jsonable(value: Any) -> Any:
    """A value as the audit log and the change log store it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return bool(name)


def aware(value: Any, zone: str) -> Any:
    """A naive date-time is read in the call's zone (that is how staff announce it)."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        tz = zoneinfo.ZoneInfo(zone) if valid_zone(zone) else dt.UTC
        return timezone.make_aware(value, tz)
    return value


def model_errors(obj: Any, exclude: list[str]) -> Errors:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def code_list_errors(value: Any, allowed: list[str]) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _("Give a list of codes.")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        return _("Not known: %(codes)s.") % {"codes": ", ".join(unknown)}
    if len(set(value)) != len(value):
        return _("A code is listed twice.")
    return None


def activity_type_errors(value: Any) -> str | None:
    """``[{"code": "documentation", "title": {"en": "Documentation"}}, ...]``, codes unique."""
    if not isinstance(value, list):
        return _("Give the activity types as a list.")
    seen: set[str] = set()
    for row, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) - {"code", "title"}:
            return _("Row %(row)d: give a code and a title.") % {"row": row}
        code = item.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            return _("Row %(row)d: a code is 1 to 40 small letters, digits, “-” or “_”.") % {
                "row": row
            }
        if code in seen:
            return _("The code %(code)s is used twice.") % {"code": code}
        seen.add(code)
        try:
            validate_required_texts(item.get("title"))
        except ValidationError as exc:
            return _("Row %(row)d: %(error)s") % {"row": row, "error": " ".join(exc.messages)}
    return None


def link_errors(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _("Give a list of web addresses.")
    check = URLValidator(schemes=["https", "http"])
    for url in value:
        try:
            check(url)
        except ValidationError:
            return _("%(url)s is not a web address.") % {"url": url}
    return None


def programme_errors(programme: Programme) -> Errors:
    errors = model_errors(programme, ["organisation"])
    if not (programme.name or "").strip():
        add(errors, "name", _("A programme needs a name."))
    cap = programme.cap_per_recipient
    if isinstance(cap, Decimal) and cap <= 0:
        add(errors, "cap_per_recipient", _("The maximum must be above zero."))
    elif isinstance(cap, Decimal) and cap > DEFAULT_CAP and not programme.cap_justification.strip():
        add(
            errors,
            "cap_justification",
            _("A maximum above %(cap)s needs a justification.") % {"cap": DEFAULT_CAP},
        )
    return errors


def _amount_errors(call: Call, programme: Programme, errors: Errors) -> None:
    amounts = (call.amount_min, call.amount_max, call.budget, call.cap_per_recipient)
    if not all(isinstance(v, Decimal) for v in amounts):
        return  # the field errors already say which is missing
    if call.amount_min > call.amount_max:
        add(errors, "amount_max", _("The maximum amount is below the minimum."))
    if call.amount_max > call.cap_per_recipient:
        add(errors, "amount_max", _("The maximum amount is above the maximum per third party."))
    if call.amount_max > call.budget:
        add(errors, "budget", _("The budget is below the maximum amount."))
    if call.cap_per_recipient <= 0:
        add(errors, "cap_per_recipient", _("The maximum must be above zero."))
    elif (
        call.cap_per_recipient > programme.cap_per_recipient
        and not (call.cap_justification or "").strip()
    ):
        add(
            errors,
            "cap_justification",
            _("A maximum above the programme's (%(cap)s) needs a justification.")
            % {"cap": programme.cap_per_recipient},
        )


def _list_errors(call: Call, errors: Errors) -> None:
    checks = {
        "activity_types": activity_type_errors(call.activity_types),
        "recipient_categories": code_list_errors(
            call.recipient_categories, list(RecipientCategory.values)
        ),
        "legal_forms": code_list_errors(call.legal_forms, list(LegalForm.values)),
        "publication_links": link_errors(call.publication_links),
    }
    for field, message in checks.items():
        if message and field not in errors:
            add(errors, field, message)


def call_errors(call: Call, programme: Programme) -> Errors:
    """Every rule of a call, by field (empty: the call is sound)."""
    errors = model_errors(call, ["programme", "organisation", "created_by", "reference"])
    if not CODE.match((call.reference or "").lower()):
        add(errors, "reference", _("1 to 40 letters, digits, “-” or “_”."))
    if not valid_zone(call.time_zone):
        add(errors, "time_zone", _("Not a time zone name (e.g. Europe/Kyiv)."))
    opens, closes = call.opens_at, call.closes_at
    if isinstance(opens, dt.datetime) and isinstance(closes, dt.datetime) and closes <= opens:
        add(errors, "closes_at", _("The call closes before it opens."))
    _amount_errors(call, programme, errors)
    _list_errors(call, errors)
    return errors


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
