"""The published awards in the 360Giving Data Standard: a JSON package ``{"grants": [...]}``
and the one-grant-per-row CSV whose column titles are the standard's.

Each grant gives the standard's required fields (id, title, description, currency, amountAwarded,
awardDate, recipientOrganization, fundingOrganization) and, where known, plannedDates, the grant
programme (the call) and fromOpenCall. The CSV is built from the same dicts as the JSON, so the
two never disagree. Texts are given in English (else the first language written): 360Giving
data is read by funders' tools, not by the visitor's browser.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings

from justicework.core.countries import country_name
from justicework.core.models import Organisation
from justicework.dataio.neutralise import neutralise
from justicework.grants.fields import text_in
from justicework.grants.models import Award
from justicework.grants.publication import award_date, grant_id, recipient_id

#: the data's language (the standard's own documents and most consumers are English)
LANGUAGE = "en"
#: the standard's limit on a title's length
TITLE_LENGTH = 140


def funder_id(organisation: Organisation) -> str:
    """The funding organisation's identifier: the publisher's own (360G-prefixed) record."""
    return f"{settings.GRANTS_360_PREFIX}-{organisation.slug}"


def number(value: Decimal) -> int | float:
    """A JSON number (the standard's amounts are numbers, never strings)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _planned(award: Award) -> list[dict[str, str]]:
    if award.start_date is None:
        return []
    event = {"startDate": award.start_date.isoformat()}
    if award.end_date is not None:
        event["endDate"] = award.end_date.isoformat()
    return [event]


def grant(award: Award) -> dict[str, Any]:
    """One award as a 360Giving grant."""
    entity, call, funder = award.legal_entity, award.call, award.programme.organisation
    title = (award.application.title or f"Grant to {entity.legal_name}")[:TITLE_LENGTH]
    data: dict[str, Any] = {
        "id": grant_id(award),
        "title": title,
        "description": award.purpose or title,
        "currency": award.currency,
        "amountAwarded": number(award.amount),
        "awardDate": award_date(award).isoformat(),
        "recipientOrganization": [
            {
                "id": recipient_id(entity),
                "name": entity.legal_name,
                "addressCountry": country_name(entity.country, LANGUAGE),
            }
        ],
        "fundingOrganization": [{"id": funder_id(funder), "name": funder.name}],
        "grantProgramme": [{"code": call.reference, "title": text_in(call.title, LANGUAGE)}],
        "fromOpenCall": "Yes",
        "dateModified": award.decided_at.isoformat(),
    }
    if planned := _planned(award):
        data["plannedDates"] = planned
    return data


def package(awards: Iterable[Award]) -> dict[str, list[dict[str, Any]]]:
    """The 360Giving JSON package of ``awards``."""
    return {"grants": [grant(award) for award in awards]}


def _first(key: str, field: str) -> Callable[[dict[str, Any]], Any]:
    def read(data: dict[str, Any]) -> Any:
        items = data.get(key) or [{}]
        return items[0].get(field, "")

    return read


def _plain(field: str) -> Callable[[dict[str, Any]], Any]:
    return lambda data: data.get(field, "")


#: the CSV's columns: the standard's column titles, each read from the grant's JSON
COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("Identifier", _plain("id")),
    ("Title", _plain("title")),
    ("Description", _plain("description")),
    ("Currency", _plain("currency")),
    ("Amount Awarded", _plain("amountAwarded")),
    ("Award Date", _plain("awardDate")),
    ("Planned Dates:Start Date", _first("plannedDates", "startDate")),
    ("Planned Dates:End Date", _first("plannedDates", "endDate")),
    ("Recipient Org:Identifier", _first("recipientOrganization", "id")),
    ("Recipient Org:Name", _first("recipientOrganization", "name")),
    ("Recipient Org:Country", _first("recipientOrganization", "addressCountry")),
    ("Funding Org:Identifier", _first("fundingOrganization", "id")),
    ("Funding Org:Name", _first("fundingOrganization", "name")),
    ("Grant Programme:Code", _first("grantProgramme", "code")),
    ("Grant Programme:Title", _first("grantProgramme", "title")),
    ("From an open call?", _plain("fromOpenCall")),
    ("Last modified", _plain("dateModified")),
]


def as_csv(awards: Iterable[Award]) -> str:
    """The 360Giving CSV of ``awards`` (one grant a row; a text that a spreadsheet would run as
    a formula is neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _read in COLUMNS])
    for data in package(awards)["grants"]:
        writer.writerow([neutralise(read(data)) for _title, read in COLUMNS])
    return out.getvalue()
