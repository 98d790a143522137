"""``justicework evidence removal ...``: the two-person removal from the command line, through
the same actions and policy as the pages (``actions.removals``):

    justicework evidence removal list --as EMAIL
    justicework evidence removal request --item N --reason TEXT --legal-basis TEXT --as EMAIL
    justicework evidence removal approve REQUEST [--note TEXT] --as EMAIL
    justicework evidence removal reject REQUEST [--note TEXT] --as EMAIL

A request or item the actor may not see is refused without saying whether it exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from justicework.core import policy
from justicework.core.uses import runs_as
from justicework.dataio.commands import _actor
from justicework.evidence.actions import removals
from justicework.evidence.models import Item, RemovalRequest


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("removal", help="ask for, list, approve or reject removals")
    verbs = parser.add_subparsers(dest="removal_verb", required=True)
    listing = verbs.add_parser("list", help="removal requests waiting for a decision")
    asking = verbs.add_parser("request", help="ask for the removal of an item's file")
    asking.add_argument("--item", type=int, required=True)
    asking.add_argument("--reason", required=True)
    asking.add_argument("--legal-basis", dest="legal_basis", required=True)
    for verb in ("approve", "reject"):
        deciding = verbs.add_parser(verb, help=f"{verb} a removal request (another admin)")
        deciding.add_argument("request", type=int)
        deciding.add_argument("--note", default="")
    for each in (listing, asking, *(verbs.choices[v] for v in ("approve", "reject"))):
        each.add_argument("--as", dest="actor", required=True, help="e-mail of the actor")


def _list(actor: Any, write: Callable[[str], None]) -> None:
    pending = (
        policy.visible(actor, RemovalRequest, "view")
        .filter(status=RemovalRequest.Status.PENDING)
        .select_related("requester")
        .order_by("requested_at")
    )
    for request in pending:
        write(f"request {request.pk}: item {request.item_id}, asked by {request.requester.email}"
              f" at {request.requested_at:%Y-%m-%d %H:%M} UTC; legal basis: "
              f"{request.legal_basis}")  # fmt: skip
    write(f"{len(pending)} request(s) waiting.")


@runs_as("evidence.removal")  # also after a survivor withdrew consent to the item
def _request(actor: Any, options: dict[str, Any], write: Callable[[str], None]) -> None:
    item = policy.visible(actor, Item, "view").filter(pk=options["item"]).first()
    if item is None:
        raise CommandError(f"No evidence item {options['item']} that you may see.")
    made = removals.request_removal(
        actor, item, reason=options["reason"], legal_basis=options["legal_basis"]
    )
    write(f"request {made.pk}: removal of item {item.pk} asked; another admin must decide it.")


def _decide(actor: Any, verb: str, options: dict[str, Any], write: Callable[[str], None]) -> None:
    request = policy.visible(actor, RemovalRequest, "view").filter(pk=options["request"]).first()
    if request is None:
        raise CommandError(f"No removal request {options['request']} that you may see.")
    if verb == "approve":
        tombstone = removals.approve_removal(actor, request, options["note"])
        write(f"request {request.pk} approved: item {tombstone.item_id} is a tombstone "
              f"(SHA-256 {tombstone.sha256}).")  # fmt: skip
    else:
        removals.reject_removal(actor, request, options["note"])
        write(f"request {request.pk} rejected: nothing was removed.")


def run(options: dict[str, Any], write: Callable[[str], None]) -> None:
    actor, verb = _actor(options["actor"]), options["removal_verb"]
    try:
        if verb == "list":
            _list(actor, write)
        elif verb == "request":
            _request(actor, options, write)
        else:
            _decide(actor, verb, options, write)
    except PermissionDenied as exc:
        raise CommandError(f"Not allowed: {exc}") from exc
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
