"""The consent gate: the policy asks it, for the declared use in effect, about every record
that exposes a consent-managed person (registered in ``SurvivorsConfig.ready``).

The current decision for a (use, qualifier) is the latest recorded one. No decision is no
consent. A use asked with a qualifier (a forum, a named service) may also name the qualifier's
kind (the provider's kind of service: ``medical``). Precedence, survivor-protective:

1. The *specific* decisions are the current one for the named qualifier and the current one
   for its kind. If either is refused or withdrawn, the use is refused — **a refusal always
   wins** between them: "no medical referrals" stops a referral to a clinic consented by name
   earlier or later, and "not Clinic Nadiya" stops it even with consent for medical services.
2. Otherwise, if either is given, the use is allowed (consent for "medical" covers every
   provider whose kind is medical; consent for "Clinic Nadiya" covers only that clinic).
3. Only when neither has a decision does the general decision (no qualifier) count: "not in
   general, but this one" stays expressible, as it was before kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, FilteredRelation, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core import policy, uses
from justicework.core.policy import ALLOW, Decision, deny
from justicework.survivors.models import ConsentDecision, SurvivorFile

A = ConsentDecision.Answer


@dataclass(frozen=True)
class State:
    """Where one use stands for one consent-managed person."""

    answer: str | None  # None: none recorded
    qualifier: str = ""
    given_at: dt.datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.answer == A.GIVEN


def use_label(scope: str, qualifier: str) -> str:
    label = str(uses.Scope(scope).label)
    return f"{label} ({qualifier})" if qualifier else label


def refusal(scope: str, qualifier: str, state: State) -> Decision:
    """The reason naming the missing consent."""
    what = use_label(scope, qualifier)
    if state.answer is None or state.given_at is None:
        return deny(_("No consent for %(use)s — none recorded.") % {"use": what})
    when = timezone.localdate(state.given_at).isoformat()
    if state.answer == A.WITHDRAWN:
        text = _("No consent for %(use)s — withdrawn on %(date)s.")
    else:
        text = _("No consent for %(use)s — refused on %(date)s.")
    return deny(text % {"use": what, "date": when})


def current_state(person_id: int, scope: str, qualifier: str = "", kind: str = "") -> State | None:
    """The person's state for the use (None: no survivor file, not consent-managed), by the
    precedence above. One query: the file with its decisions on this use, newest first. (One
    query per person and scope; a list never asks this: ``narrow`` filters it in SQL.)"""
    rows = list(
        SurvivorFile.objects.filter(person_id=person_id)
        .annotate(d=FilteredRelation("decisions", condition=Q(decisions__scope=scope)))
        .values_list("pk", "d__qualifier", "d__answer", "d__consent__given_at", "d__pk")
        .order_by("-d__pk")
    )
    if not rows:
        return None
    latest: dict[str, State] = {}
    for _file, qual, answer, given_at, pk in rows:
        if pk is not None and qual not in latest:
            latest[qual] = State(answer, qual, given_at)
    specific = [latest[q] for q in _specific(qualifier, kind) if q in latest]
    refused = [state for state in specific if not state.allowed]
    if refused or specific:
        return (refused or specific)[0]
    return latest.get("") or State(None, qualifier)


def _specific(qualifier: str, kind: str) -> list[str]:
    """The specific qualifiers asked, named first (so a refusal names the provider first)."""
    return [q for q in dict.fromkeys((qualifier, kind)) if q] if qualifier else []


def _latest_given(file_ref: Any, scope: str, qualifier: str) -> Exists:
    later = ConsentDecision.objects.filter(
        file=OuterRef("file"), scope=scope, qualifier=qualifier, pk__gt=OuterRef("pk")
    )
    return Exists(
        ConsentDecision.objects.filter(
            file=file_ref, scope=scope, qualifier=qualifier, answer=A.GIVEN
        ).exclude(Exists(later))
    )


def needed(in_use: uses.InUse) -> list[tuple[str, str]]:
    """The (scope, qualifier) pairs a use needs: documentation is the ground of every other
    use (what a survivor no longer wants documented is not shared, referred or published
    either), then the use's own scope."""
    scope = in_use.use.scope
    if scope is None:
        return []
    if scope == uses.Scope.DOCUMENTATION:
        return [(scope, in_use.qualifier)]
    return [(uses.Scope.DOCUMENTATION, ""), (scope, in_use.qualifier)]


