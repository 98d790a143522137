"""The organisation directory is searchable: name, short name, kind and countries of work.

``core`` does not know ``search`` (DESIGN 3), so the registration lives here. The index is kept
current by ``justicework search_reindex core.organisation`` or by callers of the core actions
that change organisations (the demo, admin commands) calling ``search.index([org])``.
"""

from __future__ import annotations

import pycountry

from justicework.core.models import Organisation
from justicework.search import registry


def organisation_text(org: Organisation) -> str:
    names = []
    for code in org.countries or []:
        country = pycountry.countries.get(alpha_2=code)
        names.append(f"{code} {country.name if country else ''}")
    return " ".join([org.name, org.slug, str(org.get_kind_display()), *names])


def register() -> None:
    registry.register(Organisation, text=organisation_text, organisation_path="pk")
