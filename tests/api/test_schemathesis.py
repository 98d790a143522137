"""Schemathesis (property-based) against the API's own OpenAPI document, in-process (WSGI).

Every operation of ``/api/v1/openapi.json`` is called with generated input (valid and invalid)
by an organisation admin's write token, against a small organisation with records, and each
answer must be: no 5xx (``not_a_server_error``), a status code the operation declares
(``status_code_conformance``), a body that matches the declared schema
(``response_schema_conformance``) and the declared content type (``content_type_conformance``).

Bounded: ``JW_SCHEMATHESIS_MAX_EXAMPLES`` examples per operation (default 15), derandomised so CI
is repeatable (set ``JW_SCHEMATHESIS_SEED`` to explore with another seed). Run alone with::

    JW_SCHEMATHESIS_MAX_EXAMPLES=100 .venv/bin/python -m pytest -q tests/api/test_schemathesis.py

It prints the number of cases tried per operation with ``-s``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from justicework.api.urls import api
from justicework.core import actions as core_actions
from justicework.violations import actions

MAX_EXAMPLES = int(os.environ.get("JW_SCHEMATHESIS_MAX_EXAMPLES", "15"))
SEED = os.environ.get("JW_SCHEMATHESIS_SEED")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
#: Cases tried per operation (printed at the end of the module with ``-s``).
TRIED: Counter[str] = Counter()

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Any, settings: Any) -> Iterator[dict[str, str]]:
    """An admin's write token and one of each record, so some generated ids exist."""
    # The real WSGI handler closes the database connection after each request, which would end
    # the test's transaction on PostgreSQL; django.test.Client disconnects it likewise.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.API_RATE_LIMIT = "100000/m"
    settings.DUPLICATE_CHECK_RATE_LIMIT = "100000/h"
    cache.clear()
    incident = actions.create_incident(
        None, cast.acme, title="Shelling", country="UA", start_date=dt.date(2023, 5, 4)
    )
    person = actions.create_person(None, cast.acme, full_name="Test Person")
    actions.add_violation(None, incident, type="killing_in_attack", victim=person)
    actions.create_unit(None, cast.acme, name="Unit", kind="armed_forces")
    _token, secret = core_actions.create_token(
        cast.admin, name="schemathesis", scope="write", expires_in_days=1
    )
    yield {"Authorization": f"Bearer {secret}"}
    cache.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _settings(test: Any) -> Any:
    configured = settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )(test)
    return seed(int(SEED))(configured) if SEED is not None else configured


@schema.parametrize()
@_settings
def test_the_api_keeps_its_contract(case: Any, world: dict[str, str]) -> None:
    TRIED[case.operation.label] += 1
    case.call_and_validate(headers=world, checks=CHECKS)


def teardown_module() -> None:
    total = sum(TRIED.values())
    print(f"\nschemathesis: {total} cases over {len(TRIED)} operations")
