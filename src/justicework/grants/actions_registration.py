"""An applicant organisation registers itself: a login, a core Organisation of kind "grantee",
the person's grantee membership and the organisation's legal entity, in one transaction,
through core's actions and audited.

An organisation is registered once (its country and registration number, ``identity_key``): a
second registration is refused with a message that says only that, and that its members can
invite the person. Nothing else about the existing organisation is told.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import actions as core_actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.grants.call_checks import code_list_errors
from justicework.grants.legal_forms import LegalForm
from justicework.grants.models import LegalEntity, RecipientCategory
from justicework.grants.models.applicants import identity_key


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    display_name: str
    legal_name: str
    legal_form: str
    country: str
    registration_number: str
    categories: list[str]
    language: str = ""


def already_registered_message() -> str:
    return _(
        "This organisation is already registered. Ask one of its members to invite you "
        "to it; you will then sign in with your own e-mail address."
    )


def _errors(data: Registration) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    checks: list[tuple[str, bool, str]] = [
        ("display_name", not data.display_name.strip(), _("Give your name.")),
        ("legal_name", not data.legal_name.strip(), _("Give the organisation's legal name.")),
        ("legal_form", data.legal_form not in LegalForm.values, _("Choose a legal form.")),
        (
            "country",
            pycountry.countries.get(alpha_2=data.country.upper() or "-") is None,
            _("Choose the country of registration."),
        ),
        (
            "registration_number",
            not identity_key(data.country or "-", data.registration_number).split(":")[1],
            _("Give the registration number (letters and digits)."),
        ),
    ]
    for field, failed, message in checks:
        if failed:
            errors[field] = [message]
    wrong = code_list_errors(data.categories, list(RecipientCategory.values))
    if wrong is not None:
        errors["categories"] = [wrong]
    try:
        validate_email(data.email)
    except ValidationError as exc:
        errors["email"] = exc.messages
    try:
        validate_password(data.password, User(email=data.email, display_name=data.display_name))
    except ValidationError as exc:
        errors["password"] = exc.messages
    return errors


def _free_name(name: str) -> tuple[str, str]:
    """An organisation name and short name nobody uses yet (the legal name, numbered if
    another organisation of the platform happens to share it)."""
    base_slug = slugify(name)[:50] or "grantee"
    for number in range(1, 1000):
        candidate = name if number == 1 else f"{name} ({number})"
        slug = base_slug if number == 1 else f"{base_slug}-{number}"
        taken = Organisation.objects.filter(name=candidate).exists()
        if not taken and not Organisation.objects.filter(slug=slug).exists():
            return candidate[:200], slug
    raise ValidationError({"legal_name": _("Choose another name.")})  # pragma: no cover


@transaction.atomic
def register_applicant(data: Registration) -> tuple[User, LegalEntity]:
    """Register an applicant organisation and its first member (who is then signed in)."""
    errors = _errors(data)
    if errors:
        raise ValidationError(errors)
    key = identity_key(data.country, data.registration_number)
    if LegalEntity.objects.filter(identity_key=key).exists():
        raise ValidationError({"registration_number": already_registered_message()})
    name, slug = _free_name(data.legal_name.strip())
    country = data.country.upper()
    user = core_actions.create_user(
        None, email=data.email, password=data.password, display_name=data.display_name.strip()
    )
    if data.language:
        User.objects.filter(pk=user.pk).update(preferred_language=data.language[:8])
    org = core_actions.create_organisation(
        None, name=name, kind=Organisation.Kind.GRANTEE, countries=[country], slug=slug
    )
    core_actions.add_member(None, org, user, Role.GRANTEE)
    entity = LegalEntity(
        organisation=org,
        legal_name=data.legal_name.strip(),
        legal_form=data.legal_form,
        country=country,
        registration_number=data.registration_number.strip(),
        identity_key=key,
        categories=list(data.categories),
    )
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError as exc:  # registered meanwhile by someone else
        raise ValidationError({"registration_number": already_registered_message()}) from exc
    record(
        user,
        "grants.applicant.registered",
        entity,
        organisation_id=org.pk,
        diff={"legal_form": entity.legal_form, "country": country, "categories": entity.categories},
    )
    return user, entity
