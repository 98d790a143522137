"""Consent on the evidence item itself: a recorded statement or an image of a survivor needs
their consent to the use of recorded statements and images (issue 13), checked by the one
policy whenever the item is opened — its page, its thumbnail and preview, its stripped copy,
its original, a package — and in every list of items (registered by ``gate.register``).

Which items are a statement or an image *of that person*: an item whose original is a
picture, a video or a sound recording (media type ``image/``, ``video/``, ``audio/``, as found
in the content at intake) and that is linked to the person (``evidence.Link``, kind person).
A link says the item is about the person; for a recording or a picture that means it shows
or records them, or may. The platform cannot tell a photograph of a survivor from one of
their house: it errs on the survivor's side, as the Murad Code asks. Documents (PDF, text)
are not gated here; their links to the person are, as every link is (``gate.PersonGate``).

The item needs, for each consent-managed person it is linked to, consent to documentation
(the ground of every use) and to recorded statements and images. What the use itself needs
(legal proceedings for a package, sharing for an export) is asked of the links, as before.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from justicework.core import policy, uses
from justicework.core.policy import ALLOW, Decision
from justicework.survivors.gate import allowed_q, current_state, refusal

#: The media types of recorded statements and images (prefixes of ``Original.media_type``).
STATEMENT_OR_IMAGE_TYPES = ("image/", "video/", "audio/")

#: The consents a statement or image of a survivor needs (scope, qualifier).
NEEDED: tuple[tuple[str, str], ...] = (
    (uses.Scope.DOCUMENTATION, ""),
    (uses.Scope.STATEMENTS_IMAGES, ""),
)


def statement_or_image_q(path: str) -> Q:
    """Rows whose media type (at ``path``) is a picture, a video or a sound recording."""
    condition = Q()
    for prefix in STATEMENT_OR_IMAGE_TYPES:
        condition |= Q(**{f"{path}__startswith": prefix})
    return condition


def _links() -> QuerySet[Any]:
    from justicework.evidence.models import Link

    return Link.objects.filter(kind=Link.Kind.PERSON, person__isnull=False)


def persons_shown(item_id: int) -> list[int]:
    """The persons a statement or image is of (none for a document): one query."""
    return sorted(
        set(
            _links()
            .filter(item_id=item_id)
            .filter(statement_or_image_q("item__original__media_type"))
            .values_list("person_id", flat=True)
        )
    )


class ItemGate:
    """The consent gate for ``evidence.Item`` (``core.policy.ConsentGate``)."""

    def check(self, obj: Any, in_use: uses.InUse) -> Decision:
        if obj.pk is None:
            return ALLOW
        remembered = in_use.memory.get(("item", obj.pk))
        if remembered is not None:
            return remembered  # type: ignore[no-any-return]  # only Decisions are kept
        for person_id in persons_shown(obj.pk):
            for scope, qualifier in NEEDED:
                key = (person_id, scope, qualifier, "")  # the shape of PersonGate's keys
                if key not in in_use.memory:
                    state = current_state(person_id, scope, qualifier)
                    if state is None or state.allowed:
                        in_use.memory[key] = ALLOW
                    else:
                        in_use.memory[key] = refusal(scope, qualifier, state)
                decision: Decision = in_use.memory[key]
                if not decision:
                    return decision
        return ALLOW

    def narrow(self, queryset: QuerySet[Any], in_use: uses.InUse) -> QuerySet[Any]:
        missing = Q()
        for scope, qualifier in NEEDED:
            missing |= ~allowed_q("person", scope, qualifier)
        blocked = _links().filter(item=OuterRef("pk"), person__survivor_file__isnull=False)
        blocked = blocked.filter(missing)
        return queryset.exclude(statement_or_image_q("original__media_type") & Q(Exists(blocked)))

    def passed(self, obj: Any, in_use: uses.InUse) -> None:
        """``obj`` came through :meth:`narrow` in this use: no second look-up."""
        if obj.pk is not None:
            in_use.memory[("item", obj.pk)] = ALLOW


def register() -> None:
    from justicework.evidence.models import Item

    policy.register_gate(Item, ItemGate())
