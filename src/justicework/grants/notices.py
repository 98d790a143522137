"""Telling an applicant organisation what happened to its application: one
:class:`ApplicantNotice` per event, written in the transaction of the action that caused it
(so a refused action tells nobody), then one e-mail to each member holding ``grant.apply``
after the commit (``tasks_applications.send_applicant_notices``).

The actions call one function each: :func:`tell` (an application's event), :func:`tell_call_changed`
(every live application of a changed call). Nothing else writes a notice.

What is said: the page (the applicant's members only) shows the sentence and the text meant
for the applicant (the staff's reasons, the report's comments, why the call changed); the
e-mail says the sentence without amounts or reasons and links to the page, as the status
e-mails always did: the content stays on the platform. Reviewers' comments and scores are
never part of a notice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from justicework.grants.models import Application, Call
from justicework.grants.models.notices import ApplicantNotice

K = ApplicantNotice.Kind
S = Application.Status
#: applications told of a change to their call (still in the running)
LIVE = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW)


def _send_after_commit(ids: list[int]) -> None:
    from justicework.grants.tasks_applications import send_applicant_notices

    if ids:
        transaction.on_commit(lambda: send_applicant_notices.enqueue(ids))


def tell(
    application: Application, kind: str, *, reason: str = "", **details: Any
) -> ApplicantNotice:
    """Record ``kind`` for the application's organisation and mail its members after the
    commit. ``reason`` is the text written for the applicant; ``details`` what the sentence
    needs (JSON values)."""
    notice = ApplicantNotice.objects.create(
        application=application,
        kind=kind,
        status=application.status,
        reason=(reason or "").strip(),
        details=details,
    )
    _send_after_commit([notice.pk])
    return notice


def tell_call_changed(call: Call, changed: Iterable[str], note: str) -> int:
    """One notice per live application of ``call`` (draft, submitted, in review) for one change
    of the published call (several fields changed at once are one notice); how many."""
    what = sorted(set(changed))
    applications = list(
        Application.objects.filter(call=call, status__in=LIVE).only("pk", "status").order_by("pk")
    )
    notices = ApplicantNotice.objects.bulk_create(
        ApplicantNotice(
            application=a, kind=K.CALL_CHANGED, status=a.status, reason=note.strip(),
            details={"call": call.reference, "changed": what},
        )
        for a in applications
    )  # fmt: skip
    _send_after_commit([n.pk for n in notices])
    return len(notices)


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
