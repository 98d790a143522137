"""A reviewer's own profile: the languages they review in (the assignment matches them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core.models import User
from justicework.grants.fields import language_codes
from justicework.grants.models.review import ReviewerProfile


@transaction.atomic
def set_languages(actor: User, languages: Iterable[str]) -> ReviewerProfile:
    chosen = sorted(set(languages))
    known = language_codes()
    if not chosen or any(code not in known for code in chosen):
        raise ValidationError({"languages": _("Choose one or more languages of the list.")})
    profile, _created = ReviewerProfile.objects.update_or_create(
        user=actor, defaults={"languages": chosen}
    )
    record(actor, "grants.review.languages_set", profile, diff={"languages": chosen})
    return profile
