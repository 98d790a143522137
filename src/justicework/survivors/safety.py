"""The safety warning: shown to anyone about to contact a survivor, export their data or
package evidence linked to them (declared as ``SurvivorsConfig.person_warnings`` and read
through ``core.warnings``). It says that a safety assessment exists, whether threats are
known and whether its review is overdue — never what it says: the text is read only through
the audited :func:`~justicework.survivors.actions.read_safety_assessment`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from justicework.core.warnings import PersonWarning
from justicework.survivors import rules
from justicework.survivors.models import SafetyAssessment, SurvivorFile

#: the most persons one page warns about (an export of thousands names the count instead)
LIMIT = 50


def _texts(review_on: Any, has_threats: bool | None) -> list[str]:
    if review_on is None:
        return [_("Survivor with no safety assessment: ask the support coordinator first.")]
    if has_threats:
        texts = [_("Known threats: contact only as the safety assessment says.")]
    else:
        texts = [_("Safety assessment in place: contact only as it says.")]
    if review_on < timezone.localdate():
        when = formats.date_format(review_on, "DATE_FORMAT")
        texts.append(_("Safety review overdue since %(date)s.") % {"date": when})
    return texts


def warnings_for_many(user: Any, person_ids: Iterable[int]) -> list[PersonWarning]:
    """The warnings about the survivors among ``person_ids`` (one query, at most
    :data:`LIMIT` persons; then one more warning counts the rest)."""
    latest = SafetyAssessment.objects.filter(file=OuterRef("pk")).order_by("-pk")
    ids = person_ids if hasattr(person_ids, "query") else list(person_ids)
    files = (
        SurvivorFile.objects.filter(person_id__in=ids)
        .annotate(
            review_on=Subquery(latest.values("review_on")[:1]),
            threats=Subquery(latest.values("has_threats")[:1]),
        )
        .values_list("person_id", "person__code", "organisation_id", "review_on", "threats")
        .order_by("person_id")
    )
    rows = list(files[: LIMIT + 1])
    authenticated = getattr(user, "is_authenticated", False)
    may_read = rules.supporting_orgs(user) if authenticated else set()
    out: list[PersonWarning] = []
    for person_id, code, org_id, review_on, threats in rows[:LIMIT]:
        url = reverse("survivors:safety", args=[person_id]) if org_id in may_read else ""
        for text in _texts(review_on, threats):
            out.append(PersonWarning(person_id, code, text, url))
    if len(rows) > LIMIT:
        more = files.count() - LIMIT
        out.append(
            PersonWarning(0, "…", _("%(n)d more survivors in this selection.") % {"n": more})
        )
    return out


def warnings_for(user: Any, person: Any) -> list[PersonWarning]:
    """The safety warning about one person (empty: not a survivor)."""
    return warnings_for_many(user, [int(person.pk)])
