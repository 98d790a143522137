"""Demo step: two case files of ``member-1`` on the violations demo's records (registered in
``DemoConfig.ready``, after the violations, evidence and survivors steps).

What it adds, all synthetic:

* a change of commander: the first recorded commander of the unit the cases' violations are
  attributed to (or its top unit) stops the day before a date in the middle of the cases'
  period, and a new (Faker) commander starts that day, so the chain of command differs across
  the change;
* two case files, one on killings, one on detention, torture and sexual violence, each with
  suspects (the unit, its commanders), their incidents and violations, 2-4 charges (the crimes
  the violations amount to in an international armed conflict, under art. 25(3)(a) and
  art. 28(a)), and matrix entries for a few elements:
  most support the element at varied strengths, some contradict it, the rest are gaps;
* accepted qualifications of two of the violations, decided by the legal analyst;
* a re-subordination on the day of the change: a unit under the suspect unit is recorded as
  part of it until the day before, and of another unit from that day (``UnitSubordination``),
  so the chain of command of that unit differs across the change too;
* per-element art. 28 records for the commanders of each case charging art. 28(a): effective
  control and knowledge supported, failure to act contradicted by one account, causation
  and the other elements left with nothing recorded.

Every write goes through the actions (``law.actions_cases``, ``law.actions_qualifications``,
``violations.actions``), the law ones as the legal analyst under the declared use
``law.cases``, so the policy and consent apply as for a person using the pages. Idempotent:
nothing is done when the organisation already has a case file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model

from justicework.core import policy, uses
from justicework.core.roles import Role
from justicework.demo import violations as violations_demo
from justicework.law import actions_cases as cases
from justicework.law import actions_command
from justicework.law.actions_qualifications import decide_qualification
from justicework.law.models import CaseFile, Charge
from justicework.violations import actions as violation_actions
from justicework.violations.models import Source, Unit, UnitCommander, Violation

if TYPE_CHECKING:
    from justicework.core.models import Organisation, User
    from justicework.demo import DemoContext

ORG = "member-1"
DIRECT, COMMANDER = "25(3)(a)-direct", "28(a)"
#: violations per case at most
VIOLATIONS = 8


@dataclass(frozen=True)
class Plan:
    title: str
    #: violation type -> the crime it amounts to in an international armed conflict (and
    #: occupation, the context of ``member-1``'s demo conflict), as the qualification map has it
    crimes: dict[str, str]
    summary: str


PLANS = (
    Plan(
        "Killings of civilians in the occupied villages",
        {"extrajudicial_execution": "8(2)(a)(i)", "killing": "8(2)(a)(i)",
         "killing_in_attack": "8(2)(b)(i)"},
        "(Synthetic demo case.) Civilians killed by the brigade's soldiers during raids.",
    ),
    Plan(
        "Detention, torture and sexual violence at the checkpoints",
        {"torture": "8(2)(a)(ii)-1", "rape": "8(2)(b)(xxii)-1",
         "other_sexual_violence": "8(2)(b)(xxii)-6", "arbitrary_detention": "8(2)(a)(vii)-2",
         "cruel_treatment": "8(2)(a)(ii)-2"},
        "(Synthetic demo case.) Civilians held at checkpoints, tortured and raped.",
    ),
)  # fmt: skip

#: (part, element, bearing, strength) of the entries of a charge, in turn: the rest are gaps
ENTRIES = (
    ("crime", 1, "supports", "strong"),
    ("crime", 2, "supports", "moderate"),
    ("crime", 1, "contradicts", "weak"),
    ("mode", 1, "supports", "weak"),  # weak only: the element stays a gap
)
NOTES = {
    "supports": "(Synthetic demo note.) Two witnesses describe the act; the dates agree.",
    "contradicts": "(Synthetic demo note.) One account places the unit elsewhere that day.",
}


def _visible(analyst: User, org: Organisation, types: Iterable[str]) -> list[Violation]:
    """Violations of ``types`` (else any) the analyst may use for a case, oldest first."""
    found = policy.visible(analyst, Violation, "view").filter(organisation=org)
    matching = found.filter(type__in=list(types))
    chosen = matching if matching.exists() else found
    picked = []
    for violation in chosen.select_related("incident").order_by("incident__start_date", "pk"):
        if policy.can(analyst, "view", violation) and policy.can(
            analyst, "view", violation.incident
        ):
            picked.append(violation)
        if len(picked) >= VIOLATIONS:
            break
    return picked


def _unit_of(violations: list[Violation], org: Organisation) -> Unit | None:
    """The top unit above the units the violations are attributed to (else the first one)."""
    unit = (
        Unit.objects.filter(perpetrations__violation__in=violations).order_by("pk").first()
        or Unit.objects.filter(organisation=org, parent__isnull=True).order_by("pk").first()
    )
    while unit is not None and unit.parent_id is not None:
        unit = unit.parent
    return unit


def _change_commander(ctx: DemoContext, unit: Unit, violations: list[Violation]) -> dt.date | None:
    """End the unit's first command the day before the middle of the violations' period and
    record a new commander from that day; the change date (None if nothing to change)."""
    first = UnitCommander.objects.filter(unit=unit).order_by("start_date", "pk").first()
    dates = sorted(v.incident.start_date for v in violations if v.incident.start_date)
    if first is None or not dates:
        return None
    change = dates[0] + (dates[-1] - dates[0]) / 2
    if first.start_date and change <= first.start_date:
        change = first.start_date + dt.timedelta(days=1)
    violation_actions.update_unit_commander(None, first, end_date=change - dt.timedelta(days=1))
    identity = violations_demo._identity(ctx.faker, "ru_RU", unit.country or "UA", ctx.random)
    [successor] = violation_actions.bulk_create_persons(None, unit.organisation, [identity])
    violation_actions.add_unit_commander(
        None, unit, successor, title="Major General", start_date=change
    )
    return change


def _entries(analyst: User, charge: Charge, violations: list[Violation], n: int) -> int:
    added = 0
    for k, (part, element, bearing, strength) in enumerate(ENTRIES[: 2 + n % 3]):
        violation = violations[(n + k) % len(violations)]
        link: Model = violation if k % 2 == 0 else violation.incident
        cases.add_matrix_entry(
            analyst, charge, part=part, element=element, link=link,
            bearing=bearing, strength=strength, note=NOTES[bearing],
        )  # fmt: skip
        added += 1
    return added


#: (element of art. 28(a), bearing, strength, link kind) recorded for each commander suspect
ART28_RECORDS = (
    (3, "supports", "strong", "violation"),
    (4, "supports", "moderate", "incident"),
    (5, "contradicts", "weak", "source"),
)
ART28_NOTES = {
    3: "(Synthetic demo note.) Orders signed by the commander were found at the unit's base.",
    4: "(Synthetic demo note.) Radio logs show reports of the acts reached the headquarters.",
    5: "(Synthetic demo note.) One account says an inquiry was opened; no file was produced.",
}


def _art28_records(analyst: User, case: CaseFile, violations: list[Violation]) -> int:
    """A few per-element art. 28(a) records for the case's commander suspects."""
    if not case.charges.filter(mode_id=COMMANDER).exists():
        return 0
    source = (
        policy.visible(analyst, Source, "view")
        .filter(organisation_id=case.organisation_id, incidents__in=[violations[0].incident])
        .order_by("pk")
        .first()
    )
    links: dict[str, Model | None] = {
        "violation": violations[0], "incident": violations[-1].incident, "source": source,
    }  # fmt: skip
    added = 0
    for suspect in case.suspect_persons.order_by("pk")[:2]:
        for element, bearing, strength, kind in ART28_RECORDS:
            link = links[kind] or violations[0].incident
            actions_command.add_command_record(
                analyst, case, suspect=suspect, mode_id=COMMANDER, element=element, link=link,
                bearing=bearing, strength=strength, note=ART28_NOTES[element],
                concerns_from=case.period_from, concerns_to=case.period_to,
            )  # fmt: skip
            added += 1
    return added


