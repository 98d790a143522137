"""The one permission policy (DESIGN 4.1).

Two questions, for every model:

* ``can(user, action, obj) -> Decision`` — may this user do this to this object? The decision
  carries a translatable reason.
* ``visible(user, Model, action) -> QuerySet`` — which rows may this user ``action``?

Domain apps register a :class:`Rule` for each of their models (usually in ``AppConfig.ready``).
Views, the API, exports, search, tasks and the admin call these functions and nothing else; a
protected look-up goes through :func:`get_or_404`, which answers 404 for "missing" and for
"not yours" alike, so a response never reveals that a record exists.

The functions take a ``Requester`` (anyone: a user, an anonymous visitor, nobody) and narrow it
to a signed-in, active ``User`` before any rule runs, so rules are written for a ``User``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from justicework.core import uses
from justicework.core.actors import Requester
from justicework.core.roles import Capability

if TYPE_CHECKING:
    from justicework.core.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | Promise = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, _("Allowed."))
NOT_SIGNED_IN = Decision(False, _("You need to sign in."))
NO_RULE = Decision(False, _("This action is not allowed."))


def allow(reason: str | Promise = "") -> Decision:
    return Decision(True, reason or ALLOW.reason)


def deny(reason: str | Promise) -> Decision:
    return Decision(False, reason)


class Rule(Protocol):
    """Decides for one model; asked only about a signed-in, active user."""

    def can(self, user: User, action: str, obj: Any) -> Decision: ...

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]: ...


_RULES: dict[type[Model], Rule] = {}


def register(model: type[Model], rule: Rule) -> None:
    """Register the rule that decides for ``model``. One rule per model; re-registering replaces."""
    _RULES[model] = rule


def add_organisation_actions(model: type[Model], actions: dict[str, Capability]) -> None:
    """Let an app answer actions on the organisation itself (``can(user, "export", org)``), each
    decided by one capability held in that organisation; other actions stay with the rule
    already registered for ``model`` (core's own ``Organisation`` rule)."""
    current = _RULES.get(model)
    if isinstance(current, OrganisationActionsRule):
        current.actions.update(actions)
    else:
        register(model, OrganisationActionsRule(current, dict(actions)))


class ConsentGate(Protocol):
    """Consent for a use, asked by the policy about records that expose a consent-managed
    person (registered by the app that records consent; core knows none)."""

    def check(self, obj: Any, in_use: uses.InUse) -> Decision: ...

    def narrow(self, queryset: QuerySet[Any], in_use: uses.InUse) -> QuerySet[Any]: ...

    def passed(self, obj: Any, in_use: uses.InUse) -> None:
        """``obj`` came through ``narrow`` for ``in_use``: remember it is allowed."""


class UndeclaredUse(RuntimeError):
    """Person data read with no declared use (raised when ``JUSTICEWORK_STRICT_USES``)."""


_GATES: dict[type[Model], ConsentGate] = {}

UNDECLARED = Decision(False, _("This reads personal data without a declared use."))


def register_gate(model: type[Model], gate: ConsentGate) -> None:
    """Every question about ``model`` needs a declared use, and ``gate`` answers for consent."""
    _GATES[model] = gate


def gate_for(model: type[Model]) -> ConsentGate | None:
    for klass in model.__mro__:
        if klass in _GATES:
            return _GATES[klass]
    return None


def _in_use(model: type[Model]) -> uses.InUse | None:
    """The declared use for reading ``model`` (a gated model); None (or raise, under strict
    settings) when none is declared: fail closed."""
    in_use = uses.current()
    if in_use is not None and in_use.declared:
        return in_use
    if getattr(settings, "JUSTICEWORK_STRICT_USES", False):
        raise UndeclaredUse(
            f"{model._meta.label} read with no declared use (see core/uses.py: name the use "
            "with @declares, declare_urls or using())."
        )
    return None


def rule_for(model: type[Model]) -> Rule | None:
    for klass in model.__mro__:
        if klass in _RULES:
            return _RULES[klass]
    return None


def is_authenticated(user: Requester) -> TypeGuard[User]:
    return bool(
        user is not None
        and not isinstance(user, AnonymousUser)
        and user.is_authenticated
        and user.is_active
    )


def can(user: Requester, action: str, obj: Any) -> Decision:
    """May ``user`` do ``action`` to ``obj``? ``obj`` may be a model instance or a model class
    (for "create"-style actions the rule interprets; e.g. ``can(u, "create_incident", org)``).
    Inside :func:`decided_once`, a question already asked gets the same answer."""
    kept = _kept.get()
    key = _question(user, action, obj) if kept is not None else None
    if key is not None and (in_use := uses.current()) is not None:
        key = (*key, in_use.use.name, in_use.qualifier, in_use.kind)
    if key is None or kept is None:
        return decide(user, action, obj)
    if key not in kept:
        kept[key] = decide(user, action, obj)
    return kept[key]


def decide(user: Requester, action: str, obj: Any) -> Decision:
    """The rule's answer, asked now (:func:`can` without :func:`decided_once`'s memory)."""
    if not is_authenticated(user):
        return NOT_SIGNED_IN
    model = obj if isinstance(obj, type) else type(obj)
    gate = gate_for(model)
    in_use = _in_use(model) if gate is not None else None
    if gate is not None and in_use is None:
        return UNDECLARED
    rule = rule_for(model)
    if rule is None:
        return NO_RULE
    decision = rule.can(user, action, obj)
    if not decision or gate is None or in_use is None or isinstance(obj, type):
        return decision
    # A use without a consent scope (administering consent) is not consent-checked.
    return gate.check(obj, in_use) if in_use.use.scope is not None else decision


#: The answers kept by :func:`decided_once` (None: outside it, every question is decided).
_kept: ContextVar[dict[tuple[Any, ...], Decision] | None] = ContextVar("kept", default=None)


@contextmanager
def decided_once() -> Iterator[None]:
    """Within: the same question (user, action, saved record or model class) is decided once
    and its answer reused. An import run checks its permission once this way, and the domain's
    checks of every chunk are asked once per run, not once per chunk; a change of role meanwhile
    takes effect at the next run. Nested uses share the outer memory."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _question(user: Requester, action: str, obj: Any) -> tuple[Any, ...] | None:
    """The key of a question worth remembering; None for an unsaved record (it has no identity
    yet) and for a visitor who is not signed in (answered at once anyway)."""
    if not is_authenticated(user):
        return None
    if isinstance(obj, type):
        return (user.pk, action, obj, None)
    if isinstance(obj, Model) and obj.pk is not None:
        return (user.pk, action, type(obj), obj.pk)
    return None


def visible(user: Requester, model: type[M], action: str = "view") -> QuerySet[M]:
    """The rows of ``model`` that ``user`` may ``action``; empty for anonymous users."""
    queryset: QuerySet[M] = model._default_manager.all()
    if not is_authenticated(user):
        return queryset.none()
    gate = gate_for(model)
    in_use = _in_use(model) if gate is not None else None
    if gate is not None and in_use is None:
        return queryset.none()
    rule = rule_for(model)
    if rule is None:
        return queryset.none()
    queryset = rule.visible(user, action, queryset)
    if gate is not None and in_use is not None and in_use.use.scope is not None:
        queryset = gate.narrow(queryset, in_use)
    return queryset


def get_or_404(
    user: Requester,
    model_or_queryset: type[M] | QuerySet[M],
    action: str = "view",
    **lookup: Any,
) -> M:
    """Fetch one protected object: 404 for missing and for not-visible alike."""
    if isinstance(model_or_queryset, QuerySet):
        model = model_or_queryset.model
        queryset = visible(user, model, action) & model_or_queryset
    else:
        model = model_or_queryset
        queryset = visible(user, model, action)
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:  # bad ids are "missing" too
        raise Http404 from exc
    gate = gate_for(model)
    in_use = uses.current()
    if gate is not None and in_use is not None and in_use.use.scope is not None:
        gate.passed(obj, in_use)  # visible() narrowed for this use: no second look-up
    decision = can(user, action, obj)
    if not decision:
        raise Http404
    return obj


def held_back(
    user: Requester, action: str, queryset: QuerySet[M], limit: int = 100
) -> list[tuple[M, Decision]]:
    """Rows of ``queryset`` that the rule lets ``user`` ``action`` but the consent gate holds
    back for the use in effect, each with the gate's refusal (naming the missing consent), at
    most ``limit``: so a page can say what an export or a list leaves out, and why."""
    model = queryset.model
    gate, rule, in_use = gate_for(model), rule_for(model), uses.current()
    if gate is None or rule is None or not is_authenticated(user):
        return []
    if in_use is None or not in_use.declared or in_use.use.scope is None:
        return []
    seen = rule.visible(user, action, queryset)
    allowed = gate.narrow(seen, in_use).order_by().values("pk")
    found = []
    for obj in seen.exclude(pk__in=allowed)[:limit]:
        decision = gate.check(obj, in_use)
        if not decision:
            found.append((obj, decision))
    return found


def require(user: Requester, action: str, obj: Any) -> Decision:
    """Raise ``PermissionDenied`` with the reason unless allowed. For actions and forms."""
    decision = can(user, action, obj)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return decision


# --- Helpers for rules ---------------------------------------------------------------------------


def org_ids(user: User, capability: Capability) -> set[int]:
    """Organisations in which ``user`` holds ``capability`` through an active membership."""
    return {m.organisation_id for m in user.active_memberships() if capability in m.capabilities}


def allowed_organisation_ids(user: Requester, action: str) -> list[int]:
    """The ids of the organisations on which ``user`` may ``action``, sorted; without a query
    when the action is an organisation-level action (one capability, memberships cached)."""
    from justicework.core.models import Organisation

    rule = rule_for(Organisation)
    if isinstance(rule, OrganisationActionsRule) and action in rule.actions:
        return sorted(org_ids(user, rule.actions[action])) if is_authenticated(user) else []
    return sorted(visible(user, Organisation, action).values_list("pk", flat=True))


def has_capability_in(user: User, capability: Capability, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in org_ids(user, capability)


def has_grant(user: User, capability: Capability, obj: Model) -> bool:
    """Does ``user`` hold a current need-to-know grant for ``capability`` on ``obj``?"""
    from justicework.core.models import AccessGrant

    now = timezone.now()
    return AccessGrant.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        user=user,
        capability=capability,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        revoked_at__isnull=True,
    ).exists()


class OrganisationOwnedRule:
    """A rule for records with an owning organisation: each action maps to a capability that
    the user must hold in the owning organisation.

    ``actions`` maps action name to capability; ``org_path`` is the lookup from the model to its
    organisation id (``"organisation_id"`` or ``"incident__organisation_id"``); ``extra`` may add a
    further check (sensitivity, grants) to ``can``; ``extra_q`` narrows ``visible``.
    """

    def __init__(
        self,
        actions: dict[str, Capability],
        org_path: str = "organisation_id",
        extra: Callable[[User, str, Any], Decision] | None = None,
        extra_q: Callable[[User, str], Q] | None = None,
    ) -> None:
        self.actions = actions
        self.org_path = org_path
        self.extra = extra
        self.extra_q = extra_q

    def _org_id(self, obj: Any) -> int | None:
        value: Any = obj
        for part in self.org_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return int(value)

    def can(self, user: User, action: str, obj: Any) -> Decision:
        capability = self.actions.get(action)
        if capability is None:
            return NO_RULE
        if isinstance(obj, type):
            return deny(_("This action needs a record."))
        if not has_capability_in(user, capability, self._org_id(obj)):
            return deny(_("Your role in the owning organisation does not allow this."))
        if self.extra is not None:
            return self.extra(user, action, obj)  # noqa: S610  # our callable, not QuerySet.extra
        return ALLOW

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        capability = self.actions.get(action)
        if capability is None:
            return queryset.none()
        ids = org_ids(user, capability)
        if not ids:
            return queryset.none()
        queryset = queryset.filter(**{f"{self.org_path}__in": sorted(ids)})
        if self.extra_q is not None:
            queryset = queryset.filter(self.extra_q(user, action))
        return queryset


class OrganisationActionsRule:
    """Organisation-level actions (``import``, ``export``, ``verify_records``, ``create_incident``
    ...): the user must hold the action's capability in the (active) organisation. Every other
    action is delegated to ``base``, so core keeps deciding for its own actions."""

    def __init__(self, base: Rule | None, actions: dict[str, Capability]) -> None:
        self.base = base
        self.actions = actions

    def can(self, user: User, action: str, obj: Any) -> Decision:
        capability = self.actions.get(action)
        if capability is None:
            return self.base.can(user, action, obj) if self.base else NO_RULE
        if isinstance(obj, type) or not obj.is_active:
            return deny(_("This action needs an active organisation."))
        if has_capability_in(user, capability, obj.pk):
            return ALLOW
        return deny(_("Your role in this organisation does not allow this."))

    def visible(self, user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
        capability = self.actions.get(action)
        if capability is None:
            return self.base.visible(user, action, queryset) if self.base else queryset.none()
        return queryset.filter(is_active=True, pk__in=sorted(org_ids(user, capability)))
