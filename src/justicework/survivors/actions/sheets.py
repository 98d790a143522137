"""Information sheets: a new version per change, never an edit (what a survivor was told
stays reproducible)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.survivors.models import InformationSheet


@transaction.atomic
def create_information_sheet(
    actor: User,
    organisation: Organisation,
    *,
    language: str,
    title: str,
    body: str,
    key: str = "consent",
) -> InformationSheet:
    """Add the next version of sheet ``key`` in ``language``."""
    policy.require(actor, "manage_information_sheets", organisation)
    errors: dict[str, str] = {}
    language, title, body = language.strip(), title.strip(), body.strip()
    if not language or len(language) > 16:
        errors["language"] = _("Use a language code (e.g. en, ar).")
    if not title or len(title) > 200:
        errors["title"] = _("Give a title of at most 200 characters.")
    if not body:
        errors["body"] = _("The sheet needs its text.")
    if errors:
        raise ValidationError(errors)
    # Two sheets made at once: the unique (organisation, key, language, version) refuses one.
    latest = InformationSheet.objects.filter(
        organisation=organisation, key=key, language=language
    ).aggregate(v=Max("version"))["v"]
    sheet = InformationSheet.objects.create(
        organisation=organisation,
        key=key,
        language=language,
        version=(latest or 0) + 1,
        title=title,
        body=body,
        created_by=actor,
    )
    record(
        actor,
        "survivors.sheet.created",
        sheet,
        organisation_id=organisation.pk,
        diff={"key": key, "language": language, "version": sheet.version},
    )
    return sheet
