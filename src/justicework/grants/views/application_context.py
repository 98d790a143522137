"""What the application pages show, built once for the editor, its fragments and the staff's
read-only view: the call's questions by section in the reader's UI language with the answers,
the budget with its totals in both currencies, the attachments, the co-applicants and what is
still missing before submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

import pycountry

from justicework.core import policy
from justicework.core.models import User
from justicework.grants import actions_application_budget as budget
from justicework.grants import actions_applications as actions
from justicework.grants import application_files, notices
from justicework.grants.fields import language_codes, text_in
from justicework.grants.models import (
    ApplicantNotice,
    Application,
    Attachment,
    BudgetLine,
    LegalEntity,
    Question,
)

#: at most this many registered organisations offered as co-applicants
PICKER_LIMIT = 500
#: the newest notices the applicant's page shows (every one stays in the table)
NOTICES_SHOWN = 50


@dataclass
class QuestionRow:
    question: Question
    prompt: str
    help: str
    value: Any
    choices: list[tuple[str, str]]
    error: str = ""

    @property
    def name(self) -> str:
        return f"q-{self.question.code}"


@dataclass
class Section:
    title: str
    rows: list[QuestionRow] = field(default_factory=list)


def sections(application: Application, errors: dict[str, Any] | None = None) -> list[Section]:
    errors = errors or {}
    rows = []
    for question in actions.questions_of(application.call):
        choices = [
            (str(c.get("code")), text_in(c.get("title")) or str(c.get("code")))
            for c in question.choices
            if isinstance(c, dict)
        ]
        value = application.answers.get(question.code, "")
        message = errors.get(question.code, "")
        rows.append(
            QuestionRow(
                question, text_in(question.prompt), text_in(question.help_text), value, choices,
                " ".join(message) if isinstance(message, list) else str(message),
            )
        )  # fmt: skip
    out = []
    for title, group in groupby(rows, key=lambda row: text_in(row.question.section)):
        out.append(Section(title, list(group)))
    return out


def activity_choices(application: Application) -> list[tuple[str, str]]:
    return [
        (str(a.get("code")), text_in(a.get("title")) or str(a.get("code")))
        for a in application.call.activity_types
        if isinstance(a, dict)
    ]


def currency_choices() -> list[tuple[str, str]]:
    return sorted((c.alpha_3, f"{c.alpha_3} — {c.name}") for c in pycountry.currencies)


def language_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    return [(code, str(names[code])) for code in language_codes()]


def budget_context(application: Application, extra: Decimal = Decimal(0)) -> dict[str, Any]:
    activities = dict(activity_choices(application))
    lines = [
        (line, activities.get(line.activity_type, line.activity_type))
        for line in application.budget_lines.all()
    ]
    return {
        "application": application,
        "lines": lines,
        "totals": budget.totals(application),
        "activities": activity_choices(application),
        "categories": BudgetLine.CostCategory.choices,
        "currencies": currency_choices(),
        "other_currency": application.currency != application.call.currency,
    }


def co_applicant_choices(user: User, application: Application) -> list[tuple[int, str]]:
    rows = (
        policy.visible(user, LegalEntity, "pick")
        .exclude(pk=application.applicant_id)
        .order_by("legal_name", "pk")[:PICKER_LIMIT]
    )
    return [(entity.pk, f"{entity.legal_name} ({entity.country})") for entity in rows]


def editor_context(
    user: User, application: Application, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    call = application.call
    can_change = bool(policy.can(user, "change", application))
    zone = actions.applicant_zone(user, call)
    context = budget_context(application)
    context.update(
        {
            "call": call,
            "call_title": text_in(call.title),
            "closes_call_zone": actions.shown(call.closes_at, actions.zone_named(call.time_zone)),
            "closes_your_zone": actions.shown(call.closes_at, zone),
            "sections": sections(application, errors),
            "can_change": can_change,
            "can_withdraw": bool(policy.can(user, "withdraw", application)),
            "attachments": list(application.attachments.all()),
            "attachment_kinds": Attachment.Kind.choices,
            "accept": application_files.ACCEPT,
            "max_mb": f"{application_files.max_bytes() / 1_000_000:g}",
            "co_applicants": list(application.co_applicants.all()),
            "problems": actions.problems(application) if can_change else [],
            "ui_languages": language_choices(),
            "status_label": application.get_status_display(),
        }
    )
    if can_change:
        context["co_choices"] = co_applicant_choices(user, application)
    context["notices"] = notices.for_page(
        policy.visible(user, ApplicantNotice)
        .filter(application=application)
        .select_related("application")[:NOTICES_SHOWN]
    )
    return context
