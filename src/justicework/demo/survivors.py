"""Demo step: survivors of ``member-1`` (registered in ``DemoConfig.ready``, after the
violations and evidence steps: the survivors are victims of the violations demo's acts).

What it adds, all synthetic (Faker names and places; ``demo.survivors_data``):

* information sheets on consent in English and Ukrainian;
* a survivor file for up to ``SURVIVORS`` victims, each with consent recorded use by use in
  turn from ``PROFILES``: every use given; some refused; a child's consent given by a guardian;
  a use given only for one forum; and withdrawals recorded later (legal proceedings, sharing,
  follow-up contact), so the consent gate refuses those uses for those persons;
* safety assessments (threats, safe contact, people never to tell, a code word, a review date);
* interviews, with their purposes, the repeat interviews' reasons ("does it add value?");
* a directory of service providers of every kind in the organisation's countries (UA, GE);
* referrals at every status, each moved through ``change_status`` (consent asked again on
  the way); and one proposal the gate refuses, for a survivor who refused referral;
* a support plan, participation wishes (versioned), an application for victim status and the
  log of information given back (one survivor left without news for months).

Every write goes through the survivors app's actions, under the declared use each needs, so
consent is checked as it is for a person using the pages. Idempotent: nothing is done when
the organisation already has a survivor file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from justicework.core import policy, uses
from justicework.core.roles import Role
from justicework.demo import survivors_data as data
from justicework.survivors import actions
from justicework.survivors.interview_history import earlier_accounts
from justicework.survivors.models import (
    Consent,
    Forum,
    InformationGiven,
    InformationSheet,
    Interview,
    ParticipationWish,
    ServiceKind,
    ServiceProvider,
    SurvivorFile,
    VictimStatusApplication,
)
from justicework.survivors.models.interviews import Gender
from justicework.violations.models import Person

if TYPE_CHECKING:
    from justicework.core.models import Organisation, User
    from justicework.demo import DemoContext

ORG = "member-1"
#: Survivor files at most (fewer when the violations demo has fewer victims, as in tests).
SURVIVORS = 12
LANGUAGES = ("uk", "uk", "ru")


@dataclass
class Survivor:
    file: SurvivorFile
    profile: data.Profile
    #: when consent was first given; everything else happened after
    since: dt.datetime


@dataclass
class Run:
    ctx: DemoContext
    org: Organisation
    coordinator: User
    documenter: User
    analyst: User
    now: dt.datetime = field(default_factory=timezone.now)
    sheets: dict[str, InformationSheet] = field(default_factory=dict)
    providers: list[ServiceProvider] = field(default_factory=list)
    survivors: list[Survivor] = field(default_factory=list)
    refused_referrals: int = 0

    def text(self, template: str) -> str:
        faker = self.ctx.faker["uk_UA"]
        return template.format(name=faker.name(), city=faker.city())

    def pick(self, options: tuple[str, ...]) -> str:
        return self.text(self.ctx.random.choice(options))

    def days_ago(self, low: int, high: int) -> dt.datetime:
        return self.now - dt.timedelta(days=self.ctx.random.randint(low, high), hours=3)


def _victims(actor: User, org: Organisation) -> list[Person]:
    """Victims of the violations demo first, then other persons; never a unit's commander."""
    persons = (
        policy.visible(actor, Person, "view")
        .filter(organisation=org)
        .exclude(commands__isnull=False)
    )
    victims = list(persons.filter(roles__role="victim").distinct().order_by("pk")[:SURVIVORS])
    if len(victims) < SURVIVORS:
        others = persons.exclude(pk__in=[p.pk for p in victims]).order_by("pk")
        victims += list(others[: SURVIVORS - len(victims)])
    return victims


def _sheets(run: Run) -> None:
    for language, (title, body) in data.SHEETS.items():
        run.sheets[language] = actions.create_information_sheet(
            run.coordinator, run.org, language=language, title=title, body=body
        )


def _provider(run: Run, country: str, languages: tuple[str, ...], kind: str, n: int) -> None:
    rnd = run.ctx.random
    provider = actions.ProviderData(
        name=run.text(rnd.choice(data.PROVIDER_NAMES[kind])), kind=kind, country=country,
        area=run.ctx.faker["uk_UA"].city(),
        languages=list(languages[: rnd.randint(1, len(languages))]),
        accessibility=rnd.choice(data.ACCESSIBILITY),
        contact=f"+000 {rnd.randrange(10**6, 10**7)}, intake@{kind}.example.org",
        opening_hours=rnd.choice(data.HOURS),
        referral_requirements="A referral form signed by the coordinator.",
        shared=n % 2 == 0, active=not (country == "GE" and n == 2),  # one closed service
    )  # fmt: skip
    run.providers.append(actions.create_provider(run.coordinator, run.org, provider))


def _providers(run: Run) -> None:
    for country, languages in data.PROVIDER_COUNTRIES.items():
        kinds = ServiceKind.values if country == "UA" else ServiceKind.values[:3]
        for n, kind in enumerate(kinds):
            _provider(run, country, languages, kind, n)


