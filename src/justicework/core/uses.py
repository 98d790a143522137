"""Declared uses of personal data (DESIGN 2, "every use ... is gated by consent").

A *use* is why some code reads a person's data: showing the documentation pages, exporting a
file, packaging evidence, running a task. Each has a name, the consent *scope* it needs (``None``
only for administering consent itself) and a description. Apps declare theirs as the
``declared_uses`` attribute of their ``AppConfig`` (read here; nothing registers by import).

Code that reads person data names its use:

* a view's URLconf with :func:`declare_urls` (one use for the app's pages), a view or API
  operation that differs with :func:`declares`; an API router with its registration's
  ``use`` (``api.router_registry``);
* anything else with ``with using("dataio.export"):`` (exports, package builds, tasks);
* a use with a qualifier (the forum, the service) with ``using(name, qualifier="ICC")``; a
  named one that belongs to a kind (a provider of medical services, an organisation of a kind)
  also names the kind: ``using(name, qualifier="Clinic Nadiya", kind="medical")``, so consent
  or refusal for the kind covers it (the gate decides how the two combine).

The policy reads :func:`current` and asks the registered consent gate (``policy.register_gate``);
reading gated records with no declared use is refused (fail closed).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

F = TypeVar("F", bound=Callable[..., Any])


class Scope(models.TextChoices):
    """What a survivor consents to, use by use (the consent vocabulary)."""

    DOCUMENTATION = "documentation", _("documentation")
    REFERRAL = "referral", _("referral to services")
    SHARING = "sharing", _("sharing with other organisations")
    LEGAL_PROCEEDINGS = "legal_proceedings", _("legal proceedings")
    STATEMENTS_IMAGES = "statements_images", _("use of recorded statements and images")
    PUBLICATION = "publication", _("anonymised publication")
    FOLLOW_UP = "follow_up", _("follow-up contact")


@dataclass(frozen=True)
class Use:
    name: str
    #: the consent it needs; None only for administering consent itself
    scope: Scope | None
    description: str | Promise


#: Declares that a view reads no person data. In effect it is *no* declared use: a view so
#: marked that reads gated records is refused like an undeclared one.
NO_PERSON_DATA = Use("none", None, _("Reads no person data."))


class UnknownUse(LookupError):
    """A name that no app declared."""


_EXTRA: dict[str, Use] = {}
#: :func:`declared`'s answer once the apps are loaded (every request asks for its use)
_found: dict[str, Use] | None = None


def register(use: Use) -> None:
    """Declare a use outside an ``AppConfig`` (tests, plug-ins)."""
    global _found
    _EXTRA[use.name] = use
    _found = None


def declared() -> dict[str, Use]:
    """Every declared use by name: the apps' ``declared_uses`` and :func:`register`'s."""
    global _found
    if _found is not None:
        return _found
    found: dict[str, Use] = {NO_PERSON_DATA.name: NO_PERSON_DATA}
    for config in apps.get_app_configs():
        for use in getattr(config, "declared_uses", ()):
            if use.name in found and found[use.name] != use:
                raise ValueError(f"Use {use.name!r} is declared twice, differently.")
            found[use.name] = use
    found.update(_EXTRA)
    if apps.ready:
        _found = found
    return found


def get(name: str) -> Use:
    try:
        return declared()[name]
    except KeyError:
        raise UnknownUse(f"No app declares the use {name!r}.") from None


@dataclass
class InUse:
    """The use in effect, with its qualifier, and a memory of the gate's answers within it
    (one look-up per person per request; dropped with the context)."""

    use: Use
    qualifier: str = ""
    #: the kind the named qualifier belongs to ("" when it names none, or is itself a kind)
    kind: str = ""
    memory: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    @property
    def declared(self) -> bool:
        return self.use is not NO_PERSON_DATA


_current: ContextVar[InUse | None] = ContextVar("justicework_use", default=None)


def current() -> InUse | None:
    return _current.get()


@contextmanager
def using(name: str, qualifier: str = "", kind: str = "") -> Iterator[InUse]:
    """Within: person data is read for the use ``name`` (an unknown name raises at once)."""
    qualifier = qualifier.strip()[:200]
    kind = kind.strip()[:200] if qualifier else ""  # a kind qualifies a named qualifier only
    in_use = InUse(get(name), qualifier, "" if kind == qualifier else kind)
    token = _current.set(in_use)
    try:
        yield in_use
    finally:
        _current.reset(token)


@contextmanager
def cleared() -> Iterator[None]:
    """Within: no use is in effect (each request and task starts so; see the middleware)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


def forget(person_id: int) -> None:
    """Drop remembered gate answers about a person (after their consent changed), and those
    about records (keys led by a name, not a person id: ``("item", pk)``), which may rest on
    the person's consent."""
    in_use = _current.get()
    if in_use is not None:
        for key in [k for k in in_use.memory if k[0] == person_id or isinstance(k[0], str)]:
            del in_use.memory[key]


def declares(name: str) -> Callable[[F], F]:
    """Mark a view or API operation: it reads person data for the use ``name``. The mark only
    names the use; :func:`applied` (called by :func:`declare_urls` and the API's assembly)
    puts it in effect, so ninja still reads the function's own signature."""
    if apps.ready:
        get(name)  # a typo fails at import once apps are loaded

    def mark(func: F) -> F:
        func.declared_use = name  # type: ignore[attr-defined]  # read by applied()
        return func

    return mark


def applied(callback: F, default: str) -> F:
    """``callback`` running under its declared use (its mark, else ``default``)."""
    if getattr(callback, "use_applied", False):
        return callback
    name = getattr(callback, "declared_use", None) or default
    get(name)

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with using(name):
            return callback(*args, **kwargs)

    wrapper.declared_use = name  # type: ignore[attr-defined]  # read by use_of()
    wrapper.use_applied = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]  # same signature (functools.wraps)


def runs_as(name: str) -> Callable[[F], F]:
    """Decorate a task (or a command's handler): it runs under the use ``name``. Under
    ``@task()``, so the task's function is the one that sets the use."""

    def decorate(func: F) -> F:
        return applied(func, name)

    return decorate


def use_of(callback: Any) -> str | None:
    """The use a view or operation runs under (``None``: none is in effect)."""
    if not getattr(callback, "use_applied", False):
        return None
    name = getattr(callback, "declared_use", None)
    return name if isinstance(name, str) else None


Pattern = URLPattern | URLResolver


def declare_urls(name: str, patterns: Iterable[Pattern]) -> list[Pattern]:
    """``patterns`` running under their declared use: a view's own (:func:`declares`), else
    ``name`` (an app's URLconf names the use of its pages once; a view that differs marks
    its own)."""
    out: list[Pattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = applied(pattern.callback, name)
        out.append(pattern)
    return out
