"""Two awards to the same legal entity decided at the same moment (PostgreSQL, two
connections): the lock on the entity makes the second wait for the first and then count it, so
they cannot both pass the maximum per third party."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from justicework.grants.actions_review import decisions
from justicework.grants.models import Application, Award
from tests.grants.conftest import make_application, make_call


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_awards_at_once_cannot_both_pass_the_maximum(programme, applicant, officer) -> None:
    apps = [
        make_application(
            make_call(programme), applicant.entity, status=Application.Status.IN_REVIEW
        )
        for _ in range(2)
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(app: Application) -> None:
        try:
            start.wait()
            decisions.decide(
                officer, app, outcome="award", reasons="Strong.", amount=Decimal("40000")
            )
            outcomes.append("awarded")
        except ValidationError as exc:
            outcomes.append("refused" if "amount" in exc.message_dict else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["awarded", "refused"]
    assert Award.objects.count() == 1