def _how(run: Run, file: SurvivorFile, at: dt.datetime, language: str) -> actions.How:
    faker, rnd = run.ctx.faker["uk_UA"], run.ctx.random
    return actions.How(
        given_at=at,
        method=rnd.choice([Consent.Method.WRITTEN, Consent.Method.ORAL]),
        language=language,
        interpreter=faker.name() if language != "uk" else "",
        given_by=Consent.GivenBy.GUARDIAN if file.is_child else Consent.GivenBy.SURVIVOR,
        guardian_relationship="mother" if file.is_child else "",
        sheet=run.sheets.get(language),
        conditions=rnd.choice(["", "Not to be shown to anyone from my village."]),
    )


def _consent(run: Run, person: Person, profile: data.Profile) -> Survivor:
    """Open the file and record the profile's consent; the withdrawals come later."""
    language = run.ctx.random.choice(LANGUAGES)
    taker = run.documenter if profile.key in {"every-use", "withdrew-legal"} else run.coordinator
    file = actions.open_survivor_file(
        taker, person, is_child=profile.child, preferred_language=language
    )
    since = run.days_ago(150, 400)
    choices = [actions.Choice(scope, True) for scope in profile.given]
    choices += [actions.Choice(scope, False) for scope in profile.refused]
    choices += [actions.Choice(scope, True, qualifier) for scope, qualifier in profile.qualified]
    actions.record_consent(taker, file, _how(run, file, since, language), choices)
    return Survivor(file, profile, since)


def _withdrawals(run: Run) -> None:
    for survivor in run.survivors:
        for scope in survivor.profile.withdrawn:
            at = survivor.since + dt.timedelta(days=run.ctx.random.randint(40, 120))
            how = _how(run, survivor.file, at, survivor.file.preferred_language or "uk")
            actions.withdraw_consent(run.coordinator, survivor.file, how, scope)


def _safety(run: Run) -> None:
    rnd = run.ctx.random
    for n, survivor in enumerate(run.survivors):
        if n % 5 == 4:
            continue  # no assessment yet: the page says so
        actions.record_safety_assessment(run.coordinator, survivor.file, actions.Safety(
            review_on=timezone.localdate() + dt.timedelta(days=rnd.randint(14, 120)),
            threats=run.pick(data.THREATS), contact_methods=run.pick(data.CONTACT_METHODS),
            contact_times=rnd.choice(data.CONTACT_TIMES), never_tell=run.pick(data.NEVER_TELL),
            code_word=rnd.choice(data.CODE_WORDS),
        ))  # fmt: skip


def _interview(run: Run, survivor: Survivor, n: int) -> None:
    rnd, faker = run.ctx.random, run.ctx.faker["en_GB"]
    purposes = ["documentation", *survivor.profile.purposes]
    held = survivor.since + dt.timedelta(days=1 + 30 * n, hours=rnd.randint(1, 6))
    earlier = earlier_accounts(run.documenter, survivor.file).count
    repeat = "The legal team needs the dates of the second detention." if earlier else ""
    interpreter = run.ctx.faker["uk_UA"].name() if survivor.file.preferred_language == "ru" else ""
    sexual = "sexual_violence" in purposes
    actions.record_interview(run.documenter, survivor.file, actions.InterviewData(
        held_at=held, interviewer_gender=Gender.FEMALE if sexual else rnd.choice(Gender.values[:2]),
        preferred_gender=Interview.Preference.FEMALE if sexual else
        rnd.choice(Interview.Preference.values),
        place=rnd.choice(Interview.Place.values), duration_minutes=rnd.randint(30, 120),
        purposes=purposes, interpreter=interpreter,
        interpreter_gender=Gender.FEMALE if interpreter else "",
        support_person_present=rnd.random() < 0.5, breaks=rnd.randint(0, 3),
        first_aid_given=rnd.random() < 0.4, referral_offered=True, repeat_reason=repeat,
        narrative=f"(Synthetic demo narrative.) {faker.paragraph(nb_sentences=5)}",
        sexual_violence_narrative=(
            f"(Synthetic demo text, no real account.) {faker.paragraph(nb_sentences=2)}"
            if sexual else ""
        ),
    ))  # fmt: skip


def _interviews(run: Run) -> None:
    for survivor in run.survivors:
        for n in range(survivor.profile.interviews):
            _interview(run, survivor, n)


def _referrals(run: Run) -> None:
    """Every status once at least, each reached through ``change_status``; then a proposal
    for a survivor who refused referral, which the consent gate refuses."""
    rnd = run.ctx.random
    referable = [s for s in run.survivors if "referral" in s.profile.given]
    active = [p for p in run.providers if p.active and p.country == "UA"]
    for n, (status, path) in enumerate(data.REFERRAL_PATHS.items()):
        survivor, provider = referable[n % len(referable)], active[n % len(active)]
        open_ = status in {"proposed", "consent_checked", "sent", "accepted"}
        referral = actions.create_referral(run.coordinator, survivor.file, actions.ReferralData(
            provider=provider if n % 3 else None, kind=provider.kind,
            shared_items=["code", "language", "needs"] + (["contact"] if n % 2 else []),
            note=f"Needs {ServiceKind(provider.kind).label.lower()} support; call first.",
            follow_up_on=timezone.localdate() + dt.timedelta(days=rnd.randint(3, 30))
            if open_ else None,
        ))  # fmt: skip
        for step in path:
            outcome = "Seen twice; the provider reports progress." if step == "completed" else ""
            referral = actions.change_status(run.coordinator, referral, step, outcome=outcome)
    for survivor in run.survivors:
        if "referral" in survivor.profile.refused:
            try:
                actions.create_referral(run.coordinator, survivor.file, actions.ReferralData(
                    kind=ServiceKind.LEGAL, shared_items=["code"]))  # fmt: skip
            except ValidationError:
                run.refused_referrals += 1  # as it must: no consent to refer


