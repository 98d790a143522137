"""Policy rules for the import records (registered in ``DataIOConfig.ready``).

Mappings, runs and their row errors belong to an organisation; everything needs the IMPORT
capability there. Creating or committing a run also needs its schema's ``import_action`` on the
organisation (for violations, the capability to create them): the one question an import run
asks (``engine.authorise``). On the organisation itself: ``policy.can(user, "import", org)``
(IMPORT) and ``policy.can(user, "export", org)`` (EXPORT), for the pages, the CLI and the
export action.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from justicework.core import policy
from justicework.core.actors import Requester
from justicework.core.models import Organisation, User
from justicework.core.roles import Capability
from justicework.dataio import schema as schemas
from justicework.dataio.models import ImportRun, Mapping, RowError

IMPORT_ACTIONS = {
    "view": Capability.IMPORT,
    "create": Capability.IMPORT,
    "edit": Capability.IMPORT,
    "delete": Capability.IMPORT,
    "commit": Capability.IMPORT,
    "use": Capability.IMPORT,
    "apply_changes": Capability.IMPORT,
}

#: Actions on an Organisation that this app answers.
ORGANISATION_ACTIONS = {"import": Capability.IMPORT, "export": Capability.EXPORT}


def _rows_allowed(user: User, action: str, run: Any) -> policy.Decision:
    """Creating or committing a run: may ``user`` also create the schema's records there?
    Applying a re-import's changes: and also edit them (the schema's ``update_action``; a
    schema without one is never updated by a re-import). Asked through ``policy.can``, so
    inside a run (``policy.decided_once``) the domain's own check of the same question is
    answered without asking again."""
    if action not in {"create", "commit", "apply_changes"}:
        return policy.ALLOW
    try:
        schema = schemas.get(run.kind)
    except LookupError:  # no such schema (any more): nothing to create, the engine refuses it
        return policy.ALLOW
    if schema.import_action and not policy.can(user, schema.import_action, run.organisation):
        return policy.deny(_("Your role does not allow creating these records."))
    if action == "apply_changes" and not (
        schema.update_action and policy.can(user, schema.update_action, run.organisation)
    ):
        return policy.deny(_("Your role does not allow changing these records."))
    return policy.ALLOW


def require_export(user: Requester, organisation: Organisation) -> None:
    """The one export check, asked by the export action and by each schema's rows."""
    if not policy.can(user, "export", organisation):
        raise PermissionDenied(_("Your role does not allow exporting this organisation's data."))


def register() -> None:
    policy.add_organisation_actions(Organisation, ORGANISATION_ACTIONS)
    policy.register(Mapping, policy.OrganisationOwnedRule(IMPORT_ACTIONS))
    policy.register(ImportRun, policy.OrganisationOwnedRule(IMPORT_ACTIONS, extra=_rows_allowed))
    policy.register(
        RowError,
        policy.OrganisationOwnedRule({"view": Capability.IMPORT}, org_path="run__organisation_id"),
    )
