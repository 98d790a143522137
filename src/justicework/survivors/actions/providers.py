"""The directory of service providers: add one, change one (including sharing it with the
coalition or deactivating it). One validation (``check_provider``) for the page, the API and
any importer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors import languages as langs
from justicework.survivors.models import ServiceKind, ServiceProvider

TEXT_LIMIT = 4000


@dataclass(frozen=True)
class ProviderData:
    name: str
    kind: str
    country: str
    area: str = ""
    languages: list[str] = field(default_factory=list)
    accessibility: str = ""
    contact: str = ""
    opening_hours: str = ""
    referral_requirements: str = ""
    shared: bool = False
    active: bool = True


def check_provider(data: ProviderData) -> dict[str, str]:
    """Errors by field name (empty: valid)."""
    errors: dict[str, str] = {}
    if not data.name.strip() or len(data.name.strip()) > 200:
        errors["name"] = _("Give a name of at most 200 characters.")
    if data.kind not in ServiceKind.values:
        errors["kind"] = _("Choose a kind of service.")
    if pycountry.countries.get(alpha_2=data.country.upper()) is None:
        errors["country"] = _("Choose a country.")
    if len(data.area) > 200 or len(data.opening_hours) > 300:
        errors["area"] = _("Keep the area and the opening hours short.")
    unknown = [code for code in data.languages if code not in langs.codes()]
    if unknown:
        errors["languages"] = _("Unknown language: %(code)s.") % {"code": ", ".join(unknown)}
    for name in ("accessibility", "contact", "referral_requirements"):
        if len(getattr(data, name)) > TEXT_LIMIT:
            errors[name] = _("At most %(n)d characters.") % {"n": TEXT_LIMIT}
    return errors


def _values(data: ProviderData) -> dict[str, object]:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(data).items()}
    values["country"] = data.country.upper()
    codes = sorted(dict.fromkeys(data.languages))
    values["languages"] = f",{','.join(codes)}," if codes else ""
    return values


def _diff(provider: ServiceProvider) -> dict[str, object]:
    return {
        "name": provider.name,
        "kind": provider.kind,
        "country": provider.country,
        "shared": provider.shared,
        "active": provider.active,
    }


@transaction.atomic
def create_provider(actor: User, organisation: Organisation, data: ProviderData) -> ServiceProvider:
    policy.require(actor, "manage_providers", organisation)
    errors = check_provider(data)
    if errors:
        raise ValidationError(errors)
    provider = ServiceProvider.objects.create(
        organisation=organisation, created_by=actor, **_values(data)
    )
    record(
        actor, "survivors.provider.created", provider,
        organisation_id=organisation.pk, diff=_diff(provider),
    )  # fmt: skip
    return provider


@transaction.atomic
def update_provider(actor: User, provider: ServiceProvider, data: ProviderData) -> ServiceProvider:
    policy.require(actor, "manage", provider)
    errors = check_provider(data)
    if errors:
        raise ValidationError(errors)
    for name, value in _values(data).items():
        setattr(provider, name, value)
    provider.updated_at = timezone.now()
    provider.save()
    record(
        actor, "survivors.provider.updated", provider,
        organisation_id=provider.organisation_id, diff=_diff(provider),
    )  # fmt: skip
    return provider
