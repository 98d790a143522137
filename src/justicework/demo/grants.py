"""Demo step: a grants programme of the ``secretariat`` with two calls for local partners
(registered in ``DemoConfig.ready``, after the coalition).

What it adds, all synthetic:

* a second programme officer and two more reviewers in the secretariat (the eligibility
  checklist is confirmed by two different staff; a reviewer declares a conflict);
* a decided call: applicants registered from Ukraine, Congo, Colombia and Syria, applications
  in Ukrainian, French, Spanish and Arabic, eligibility confirmed by both officers, reviewers'
  declarations (one conflict), reviews assigned by ``assignment.run_assignment`` and scored,
  two awards (one at the per-recipient maximum, one under it) and one on the reserve list,
  tranches (on signature, on a report) and a narrative report due in the past, not submitted;
* an open call with a submitted application from Iraq and a draft from Myanmar.

Every write goes through the grants actions, as the people who would do it: officers,
reviewers, and grantee users who registered themselves. The decided call is created, published
and applied to while open (the actions refuse anything else), then closed early through
``change_status`` (a logged change of its closing time, with the reason), reviewed and decided.
Idempotent: nothing is done when the secretariat already has a programme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from justicework.core import actions as core_actions
from justicework.core.models import User
from justicework.core.roles import Role
from justicework.demo import coalition
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_applications as apply
from justicework.grants import actions_call_items as items
from justicework.grants import actions_calls as calls
from justicework.grants import actions_money as money
from justicework.grants import actions_money_reports as reports
from justicework.grants import assignment
from justicework.grants.actions_application_files import add_attachment
from justicework.grants.actions_registration import Registration, register_applicant
from justicework.grants.actions_review import conflicts, eligibility, profile, scoring
from justicework.grants.actions_review.decisions import decide
from justicework.grants.models import Application, Award, Call, LegalEntity, Programme
from justicework.grants.models.review import Assignment, ConflictKind

if TYPE_CHECKING:
    from justicework.core.models import Organisation
    from justicework.demo import DemoContext

ORG = "secretariat"
#: a minimal valid PDF: the declaration of honour every application attaches
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Partner:
    locale: str
    language: str
    country: str
    legal_form: str
    categories: tuple[str, ...]
    #: requested amount (EUR), documentation and psychosocial shares
    amount: int


DECIDED = (
    Partner("uk_UA", "en", "UA", "ngo", ("local_cso", "women_led"), 60000),
    Partner("fr_FR", "fr", "CD", "association", ("local_cso", "survivor_led"), 35000),
    Partner("es_CO", "es", "CO", "ngo", ("community_group", "small"), 25000),
    Partner("ar_AA", "ar", "SY", "ngo", ("local_cso", "remote_rural"), 20000),
)
OPEN = (
    Partner("ar_AA", "ar", "IQ", "association", ("local_cso", "women_led"), 30000),
    Partner("en_GB", "en", "MM", "ngo", ("community_group",), 15000),
)
ACTIVITIES = [
    {"code": "documentation", "title": {"en": "Documentation", "fr": "Documentation"}},
    {"code": "psychosocial", "title": {"en": "Psychosocial support", "fr": "Soutien psychosocial"}},
]


def _staff(org: Organisation, role: str, n: int) -> User:
    """The ``n``-th extra staff member holding ``role`` (random password: a reset sets one)."""
    email = f"{role.replace('_', '-')}-{n}@{ORG}.{coalition.EMAIL_DOMAIN}"
    user = core_actions.create_user(
        None, email=email, password=coalition.new_password(), display_name=email.split("@")[0]
    )
    core_actions.add_member(None, org, user, role)
    user.forget_memberships()
    return user


def _call(ctx: DemoContext, officer: User, programme: Programme, title: str, days: int) -> Call:
    """A published call open from yesterday for ``days`` days, with its criteria and form."""
    now = timezone.now()
    text = ctx.faker["en_GB"].paragraph(nb_sentences=3)
    call = calls.create_call(
        officer, programme, title={"en": title, "fr": f"(FR) {title}"}, text={"en": text},
        activity_types=ACTIVITIES, recipient_categories=[
            "local_cso", "women_led", "survivor_led", "community_group", "small", "remote_rural"
        ], countries=["UA", "CD", "CO", "SY", "IQ", "MM"], legal_forms=["ngo", "association"],
        budget=Decimal("400000"), amount_min=Decimal("5000"), amount_max=Decimal("60000"),
        amount_method=Call.AmountMethod.ACTUAL_COSTS, opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=days), time_zone="Europe/Amsterdam",
        reviews_per_application=2,
    )  # fmt: skip
    items.add_criterion(
        officer, call, code="relevance", title={"en": "Relevance"}, kind="scored",
        weight=Decimal("2"), min_score=0, max_score=10,
    )  # fmt: skip
    items.add_criterion(officer, call, code="capacity", title={"en": "Capacity"}, kind="scored")
    items.add_question(
        officer, call, code="summary", prompt={"en": "Summarise the project."},
        max_length=2000,
    )  # fmt: skip
    return calls.change_status(officer, call, Call.Status.PUBLISHED)


def _register(ctx: DemoContext, partner: Partner, n: int) -> tuple[User, LegalEntity]:
    faker = ctx.faker[partner.locale]
    name = f"{faker.last_name()} {faker.company_suffix()}"
    return register_applicant(
        Registration(
            email=f"grantee-{n}@{partner.country.lower()}.{coalition.EMAIL_DOMAIN}",
            password=coalition.new_password(), display_name=faker.name(), legal_name=name,
            legal_form=partner.legal_form, country=partner.country,
            registration_number=str(ctx.faker.unique.random_number(digits=9, fix_len=True)),
            categories=list(partner.categories), language=partner.language,
        )
    )  # fmt: skip


def _apply(ctx: DemoContext, call: Call, partner: Partner, n: int, submit: bool) -> Application:
    """A grantee registers and applies (``submit``: and submits) in the partner's language."""
    user, entity = _register(ctx, partner, n)
    faker = ctx.faker[partner.locale]
    application = apply.start_application(
        user, entity, call, title=faker.sentence(nb_words=6)[:200], language=partner.language
    )
    apply.save_answers(user, application, {"summary": faker.paragraph(nb_sentences=4)})
    documentation = Decimal(partner.amount) * Decimal("0.7")
    shares = (("documentation", documentation), ("psychosocial", partner.amount - documentation))
    for activity, amount in shares:
        budget.add_budget_line(
            user, application, activity_type=activity, cost_category="staff", amount=amount,
            description=faker.sentence(nb_words=5)[:300],
        )  # fmt: skip
    add_attachment(user, application, kind="declaration", name="declaration.pdf", chunks=[PDF])
    if submit:
        apply.submit_application(user, application)
    application.refresh_from_db()
    return application


