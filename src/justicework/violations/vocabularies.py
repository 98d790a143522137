"""Controlled vocabularies: JSON data files in ``violations/data/``, loaded once and validated.

Each file is ``{"name": ..., "description": ..., "terms": [...]}``; a term is::

    {"code": "torture", "parent": "physical_integrity", "labels": {"en": ..., "fr": ...,
     "es": ..., "ru": ..., "ar": ...}, ...extra keys (e.g. "crimes", "rank")}

Codes are unique within a vocabulary, parents must exist, every term has a label in each of the
five UI languages. ``term("violation_types", "rapee")`` raises :class:`UnknownTerm` naming the
vocabulary and the code; model fields use :class:`VocabularyValidator` so bad codes never reach
the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr", "es", "ru", "ar")

#: The vocabularies shipped with the package (file name without ``.json``).
NAMES = (
    "violation_types",
    "international_crimes",
    "methods",
    "involvement_degrees",
    "perpetrator_types",
    "source_types",
    "source_reliability",
    "information_credibility",
)


class VocabularyError(Exception):
    """A vocabulary data file is malformed."""


class UnknownTerm(LookupError):
    """A code that is not in the vocabulary."""

    def __init__(self, vocabulary: str, code: object) -> None:
        self.vocabulary = vocabulary
        self.code = code
        super().__init__(f"{code!r} is not a code of the {vocabulary!r} vocabulary.")


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    parent: str | None
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en").split("-")[0]
        return self.labels.get(language) or self.labels["en"]

    @property
    def crimes(self) -> list[str]:
        """International crimes this act may amount to (violation types only)."""
        return list(self.extra.get("crimes", []))

    def __str__(self) -> str:
        return self.label()


@dataclass(frozen=True)
class Vocabulary:
    name: str
    description: str
    terms: dict[str, Term]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def term(self, code: str) -> Term:
        try:
            return self.terms[code]
        except (KeyError, TypeError):
            raise UnknownTerm(self.name, code) from None

    def children(self, code: str | None) -> list[Term]:
        return [t for t in self.terms.values() if t.parent == code]

    def roots(self) -> list[Term]:
        return self.children(None)

    def ancestors(self, code: str) -> list[Term]:
        """The chain of parents of ``code``, nearest first."""
        chain = []
        current = self.term(code).parent
        while current is not None:
            parent = self.terms[current]
            chain.append(parent)
            current = parent.parent
        return chain

    def descendants(self, code: str) -> list[str]:
        """``code`` and every code below it (for "type X or any narrower type" filters)."""
        self.term(code)
        found = [code]
        for item in found:
            found.extend(t.code for t in self.terms.values() if t.parent == item)
        return found

    def selectable(self) -> list[Term]:
        """Terms a record may carry: every term but the groupings (a term with narrower terms,
        e.g. killing, stands for "this act, not specified further")."""
        return [t for t in self.terms.values() if not t.extra.get("group")]

    def has_narrower(self, code: str) -> bool:
        return any(t.parent == code for t in self.terms.values())

    def leaves(self) -> list[Term]:
        parents = {t.parent for t in self.terms.values()}
        return [t for t in self.terms.values() if t.code not in parents]

    def choices(self, language: str | None = None, *, indent: bool = True) -> list[tuple[str, str]]:
        """(code, label) pairs in file order; nested terms indented for select boxes."""
        result = []
        for t in self.terms.values():
            depth = len(self.ancestors(t.code)) if indent else 0
            result.append((t.code, "\u2003" * depth + t.label(language)))
        return result


def _parse(name: str, raw: Any) -> Vocabulary:
    where = f"vocabulary {name!r}"
    if not isinstance(raw, dict) or not isinstance(raw.get("terms"), list):
        raise VocabularyError(f"{where}: expected an object with a 'terms' list.")
    terms: dict[str, Term] = {}
    for index, item in enumerate(raw["terms"]):
        if not isinstance(item, dict):
            raise VocabularyError(f"{where}: term #{index} is not an object.")
        code = item.get("code")
        if not isinstance(code, str) or not code:
            raise VocabularyError(f"{where}: term #{index} has no code.")
        if code in terms:
            raise VocabularyError(f"{where}: code {code!r} appears twice.")
        labels = item.get("labels")
        if not isinstance(labels, dict):
            raise VocabularyError(f"{where}: term {code!r} has no labels.")
        missing = [lang for lang in LANGUAGES if not str(labels.get(lang, "")).strip()]
        if missing:
            raise VocabularyError(f"{where}: term {code!r} lacks labels for {', '.join(missing)}.")
        parent = item.get("parent")
        extra = {k: v for k, v in item.items() if k not in {"code", "parent", "labels"}}
        terms[code] = Term(name, code, parent, {k: str(v) for k, v in labels.items()}, extra)
    for t in terms.values():
        if t.parent is not None and t.parent not in terms:
            raise VocabularyError(f"{where}: term {t.code!r} has unknown parent {t.parent!r}.")
        seen = {t.code}
        current = t.parent
        while current is not None:
            if current in seen:
                raise VocabularyError(f"{where}: term {t.code!r} is in a parent cycle.")
            seen.add(current)
            current = terms[current].parent
    return Vocabulary(name, str(raw.get("description", "")), terms)


@cache
def get(name: str) -> Vocabulary:
    """The vocabulary ``name``, parsed and validated once per process."""
    if name not in NAMES:
        raise VocabularyError(f"There is no vocabulary {name!r}; known: {', '.join(NAMES)}.")
    path = DATA_DIR / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VocabularyError(f"vocabulary {name!r}: cannot read {path.name}: {exc}") from exc
    vocabulary = _parse(name, raw)
    if name == "violation_types":
        crimes = get("international_crimes")
        for t in vocabulary:
            for crime in t.crimes:
                if crime not in crimes:
                    raise VocabularyError(
                        f"vocabulary 'violation_types': term {t.code!r} names unknown crime "
                        f"{crime!r}."
                    )
    return vocabulary


def term(name: str, code: str) -> Term:
    """The term ``code`` of vocabulary ``name``; :class:`UnknownTerm` if there is none."""
    return get(name).term(code)


def label(name: str, code: str, language: str | None = None) -> str:
    return term(name, code).label(language)


def is_valid(name: str, code: str) -> bool:
    return code in get(name)


def load_all() -> dict[str, Vocabulary]:
    return {name: get(name) for name in NAMES}


@deconstructible
class VocabularyValidator:
    """Model/form field validator: the value must be a code of the vocabulary."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    def __call__(self, value: Any) -> None:
        if value in (None, ""):
            return
        if value not in get(self.vocabulary):
            raise ValidationError(
                _("%(code)r is not a known code in %(vocabulary)s."),
                code="unknown_term",
                params={"code": value, "vocabulary": self.vocabulary},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VocabularyValidator) and other.vocabulary == self.vocabulary

    def __hash__(self) -> int:
        return hash(self.vocabulary)
