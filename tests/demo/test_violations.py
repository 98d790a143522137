"""The violations demo step and ``justicework demo --scale N``."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from justicework.audit.models import AuditEntry
from justicework.audit.verify import verify_chain
from justicework.core.models import User
from justicework.demo import violations as demo
from justicework.demo import violations_scale as scale
from justicework.violations import actions
from justicework.violations.models import (
    Incident,
    Location,
    Perpetration,
    Person,
    PersonRole,
    Source,
    Unit,
    UnitCommander,
    Violation,
)
from justicework.violations.queries import Filters, search_incidents

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_demo(settings):
    settings.VIOLATIONS_DEMO_FRACTION = 0.02


def test_demo_builds_a_multilingual_fictional_dataset(small_demo):
    output = run_demo()
    assert "Violations demo:" in output
    incidents = Incident.objects.count()
    assert 30 <= incidents <= 50  # 2% of 2,000
    assert Violation.objects.count() >= incidents
    assert Person.objects.count() >= 60
    assert Unit.objects.count() == 144  # units are not scaled down: 12 organisations x 12
    assert Unit.objects.filter(parent__isnull=True).count() == 36
    assert UnitCommander.objects.exists()
    assert Perpetration.objects.exists()
    assert Source.objects.exists()
    assert Location.objects.filter(latitude__isnull=False).exists()
    assert set(Incident.objects.values_list("country", flat=True)) <= set(demo.BOXES)
    assert len(set(Incident.objects.values_list("country", flat=True))) >= 6
    contexts = set(Incident.objects.values_list("context", flat=True))
    assert {"iac", "niac", "none_known"} <= contexts
    titles = " ".join(Incident.objects.values_list("title", flat=True))
    assert re.search(r"[\u0400-\u04FF]", titles)  # Cyrillic
    assert re.search(r"[\u0600-\u06FF]", titles)  # Arabic
    assert re.search(r"[a-zA-Zé]", titles)  # Latin
    names = [p.full_name for p in Person.objects.all()]
    assert any(re.search(r"[\u0600-\u06FF]", n or "") for n in names)
    assert any(re.search(r"[\u0400-\u04FF]", n or "") for n in names)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name FROM violations_person WHERE full_name IS NOT NULL LIMIT 5"
        )
        assert all(row[0].startswith("jw1.") for row in cursor.fetchall())
    assert verify_chain().ok
    diffs = " ".join(str(d) for d in AuditEntry.objects.values_list("diff", flat=True))
    assert not any(n in diffs for n in names[:50] if n)


def test_demo_step_runs_once(small_demo):
    run_demo()
    counts = (Incident.objects.count(), Violation.objects.count(), Person.objects.count())
    run_demo()
    assert (Incident.objects.count(), Violation.objects.count(), Person.objects.count()) == counts


def test_demo_persons_can_be_found_across_scripts(small_demo):
    run_demo()
    person = next(p for p in Person.objects.all() if p.names and p.names[0].get("transliteration"))
    latin = person.names[0]["transliteration"]
    # The Latin spelling meets one of the person's blind-index values (the duplicate check
    # needs a second field on top, which the demo may not have recorded).
    values = [value for _kind, value in actions.index_values(names=[latin])]
    assert person.index_values.filter(value__in=values).exists()


def test_scale_generates_n_violations(small_demo, capsys):
    run_demo()
    before = Violation.objects.count()
    output = run_demo("--scale", "2000")
    assert Violation.objects.count() == before + 2000
    assert "2,000 violations" in output
    created = Violation.objects.order_by("-pk")[:2000]
    assert {v.organisation.slug for v in created[:10]} == {"demo-member-1"}
    assert PersonRole.objects.filter(violation__in=created).exists()
    assert AuditEntry.objects.filter(action="violations.scale.generated").exists()
    org = created[0].organisation
    documenter = User.objects.get(email="documenter@member-1.demo.test")
    assert search_incidents(documenter, Filters(q="incident")).count() >= 600  # indexed
    assert Incident.objects.filter(organisation=org).count() > 600
    match = re.search(r"\(([\d,]+) violations/s\)", output)
    assert match
    with capsys.disabled():
        print(f"\nscale 2,000: {match.group(1)} violations/s")


def test_scale_refuses_a_negative_number(small_demo):
    with pytest.raises(CommandError):
        run_demo("--scale", "-5")


def test_scale_generate_directly(acme):
    result = scale.generate(acme, 300, batch=100, write=lambda _: None)
    assert result.violations == 300
    assert Violation.objects.filter(organisation=acme).count() == 300
    assert AuditEntry.objects.filter(action="violations.scale.generated").count() == 3
    assert Person.objects.filter(organisation=acme).count() == 50
    with pytest.raises(ValueError, match="positive"):
        scale.generate(acme, 0)