def _eligible(officers: tuple[User, User], application: Application) -> None:
    """Both officers confirm the checklist; items the data cannot settle are met."""
    first, second = officers
    for check in eligibility.run_checks(first, application):
        if check.result == "unknown":
            eligibility.decide_item(first, check, "met", "Checked against the statutes.")
    eligibility.confirm(first, application)
    eligibility.confirm(second, application)


def _review(ctx: DemoContext, officer: User, reviewers: list[User], call: Call) -> int:
    """Declarations (the last reviewer declares a conflict with the first applicant),
    assignment, and every assigned review scored; the number of reviews."""
    conflicted = Application.objects.filter(call=call).order_by("pk").first()
    for reviewer in reviewers:
        profile.set_languages(reviewer, ["en", "fr", "es", "ar"])
        declared: list[tuple[LegalEntity, str, str]] = []
        if reviewer is reviewers[-1] and conflicted is not None:
            note = "(Synthetic demo note.) Former board member of the organisation."
            declared = [(conflicted.applicant, ConflictKind.RELATIONSHIP, note)]
        conflicts.declare_for_call(reviewer, call, declared)
    assignment.run_assignment(officer, call)
    done = 0
    active = Assignment.objects.filter(call=call, status=Assignment.Status.ACTIVE)
    for given in active.select_related("reviewer").order_by("pk"):
        conflicts.declare_for_application(given.reviewer, given)  # none with this one
        values = {
            c.pk: (ctx.random.randint(max(c.min_score, c.max_score // 2), c.max_score),
                   ctx.faker["en_GB"].sentence(nb_words=10))
            for c in scoring.scored_criteria(call.pk)
        }  # fmt: skip
        scoring.save_review(given.reviewer, given, values, submit=True)
        done += 1
    return done


def _decide(officer: User, call: Call, cap: Decimal) -> list[Award]:
    """The first applicant gets the maximum, the second less, the rest the reserve list."""
    start = timezone.localdate() - dt.timedelta(days=60)
    awards = []
    for n, application in enumerate(Application.objects.filter(call=call).order_by("pk")):
        if n < 2:
            amount = cap if n == 0 else application.requested_amount
            decision = decide(
                officer, application, outcome="award", amount=amount, rate_to_programme=1,
                reasons="(Synthetic demo.) Ranked high on relevance and capacity.",
                purpose=application.title, start_date=start,
                end_date=start + dt.timedelta(days=365),
            )  # fmt: skip
            awards.append(Award.objects.get(application_id=decision.application_id))
        else:
            decide(officer, application, outcome="reserve",
                   reasons="(Synthetic demo.) Eligible; below the funded ranks.")  # fmt: skip
    return awards


def _money(officer: User, award: Award) -> None:
    """Tranches: 60 % on signature, 40 % on a narrative report due a month ago (late)."""
    report = reports.schedule_report(
        officer, award, kind="narrative", title="Interim narrative report",
        due_on=timezone.localdate() - dt.timedelta(days=30),
    )  # fmt: skip
    first = (award.amount * Decimal("0.6")).quantize(Decimal("0.01"))
    money.add_tranche(officer, award, amount=first, condition="signature")
    rest = award.amount - first
    money.add_tranche(officer, award, amount=rest, condition="report", report=report)


def _decided_call(ctx: DemoContext, staff: dict[str, Any], programme: Programme) -> Call:
    officers, reviewers = staff["officers"], staff["reviewers"]
    call = _call(ctx, officers[0], programme, "Documentation by local partners, first round", 1)
    for n, partner in enumerate(DECIDED, start=1):
        _apply(ctx, call, partner, n, submit=True)
    note = "(Synthetic demo.) Closed for the demo: the round's applications are in."
    calls.change_status(officers[0], call, Call.Status.CLOSED, note=note)
    calls.change_status(officers[0], call, Call.Status.UNDER_REVIEW)
    for application in Application.objects.filter(call=call).order_by("pk"):
        _eligible(officers, application)
    _review(ctx, officers[0], reviewers, call)
    awards = _decide(officers[0], call, programme.cap_per_recipient)
    for award in awards:
        _money(officers[0], award)
    return calls.change_status(officers[0], call, Call.Status.DECIDED)


def build(ctx: DemoContext) -> None:
    """The demo step: the secretariat's grants programme unless it already has one."""
    org = ctx.organisations.get(ORG)
    if org is None or Programme.objects.filter(organisation=org).exists():
        return
    officer = ctx.user(ORG, Role.PROGRAMME_OFFICER)
    staff = {
        "officers": (officer, _staff(org, Role.PROGRAMME_OFFICER, 2)),
        "reviewers": [ctx.user(ORG, Role.REVIEWER)]
        + [_staff(org, Role.REVIEWER, n) for n in (2, 3)],
    }
    programme = calls.create_programme(
        officer, org, name="Local Justice Partners Fund", currency="EUR",
        cap_justification="(Synthetic demo.) The EU financial support ceiling per recipient.",
    )  # fmt: skip
    decided = _decided_call(ctx, staff, programme)
    current = _call(ctx, officer, programme, "Documentation by local partners, second round", 30)
    for n, partner in enumerate(OPEN, start=len(DECIDED) + 1):
        _apply(ctx, current, partner, n, submit=n == len(DECIDED) + 1)
    awards = Award.objects.filter(call=decided).order_by("pk")
    ctx.write(
        f"Grants demo: programme {programme.name} with call {decided.reference} (decided, "
        f"{awards.count()} awards, {len(DECIDED)} applications) and call {current.reference} "
        f"(open, {len(OPEN)} applications)."
    )
