"""Policy rules of the publication part (registered in ``GrantsConfig.ready``).

==============  ==========================  ================================================
object          action                      needs
==============  ==========================  ================================================
Organisation    ``view_grant_dashboard``    ``programme.manage`` in that organisation (the
                                            programme's owner)
==============  ==========================  ================================================

The published award list is public and so is not a policy question (the policy refuses every
anonymous visitor): ``grants.publication.published_awards`` decides it, in one place.

The dashboard's permission is an organisation-level action with one capability, so it joins the
organisation-actions rule (``policy.add_organisation_actions``), which stays the outermost rule
on ``Organisation`` and is extended by merging its table: any number of apps (and parts of this
app) add actions there without wrapping each other, and rules that wrap core's ``Organisation``
rule for an action needing several capabilities (law's ``create_case_file``) sit beneath it,
untouched.
"""

from __future__ import annotations

from justicework.core import policy
from justicework.core.models import Organisation
from justicework.core.roles import Capability

VIEW_DASHBOARD = "view_grant_dashboard"


def register() -> None:
    policy.add_organisation_actions(Organisation, {VIEW_DASHBOARD: Capability.PROGRAMME_MANAGE})