def allowed_q(path: str, scope: str, qualifier: str, kind: str = "") -> Q:
    """Rows whose person (at ``path``: "" for a Person, "person" for a link) is not
    consent-managed or has current consent for the use (the precedence above, in SQL)."""
    prefix = f"{path}__" if path else ""
    # the outer query joins the file already (for "unmanaged"): match decisions on it
    file_ref = OuterRef(f"{prefix}survivor_file")
    unmanaged = Q(**{f"{prefix}survivor_file__isnull": True})
    given: Any = _latest_given(file_ref, scope, "")
    specific = _specific(qualifier, kind)
    if specific:
        decided = Exists(
            ConsentDecision.objects.filter(file=file_ref, scope=scope, qualifier__in=specific)
        )
        any_given: Any = None
        refused: Any = None
        for q in specific:
            latest = _latest_given(file_ref, scope, q)
            one = Exists(ConsentDecision.objects.filter(file=file_ref, scope=scope, qualifier=q))
            any_given = latest if any_given is None else any_given | latest
            refused = (one & ~latest) if refused is None else refused | (one & ~latest)
        given = (~refused & any_given) | (~decided & given)
    return unmanaged | Q(given)


class PersonGate:
    """The gate for a model whose person is at ``path`` ("" for Person itself)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _person_id(self, obj: Any) -> int | None:
        if not self.path:
            return int(obj.pk) if obj.pk is not None else None
        value = getattr(obj, f"{self.path}_id", None)
        return int(value) if value is not None else None

    def check(self, obj: Any, in_use: uses.InUse) -> Decision:
        person_id = self._person_id(obj)
        if person_id is None:
            return ALLOW
        for scope, qualifier in needed(in_use):
            kind = in_use.kind if qualifier else ""
            key = (person_id, scope, qualifier, kind)
            if key not in in_use.memory:
                state = current_state(person_id, scope, qualifier, kind)
                if state is None or state.allowed:
                    in_use.memory[key] = ALLOW
                else:
                    in_use.memory[key] = refusal(scope, state.qualifier or qualifier, state)
            decision: Decision = in_use.memory[key]
            if not decision:
                return decision
        return ALLOW

    def narrow(self, queryset: QuerySet[Any], in_use: uses.InUse) -> QuerySet[Any]:
        for scope, qualifier in needed(in_use):
            kind = in_use.kind if qualifier else ""
            queryset = queryset.filter(allowed_q(self.path, scope, qualifier, kind))
        return queryset

    def passed(self, obj: Any, in_use: uses.InUse) -> None:
        person_id = self._person_id(obj)
        if person_id is not None:
            for scope, qualifier in needed(in_use):
                kind = in_use.kind if qualifier else ""
                in_use.memory[(person_id, scope, qualifier, kind)] = ALLOW


def gated_models() -> dict[type[Model], str]:
    """The models that expose a person, and the path to it (a row whose person is empty — a
    unit's perpetration, an open source — is not gated)."""
    from justicework.evidence.models import Link
    from justicework.violations.models import (
        IdentityAccessRequest,
        Perpetration,
        Person,
        PersonRole,
        Source,
        UnitCommander,
    )

    return {
        Person: "",
        PersonRole: "person",
        Perpetration: "person",
        UnitCommander: "person",
        Source: "person",
        IdentityAccessRequest: "person",
        Link: "person",
        **support_models(),  # i13support
    }


def support_models() -> dict[type[Model], str]:
    """Referrals, support plans and their actions carry the survivor (i13support)."""
    from justicework.survivors.models import Referral, SupportAction, SupportPlan

    return {Referral: "person", SupportPlan: "person", SupportAction: "person"}


def register() -> None:
    for model, path in gated_models().items():
        policy.register_gate(model, PersonGate(path))
