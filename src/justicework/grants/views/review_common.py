"""What the review pages share: the acting user, running an action with its errors shown
(each naming its field), and how an application is shown to a reviewer (blind when the call
says so)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from justicework.core.models import User
from justicework.grants.fields import text_in
from justicework.grants.models import Application, Attachment, BudgetLine, Question

T = TypeVar("T")


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def error_lines(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {message}" for name, errors in exc.message_dict.items() for message in errors
        ]
    return list(exc.messages)


def attempt(request: HttpRequest, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run an action; on bad input or refusal, say why (naming the field) and return None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        for line in error_lines(exc):
            messages.error(request, line)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("This action is not allowed."))
    return None


@dataclass
class Answer:
    code: str
    section: str
    prompt: str
    value: Any


@dataclass
class ReviewerView:
    """An application as a reviewer reads it; ``identity`` is empty under blind review."""

    reference: str
    title: str
    language: str
    requested: Decimal
    currency: str
    answers: list[Answer]
    budget: list[BudgetLine]
    blind: bool
    identity: dict[str, Any] = field(default_factory=dict)


def reviewer_view(application: Application, language: str) -> ReviewerView:
    call = application.call
    questions = Question.objects.filter(call_id=call.pk).order_by("order", "pk")
    given = application.answers or {}
    answers = [
        Answer(q.code, text_in(q.section, language), text_in(q.prompt, language), given.get(q.code))
        for q in questions
    ]
    view = ReviewerView(
        reference=application.reference,
        title=application.title,
        language=application.language,
        requested=application.requested_amount,
        currency=call.currency,
        answers=answers,
        budget=list(application.budget_lines.order_by("order", "pk")),
        blind=call.blind_review,
    )
    if not call.blind_review:
        entity = application.applicant
        view.identity = {
            "legal_name": entity.legal_name,
            "registration_number": entity.registration_number,
            "country": entity.country,
            "co_applicants": [
                e.legal_name for e in application.co_applicants.order_by("legal_name")
            ],
            "attachments": [
                (a.get_kind_display(), a.file_name)
                for a in Attachment.objects.filter(application=application)
            ],
        }
    return view
