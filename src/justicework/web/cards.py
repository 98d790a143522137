"""The web shell's own dashboard cards and header links (registered in ``WebConfig.ready``).

Every count is a policy queryset's count, so a card never shows what its reader may not see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from justicework.audit.queries import entries_for
from justicework.core import policy
from justicework.core.models import Membership, Organisation, User
from justicework.web import dashboard, nav
from justicework.web.dashboard import Card

RECENT_AUDIT_ENTRIES = 5
PENDING_MEMBERS_SHOWN = 5


def _active_org(request: HttpRequest) -> Organisation | None:
    membership: Any = getattr(request, "membership", None)
    return membership.organisation if membership is not None else None


def organisations_card(request: HttpRequest) -> Card | None:
    count = policy.visible(request.user, Organisation, "view").count()
    if not count and not policy.can(request.user, "view_directory", Organisation):
        return {
            "title": _("No organisation yet"),
            "note": _(
                "You are not a member of any organisation. Ask an organisation's admin to add you."
            ),
            "order": 0,
        }
    return {
        "title": _("Organisations"),
        "count": count,
        "url": reverse("web:organisation_list"),
        "link_label": _("All organisations"),
        "order": 10,
    }


def members_card(request: HttpRequest) -> Card | None:
    org = _active_org(request)
    if org is None or not policy.can(request.user, "view_members", org):
        return None
    count = policy.visible(request.user, Membership, "view").filter(organisation=org).count()
    return {
        "title": _("Members of %(organisation)s") % {"organisation": org.name},
        "count": count,
        "url": reverse("web:organisation_detail", args=[org.pk]),
        "link_label": _("See the members"),
        "order": 20,
    }


def pending_card(request: HttpRequest) -> Card | None:
    """Members who have never signed in: their invitation (password link) is still pending."""
    org = _active_org(request)
    if org is None or not policy.can(request.user, "manage_members", org):
        return None
    pending = (
        policy.visible(request.user, Membership, "manage")
        .filter(organisation=org, user__last_login__isnull=True)
        .select_related("user")
        .order_by("-created_at")
    )
    shown = list(pending[:PENDING_MEMBERS_SHOWN])
    return {
        "title": _("Members who have not signed in yet"),
        "count": pending.count() if len(shown) == PENDING_MEMBERS_SHOWN else len(shown),
        "entries": [{"label": str(m.user), "note": m.get_role_display()} for m in shown],
        "url": reverse("web:organisation_detail", args=[org.pk]),
        "link_label": _("Manage members"),
        "order": 30,
    }


def audit_card(request: HttpRequest) -> Card | None:
    org = _active_org(request)
    if org is None or not policy.can(request.user, "view_audit", org):
        return None
    entries = entries_for(request.user, org)
    recent = list(entries[:RECENT_AUDIT_ENTRIES])
    return {
        "title": _("Audit log of %(organisation)s") % {"organisation": org.name},
        "count": entries.count() if len(recent) == RECENT_AUDIT_ENTRIES else len(recent),
        "entries": [
            {"label": e.action, "note": e.actor_label, "time": e.created_at} for e in recent
        ],
        "url": reverse("web:organisation_audit", args=[org.pk]),
        "link_label": _("Read the audit log"),
        "order": 40,
    }


def people_card(request: HttpRequest) -> Card | None:
    if not policy.can(request.user, "view_all", User):
        return None
    return {
        "title": _("Accounts on the platform"),
        "count": policy.visible(request.user, User, "view").count(),
        "order": 15,
    }


def _may_see_organisations(request: HttpRequest) -> bool:
    return bool(policy.can(request.user, "view_directory", Organisation))


def _may_read_active_audit(request: HttpRequest) -> bool:
    org = _active_org(request)
    return org is not None and bool(policy.can(request.user, "view_audit", org))


def register() -> None:
    nav.register(gettext_lazy("Dashboard"), "web:dashboard", None, order=0)
    nav.register(
        gettext_lazy("Organisations"), "web:organisation_list", _may_see_organisations, order=80
    )
    nav.register(gettext_lazy("Audit log"), "web:audit", _may_read_active_audit, order=90)
    for provider in (organisations_card, people_card, members_card, pending_card, audit_card):
        dashboard.register(provider)
