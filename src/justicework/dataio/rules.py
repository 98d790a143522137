"""Policy rules for the import records (registered in ``DataIOConfig.ready``).

Mappings, runs and their row errors belong to an organisation; everything needs the IMPORT
capability there. On the organisation itself: ``policy.can(user, "import", org)`` (IMPORT) and
``policy.can(user, "export", org)`` (EXPORT), for the pages, the CLI and the export action.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.models import Organisation
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

#: Actions on an Organisation that this app answers.
ORGANISATION_ACTIONS = {"import": Capability.IMPORT, "export": Capability.EXPORT}


def require_export(user: Any, organisation: Organisation) -> None:
    """The one export check, asked by the export action and by each schema's rows."""
    if not policy.can(user, "export", organisation):
        raise PermissionDenied(_("Your role does not allow exporting this organisation's data."))


def register() -> None:
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)
    policy.register(Mapping, policy.OrganisationOwnedRule(IMPORT_ACTIONS))
    policy.register(ImportRun, policy.OrganisationOwnedRule(IMPORT_ACTIONS))
    policy.register(
        RowError,
        policy.OrganisationOwnedRule({"view": Capability.IMPORT}, org_path="run__organisation_id"),
    )
