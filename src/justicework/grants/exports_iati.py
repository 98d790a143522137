"""The published awards as an IATI activity file (IATI Activity Standard 2.03), for the donor.

A programme of financial support to third parties is one activity of the publisher's (the
action the donor funds), so each programme with published awards is one ``iati-activity``. Each
award gives its money as transactions to its recipient (``receiver-org``), the way a donor reads
re-granting (TransactionType codelist):

* an **outgoing commitment** (type 2): the amount awarded, on the day of the decision;
* a **negative commitment** per reduction (type 2, on its date): the commitment is lowered;
* a **disbursement** (type 3) per payment: its date, amount, currency and the transfer's
  reference (``ref``);
* a **negative disbursement** per recovery (type 3, on its date): the money the recipient paid
  back. Not "incoming funds" (type 1), which are funds received *for use on* the activity, and
  not "expenditure" (type 4), which is spending on goods and services: a recovery undoes part of
  a disbursement, and the standard allows a transaction's value to be negative. So the
  disbursements to a recipient add up to what it was paid net of recoveries, and the
  commitments to what it is entitled to (``grants.balance``).

Only the money of published awards is read (``publication.published_awards_with_money``: the
same rule, the payments prefetched). Elements come in the order the schema's sequence
requires; recipient countries and sectors carry percentages that add up to 100, weighted by
the money (in the programme's currency).

Sectors: each activity type of a call maps to an OECD DAC 5-digit sector
(``GRANTS_IATI_SECTORS``; unmapped types count under ``GRANTS_IATI_DEFAULT_SECTOR``, human
rights), weighted by the awarded applications' budget lines (docs/grants.md, ``grpublish``).
The data is written in English, the language of the donor's tools.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # we only write XML, never parse it here
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from justicework.grants.dashboard import activity_split
from justicework.grants.models import Award, Programme
from justicework.grants.publication import award_date, grant_id, recipient_id

VERSION = "2.03"
#: IATI codelists used: TransactionType 2 = outgoing commitment, 3 = disbursement;
#: OrganisationRole 2 =
#: accountable; OrganisationType 24 = partner-country-based NGO (the local recipients);
#: ActivityDateType 2 = actual start, 3 = planned end; ActivityStatus 2 = implementation,
#: 3 = finalisation; DescriptionType 1 = general; SectorVocabulary 1 = OECD DAC 5-digit.
COMMITMENT, DISBURSEMENT, ACCOUNTABLE, LOCAL_NGO = "2", "3", "2", "24"
ACTUAL_START, PLANNED_END = "2", "3"
IMPLEMENTATION, FINALISATION = "2", "3"
HUNDRED = Decimal(100)


def configured() -> bool:
    """Is the publisher's IATI identifier set (without it no file can be valid)?"""
    return bool(settings.GRANTS_IATI_ORG_REF)


