"""Linking an evidence item to an incident, a violation, a person or a source of its own
organisation, and removing a link: each a custody entry on the item ("linked"/"unlinked", which
also writes the audit entry).

:func:`link_item` is the one door: the web form, the API and the bulk ingest command call it.
A target of another organisation, or one the actor may not open, is refused with the same
words as a missing one (a 404-like refusal: nothing says it exists). The custody entry names a
person by pseudonymous code only, never by identity.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Actor
from justicework.evidence.actions.custody import append_custody
from justicework.evidence.models import CustodyEntry, Item, Link
from justicework.violations.models import Incident, Person, Source, Violation

Target = Incident | Violation | Person | Source
KINDS: dict[type[Any], str] = {
    Incident: Link.Kind.INCIDENT,
    Violation: Link.Kind.VIOLATION,
    Person: Link.Kind.PERSON,
    Source: Link.Kind.SOURCE,
}
MODELS: dict[str, type[Target]] = {kind: model for model, kind in KINDS.items()}


def kind_of(target: object) -> str:
    kind = KINDS.get(type(target))
    if kind is None:
        raise ValidationError(
            _("Evidence links to an incident, a violation, a person or a source.")
        )
    return kind


def reference(target: Target) -> dict[str, Any]:
    """What the custody entry and the package say of a target: its number and a pseudonymous
    reference (an incident's own reference, a person's code; never an identity)."""
    if isinstance(target, Person):
        return {"id": target.pk, "code": target.code}
    if isinstance(target, Incident):
        return {"id": target.pk, "reference": target.external_ref}
    if isinstance(target, Violation):
        return {"id": target.pk, "incident": target.incident_id}
    return {"id": target.pk}


def not_found(kind: str) -> ValidationError:
    return ValidationError(
        {"target": _("There is no such %(kind)s in this item's organisation.")
         % {"kind": Link.Kind(kind).label.lower()}}
    )  # fmt: skip


@transaction.atomic
def link_item(actor: Actor, item: Item, target: Target) -> Link:
    """Link ``item`` to ``target`` (an Incident, Violation, Person or Source of the item's
    organisation that ``actor`` may open). ``actor`` None is the system (commands run by the
    operator). Raises ``PermissionDenied`` when ``actor`` may not link this item, and
    ``ValidationError`` (field ``target``) for a target elsewhere, hidden or already linked."""
    kind = kind_of(target)
    if actor is not None:
        policy.require(actor, "link", item)
        if not policy.can(actor, "view", target):
            raise not_found(kind)
    if target.organisation_id != item.organisation_id:
        raise not_found(kind)
    link = Link(organisation_id=item.organisation_id, item=item, kind=kind, created_by=actor)
    setattr(link, kind, target)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(
            {"target": _("This item is already linked to that %(kind)s.")
             % {"kind": Link.Kind(kind).label.lower()}}
        ) from None  # fmt: skip
    append_custody(
        actor, item, CustodyEntry.Event.LINKED, {"link": link.pk, "kind": kind, **reference(target)}
    )
    return link


@transaction.atomic
def unlink_item(actor: Actor, link: Link) -> None:
    """Remove ``link`` (custody "unlinked" on its item, naming what it pointed at)."""
    item = link.item
    if actor is not None:
        policy.require(actor, "link", item)
    target = getattr(link, link.kind)
    detail = {"link": link.pk, "kind": link.kind, **reference(target)}
    link.delete()
    append_custody(actor, item, CustodyEntry.Event.UNLINKED, detail)
