"""Policy rules for the import records (registered in ``DataIOConfig.ready``).

Mappings, runs and their row errors belong to an organisation; everything needs the IMPORT
capability there. To ask "may this user import into organisation X", ask about an unsaved run:
``policy.can(user, "create", ImportRun(organisation=org))``.
"""

from __future__ import annotations

from justicework.core import policy
from justicework.core.roles import Capability
from justicework.dataio.models import ImportRun, Mapping, RowError

IMPORT_ACTIONS = {
    "view": Capability.IMPORT,
    "create": Capability.IMPORT,
    "edit": Capability.IMPORT,
    "delete": Capability.IMPORT,
    "commit": Capability.IMPORT,
    "use": Capability.IMPORT,
}


def register() -> None:
    policy.register(Mapping, policy.OrganisationOwnedRule(IMPORT_ACTIONS))
    policy.register(ImportRun, policy.OrganisationOwnedRule(IMPORT_ACTIONS))
    policy.register(
        RowError,
        policy.OrganisationOwnedRule({"view": Capability.IMPORT}, org_path="run__organisation_id"),
    )