def _plan(run: Run) -> None:
    survivor = run.survivors[0]
    plan = actions.save_plan(
        run.coordinator, survivor.file, needs=["medical", "psychosocial", "legal"],
        needs_note="Wants counselling in Ukrainian, near her sister's home.",
        next_review_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    for n, text in enumerate(data.PLAN_ACTIONS):
        step = actions.add_plan_action(
            run.coordinator, plan, description=text, owner=run.coordinator,
            due_on=timezone.localdate() + dt.timedelta(days=7 * (n + 1)),
        )  # fmt: skip
        if n == 0:
            actions.complete_plan_action(run.coordinator, step)


def _wish(run: Run, survivor: Survivor) -> None:
    take_part = survivor.profile.take_part
    forums: tuple[str, ...] = ()
    texts: dict[str, str] = {}
    if take_part == ParticipationWish.TakePart.YES:
        forums = (
            (Forum.ICC, Forum.NATIONAL) if survivor.profile.key == "every-use" else (Forum.ICC,)
        )
        texts = {
            "legal_representative": run.pick(data.LEGAL_REPRESENTATIVES),
            "measures_requested": run.ctx.random.choice(data.MEASURES),
            "reparations_sought": run.ctx.random.choice(data.REPARATIONS),
        }
    if survivor.profile.key == "withdrew-legal":  # changed her mind: two versions
        wish = actions.Wish(take_part="yes", forums=(Forum.NATIONAL,))
        actions.record_participation(run.analyst, survivor.file, wish)
    actions.record_participation(
        run.analyst, survivor.file, actions.Wish(take_part=take_part, forums=forums, texts=texts)
    )


def _participation(run: Run) -> None:
    today = timezone.localdate()
    for survivor in run.survivors:
        _wish(run, survivor)
    first = run.survivors[0].file
    submitted = actions.record_application(run.analyst, first, actions.Application(
        forum=Forum.ICC, status=VictimStatusApplication.Status.SUBMITTED, reference="VPRS-0042",
        applied_on=today - dt.timedelta(days=90),
    ))  # fmt: skip
    actions.record_application(run.analyst, first, actions.Application(
        forum=Forum.ICC, status=VictimStatusApplication.Status.GRANTED, reference="VPRS-0042",
        applied_on=today - dt.timedelta(days=90), decided_on=today - dt.timedelta(days=10),
    ), supersedes=submitted)  # fmt: skip


def _information(run: Run) -> None:
    rnd = run.ctx.random
    for n, survivor in enumerate(run.survivors):
        stale = n % 4 == 3  # no news for months: on the "not updated" list
        for _entry in range(rnd.randint(1, 3)):
            at = run.days_ago(120, 200) if stale else run.days_ago(1, 60)
            actions.record_information(
                run.coordinator, survivor.file, what=run.pick(data.INFORMATION), given_at=at,
                how=rnd.choice(InformationGiven.How.values[:4]),
            )  # fmt: skip


def build(ctx: DemoContext) -> None:
    """The demo step: the survivors of ``member-1`` unless they are already there."""
    org = ctx.organisations.get(ORG)
    if org is None or SurvivorFile.objects.filter(organisation=org).exists():
        return
    run = Run(ctx, org, ctx.user(ORG, Role.SUPPORT_COORDINATOR), ctx.user(ORG, Role.DOCUMENTER),
              ctx.user(ORG, Role.LEGAL_ANALYST))  # fmt: skip
    persons = _victims(run.documenter, org)
    if not persons:
        return
    with uses.using("survivors.consent"):
        _sheets(run)
        for n, person in enumerate(persons):
            run.survivors.append(_consent(run, person, data.PROFILES[n % len(data.PROFILES)]))
    _providers(run)
    with uses.using("survivors.safety"):
        _safety(run)
    with uses.using("survivors.interviews"):
        _interviews(run)
    with uses.using("survivors.support"):
        _referrals(run)
        _plan(run)
    with uses.using("survivors.participation"):
        _participation(run)
        _information(run)
    with uses.using("survivors.consent"):
        _withdrawals(run)  # last: what was done before was done with consent
    ctx.write(
        f"Survivors demo: {len(run.survivors)} survivor files in {org.name} (consents given, "
        f"refused and withdrawn; safety, interviews, {len(run.providers)} service providers, "
        f"referrals at every status, participation, information given back; "
        f"{run.refused_referrals} referral proposals refused for lack of consent)."
    )
