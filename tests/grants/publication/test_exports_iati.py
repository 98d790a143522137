"""The IATI activity file (Activity Standard 2.03): one activity per programme, an outgoing
commitment per award to its recipient, elements in the order of the schema's sequences,
required attributes present, percentages adding up to 100.

The orders below are written from the IATI 2.03 activity schema (``iati-activities-schema.xsd``:
the ``iati-activity`` and ``transaction`` sequences); nothing is downloaded."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parsing our own output
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from justicework.grants import exports_iati
from justicework.grants.models import Award
from justicework.grants.publication import AwardFilter, grant_id, published_awards

pytestmark = pytest.mark.django_db

ACTIVITY_ORDER = [
    "iati-identifier", "reporting-org", "title", "description", "participating-org",
    "other-identifier", "activity-status", "activity-date", "contact-info", "activity-scope",
    "recipient-country", "recipient-region", "location", "sector", "tag",
    "country-budget-items", "humanitarian-scope", "policy-marker", "collaboration-type",
    "default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status",
    "budget", "planned-disbursement", "capital-spend", "transaction", "document-link",
    "related-activity", "legacy-data", "conditions", "result", "crs-add", "fss",
]  # fmt: skip
TRANSACTION_ORDER = [
    "transaction-type", "transaction-date", "value", "description", "provider-org",
    "receiver-org", "disbursement-channel", "sector", "recipient-country", "recipient-region",
    "flow-type", "finance-type", "aid-type", "tied-status",
]  # fmt: skip
#: required attributes per element (2.03 schema ``use="required"``)
REQUIRED_ATTRIBUTES = {
    "iati-activities": {"version"},
    "reporting-org": {"ref", "type"},
    "participating-org": {"role"},
    "activity-status": {"code"},
    "activity-date": {"type", "iso-date"},
    "recipient-country": {"code"},
    "sector": {"code"},
    "transaction-type": {"code"},
    "transaction-date": {"iso-date"},
    "value": {"value-date"},
}


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314  # our own output


def in_order(children: list[str], order: list[str]) -> bool:
    positions = [order.index(tag) for tag in children]
    return positions == sorted(positions)


def test_the_order_check_catches_a_swap() -> None:
    assert not in_order(["title", "reporting-org"], ACTIVITY_ORDER)
    assert in_order(["reporting-org", "title", "title"], ACTIVITY_ORDER)


def test_one_activity_per_programme_with_a_commitment_per_award(world: SimpleNamespace) -> None:
    root = parse(exports_iati.activities(published_awards()))
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    activities = root.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == [
        f"XM-DAC-47000-ACME-FSTP-{world.programme.pk}",
        f"XM-DAC-47000-ACME-FSTP-{world.beacon_programme.pk}",
    ]
    ours = activities[0]
    refs = {t.get("ref") for t in ours.findall("transaction")}
    a = world.awards
    assert refs == {grant_id(a.kyiv), grant_id(a.tbilisi), grant_id(a.goma)}
    assert {t.find("transaction-type").get("code") for t in ours.iter("transaction")} == {"2"}


def test_elements_come_in_the_schemas_order_with_their_required_attributes(
    world: SimpleNamespace,
) -> None:
    root = parse(exports_iati.activities(published_awards()))
    for activity in root.findall("iati-activity"):
        assert in_order([child.tag for child in activity], ACTIVITY_ORDER)
        for transaction in activity.findall("transaction"):
            assert in_order([child.tag for child in transaction], TRANSACTION_ORDER)
    for element in root.iter():
        missing = REQUIRED_ATTRIBUTES.get(element.tag, set()) - set(element.attrib)
        assert not missing, (element.tag, missing)
    for tag in ("reporting-org", "title", "description", "receiver-org"):
        for element in root.iter(tag):
            assert (element.findtext("narrative") or "").strip(), tag


def test_a_transaction_names_the_money_the_day_and_the_recipient(world: SimpleNamespace) -> None:
    root = parse(exports_iati.activities(published_awards()))
    kyiv = next(t for t in root.iter("transaction") if t.get("ref") == grant_id(world.awards.kyiv))
    assert kyiv.find("transaction-date").get("iso-date") == "2025-02-14"
    value = kyiv.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "40000.00",
        "EUR",
        "2025-02-14",
    )
    receiver = kyiv.find("receiver-org")
    assert receiver.get("ref") == "UA-EDR-12345678"
    assert receiver.findtext("narrative") == "Kharkiv Women's Voices"


def test_countries_and_sectors_are_weighted_by_money_and_add_up_to_100(
    world: SimpleNamespace,
) -> None:
    root = parse(exports_iati.activities(published_awards()))
    ours = root.findall("iati-activity")[0]
    countries = {
        c.get("code"): Decimal(c.get("percentage")) for c in ours.iter("recipient-country")
    }
    # 40,000 UA, 15,000 GE, 10,000 CD of 65,000
    assert countries == {"UA": Decimal("61.54"), "GE": Decimal("23.08"), "CD": Decimal("15.38")}
    sectors = {s.get("code"): Decimal(s.get("percentage")) for s in ours.iter("sector")}
    # documentation 30,000 (15160); psychosocial 10,000 + 15,000 (12340); no budget: default
    assert sectors == {"15160": Decimal("61.54"), "12340": Decimal("38.46")}
    assert sum(countries.values()) == sum(sectors.values()) == 100
    assert {s.get("vocabulary") for s in ours.iter("sector")} == {"1"}


def test_status_and_dates_follow_the_awards(world: SimpleNamespace, settings: Any) -> None:
    root = parse(exports_iati.activities(published_awards()))
    ours = root.findall("iati-activity")[0]
    dates = {d.get("type"): d.get("iso-date") for d in ours.iter("activity-date")}
    assert dates == {"2": "2024-07-01", "3": "2026-02-28"}
    assert ours.get("default-currency") == "EUR"


def test_the_activity_is_in_implementation_while_a_grant_runs(world: SimpleNamespace) -> None:
    def status() -> str:
        root = parse(exports_iati.activities(published_awards(AwardFilter(call="FSTP-2024-1"))))
        return root.find("iati-activity/activity-status").get("code")

    assert status() == "3"  # the only grant ended in 2024: finalisation
    later = timezone.now().date() + timedelta(days=30)
    Award.objects.filter(pk=world.awards.goma.pk).update(end_date=later)
    assert status() == "2"


def test_percentages_always_add_up_to_100() -> None:
    thirds = exports_iati.percentages({"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)})
    assert sum(thirds.values()) == 100
    assert exports_iati.percentages({}) == {}
    assert exports_iati.percentages({"a": Decimal(0)}) == {}


def test_the_file_needs_the_publishers_identifier(settings: Any) -> None:
    settings.GRANTS_IATI_ORG_REF = ""
    assert not exports_iati.configured()
