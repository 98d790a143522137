"""The e-mails that tell an applicant organisation's members what happened to their
application (django-tasks, enqueued by ``grants.notices`` after the commit). Each says the
event and a link, in each member's language (their own, else the application's): nothing of the
application's content, the reasons, the reviews or the amounts, which the page shows."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from justicework.core.models import Membership, User
from justicework.core.roles import Capability, roles_with
from justicework.core.uses import runs_as
from justicework.grants import notices_text as notices
from justicework.grants.models import Application
from justicework.grants.models.notices import ApplicantNotice

log = logging.getLogger(__name__)


def recipients(application: Application) -> list[User]:
    """The active members of the applicant organisation who may apply for it."""
    return recipients_by_org([application.applicant.organisation_id])[
        application.applicant.organisation_id
    ]


def recipients_by_org(organisation_ids: list[int]) -> dict[int, list[User]]:
    """{organisation: its active members holding ``grant.apply`` with an address}, one query."""
    found: dict[int, set[User]] = {pk: set() for pk in organisation_ids}
    members = Membership.objects.filter(
        organisation_id__in=sorted(set(organisation_ids)),
        role__in=roles_with(Capability.GRANT_APPLY),
        user__is_active=True,
    ).select_related("user")
    for m in members:
        if m.user.email:
            found[m.organisation_id].add(m.user)
    return {pk: sorted(users, key=lambda u: u.pk) for pk, users in found.items()}


def link_to(application: Application) -> str:
    return settings.GRANTS_NOTICE_BASE_URL.rstrip("/") + reverse(
        "grants:application_detail", args=[application.pk]
    )


@task()
@runs_as("none")  # a reference, an event and members' addresses: no person data of the records
def send_applicant_notices(notice_ids: list[int]) -> int:
    """Mail each member of each notice's applicant once; the number of e-mails sent."""
    rows = list(
        ApplicantNotice.objects.filter(pk__in=notice_ids)
        .select_related("application__applicant")
        .order_by("pk")
    )
    people = recipients_by_org([n.application.applicant.organisation_id for n in rows])
    sent = 0
    for notice in rows:
        application = notice.application
        for user in people[application.applicant.organisation_id]:
            language = notices.language_for(user.preferred_language, application)
            subject, body = notices.email(notice, language, link_to(application))
            try:
                send_mail(subject, body, None, [user.email])
            except OSError:  # the mail server: log without data, the page still says it
                log.warning("Notice %s could not be mailed.", notice.pk)
                continue
            sent += 1
    return sent
