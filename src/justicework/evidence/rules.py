"""Policy rules for the evidence vault (registered in ``EvidenceConfig.ready``).

=============  ===========================================  ==================================
object         action                                       needs
=============  ===========================================  ==================================
Organisation   ``evidence.upload`` (start an upload)        ``record.create`` (documenters,
                                                            admins)
Organisation   ``evidence.capture`` (ask for a web capture)  ``record.create``
Capture        ``view`` (its page, its API answer)          ``record.create`` in its
                                                            organisation, and being the
                                                            person who asked for it
Organisation   ``evidence.view`` (the list, the card)       ``evidence.view``
Item           ``view`` (its page: hashes, collection       ``evidence.view`` in the item's
               record, custody log)                         organisation
Organisation   ``evidence.package`` (export a signed        ``evidence.view`` (admins, legal
               package of its items)                        analysts, documenters)
Item           ``package`` (put it in a package)            ``evidence.view`` in the item's
                                                            organisation
Item           ``share`` (download its metadata-stripped    ``evidence.view`` in the item's
               copy: custody entry "shared")                organisation
Item           ``mark_graphic`` (set or clear the graphic   ``record.create`` in the item's
               flag)                                        organisation (as uploading)
Package        ``download`` (the ZIP of a web request)      ``evidence.view`` in its
                                                            organisation, and being the
                                                            person who asked for it
Organisation   ``evidence.remove.request`` (the removal       ``org.manage`` (admins)
               pages), ``evidence.remove.approve``
Item           ``remove.request`` (file a removal          ``org.manage`` in the item's
               request)                                     organisation; not a tombstone,
                                                            no request pending
RemovalRequest ``view``; ``approve``, ``reject``            ``org.manage`` in its
                                                            organisation; deciding: not the
                                                            requester, still pending
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
Organisation   ``evidence.link`` (link the items a bulk     ``record.edit`` (with
               ingest brings to an incident)                ``evidence.view``, asked apart)
Upload         ``change`` (HEAD, PATCH, DELETE of tus)      ``record.create`` in the upload's
                                                            organisation, and being its
                                                            uploader
SavedSearch    ``view`` (list it, package it)               ``evidence.view`` in its
                                                            organisation, and being the
                                                            person who saved it
Item           ``download`` (the original's bytes, as       ``evidence.view`` in the item's
               they were received: custody entry            organisation; not a tombstone
               "downloaded")
Item           ``copy`` (to another organisation of the     ``record.verify`` and
               coalition: "copied", and "received" on the   ``evidence.view`` in the item's
               new item)                                    organisation; not a tombstone;
                                                            and ``evidence.upload`` in the
                                                            receiving one (asked apart)
Item           ``transfer`` (record a hand-over to a        ``record.verify`` and
               court, a UN mechanism, a prosecutor:         ``evidence.view`` in the item's
               custody entry "transferred")                 organisation; not a tombstone
Transfer       ``view``                                     ``evidence.view`` in its
                                                            organisation
=============  ===========================================  ==================================

Uploading needs ``record.create`` rather than a capability of its own: an evidence file is a
documentation record, and the roles that create records are those that upload (docs/evidence.md,
"Who may do what"). Viewers, reviewers and programme officers neither upload nor open evidence.

Downloading the original needs only what opening the item needs (``evidence.view``): whoever may
package or share an item may take its bytes, and every download is a custody entry. Copying to a
partner and handing over to an outside body are decisions about where the evidence goes, taken
by those who vouch for it (``record.verify``: admins and legal analysts), as a verification is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability
from justicework.evidence.models import (
    Capture,
    Finding,
    Item,
    Link,
    Package,
    RemovalRequest,
    SavedSearch,
    Tombstone,
    Transfer,
    Upload,
)

C = Capability
PENDING = RemovalRequest.Status.PENDING

ORGANISATION_ACTIONS: dict[str, Capability] = {
    "evidence.upload": C.RECORD_CREATE,
    # a web capture brings a new item, as an upload does
    "evidence.capture": C.RECORD_CREATE,
    "evidence.view": C.EVIDENCE_VIEW,
    # a package holds the files themselves: the roles that may open (download) evidence files
    "evidence.package": C.EVIDENCE_VIEW,
    # removal for legal reasons: two admins, one asks, the other decides
    "evidence.remove.request": C.ORG_MANAGE,
    "evidence.remove.approve": C.ORG_MANAGE,
    "evidence.settings": C.ORG_MANAGE,
    # link items to its records before they exist (``evidence ingest --incident``): as ``link``
    "evidence.link": C.RECORD_EDIT,
}


ITEM_ACTIONS: dict[str, Capability] = {
    "view": C.EVIDENCE_VIEW,
    "package": C.EVIDENCE_VIEW,
    # download the metadata-stripped copy to share it (a custody entry "shared")
    "share": C.EVIDENCE_VIEW,
    # mark or unmark as graphic: the roles that upload
    "mark_graphic": C.RECORD_CREATE,
    # the two-person removal procedure: an admin asks, another admin decides
    "remove.request": C.ORG_MANAGE,
    # link to an incident, violation, person or source; write findings, move the status
    "link": C.RECORD_EDIT,
    "verify": C.RECORD_VERIFY,
    # the original's bytes (custody entry "downloaded"): whoever may package or share it
    "download": C.EVIDENCE_VIEW,
    # where the evidence goes (a partner organisation, a court): those who vouch for it
    "copy": C.RECORD_VERIFY,
    "transfer": C.RECORD_VERIFY,
}

#: actions that work on the file itself: they also need ``evidence.view`` in its organisation
OPENING = frozenset({"link", "verify", "copy", "transfer"})
#: actions refused once the item's file was removed (a tombstone)
LIVE_ONLY = frozenset({"remove.request", "package", "share", "download", "copy", "transfer"})


def _opens_evidence(user: User, action: str, obj: Item) -> Decision:
    """Linking, verifying, copying and handing over work on the file: they also need
    ``evidence.view`` there."""
    if action in OPENING and not policy.has_capability_in(
        user, C.EVIDENCE_VIEW, obj.organisation_id
    ):
        return deny(_("Your role in the owning organisation does not open evidence."))
    return ALLOW


def _opens_evidence_q(user: User, action: str) -> Q:
    if action in OPENING:
        return Q(organisation_id__in=sorted(policy.org_ids(user, C.EVIDENCE_VIEW)))
    return Q()


def _item_extra(user: User, action: str, obj: Item) -> Decision:
    decision = _item_state(user, action, obj)
    return decision if not decision else _opens_evidence(user, action, obj)


def _item_extra_q(user: User, action: str) -> Q:
    return _live_item_q(user, action) & _opens_evidence_q(user, action)


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


def _own_search(user: User, action: str, obj: SavedSearch) -> Decision:
    if obj.owner_id != user.pk:
        return deny(_("A saved search is private to the person who saved it."))
    return ALLOW


def _own_search_q(user: User, action: str) -> Q:
    return Q(owner_id=user.pk)


def is_tombstone(item: Item) -> bool:
    """Was the item's file removed? (The answer, found or not, is kept on the instance; a
    query that ``select_related("tombstone")`` asks none.)"""
    try:
        return item.tombstone is not None
    except Tombstone.DoesNotExist:
        return False


def _item_state(user: User, action: str, obj: Item) -> Decision:
    if action not in LIVE_ONLY:
        return ALLOW
    if is_tombstone(obj):
        return deny(_("This item's file was removed; only its tombstone is left."))
    if action == "remove.request" and obj.removal_requests.filter(status=PENDING).exists():
        return deny(_("A removal of this item is already waiting for a decision."))
    return ALLOW


def _live_item_q(user: User, action: str) -> Q:
    return Q(tombstone__isnull=True) if action in LIVE_ONLY - {"remove.request"} else Q()


def _decide_removal(user: User, action: str, obj: RemovalRequest) -> Decision:
    if action == "view":
        return ALLOW
    if obj.requester_id == user.pk:
        return deny(_("You asked for this removal: another admin must decide it."))
    if obj.status != PENDING:
        return deny(_("This removal request was decided already."))
    return ALLOW


def _own_capture(user: User, action: str, obj: Capture) -> Decision:
    if obj.requester_id != user.pk:
        return deny(_("Only the person who asked for a capture may follow it."))
    return ALLOW


def _own_capture_q(user: User, action: str) -> Q:
    return Q(requester_id=user.pk)


def rules() -> dict[Any, Any]:
    return {
        Item: OrganisationOwnedRule(
            ITEM_ACTIONS,
            extra=_item_extra,
            extra_q=_item_extra_q,
        ),
        RemovalRequest: OrganisationOwnedRule(
            {"view": C.ORG_MANAGE, "approve": C.ORG_MANAGE, "reject": C.ORG_MANAGE},
            extra=_decide_removal,
        ),
        Capture: OrganisationOwnedRule(
            {"view": C.RECORD_CREATE}, extra=_own_capture, extra_q=_own_capture_q
        ),
        Link: OrganisationOwnedRule({"view": C.EVIDENCE_VIEW}),
        Transfer: OrganisationOwnedRule({"view": C.EVIDENCE_VIEW}),
        Finding: OrganisationOwnedRule({"view": C.EVIDENCE_VIEW}),
        Package: OrganisationOwnedRule(
            {"download": C.EVIDENCE_VIEW}, extra=_own_package, extra_q=_own_package_q
        ),
        Upload: OrganisationOwnedRule(
            {"change": C.RECORD_CREATE}, extra=_own_upload, extra_q=_own_upload_q
        ),
        # private to its owner, while a member who may see evidence
        SavedSearch: OrganisationOwnedRule(
            {"view": C.EVIDENCE_VIEW}, extra=_own_search, extra_q=_own_search_q
        ),
    }


def register() -> None:
    for model, rule in rules().items():
        policy.register(model, rule)
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)
