"""The "Command responsibility" section of a unit's and a person's page (``web.panels``,
declared on ``LawConfig.detail_panels``): links to the chain of command, the pattern and the
art. 28 summary. A person gets the section only when a command of theirs is recorded (one
query); a reader who may not ``view`` the record gets nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

from justicework.core import policy
from justicework.violations.models import Person, Unit, UnitCommander


def panel(request: HttpRequest, record: Model) -> str | None:
    user: Any = request.user
    if not user.is_authenticated or not policy.can(user, "view", record):
        return None
    if isinstance(record, Person):
        commands = policy.visible(user, UnitCommander, "view").filter(person_id=record.pk)
        if not commands.exists():
            return None
    elif not isinstance(record, Unit):
        return None
    return render_to_string(
        "law/command/partials/panel.html",
        {"record": record, "is_person": isinstance(record, Person)},
        request=request,
    )