def _resubordinate(unit: Unit, change: dt.date | None) -> str:
    """Move a unit under ``unit`` to another unit on ``change``; what was done, for the log."""
    moved = Unit.objects.filter(parent=unit).order_by("pk").first()
    if moved is None or change is None:
        return ""
    below, todo = {moved.pk}, [moved.pk]
    while todo:  # every unit under the moved one: none of them may become its parent
        found = Unit.objects.filter(parent_id__in=todo).values_list("pk", flat=True)
        todo = [pk for pk in found if pk not in below]
        below.update(todo)
    other = (
        Unit.objects.filter(organisation_id=unit.organisation_id)
        .exclude(pk__in=[unit.pk, *below])
        .order_by("pk")
        .first()
    )
    if other is None:
        other = violation_actions.create_unit(
            None, unit.organisation, name="(demo) Operational Group East", kind=unit.kind
        )
    violation_actions.add_unit_subordination(
        None, moved, unit, valid_to=change - dt.timedelta(days=1),
        note="(Synthetic demo note.) Order of battle before the reorganisation.",
    )  # fmt: skip
    violation_actions.add_unit_subordination(
        None, moved, other, valid_from=change,
        note="(Synthetic demo note.) Re-subordinated by the reorganisation order.",
    )  # fmt: skip
    return f" {moved.name} moved from {unit.name} to {other.name} that day."


