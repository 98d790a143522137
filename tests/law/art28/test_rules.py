"""``law.rules_command``: a record follows its case (view: ``record.view``; change:
``legal.assess`` or ``org.manage``; restricted: the team and the admins), and ``can`` agrees
with ``visible`` for everyone in the cast."""

from __future__ import annotations

import pytest

from justicework.core import policy
from justicework.law import actions_cases
from justicework.law.models import CommandElementRecord

from .conftest import add

pytestmark = pytest.mark.django_db
CAST = ("admin", "analyst", "documenter", "viewer", "outsider", "beacon_admin", "loner")


@pytest.mark.parametrize("restricted", [False, True])
def test_can_agrees_with_visible(cast, art28, restricted) -> None:
    rec = add(art28)
    if restricted:
        actions_cases.update_case_file(None, art28.case, restricted=True)
        rec.refresh_from_db()
    for name in CAST:
        user = getattr(cast, name)
        for action in ("view", "change"):
            allowed = bool(policy.can(user, action, rec))
            listed = policy.visible(user, CommandElementRecord, action).filter(pk=rec.pk).exists()
            assert allowed == listed, (name, action)
    expected_view = {"admin", "analyst"} | (set() if restricted else {"documenter", "viewer"})
    seen = {n for n in CAST if policy.can(getattr(cast, n), "view", rec)}
    assert seen == expected_view
    changers = {n for n in CAST if policy.can(getattr(cast, n), "change", rec)}
    assert changers == {"admin", "analyst"}
