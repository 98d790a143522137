"""The e-mail that tells an applicant organisation's members their application changed status
(django-tasks, enqueued by ``actions_applications.notify_status`` after the commit). It says the
reference, the new status and a link, in each member's language: nothing of the application's
content, the reviews or the amounts."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from justicework.core.models import Membership, User
from justicework.core.roles import Capability, roles_with
from justicework.core.uses import runs_as
from justicework.grants.models import Application

log = logging.getLogger(__name__)


def recipients(application: Application) -> list[User]:
    """The active members of the applicant organisation who may apply for it."""
    members = Membership.objects.filter(
        organisation_id=application.applicant.organisation_id,
        role__in=roles_with(Capability.GRANT_APPLY),
        user__is_active=True,
    ).select_related("user")
    return sorted({m.user for m in members if m.user.email}, key=lambda u: u.pk)


def message(application: Application, status: str, language: str) -> tuple[str, str]:
    link = settings.GRANTS_NOTICE_BASE_URL.rstrip("/") + reverse(
        "grants:application_detail", args=[application.pk]
    )
    with translation.override(language):
        label = str(Application.Status(status).label)
        subject = _("JusticeWork: application %(reference)s is %(status)s") % {
            "reference": application.reference,
            "status": label,
        }
        body = _(
            "The status of the application %(reference)s is now: %(status)s.\n\n"
            "Open it here (sign-in needed): %(link)s\n"
        ) % {"reference": application.reference, "status": label, "link": link}
    return subject, body


@task()
@runs_as("none")  # a reference, a status and members' addresses: no person data of the records
def send_status_notice(application_id: int, status: str) -> int:
    """Mail each member once; the number of e-mails sent."""
    application = Application.objects.select_related("applicant").filter(pk=application_id).first()
    if application is None:
        return 0
    sent = 0
    for user in recipients(application):
        subject, body = message(
            application, status, user.preferred_language or settings.LANGUAGE_CODE
        )
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:  # the mail server: log without data, the status page still says it
            log.warning("Status notice of application %s could not be mailed.", application_id)
            continue
        sent += 1
    return sent
