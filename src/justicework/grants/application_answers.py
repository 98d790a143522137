"""An answer to a question of a call's form, checked against the question: its kind, its longest
answer and its list of choices. One cleaner per kind; each error names the question (its code,
and its prompt in the active language), so the applicant finds it in a long form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from justicework.grants.fields import text_in
from justicework.grants.models import Question

K = Question.Kind
#: the longest short answer when the question sets no limit (a long one: ``LONG_DEFAULT``)
SHORT_DEFAULT = 300
LONG_DEFAULT = 20000
YES = frozenset({"yes", "true", "1", "on"})
NO = frozenset({"no", "false", "0", "off"})


def label(question: Question) -> str:
    prompt = text_in(question.prompt)
    return f"{question.code} ({prompt})" if prompt else question.code


def _text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Give a text."))
    text = value.strip()
    limit = question.max_length or (SHORT_DEFAULT if question.kind == K.SHORT else LONG_DEFAULT)
    if len(text) > limit:
        raise ValueError(
            _("At most %(limit)s characters (%(given)s given).")
            % {"limit": limit, "given": len(text)}
        )
    return text


def _number(question: Question, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(_("Give a number."))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Give a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Give a number."))
    return str(number.normalize()) if number != number.to_integral() else str(int(number))


def _choice(question: Question, value: Any) -> str:
    codes = [str(c.get("code")) for c in question.choices if isinstance(c, dict)]
    if not isinstance(value, str) or value not in codes:
        raise ValueError(_("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)})
    return value


def _yes_no(question: Question, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES or word in NO:
        return word in YES
    raise ValueError(_("Answer yes or no."))


CLEANERS: dict[str, Callable[[Question, Any], Any]] = {
    K.SHORT: _text,
    K.LONG: _text,
    K.NUMBER: _number,
    K.CHOICE: _choice,
    K.YES_NO: _yes_no,
}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_answers(
    questions: Iterable[Question], given: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The cleaned answers of ``given`` and the codes to clear (a blank answer); a
    ``ValidationError`` keyed by question code, every wrong answer at once."""
    by_code = {q.code: q for q in questions}
    cleaned: dict[str, Any] = {}
    cleared: list[str] = []
    errors: dict[str, str] = {}
    for code, value in given.items():
        question = by_code.get(code)
        if question is None:
            errors[str(code)] = _("%(code)s is not a question of this call.") % {"code": code}
        elif is_blank(value):
            cleared.append(code)
        else:
            try:
                cleaned[code] = CLEANERS[question.kind](question, value)
            except ValueError as exc:
                errors[code] = f"{label(question)}: {exc}"
    if errors:
        raise ValidationError(errors)
    return cleaned, cleared


def missing(questions: Iterable[Question], answers: dict[str, Any]) -> list[Question]:
    """The required questions without an answer."""
    return [q for q in questions if q.required and is_blank(answers.get(q.code))]
