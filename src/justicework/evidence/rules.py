"""Policy rules for the evidence vault (registered in ``EvidenceConfig.ready``).

=============  ===========================================  ==================================
object         action                                       needs
=============  ===========================================  ==================================
Organisation   ``evidence.upload`` (start an upload)        ``record.create`` (documenters,
                                                            admins)
Organisation   ``evidence.view`` (the list, the card)       ``evidence.view``
Item           ``view`` (its page: hashes, collection       ``evidence.view`` in the item's
               record, custody log)                         organisation
Organisation   ``evidence.package`` (export a signed        ``evidence.view`` (admins, legal
               package of its items)                        analysts, documenters)
Item           ``package`` (put it in a package)            ``evidence.view`` in the item's
                                                            organisation
Package        ``download`` (the ZIP of a web request)      ``evidence.view`` in its
                                                            organisation, and being the
                                                            person who asked for it
Item           ``link`` (link it to an incident,            ``record.edit`` in the item's
               violation, person or source of its           organisation (and ``view`` of the
               organisation, or remove a link)              record linked to)
Item           ``verify`` (write a finding, move its        ``record.verify`` in the item's
               verification status)                         organisation (admins, legal
                                                            analysts)
Link           ``view``                                     ``evidence.view`` in its
                                                            organisation
Organisation   ``evidence.settings`` (two-person            ``org.manage`` (admins)
               verification on or off)
Upload         ``change`` (HEAD, PATCH, DELETE of tus)      ``record.create`` in the upload's
                                                            organisation, and being its
                                                            uploader
=============  ===========================================  ==================================

Uploading needs ``record.create`` rather than a capability of its own: an evidence file is a
documentation record, and the roles that create records are those that upload (docs/evidence.md,
"Who may do what"). Viewers, reviewers and programme officers neither upload nor open evidence.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability
from justicework.evidence.models import Finding, Item, Link, Package, Upload

C = Capability

ORGANISATION_ACTIONS: dict[str, Capability] = {
    "evidence.upload": C.RECORD_CREATE,
    "evidence.view": C.EVIDENCE_VIEW,
    # a package holds the files themselves: the roles that may open (download) evidence files
    "evidence.package": C.EVIDENCE_VIEW,
    "evidence.settings": C.ORG_MANAGE,
}


def _opens_evidence(user: User, action: str, obj: Item) -> Decision:
    """Linking and verifying work on the file: they also need ``evidence.view`` there."""
    if action in {"link", "verify"} and not policy.has_capability_in(
        user, C.EVIDENCE_VIEW, obj.organisation_id
    ):
        return deny(_("Your role in the owning organisation does not open evidence."))
    return ALLOW


def _opens_evidence_q(user: User, action: str) -> Q:
    if action in {"link", "verify"}:
        return Q(organisation_id__in=sorted(policy.org_ids(user, C.EVIDENCE_VIEW)))
    return Q()


def _own_upload(user: User, action: str, obj: Upload) -> Decision:
    if obj.uploader_id != user.pk:
        return deny(_("Only the person who started an upload may continue it."))
    return ALLOW


def _own_upload_q(user: User, action: str) -> Q:
    return Q(uploader_id=user.pk)


def _own_package(user: User, action: str, obj: Package) -> Decision:
    if obj.requester_id != user.pk:
        return deny(_("Only the person who asked for a package may download it."))
    return ALLOW


def _own_package_q(user: User, action: str) -> Q:
    return Q(requester_id=user.pk)


def rules() -> dict[Any, Any]:
    return {
        Item: OrganisationOwnedRule(
            {
                "view": C.EVIDENCE_VIEW,
                "package": C.EVIDENCE_VIEW,
                "link": C.RECORD_EDIT,
                "verify": C.RECORD_VERIFY,
            },
            extra=_opens_evidence,
            extra_q=_opens_evidence_q,
        ),
        Link: OrganisationOwnedRule({"view": C.EVIDENCE_VIEW}),
        Finding: OrganisationOwnedRule({"view": C.EVIDENCE_VIEW}),
        Package: OrganisationOwnedRule(
            {"download": C.EVIDENCE_VIEW}, extra=_own_package, extra_q=_own_package_q
        ),
        Upload: OrganisationOwnedRule(
            {"change": C.RECORD_CREATE}, extra=_own_upload, extra_q=_own_upload_q
        ),
    }


def register() -> None:
    for model, rule in rules().items():
        policy.register(model, rule)
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)
