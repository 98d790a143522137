"""Synthetic demo data (``justicework demo``): a fictional coalition, never a real person.

A domain app's demo data is a step in ``demo/<app>.py`` (the domain app never imports
``demo``), registered in ``DemoConfig.ready``::

    from justicework import demo

    def build_incidents(ctx: demo.DemoContext) -> None:
        if Incident.objects.filter(organisation=ctx.org("member-1")).exists():
            return                                # steps are idempotent: second run, no change
        ...  # call your actions with actor=None or ctx.user("member-1", "documenter")

    demo.register(build_incidents, order=100)

Steps run after the coalition, by ``order`` then registration order, each in its own
transaction, on every run (so a step added later fills an existing demo). A step must create
its data only when absent, use its app's actions, take every name and text from ``ctx.faker``
(seeded with ``--seed``) and use ``ctx.random`` for choices, so a seed gives the same demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faker import Faker

    from justicework.core.models import Organisation, User


@dataclass
class DemoContext:
    seed: int
    faker: Faker
    random: Random
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[tuple[str, str], User] = field(default_factory=dict)
    created: bool = False
    write: Callable[[str], Any] = print

    def org(self, key: str) -> Organisation:
        """A demo organisation by key: ``secretariat``, ``member-1`` … ``member-8``,
        ``associate-1``, ``associate-2``, ``partner-1`` …"""
        return self.organisations[key]

    def user(self, org_key: str, role: str) -> User:
        """The demo user holding ``role`` (a ``Role`` value) in organisation ``org_key``."""
        return self.users[(org_key, role)]


Step = Callable[[DemoContext], None]


@dataclass(frozen=True)
class _Registered:
    order: int
    position: int
    step: Step


_STEPS: list[_Registered] = []


def register(step: Step, order: int = 100) -> Step:
    """Run ``step(ctx)`` after the coalition is built (see module docstring). Registering the
    same function again replaces it."""
    global _STEPS
    _STEPS = [r for r in _STEPS if r.step is not step]
    _STEPS.append(_Registered(order, len(_STEPS), step))
    return step


def steps() -> list[Step]:
    return [r.step for r in sorted(_STEPS, key=lambda r: (r.order, r.position))]
