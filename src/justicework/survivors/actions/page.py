"""The survivor page's writes: staff issue and revoke codes; the survivor, by code, signs in
and withdraws a use. A withdrawal is the consent machinery's (a new ``Consent`` with one
"withdrawn" decision, effective at once through the gate); the audit's actor is empty (no
user) and the entry says "the survivor, by code"."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from justicework.audit.chain import record
from justicework.core import policy, uses
from justicework.core.models import Organisation, User
from justicework.survivors import gate, page_codes
from justicework.survivors.actions.consent import Choice, _check_choices, _diff
from justicework.survivors.models import (
    Consent,
    ConsentDecision,
    SurvivorFile,
    SurvivorPageCode,
    SurvivorPageSwitch,
)

BY_CODE = "survivor_by_code"


@transaction.atomic
def issue_page_code(actor: User, file: SurvivorFile) -> tuple[SurvivorPageCode, str]:
    """A new code for ``file`` (its earlier codes revoked); returns the row and the code as
    the survivor types it, which is shown once and never stored."""
    policy.require(actor, "issue_page_code", file)
    if not page_codes.page_on(file.organisation_id):
        raise ValidationError(
            {"page": _("The survivor page is off for this organisation: no code can be issued.")}
        )
    now = timezone.now()
    revoked = SurvivorPageCode.objects.filter(file=file, revoked_at__isnull=True).update(
        revoked_at=now
    )
    lookup, secret = page_codes.new_code()
    while SurvivorPageCode.objects.filter(lookup=lookup).exists():
        lookup, secret = page_codes.new_code()
    code = SurvivorPageCode.objects.create(
        organisation_id=file.organisation_id,
        file=file,
        lookup=lookup,
        secret_hash=page_codes.hash_secret(secret),
        issued_by=actor,
        expires_at=now + dt.timedelta(days=settings.SURVIVORS_PAGE_CODE_DAYS),
    )
    record(
        actor, "survivors.page_code.issued", code, organisation_id=file.organisation_id,
        diff={"file": file.pk, "revoked_earlier": revoked, "expires_at": code.expires_at},
    )  # fmt: skip
    return code, page_codes.display(lookup, secret)


@transaction.atomic
def revoke_page_codes(actor: User, file: SurvivorFile) -> int:
    """Revoke every live code of ``file`` (an open visit ends at its next page)."""
    policy.require(actor, "issue_page_code", file)
    revoked = SurvivorPageCode.objects.filter(file=file, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(
        actor, "survivors.page_code.revoked", file, organisation_id=file.organisation_id,
        diff={"file": file.pk, "revoked": revoked},
    )  # fmt: skip
    return revoked


@transaction.atomic
def set_survivor_page(actor: User, organisation: Organisation, enabled: bool) -> bool:
    """Turn the organisation's survivor page on or off (an organisation admin's decision);
    returns whether anything changed. Off, the codes are kept but open nothing, and open
    visits end at their next page; on again, unexpired codes work again."""
    policy.require(actor, "manage_survivor_page", organisation)
    switch = SurvivorPageSwitch.objects.select_for_update().filter(organisation=organisation)
    current = switch.first()
    if (current.enabled if current else False) == enabled:
        return False
    row, _created = SurvivorPageSwitch.objects.update_or_create(
        organisation=organisation,
        defaults={"enabled": enabled, "changed_by": actor, "changed_at": timezone.now()},
    )
    record(
        actor, "survivors.page.switched", row, organisation_id=organisation.pk,
        diff={"enabled": enabled},
    )  # fmt: skip
    return True


def record_page_event(code: SurvivorPageCode, event: str, **diff: object) -> None:
    """Audit what happens on the page: signed in, viewed, a wrong secret, left."""
    with transaction.atomic():
        record(
            None, f"survivors.page.{event}", code, organisation_id=code.organisation_id,
            diff={"actor": BY_CODE, "file": code.file_id, **diff},
        )  # fmt: skip


@transaction.atomic
def withdraw_by_survivor(code: SurvivorPageCode, scope: str, qualifier: str = "") -> Consent:
    """The survivor withdraws one use they had given. The caller checked the code."""
    file = SurvivorFile.objects.select_for_update().get(pk=code.file_id)
    locked = SurvivorPageCode.objects.get(pk=code.pk)
    if not locked.usable:
        raise ValidationError({"code": _("This code no longer opens the page.")})
    errors = _check_choices([Choice(scope, False, qualifier)])
    if errors:
        raise ValidationError(errors)
    qualifier = qualifier.strip()
    state = gate.current_state(file.person_id, scope, qualifier)
    if state is None or not state.allowed:
        raise ValidationError({"scope": _("There is no consent to withdraw for this use.")})
    consent = Consent.objects.create(
        organisation_id=file.organisation_id, file=file, given_at=timezone.now(),
        method=Consent.Method.SURVIVOR_PAGE, taken_by=locked.issued_by,
        language=file.preferred_language or "und",
        given_by=Consent.GivenBy.GUARDIAN if file.is_child else Consent.GivenBy.SURVIVOR,
        guardian_relationship=_("holder of the survivor page code") if file.is_child else "",
        recorded_by=locked.issued_by,
    )  # fmt: skip
    decision = ConsentDecision.objects.create(
        consent=consent, file=file, scope=scope, qualifier=qualifier,
        answer=ConsentDecision.Answer.WITHDRAWN,
    )  # fmt: skip
    record(
        None, "survivors.consent.withdrawn", consent, organisation_id=file.organisation_id,
        diff=_diff(consent, [decision]) | {"actor": BY_CODE, "code": locked.pk},
    )  # fmt: skip
    uses.forget(file.person_id)
    return consent
