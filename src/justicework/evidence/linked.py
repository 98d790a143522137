"""Reading links, both ways, through the policy and in a constant number of queries:

* :func:`item_links` — an item's links with what each points at, as the reader may see it: a
  record the reader may not open shows as "a restricted record" (kind only); a person shows by
  pseudonymous code only, whoever reads (identity stays behind the person page's reveal);
* :func:`record_links` — the links to a documentation record (an incident: also those to its
  violations) among the items the reader may open;
* :func:`candidates` — the records of one kind an item may be linked to (the picker, and the
  resolution of a picked value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.evidence.models import Item, Link
from justicework.violations import vocabularies
from justicework.violations.models import Incident, Person, Source, Violation

MODELS: dict[str, type[Model]] = {
    Link.Kind.INCIDENT: Incident,
    Link.Kind.VIOLATION: Violation,
    Link.Kind.PERSON: Person,
    Link.Kind.SOURCE: Source,
}
#: the only fields read of each target (a person's identity is never loaded)
FIELDS: dict[str, tuple[str, ...]] = {
    Link.Kind.INCIDENT: ("id", "organisation_id", "title", "external_ref", "sensitivity"),
    Link.Kind.VIOLATION: ("id", "organisation_id", "type", "incident__id", "incident__title"),
    Link.Kind.PERSON: ("id", "organisation_id", "code"),
    Link.Kind.SOURCE: ("id", "organisation_id", "title"),
}


@dataclass(frozen=True)
class LinkRow:
    link: Link
    kind_label: str
    text: str  # the record's title or code; "" when the reader may not open it
    url: str | None
    restricted: bool
    reference: dict[str, Any]  # pseudonymous reference (the API, the package)


def candidates(user: Requester, organisation_id: int, kind: str) -> QuerySet[Any]:
    """Records of ``kind`` in the organisation that ``user`` may open, with only the fields
    shown (``FIELDS``)."""
    model = MODELS[kind]
    rows = policy.visible(user, model, "view").filter(organisation_id=organisation_id)
    if kind == Link.Kind.VIOLATION:
        rows = rows.select_related("incident")
    return rows.only(*FIELDS[kind])


def label(kind: str, record: Any) -> str:
    """How a record is named in a picker and on the item page (never an identity)."""
    if kind == Link.Kind.INCIDENT:
        ref = f" ({record.external_ref})" if record.external_ref else ""
        return f"{record.title}{ref}"
    if kind == Link.Kind.VIOLATION:
        try:
            act = vocabularies.label("violation_types", record.type)
        except vocabularies.UnknownTerm:
            act = record.type
        return f"{act} · {record.incident.title}"
    if kind == Link.Kind.PERSON:
        return str(record.code)
    return str(record.title)


def url(kind: str, record: Any) -> str:
    if kind == Link.Kind.INCIDENT:
        return reverse("violations:incident_detail", args=[record.pk])
    if kind == Link.Kind.VIOLATION:
        page = reverse("violations:incident_detail", args=[record.incident.pk])
        return f"{page}#violation-{record.pk}"
    if kind == Link.Kind.PERSON:
        return reverse("violations:person_detail", args=[record.pk])
    return reverse("violations:source_list")


def reference(kind: str, record: Any) -> dict[str, Any]:
    if kind == Link.Kind.INCIDENT:
        return {"reference": record.external_ref}
    if kind == Link.Kind.VIOLATION:
        return {"incident": record.incident.pk}
    if kind == Link.Kind.PERSON:
        return {"code": record.code}
    return {}


def item_links(user: Requester, item: Item) -> list[LinkRow]:
    """``item``'s links, oldest first: one query for the links and one per kind present."""
    links = list(item.links.order_by("created_at", "pk"))
    targets: dict[str, dict[int, Any]] = {}
    for kind in sorted({link.kind for link in links}):
        ids = [link.target_id for link in links if link.kind == kind]
        rows = candidates(user, item.organisation_id, kind).filter(pk__in=ids)
        targets[kind] = {row.pk: row for row in rows}
    out = []
    for link in links:
        record = targets.get(link.kind, {}).get(link.target_id or 0)
        kind_label = str(Link.Kind(link.kind).label)
        if record is None:
            out.append(LinkRow(link, kind_label, "", None, True, {}))
        else:
            out.append(
                LinkRow(link, kind_label, label(link.kind, record), url(link.kind, record),
                        False, reference(link.kind, record))
            )  # fmt: skip
    return out


def record_links(user: Requester, record: Model) -> QuerySet[Link]:
    """Links to ``record`` (an incident's: also to its violations) of items ``user`` may open,
    with each item's original, newest item first."""
    kind = {model: kind for kind, model in MODELS.items()}[type(record)]
    condition = Q(**{kind: record})
    if kind == Link.Kind.INCIDENT:
        condition |= Q(violation__incident=record)
    items = policy.visible(user, Item, "view").values("pk")
    return (
        Link.objects.filter(condition, item__in=items)
        .select_related("item__original")
        .order_by("-item_id", "pk")
    )
