"""What an applicant is told, in words: the sentence of a notice, the e-mail (without amounts
or reasons: the content stays on the platform) and the rows the application page shows. Kept
apart from ``notices`` (which records the events and enqueues the e-mails) so the e-mail task
can read it without importing the recorder."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from justicework.grants.models import Application, Call
from justicework.grants.models.notices import ApplicantNotice

K = ApplicantNotice.Kind
S = Application.Status


def language_for(preferred: str, application: Application) -> str:
    """The member's language, else the application's, else the site's."""
    known = {code for code, _name in settings.LANGUAGES}
    for code in (preferred, application.language):
        if code and code in known:
            return code
    return str(settings.LANGUAGE_CODE)


def _changed_label(code: str) -> str:
    kind, _sep, name = code.partition(":")
    if name:
        return _("%(kind)s %(code)s") % {"kind": kind, "code": name}
    try:
        field = Call._meta.get_field(code)
    except FieldDoesNotExist:  # a field renamed since: show its code
        return code
    return str(getattr(field, "verbose_name", code))


def _decision_sentence(notice: ApplicantNotice, ref: str, amounts: bool) -> str:
    d = notice.details
    if notice.status == S.AWARDED:
        if amounts and d.get("amount"):
            return _("Application %(reference)s is awarded %(amount)s %(currency)s.") % {
                "reference": ref, "amount": d["amount"], "currency": d.get("currency", ""),
            }  # fmt: skip
        return _("Application %(reference)s is awarded a grant.") % {"reference": ref}
    if notice.status == S.RESERVE:
        return _("Application %(reference)s is on the reserve list.") % {"reference": ref}
    return _("Application %(reference)s was not selected.") % {"reference": ref}


def _money_sentence(notice: ApplicantNotice, ref: str, amounts: bool) -> str:
    d = notice.details
    if notice.kind == K.AGREEMENT:
        return _("The grant agreement of %(reference)s is ready to sign.") % {"reference": ref}
    if notice.kind in (K.REPORT_RETURNED, K.REPORT_APPROVED):
        values = {"reference": ref, "report": d.get("report", "")}
        if notice.kind == K.REPORT_RETURNED:
            return _("The report “%(report)s” of %(reference)s is returned for changes.") % values
        return _("The report “%(report)s” of %(reference)s is approved.") % values
    values = {"reference": ref, "date": d.get("date", ""), "tranche": d.get("tranche", "")}
    if amounts:
        values |= {"amount": d.get("amount", ""), "currency": d.get("currency", "")}
        if d.get("tranche"):
            return _("Tranche %(tranche)s of %(reference)s: %(amount)s %(currency)s paid on "
                     "%(date)s.") % values  # fmt: skip
        return _("%(amount)s %(currency)s paid on %(date)s for %(reference)s.") % values
    if d.get("tranche"):
        return _("Tranche %(tranche)s of %(reference)s was paid on %(date)s.") % values
    return _("A payment for %(reference)s was made on %(date)s.") % values


def sentence(notice: ApplicantNotice, *, amounts: bool = True) -> str:
    """What happened, in the active language (amounts only on the page)."""
    ref = notice.application.reference
    if notice.kind == K.ELIGIBILITY:
        if notice.status == S.INELIGIBLE:
            return _("Application %(reference)s is not eligible.") % {"reference": ref}
        return _("Application %(reference)s is eligible and goes to review.") % {"reference": ref}
    if notice.kind == K.DECISION:
        return _decision_sentence(notice, ref, amounts)
    if notice.kind == K.CALL_CHANGED:
        changed = ", ".join(_changed_label(c) for c in notice.details.get("changed", []))
        return _("The call %(call)s of application %(reference)s changed: %(changed)s.") % {
            "call": notice.details.get("call", ""), "reference": ref, "changed": changed,
        }  # fmt: skip
    if notice.kind == K.STATUS:
        return _("The status of the application %(reference)s is now: %(status)s.") % {
            "reference": ref, "status": S(notice.status).label,
        }  # fmt: skip
    return _money_sentence(notice, ref, amounts)


def email(notice: ApplicantNotice, language: str, link: str) -> tuple[str, str]:
    """The subject and the body of the notice's e-mail in ``language``: the sentence and a
    link, never the reason nor an amount."""
    with translation.override(language):
        said = sentence(notice, amounts=False)
        subject = _("JusticeWork: %(kind)s, application %(reference)s") % {
            "kind": ApplicantNotice.Kind(notice.kind).label,
            "reference": notice.application.reference,
        }
        more = (
            _("The reasons and comments are on the application's page.")
            if notice.reason
            else _("The details are on the application's page.")
        )
        body = _("%(sentence)s\n\n%(more)s\nOpen it here (sign-in needed): %(link)s\n") % {
            "sentence": said, "more": more, "link": link,
        }  # fmt: skip
    return subject, body


def for_page(notices: Iterable[ApplicantNotice]) -> list[dict[str, Any]]:
    """The notices as the application's page shows them, in the reader's language."""
    return [
        {"at": n.created_at, "sentence": sentence(n), "reason": n.reason,
         "kind": ApplicantNotice.Kind(n.kind).label}
        for n in notices
    ]  # fmt: skip