def _case(ctx: DemoContext, analyst: User, org: Organisation, plan: Plan) -> tuple[int, int, int]:
    """One case file; (charges, entries, art. 28 records) added."""
    violations = _visible(analyst, org, plan.crimes)
    if not violations:
        return 0, 0, 0
    unit = _unit_of(violations, org)
    dates = [v.incident.start_date for v in violations if v.incident.start_date]
    case = cases.create_case_file(
        analyst, org, title=plan.title, country=violations[0].incident.country or "UA",
        team=[analyst], summary=plan.summary, period_from=min(dates, default=None),
        period_to=max(dates, default=None),
    )  # fmt: skip
    if unit is not None:
        cases.link_records(analyst, case, "suspect_units", [unit])
        commanders = [c.person for c in UnitCommander.objects.filter(unit=unit).order_by("pk")]
        persons = [p for p in commanders if policy.can(analyst, "view", p)]
        cases.link_records(analyst, case, "suspect_persons", persons)
    cases.link_records(analyst, case, "incidents", {v.incident for v in violations})
    cases.link_records(analyst, case, "violations", violations)
    entries = 0
    pairs = _charges(ctx, plan, violations)
    for n, (crime_id, mode_id) in enumerate(pairs):
        charge = cases.add_charge(analyst, case, crime_id=crime_id, mode_id=mode_id)
        entries += _entries(analyst, charge, violations, n)
    return len(pairs), entries, _art28_records(analyst, case, violations)


def _charges(ctx: DemoContext, plan: Plan, violations: list[Violation]) -> list[tuple[str, str]]:
    """2-4 charges: each crime the violations amount to, as perpetrator (25(3)(a)) and as
    commander (28(a)) in turn; then the first crimes under the other mode to reach the count."""
    fallback = next(iter(plan.crimes.values()))
    crimes = list(dict.fromkeys(plan.crimes.get(v.type, fallback) for v in violations))
    pairs = [(crime, (DIRECT, COMMANDER)[n % 2]) for n, crime in enumerate(crimes)]
    pairs += [(crime, (COMMANDER, DIRECT)[n % 2]) for n, crime in enumerate(crimes)]
    return pairs[: min(len(pairs), 2 + ctx.random.randint(0, 2))]


def _qualify(analyst: User, org: Organisation) -> int:
    decided = 0
    for plan in PLANS:
        violations = _visible(analyst, org, plan.crimes)[:1]
        for violation in violations:
            if violation.type not in plan.crimes:
                continue  # no violation of the plan's types: nothing to accept
            decide_qualification(
                analyst, violation, decision="accept", crime_id=plan.crimes[violation.type],
                note="(Synthetic demo note.) Civilian victim, armed-conflict nexus recorded.",
            )  # fmt: skip
            decided += 1
    return decided


def build(ctx: DemoContext) -> None:
    """The demo step: two case files of ``member-1`` unless it already has one."""
    org = ctx.organisations.get(ORG)
    if org is None or CaseFile.objects.filter(organisation=org).exists():
        return
    analyst = ctx.user(ORG, Role.LEGAL_ANALYST)
    with uses.using("law.cases"):
        first = _visible(analyst, org, PLANS[0].crimes)
        unit = _unit_of(first, org)
        if not first or unit is None:
            return
        change = _change_commander(ctx, unit, first)
        moved = _resubordinate(unit, change)
        totals = [_case(ctx, analyst, org, plan) for plan in PLANS]
        qualified = _qualify(analyst, org)
    ctx.write(
        f"Law demo: {len(PLANS)} case files in {org.name} ({sum(t[0] for t in totals)} charges, "
        f"{sum(t[1] for t in totals)} matrix entries, gaps left open, "
        f"{sum(t[2] for t in totals)} art. 28 element records), {qualified} accepted "
        f"qualifications; {unit.name} changed commander on {change}.{moved}"
    )
