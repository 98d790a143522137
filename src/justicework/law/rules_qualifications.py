"""Policy rules for qualifications (registered in ``LawConfig.ready``).

=============  =========================================  =====================================
object         action                                     needs
=============  =========================================  =====================================
Organisation   ``qualify_violations`` (see suggestions,   ``record.verify`` in the violation's
               decide a qualification)                    organisation (admins, legal analysts)
Qualification  ``view``                                   ``record.verify`` in its organisation,
                                                          and access to the violation's incident
=============  =========================================  =====================================

Deciding a qualification also needs the violation itself (``view`` on the ``Violation``, which
keeps restricted incidents to those with access): the views and the action ask both. A
qualification vouches for facts in law, as a verification does, so it goes with
``record.verify`` (the organisation's admins and legal analysts; documenters and viewers may
not). The law of a qualification is not personal data; its note may name nobody identifiable
beyond what the violation shows, and it is shown only to those who may decide.
"""

from __future__ import annotations

from django.db.models import Q

from justicework.core import policy
from justicework.core.models import Organisation, User
from justicework.core.policy import ALLOW, Decision, OrganisationOwnedRule, deny
from justicework.core.roles import Capability
from justicework.law.models import Qualification
from justicework.violations.models import Violation
from justicework.violations.rules import RESTRICTED, may_open_incident

QUALIFY = "qualify_violations"


def _extra(user: User, action: str, obj: Qualification) -> Decision:
    if not may_open_incident(user, obj.violation.incident):
        return deny(RESTRICTED)
    return ALLOW


def _extra_q(user: User, action: str) -> Q:
    return Q(violation__in=policy.visible(user, Violation, "view").values("pk"))


def register() -> None:
    policy.add_organisation_actions(Organisation, {QUALIFY: Capability.RECORD_VERIFY})
    policy.register(
        Qualification,
        OrganisationOwnedRule({"view": Capability.RECORD_VERIFY}, extra=_extra, extra_q=_extra_q),
    )