def percentages(weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Shares of 100 with two decimals that add up to exactly 100 (the largest takes the
    rounding); the keys sorted; empty when nothing weighs."""
    total = sum(weights.values(), Decimal(0))
    if total <= 0:
        return {}
    cent = Decimal("0.01")
    shares = {k: (w * HUNDRED / total).quantize(cent) for k, w in sorted(weights.items())}
    largest = max(shares, key=lambda k: (shares[k], k))
    shares[largest] += HUNDRED - sum(shares.values(), Decimal(0))
    return shares


def sector_of(activity_type: str) -> str:
    sectors = dict(item.partition("=")[::2] for item in settings.GRANTS_IATI_SECTORS)
    return sectors.get(activity_type, settings.GRANTS_IATI_DEFAULT_SECTOR)


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "narrative").text = text
    return element


def _sector_weights(awards: list[Award]) -> dict[str, Decimal]:
    split = activity_split([a.application_id for a in awards])
    weights: dict[str, Decimal] = defaultdict(Decimal)
    for award in awards:
        shares = split.get(award.application_id) or {"": Decimal(1)}
        for activity_type, share in shares.items():
            weights[sector_of(activity_type)] += award.amount_programme * share
    return weights


def _header(activity: ET.Element, programme: Programme, awards: list[Award]) -> None:
    ref, org = settings.GRANTS_IATI_ORG_REF, programme.organisation
    ET.SubElement(activity, "iati-identifier").text = f"{ref}-FSTP-{programme.pk}"
    _narrative(activity, "reporting-org", org.name, ref=ref, type=settings.GRANTS_IATI_ORG_TYPE)
    _narrative(activity, "title", programme.name)
    _narrative(
        activity,
        "description",
        f"Financial support to third parties (re-granting) under {programme.name}.",
        type="1",
    )
    _narrative(
        activity,
        "participating-org",
        org.name,
        ref=ref,
        role=ACCOUNTABLE,
        type=settings.GRANTS_IATI_ORG_TYPE,
    )
    today = timezone.now().date()
    ongoing = any(a.end_date is None or a.end_date >= today for a in awards)
    ET.SubElement(activity, "activity-status", code=IMPLEMENTATION if ongoing else FINALISATION)
    start = min(a.start_date or award_date(a) for a in awards)
    ET.SubElement(activity, "activity-date", {"type": ACTUAL_START, "iso-date": start.isoformat()})
    ends = [a.end_date for a in awards if a.end_date is not None]
    if ends:
        end = max(ends).isoformat()
        ET.SubElement(activity, "activity-date", {"type": PLANNED_END, "iso-date": end})


def _where_and_what(activity: ET.Element, awards: list[Award]) -> None:
    countries: dict[str, Decimal] = defaultdict(Decimal)
    for award in awards:
        countries[award.legal_entity.country] += award.amount_programme
    for code, share in percentages(countries).items():
        ET.SubElement(activity, "recipient-country", code=code, percentage=str(share))
    for code, share in percentages(_sector_weights(awards)).items():
        ET.SubElement(activity, "sector", vocabulary="1", code=code, percentage=str(share))


@dataclass(frozen=True)
class Flow:
    """One transaction of an award: its type, day, signed amount, reference and description."""

    kind: str
    day: date
    amount: Decimal
    ref: str
    description: str


def flows(award: Award) -> list[Flow]:
    """The award's transactions: its commitment, then reductions, payments and recoveries by
    date (reductions and recoveries negative). Reads the prefetched money (no query)."""
    grant = grant_id(award)
    what = award.purpose or award.application.title
    found = [Flow(COMMITMENT, award_date(award), award.amount, grant, what)]
    moves = [
        *(Flow(COMMITMENT, r.date, -r.amount, f"{grant}-reduction-{r.pk}",
               f"Reduction of the commitment of grant {grant}.") for r in award.reductions.all()),
        *(Flow(DISBURSEMENT, p.date, p.amount, p.reference,
               f"Payment of grant {grant}.") for p in award.payments.all()),
        *(Flow(DISBURSEMENT, r.date, -r.amount, f"{grant}-recovery-{r.pk}",
               f"Funds of grant {grant} recovered from the recipient.")
          for r in award.recoveries.all()),
    ]  # fmt: skip
    return found + sorted(moves, key=lambda f: (f.day, f.kind))


def _transaction(activity: ET.Element, award: Award, flow: Flow) -> None:
    day = flow.day.isoformat()
    transaction = ET.SubElement(activity, "transaction", ref=flow.ref)
    ET.SubElement(transaction, "transaction-type", code=flow.kind)
    ET.SubElement(transaction, "transaction-date", {"iso-date": day})
    value = ET.SubElement(transaction, "value", {"currency": award.currency, "value-date": day})
    value.text = str(flow.amount)
    _narrative(transaction, "description", flow.description)
    entity = award.legal_entity
    _narrative(
        transaction, "receiver-org", entity.legal_name, ref=recipient_id(entity), type=LOCAL_NGO
    )


def _last_updated(awards: list[Award]) -> datetime:
    """The latest decision or record of money of the activity's awards."""
    stamps = [a.decided_at for a in awards]
    for award in awards:
        for movement in (*award.payments.all(), *award.reductions.all(), *award.recoveries.all()):
            stamps.append(movement.recorded_at)
    return max(stamps)


def _activity(root: ET.Element, programme: Programme, awards: list[Award]) -> None:
    updated = _last_updated(awards).astimezone(UTC).isoformat()
    activity = ET.SubElement(
        root,
        "iati-activity",
        {
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": programme.currency,
            "last-updated-datetime": updated,
            "hierarchy": "1",
        },
    )
    _header(activity, programme, awards)
    _where_and_what(activity, awards)
    for award in sorted(awards, key=lambda a: (a.decided_at, a.pk)):
        for flow in flows(award):
            _transaction(activity, award, flow)


def activities(awards: Iterable[Award], generated: datetime | None = None) -> bytes:
    """The IATI activity file of ``awards`` (grouped by programme), as UTF-8 XML. Pass
    ``publication.published_awards_with_money(...)``: the money is read from its prefetch."""
    by_programme: dict[int, list[Award]] = defaultdict(list)
    programmes: dict[int, Programme] = {}
    for award in awards:
        by_programme[award.programme_id].append(award)
        programmes[award.programme_id] = award.programme
    stamp = (generated or timezone.now()).astimezone(UTC).replace(microsecond=0)
    root = ET.Element(
        "iati-activities", {"version": VERSION, "generated-datetime": stamp.isoformat()}
    )
    for programme_id in sorted(by_programme):
        _activity(root, programmes[programme_id], by_programme[programme_id])
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
