"""A programme's figures for its staff: money awarded, applications and success rates by
recipient country, recipient category, EU priority and activity type.

How each is counted (docs/grants.md, ``grpublish``):

* Money is the awards' amount in the programme's currency (``amount_programme``), every award
  of the programme whatever the state of its call (the staff see decisions before they are
  published).
* Applications are those submitted (not drafts, not withdrawn); one is *successful* when it has
  an award. The success rate is awarded / applications.
* Categories overlap (an organisation may be local, women-led and small): an award counts in full
  under each of its recipient's categories, so the category rows add up to more than the total.
  The priorities are the categories EU guidance names (local, women-led, survivor-led, small,
  remote or rural).
* Activity types: an award's money is split pro rata over the activity types of its
  application's budget lines (a budget of 60% documentation and 40% psychosocial support puts
  60% of the award under documentation); an application counts once under each activity type it
  budgets for. An application without budget lines counts under "not stated".

Three queries whatever the number of applications (awards, applications, budget lines).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.countries import country_name
from justicework.grants.fields import text_in
from justicework.grants.models import Application, Award, BudgetLine, Call, Programme
from justicework.grants.models import RecipientCategory as Category
from justicework.grants.rules_publication import VIEW_DASHBOARD

#: the recipient categories EU guidance asks programmes to prioritise
PRIORITIES = (
    Category.LOCAL_CSO,
    Category.WOMEN_LED,
    Category.SURVIVOR_LED,
    Category.SMALL,
    Category.REMOTE_RURAL,
)
NOT_STATED = ""
COUNTED_OUT = (Application.Status.DRAFT, Application.Status.WITHDRAWN)


def activity_split(applications: Iterable[int] | QuerySet[Any]) -> dict[int, dict[str, Decimal]]:
    """Each application's budget as shares of its total by activity type (shares add up to
    1); applications with no budget (or a zero one) are left out."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lines = BudgetLine.objects.filter(application_id__in=applications).values_list(
        "application_id", "activity_type", "amount"
    )
    for application_id, activity_type, amount in lines.order_by():
        totals[application_id][activity_type] += amount
    split: dict[int, dict[str, Decimal]] = {}
    for application_id, by_type in totals.items():
        whole = sum(by_type.values(), Decimal(0))
        if whole > 0:
            split[application_id] = {code: amount / whole for code, amount in by_type.items()}
    return split


@dataclass
class Row:
    key: str
    label: str
    money: Decimal = Decimal(0)
    applications: int = 0
    awarded: int = 0
    #: the money's share of the largest row's, in percent (the bar's length)
    bar: int = 0

    @property
    def rate(self) -> int | None:
        """The success rate in whole percent; None without applications."""
        if not self.applications:
            return None
        return round(100 * self.awarded / self.applications)


@dataclass
class Table:
    title: Any
    rows: list[Row] = field(default_factory=list)


@dataclass
class Dashboard:
    programme: Programme
    call: Call | None
    money: Decimal
    applications: int
    awarded: int
    tables: list[Table]

    @property
    def rate(self) -> int | None:
        return round(100 * self.awarded / self.applications) if self.applications else None


class _Tally:
    """Rows by key for one dimension, filled award by award and application by application."""

    def __init__(self, title: Any, label: Any) -> None:
        self.title, self.label = title, label
        self.rows: dict[str, Row] = {}

    def row(self, key: str) -> Row:
        if key not in self.rows:
            self.rows[key] = Row(key, str(self.label(key)))
        return self.rows[key]

    def table(self) -> Table:
        rows = sorted(self.rows.values(), key=lambda r: (-r.money, -r.applications, r.label))
        top = max((r.money for r in rows), default=Decimal(0))
        for r in rows:
            r.bar = int(r.money * 100 / top) if top > 0 else 0
        return Table(self.title, rows)


def _activity_labels(programme: Programme) -> dict[str, str]:
    labels: dict[str, str] = {}
    for types in Call.objects.filter(programme=programme).values_list("activity_types", flat=True):
        for item in types or []:
            labels.setdefault(str(item.get("code")), text_in(item.get("title")))
    return labels


def _tallies(programme: Programme) -> dict[str, _Tally]:
    activities = _activity_labels(programme)
    categories = dict(Category.choices)
    return {
        "country": _Tally(_("By country"), country_name),
        "category": _Tally(_("By recipient category"), lambda k: categories.get(k, k)),
        "priority": _Tally(_("By priority"), lambda k: categories.get(k, k)),
        "activity": _Tally(
            _("By activity type (awards split pro rata over their budgets)"),
            lambda k: activities.get(k, k) if k else _("not stated"),
        ),
    }


def _keys(country: str, categories: list[str] | None) -> dict[str, list[str]]:
    cats = [c for c in categories or [] if isinstance(c, str)]
    return {
        "country": [country],
        "category": cats,
        "priority": [c for c in cats if c in PRIORITIES],
    }


def build(programme: Programme, call: Call | None = None) -> Dashboard:
    """The figures of ``programme`` (of one of its calls if ``call``)."""
    applications = Application.objects.filter(call__programme=programme).exclude(
        status__in=COUNTED_OUT
    )
    awards = Award.objects.filter(programme=programme)
    if call is not None:
        applications, awards = applications.filter(call=call), awards.filter(call=call)
    money = dict(awards.values_list("application_id", "amount_programme"))
    rows = list(applications.values_list("id", "applicant__country", "applicant__categories"))
    split = activity_split(applications.values("id"))
    tallies = _tallies(programme)
    for pk, country, categories in rows:
        keys = _keys(country, categories)
        shares = split.get(pk) or {NOT_STATED: Decimal(1)}
        keys["activity"] = list(shares)
        for dimension, tally in tallies.items():
            for key in keys[dimension]:
                row = tally.row(key)
                row.applications += 1
                if pk in money:
                    row.awarded += 1
                    weight = shares[key] if dimension == "activity" else Decimal(1)
                    row.money += (money[pk] * weight).quantize(Decimal("0.01"))
    return Dashboard(
        programme=programme,
        call=call,
        money=sum(money.values(), Decimal(0)),
        applications=len(rows),
        awarded=sum(1 for pk, _c, _k in rows if pk in money),
        tables=[t.table() for t in tallies.values()],
    )


def dashboard_programme(user: Requester, pk: int) -> Programme:
    """The programme whose dashboard ``user`` may open; 404 for missing and not-yours alike."""
    programme = Programme.objects.select_related("organisation").filter(pk=pk).first()
    if programme is None or not policy.can(user, VIEW_DASHBOARD, programme.organisation):
        raise Http404
    return programme


def dashboard_programmes(user: Requester) -> list[Programme]:
    organisations = policy.allowed_organisation_ids(user, VIEW_DASHBOARD)
    return list(
        Programme.objects.filter(organisation_id__in=organisations)
        .select_related("organisation")
        .order_by("name", "id")
    )
