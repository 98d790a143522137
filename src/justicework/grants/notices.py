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

from django.db import transaction

from justicework.grants.models import Application, Call
from justicework.grants.models.notices import ApplicantNotice

# the words (``notices_text``), read through this module by the views and the tests
from justicework.grants.notices_text import email, for_page, language_for, sentence

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


__all__ = ["email", "for_page", "language_for", "sentence", "tell", "tell_call_changed"]
